"""Test-wide settings: in CI, hypothesis draws the same examples every run (derandomize), so a
CI result depends only on the code; local runs keep exploring new examples."""
import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


def pytest_collection_modifyitems(config, items):
    """Tests marked ``pure_only`` replace a module function (monkeypatch) to watch how it is
    called: compiled modules call each other directly, so those run in the pure-Python pass
    of ``scripts/test.sh`` (``UNIONCLEAN_PURE=1``) only."""
    import pytest

    from unionclean._native import engine

    if engine() != "compiled":
        return
    skip = pytest.mark.skip(reason="spies on a module function: run by the pure-Python pass (UNIONCLEAN_PURE=1)")
    for item in items:
        if "pure_only" in item.keywords:
            item.add_marker(skip)
