"""End to end on generated unit files: nothing lost, bad input handled, replay identical."""
from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from unionclean import api
from unionclean.cli import main as cli_main
from unionclean.pipeline import clean_file
from unionclean.spec import load_spec
from unionclean.synth import generate_dataset

FIX = Path(__file__).parent / "fixtures"
TODAY = date(2026, 11, 1)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    folder = tmp_path_factory.mktemp("units")
    truth = generate_dataset(folder, n_units=4, members_per_unit=45, seed=11, mess_level="high", write_truth=False)
    return folder, truth


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def test_every_source_member_row_is_accounted_for(dataset):
    folder, truth = dataset
    spec = load_spec()
    for unit in truth.units:
        o = clean_file(folder / unit.file, spec, today=TODAY)
        assert o.ok, o.error_message
        uploaded = {str(loc) for r in o.upload for loc in (r.merged_from or [r.loc])}
        held = {str(loc) for r in o.held for loc in (r.merged_from or [r.loc])}
        reviewed = {str(it.loc) for it in o.review}
        merged = {str(loc) for keep, members in o.merged for loc in (m.loc for m in members)}
        accounted = uploaded | held | reviewed | merged
        for row in unit.rows:
            assert row.location in accounted, f"lost {row.location}"
        # Held-back rows are all in the review file; nothing is both uploaded and held.
        assert held <= reviewed
        assert not (uploaded & held)


def test_folder_run_writes_every_output_and_a_clean_manifest(dataset, tmp_path):
    folder, truth = dataset
    before = {p.name: _sha(p) for p in folder.iterdir() if p.is_file()}
    res = api.clean([folder], tmp_path / "out", today=TODAY, jobs=2)
    assert res.exit_code == 0, [f.error_message for f in res.failed]
    after = {p.name: _sha(p) for p in folder.iterdir() if p.is_file()}
    assert before == after, "inputs must never be modified"
    out = tmp_path / "out"
    for unit in truth.units:
        stem = Path(unit.file).stem
        for suffix in ("upload.xlsx", "review.xlsx", "changes.csv"):
            assert (out / f"{stem}.{suffix}").exists()
        s = next(f for f in res.files if f.file == unit.file)
        ws = openpyxl.load_workbook(out / f"{stem}.upload.xlsx", read_only=True)["Danh sách đoàn viên"]
        assert sum(1 for _ in ws.iter_rows(min_row=5)) == s.counts["members_out"]
    manifest = (out / "run.json").read_text(encoding="utf-8")
    doc = json.loads(manifest)
    assert doc["template"]["id"] == "reference_v1" and len(doc["inputs"]) == len(truth.units)
    for unit in truth.units:
        for m in unit.members:
            for f in ("so_cccd", "so_dien_thoai", "ho_ten"):
                if m.get(f):
                    assert m[f] not in manifest, f"{f} leaked into run.json"
    assert not list(out.glob(".*.tmp")), "temporary files left behind"


def test_every_explanation_has_its_values_filled_in(dataset, tmp_path):
    """The "Giải thích" of changes.csv and the "Lý do" of the review file are read by the unit:
    no message may show a raw {placeholder}."""
    import csv
    import re

    folder, _ = dataset
    out = tmp_path / "out"
    res = api.clean([folder], out, today=TODAY, jobs=1)
    assert res.exit_code == 0
    placeholder = re.compile(r"\{[a-z_]+\}")
    rules = set()
    for p in sorted(out.glob("*.changes.csv")):
        with p.open(encoding="utf-8-sig", newline="") as f:
            for row in csv.DictReader(f):
                rules.add(row["Quy tắc"])
                assert not placeholder.search(row["Giải thích"]), (p.name, row["Quy tắc"], row["Giải thích"])
    assert {"duplicate.kept", "province.old_mapped"} <= rules  # the generated units have both
    for p in sorted(out.glob("*.review.xlsx")):
        for ws in openpyxl.load_workbook(p, read_only=True).worksheets:
            for row in ws.iter_rows(values_only=True):
                for v in row:
                    assert not (isinstance(v, str) and placeholder.search(v)), (p.name, v)


def test_replay_of_the_saved_recipe_is_byte_identical(dataset, tmp_path):
    folder, truth = dataset
    first = api.clean([folder], tmp_path / "a", today=TODAY, jobs=1)
    second = api.run(tmp_path / "a" / "recipe.yaml", [folder], tmp_path / "b", jobs=1)
    assert second.exit_code == 0
    for unit in truth.units:
        stem = Path(unit.file).stem
        for suffix in ("upload.xlsx", "review.xlsx", "changes.csv"):
            assert _sha(tmp_path / "a" / f"{stem}.{suffix}") == _sha(tmp_path / "b" / f"{stem}.{suffix}"), suffix
    assert _sha(tmp_path / "a" / "duplicates.xlsx") == _sha(tmp_path / "b" / "duplicates.xlsx")
    assert (tmp_path / "a" / "recipe.yaml").read_text(encoding="utf-8") == \
        (tmp_path / "b" / "recipe.yaml").read_text(encoding="utf-8")
    assert first.recipe.today == "2026-11-01"


def _bad_inputs(folder: Path) -> dict[str, str]:
    (folder / "rong.xlsx").write_bytes(b"")
    (folder / "hong.xlsx").write_bytes(b"PK\x03\x04 this is not really a workbook")
    wb = openpyxl.Workbook()
    wb.active.append(["Báo cáo tài chính quý 3"])
    wb.active.append(["Thu", "Chi", "Tồn"])
    wb.active.append([100, 50, 50])
    wb.save(folder / "khong_tieu_de.xlsx")
    return {"rong.xlsx": "read.empty_file", "hong.xlsx": "read.corrupt", "khong_tieu_de.xlsx": "layout.no_header",
            "khong_co.xlsx": "read.file_missing"}


def test_bad_files_get_a_vietnamese_message_and_the_run_goes_on(dataset, tmp_path, capsys):
    folder, truth = dataset
    bad = tmp_path / "bad"
    bad.mkdir()
    expected = _bad_inputs(bad)
    good = folder / truth.units[0].file
    code = cli_main(["clean", str(good), str(bad), str(bad / "khong_co.xlsx"), "--out", str(tmp_path / "o"),
                     "--today", "2026-11-01", "--quiet"])
    assert code == 1
    printed = capsys.readouterr().out
    run = json.loads((tmp_path / "o" / "run.json").read_text(encoding="utf-8"))
    by_file = {f["file"]: f for f in run["inputs"]}
    assert by_file[good.name]["ok"]
    assert (tmp_path / "o" / f"{good.stem}.upload.xlsx").exists()
    for name, code_ in expected.items():
        f = by_file[name]
        assert not f["ok"] and f["error_code"] == code_
        assert name in f["error_message"] and name in printed
        assert any(ch in f["error_message"] for ch in "ệảãạớờ"), "message must be Vietnamese"


def test_alt_template_spec_drives_the_output(dataset, tmp_path):
    folder, truth = dataset
    unit = truth.units[0]
    res = api.clean([folder / unit.file], tmp_path / "o", today=TODAY, template=FIX / "alt_spec.yaml")
    assert res.exit_code == 0
    wb = openpyxl.load_workbook(tmp_path / "o" / f"{Path(unit.file).stem}.upload.xlsx")
    assert wb.sheetnames == ["DSDV"]
    ws = wb["DSDV"]
    assert [c.value for c in ws[2]] == ["Số TT", "CCCD/CMND", "Họ và đệm", "Tên", "Giới", "Sinh ngày", "Điện thoại"]
    names = {" ".join(filter(None, (r[2], r[3]))) for r in ws.iter_rows(min_row=3, values_only=True)}
    canonical = {m["ho_ten"] for m in unit.members}
    assert names and len(names & canonical) >= 0.8 * len(names)


def test_corrected_review_comes_back_and_fixes_the_held_rows(tmp_path):
    """The unit types the right value in the review file; the next run uploads the row."""
    from unionclean.export.review import REVIEW_HEADERS
    from unionclean.synth import generate_people, write_unit_file

    people = generate_people(12, seed=5)
    src = tmp_path / "don_vi.xlsx"
    truth = write_unit_file(src, "Công đoàn Trường A", people, seed=5, mess_level="low", flag_rate=0.0,
                            dup_rate=0.0, layout={"dob3": False})
    wb = openpyxl.load_workbook(src)
    ws = next(w for w in wb.worksheets if w.sheet_state == "visible")
    # Find the first member's date-of-birth cell and make it a year only (must be flagged).
    target = None
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str) and c.value.strip().lower() in ("ngày sinh", "ngày tháng năm sinh",
                                                                        "năm sinh", "ngày, tháng, năm sinh"):
                target = c
        if target:
            break
    assert target is not None, "the generated file has a single date-of-birth column"
    first_member_row = target.row + 1
    while ws.cell(first_member_row, target.column).value in (None, ""):
        first_member_row += 1
    row_truth = next(r for r in truth.rows if r.row == first_member_row and r.sheet == ws.title)
    dob = next(m["ngay_sinh"] for m in truth.members if m["member_id"] == row_truth.member_id)
    ws.cell(first_member_row, target.column).value = dob[-4:]  # a year alone: flagged, row held back
    wb.save(src)
    out1 = tmp_path / "o1"
    r1 = api.clean([src], out1, today=TODAY)
    held_before = r1.files[0].counts["held_back"]
    assert held_before >= 1
    review = out1 / "don_vi.review.xlsx"
    rb = openpyxl.load_workbook(review)
    rs = rb[rb.sheetnames[0]]
    hdr_row = next(r for r in rs.iter_rows() if r[0].value == "STT")
    cols = {c.value: c.column for c in hdr_row}
    fixed = 0
    for row in rs.iter_rows(min_row=hdr_row[0].row + 1):
        if row[cols["Cột mẫu"] - 1].value == "Ngày sinh (*)" and str(row[cols["Dòng"] - 1].value) == str(first_member_row):
            row[cols[REVIEW_HEADERS[-1]] - 1].value = dob
            fixed += 1
    assert fixed == 1
    rb.save(review)
    out2 = tmp_path / "o2"
    code = cli_main(["clean", str(src), "--out", str(out2), "--today", "2026-11-01", "--quiet",
                     "--corrections", str(review)])
    assert code == 0
    run = json.loads((out2 / "run.json").read_text(encoding="utf-8"))
    assert run["inputs"][0]["counts"]["held_back"] == held_before - 1
    cells = run["recipe"]["decisions"]["cells"]
    assert cells and cells[0]["action"] == "set" and cells[0]["field"] == "ngay_sinh"


def test_merged_duplicate_prefers_the_name_with_diacritics(tmp_path):
    """Two rows of one person, the first typed without diacritics: the merged row keeps the
    spelled name, and the difference is listed for review."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "DS"
    ws.append(["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Dân tộc", "Ngày vào công đoàn"])
    ws.append([1, "Tran Van Chien", "05/01/1976", "Nam", "079076081211", "Kinh", "10/09/2004"])
    ws.append([2, "Lê Thị Hoa", "06/02/1980", "Nữ", "079180081212", "Kinh", "10/09/2005"])
    ws.append([3, "Trần Văn Chiến", "05/01/1976", "Nam", "079076081211", "Kinh", "10/09/2004"])
    src = tmp_path / "u.xlsx"
    wb.save(src)
    o = clean_file(src, load_spec(), today=TODAY)
    names = sorted(r.value("ho_ten") for r in o.upload)
    assert names == ["Lê Thị Hoa", "Trần Văn Chiến"]
    assert any(it.reason == "duplicate.conflict" and it.field == "ho_ten" for it in o.review)


def test_a_worker_that_dies_fails_only_its_file(dataset, tmp_path, monkeypatch):
    """An engine abort that kills a worker process must not stop the province run."""
    import os

    folder, truth = dataset
    killer = truth.units[1].file
    original = api._process

    def dies_on_one_file(path, *args):
        if Path(path).name == killer:
            os._exit(1)  # what a native abort looks like to the pool
        return original(path, *args)

    monkeypatch.setattr(api, "_process", dies_on_one_file)  # inherited by the forked workers
    res = api.clean([folder], tmp_path / "o", today=TODAY, jobs=2, cross_unit=False)
    by_file = {f.file: f for f in res.files}
    assert not by_file[killer].ok and by_file[killer].error_code == "run.worker_died"
    assert killer in by_file[killer].error_message
    assert all(f.ok for name, f in by_file.items() if name != killer)
    assert res.exit_code == 1


def test_cross_unit_matching_can_be_left_out(dataset, tmp_path):
    folder, truth = dataset
    files = [str(folder / u.file) for u in truth.units[:3]]
    assert cli_main(["clean", *files, "--out", str(tmp_path / "with"), "--today", "2026-11-01", "--quiet"]) == 0
    assert (tmp_path / "with" / "duplicates.xlsx").exists()
    assert cli_main(["clean", *files, "--out", str(tmp_path / "without"), "--today", "2026-11-01", "--quiet",
                     "--no-cross-unit"]) == 0
    assert not (tmp_path / "without" / "duplicates.xlsx").exists()
    run = json.loads((tmp_path / "without" / "run.json").read_text(encoding="utf-8"))
    assert "cross_unit" not in run["phases"] and run["duplicates_report"] == ""


@pytest.mark.parametrize("n", [1, 7, 100, 2864])
def test_files_go_to_workers_in_order_and_end_one_by_one(n):
    from unionclean.api import _chunks

    chunks = _chunks([(i,) for i in range(n)], 2)
    assert [a for c in chunks for a in c] == [(i,) for i in range(n)]
    assert max(map(len, chunks)) <= 16 and all(len(c) == 1 for c in chunks[-min(n, 8):])


def test_cleaning_files_makes_no_reference_cycles(dataset, tmp_path):
    """Workers run with the cyclic collector off (``api._after_file``): that is only safe while
    a file's objects, good input or bad, are freed by reference counting alone."""
    import gc

    folder, truth = dataset
    bad = tmp_path / "bad"
    bad.mkdir()
    _bad_inputs(bad)
    paths = [folder / u.file for u in truth.units] + sorted(bad.iterdir()) + [bad / "khong_co.xlsx"]
    api._process(str(paths[0]), str(tmp_path / "warm"), None, TODAY, {}, True)  # imports, caches
    gc.collect()
    gc.disable()
    try:
        summaries = [api._process(str(p), str(tmp_path / "o"), None, TODAY, {}, True) for p in paths]
        found = gc.collect()
    finally:
        gc.enable()
    assert [s.ok for s in summaries] == [True] * len(truth.units) + [False] * 4
    assert found == 0
