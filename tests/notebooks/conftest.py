"""Fixtures of the notebook and widget tests, and the ``browser`` marker.

The browser test (``test_browser.py``) is marked ``browser``: deselect it with
``-m "not browser"`` on a machine without Chromium; when it is selected and Chromium or
Playwright is missing, it fails with a message saying what to install (never a silent skip).
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import ipywidgets as W
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
DATA = NOTEBOOKS / "data"
UNIT_FILE = "u01_kim_dong_thang_10.xlsx"
TODAY = "2026-11-01"
FULL_ID = re.compile(r"(?<!\d)\d{12}(?!\d)")
FULL_PHONE = re.compile(r"(?<!\d)0\d{9,10}(?!\d)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives JupyterLab in headless Chromium (needs chromium + playwright)")


@pytest.fixture()
def data_dir(tmp_path: Path) -> Path:
    """A private copy of the bundled synthetic inputs (tests never write next to them)."""
    dst = tmp_path / "data"
    shutil.copytree(DATA, dst, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return dst


@pytest.fixture()
def session(data_dir: Path):
    from unionclean.session import CleaningSession

    s = CleaningSession(data_dir / "mot_don_vi" / UNIT_FILE, today=TODAY)
    s.run()
    return s


def widget_texts(w: W.Widget) -> list[str]:
    """Every text a person can read in a widget tree (HTML values, labels, options, values)."""
    out: list[str] = []
    stack = [w]
    while stack:
        x = stack.pop()
        for attr in ("value", "description", "placeholder"):
            v = getattr(x, attr, None)
            if isinstance(v, str):
                out.append(v)
        for lbl in getattr(x, "_options_labels", ()) or ():
            out.append(str(lbl))
        stack.extend(getattr(x, "children", ()) or ())
        for o in getattr(x, "outputs", ()) or ():
            out.append(str(o))
    return out


def assert_masked(texts: list[str]) -> None:
    """No full 12-digit ID and no full phone number in what is shown."""
    for s in texts:
        assert not FULL_ID.search(s), f"unmasked ID number shown: {s[:200]!r}"
        assert not FULL_PHONE.search(s), f"unmasked phone shown: {s[:200]!r}"
