"""The mapping editor, driven through its drop-downs and button."""
from __future__ import annotations

from conftest import widget_texts

from unionclean.ui import MappingEditor
from unionclean.ui.common import t


def test_one_dropdown_per_source_column_with_the_proposal(session):
    table = session.mapping_table()
    ed = MappingEditor(session)
    assert len(ed.dropdowns) == len(table)
    for r in table.itertuples(index=False):
        dd = ed.dropdowns[(r[0], r[2])]
        assert dd.value == (r[3] or "")
        assert t("ui.mapping.ignore") in dd.label or dd.value
    assert ed.changes() == {}


def test_changed_dropdown_goes_into_the_recipe_and_calls_back(session):
    calls = []
    ed = MappingEditor(session, on_confirm=lambda: calls.append(1))
    (sheet, header), dd = next((k, d) for k, d in ed.dropdowns.items() if d.value == "email")
    dd.value = ""  # the person ignores the e-mail column
    ed.confirm_button.click()
    assert session.recipe.params("map_columns")["overrides"][sheet][header] is None
    assert calls == [1]
    assert "1" in ed.status.value
    # The proposal shown again now carries the override.
    ed.load(session)
    assert ed.dropdowns[(sheet, header)].value == ""


def test_confirm_without_change_records_nothing(session):
    ed = MappingEditor(session)
    assert ed.confirm() == 0
    assert session.recipe.params("map_columns")["overrides"] == {}
    assert ed.status.value == t("ui.mapping.confirmed")


def test_override_changes_the_next_run(session):
    ed = MappingEditor(session)
    sheet, header = next(k for k, d in ed.dropdowns.items() if d.value == "email")
    ed.choose(sheet, header, None)
    ed.confirm()
    outcome = session.run()
    assert "email" not in outcome.mapping[sheet]


def test_labels_are_vietnamese(session):
    texts = " ".join(widget_texts(MappingEditor(session).widget))
    for word in ("Ghép cột", "Tiêu đề trong tệp", "Cột của mẫu", "Điểm", "Xác nhận ghép cột và làm sạch"):
        assert word in texts
