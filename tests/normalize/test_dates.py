"""Date normaliser: table-driven cases, column order decision, split columns, plausibility."""
from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from unionclean._native import source_file
from unionclean.messages import has_message
from unionclean.normalize import dates as module
from unionclean.model import Cell, Status
from unionclean.normalize.base import Context
from unionclean.normalize.dates import (
    check_birth_date, check_join_date, decide_date_order, excel_serial_to_date, format_date, join_date_parts,
    normalize_date, parse_date_text,
)
from casefiles import make_cell, read_cases

TODAY = date(2025, 6, 1)






@pytest.mark.parametrize("case", read_cases("date_cases.csv"), ids=lambda c: f"{c['kind']}:{c['input']!r}:{c['date_order']}")
def test_date_case(case: dict[str, str]) -> None:
    ctx = Context(today=TODAY, date_order=case["date_order"])
    r = normalize_date(make_cell(case["input"], case["kind"]), ctx)
    assert (r.value, r.status.value, r.reason) == (case["expected"], case["status"], case["reason"])


def test_every_reason_has_a_message() -> None:
    source = source_file(module.__name__).read_text(encoding="utf-8")  # also when compiled
    reasons = {c["reason"] for c in read_cases("date_cases.csv") if c["reason"]} | set(re.findall(r'"(date\.[a-z_]+)"', source))
    assert len(reasons) >= 3
    assert [r for r in sorted(reasons) if not has_message(r)] == []


def test_ambiguous_date_gives_both_readings() -> None:
    r = normalize_date(Cell("8/5/1980"), Context(date_order="mixed"))
    assert r.params == {"dmy": "08/05/1980", "mdy": "05/08/1980"}


def test_year_only_carries_year() -> None:
    assert normalize_date(Cell("1975"), Context()).params == {"year": "1975"}
    assert normalize_date(Cell("00/00/1975"), Context()).params == {"year": "1975"}


def test_real_date_object_of_type_date() -> None:
    r = normalize_date(Cell("2001-02-03", "d", date(2001, 2, 3)), Context())
    assert (r.value, r.status) == ("03/02/2001", Status.CHANGED)


def test_serial_table_matches_excel() -> None:
    assert excel_serial_to_date(1) == date(1900, 1, 1)
    assert excel_serial_to_date(59) == date(1900, 2, 28)
    assert excel_serial_to_date(60) is None
    assert excel_serial_to_date(61) == date(1900, 3, 1)
    assert excel_serial_to_date(44927) == date(2023, 1, 1)
    assert excel_serial_to_date(2958465) == date(9999, 12, 31)
    assert excel_serial_to_date(2958466) is None


def test_parse_date_text() -> None:
    assert parse_date_text("15-8-80") == date(1980, 8, 15)
    assert parse_date_text("3/4/1990", "mdy") == date(1990, 3, 4)
    assert parse_date_text("3/4/1990", "mixed") == "date.day_month_ambiguous"
    assert parse_date_text("garbage") == "date.unreadable"


def test_decide_date_order() -> None:
    us = [Cell("8/25/1980"), Cell("3/4/1990"), Cell("12/31/2001")]
    vn = [Cell("25/8/1980"), Cell("3/4/1990")]
    assert decide_date_order(us) == ("mdy", {"month_first": 2, "day_first": 0, "ambiguous": 1})
    assert decide_date_order(vn) == ("dmy", {"month_first": 0, "day_first": 1, "ambiguous": 1})
    assert decide_date_order(us + vn)[0] == "mixed"
    # Real dates, serials, ISO text, equal day/month and empty cells are no evidence.
    other = [Cell("1980-08-25", "d", date(1980, 8, 25)), Cell("29448", "n", 29448), Cell("1980-08-25"),
             Cell("5/5/1980"), None, Cell("")]
    assert decide_date_order(other) == ("dmy", {"month_first": 0, "day_first": 0, "ambiguous": 0})


def test_join_date_parts() -> None:
    ctx = Context()
    full = join_date_parts(Cell("5"), Cell("8", "n", 8), Cell("1980", "n", 1980))
    assert full.text == "05/08/1980" and normalize_date(full, ctx).status is Status.OK
    assert normalize_date(join_date_parts(Cell("15"), Cell("08"), Cell("80")), ctx).value == "15/08/1980"
    assert normalize_date(join_date_parts(None, Cell("8"), Cell("1980")), ctx).reason == "date.month_year_only"
    assert normalize_date(join_date_parts(Cell(""), None, Cell("1980")), ctx).reason == "date.year_only"
    assert normalize_date(join_date_parts(Cell("0"), Cell("0"), Cell("1975")), ctx).reason == "date.zero_day_month"
    assert normalize_date(join_date_parts(Cell("5"), Cell("8"), None), ctx).reason == "date.year_missing"
    assert join_date_parts(None, None, None).is_empty


@pytest.mark.parametrize("born, expected", [
    (date(1940, 1, 1), None), (date(1939, 12, 31), "date.birth_implausible"),
    (date(2010, 6, 1), None), (date(2010, 6, 2), "date.birth_implausible"),
    (date(2030, 1, 1), "date.birth_implausible"),
])
def test_check_birth_date(born: date, expected: str | None) -> None:
    assert check_birth_date(born, TODAY) == expected


@pytest.mark.parametrize("join, birth, expected", [
    (date(2000, 1, 1), date(1980, 8, 15), None),
    (date(1995, 8, 15), date(1980, 8, 15), None),
    (date(1995, 8, 14), date(1980, 8, 15), "date.join_implausible"),
    (date(2025, 6, 2), date(1980, 8, 15), "date.join_implausible"),
    (date(2025, 6, 1), None, None),
    (date(2016, 2, 28), date(2000, 2, 29), None),
    (date(2015, 2, 27), date(2000, 2, 29), "date.join_implausible"),
])
def test_check_join_date(join: date, birth: date | None, expected: str | None) -> None:
    assert check_join_date(join, birth, TODAY) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30), st.sampled_from(["dmy", "mdy", "mixed"]))
def test_never_raises_on_text(text: str, order: str) -> None:
    r = normalize_date(Cell(text), Context(date_order=order))
    assert r.status in Status
    assert r.value == "" or r.status in (Status.OK, Status.CHANGED)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.integers(-10**12, 10**12), st.floats(allow_nan=True, allow_infinity=True)))
def test_never_raises_on_numbers(value: float) -> None:
    normalize_date(Cell(repr(value), "n", value), Context())


@settings(max_examples=300, deadline=None)
@given(st.dates(date(1900, 3, 1), date(2100, 12, 31)), st.sampled_from(["dmy", "mdy", "mixed"]))
def test_idempotent(d: date, order: str) -> None:
    first = normalize_date(Cell(d.isoformat(), "d", d), Context(date_order="dmy"))
    again = normalize_date(Cell(first.value), Context(date_order="dmy"))
    assert again.status is Status.OK and again.value == first.value
    # In a month-first or mixed column only dates with day and month both ≤ 12 may read otherwise.
    r = normalize_date(Cell(first.value), Context(date_order=order))
    if d.day > 12 or d.day == d.month:
        assert r.value == first.value
    elif order == "mixed":
        assert r.reason == "date.day_month_ambiguous"
    elif order == "mdy":
        assert r.value == f"{d.month:02d}/{d.day:02d}/{d.year}"


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["", " ", "\u00a0", "\u200b", "  \n "]))
def test_empty_is_missing(text: str) -> None:
    assert normalize_date(Cell(text), Context()).status is Status.MISSING


@given(st.dates())
def test_format_date_is_dd_mm_yyyy(d) -> None:
    assert format_date(d) == f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0123456789/.- a", max_size=11))
@example("12/03/1985")
@example("1-2-85")
@example("1.12.1985")
@example("/3/1985")
@example("12/3/19855")
def test_plain_dates_are_read_as_the_regex_reads_them(t):
    """``_plain_dmy`` (no regex) only accepts text ``_DMY`` matches, with the same parts, and
    that the day-order evidence reads as it is."""
    from unionclean.normalize.dates import _DMY, _SLASH2, _plain_dmy
    from unionclean.normalize.text import is_plain_ascii

    got = _plain_dmy(t)
    if got is None:
        return
    m = _DMY.fullmatch(t)
    assert m is not None and m.groups() == got
    assert _SLASH2.match(t).groups() == (got[0], got[2]) and is_plain_ascii(t)
