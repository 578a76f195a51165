"""The upload file follows the template spec exactly; outputs are written atomically."""
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from unionclean.export.atomic import atomic_path
from unionclean.export.upload import write_upload
from unionclean.spec import load_spec

FIX = Path(__file__).parent / "fixtures"
ROW = {"ho_ten": "Nguyễn Văn An", "ngay_sinh": "05/01/1976", "gioi_tinh": "Nam", "so_cccd": "001076081211",
       "dan_toc": "Kinh", "ton_giao": "Không", "ngay_vao_cong_doan": "10/09/2004",
       "so_dien_thoai": "0910062582", "email": "an@example.com", "chuc_vu_cong_doan": "Đoàn viên"}


def test_reference_upload_layout(tmp_path):
    spec = load_spec()
    p = tmp_path / "u.upload.xlsx"
    assert write_upload(p, spec, "Trường Mầm non Sơn Ca", [ROW, ROW], created=date(2026, 11, 1)) == 2
    wb = openpyxl.load_workbook(p)
    ws = wb["Danh sách đoàn viên"]
    assert ws["A1"].value == "DANH SÁCH ĐOÀN VIÊN CÔNG ĐOÀN"
    assert ws["A2"].value == "Tên công đoàn cơ sở: Trường Mầm non Sơn Ca"
    assert ws["A3"].value == "Các cột có dấu (*) là bắt buộc."
    assert [c.value for c in ws[4]] == [c.header for c in spec.columns]
    assert [ws.cell(5, 1).value, ws.cell(6, 1).value] == [1, 2]
    cccd = ws.cell(5, 5)
    assert cccd.value == "001076081211" and cccd.data_type == "s" and cccd.number_format == "@"
    assert ws.cell(5, 3).number_format == "@" and ws.cell(5, 3).value == "05/01/1976"
    assert ws.max_row == 6
    codes = wb["Danh mục"]
    assert codes.sheet_state == "hidden"
    assert "Kinh" in [c.value for c in codes["A"]] or any("Kinh" == c.value for row in codes.iter_rows() for c in row)
    assert ws.data_validations.dataValidation  # drop-downs on the coded columns


def test_alt_spec_output_follows_the_spec(tmp_path):
    spec = load_spec(FIX / "alt_spec.yaml")
    p = tmp_path / "u.upload.xlsx"
    write_upload(p, spec, "X", [ROW], created=date(2026, 11, 1))
    wb = openpyxl.load_workbook(p)
    assert wb.sheetnames == ["DSDV"]
    ws = wb["DSDV"]
    assert ws["A1"].value == "DANH SÁCH THỬ"
    assert [c.value for c in ws[2]] == ["Số TT", "CCCD/CMND", "Họ và đệm", "Tên", "Giới", "Sinh ngày", "Điện thoại"]
    assert [c.value for c in ws[3]] == [1, "001076081211", "Nguyễn Văn", "An", "Nam", "05/01/1976", "0910062582"]


def test_same_input_same_bytes(tmp_path):
    spec = load_spec()
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_upload(a, spec, "U", [ROW], created=date(2026, 11, 1))
    write_upload(b, spec, "U", [ROW], created=date(2026, 11, 1))
    assert a.read_bytes() == b.read_bytes()


def test_atomic_write_keeps_the_old_file_on_error(tmp_path):
    p = tmp_path / "x.txt"
    p.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_path(p) as tmp:
            tmp.write_text("half")
            raise RuntimeError("boom")
    assert p.read_text() == "old"
    assert [f.name for f in tmp_path.iterdir()] == ["x.txt"]


def test_fast_writer_reads_back_like_the_reference_writer(tmp_path):
    from unionclean.export.upload import write_upload_reference

    spec = load_spec()
    rows = [ROW, dict(ROW, ho_ten="Trần <Thị> & \"Bé\"", ghi_chu=" khoảng trắng "), {"ho_ten": "Lê Văn C"}]
    fast, ref = tmp_path / "fast.xlsx", tmp_path / "ref.xlsx"
    write_upload(fast, spec, "Công ty A & B", rows, created=date(2026, 11, 1))
    write_upload_reference(ref, spec, "Công ty A & B", rows, created=date(2026, 11, 1))
    a, b = openpyxl.load_workbook(fast), openpyxl.load_workbook(ref)
    assert a.sheetnames == b.sheetnames
    for name in a.sheetnames:
        ca = [[(c.value, c.data_type, c.number_format) for c in r] for r in a[name].iter_rows()]
        cb = [[(c.value, c.data_type, c.number_format) for c in r] for r in b[name].iter_rows()]
        assert ca == cb, name
        assert a[name].sheet_state == b[name].sheet_state
    assert len(a["Danh sách đoàn viên"].data_validations.dataValidation) == \
        len(b["Danh sách đoàn viên"].data_validations.dataValidation)
