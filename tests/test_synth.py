"""Tests of the synthetic generator (unionclean.synth): canonical people, determinism, layout,
truth locations, flag rates, practice files, datasets."""
from __future__ import annotations

import csv
import hashlib
import io
import json
from collections import Counter
from datetime import date, datetime

import openpyxl
import pytest

from unionclean.normalize.keys import fold
from unionclean.synth import (FLAG_KINDS, EXERCISES, generate_dataset, generate_people, practice_file,
                              write_unit_file)
from unionclean.synth.layout import col_letter
from unionclean.synth.mess import to_tohop

PROVINCES_34 = {
    "Hà Nội", "Cao Bằng", "Tuyên Quang", "Điện Biên", "Lai Châu", "Sơn La", "Lào Cai", "Thái Nguyên",
    "Lạng Sơn", "Quảng Ninh", "Bắc Ninh", "Phú Thọ", "Hải Phòng", "Hưng Yên", "Ninh Bình", "Thanh Hóa",
    "Nghệ An", "Hà Tĩnh", "Quảng Trị", "Huế", "Đà Nẵng", "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Đắk Lắk",
    "Lâm Đồng", "Đồng Nai", "Hồ Chí Minh", "Tây Ninh", "Đồng Tháp", "Vĩnh Long", "An Giang", "Cần Thơ",
    "Cà Mau",
}
POSITIONS = {"Chủ tịch", "Phó Chủ tịch", "Ủy viên Ban Chấp hành", "Ủy viên Ủy ban Kiểm tra",
             "Tổ trưởng công đoàn", "Tổ phó công đoàn", "Đoàn viên"}
PROFESSIONAL = {"Tiến sĩ", "Thạc sĩ", "Đại học", "Cao đẳng", "Trung cấp", "Sơ cấp", "Công nhân kỹ thuật",
                "Chưa qua đào tạo"}
POLITICAL = {"", "Sơ cấp", "Trung cấp", "Cao cấp", "Cử nhân"}
MOBILE = ("03", "05", "07", "08", "09")
UNIT = "Công đoàn Công ty TNHH Nhựa Bình Minh"


def _d(s: str) -> date:
    return date(int(s[6:]), int(s[3:5]), int(s[:2]))


@pytest.fixture(scope="module")
def people() -> list[dict]:
    return generate_people(2000, seed=11)


def test_people_are_canonical(people):
    for p in people:
        dob, join = _d(p["ngay_sinh"]), _d(p["ngay_vao_cong_doan"])
        assert p["gioi_tinh"] in ("Nam", "Nữ")
        cccd = p["so_cccd"]
        assert cccd.isdigit() and len(cccd) in (9, 12)
        if len(cccd) == 12:
            assert cccd[0] == "0" and 1 <= int(cccd[1:3]) <= 96
            assert int(cccd[3]) % 2 == (p["gioi_tinh"] == "Nữ")
            assert int(cccd[3]) // 2 == (dob.year >= 2000) and cccd[4:6] == f"{dob.year % 100:02d}"
        else:
            assert dob.year < 1985
        assert join >= dob.replace(year=dob.year + 18, day=min(dob.day, 28)) and join <= date(2025, 12, 31)
        assert p["que_quan"] in PROVINCES_34
        assert p["chuc_vu_cong_doan"] in POSITIONS
        assert p["trinh_do_chuyen_mon"] in PROFESSIONAL and p["ly_luan_chinh_tri"] in POLITICAL
        phone = p["so_dien_thoai"]
        assert phone == "" or (len(phone) == 10 and phone.startswith(MOBILE)) or \
            (len(phone) == 11 and phone.startswith("02"))
        assert p["email"] == "" or p["email"].count("@") == 1 and p["email"] == p["email"].lower()
        assert not p["ho_ten"].isascii()


def test_people_distribution(people):
    surnames = Counter(p["ho_ten"].split()[0] for p in people)
    assert 0.30 < surnames["Nguyễn"] / len(people) < 0.45
    given = Counter(p["ho_ten"].split()[-1] for p in people)
    assert given["Hoà"] and given["Hòa"]  # both tone styles
    old = [p for p in people if int(p["ngay_sinh"][6:]) < 1985]
    assert 0.04 < sum(len(p["so_cccd"]) == 9 for p in old) / len(old) < 0.13
    assert Counter(p["chuc_vu_cong_doan"] for p in people)["Chủ tịch"] == 1
    assert generate_people(5, seed=3) == generate_people(5, seed=3)
    assert generate_people(5, seed=3) != generate_people(5, seed=4)


def test_tohop_keeps_text():
    import unicodedata

    t = to_tohop("Nguyễn Thị Thuỷ")
    assert t != "Nguyễn Thị Thuỷ" and unicodedata.normalize("NFC", t) == "Nguyễn Thị Thuỷ"


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_same_seed_same_bytes(tmp_path, fmt):
    members = generate_people(60, seed=5)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    t1 = write_unit_file(tmp_path / "a" / f"u01.{fmt}", UNIT, members, seed=9)
    t2 = write_unit_file(tmp_path / "b" / f"u01.{fmt}", UNIT, members, seed=9)
    assert _sha(tmp_path / "a" / f"u01.{fmt}") == _sha(tmp_path / "b" / f"u01.{fmt}")
    assert t1.to_dict() == t2.to_dict()
    write_unit_file(tmp_path / "b" / f"u01.{fmt}", UNIT, members, seed=10)
    assert _sha(tmp_path / "a" / f"u01.{fmt}") != _sha(tmp_path / "b" / f"u01.{fmt}")


def test_bytes_do_not_depend_on_python_hash_seed(tmp_path):
    import subprocess
    import sys

    code = ("import sys; from unionclean.synth import generate_people, write_unit_file; "
            "write_unit_file(sys.argv[1], 'Công đoàn Trường THCS Nguyễn Du', generate_people(40, 2), seed=2, "
            "layout={'sheets_mode': 'per_team', 'summary_sheet': True, 'hidden_sheet': True})")
    digests = set()
    for hs in ("1", "2"):
        out = tmp_path / f"h{hs}.xlsx"
        subprocess.run([sys.executable, "-c", code, str(out)], check=True, env={"PYTHONHASHSEED": hs})
        digests.add(_sha(out))
    assert len(digests) == 1


# -- truth locations -------------------------------------------------------------------------------
def _read(path, truth) -> dict:
    """(sheet, row, letter) → (value, font) for every non-empty cell."""
    out = {}
    if truth.layout["format"] == "xlsx":
        wb = openpyxl.load_workbook(path)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if c.value is not None:
                        out[(ws.title, c.row, c.column_letter)] = (c.value, c.font.name)
        return out
    enc = truth.layout["format"].split(":")[1]
    text = path.read_bytes().decode(enc)
    for i, rec in enumerate(csv.reader(io.StringIO(text, newline="")), 1):
        for k, v in enumerate(rec):
            if v:
                out[("", i, col_letter(k))] = (v, None)
    return out


def _name_of(cells, r, letters) -> str:
    from unionclean.normalize.legacy import decode, encoding_from_font

    parts = []
    for letter in letters:
        v, font = cells.get((r.sheet, r.row, letter), ("", None))
        enc = encoding_from_font(font)
        parts.append(decode(str(v), enc) if enc else str(v))
    return fold(" ".join(parts).replace("\u200b", ""))


def _check_locations(path, truth) -> None:
    cells = _read(path, truth)
    members = {m["member_id"]: m for m in truth.members}
    for r in truth.rows:
        sheet = truth.layout["sheets"][r.sheet]
        assert sheet["first_data_row"] <= r.row <= sheet["last_data_row"]
        m = members[r.member_id]
        got = _name_of(cells, r, sheet["columns"]["ho_ten"])
        if r.outcome["ho_ten"] == "value":
            assert got == fold(m["ho_ten"]), r.location
        elif r.outcome["ho_ten"] == "alt":
            assert got == fold(r.alt["ho_ten"][0]), r.location
        if r.outcome["so_cccd"] == "value":
            v, _ = cells[(r.sheet, r.row, sheet["columns"]["so_cccd"][0])]
            digits = "".join(ch for ch in str(v) if ch.isdigit())
            assert digits.lstrip("0") == m["so_cccd"].lstrip("0"), r.location
        if r.outcome["ngay_sinh"] == "value" and len(sheet["columns"]["ngay_sinh"]) == 1:
            v, _ = cells[(r.sheet, r.row, sheet["columns"]["ngay_sinh"][0])]
            dob = _d(m["ngay_sinh"])
            if isinstance(v, datetime):
                assert v.date() == dob
            elif isinstance(v, (int, float)):
                assert (dob - date(1899, 12, 30)).days == v
            else:
                assert str(dob.year) in v or f"{dob.year % 100:02d}" in v


LAYOUTS = [
    ("xlsx", {"sheets_mode": "per_team", "header_rows": 2, "summary_sheet": True, "hidden_sheet": True,
              "title_rows": 6, "footer": True, "column_number_row": True}, "tcvn3"),
    ("xlsx", {"sheets_mode": "groups", "name_mode": "split2", "gender_mode": "x", "dob3": True,
              "header_rows": 2, "subtotals": True, "blank_rows": True}, "mixed:vni"),
    ("xlsx", {"sheets_mode": "flat", "header_rows": 1, "title_rows": 3}, "vni"),
    ("csv", {"sheets_mode": "groups", "header_rows": 2, "csv_encoding": "utf-16"}, None),
    ("csv", {"sheets_mode": "flat", "title_rows": 0, "csv_encoding": "cp1258", "footer": True}, None),
]


@pytest.mark.parametrize("fmt,layout,encoding", LAYOUTS)
def test_truth_rows_point_at_member_cells(tmp_path, fmt, layout, encoding):
    members = generate_people(90, seed=21)
    path = tmp_path / f"u07.{fmt}"
    truth = write_unit_file(path, UNIT, members, seed=4, mess_level="high", layout=layout, encoding=encoding)
    assert len(truth.members) == 90 and len(truth.rows) >= 90
    assert {r.member_id for r in truth.rows} == {m["member_id"] for m in truth.members}
    _check_locations(path, truth)
    if fmt == "xlsx":
        wb = openpyxl.load_workbook(path)
        states = {ws.title: ws.sheet_state for ws in wb.worksheets}
        if layout.get("hidden_sheet"):
            assert "hidden" in states.values()
        if layout.get("summary_sheet"):
            assert "Tổng hợp" in states
        if layout["sheets_mode"] == "per_team":
            assert len(truth.layout["sheets"]) >= 2
        if layout["header_rows"] == 2:
            ws = wb[next(iter(truth.layout["sheets"]))]
            assert ws.merged_cells.ranges
        if encoding in ("tcvn3", "vni"):
            ws = wb[next(iter(truth.layout["sheets"]))]
            fonts = {c.font.name for row in ws.iter_rows(max_row=20) for c in row if c.value is not None}
            assert fonts & {".VnTime", ".VnTimeH", "VNI-Times"}
    else:
        sheet = truth.layout["sheets"][""]
        first = truth.rows[0]
        assert first.sheet == "" and first.row >= sheet["header_row"] + sheet["header_rows"]


def test_flags_at_requested_rate(tmp_path):
    members = generate_people(200, seed=8)
    truth = write_unit_file(tmp_path / "u02.xlsx", UNIT, members, seed=2, flag_rate=0.1, encoding=None,
                            layout={"present": ["so_dien_thoai", "email", "ghi_chu"], "name_mode": "single",
                                    "dob3": False, "gender_mode": "single", "sheets_mode": "flat"})
    flagged = [r for r in truth.rows if r.flagged]
    assert len(flagged) == 20
    cells = _read(tmp_path / "u02.xlsx", truth)
    letters = truth.layout["sheets"][flagged[0].sheet]["columns"]
    kinds = Counter()
    for r in flagged:
        for f, why in r.flag_why.items():
            assert r.outcome[f] == "flag"
            kinds[why] += 1
            v, _ = cells.get((r.sheet, r.row, letters[f][0]), ("", None))
            shown = str(int(v)) if isinstance(v, (int, float)) else str(v)
            if f != "gioi_tinh":
                assert shown in r.flag_ok[f] or shown.upper() in r.flag_ok[f], (f, shown, r.flag_ok)
    assert len(kinds) >= 6
    dup_ids = {m for c in truth.clusters for m in c.member_ids}
    assert not dup_ids & {r.member_id for r in flagged}
    clean = write_unit_file(tmp_path / "u03.csv", UNIT, members, seed=2, mess_level="clean")
    assert not any(r.flagged for r in clean.rows) and not clean.clusters


def test_duplicate_clusters(tmp_path):
    members = generate_people(120, seed=3)
    truth = write_unit_file(tmp_path / "u04.xlsx", UNIT, members, seed=3, dup_rate=0.05)
    within = [c for c in truth.clusters if c.kind == "within_unit"]
    assert len(within) == 6 and all(len(c.rows) == 2 for c in within)
    nd = [c for c in truth.clusters if c.kind == "not_duplicate"]
    assert nd
    by_id = {m["member_id"]: m for m in truth.members}
    for c in nd:
        a, b = (by_id[i] for i in c.member_ids)
        assert a["ho_ten"] == b["ho_ten"] and a["so_cccd"] != b["so_cccd"]


def test_practice_files(tmp_path):
    a = practice_file(tmp_path / "a.xlsx", "Nguyễn Văn Hùng", "full")
    practice_file(tmp_path / "a2.xlsx", " nguyễn văn  hùng ", "full")
    b = practice_file(tmp_path / "b.xlsx", "Trần Thị Mai", "full")
    assert 20 <= len(a.members) <= 40
    assert _sha(tmp_path / "a.xlsx") == _sha(tmp_path / "a2.xlsx")
    assert _sha(tmp_path / "a.xlsx") != _sha(tmp_path / "b.xlsx")
    assert a.members != b.members
    enc = practice_file(tmp_path / "e.xlsx", "Trần Thị Mai", "encoding")
    assert enc.layout["encoding"] == "mixed:tcvn3"
    dates = practice_file(tmp_path / "d.xlsx", "Trần Thị Mai", "dates")
    assert {w for r in dates.rows for w in r.flag_why.values()} <= {"date.year_only", "date.zero_day_month",
                                                                     "date.month_year_only", "date.join_implausible"}
    assert set(EXERCISES) >= {"encoding", "dates", "ids", "duplicates", "full"}
    with pytest.raises(ValueError):
        practice_file(tmp_path / "x.xlsx", "A", "no-such-exercise")


def test_dataset_with_cross_unit_duplicates(tmp_path):
    truth = generate_dataset(tmp_path, 5, (20, 30), seed=1, cross_unit_rate=0.04)
    files = sorted(p.name for p in tmp_path.iterdir() if p.is_file())
    assert len(files) == 5 and {u.file for u in truth.units} == set(files)
    cross = [c for c in truth.clusters if c.kind == "cross_unit"]
    assert cross
    units = {u.unit: u for u in truth.units}
    for c in cross:
        a, b = c.member_ids
        assert a.split("-")[0] != b.split("-")[0]
        ma = next(m for m in units[a.split("-")[0]].members if m["member_id"] == a)
        mb = next(m for m in units[b.split("-")[0]].members if m["member_id"] == b)
        assert ma["so_cccd"] == mb["so_cccd"] and ma["ho_ten"] == mb["ho_ten"]
    manifest = json.loads((tmp_path / "truth" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["members"] == truth.n_members
    with open(tmp_path / "truth" / "rows.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == sum(len(u.rows) for u in truth.units)
    assert set(FLAG_KINDS)  # the public table is importable
