"""Notification channels, preferences, quiet hours, digests and nudges with their measured effect (issue 7 §3)."""
