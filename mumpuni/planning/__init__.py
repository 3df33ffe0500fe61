"""Training budget, the optimizer (planning/solver/, pure Python) and plan scenarios (issue 8)."""
