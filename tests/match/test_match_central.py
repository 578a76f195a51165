"""Reconciliation with the central export, and its file format."""
from __future__ import annotations

import pandas as pd
import pytest

from unionclean.errors import UnionCleanError
from unionclean.match.central import CENTRAL_COLUMNS, read_central_export, reconcile_central
from unionclean.messages import has_message


def _unit() -> pd.DataFrame:
    rows = [(1, "Nguyễn Văn Hùng", "01/02/1990", "Nam", "001090000001"),
            (2, "Lê Thị Hoà", "05/06/1985", "Nữ", "001185000002"),
            (3, "Phạm Văn Mới", "07/07/1999", "Nam", ""),
            (4, "Trần Văn Tú", "08/08/1988", "Nam", ""),
            (5, "Đỗ Thị Chuyển", "09/09/1977", "Nữ", "001177000009"),
            (6, "Bùi Văn Hưng", "10/10/1980", "Nam", "")]
    df = pd.DataFrame(rows, columns=["rec_id", "ho_ten", "ngay_sinh", "gioi_tinh", "so_cccd"])
    df["unit"] = "CĐCS Công ty A"
    return df


def _central() -> pd.DataFrame:
    rows = [("M1", "Nguyễn Văn Hùng", "01/02/1990", "Nam", "001090000001", "CĐCS Công ty A", ""),
            ("M2", "Lê Thị Hòa", "05/06/1985", "Nữ", "", "CĐCS Công ty A", "Đang sinh hoạt"),
            ("M3", "Trần Văn Tú", "08/08/1988", "Nam", "001088000111", "CĐCS Công ty A", ""),
            ("M4", "Võ Văn Nghỉ", "01/01/1970", "Nam", "", "CĐCS Công ty A", ""),
            ("M5", "Đỗ Thị Chuyển", "09/09/1977", "Nữ", "001177000009", "CĐCS Công ty B", ""),
            ("M6", "Bùi Văn Hùng", "10/10/1980", "Nam", "", "CĐCS Công ty A", "")]
    return pd.DataFrame(rows, columns=list(CENTRAL_COLUMNS))


def test_reconcile():
    res = reconcile_central(_unit(), _central())
    st = dict(zip(res.rows["rec_id"], res.rows["status"]))
    assert st == {1: "unchanged", 2: "changed", 3: "new", 4: "unchanged", 5: "other_unit",
                  6: "review"}
    r2 = res.rows.set_index("rec_id").loc[2]
    assert r2["ma_doan_vien"] == "M2" and r2["changed_fields"] == "so_cccd"  # Hoà = Hòa
    assert res.rows.set_index("rec_id").loc[5, "central_unit"] == "CĐCS Công ty B"
    assert res.new == [3] and res.unchanged == [1, 4] and res.changed == [2]
    assert res.missing["ma_doan_vien"].tolist() == ["M4", "M6"]
    assert all(has_message(r) for r in res.rows["reason"])
    assert has_message("match.central.missing_from_unit")


def test_read_export_vietnamese_headers(tmp_path):
    c = _central().rename(columns=CENTRAL_COLUMNS)
    c.loc[0, "Số CCCD"] = "1090000001"           # lost its leading zeros in Excel
    c.loc[1, "Ngày sinh"] = "1985-06-05"
    path = tmp_path / "export.csv"
    c.to_csv(path, index=False, encoding="utf-8-sig")
    df = read_central_export(path)
    assert list(df.columns) == list(CENTRAL_COLUMNS)
    assert df.loc[0, "so_cccd"] == "001090000001"
    assert df.loc[1, "ngay_sinh"] == "05/06/1985"
    xlsx = tmp_path / "export.xlsx"
    _central().to_excel(xlsx, index=False)
    assert read_central_export(xlsx).equals(read_central_export(xlsx))
    assert read_central_export(xlsx)["ma_doan_vien"].tolist()[:2] == ["M1", "M2"]


def test_read_export_missing_column(tmp_path):
    path = tmp_path / "bad.csv"
    _central().drop(columns=["so_cccd"]).to_csv(path, index=False)
    with pytest.raises(UnionCleanError, match="Số CCCD"):
        read_central_export(path)


def test_empty_export_makes_everyone_new():
    res = reconcile_central(_unit(), _central().iloc[0:0])
    assert set(res.rows["status"]) == {"new"} and res.missing.empty
