"""The unit-cleaning app end to end, the file chooser, the folder run with its dashboard, the
central reconciliation, the message catalogue and the committed notebooks."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import NOTEBOOKS, ROOT, TODAY, UNIT_FILE, assert_masked, widget_texts

from unionclean import ui
from unionclean.messages import has_message
from unionclean.recipe import Recipe


def test_app_from_file_to_upload(data_dir, tmp_path):
    out = tmp_path / "out"
    app = ui.UnitCleaningApp(data_dir / "mot_don_vi", out=out, today=TODAY)
    assert app.session is not None and app.session.path.name == UNIT_FILE
    # mapping: ignore the e-mail column, confirm (cleans again)
    sheet, header = next(k for k, d in app.mapping.dropdowns.items() if d.value == "email")
    app.mapping.choose(sheet, header, None)
    app.mapping.confirm_button.click()
    # review: accept the first proposal; pairs: keep the first pair apart
    i = next(i for i in range(len(app.flags.items)) if app.flags.items.iloc[i]["Đề xuất"])
    app.flags.decide(i, "accept")
    app.pairs.decide(0, "keep_apart")
    app.writer.button.click()
    files = app.writer.files
    assert (out / files["upload"]).is_file() and (out / files["review"]).is_file()
    saved = Recipe.load(out / "recipe.yaml")
    assert saved.params("map_columns")["overrides"][sheet][header] is None
    assert saved.decisions["cells"][0]["action"] == "accept"
    assert saved.decisions["pairs"]["keep_apart"]
    assert_masked(widget_texts(app.writer.widget) + widget_texts(app.flags.widget) + widget_texts(app.pairs.widget))
    assert app.summary.progress.bar.bar_style == "success"


def test_app_reports_a_broken_file_in_vietnamese(data_dir, tmp_path):
    app = ui.UnitCleaningApp(data_dir / "don_vi", out=tmp_path, file="u05_tep_hong.xlsx")
    assert app.session is None
    assert "u05_tep_hong.xlsx" in app.chooser.status.value and "Không mở được" in app.chooser.status.value
    app.chooser.files.value = next(n for n in app.chooser.files.options if n.endswith(".xlsx") and "hong" not in n)
    app.chooser.open_button.click()
    assert app.session is not None


def test_file_chooser_lists_unit_files_only(tmp_path):
    for n in ("b.xlsx", "a.csv", "~$b.xlsx", ".hidden.csv", "notes.txt", "old.xls"):
        (tmp_path / n).write_bytes(b"x")
    opened = []
    ch = ui.FileChooser(tmp_path, on_open=opened.append)
    assert list(ch.files.options) == ["a.csv", "b.xlsx", "old.xls"]
    ch.files.value = "b.xlsx"
    ch.open_button.click()
    assert opened == [[tmp_path / "b.xlsx"]]
    multi = ui.FileChooser(tmp_path, multiple=True)
    assert [p.name for p in multi.selected] == ["a.csv", "b.xlsx", "old.xls"]
    multi.folder.value = str(tmp_path / "missing")
    multi.refresh_button.click()
    assert multi.selected == [] and "Không có tệp" in multi.status.value


def test_folder_run_dashboard_and_outputs(data_dir, tmp_path):
    runs = ui.RunPanel(data_dir / "don_vi", out=tmp_path / "out", today=TODAY)
    table = ui.run_table(runs.result)
    assert len(table) == 5
    assert table["Tình trạng"].str.startswith("Lỗi").sum() == 1  # the broken file, reported, not fatal
    html = ui.dashboard(runs.result).data
    for f in runs.result.files:
        if f.ok:
            assert Path(f.file).stem in html
    assert "Số ô cần xem theo cột" in html
    assert_masked([html])
    outs = ui.output_table(runs.result)
    assert "recipe.yaml" in set(outs.iloc[:, 1])
    assert runs.progress.bar.value == runs.progress.bar.max
    assert runs.save_recipe().is_file()


def test_replay_of_the_sample_recipe(data_dir, tmp_path):
    rp = ui.ReplayPanel(data_dir / "cong_thuc_mau.yaml", data_dir / "thang_sau", tmp_path / "o", today="2026-12-01")
    assert rp.result.exit_code == 0
    prev = ui.upload_preview(rp.result)
    assert len(prev) == 5
    assert_masked([prev.to_string()])
    assert len(ui.recipe_table(data_dir / "cong_thuc_mau.yaml")) >= 1


def test_central_reconciliation(session, data_dir):
    rec = ui.reconcile_session(session, data_dir / "xuat_tu_he_thong.csv", unit="Công đoàn Trường Tiểu học Kim Đồng")
    st = ui.status_table(rec)
    o = session.outcome
    assert int(st["Số lượng"].iloc[:-1].sum()) == len(o.upload) + len(o.held)
    assert len(ui.status_rows(rec, "new")) > 0 and len(ui.missing_rows(rec)) > 0
    for df in (ui.status_rows(rec, s) for s in ("new", "unchanged", "other_unit", "review")):
        assert_masked([df.to_string()])
    assert_masked([ui.missing_rows(rec).to_string()])


def test_every_ui_message_code_exists():
    src = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "unionclean" / "ui").glob("*.py"))
    codes = set(re.findall(r"""t\(\s*f?["'](ui\.[a-z_.]+)["']""", src))
    codes |= {f"ui.summary.{k}" for k in ui.common.SUMMARY_KEYS}
    codes |= {f"ui.central.{s}" for s in ui.central.STATUSES}
    assert codes and not sorted(c for c in codes if not has_message(c))


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("0*.ipynb")), ids=lambda p: p.name)
def test_committed_notebooks_are_scrubbed_and_thin(path):
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import notebooks as tool
    finally:
        sys.path.pop(0)
    nb = nbformat.read(path, as_version=4)
    assert tool.is_scrubbed(nb) == []
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not re.search(r"^\s*(def|class|for|while|if)\b", cell.source, re.M), cell.source
            assert "import pandas" not in cell.source
