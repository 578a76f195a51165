"""Quê quán: the 34 provinces after the 2025 reform, old names, addresses, GSO codes."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unionclean.messages import has_message
from unionclean.model import Cell, Status
from unionclean.normalize.base import Context
from unionclean.normalize.provinces import (normalize_province, old_province_code_map,
                                            old_province_new_map, province_values)

CASES = Path(__file__).parent.parent / "cases" / "province_cases.csv"
CTX = Context()

with CASES.open(encoding="utf-8", newline="") as _f:
    ALL_CASES = list(csv.DictReader(_f))

NEW = ["Hà Nội", "Cao Bằng", "Tuyên Quang", "Điện Biên", "Lai Châu", "Sơn La", "Lào Cai",
       "Thái Nguyên", "Lạng Sơn", "Quảng Ninh", "Bắc Ninh", "Phú Thọ", "Hải Phòng", "Hưng Yên",
       "Ninh Bình", "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Quảng Trị", "Huế", "Đà Nẵng", "Quảng Ngãi",
       "Gia Lai", "Khánh Hòa", "Đắk Lắk", "Lâm Đồng", "Đồng Nai", "Hồ Chí Minh", "Tây Ninh",
       "Đồng Tháp", "Vĩnh Long", "An Giang", "Cần Thơ", "Cà Mau"]


def _cell(text: str) -> Cell:
    return Cell(text, "s" if text else "")


def test_enough_cases():
    assert len(ALL_CASES) >= 80


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: repr(c["input"]))
def test_case(case):
    r = normalize_province(_cell(case["input"]), CTX)
    assert (r.value, r.status.value, r.reason) == (case["value"], case["status"], case["reason"])
    if case["proposal"]:
        assert r.proposal == case["proposal"]
    if case["candidates"]:
        assert r.params["candidates"] == case["candidates"]


def test_every_reason_has_a_message():
    reasons = {c["reason"] for c in ALL_CASES if c["reason"]}
    assert {"province.spelling", "province.alias", "province.old_mapped", "province.from_address",
            "province.ambiguous", "province.unknown"} <= reasons
    assert sorted(r for r in reasons if not has_message(r)) == []


def test_new_province_list():
    assert province_values() == NEW


def test_old_code_map_is_complete():
    codes = old_province_code_map()
    assert len(codes) == 63 and len(set(codes.values())) == 63
    assert all(len(c) == 2 and c.isdigit() and 1 <= int(c) <= 96 for c in codes)
    assert "28" not in codes and old_province_code_map(include_ha_tay=True)["28"] == "Hà Tây"
    # the codes that lose two zeros in Excel (CCCD 001–009)
    assert {c: codes[c] for c in codes if int(c) <= 9} == {
        "01": "Hà Nội", "02": "Hà Giang", "04": "Cao Bằng", "06": "Bắc Kạn", "08": "Tuyên Quang"}
    assert (codes["79"], codes["75"], codes["96"], codes["46"]) == (
        "Hồ Chí Minh", "Đồng Nai", "Cà Mau", "Thừa Thiên Huế")


def test_every_old_province_maps_to_its_new_one():
    mapping = old_province_new_map()
    assert len(mapping) == 64 and set(mapping.values()) == set(NEW)
    for old, new in mapping.items():
        r = normalize_province(Cell(old), CTX)
        assert r.value == new, old
        assert r.status is (Status.OK if old == new else Status.CHANGED), old


@pytest.mark.parametrize("a,b", [("Hà Nam", "Hà Nội"), ("Quảng Nam", "Quảng Ngãi"),
                                 ("Quảng Ninh", "Quảng Nam"), ("Bình Dương", "Bình Định"),
                                 ("Thái Bình", "Thái Nguyên"), ("Hà Tĩnh", "Hà Giang"),
                                 ("Long An", "An Giang")])
def test_names_inside_names_are_not_confused(a, b):
    ra, rb = normalize_province(Cell(a), CTX), normalize_province(Cell(b), CTX)
    assert ra.value == old_province_new_map()[a] and rb.value == old_province_new_map()[b]


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=40))
def test_never_raises(text):
    r = normalize_province(Cell(text), CTX)
    assert r.value == "" or r.value in NEW
    assert r.status is not Status.FLAGGED or r.value == ""


def test_canonical_values_are_idempotent():
    for value in NEW:
        r = normalize_province(Cell(value), CTX)
        assert (r.value, r.status, r.reason) == (value, Status.OK, "")


@pytest.mark.parametrize("cell", [Cell("", ""), Cell("  "), Cell("\u200b")])
def test_empty_is_missing(cell):
    assert normalize_province(cell, CTX).status is Status.MISSING


@settings(max_examples=150, deadline=None)
@given(province=st.sampled_from(sorted(old_province_new_map())),
       head=st.lists(st.text(alphabet="abcdeghiklmnopqrstuvxyĐđàáạăâêôơư ", min_size=1,
                             max_size=12), min_size=1, max_size=3),
       prefix=st.sampled_from(["", "Tỉnh ", "TP. "]))
def test_address_last_part(province, head, prefix):
    text = ", ".join([*head, prefix + province])
    r = normalize_province(Cell(text), CTX)
    assert r.value == old_province_new_map()[province]


def test_legacy_encoded_cell_is_repaired_first():
    r = normalize_province(Cell("Ninh B×nh", font=".VnTime"), CTX)
    assert (r.value, r.reason) == ("Ninh Bình", "text.tcvn3_converted")
    r = normalize_province(Cell("Hµ T©y", font=".VnTime"), CTX)
    assert (r.value, r.reason) == ("Hà Nội", "province.old_mapped")
