"""Test-wide settings: in CI, hypothesis draws the same examples every run (derandomize), so a
CI result depends only on the code; local runs keep exploring new examples."""
import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
