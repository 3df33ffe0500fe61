"""Kirkpatrick evaluation of training: L1 reaction survey, L2 pre/post tests, L3 supervisor assessment (issue 7 §4)."""
