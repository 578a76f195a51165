"""Cross-unit duplicates: pairs, groups, the duplicates.xlsx report and its decisions."""
from __future__ import annotations

import zipfile

import openpyxl
import pandas as pd

from matchgen import generate
from unionclean.match.crossunit import (REPORT_COLUMNS, find_cross_unit, read_duplicates_decisions,
                                        write_duplicates_report)


def _df() -> pd.DataFrame:
    rows = [
        (1, "A", "Tổ 1", 5, "Nguyễn Văn Hùng", "01/02/1990", "Nam", "001090000001", "0912000001"),
        (2, "A", "Tổ 2", 5, "Nguyễn Văn Hùng", "01/02/1990", "Nam", "", ""),
        (3, "B", "DS", 7, "NGUYỄN VĂN HÙNG", "01/02/1990", "Nam", "", "0912000001"),
        (4, "B", "DS", 8, "Lê Thị Mai", "03/03/1993", "Nữ", "", ""),
        (5, "C", "DS", 9, "Lê Thị Mài", "03/03/1993", "Nữ", "", ""),
        (6, "C", "DS", 10, "Trần An", "01/01/1980", "Nam", "001080000003", ""),
        (7, "A", "Tổ 1", 6, "Trần An", "01/01/1980", "Nam", "001080000004", ""),
    ]
    df = pd.DataFrame(rows, columns=["rec_id", "unit", "sheet", "row", "ho_ten", "ngay_sinh",
                                     "gioi_tinh", "so_cccd", "so_dien_thoai"])
    df["file"] = df["unit"] + ".xlsx"
    return df


def test_groups():
    cross = find_cross_unit(_df())
    groups = cross.groupby("group").apply(
        lambda g: sorted(set(g["rec_a"]) | set(g["rec_b"])), include_groups=False).tolist()
    assert groups == [[1, 2, 3], [4, 5]]  # Trần An ×2: different CCCDs → not a suspect
    g1 = cross[cross["group"] == 1]
    dec = {(a, b): d for a, b, d in g1[["rec_a", "rec_b", "decision"]].values}
    assert dec[(1, 2)] == "merge" and dec[(1, 3)] == "merge"  # same phone across units
    assert dec[(2, 3)] == "review"                            # name + date alone across units
    assert cross.loc[cross["group"] == 2, "level"].tolist() == ["diacritics_differ"]
    assert {"unit_a", "unit_b"} <= set(cross.columns)


def test_name_and_date_alone_do_not_merge_across_units():
    df = _df()
    df.loc[df["rec_id"] == 3, "so_dien_thoai"] = "0987000002"
    cross = find_cross_unit(df)
    g1 = cross[cross["group"] == 1]
    assert set(g1["rec_a"]) | set(g1["rec_b"]) == {1, 2, 3}
    across = g1[g1["unit_a"] != g1["unit_b"]]
    assert set(across["level"]) == {"name_dob_other_unit"} and set(across["decision"]) == {"review"}


def test_report_content(tmp_path):
    df = _df()
    cross = find_cross_unit(df)
    out = write_duplicates_report(tmp_path / "duplicates.xlsx", cross, df)
    assert [p.name for p in tmp_path.iterdir()] == ["duplicates.xlsx"]  # no temp file left
    ws = openpyxl.load_workbook(out).active
    header = [c.value for c in ws[1]]
    assert header == REPORT_COLUMNS and header[0] == "Nhóm"
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert [r[0] for r in rows] == [1, 1, 1, 2, 2]
    first = dict(zip(header, rows[0]))
    assert (first["Đơn vị"], first["Tệp"], first["Trang tính"], first["Dòng"]) == (
        "A", "A.xlsx", "Tổ 1", 5)
    assert first["Số CCCD"] == "001090000001"  # full, as text (leading zero kept)
    assert "Ngày sinh" in first["Bằng chứng"] and first["Bằng chứng"].startswith("Trùng:")
    assert first["Quyết định"] in (None, "")
    assert all(r[header.index("Mức khớp")] for r in rows)
    dv = ws.data_validations.dataValidation
    assert dv and "Không gộp" in dv[0].formula1


def test_decisions_read_back(tmp_path):
    from datetime import date

    df = _df()
    cross = find_cross_unit(df)
    path = write_duplicates_report(tmp_path / "duplicates.xlsx", cross, df, created=date(2026, 11, 1))  # fast path
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    col = REPORT_COLUMNS.index("Quyết định") + 1
    for r, value in zip(range(2, 7), ["Gộp", "Gộp", "Để sau", "Không gộp", ""]):
        ws.cell(r, col, value)
    wb.save(path)
    dec = read_duplicates_decisions(path)
    assert dec["merge"] == [["A.xlsx|Tổ 1|5", "A.xlsx|Tổ 2|5"]]
    assert dec["keep_apart"] == [["B.xlsx|DS|8", "C.xlsx|DS|9"]]
    # Replayed: the kept-apart pair no longer forms a group.
    again = find_cross_unit(df, decisions=dec)
    assert sorted(again["group"].unique()) == [1]


def test_generated_cross_unit_recall():
    df, truth = generate(n_people=300, n_units=5, within=0.0, cross=0.1, seed=11)
    cross = find_cross_unit(df)
    multi = {p for p, units in df.groupby(truth.to_numpy())["unit"].nunique().items() if units > 1}
    found = set()
    for _, g in cross.groupby("group"):
        ids = set(g["rec_a"]) | set(g["rec_b"])
        people = {truth[i] for i in ids}
        if len(people) == 1:
            found |= people
    assert multi and found == multi


def _decoded(cells):
    return [[(v.replace("_x005F_x", "_x") if isinstance(v, str) else v, *rest) for v, *rest in row]
            for row in cells]


def _sheet_view(path):
    ws = openpyxl.load_workbook(path).active
    cells = [[(c.value, c.data_type, c.number_format, c.fill.fgColor.rgb, c.font.b) for c in r]
             for r in ws.iter_rows()]
    widths = {k: d.width for k, d in ws.column_dimensions.items()}
    dv = [(str(d.sqref), d.formula1, d.type) for d in ws.data_validations.dataValidation]
    return cells, widths, dv, ws.auto_filter.ref, ws.freeze_panes, ws.dimensions


def test_fast_report_reads_back_like_the_reference_report(tmp_path):
    from datetime import date

    from unionclean.match.crossunit import write_duplicates_report_reference

    df, _ = generate(n_people=300, n_units=5, within=0.0, cross=0.1, seed=11)
    cross = find_cross_unit(df)
    assert cross["group"].nunique() > 5
    # Sheet names are shown in the report but not matched on: hostile text where it is shown.
    shown = cross["rec_a"].drop_duplicates().head(6).tolist()
    hostile = ["Trần <Thị> & \"Bé\"", " khoảng trắng ", "ctl\x07x", "emoji 🙂", "a<b", "_x0041_"]
    df.loc[df["rec_id"].isin(shown), "sheet"] = hostile[:len(shown)]
    fast = write_duplicates_report(tmp_path / "fast.xlsx", cross, df, created=date(2026, 11, 1))
    ref = write_duplicates_report_reference(tmp_path / "ref.xlsx", cross, df, created=date(2026, 11, 1))
    a, b = _sheet_view(fast), _sheet_view(ref)
    # A literal "_x0041_" is stored as "_x005F_x0041_" by both (Excel shows "_x0041_"); openpyxl
    # decodes that in shared strings (the reference) but not in inline ones (the fast path).
    assert "_x005F_x0041_" in zipfile.ZipFile(fast).read("xl/worksheets/sheet1.xml").decode()
    a = (_decoded(a[0]), *a[1:])
    assert a == b
    assert a[2][0][0] == f"N2:N{len(a[0])}"  # the decision drop-down covers every row
    assert {"a<b", "emoji 🙂"} <= {v for row in a[0] for v, *_ in row}
    assert any(isinstance(v, float) and v != int(v) for row in a[0] for v, *_ in row)  # scores stay numbers
    again = write_duplicates_report(tmp_path / "again.xlsx", cross, df, created=date(2026, 11, 1))
    assert again.read_bytes() == fast.read_bytes()


def _date_variants(df: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Copies of some records in another unit with a one-digit day or month typo or day and
    month swapped; half of them share an e-mail with their original (the corroboration a
    cross-unit date typo needs)."""
    import random

    rng = random.Random(seed)
    rows = []
    for i, r in enumerate(df.sample(400, random_state=seed).to_dict("records")):
        d, m, y = r["ngay_sinh"].split("/")
        kind = ("day", "month", "swap")[i % 3]
        if kind == "day":
            d = d[0] + str((int(d[1]) + 1) % 10) if d[0] in "12" else d
        elif kind == "month":
            m = "1" + m[1] if m[0] == "0" and m[1] in "012" else m
        else:
            d, m = m, d
        email = f"nguoi{i}@congdoan.vn" if i % 2 else ""
        rows.append({**r, "ngay_sinh": f"{d}/{m}/{y}", "so_cccd": "", "so_dien_thoai": "", "email": email,
                     "unit": r["unit"] + " khác", "file": r["unit"] + " khác.xlsx", "rec_id": 100_000 + i})
        df.loc[df["rec_id"] == r["rec_id"], "email"] = email
    return pd.concat([df, pd.DataFrame(rows)], ignore_index=True)


def test_date_keyed_name_blocks_keep_every_pair_the_birth_year_block_kept():
    """Same folded name with the same month and year, day and year, or day/month pair replaced
    same name and birth year: the pairs the old block added beyond these reach no level, so
    the pairs found are the same, from far fewer compared."""
    from pandas.testing import assert_frame_equal

    from unionclean.match.config import DEFAULT_BLOCKING, BlockingRule, MatchConfig
    from unionclean.match.matcher import MatchStats, find_pairs

    df, _ = generate(n_people=2500, n_units=8, within=0.05, cross=0.1, seed=3)
    df = _date_variants(df, seed=3)
    by_year = MatchConfig(blocking=(BlockingRule("name_year", ("k_fold", "k_year")),)
                          + tuple(r for r in DEFAULT_BLOCKING if not r.name.startswith("name_")))
    new_stats, old_stats = MatchStats(), MatchStats()
    got, want = find_pairs(df, stats=new_stats), find_pairs(df, by_year, stats=old_stats)
    assert_frame_equal(got, want)
    levels = set(got["level"])
    assert {"dob_swapped", "dob_typo"} <= levels  # the date variants were found
    assert new_stats["pairs_compared"] < old_stats["pairs_compared"]
