"""Test configuration shared by every test module."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mumpuni.config.settings")
