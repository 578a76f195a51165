"""GX validation of upload rows: suite in sync with the spec, every failure collected, offline."""
import json
import socket

import pytest

from unionclean.spec import load_spec
from unionclean.validate.gx import upload_frame, validate_upload
from unionclean.validate.suite import build_suite_dict, suite_path

GOOD = {"ho_ten": "Nguyễn Văn An", "ngay_sinh": "05/01/1976", "gioi_tinh": "Nam", "so_cccd": "001076081211",
        "dan_toc": "Kinh", "ton_giao": "Không", "ngay_vao_cong_doan": "10/09/2004",
        "chuc_vu_cong_doan": "Đoàn viên", "so_dien_thoai": "0910062582", "email": "an@example.com"}


def test_committed_suite_is_generated_from_the_spec():
    spec = load_spec()
    committed = json.loads(suite_path(spec).read_text(encoding="utf-8"))
    assert committed == build_suite_dict(spec)


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*a, **k):
        raise AssertionError("network call attempted")
    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_clean_rows_pass_and_bad_rows_are_all_reported(no_network):
    spec = load_spec()
    good = validate_upload(upload_frame(spec, [GOOD, dict(GOOD, so_cccd="001076081212")]), spec)
    assert good.success, good.failures
    bad_rows = [GOOD, dict(GOOD, so_cccd="001076081211", ngay_sinh="1976", dan_toc="Việt", email="a@@b")]
    rep = validate_upload(upload_frame(spec, bad_rows), spec)
    assert not rep.success
    failed = {(f["expectation"], f["column"]) for f in rep.failures}
    assert ("expect_column_values_to_be_unique", "so_cccd") in failed
    assert ("expect_column_values_to_match_regex", "ngay_sinh") in failed
    assert ("expect_column_values_to_be_in_set", "dan_toc") in failed
    assert ("expect_column_values_to_match_regex", "email") in failed
    date_fail = next(f for f in rep.failures if f["column"] == "ngay_sinh")
    assert date_fail["rows"] == [6]  # Excel row of the second data row
    assert "1976" not in json.dumps(rep.to_dict())  # no values, only positions
