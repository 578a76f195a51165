"""The flagged-cell reviewer: accept, type a correction, leave for the unit."""
from __future__ import annotations

import pytest
from conftest import assert_masked, widget_texts

from unionclean.ui import FlagReviewer


def _cells(recipe):
    return {(c["loc"], c["field"]): (c["action"], c["value"]) for c in recipe.decisions.get("cells", [])}


def test_lists_cell_items_only_and_masks(session):
    rv = FlagReviewer(session, page_size=100)
    flagged = session.flagged()
    assert len(rv.items) == int((flagged["Trường"] != "").sum()) > 0
    assert_masked(widget_texts(rv.widget))


def test_each_click_is_recorded_in_the_recipe(session):
    rv = FlagReviewer(session)
    with_prop = next(i for i in range(len(rv.items)) if rv.items.iloc[i]["Đề xuất"])
    it = rv.items.iloc[with_prop]
    rv.decide(with_prop, "accept")
    assert _cells(session.recipe)[(it["Vị trí"], it["Trường"])] == ("accept", "")
    rv.decide(with_prop, "leave")  # a later click replaces the earlier one
    assert _cells(session.recipe)[(it["Vị trí"], it["Trường"])] == ("leave", "")
    assert len(session.recipe.decisions["cells"]) == 1


def test_typed_correction_is_recorded_when_typed(session):
    rv = FlagReviewer(session)
    i = next(i for i in range(len(rv.items)) if rv.items.iloc[i]["Trường"] == "ho_ten")
    rv._row(i)
    tb, box, note = rv.controls[i]
    tb.value = "set"
    assert _cells(session.recipe) == {}  # nothing typed yet
    box.value = "Nguyễn Văn An"
    it = rv.items.iloc[i]
    assert _cells(session.recipe)[(it["Vị trí"], "ho_ten")] == ("set", "Nguyễn Văn An")
    assert "Sửa thành" in note.value


def test_apply_reruns_and_the_corrected_cell_is_no_longer_flagged(session):
    rv = FlagReviewer(session)
    i = next(i for i in range(len(rv.items)) if rv.items.iloc[i]["Trường"] == "dan_toc")
    it = rv.items.iloc[i]
    rv.decide(i, "set", "Kinh")
    rv.apply_button.click()
    left = {(r["Vị trí"], r["Trường"]) for _, r in rv.items.iterrows()}
    assert (it["Vị trí"], it["Trường"]) not in left
    assert "1" in rv.status.value


def test_paging_and_field_filter(session):
    rv = FlagReviewer(session, page_size=2)
    n = len(rv.items)
    assert len(rv.rows.children) == min(2, n)
    if n > 2:
        rv.next_button.click()
        assert rv.page == 1
    field = rv.items.iloc[0]["Trường"]
    rv.field_filter.value = field
    assert rv.page == 0 and len(rv._visible()) == int((rv.items["Trường"] == field).sum())


def test_unknown_action_is_refused(session):
    with pytest.raises(ValueError):
        FlagReviewer(session).decide(0, "guess")
