"""Phone normaliser: table-driven cases, prefix tables, several numbers in one cell."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unionclean._native import source_file
from unionclean.messages import has_message
from unionclean.normalize import phones as module
from unionclean.model import Cell, Status
from unionclean.normalize.base import Context
from unionclean.normalize.phones import classify_phone, normalize_phone, phone_tables
from casefiles import make_cell, read_cases







@pytest.mark.parametrize("case", read_cases("phone_cases.csv"), ids=lambda c: f"{c['kind']}:{c['input']!r}")
def test_phone_case(case: dict[str, str]) -> None:
    r = normalize_phone(make_cell(case["input"], case["kind"]), Context())
    assert (r.value, r.status.value, r.reason, r.note) == (
        case["expected"], case["status"], case["reason"], case["note"])


def test_every_reason_has_a_message() -> None:
    source = source_file(module.__name__).read_text(encoding="utf-8")  # also when compiled
    reasons = {c["reason"] for c in read_cases("phone_cases.csv") if c["reason"]} | set(re.findall(r'"(phone\.[a-z_]+)"', source))
    assert len(reasons) >= 3
    assert [r for r in sorted(reasons) if not has_message(r)] == []


def test_tables() -> None:
    old_mobile, mobile, old_land, land = phone_tables()
    assert old_mobile["0162"] == "032" and old_mobile["0199"] == "059" and len(old_mobile) == 21
    assert set(old_mobile.values()) <= mobile
    assert all(p[:2] in ("03", "05", "07", "08", "09") and len(p) == 3 for p in mobile)
    assert old_land["04"] == "024" and old_land["08"] == "028" and old_land["0511"] == "0236"
    assert len(old_land) == 63 and len(land) == 63


def test_invalid_keeps_a_proposal_when_one_number_is_good() -> None:
    assert normalize_phone(Cell("0912345678 / 123"), Context()).proposal == "0912345678"


def test_three_numbers() -> None:
    r = normalize_phone(Cell("02513822123, 0912345678, 0987654321"), Context())
    assert (r.value, r.note) == ("0912345678", "SĐT khác: 02513822123, 0987654321")


@pytest.mark.parametrize("old, new", [
    ("0120", "070"), ("0121", "079"), ("0122", "077"), ("0126", "076"), ("0128", "078"),
    ("0123", "083"), ("0124", "084"), ("0125", "085"), ("0127", "081"), ("0129", "082"),
    ("0162", "032"), ("0163", "033"), ("0164", "034"), ("0165", "035"), ("0166", "036"),
    ("0167", "037"), ("0168", "038"), ("0169", "039"), ("0186", "056"), ("0188", "058"), ("0199", "059"),
])
def test_every_old_mobile_prefix(old: str, new: str) -> None:
    assert classify_phone(old + "1234567") == (new + "1234567", "phone.old_prefix_converted")


_mobiles = st.builds(lambda p, rest: p + rest, st.sampled_from(sorted(phone_tables()[1])),
                     st.from_regex(r"[0-9]{7}", fullmatch=True))


@settings(max_examples=300, deadline=None)
@given(_mobiles, st.sampled_from(["{}", "+84{}", "84 {}", "{} ", "{}.", "({})"]))
def test_mobile_forms(number: str, shape: str) -> None:
    raw = shape.format(number[1:] if "84" in shape else number)
    r = normalize_phone(Cell(raw), Context())
    assert r.value == number
    again = normalize_phone(Cell(r.value), Context())
    assert again.status is Status.OK and again.value == number


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=40), st.from_regex(r"[0-9 .+/\-]{0,30}", fullmatch=True)))
def test_never_raises_and_is_idempotent(text: str) -> None:
    r = normalize_phone(Cell(text), Context())
    assert r.value == "" or (r.value.isdigit() and len(r.value) in (10, 11))
    if r.value:
        again = normalize_phone(Cell(r.value), Context())
        assert again.status is Status.OK and again.value == r.value


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.integers(-10**15, 10**15), st.floats(allow_nan=True, allow_infinity=True)))
def test_never_raises_on_numbers(value: float) -> None:
    normalize_phone(Cell(repr(value), "n", value), Context())


@given(st.sampled_from(["", " ", "\u00a0", "\u200b"]))
def test_empty_is_missing(text: str) -> None:
    assert normalize_phone(Cell(text), Context()).status is Status.MISSING
