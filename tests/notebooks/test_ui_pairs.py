"""The side-by-side pair reviewer, within a unit and across units."""
from __future__ import annotations

import openpyxl
from conftest import assert_masked, widget_texts

from unionclean.match.crossunit import REPORT_COLUMNS, SHEET
from unionclean.recipe import Recipe
from unionclean.ui import PairReviewer
from unionclean.ui.pairs import PairView


def test_session_pairs_are_shown_masked_with_differences_highlighted(session):
    rv = PairReviewer.for_session(session)
    assert len(rv.pairs) >= 1
    html = rv.comparison_html(0)
    assert_masked(widget_texts(rv.widget) + [html])
    for f in rv.pairs[0].differing():
        assert "background:#ffe08a" in html and rv.labels[f] in html


def test_decisions_go_into_the_recipe(session):
    rv = PairReviewer.for_session(session)
    p = rv.pairs[0]
    rv.decide(0, "keep_apart")
    assert [p.loc_a, p.loc_b] in session.recipe.decisions["pairs"]["keep_apart"]
    rv.controls[0].value = "merge"
    pairs = session.recipe.decisions["pairs"]
    assert [p.loc_a, p.loc_b] in pairs["merge"] and not pairs["keep_apart"]
    rv.decide(0, "later")
    assert not session.recipe.decisions["pairs"]["merge"]


def test_highlight_only_on_fields_that_differ():
    p = PairView("a|S|1", "a|S|2", "S 1", "S 2", "x", 80.0,
                 {"ho_ten": "Lê Văn A", "ngay_sinh": "01/01/1980", "so_cccd": "001080000001"},
                 {"ho_ten": "Lê Văn A", "ngay_sinh": "01/01/1981", "so_cccd": ""})
    assert p.differing() == ["ngay_sinh"]
    html = PairReviewer([p], lambda *a: None).comparison_html(0)
    assert html.count("#ffe08a") == 2  # both cells of the birth date row
    assert "001*******01" in html and "001080000001" not in html


def test_cross_unit_report_decisions(tmp_path):
    path = tmp_path / "duplicates.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(REPORT_COLUMNS)
    ws.append([1, "CĐ A", "a.xlsx", "DS", 5, "Lê Thị Hoa", "02/03/1985", "Nữ", "001185000123",
               "Cùng số CCCD", 98, "", "Gộp (chắc chắn)", ""])
    ws.append([1, "CĐ B", "b.csv", "", 9, "Lê Thị Hoa", "02/03/1985", "Nữ", "001185000123",
               "Cùng số CCCD", 98, "", "Gộp (chắc chắn)", ""])
    wb.save(path)
    recipe = Recipe.new("2026-11-01")
    rv = PairReviewer.for_duplicates(path, recipe)
    assert len(rv.pairs) == 1 and "CĐ B" in rv.pairs[0].where_b
    assert_masked(widget_texts(rv.widget))
    rv.decide(0, "merge")
    assert recipe.decisions["pairs"]["merge"] == [["a.xlsx|DS|5", "b.csv||9"]]
