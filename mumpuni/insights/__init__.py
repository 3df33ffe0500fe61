"""Impact of training on service outcomes: difference-in-differences, ROI (issue 9 §1)."""
