"""Column mapping: header aliases (table-driven), split fields, conflicts, overrides, recipes."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from unionclean.layout import SheetLayout, detect_layout
from unionclean.mapping import (ColumnMapping, map_columns, mapping_from_dict, match_header,
                                parse_gender_codes)
from unionclean.messages import has_message
from unionclean.model import Cell
from unionclean.read.base import Row, SheetData, column_letter

CASES = Path(__file__).parent / "cases" / "header_cases.csv"


def _cases() -> list[tuple[str, str]]:
    with CASES.open(encoding="utf-8", newline="") as f:
        return [(r["header"], r["expected"]) for r in csv.DictReader(f)]


def _meaning(header: str) -> str:
    ms = match_header(header)
    if not ms:
        return "none"
    m = ms[0]
    return {"field": m.target, "ignore": "ignore", "stt": "stt", "part": f"part:{m.target}",
            "group": "group"}[m.category]


def test_enough_header_cases() -> None:
    assert len(_cases()) >= 120


@pytest.mark.parametrize(("header", "expected"), _cases())
def test_header_case(header: str, expected: str) -> None:
    assert _meaning(header) == expected


def test_exact_alias_scores_100_fuzzy_less() -> None:
    assert match_header("Họ và tên")[0].score == 100
    fuzzy = match_header("Họ và tên đoàn viên công đoàn")[0]
    assert fuzzy.target == "ho_ten" and 85 <= fuzzy.score < 100
    assert match_header("Địa chỉ")[0].score == 90            # weak alias


def test_relatives_are_not_the_member() -> None:
    assert match_header("Họ và tên chồng") == ()
    assert match_header("Ngày sinh của con") == ()


@pytest.mark.parametrize(("header", "codes"), [
    ("Giới tính (1: Nam, 0: Nữ)", (("1", "Nam"), ("0", "Nữ"))),
    ("GT (Nam = 1; Nữ = 2)", (("1", "Nam"), ("2", "Nữ"))),
    ("Giới tính (0-Nữ, 1-Nam)", (("0", "Nữ"), ("1", "Nam"))),
    ("Giới tính (M: Nam, F: Nữ)", (("M", "Nam"), ("F", "Nữ"))),
    ("Giới tính", ()),
    ("Nam - Nữ", ()),
])
def test_gender_codes(header: str, codes: tuple) -> None:
    assert parse_gender_codes(header) == codes


# ----------------------------------------------------------------------------- helpers
def _layout(*header_rows: list[str | None], merged=(), data: list | None = None) -> SheetLayout:
    rows = [Row(i + 1, [Cell(t) if t else None for t in texts]) for i, texts in enumerate(header_rows)]
    n = len(rows)
    for k, values in enumerate(data or []):
        rows.append(Row(n + k + 1, [Cell(v) if v else None for v in values]))
    return detect_layout(SheetData("S", rows=rows, merged=list(merged)))


def _letters(m: ColumnMapping) -> dict[str, tuple[str, list[str]]]:
    return {f: (s.kind, [column_letter(c) for c in s.columns]) for f, s in m.sources.items()}


# ----------------------------------------------------------------------------- split fields
def test_name_parts_two_columns_under_group() -> None:
    lay = _layout(["STT", "Họ và tên", None, "Ngày sinh", "CCCD"],
                  [None, "Họ và tên đệm", "Tên", None, None],
                  merged=[(1, 1, 1, 2), (1, 0, 2, 0), (1, 3, 2, 3), (1, 4, 2, 4)])
    got = _letters(map_columns(lay))
    assert got["ho_ten"] == ("name_parts", ["B", "C"])
    assert lay.headers[1] == "Họ và tên / Họ và tên đệm" and lay.headers[2] == "Họ và tên / Tên"
    assert lay.headers_parts[2] == ("Họ và tên", "Tên")


def test_name_parts_three_columns_side_by_side() -> None:
    lay = _layout(["TT", "Họ", "Chữ đệm", "Tên", "Năm sinh", "Giới tính"])
    got = _letters(map_columns(lay))
    assert got["ho_ten"] == ("name_parts", ["B", "C", "D"])
    assert got["ngay_sinh"] == ("single", ["E"])


def test_name_parts_ho_dem_ten_single_row() -> None:
    m = map_columns(_layout(["STT", "Họ đệm", "Tên", "Ngày tháng năm sinh", "GT", "Số CCCD"]))
    assert _letters(m)["ho_ten"] == ("name_parts", ["B", "C"])
    assert m.sources["ho_ten"].headers == ("Họ đệm", "Tên")


def test_date_parts_under_birth_date_and_join_date() -> None:
    lay = _layout(["Họ và tên", "Ngày sinh", None, None, "Giới tính", "Ngày vào CĐ", None, None],
                  [None, "Ngày", "Tháng", "Năm", None, "Ngày", "Tháng", "Năm"],
                  merged=[(1, 1, 1, 3), (1, 5, 1, 7)])
    got = _letters(map_columns(lay))
    assert got["ngay_sinh"] == ("date_parts", ["B", "C", "D"])
    assert got["ngay_vao_cong_doan"] == ("date_parts", ["F", "G", "H"])
    assert got["gioi_tinh"] == ("single", ["E"])


def test_date_parts_without_diacritics_nam_is_year() -> None:
    lay = _layout(["Ho ten", "Ngay sinh", None, None, "GT"], [None, "Ngay", "Thang", "Nam", None],
                  merged=[(1, 1, 1, 3)])
    assert _letters(map_columns(lay))["ngay_sinh"] == ("date_parts", ["B", "C", "D"])


def test_gender_split_under_group_without_merge_info() -> None:
    lay = _layout(["TT", "Họ và tên", "CCCD", "Giới tính", None, "Ngày sinh"],
                  [None, None, None, "Nam", "Nữ", None])
    assert lay.header_rows == (1, 2)
    assert lay.headers[3] == "Giới tính / Nam" and lay.headers[4] == "Giới tính / Nữ"
    m = map_columns(lay)
    assert _letters(m)["gioi_tinh"] == ("gender_split", ["D", "E"])
    assert m.sources["gioi_tinh"].headers == ("Giới tính / Nam", "Giới tính / Nữ")


def test_gender_split_side_by_side() -> None:
    got = _letters(map_columns(_layout(["TT", "HỌ TÊN", "Ngày sinh", "Nam", "Nữ", "CCCD"])))
    assert got["gioi_tinh"] == ("gender_split", ["D", "E"])


def test_single_gender_column_with_codes() -> None:
    m = map_columns(_layout(["Họ và tên", "Ngày sinh", "Giới tính (1: Nam, 0: Nữ)"]))
    assert m.sources["gioi_tinh"].kind == "single"
    assert m.sources["gioi_tinh"].gender_codes == (("1", "Nam"), ("0", "Nữ"))


def test_two_row_sub_labels_name_the_field() -> None:
    lay = _layout(["TT", "HỌ TÊN", "Trình độ", None, None, "Liên hệ", None],
                  [None, None, "Văn hóa", "Trình độ chuyên môn", "Lý luận chính trị", "SĐT", "E-mail"],
                  merged=[(1, 2, 1, 4), (1, 5, 1, 6), (1, 0, 2, 0), (1, 1, 2, 1)])
    got = _letters(map_columns(lay))
    assert got["trinh_do_van_hoa"] == ("single", ["C"])
    assert got["trinh_do_chuyen_mon"] == ("single", ["D"])
    assert got["ly_luan_chinh_tri"] == ("single", ["E"])
    assert got["so_dien_thoai"] == ("single", ["F"])
    assert got["email"] == ("single", ["G"])
    assert lay.headers[6] == "Liên hệ / E-mail"


# ----------------------------------------------------------------------------- conflicts
def test_traps_are_ignored_not_mapped() -> None:
    m = map_columns(_layout(["STT", "Họ và tên", "Ngày vào làm", "Ngày sinh", "Ngày cấp", "Số CMND/CCCD",
                             "Nơi cấp", "Số thẻ đoàn viên", "Số sổ BHXH", "Ngày vào Đảng", "Ngày vào CĐ"]))
    got = _letters(m)
    assert got["ngay_sinh"] == ("single", ["D"])
    assert got["so_cccd"] == ("single", ["F"])
    assert got["ngay_vao_cong_doan"] == ("single", ["K"])
    assert [h for _, h in m.ignored] == ["Ngày vào làm", "Ngày cấp", "Nơi cấp", "Số thẻ đoàn viên",
                                         "Số sổ BHXH", "Ngày vào Đảng"]
    assert m.unmapped == [] and m.stt_column == 0
    assert "stt" not in m.sources


def test_strong_alias_beats_weak_alias() -> None:
    m = map_columns(_layout(["Họ và tên", "Ngày sinh", "Chức vụ", "Chức vụ CĐ", "Địa chỉ", "Nơi ở hiện nay"]))
    got = _letters(m)
    assert got["chuc_vu_cong_doan"] == ("single", ["D"])
    assert got["noi_o_hien_nay"] == ("single", ["F"])
    assert sorted(h for _, h in m.unmapped) == ["Chức vụ", "Địa chỉ"]
    assert m.ambiguous == []


def test_weak_alias_used_when_alone() -> None:
    got = _letters(map_columns(_layout(["Họ và tên", "Ngày sinh", "Chức vụ", "Địa chỉ"])))
    assert got["chuc_vu_cong_doan"] == ("single", ["C"]) and got["noi_o_hien_nay"] == ("single", ["D"])


def test_two_equal_columns_are_ambiguous_first_wins() -> None:
    m = map_columns(_layout(["Họ và tên", "Ngày sinh", "Điện thoại", "Di động"]))
    assert _letters(m)["so_dien_thoai"] == ("single", ["C"])
    assert m.ambiguous == [("so_dien_thoai", [(2, "Điện thoại", 100.0), (3, "Di động", 100.0)])]
    assert m.unmapped == [(3, "Di động")]


def test_full_name_column_wins_over_lone_given_name() -> None:
    m = map_columns(_layout(["Họ và tên", "Tên", "Ngày sinh"]))
    assert _letters(m)["ho_ten"] == ("single", ["A"])
    assert m.unmapped == [(1, "Tên")]


def test_spec_limits_fields_and_adds_template_headers() -> None:
    lay = _layout(["Họ và tên", "Ngày sinh", "Email", "Mã bí danh"])
    m = map_columns(lay, ["ho_ten", "ngay_sinh"])
    assert set(m.sources) == {"ho_ten", "ngay_sinh"} and (2, "Email") in m.unmapped
    m2 = map_columns(lay, {"ho_ten": "Họ và tên (*)", "ngay_sinh": "Ngày sinh", "bi_danh": "Mã bí danh"})
    assert _letters(m2)["bi_danh"] == ("single", ["D"])


# ----------------------------------------------------------------------------- overrides
def test_overrides_by_header_letter_and_none() -> None:
    lay = _layout(["STT", "Họ và tên", "Ngày sinh", "Mã NV", "Ghi chú", "Điện thoại"])
    m = map_columns(lay, overrides={"Mã NV": "ghi_chu", "F": None})
    got = _letters(m)
    assert got["ghi_chu"] == ("single", ["D"])
    assert "so_dien_thoai" not in got
    assert (5, "Điện thoại") in m.ignored and (4, "Ghi chú") in m.unmapped


def test_override_builds_split_parts() -> None:
    lay = _layout(["STT", "Họ lót", "Tên gọi khác", "Ngày sinh", "Giới tính"])
    m = map_columns(lay, overrides={"Họ lót": "ho_ten.name_family_middle", "C": "ho_ten.name_given"})
    assert _letters(m)["ho_ten"] == ("name_parts", ["B", "C"])


def test_override_changes_member_rows() -> None:
    rows = [["STT", "Tên đầy đủ", "Ngày sinh"], ["1", "Lê Văn An", "01/01/1980"]]
    sheet = SheetData("S", rows=[Row(i + 1, [Cell(v) for v in r]) for i, r in enumerate(rows)])
    assert detect_layout(sheet).kind != "members"
    lay = detect_layout(sheet, overrides={"Tên đầy đủ": "ho_ten"})
    assert lay.kind == "members" and [r.number for r in lay.member_rows] == [2]


# ----------------------------------------------------------------------------- recipes
def test_to_dict_round_trip_json() -> None:
    lay = _layout(["TT", "Họ và tên", "CCCD", "Giới tính", None, "Ngày sinh", None, None, "SĐT"],
                  [None, None, None, "Nam", "Nữ", "Ngày", "Tháng", "Năm", None])
    m = map_columns(lay)
    d = json.loads(json.dumps(m.to_dict(), ensure_ascii=False))
    assert d["gioi_tinh"] == {"headers": ["Giới tính / Nam", "Giới tính / Nữ"], "kind": "gender_split",
                              "columns": ["D", "E"]}
    assert d["ngay_sinh"]["columns"] == ["F", "G", "H"]
    again, problems = mapping_from_dict(d, lay)
    assert problems == []
    assert again.sources.keys() == m.sources.keys()
    assert all(again.sources[f].columns == m.sources[f].columns for f in m.sources)


def test_recipe_finds_moved_columns_and_reports_missing() -> None:
    first = _layout(["STT", "Họ và tên", "Ngày sinh", "Số CCCD", "Mã NV", "Ghi chú"])
    d = map_columns(first, overrides={"Mã NV": "so_dien_thoai"}).to_dict()
    moved = _layout(["STT", "Số CCCD", "Họ và tên", "Ngày sinh", "Ghi chú"])
    m, problems = mapping_from_dict(d, moved)
    assert _letters(m)["ho_ten"] == ("single", ["C"]) and _letters(m)["so_cccd"] == ("single", ["B"])
    assert "so_dien_thoai" not in m.sources
    assert [(p.code, p.field, p.header, p.column) for p in problems] == [
        ("mapping.header_missing", "so_dien_thoai", "Mã NV", "E")]
    assert "Mã NV" in problems[0].message() and has_message(problems[0].code)


def test_recipe_bad_entries_are_problems_not_errors() -> None:
    lay = _layout(["Họ và tên", "Ngày sinh"])
    m, problems = mapping_from_dict({"ho_ten": {"headers": ["Họ và tên"], "kind": "single", "columns": ["A"]},
                                     "ngay_sinh": {"kind": "weird", "headers": ["Ngày sinh"]},
                                     "email": "nonsense"}, lay)
    assert set(m.sources) == {"ho_ten"}
    assert sorted(p.code for p in problems) == ["mapping.bad_entry", "mapping.bad_entry"]
    assert (1, "Ngày sinh") in m.unmapped


def test_recipe_codes_have_messages() -> None:
    for code in ("mapping.header_missing", "mapping.header_ambiguous", "mapping.bad_entry"):
        assert has_message(code)


def test_side_by_side_day_month_year_headers_are_one_date():
    from unionclean.layout import detect_layout
    from unionclean.mapping import map_columns
    from unionclean.model import Cell
    from unionclean.read.base import Row, SheetData

    head = ["STT", "Họ và tên", "Ngày sinh", "Tháng sinh", "Năm sinh", "Giới tính", "Số CCCD"]
    rows = [Row(1, [Cell(h) for h in head])]
    for i in range(2, 6):
        rows.append(Row(i, [Cell(str(i - 1)), Cell("Nguyễn Văn An"), Cell("11"), Cell("5"), Cell("1989"),
                            Cell("Nam"), Cell("066089999214")]))
    lay = detect_layout(SheetData("DS", rows=rows))
    src = map_columns(lay).sources["ngay_sinh"]
    assert (src.kind, src.columns) == ("date_parts", (2, 3, 4))


def test_every_alias_is_text_and_no_is_a_row_number_header():
    from unionclean.mapping import aliases, match_exact

    aliases.cache_clear()
    aliases()  # raises on an alias YAML did not read as text (a bare No is false)
    assert [m.target for m in match_exact("No")] == ["stt"]
    assert match_exact("False") == ()
