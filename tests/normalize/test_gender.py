"""Gender normaliser: table-driven cases, header codes, split Nam | Nữ columns."""
from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unionclean._native import source_file
from unionclean.messages import has_message
from unionclean.normalize import gender as module
from unionclean.model import Cell, Status
from unionclean.normalize.base import Context
from unionclean.normalize.gender import gender_from_split, normalize_gender, parse_gender_codes
from casefiles import make_cell, read_cases







@pytest.mark.parametrize("case", read_cases("gender_cases.csv"), ids=lambda c: f"{c['kind']}:{c['input']!r}:{c['header']}")
def test_gender_case(case: dict[str, str]) -> None:
    ctx = Context(gender_codes=parse_gender_codes(case["header"]), header=case["header"])
    r = normalize_gender(make_cell(case["input"], case["kind"]), ctx)
    assert (r.value, r.status.value, r.reason) == (case["expected"], case["status"], case["reason"])
    assert r.params.get("year", "") == case["year"]


def test_every_reason_has_a_message() -> None:
    source = source_file(module.__name__).read_text(encoding="utf-8")  # also when compiled
    reasons = {c["reason"] for c in read_cases("gender_cases.csv") if c["reason"]} | set(re.findall(r'"(gender\.[a-z_]+)"', source))
    assert len(reasons) >= 3
    assert [r for r in sorted(reasons) if not has_message(r)] == []


@pytest.mark.parametrize("header, codes", [
    ("Giới tính (1: Nam, 0: Nữ)", (("1", "Nam"), ("0", "Nữ"))),
    ("GIỚI TÍNH (0: nữ; 1: nam)", (("1", "Nam"), ("0", "Nữ"))),
    ("Giới tính (Nam = 1, Nữ = 2)", (("1", "Nam"), ("2", "Nữ"))),
    ("Giới tính (1-Nam, 2-Nữ)", (("1", "Nam"), ("2", "Nữ"))),
    ("Giới tính (0 là Nữ, 1 là Nam)", (("1", "Nam"), ("0", "Nữ"))),
    ("Gioi tinh (M: Nam, F: Nu)", (("m", "Nam"), ("f", "Nữ"))),
    ("Giới tính", ()),
    ("Nam/Nữ", ()),
    ("Giới tính (1: Nam)", ()),
    ("Giới tính (1: Nam, 1: Nữ)", ()),
    ("", ()),
])
def test_parse_gender_codes(header: str, codes: tuple) -> None:
    assert parse_gender_codes(header) == codes


@pytest.mark.parametrize("nam, nu, text, value, reason, year", [
    (Cell("x"), Cell(""), "Nam", "Nam", "", ""),
    (None, Cell("X"), "Nữ", "Nữ", "", ""),
    (Cell("✓"), None, "Nam", "Nam", "", ""),
    (Cell("1980", "n", 1980), Cell(""), "Nam (1980)", "Nam", "gender.from_split", "1980"),
    (Cell(""), Cell("1985"), "Nữ (1985)", "Nữ", "gender.from_split", "1985"),
    (Cell(""), Cell("1985.0", "n", 1985.0), "Nữ (1985)", "Nữ", "gender.from_split", "1985"),
    (None, Cell("1985-03-04", "d", date(1985, 3, 4)), "Nữ (1985)", "Nữ", "gender.from_split", "1985"),
    (Cell("x"), Cell("x"), "Nam và Nữ", "", "gender.split_conflict", ""),
    (Cell("1980"), Cell("1980"), "Nam và Nữ", "", "gender.split_conflict", ""),
    (Cell("-"), Cell("x"), "Nữ", "Nữ", "", ""),
    (None, None, "", "", "", ""),
    (Cell(" "), Cell("0"), "", "", "", ""),
])
def test_gender_from_split(nam, nu, text, value, reason, year) -> None:
    cell = gender_from_split(nam, nu)
    assert cell.text == text
    r = normalize_gender(cell, Context())
    assert (r.value, r.reason, r.params.get("year", "")) == (value, reason, year)
    if not text:
        assert r.status is Status.MISSING
    elif not value:
        assert r.status is Status.FLAGGED
    else:
        assert r.status in (Status.OK, Status.CHANGED)


def test_codes_do_not_override_words() -> None:
    ctx = Context(gender_codes=(("1", "Nữ"), ("0", "Nam")))
    assert normalize_gender(Cell("1"), ctx).value == "Nữ"
    assert normalize_gender(Cell("Nam"), ctx).value == "Nam"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=20))
def test_never_raises_and_only_canonical_values(text: str) -> None:
    r = normalize_gender(Cell(text), Context())
    assert r.value in ("", "Nam", "Nữ")
    if r.value:
        again = normalize_gender(Cell(r.value), Context())
        assert again.status is Status.OK and again.value == r.value


@given(st.sampled_from(["", " ", "\u00a0", "\u200b\n"]))
def test_empty_is_missing(text: str) -> None:
    assert normalize_gender(Cell(text), Context()).status is Status.MISSING
