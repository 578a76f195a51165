"""CCCD/CMND normaliser: table-driven cases and the digit 4 / digits 5–6 cross-checks."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unionclean._native import source_file
from unionclean.messages import has_message
from unionclean.normalize import ids as module
from unionclean.model import Cell, Status
from unionclean.normalize.base import Context
from unionclean.normalize.ids import (
    PROVINCE_CODES, cccd_info, check_cccd_birth_year, check_cccd_gender, normalize_cccd,
)
from casefiles import make_cell, read_cases







@pytest.mark.parametrize("case", read_cases("cccd_cases.csv"), ids=lambda c: f"{c['kind']}:{c['input']!r}")
def test_cccd_case(case: dict[str, str]) -> None:
    r = normalize_cccd(make_cell(case["input"], case["kind"]), Context())
    assert (r.value, r.status.value, r.reason) == (case["expected"], case["status"], case["reason"])


def test_every_reason_has_a_message() -> None:
    source = source_file(module.__name__).read_text(encoding="utf-8")  # also when compiled
    reasons = {c["reason"] for c in read_cases("cccd_cases.csv") if c["reason"]} | set(re.findall(r'"(cccd\.[a-z_]+)"', source))
    assert len(reasons) >= 3
    assert [r for r in sorted(reasons) if not has_message(r)] == []


def test_province_codes() -> None:
    assert len(PROVINCE_CODES) == 63
    assert all(c.startswith("0") and 1 <= int(c) <= 96 for c in PROVINCE_CODES)
    assert {"001", "079", "096"} <= PROVINCE_CODES.keys()
    assert not {"003", "028", "097"} & PROVINCE_CODES.keys()


def test_invalid_province_names_the_code() -> None:
    assert normalize_cccd(Cell("097215012345"), Context()).params == {"code": "097"}


@pytest.mark.parametrize("cccd, info", [
    ("079080012345", ("079", 1900, "Nam", 80)),
    ("001180012345", ("001", 1900, "Nữ", 80)),
    ("036205012345", ("036", 2000, "Nam", 5)),
    ("036305012345", ("036", 2000, "Nữ", 5)),
    ("123456789", None),
    ("", None),
    ("07908001234x", None),
])
def test_cccd_info(cccd: str, info) -> None:
    assert cccd_info(cccd) == info


@pytest.mark.parametrize("cccd, gender, expected", [
    ("079080012345", "Nam", None), ("079080012345", "Nữ", "cccd.gender_mismatch"),
    ("079180012345", "Nữ", None), ("079180012345", "Nam", "cccd.gender_mismatch"),
    ("079205012345", "Nam", None), ("079305012345", "Nam", "cccd.gender_mismatch"),
    ("123456789", "Nam", None), ("079080012345", "", None),
])
def test_check_cccd_gender(cccd: str, gender: str, expected: str | None) -> None:
    assert check_cccd_gender(cccd, gender) == expected


@pytest.mark.parametrize("cccd, year, expected", [
    ("079080012345", 1980, None), ("079080012345", 1981, "cccd.birth_year_mismatch"),
    ("079080012345", 2080, "cccd.birth_year_mismatch"), ("079205012345", 2005, None),
    ("079205012345", 1905, "cccd.birth_year_mismatch"), ("079100012345", 1900, None),
    ("123456789", 1980, None), ("079080012345", None, None),
])
def test_check_cccd_birth_year(cccd: str, year: int | None, expected: str | None) -> None:
    assert check_cccd_birth_year(cccd, year) == expected


_valid = st.builds(lambda p, d, rest: p + str(d) + rest, st.sampled_from(sorted(PROVINCE_CODES)),
                   st.integers(0, 3), st.from_regex(r"[0-9]{8}", fullmatch=True))


@settings(max_examples=300, deadline=None)
@given(_valid)
def test_number_and_text_agree_and_are_idempotent(cccd: str) -> None:
    as_number = normalize_cccd(Cell(str(int(cccd)), "n", int(cccd)), Context())
    as_text = normalize_cccd(Cell(cccd), Context())
    assert as_text.status is Status.OK and as_text.value == cccd
    if len(cccd) - len(cccd.rstrip("0")) < 6:
        assert (as_number.value, as_number.status) == (cccd, Status.CHANGED)
    else:  # six trailing zeros look like a value that went through scientific notation
        assert as_number.reason == "cccd.digits_lost"


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=40), st.from_regex(r"[0-9 .\-]{0,16}", fullmatch=True)))
def test_never_raises_on_text(text: str) -> None:
    r = normalize_cccd(Cell(text), Context())
    assert r.value == "" or (r.value.isdigit() and len(r.value) in (9, 12))
    if r.value:
        assert normalize_cccd(Cell(r.value), Context()).value == r.value


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.integers(-10**20, 10**20), st.floats(allow_nan=True, allow_infinity=True)))
def test_never_raises_on_numbers(value: float) -> None:
    normalize_cccd(Cell(repr(value), "n", value), Context())


@given(st.sampled_from(["", " ", "\u00a0", "\u200b"]))
def test_empty_is_missing(text: str) -> None:
    assert normalize_cccd(Cell(text), Context()).status is Status.MISSING
