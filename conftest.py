"""Test configuration shared by every test module."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mumpuni.config.settings")

# Property tests check correctness, not speed: a loaded CI machine must not fail them on hypothesis's
# per-example deadline.
from hypothesis import settings as hypothesis_settings  # noqa: E402

hypothesis_settings.register_profile("mumpuni", deadline=None, print_blob=True)
hypothesis_settings.load_profile("mumpuni")
