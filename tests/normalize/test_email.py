"""Email normaliser: table-driven cases and properties."""
from __future__ import annotations

import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from unionclean._native import source_file
from unionclean.messages import has_message
from unionclean.normalize import email as module
from unionclean.model import Cell, Status
from unionclean.normalize.base import Context
from unionclean.normalize.email import is_valid_email, normalize_email
from casefiles import read_cases





@pytest.mark.parametrize("case", read_cases("email_cases.csv"), ids=lambda c: f"{c['kind']}:{c['input']!r}")
def test_email_case(case: dict[str, str]) -> None:
    value = int(case["input"]) if case["kind"] == "n" else None
    r = normalize_email(Cell(case["input"], case["kind"], value), Context())
    assert (r.value, r.status.value, r.reason, r.proposal) == (
        case["expected"], case["status"], case["reason"], case["proposal"])


def test_every_reason_has_a_message() -> None:
    source = source_file(module.__name__).read_text(encoding="utf-8")  # also when compiled
    reasons = {c["reason"] for c in read_cases("email_cases.csv") if c["reason"]} | set(re.findall(r'"(email\.[a-z_]+)"', source))
    assert len(reasons) >= 3
    assert [r for r in sorted(reasons) if not has_message(r)] == []


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_never_raises_and_is_idempotent(text: str) -> None:
    r = normalize_email(Cell(text), Context())
    if r.value:
        assert is_valid_email(r.value) and r.value.count("@") == 1
        again = normalize_email(Cell(r.value), Context())
        assert again.status is Status.OK and again.value == r.value


@settings(max_examples=200, deadline=None)
@given(st.emails())
def test_generated_ascii_addresses(address: str) -> None:
    assume(not address.startswith("'"))  # a leading apostrophe is Excel's text marker: stripped
    r = normalize_email(Cell(address.upper()), Context())
    if r.value:
        assert r.value == address.lower()


@given(st.sampled_from(["", " ", "\u00a0", "\u200b", "mailto:"]))
def test_empty_is_missing(text: str) -> None:
    assert normalize_email(Cell(text), Context()).status is Status.MISSING
