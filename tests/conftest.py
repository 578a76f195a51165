"""Test-wide settings: in CI, hypothesis draws the same examples every run (derandomize), so a
CI result depends only on the code; local runs keep exploring new examples."""
import os
import sys

from hypothesis import settings

# pyspark (the spark extra, imported by great_expectations) takes a __main__ with neither a spec
# nor a file, as in pytest-xdist workers, for its own doctest run and exits on import.
_main = sys.modules.get("__main__")
if _main is not None and getattr(_main, "__spec__", None) is None and not hasattr(_main, "__file__"):
    _main.__file__ = "<pytest worker>"

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
