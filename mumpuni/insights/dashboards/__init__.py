"""Dashboards for every role (issue 9 §2): they read the daily roll-ups of `insights.models`, never raw rows."""
