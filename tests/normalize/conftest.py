"""Shared helpers for the normaliser tests: case tables under tests/cases/."""
from __future__ import annotations

import csv
import re

import pytest
from pathlib import Path

CASES = Path(__file__).resolve().parent.parent / "cases"
_ESC = re.compile(r"\\(u[0-9a-fA-F]{4}|n|r|t|\\)")
_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\"}


def unescape(s: str) -> str:
    """Undo the case-file escapes: \\uXXXX, \\n, \\r, \\t, \\\\."""
    return _ESC.sub(lambda m: _SIMPLE.get(m.group(1)) or chr(int(m.group(1)[1:], 16)), s)


def load_cases(name: str) -> list[dict[str, str]]:
    """Rows of a case CSV (comment lines start with #), escapes undone, font "" → None."""
    lines = (CASES / name).read_text(encoding="utf-8").splitlines()
    rows = list(csv.DictReader(ln for ln in lines if not ln.startswith("#")))
    for row in rows:
        row["input"] = unescape(row["input"])
        row["expected"] = unescape(row["expected"])
    return rows


_CASE_FILES = {"text_case": "text_cases.csv", "name_case": "name_cases.csv"}


def _case_id(case: dict[str, str]) -> str:
    return f"{case['input'][:25]!r}|{case['font']}"


def pytest_generate_tests(metafunc):
    """Tests taking ``text_case`` / ``name_case`` run once per row of the case file."""
    for arg, file in _CASE_FILES.items():
        if arg in metafunc.fixturenames:
            metafunc.parametrize(arg, load_cases(file), ids=_case_id)


@pytest.fixture(scope="session")
def text_cases() -> list[dict[str, str]]:
    return load_cases("text_cases.csv")


@pytest.fixture(scope="session")
def name_cases() -> list[dict[str, str]]:
    return load_cases("name_cases.csv")
