"""Code-list normalisers: table-driven cases, data-file integrity and properties."""
from __future__ import annotations

import csv
import time
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unionclean.messages import has_message
from unionclean.model import Cell, Status
from unionclean.normalize import codes
from unionclean.normalize.base import Context
from unionclean.normalize.codes import (CodeListError, code_values, load_list, normalize_code,
                                        normalize_education, numeric_list_names)

CASES = Path(__file__).parent.parent / "cases" / "codes_cases.csv"
LISTS = ("ethnic", "religion", "professional", "political", "union_position")
CTX = Context(today=date(2026, 3, 1))


def _cell(text: str, kind: str) -> Cell:
    if kind == "":
        return Cell("", "")
    if kind == "n":
        return Cell(text, "n", float(text) if "." in text else int(text))
    if kind == "d":
        return Cell(text, "d", datetime.fromisoformat(text))
    return Cell(text, kind)


def _run(lst: str, cell: Cell, ctx: Context = CTX):
    if lst == "education":
        return normalize_education(cell, ctx)
    return normalize_code(lst, cell, ctx)


def _load_cases() -> list[dict[str, str]]:
    with CASES.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


ALL_CASES = _load_cases()


def test_enough_cases_for_every_list():
    assert len(ALL_CASES) >= 150
    assert {c["list"] for c in ALL_CASES} == {*LISTS, "education"}


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: f"{c['list']}:{c['input']!r}:{c['kind']}")
def test_case(case):
    ctx = Context(today=CTX.today, ethnic_list=case["ethnic_list"] or None)
    r = _run(case["list"], _cell(case["input"], case["kind"]), ctx)
    assert (r.value, r.status.value, r.reason) == (case["value"], case["status"], case["reason"])
    if case["proposal"]:
        assert r.proposal == case["proposal"]
    if case["candidates"]:
        assert r.params["candidates"] == case["candidates"]
    if r.status is Status.FLAGGED:
        assert r.value == ""


def test_every_reason_has_a_message():
    emitted = {c["reason"] for c in ALL_CASES if c["reason"]}
    declared = {"code.spelling", "code.alias", "code.prefix", "code.none_to_empty",
                "code.numeric_mapped", "code.numeric_ambiguous", "code.numeric_unknown",
                "code.wrong_column", "code.unknown", "education.level_mapped",
                "education.normalized", "education.from_date", "education.date_unclear",
                "education.invalid", "education.professional_level", "education.unknown"}
    assert declared <= emitted | declared
    missing = sorted(c for c in emitted | declared if not has_message(c))
    assert missing == []


def test_unknown_gives_three_candidates():
    r = normalize_code("ethnic", Cell("Mườngg"), CTX)
    cands = r.params["candidates"].split(", ")
    assert r.reason == "code.unknown" and len(cands) == 3 and cands[0] == "Mường"
    assert r.proposal == "Mường"


def test_far_unknown_has_no_proposal():
    r = normalize_code("union_position", Cell("Kế toán trưởng"), CTX)
    assert r.flagged and r.proposal == ""


# --- data files --------------------------------------------------------------------------------

ETHNIC_GSO = [
    "Kinh", "Tày", "Thái", "Hoa", "Khơ-me", "Mường", "Nùng", "Mông", "Dao", "Gia-rai", "Ngái",
    "Ê-đê", "Ba-na", "Xơ-đăng", "Sán Chay", "Cơ-ho", "Chăm", "Sán Dìu", "Hrê", "Mnông", "Ra-glai",
    "Xtiêng", "Bru-Vân Kiều", "Thổ", "Giáy", "Cơ-tu", "Gié-Triêng", "Mạ", "Khơ-mú", "Co", "Tà-ôi",
    "Chơ-ro", "Kháng", "Xinh-mun", "Hà Nhì", "Chu-ru", "Lào", "La Chí", "La Ha", "Phù Lá", "La Hủ",
    "Lự", "Lô Lô", "Chứt", "Mảng", "Pà Thẻn", "Co Lao", "Cống", "Bố Y", "Si La", "Pu Péo", "Brâu",
    "Ơ-đu", "Rơ-măm", "Người nước ngoài"]


def test_ethnic_list_and_gso_order():
    assert code_values("ethnic") == ETHNIC_GSO
    gso = load_list("ethnic").numeric_lists["gso"]
    assert [gso[i] for i in range(1, 56)] == ETHNIC_GSO
    assert "gso" in numeric_list_names("ethnic")


@pytest.mark.parametrize("name,n", [("religion", 17), ("professional", 8), ("political", 4),
                                    ("union_position", 7), ("gender", 2), ("province", 34)])
def test_list_sizes(name, n):
    assert len(code_values(name)) == n


def test_gender_and_education_values():
    assert code_values("gender") == ["Nam", "Nữ"]
    edu = code_values("education")
    assert edu[0] == "12/12" and "10/10" in edu and "1/10" in edu and len(edu) == 22


def test_unknown_list_is_a_programmer_error():
    with pytest.raises(CodeListError, match="no_such"):
        load_list("no_such")


def test_conflicting_variant_is_refused():
    with pytest.raises(CodeListError, match="both"):
        codes.build_list("broken", {"values": {"Kinh": ["Việt"], "Tày": ["viet"]}})


def test_yaml_boolean_variant_is_refused():
    with pytest.raises(CodeListError, match="not text"):
        codes.build_list("broken", {"values": {"Không": [False]}})


# --- properties --------------------------------------------------------------------------------

@settings(max_examples=150, deadline=None)
@given(lst=st.sampled_from(LISTS), text=st.text(max_size=30),
       kind=st.sampled_from(["s", "n", ""]), numeric=st.sampled_from([None, "gso", "x"]))
def test_never_raises(lst, text, kind, numeric):
    r = normalize_code(lst, Cell(text, kind), Context(today=CTX.today, ethnic_list=numeric))
    assert r.status in set(Status)
    if r.status is Status.FLAGGED:
        assert r.value == ""
    if r.value:
        assert r.value in code_values(lst)


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=20), kind=st.sampled_from(["s", "n", "d", ""]))
def test_education_never_raises(text, kind):
    r = normalize_education(Cell(text, kind), CTX)
    assert r.value == "" or r.value in code_values("education")


@pytest.mark.parametrize("lst", [*LISTS, "education"])
def test_canonical_values_are_idempotent(lst):
    for value in code_values(lst):
        r = _run(lst, Cell(value))
        assert (r.value, r.status, r.reason) == (value, Status.OK, ""), value


@pytest.mark.parametrize("lst", [*LISTS, "education"])
def test_empty_is_missing(lst):
    for cell in (Cell("", ""), Cell("   "), Cell("\u00a0\u200b")):
        assert _run(lst, cell).status is Status.MISSING


@settings(max_examples=100, deadline=None)
@given(case=st.sampled_from(ALL_CASES))
def test_output_is_a_fixed_point(case):
    ctx = Context(today=CTX.today, ethnic_list=case["ethnic_list"] or None)
    r = _run(case["list"], _cell(case["input"], case["kind"]), ctx)
    if r.value:
        again = _run(case["list"], Cell(r.value), ctx)
        assert (again.value, again.status) == (r.value, Status.OK)


def test_repeated_values_are_fast():
    values = [c["input"] for c in ALL_CASES if c["list"] == "ethnic" and c["kind"] == "s"]
    cells = [Cell(v) for v in values] * (200_000 // len(values))
    start = time.perf_counter()
    for cell in cells:
        normalize_code("ethnic", cell, CTX)
    assert time.perf_counter() - start < 3.0


def test_legacy_encoded_cell_is_repaired_first():
    r = normalize_code("ethnic", Cell("Tµy", font=".VnTime"), CTX)
    assert (r.value, r.reason) == ("Tày", "text.tcvn3_converted")
    r = normalize_code("ethnic", Cell("Mu\u031bo\u031b\u0300ng"), CTX)
    assert (r.value, r.status) == ("Mường", Status.CHANGED)


def test_legacy_font_reading_used_when_it_matches_the_list_exactly():
    from unionclean.model import Cell
    from unionclean.normalize.base import Context
    from unionclean.normalize.codes import normalize_code
    from unionclean.normalize.provinces import normalize_province

    # VNI "HMoâng" reads "HMông": not valid spelling, so the text cleaner keeps it, but the list
    # match on the font reading is exact.
    r = normalize_code("ethnic", Cell("HMoâng", "s", None, "VNI-Times"), Context())
    assert (r.value, r.status.value) == ("Mông", "changed")
    # Without the font, nothing is guessed.
    assert normalize_code("ethnic", Cell("HMoâng"), Context()).status.value == "flagged"
    p = normalize_province(Cell("TP Hoà Chí Minh", "s", None, "VNI-Times"), Context())
    assert p.value == "Hồ Chí Minh"
