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


# --------------------------------------------------------------------------- fast paths, exactly
HOSTILE = ["", " ", "plain", "a,b", 'say "hi"', "line\nbreak", "cr\rhere", "tab\there", "nbsp\u00a0x", " lead",
           "trail ", "<tag> & co", "_x0041_", "ctl\x07", "Nguyễn Văn An", "emoji 🙂", "a<b", "\u2028sep"]


def test_changes_csv_is_what_csv_writer_writes(tmp_path):
    import csv
    import io

    from unionclean.export.review import CHANGES_HEADERS, write_changes
    from unionclean.messages import explain
    from unionclean.model import Location
    from unionclean.records import Change

    changes = [Change(Location(f, s, r), col, fld, before, after, rule)
               for f, s in (("u.xlsx", "DS"), ("u, v.csv", ""), ('q"x.xlsx', "Tờ 1"))
               for r, (col, fld, before, after, rule) in enumerate([
                   ("B", "ho_ten", "nguyen van an", "Nguyễn Văn An", "name.case_normalized"),
                   ("C", "ngay_sinh", "1976-01-05", "05/01/1976", "duplicate.kept"),
                   ("", "", "", "", ""),
                   *[("D", "ghi_chu", v, w, "date.excel_date") for v, w in zip(HOSTILE, reversed(HOSTILE))]], 2)]
    changes.append(Change(Location("u.xlsx", "DS", 7), None, "f", 12, 3.5, "x"))  # not strings
    for old, new in (("Bình Thuận", "Lâm Đồng"), ("Hà Tây", "Hà Nội"), ("Bình Thuận", "Lâm Đồng")):
        changes.append(Change(Location("u.xlsx", "DS", 8), "E", "que_quan", old, new, "province.old_mapped",
                              {"old": old, "new": new}))
    changes.append(Change(Location("u.xlsx", "DS", 9), "F", "ton_giao", "pg", "Phật giáo", "code.alias",
                          {"list": "Tôn giáo"}))
    p = tmp_path / "x.changes.csv"
    assert write_changes(p, changes) == len(changes)
    buf = io.StringIO(newline="")
    w = csv.writer(buf)
    w.writerow(CHANGES_HEADERS)
    w.writerows([c.loc.file, c.loc.sheet, c.loc.row, c.column, c.field, c.before, c.after, c.rule,
                 explain(c.rule, c.params) if c.rule else ""] for c in changes)
    assert p.read_bytes() == buf.getvalue().encode("utf-8-sig")
    assert "Hà Tây đã được sắp xếp vào Hà Nội" in p.read_text(encoding="utf-8-sig")


def test_zip_writer_writes_what_zipfile_writes(tmp_path):
    import zipfile

    from unionclean.export.fastsheet import _pack, _write_zip, _write_zip_with_zipfile

    members = [("[Content_Types].xml", 0o644 << 16, b"<x/>" * 50), ("xl/empty.xml", 0, b""),
               ("xl/tên.xml", 0o600 << 16, "Tiếng Việt".encode() * 999)]
    ts = (2026, 11, 1, 0, 0, 0)
    ours, ref = tmp_path / "ours.zip", tmp_path / "ref.zip"
    _write_zip(ours, [_pack(n, a, d) for n, a, d in members], ts)
    with zipfile.ZipFile(ref, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for n, a, d in members:
            zi = zipfile.ZipInfo(n, date_time=ts)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = a
            z.writestr(zi, d, compresslevel=1)
    assert ours.read_bytes() == ref.read_bytes()
    _write_zip_with_zipfile(ours, [_pack(n, a, d) for n, a, d in members], ts)  # the > 2 GB way
    assert ours.read_bytes() == ref.read_bytes()


@pytest.mark.parametrize("values", [["a", "b c", ""], HOSTILE, ["x" * 20_000, "y"], [None, "a"], [1, "a"], []])
def test_plain_check_agrees_with_the_text_functions(values):
    from unionclean.export.fastsheet import XLS_STRMAX, _all_plain, _inline_text, _shared_text

    for text, long in ((_inline_text, None), (_shared_text, XLS_STRMAX // 2)):
        expected = all(isinstance(v, str) and text(v) == f"<t>{v}</t>" for v in values)
        assert _all_plain([values], text, long) == expected
        assert _all_plain([values[:1], values[1:]], text, long) == expected
        for v in values:
            assert _all_plain([[v]], text, long) == (isinstance(v, str) and text(v) == f"<t>{v}</t>")


def test_upload_rows_by_row_and_by_column_are_the_same_file(tmp_path):
    from unionclean.export.fastsheet import fill_skeleton, fill_skeleton_columns
    from unionclean.export.upload import _skeleton

    spec = load_spec()
    sk = _skeleton(spec, date(2026, 11, 1))
    rows = [[1] + [HOSTILE[(i + j) % len(HOSTILE)] for j in range(1, sk.ncols)] for i in range(40)]
    rows.append([41, "only a name"])  # a short row: the rest is empty
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert fill_skeleton(sk, a, rows, "Đơn vị <A&B>", date(2026, 11, 1)) == 41
    columns = [[r[j] if j < len(r) else "" for r in rows] for j in range(sk.ncols)]
    assert fill_skeleton_columns(sk, b, columns, 41, "Đơn vị <A&B>", date(2026, 11, 1)) == 41
    assert a.read_bytes() == b.read_bytes()
    ws = openpyxl.load_workbook(a)["Danh sách đoàn viên"]
    assert ws.cell(5 + 40, 2).value == "only a name" and ws.cell(5 + 40, 3).value is None
    assert ws.cell(5, 2).value == HOSTILE[1]  # whitespace kept


@pytest.mark.parametrize("spec_path", [None, FIX / "alt_spec.yaml"])
def test_upload_from_records_is_the_upload_from_dicts(tmp_path, spec_path):
    from unionclean.export.upload import write_upload_records
    from unionclean.model import Location, Result, Status
    from unionclean.records import MemberRecord

    spec = load_spec(spec_path)
    records = []
    rows = [ROW, dict(ROW, ho_ten="Trần <Thị> & \"Bé\"", ghi_chu=" x "), {"ho_ten": "Lê Văn C"}, {}]
    for i, row in enumerate(rows):
        r = MemberRecord(i, Location("u.xlsx", "DS", i + 5))
        r.res = {f: Result(v, Status.OK) for f, v in row.items()}
        records.append(r)
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    dicts = ({f: r.value(f) for f in spec.fields} for r in records)
    assert write_upload(a, spec, "U", dicts, created=date(2026, 11, 1)) == 4
    assert write_upload_records(b, spec, "U", records, created=date(2026, 11, 1)) == 4
    assert a.read_bytes() == b.read_bytes()
