"""Confirming or overriding the column mapping: one row per source column with a drop-down of the
template's columns and the match score. Changes go into the session's recipe
(:meth:`CleaningSession.set_mapping`).

Example:
    >>> editor = MappingEditor(session)                           # doctest: +SKIP
    >>> editor.choose("Danh sach", "Ghi chú khác", None)          # doctest: +SKIP
    >>> editor.confirm()                                          # doctest: +SKIP
"""
from __future__ import annotations

from collections import Counter
from typing import Callable

import ipywidgets as W

from unionclean.session import CleaningSession
from unionclean.ui.common import Panel, esc, field_label, t

__all__ = ["MappingEditor", "score_colour"]

_CELL = W.Layout(width="auto")


def score_colour(score: float, note: str) -> str:
    """Background colour of a score: green (certain), yellow (check), orange (not mapped)."""
    if note and note != "":
        return "#fde2c8" if score <= 0 else "#fff3b0"
    if score >= 90:
        return "#d7f0d2"
    if score >= 70:
        return "#fff3b0"
    return "#fde2c8"


class MappingEditor(Panel):
    """The mapping table with drop-downs.

    Args:
        session: The cleaning session of the unit file.
        on_confirm: Called (without arguments) after :meth:`confirm` recorded the choices —
            the unit-cleaning app re-runs the cleaning there.
    """

    def __init__(self, session: CleaningSession | None = None,
                 on_confirm: Callable[[], None] | None = None) -> None:
        self.on_confirm = on_confirm
        self.session: CleaningSession | None = None
        self.dropdowns: dict[tuple[str, str], W.Dropdown] = {}
        self._initial: dict[tuple[str, str], str] = {}
        self._keys: dict[tuple[str, str], str] = {}
        self.grid = W.VBox()
        self.confirm_button = W.Button(description=t("ui.mapping.confirm"), button_style="primary",
                                       icon="check", layout=W.Layout(width="auto"))
        self.confirm_button.on_click(lambda _: self.confirm())
        self.status = W.HTML()
        self.widget = W.VBox([W.HTML(f"<b>{esc(t('ui.mapping.title'))}</b><br><i>{esc(t('ui.mapping.help'))}</i>"),
                              self.grid, self.confirm_button, self.status])
        if session is not None:
            self.load(session)

    def load(self, session: CleaningSession) -> None:
        """Show the mapping of ``session``'s file (proposals plus earlier overrides)."""
        self.session = session
        table = session.mapping_table()
        spec = session.spec
        options = [(t("ui.mapping.ignore"), "")] + [(field_label(spec, f), f) for f in spec.fields]
        self.dropdowns.clear()
        self._initial.clear()
        self._keys.clear()
        if table.empty:
            self.grid.children = [W.HTML(esc(t("ui.mapping.empty")))]
            self.confirm_button.disabled = True
            return
        self.confirm_button.disabled = False
        dup = Counter(zip(table["Trang tính"], table["Tiêu đề nguồn"]))
        head = [t("ui.mapping.sheet"), t("ui.mapping.column"), t("ui.mapping.header"), t("ui.mapping.field"),
                t("ui.mapping.score"), t("ui.mapping.note")]
        cells: list[W.Widget] = [W.HTML(f"<b>{esc(h)}</b>", layout=_CELL) for h in head]
        for r in table.itertuples(index=False):
            sheet, letter, header, field, score, note = r
            key = (sheet, header if dup[(sheet, header)] == 1 else letter)
            dd = W.Dropdown(options=options, value=field if field in spec.fields else "",
                            layout=W.Layout(width="220px"))
            self.dropdowns[key] = dd
            self._initial[key] = dd.value
            self._keys[key] = key[1]
            colour = score_colour(float(score), note)
            cells += [W.HTML(esc(sheet), layout=_CELL), W.HTML(esc(letter), layout=_CELL),
                      W.HTML(esc(header), layout=_CELL), dd,
                      W.HTML(f'<span style="background:{colour};padding:2px 8px">{float(score):.0f}</span>',
                             layout=_CELL),
                      W.HTML(esc(note), layout=_CELL)]
        self.grid.children = [W.GridBox(cells, layout=W.Layout(
            grid_template_columns="repeat(2, max-content) minmax(160px, max-content) 230px max-content auto",
            grid_gap="2px 10px", align_items="center"))]
        self.status.value = ""

    def choose(self, sheet: str, header: str, field: str | None) -> None:
        """Set one drop-down as a person would (``None`` or ``""`` ignores the column)."""
        self.dropdowns[(sheet, header)].value = field or ""

    def changes(self) -> dict[tuple[str, str], str | None]:
        """Drop-downs the person changed: ``(sheet, header) → field`` (``None`` = ignore)."""
        return {k: (dd.value or None) for k, dd in self.dropdowns.items() if dd.value != self._initial[k]}

    def confirm(self) -> int:
        """Record every changed drop-down in the recipe, then call ``on_confirm``.
        Returns the number of changes recorded."""
        if self.session is None:
            return 0
        changed = self.changes()
        for (sheet, header), field in changed.items():
            self.session.set_mapping(sheet, header, field)
        for k in changed:
            self._initial[k] = self.dropdowns[k].value
        if self.on_confirm:
            self.on_confirm()
        # Last, so the message shows once the panels below are refreshed.
        self.status.value = esc(t("ui.mapping.changed", n=len(changed)) if changed else t("ui.mapping.confirmed"))
        return len(changed)
