"""Small input files built in tmp_path: workbooks (openpyxl, xlwt), CSVs and broken files."""
from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from openpyxl.styles import Font

SECRET = "Bí Mật Nguyễn"  # a cell value that must never appear in an error message


def make_xlsx(path: Path, *, legacy_font: bool = False) -> Path:
    """Data starting at C5 with every kind of value, a hidden row, a merged title, a hidden and a
    very hidden sheet, and an empty sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tổ 1"
    ws["C3"] = "DANH SÁCH ĐOÀN VIÊN"
    ws.merge_cells("C3:F3")
    ws["C5"] = "NguyÔn V¨n Nam" if legacy_font else "Nguyễn Văn Nam"
    if legacy_font:
        ws["C5"].font = Font(name=".VnTime")
        ws["C6"].font = Font(name="VNI-Times")
    ws["D5"] = 79215000000
    ws["E5"] = 12.5
    ws["F5"] = dt.date(1980, 8, 15)
    ws["G5"] = True
    ws["C6"] = "Hoaøng Thò Haûi Yeán" if legacy_font else "Trần Thị B"
    ws["D6"] = 1
    ws["E6"] = 0
    ws["F6"] = dt.datetime(2020, 1, 2, 3, 4, 5)
    ws["G6"] = False
    ws.row_dimensions[6].hidden = True
    ws["C8"] = "   "  # blank text: an empty cell
    ws["C9"] = SECRET
    h = wb.create_sheet("Ẩn")
    h["A1"] = "x"
    h.sheet_state = "hidden"
    vh = wb.create_sheet("Rất ẩn")
    vh["B2"] = 3.25
    vh.sheet_state = "veryHidden"
    wb.create_sheet("Trống")
    wb.save(path)
    return path


def make_xls(path: Path) -> Path:
    """The same content as :func:`make_xlsx` (legacy fonts) written as BIFF8 with xlwt."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("To 1")
    vn = xlwt.easyxf("font: name .VnTime")
    vni = xlwt.easyxf("font: name VNI-Times")
    ws.write_merge(2, 2, 2, 5, "DANH SÁCH ĐOÀN VIÊN")
    ws.write(4, 2, "NguyÔn V¨n Nam", vn)
    ws.write(4, 3, 79215000000)
    ws.write(4, 4, 12.5)
    ws.write(4, 5, dt.date(1980, 8, 15), xlwt.easyxf(num_format_str="dd/mm/yyyy"))
    ws.write(4, 6, True)
    ws.write(5, 2, "Hoaøng Thò Haûi Yeán", vni)
    ws.write(5, 3, 1)
    ws.row(5).hidden = True
    ws.write(8, 2, SECRET)
    h = wb.add_sheet("An")
    h.write(0, 0, "x")
    h.visibility = 1
    wb.add_sheet("Trong")
    wb.save(str(path))
    return path


def make_big_xlsx(path: Path, rows: int, cols: int, legacy_font: bool) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("DS")
    fmt = wb.add_format({"font_name": ".VnTime"}) if legacy_font else None
    for r in range(rows):
        for c in range(cols):
            if c % 4 == 0:
                ws.write_string(r, c, f"NguyÔn V¨n {r}", fmt)
            elif c % 4 == 1:
                ws.write_number(r, c, 10**11 + r)
            elif c % 4 == 2:
                ws.write_string(r, c, ("Nam", "Nữ", "Kinh")[r % 3])
            else:
                ws.write_number(r, c, 29000 + r % 5000)
    wb.close()
    return path


def zip_with_declared_size(src: Path, dst: Path, member: str, declared: int) -> Path:
    """Copy of the zip ``src`` whose central directory claims ``member`` unpacks to ``declared``
    bytes (how a zip bomb looks before it is opened)."""
    data = bytearray(src.read_bytes())
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        n_name, = struct.unpack_from("<H", data, pos + 28)
        name = bytes(data[pos + 46:pos + 46 + n_name]).decode()
        if name == member:
            struct.pack_into("<I", data, pos + 24, declared)
        pos = data.find(b"PK\x01\x02", pos + 4)
    dst.write_bytes(bytes(data))
    return dst


def encrypt_xlsx(src: Path, dst: Path, password: str = "1234") -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    with open(src, "rb") as fh:
        OOXMLFile(fh).encrypt(password, out)
    dst.write_bytes(out.getvalue())
    return dst


def make_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


@pytest.fixture
def xlsx_file(tmp_path: Path) -> Path:
    return make_xlsx(tmp_path / "don_vi.xlsx")


@pytest.fixture
def legacy_xlsx(tmp_path: Path) -> Path:
    return make_xlsx(tmp_path / "tcvn3.xlsx", legacy_font=True)


@pytest.fixture
def xls_file(tmp_path: Path) -> Path:
    return make_xls(tmp_path / "cu.xls")


def rewrite_sheet1(src: Path, dst: Path, variant: str) -> Path:
    """Copy of ``src`` whose first sheet XML is spelt differently but means the same:
    ``"prefix"`` puts every tag in an ``x:`` namespace prefix (as .NET writers do), ``"order"``
    writes the style attribute before the reference (``<c s="1" r="C5">``)."""
    import re

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                if variant == "prefix":
                    data = re.sub(rb"<(/?)([A-Za-z])", rb"<\1x:\2", data.split(b"?>", 1)[-1])
                    data = data.replace(b"xmlns=", b"xmlns:x=", 1)
                else:
                    data = re.sub(rb'<c r="([A-Z]+\d+)" s="(\d+)"', rb'<c s="\2" r="\1"', data)
            out.writestr(info.filename, data)
    return dst
