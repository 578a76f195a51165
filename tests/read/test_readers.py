"""Readers: values, positions, layout facts, encodings, and every read.* error."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from conftest import (SECRET, encrypt_xlsx, make_big_xlsx, make_zip, rewrite_sheet1,
                      zip_with_declared_size)
from unionclean.errors import InputFileError
from unionclean.messages import catalogue, message
from unionclean.model import Cell
from unionclean.read import iter_input_files, read_workbook
from unionclean.read.xlsx import CellMaker, number_text
from unionclean.synth.layout import encode_cp1258


def cells_by_ref(sheet) -> dict[str, Cell]:
    """{"C5": Cell, ...} for the non-empty cells of a sheet."""
    from unionclean.read import column_letter

    return {f"{column_letter(i)}{row.number}": c
            for row in sheet.rows for i, c in enumerate(row.cells) if c is not None}


# -- xlsx ------------------------------------------------------------------------------------

def test_xlsx_values_positions_and_layout(xlsx_file: Path) -> None:
    wb = read_workbook(xlsx_file)
    assert wb.format == "xlsx" and wb.encoding is None
    assert [(s.name, s.hidden) for s in wb.sheets] == [
        ("Tổ 1", False), ("Ẩn", True), ("Rất ẩn", True), ("Trống", False)]
    s = wb.sheets[0]
    got = cells_by_ref(s)
    assert got["C5"] == Cell("Nguyễn Văn Nam", "s", None, None)
    assert got["D5"] == Cell("79215000000", "n", 79215000000)
    assert got["E5"] == Cell("12.5", "n", 12.5)
    assert got["F5"] == Cell("1980-08-15", "d", got["F5"].value)
    assert got["F5"].value in (dt.date(1980, 8, 15), dt.datetime(1980, 8, 15))
    assert got["G5"] == Cell("TRUE", "b", True)
    assert (got["D6"], got["E6"], got["G6"]) == (Cell("1", "n", 1), Cell("0", "n", 0), Cell("FALSE", "b", False))
    assert got["F6"] == Cell("2020-01-02 03:04:05", "d", dt.datetime(2020, 1, 2, 3, 4, 5))
    assert got["C3"].text == "DANH SÁCH ĐOÀN VIÊN"
    assert [r.number for r in s.rows] == [3, 5, 6, 9]  # row 8 holds only blanks
    assert [r.hidden for r in s.rows] == [False, False, True, False]
    assert {len(r.cells) for r in s.rows} == {7}  # columns A..G for every row
    assert s.rows[1].cells[:2] == [None, None]
    assert s.merged == [(3, 2, 3, 5)]
    assert all(c.font is None for c in got.values())  # no legacy font: fonts not tracked
    assert cells_by_ref(wb.sheets[2]) == {"B2": Cell("3.25", "n", 3.25)}
    assert wb.sheets[3].rows == []


def test_xlsx_legacy_fonts_per_cell(legacy_xlsx: Path) -> None:
    got = cells_by_ref(read_workbook(legacy_xlsx).sheets[0])
    assert got["C5"].text == "NguyÔn V¨n Nam" and got["C5"].font == ".VnTime"
    assert got["C6"].font == "VNI-Times"
    assert got["D5"].font == "Calibri"  # the default font, for every other cell


@pytest.mark.parametrize("variant", ["prefix", "order"])
def test_xlsx_unusual_xml_spelling(tmp_path: Path, legacy_xlsx: Path, variant: str) -> None:
    def facts(path: Path):
        s = read_workbook(path).sheets[0]
        return s.merged, [(r.number, r.hidden, r.cells) for r in s.rows]

    assert facts(rewrite_sheet1(legacy_xlsx, tmp_path / "khac.xlsx", variant)) == facts(legacy_xlsx)


def test_xlsm_and_lying_extensions(tmp_path: Path, xlsx_file: Path, xls_file: Path) -> None:
    xlsm = shutil.copy(xlsx_file, tmp_path / "macro.xlsm")
    assert read_workbook(xlsm).format == "xlsm"
    as_xls = shutil.copy(xlsx_file, tmp_path / "that_ra_xlsx.xls")
    wb = read_workbook(as_xls)
    assert wb.format == "xlsx" and cells_by_ref(wb.sheets[0])["D5"].text == "79215000000"
    as_xlsx = shutil.copy(xls_file, tmp_path / "that_ra_xls.xlsx")
    assert read_workbook(as_xlsx).format == "xls"
    as_csv = tmp_path / "csv_doi_ten.xlsx"
    as_csv.write_text("Họ tên;Năm sinh\nLê Văn C;1980\n", encoding="utf-8")
    wb = read_workbook(as_csv)
    assert wb.format == "csv" and wb.sheets[0].rows[1].cells[1].text == "1980"


# -- xls -------------------------------------------------------------------------------------

def test_xls_values_fonts_hidden_merged(xls_file: Path) -> None:
    wb = read_workbook(xls_file)
    assert wb.format == "xls"
    assert [(s.name, s.hidden) for s in wb.sheets] == [("To 1", False), ("An", True), ("Trong", False)]
    s = wb.sheets[0]
    got = cells_by_ref(s)
    # TCVN3 text comes through as the same Latin-1-looking characters as in .xlsx.
    assert got["C5"] == Cell("NguyÔn V¨n Nam", "s", None, ".VnTime")
    assert got["C6"].font == "VNI-Times"
    assert got["D5"] == Cell("79215000000", "n", 79215000000, "Arial")
    assert (got["E5"].text, got["F5"].text, got["F5"].kind, got["G5"].text) == ("12.5", "1980-08-15", "d", "TRUE")
    assert [(r.number, r.hidden) for r in s.rows] == [(3, False), (5, False), (6, True), (9, False)]
    assert s.merged == [(3, 2, 3, 5)]


# -- csv -------------------------------------------------------------------------------------

CSV_TEXT = 'STT,Họ và tên,Ghi chú\n1,Nguyễn Văn Ân,"dòng 1\ndòng 2"\n\n2,Trần Thị Ý,\n'


@pytest.mark.parametrize("encoding, expected", [
    ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("utf-8", "utf-8"), ("cp1258", "cp1258"),
])
def test_csv_encodings(tmp_path: Path, encoding: str, expected: str) -> None:
    import unicodedata

    path = tmp_path / "ds.csv"
    path.write_bytes(encode_cp1258(CSV_TEXT) if encoding == "cp1258" else CSV_TEXT.encode(encoding))
    wb = read_workbook(path)
    assert (wb.format, wb.encoding, wb.sheets[0].name) == ("csv", expected, "")
    rows = wb.sheets[0].rows
    assert [r.number for r in rows] == [1, 2, 4]  # records; the blank record 3 is dropped
    texts = [[c and unicodedata.normalize("NFC", c.text) for c in r.cells] for r in rows]
    assert texts == [["STT", "Họ và tên", "Ghi chú"], ["1", "Nguyễn Văn Ân", "dòng 1\ndòng 2"],
                     ["2", "Trần Thị Ý", None]]
    assert all(c is None or c.kind == "s" for r in rows for c in r.cells)


@pytest.mark.parametrize("sep", [";", "\t", ","])
def test_csv_delimiters(tmp_path: Path, sep: str) -> None:
    path = tmp_path / "ds.csv"
    path.write_text(sep.join(["Họ tên", '"Địa chỉ, tỉnh"', "SĐT"]) + "\n"
                    + sep.join(["A", '"Số 1, Biên Hòa"', "0912345678"]) + "\n", encoding="utf-8")
    rows = read_workbook(path).sheets[0].rows
    assert [len(r.cells) for r in rows] == [3, 3]
    assert rows[1].cells[1].text == "Số 1, Biên Hòa" and rows[1].cells[2].text == "0912345678"


# -- cells -----------------------------------------------------------------------------------

@pytest.mark.parametrize("value, text", [
    (79215000000.0, "79215000000"), (12.5, "12.5"), (1e-07, "0.0000001"), (-0.0, "0"),
    (1e20, "100000000000000000000"), (0.1 + 0.2, "0.30000000000000004"), (7, "7"),
])
def test_number_text(value: float, text: str) -> None:
    assert number_text(value) == text
    assert CellMaker.make(value).text == text


def test_cellmaker_keeps_booleans_apart_from_numbers() -> None:
    cells = CellMaker().row([1.0, True, 1, False, 0.0, "", " ", "Nam", "Nam"])
    assert [c and (c.text, c.kind) for c in cells] == [
        ("1", "n"), ("TRUE", "b"), ("1", "n"), ("FALSE", "b"), ("0", "n"), None, None,
        ("Nam", "s"), ("Nam", "s")]
    assert cells[7] is cells[8]


# -- errors ----------------------------------------------------------------------------------

def expect_error(path, code: str, **kw) -> InputFileError:
    with pytest.raises(InputFileError) as info:
        read_workbook(path, **kw)
    err = info.value
    assert err.code == code
    text = err.message()
    assert text != code and str(path) in text and SECRET not in text and "{" not in text
    return err


def test_missing_and_directory(tmp_path: Path) -> None:
    expect_error(tmp_path / "khong_co.xlsx", "read.file_missing")
    expect_error(tmp_path, "read.not_a_file")


def test_empty_files(tmp_path: Path) -> None:
    zero = tmp_path / "rong.xlsx"
    zero.write_bytes(b"")
    expect_error(zero, "read.empty_file")
    blank = tmp_path / "khong_o.xlsx"
    openpyxl.Workbook().save(blank)
    expect_error(blank, "read.empty_file")
    csv = tmp_path / "rong.csv"
    csv.write_text(" ; ;\n\n", encoding="utf-8")
    expect_error(csv, "read.empty_file")


def test_corrupt_files(tmp_path: Path, xlsx_file: Path) -> None:
    data = xlsx_file.read_bytes()
    truncated = tmp_path / "cat_cut.xlsx"
    truncated.write_bytes(data[: len(data) // 2])
    expect_error(truncated, "read.corrupt")
    noise = tmp_path / "nhieu.xlsx"
    noise.write_bytes(os.urandom(5000))
    expect_error(noise, "read.corrupt")
    html = tmp_path / "xuat_tu_web.xls"
    html.write_text(f"<html><body><table><tr><td>{SECRET}</td></tr></table></body></html>", encoding="utf-8")
    expect_error(html, "read.corrupt")
    # A bit flipped inside a compressed member: the CRC check catches it before calamine.
    bad = bytearray(data)
    info = next(i for i in zipfile.ZipFile(xlsx_file).infolist() if i.filename.endswith("sheet1.xml"))
    bad[info.header_offset + 30 + len(info.filename) + 20] ^= 0xFF
    flipped = tmp_path / "loi_crc.xlsx"
    flipped.write_bytes(bytes(bad))
    expect_error(flipped, "read.corrupt")


def test_password_protected(tmp_path: Path, xlsx_file: Path) -> None:
    expect_error(encrypt_xlsx(xlsx_file, tmp_path / "mat_khau.xlsx"), "read.password_protected")


def test_too_large(tmp_path: Path, xlsx_file: Path) -> None:
    err = expect_error(xlsx_file, "read.too_large", max_bytes=1000)
    assert "MB" in err.message()
    bomb = zip_with_declared_size(xlsx_file, tmp_path / "bom.xlsx", "xl/worksheets/sheet1.xml", 0xF0000000)
    expect_error(bomb, "read.too_large")
    expect_error(xlsx_file, "read.too_large", max_cells=10)
    # One value in the far corner: calamine would allocate 17 billion cells and abort the process.
    sparse = tmp_path / "o_xa.xlsx"
    wb = xlsxwriter.Workbook(str(sparse))
    ws = wb.add_worksheet()
    ws.write("A1", "a")
    ws.write("XFD1048576", "b")
    wb.close()
    expect_error(sparse, "read.too_large")


def test_lying_declared_size_is_corrupt(tmp_path: Path, xlsx_file: Path) -> None:
    lie = zip_with_declared_size(xlsx_file, tmp_path / "noi_doi.xlsx", "xl/worksheets/sheet1.xml", 10)
    expect_error(lie, "read.corrupt")


def test_unsupported_formats(tmp_path: Path) -> None:
    ods = make_zip(tmp_path / "bang.ods", {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                                          "content.xml": b"<x/>"})
    assert ".ods" in expect_error(ods, "read.unsupported_format").message()
    pdf = tmp_path / "ds.pdf"
    pdf.write_bytes(b"%PDF-1.4\n" + os.urandom(200))
    assert "PDF" in expect_error(pdf, "read.unsupported_format").message()
    docx = make_zip(tmp_path / "ds.docx", {"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"})
    assert "Word" in expect_error(docx, "read.unsupported_format").message()
    ods_as_xlsx = shutil.copy(ods, tmp_path / "bang_ods.xlsx")
    expect_error(ods_as_xlsx, "read.unsupported_format")


def test_no_sheets(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    wb.create_chartsheet("Biểu đồ")
    path = tmp_path / "chi_bieu_do.xlsx"
    wb.save(path)
    expect_error(path, "read.no_sheets")


def test_every_read_code_has_a_message() -> None:
    codes = ["read.file_missing", "read.not_a_file", "read.empty_file", "read.password_protected",
             "read.corrupt", "read.too_large", "read.unsupported_format", "read.no_sheets"]
    assert sorted(c for c in catalogue() if c.startswith("read.")) == sorted(codes)
    assert message("read.file_missing", file="a.xlsx").startswith("Không tìm thấy tệp a.xlsx")


# -- finding files ---------------------------------------------------------------------------

def test_iter_input_files(tmp_path: Path) -> None:
    names = ["b/don_vi_2.xlsx", "a/Don_vi_1.XLS", "a/c/ds.csv", "a/c/macro.xlsm", "a/~$don_vi_1.xlsx",
             "a/._don_vi_1.xlsx", "b/don_vi_2.upload.xlsx", "b/don_vi_2.review.xlsx",
             "b/don_vi_2.changes.csv", "b/duplicates.xlsx", "b/ghi_chu.txt", ".git/x.xlsx", "b/bang.ods"]
    for n in names:
        (tmp_path / n).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / n).write_bytes(b"x")
    got = iter_input_files([tmp_path, tmp_path / "b" / "don_vi_2.xlsx", tmp_path / "b" / "bang.ods",
                            tmp_path / "b" / "duplicates.xlsx", tmp_path / "mat.xlsx"])
    rel = [p.relative_to(tmp_path).as_posix() for p in got]
    assert rel == ["a/c/ds.csv", "a/c/macro.xlsm", "a/Don_vi_1.XLS", "b/bang.ods", "b/don_vi_2.xlsx", "mat.xlsx"]


# -- speed -----------------------------------------------------------------------------------

@pytest.mark.parametrize("legacy", [False, True])
def test_reads_20000_cells_quickly(tmp_path: Path, legacy: bool) -> None:
    path = make_big_xlsx(tmp_path / "lon.xlsx", 1000, 20, legacy)
    start = time.perf_counter()
    wb = read_workbook(path)
    elapsed = time.perf_counter() - start
    rows = wb.sheets[0].rows
    assert len(rows) == 1000 and rows[-1].number == 1000
    assert rows[0].cells[0].font == (".VnTime" if legacy else None)
    assert rows[0].cells[1].text == "100000000000"
    assert elapsed < 1.5  # about 0.05 s on one core; generous for a loaded test machine


# -- cell building (memoised, C-level maps) against a plain reference -------------------------

def _reference_rows(values, first_row, first_col, font, fonts):
    """What build_rows must return, cell by cell with CellMaker.make (no memo, no tricks)."""
    out = []
    for i, vals in enumerate(values):
        n = first_row + i
        row_fonts = (fonts or {}).get(n, {})
        cells = [CellMaker.make(v, row_fonts.get(first_col + j, font)) for j, v in enumerate(vals)]
        if any(cells):
            out.append((n, [None] * first_col + cells))
    return out


_MIXED = ["Nam", "", " ", "\u00a0", "Nam", 1.0, True, 1, False, 0.0, -0.0, 0, 2.5, 7.0,
          float("nan"), float("inf"), 1e20, dt.datetime(2020, 1, 2), dt.datetime(2020, 1, 2, 3, 4),
          dt.date(2020, 1, 2), dt.time(8, 30), dt.timedelta(hours=2), "Không", "1"]


@pytest.mark.parametrize("first_col", [0, 2])
@pytest.mark.parametrize("with_fonts", [False, True])
def test_build_rows_matches_the_plain_conversion(first_col: int, with_fonts: bool) -> None:
    from unionclean.read.xlsx import build_rows

    width = 6
    values = [[_MIXED[(i * 5 + j) % len(_MIXED)] for j in range(width)] for i in range(40)]
    values.append([""] * width)                                  # an empty row is dropped
    fonts = None
    if with_fonts:  # per-cell fonts as a legacy sheet has them: scattered, rows differ
        fonts = {r: {first_col + j: (".VnTime" if (r + j) % 3 else "Times New Roman")
                     for j in range(width) if (r * j) % 4 != 1}
                 for r in range(5, 46) if r % 5}
        fonts[7][first_col + width + 3] = ".VnTime"              # beyond the row: ignored
    got = build_rows(values, 5, first_col, CellMaker("Calibri" if with_fonts else None),
                     hidden={6, 9}, fonts=fonts)
    want = _reference_rows(values, 5, first_col, "Calibri" if with_fonts else None, fonts)
    assert [(r.number, r.cells) for r in got] == want
    # Equal tuples are not enough: booleans and numbers compare equal (True == 1).
    assert [[type(c.value) if c else None for c in r.cells] for r in got] == \
        [[type(c.value) if c else None for c in cells] for _, cells in want]
    assert [[c.font if c else None for c in r.cells] for r in got] == \
        [[c.font if c else None for c in cells] for _, cells in want]
    assert [r.hidden for r in got] == [r.number in (6, 9) for r in got]


def test_cellmaker_with_font_and_row_share_cells_per_font() -> None:
    m = CellMaker("Calibri")
    a, b = m.with_font("Lê An", ".VnTime"), m.with_font("Lê An", ".VnTime")
    assert a is b and a == Cell("Lê An", "s", None, ".VnTime")
    assert m.with_font(True, ".VnTime") == Cell("TRUE", "b", True, ".VnTime")
    assert m.with_font(1.0, ".VnTime") == Cell("1", "n", 1, ".VnTime")
    assert type(m.with_font(1.0, ".VnTime").value) is int
    assert m.row(["Lê An", True])[0] == Cell("Lê An", "s", None, "Calibri")


def test_csv_in_blocks_keeps_numbers_width_and_limits(tmp_path: Path) -> None:
    from unionclean.read import csvfile

    n = csvfile._BLOCK * 2 + 7
    lines = ["STT,Họ tên,Ghi chú"] + [f"{i},Người {i % 300},{'x' if i % 2 else ''}" for i in range(1, n)]
    lines.insert(5000, "")                                        # a blank record still counts
    lines.insert(6000, "lẻ,loi,thêm,cột")                        # a wider record widens every row
    p = tmp_path / "dai.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = read_workbook(p).sheets[0].rows
    assert len(rows) == n + 1 and rows[-1].number == n + 2
    assert rows[4999].number == 5000 and rows[5000].number == 5002
    assert {len(r.cells) for r in rows} == {4}
    assert rows[1].cells[:3] == [Cell("1"), Cell("Người 1"), Cell("x")] and rows[2].cells[2] is None
    assert rows[1].cells[1] is rows[301].cells[1]                # one cell per distinct value
    # The limit is checked row by row: the count in the message is where it was crossed.
    err = expect_error(p, "read.too_large", max_cells=3 * 5000 + 1)
    assert "15.003 ô" in err.message()


def test_csv_error_after_many_rows_is_corrupt(tmp_path: Path) -> None:
    import csv as _csv

    p = tmp_path / "hong.csv"
    big = "x" * (_csv.field_size_limit() + 10)
    p.write_text("STT,Họ tên\n" + "".join(f"{i},Tên {i}\n" for i in range(5000)) + f'1,"{big}"\n',
                 encoding="utf-8")
    expect_error(p, "read.corrupt")
