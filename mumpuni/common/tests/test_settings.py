"""Settings fail at start with a clear message on a bad value (run in a child process, like a real start)."""

import os
import subprocess
import sys
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[3]


def run_check(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MUMPUNI_", "DATABASE_URL", "PYTEST"))}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "CRITICAL"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


class SettingsTests(SimpleTestCase):
    def test_it_refuses_to_start_without_a_secret_key_in_production(self) -> None:
        result = run_check(MUMPUNI_ALLOWED_HOSTS="example.org")
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("MUMPUNI_SECRET_KEY", result.stderr)

    def test_it_names_a_bad_boolean(self) -> None:
        result = run_check(MUMPUNI_DEBUG="kadang")
        self.assertEqual(result.returncode, 2)
        self.assertIn("MUMPUNI_DEBUG='kadang' is not a boolean", result.stderr)

    def test_it_refuses_an_unknown_database_url(self) -> None:
        result = run_check(MUMPUNI_DEBUG="1", DATABASE_URL="mysql://x@localhost/db")
        self.assertEqual(result.returncode, 2)
        self.assertIn("DATABASE_URL must start with postgres://", result.stderr)

    def test_it_starts_with_good_production_settings(self) -> None:
        result = run_check(MUMPUNI_SECRET_KEY="x" * 50, MUMPUNI_ALLOWED_HOSTS="mumpuni.semarangkota.go.id")
        self.assertEqual(result.returncode, 0, result.stderr)
