"""Sheet layout: header detection (title blocks, two-row merged headers) and row classification."""
from __future__ import annotations

import time
from datetime import datetime

import pytest

from unionclean.layout import KINDS, REASONS, detect_layout
from unionclean.messages import has_message
from unionclean.model import Cell
from unionclean.read.base import Row, SheetData, column_letter


def _cell(v) -> Cell | None:
    if v is None:
        return None
    if isinstance(v, Cell):
        return v
    if isinstance(v, datetime):
        return Cell(v.date().isoformat(), "d", v.date())
    if isinstance(v, int):
        return Cell(str(v), "n", v)
    return Cell(v)


def _sheet(rows: dict[int, list], name: str = "Tổ 1", hidden: bool = False, merged=(),
           hidden_rows: tuple[int, ...] = ()) -> SheetData:
    return SheetData(name, hidden, [Row(n, [_cell(v) for v in vals], n in hidden_rows)
                                    for n, vals in sorted(rows.items())], list(merged))


# The messy sheet: title block, two-row merged header, column numbers, group rows, members
# (one hidden), a blank row, a subtotal with counts under Nam/Nữ, a lone name, a row without a
# name, a grand total, the footer and two signature names (one under the phone column).
MESSY = {
    1: ["LIÊN ĐOÀN LAO ĐỘNG TỈNH ĐỒNG NAI"],
    2: ["CÔNG ĐOÀN CƠ SỞ TRƯỜNG TIỂU HỌC A"],
    3: [None, None, "DANH SÁCH ĐOÀN VIÊN"],
    4: ["(Tính đến ngày 30/6/2025)"],
    6: ["TT", "Họ và tên", "Ngày sinh", "Giới tính", None, "Số CMND/CCCD", "Dân tộc", "Ngày cấp",
        "Liên hệ", None, "Ghi chú"],
    7: [None, None, None, "Nam", "Nữ", None, None, None, "SĐT", "Email", None],
    8: [f"({i})" for i in range(1, 12)],
    9: ["I", "Tổ Văn phòng"],
    10: [1, "Nguyễn Văn An", "01/02/1980", "x", None, "001080000001", "Kinh",
         datetime(2020, 1, 1), "0912345678"],
    11: ["2.", "Trần Thị Bình", datetime(1985, 3, 4), None, "x", 79185000002, "Kinh"],
    12: [None, None, None],
    13: [None, "Cộng: 2 đoàn viên", None, 1, 1],
    14: ["II. Tổ sản xuất"],
    15: [3, "Tô Văn Cường", "1979", "X", None, "CCCD: 036079000003", "Tày"],
    16: [4, "Lê Thị Dung"],
    17: [5, None, "02/03/1985", None, "x", "001185000002"],
    18: [None, "Phòng Kế toán"],
    19: [7, "Lưu Văn Em", "5/6/1990", "x", None, None, "Kinh", None, None, None, "Chủ tịch CĐCS"],
    20: [None, "Tổng cộng: 5 đoàn viên"],
    21: [None, None, None, None, None, None, None, "......., ngày ... tháng ... năm 2025"],
    22: [None, "Người lập biểu", None, None, None, None, None, "TM. BAN CHẤP HÀNH"],
    23: [None, None, None, None, None, None, None, None, "CHỦ TỊCH"],
    27: [None, "Nguyễn Thị Lan", None, None, None, None, None, None, "Đặng Minh Hưng"],
}
MESSY_MERGED = [(6, 0, 7, 0), (6, 1, 7, 1), (6, 2, 7, 2), (6, 3, 6, 4), (6, 5, 7, 5), (6, 6, 7, 6),
                (6, 7, 7, 7), (6, 8, 6, 9), (6, 10, 7, 10), (3, 2, 3, 7)]
MESSY_SKIPPED = [(1, "layout.title_row"), (2, "layout.title_row"), (3, "layout.title_row"),
                 (4, "layout.title_row"), (8, "layout.column_numbers"), (9, "layout.group_row"),
                 (12, "layout.blank"), (13, "layout.subtotal_row"), (14, "layout.group_row"),
                 (16, "layout.name_only"), (17, "layout.no_name"), (18, "layout.group_row"),
                 (20, "layout.subtotal_row"), (21, "layout.footer_row"), (22, "layout.footer_row"),
                 (23, "layout.footer_row"), (27, "layout.signature_row")]


@pytest.mark.parametrize("merged", [MESSY_MERGED, []], ids=["merge-info", "no-merge-info"])
def test_messy_sheet(merged) -> None:
    lay = detect_layout(_sheet(MESSY, merged=merged, hidden_rows=(11,)))
    assert lay.kind == "members" and lay.sheet == "Tổ 1" and not lay.hidden
    assert lay.header_rows == (6, 7)
    assert lay.headers[3] == "Giới tính / Nam" and lay.headers[4] == "Giới tính / Nữ"
    assert lay.headers[8] == "Liên hệ / SĐT" and lay.headers[9] == "Liên hệ / Email"
    assert lay.headers[1] == "Họ và tên" and lay.headers_parts[9] == ("Liên hệ", "Email")
    assert [r.number for r in lay.member_rows] == [10, 11, 15, 19]
    assert [r.hidden for r in lay.member_rows] == [False, True, False, False]
    assert lay.skipped == MESSY_SKIPPED
    assert lay.suspicious == [(16, "layout.name_only"), (17, "layout.no_name")]
    src = {f: (s.kind, [column_letter(c) for c in s.columns]) for f, s in lay.mapping.sources.items()}
    assert src == {"ho_ten": ("single", ["B"]), "ngay_sinh": ("single", ["C"]),
                   "gioi_tinh": ("gender_split", ["D", "E"]), "so_cccd": ("single", ["F"]),
                   "dan_toc": ("single", ["G"]), "so_dien_thoai": ("single", ["I"]),
                   "email": ("single", ["J"]), "ghi_chu": ("single", ["K"])}
    assert lay.mapping.ignored == [(7, "Ngày cấp")]


def test_header_on_first_row_and_plain_list() -> None:
    lay = detect_layout(_sheet({1: ["STT", "Họ tên", "Năm sinh", "GT", "CCCD"],
                                2: [1, "Lê An", 1980, "Nam", "001080000001"],
                                3: [2, "Mai Bình", 1981, "Nữ", "001181000001"]}))
    assert lay.header_rows == (1,) and [r.number for r in lay.member_rows] == [2, 3]
    assert lay.skipped == [] and lay.suspicious == []


def test_column_numbers_as_plain_numbers() -> None:
    lay = detect_layout(_sheet({1: ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "CCCD"],
                                2: [1, 2, 3, 4, 5],
                                3: [1, "Lê Văn An", "01/01/1980", "Nam", "001080000001"]}))
    assert lay.header_rows == (1,) and lay.skipped == [(2, "layout.column_numbers")]
    assert [r.number for r in lay.member_rows] == [3]


def test_split_name_date_and_gender_sheet() -> None:
    rows = {
        1: ["STT", "Họ và tên", None, "Ngày sinh", None, None, "Giới tính", None, "Số CCCD"],
        2: [None, "Họ và tên đệm", "Tên", "Ngày", "Tháng", "Năm", "Nam", "Nữ", None],
        3: [1, "Nguyễn Văn", "An", 1, 2, 1980, "x", None, "001080000001"],
        4: [2, "Trần Thị", "Bình", 3, 4, 1985, None, "x", "001185000002"],
        5: [None, "Tổng số: 2"],
    }
    merged = [(1, 1, 1, 2), (1, 3, 1, 5), (1, 6, 1, 7), (1, 0, 2, 0), (1, 8, 2, 8)]
    lay = detect_layout(_sheet(rows, merged=merged))
    assert lay.header_rows == (1, 2)
    src = {f: (s.kind, s.columns) for f, s in lay.mapping.sources.items()}
    assert src == {"ho_ten": ("name_parts", (1, 2)), "ngay_sinh": ("date_parts", (3, 4, 5)),
                   "gioi_tinh": ("gender_split", (6, 7)), "so_cccd": ("single", (8,))}
    assert [r.number for r in lay.member_rows] == [3, 4]
    assert lay.skipped == [(5, "layout.subtotal_row")]


def test_gender_columns_holding_birth_years_are_member_data() -> None:
    lay = detect_layout(_sheet({1: ["TT", "Họ và tên", "Nam", "Nữ", "Quê quán"],
                                2: [1, "Lê Văn An", 1980, None, None],
                                3: [2, "Mai Thị Bình", None, 1985, None],
                                4: [None, "Cộng", 1, 1]}))
    assert [r.number for r in lay.member_rows] == [2, 3]
    assert lay.skipped == [(4, "layout.subtotal_row")]


def test_repeated_header_and_members_after_subtotal() -> None:
    rows = {1: ["STT", "Họ và tên", "Ngày sinh", "CCCD"],
            2: [1, "Lê Văn An", "01/01/1980", "001080000001"],
            3: [None, "Cộng tổ: 1"],
            4: ["STT", "Họ và tên", "Ngày sinh", "CCCD"],
            5: [2, "Nguyễn Văn Bảo 2", "01/01/1981", "001081000001"]}
    lay = detect_layout(_sheet(rows))
    assert [r.number for r in lay.member_rows] == [2, 5]
    assert lay.skipped == [(3, "layout.subtotal_row"), (4, "layout.repeated_header")]


def test_signature_names_after_grand_total_are_not_suspicious() -> None:
    rows = {1: ["STT", "Họ và tên", "Ngày sinh", "CCCD"],
            2: [1, "Lê Văn An", "01/01/1980", "001080000001"],
            3: [None, "TỔNG CỘNG"],
            5: [None, "Phạm Thị Hoa"]}
    lay = detect_layout(_sheet(rows))
    assert lay.skipped == [(3, "layout.subtotal_row"), (5, "layout.signature_row")]
    assert lay.suspicious == []


def test_group_after_total_reopens_the_data() -> None:
    rows = {1: ["STT", "Họ và tên", "Ngày sinh", "CCCD"],
            2: [1, "Lê Văn An", "01/01/1980", "001080000001"],
            3: [None, "Tổng số: 1"],
            4: ["II", "Phòng Giám đốc"],
            5: [2, "Lê Thị Hoa"],
            6: [3, "Mai Văn Tú", "02/02/1982", "001082000002"]}
    lay = detect_layout(_sheet(rows))
    assert [r.number for r in lay.member_rows] == [2, 6]
    assert lay.skipped == [(3, "layout.subtotal_row"), (4, "layout.group_row"), (5, "layout.name_only")]
    assert lay.suspicious == [(5, "layout.name_only")]


def test_stt_only_and_unrecognised_rows() -> None:
    rows = {1: ["STT", "Họ và tên", "Ngày sinh", "CCCD", "Dân tộc", "Tôn giáo"],
            2: [1, "Lê Văn An", "01/01/1980", "001080000001", "Kinh", "Không"],
            3: [2],
            4: [None, "Ghi chú: danh sách này gồm các tổ", None, None, "Kinh"],
            5: [3, None, "01/01/1982", "001082000001"],
            6: [4, "Danh sách đoàn viên tổ Hành chính năm học 2025 – 2026 đã được duyệt"]}
    lay = detect_layout(_sheet(rows))
    assert lay.skipped == [(3, "layout.stt_only"), (4, "layout.unrecognised"), (5, "layout.no_name"),
                           (6, "layout.group_row")]
    assert lay.suspicious == [(5, "layout.no_name")]


def test_member_footer_words_in_other_columns_stay_members() -> None:
    rows = {1: ["STT", "Họ và tên", "Ngày sinh", "Chức vụ CĐ", "Ghi chú"],
            2: [1, "Chu Văn An", "01/01/1980", "Chủ tịch", "Người lập biểu"],
            3: [2, "Lưu Thị Bình", "01/01/1981", "Kế toán trưởng", None]}
    lay = detect_layout(_sheet(rows))
    assert [r.number for r in lay.member_rows] == [2, 3] and lay.skipped == []


# ----------------------------------------------------------------------------- sheet kinds
def test_summary_sheet() -> None:
    lay = detect_layout(_sheet({1: ["TỔNG HỢP SỐ LƯỢNG ĐOÀN VIÊN"],
                                3: ["STT", "Tổ công đoàn", "Số đoàn viên", "Nam", "Nữ"],
                                4: [1, "Tổ Tiểu học", 35, 9, 26], 5: [2, "Tổ Xã hội", 26, 5, 21]},
                               name="Tổng hợp"))
    assert lay.kind == "summary" and lay.member_rows == [] and lay.suspicious == []


def test_hidden_code_sheet() -> None:
    lay = detect_layout(_sheet({1: ["STT", "Dân tộc", "Tôn giáo"], 2: [1, "Kinh", "Không"],
                                3: [2, "Tày", "Phật giáo"]}, name="DM", hidden=True))
    assert lay.kind == "codes" and lay.hidden and lay.member_rows == []


@pytest.mark.parametrize(("name", "hidden"), [("Danh mục", False), ("Sheet3", False)])
def test_code_sheet_by_name_or_content(name: str, hidden: bool) -> None:
    lay = detect_layout(_sheet({1: ["Dân tộc", "Tôn giáo", "Trình độ chuyên môn"],
                                2: ["Kinh", "Không", "Đại học"]}, name=name, hidden=hidden))
    assert lay.kind == "codes"


@pytest.mark.parametrize("rows", [{}, {1: [None, None], 2: [Cell("  "), None]}])
def test_empty_sheet(rows) -> None:
    lay = detect_layout(_sheet(rows, name="Sheet2"))
    assert lay.kind == "empty" and lay.header_rows == () and lay.skipped == []


def test_no_header_sheet_keeps_member_like_rows() -> None:
    rows = {1: ["Danh sách tổ 3"],
            2: ["Nguyễn Văn An", "01/02/1980", "001080000001"],
            3: ["Trần Thị Bình", datetime(1985, 1, 1), "Kinh"],
            4: ["Ghi nhớ họp tổ", "thứ hai"]}
    lay = detect_layout(_sheet(rows, name="Tổ 3"))
    assert lay.kind == "no_header" and lay.member_rows == []
    assert lay.suspicious == [(2, "layout.member_like"), (3, "layout.member_like")]
    assert lay.skipped == lay.suspicious


def test_header_needs_a_name_column_for_members() -> None:
    lay = detect_layout(_sheet({1: ["STT", "Ngày sinh", "Giới tính", "CCCD"],
                                2: [1, "01/01/1980", "Nam", "001080000001"]}, name="Tổ 4"))
    assert lay.kind == "no_header" and lay.header_rows == (1,)


# ----------------------------------------------------------------------------- catalogue, speed
def test_every_reason_has_a_message() -> None:
    assert all(has_message(code) for code in REASONS)
    assert set(KINDS) == {"members", "summary", "codes", "empty", "no_header"}


def test_row_classification_is_cheap() -> None:
    header = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Dân tộc", "SĐT"]
    rows = [Row(1, [Cell(h) for h in header])]
    for i in range(20_000):
        rows.append(Row(i + 2, [Cell(str(i + 1), "n", i + 1), Cell(f"Nguyễn Văn An{'h' * (i % 7)}"),
                                Cell("01/02/1980"), Cell("Nam"), Cell("001080000001"), Cell("Kinh"),
                                None]))
    t = time.perf_counter()
    lay = detect_layout(SheetData("S", rows=rows))
    elapsed = time.perf_counter() - t
    assert len(lay.member_rows) == 20_000
    assert elapsed < 1.5, f"{elapsed:.2f}s for 20,000 rows"


@pytest.mark.pure_only
def test_header_scan_skips_rows_that_cannot_win_but_not_better_ones(monkeypatch) -> None:
    import unionclean.layout as layout_mod

    full = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Dân tộc"]
    rows = {1: ["DANH SÁCH"], 2: ["STT", "Họ tên", "Ngày sinh"], 4: full}
    # Text-only member rows (as in CSV), as many text cells as the header has.
    rows.update({n: [str(n - 4), f"Lê Văn {chr(60 + n)}", "01/02/1980", "Nam",
                     f"0010800000{n:02d}", "Kinh"] for n in range(5, 31)})
    scored: list[int] = []
    real = layout_mod._header_score

    def spy(row, overrides):
        scored.append(row.number)
        return real(row, overrides)

    monkeypatch.setattr(layout_mod, "_header_score", spy)
    lay = detect_layout(_sheet(rows))
    assert lay.header_rows == (4,)                    # the fuller header later on wins
    assert lay.skipped[:2] == [(1, "layout.title_row"), (2, "layout.title_row")]
    assert len(lay.member_rows) == 26
    assert 2 in scored and 4 in scored
    assert not any(n > 4 for n in scored)             # member rows cannot beat the header
