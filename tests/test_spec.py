"""The template is configuration: the spec loader and its checks."""
from pathlib import Path

import pytest
import yaml

from unionclean.errors import SpecError
from unionclean.spec import MEMBER_FIELDS, load_spec

FIX = Path(__file__).parent / "fixtures"


def test_reference_spec_matches_the_contract():
    spec = load_spec()
    assert spec.sheet == "Danh sách đoàn viên"
    assert spec.header_row == 4 and spec.first_data_row == 5
    assert [c.header for c in spec.columns][:3] == ["STT", "Họ và tên (*)", "Ngày sinh (*)"]
    assert len(spec.columns) == 18
    assert spec.fields == MEMBER_FIELDS
    assert spec.required_fields() == {"ho_ten", "ngay_sinh", "gioi_tinh", "so_cccd", "dan_toc",
                                      "ngay_vao_cong_doan"}
    assert spec.default_for("ton_giao") == "Không"
    assert spec.default_for("chuc_vu_cong_doan") == "Đoàn viên"
    # Required columns carry the (*) marker of the template.
    assert all(c.header.endswith("(*)") == c.required for c in spec.columns if c.type != "stt")


def test_alt_spec_has_split_name_and_its_own_order():
    spec = load_spec(FIX / "alt_spec.yaml")
    assert [c.key for c in spec.columns] == ["so_tt", "cccd", "ho_dem", "ten", "gioi", "ns", "dt"]
    assert spec.fields == ("so_cccd", "ho_ten", "gioi_tinh", "ngay_sinh", "so_dien_thoai")
    assert spec.code_sheet is None


def test_bad_spec_lists_every_problem(tmp_path):
    bad = {"id": "x", "sheet": "S", "header_row": 1, "title_rows": ["a", "b"],
           "columns": [{"key": "a", "header": "A", "field": "nope"}, {"key": "a", "header": "B", "part": "odd"}]}
    p = tmp_path / "bad.yaml"
    p.write_text(yaml.safe_dump(bad), encoding="utf-8")
    with pytest.raises(SpecError) as e:
        load_spec(p)
    msg = str(e.value)
    for needle in ("not a member field", "unknown part", "unique", "title_rows"):
        assert needle in msg


def test_missing_spec_is_a_clear_error(tmp_path):
    with pytest.raises(SpecError, match="not found"):
        load_spec(tmp_path / "none.yaml")


def test_blank_template_workbook_matches_its_spec():
    import openpyxl

    spec = load_spec()
    wb = openpyxl.load_workbook(Path(spec.path).parent / spec.workbook)
    ws = wb[spec.sheet]
    assert [c.value for c in ws[spec.header_row]] == [c.header for c in spec.columns]
    assert ws["A1"].value == spec.title_rows[0]
    assert wb[spec.code_sheet].sheet_state == "hidden"
