"""Reviewing flagged cells: for each one accept the proposal, type a correction, or leave it for the
unit. Every choice is recorded at once in the session's recipe
(:meth:`CleaningSession.decide_cell`); the values shown are masked.

Example:
    >>> reviewer = FlagReviewer(session)                          # doctest: +SKIP
    >>> reviewer.decide(0, "set", "05/01/1976")                   # doctest: +SKIP
    >>> reviewer.apply()                                          # doctest: +SKIP
"""
from __future__ import annotations

from typing import Callable

import ipywidgets as W
import pandas as pd

from unionclean.session import CleaningSession
from unionclean.ui.common import Panel, esc, field_label, t

__all__ = ["FlagReviewer", "ACTIONS"]

#: The three choices on a flagged cell, in the order of the buttons.
ACTIONS = ("accept", "set", "leave")


class FlagReviewer(Panel):
    """Flagged cells of a session, a page at a time.

    Args:
        session: The cleaning session (already run, or run on first use).
        page_size: Cells per page.
        on_apply: Called after :meth:`apply` (the app re-runs the cleaning and refreshes).
    """

    def __init__(self, session: CleaningSession | None = None, *, page_size: int = 8,
                 on_apply: Callable[[], None] | None = None) -> None:
        self.page_size = page_size
        self.on_apply = on_apply
        self.session: CleaningSession | None = None
        self.items = pd.DataFrame()
        self.page = 0
        self.controls: dict[int, tuple[W.ToggleButtons, W.Text, W.HTML]] = {}
        self.field_filter = W.Dropdown(description=t("ui.flags.field_filter"), options=[("", "")],
                                       style={"description_width": "initial"})
        self.field_filter.observe(lambda _: self._goto(0), names="value")
        self.prev_button = W.Button(description=t("ui.flags.prev"), layout=W.Layout(width="auto"))
        self.next_button = W.Button(description=t("ui.flags.next"), layout=W.Layout(width="auto"))
        self.prev_button.on_click(lambda _: self._goto(self.page - 1))
        self.next_button.on_click(lambda _: self._goto(self.page + 1))
        self.page_label = W.HTML()
        self.rows = W.VBox()
        self.apply_button = W.Button(description=t("ui.flags.apply"), button_style="primary", icon="check",
                                     layout=W.Layout(width="auto"))
        self.apply_button.on_click(lambda _: self.apply())
        self.status = W.HTML()
        self.widget = W.VBox([
            W.HTML(f"<b>{esc(t('ui.flags.title'))}</b><br><i>{esc(t('ui.flags.help'))}</i>"),
            W.HBox([self.field_filter, self.prev_button, self.page_label, self.next_button]),
            self.rows, self.apply_button, self.status])
        if session is not None:
            self.load(session)

    # ------------------------------------------------------------------ data
    def load(self, session: CleaningSession) -> None:
        """Show the flagged cells of ``session`` (cell-level items only; whole-row notes such as
        a possible duplicate are reviewed in the pair reviewer)."""
        self.session = session
        df = session.flagged(masked=True)
        if not df.empty:
            df = df[df["Trường"] != ""].reset_index(drop=True)
        self.items = df
        self.controls = {}
        fields = list(dict.fromkeys(df["Trường"])) if not df.empty else []
        self.field_filter.unobserve_all("value")
        self.field_filter.options = [(t("ui.flags.all_fields"), "")] + [
            (field_label(session.spec, f), f) for f in fields]
        self.field_filter.value = ""
        self.field_filter.observe(lambda _: self._goto(0), names="value")
        self.status.value = ""
        self._goto(0)

    def _visible(self) -> list[int]:
        if self.items.empty:
            return []
        f = self.field_filter.value
        return [i for i, v in enumerate(self.items["Trường"]) if not f or v == f]

    def _goto(self, page: int) -> None:
        idx = self._visible()
        if not idx:
            self.rows.children = [W.HTML(esc(t("ui.flags.none")))]
            self.page_label.value = ""
            self.prev_button.disabled = self.next_button.disabled = True
            self.apply_button.disabled = self.items.empty
            return
        pages = (len(idx) + self.page_size - 1) // self.page_size
        self.page = max(0, min(page, pages - 1))
        self.prev_button.disabled = self.page == 0
        self.next_button.disabled = self.page >= pages - 1
        self.apply_button.disabled = False
        self.page_label.value = esc(t("ui.flags.page", page=self.page + 1, pages=pages, n=len(idx)))
        shown = idx[self.page * self.page_size:(self.page + 1) * self.page_size]
        self.rows.children = [self._row(i) for i in shown]

    def _existing(self, loc: str, field: str) -> dict | None:
        for c in (self.session.recipe.decisions.get("cells") or []) if self.session else []:
            if c.get("loc") == loc and c.get("field") == field:
                return c
        return None

    def _row(self, i: int) -> W.Widget:
        it = self.items.iloc[i]
        spec = self.session.spec
        if i not in self.controls:
            opts = [(t("ui.flags.accept"), "accept"), (t("ui.flags.set"), "set"), (t("ui.flags.leave"), "leave")]
            if not it["Đề xuất"]:
                opts = opts[1:]
            tb = W.ToggleButtons(options=opts, value=None, style={"button_width": "auto"})
            box = W.Text(placeholder=t("ui.flags.value"), layout=W.Layout(width="200px"), continuous_update=False)
            note = W.HTML()
            old = self._existing(it["Vị trí"], it["Trường"])
            if old and old.get("action") in dict((v, k) for k, v in opts):
                tb.value = old["action"]
                box.value = str(old.get("value") or "")
            tb.observe(lambda ch, i=i: self._record(i), names="value")
            box.observe(lambda ch, i=i: self._record(i) if self.controls[i][0].value == "set" else None,
                        names="value")
            self.controls[i] = (tb, box, note)
        tb, box, note = self.controls[i]
        held = f' <span style="color:#b00">({esc(t("ui.flags.held"))})</span>' if bool(it["Giữ lại"]) else ""
        info = (f'<div style="line-height:1.35"><b>{esc(field_label(spec, it["Trường"]))}</b> — '
                f'{esc(t("ui.flags.where_text", sheet=it["Trang tính"], row=it["Dòng"], column=it["Cột nguồn"]))}{held}<br>'
                f'{esc(t("ui.flags.original"))}: <code>{esc(it["Giá trị gốc"])}</code>'
                + (f' → {esc(t("ui.flags.proposal"))}: <code>{esc(it["Đề xuất"])}</code>' if it["Đề xuất"] else "")
                + f'<br><span style="color:#555">{esc(it["Lý do"])}</span></div>')
        return W.VBox([W.HTML(info), W.HBox([tb, box, note])],
                      layout=W.Layout(border="1px solid #ddd", padding="4px", margin="2px 0"))

    # ------------------------------------------------------------------ decisions
    def _record(self, i: int) -> None:
        tb, box, note = self.controls[i]
        if tb.value is None or self.session is None:
            return
        it = self.items.iloc[i]
        value = box.value.strip() if tb.value == "set" else ""
        if tb.value == "set" and not value:
            return  # nothing typed yet: recorded when the value is typed
        self.session.decide_cell(it["Vị trí"], it["Trường"], tb.value, value)
        label = dict((v, k) for k, v in tb.options)[tb.value]
        note.value = f'<span style="color:#080">{esc(t("ui.flags.recorded", action=label))}</span>'

    def decide(self, i: int, action: str, value: str = "") -> None:
        """Decide item ``i`` (0-based, in the order of :attr:`items`) as a person would click."""
        if action not in ACTIONS:
            raise ValueError(f"action must be one of {ACTIONS}, not {action!r}")
        if i not in self.controls:
            self._row(i)
        tb, box, _ = self.controls[i]
        box.value = value
        tb.value = action

    def apply(self) -> int:
        """Clean again with the recorded decisions and refresh; returns the number of decisions."""
        if self.session is None:
            return 0
        n = len(self.session.recipe.decisions.get("cells") or [])
        self.session.run()
        if self.on_apply:
            self.on_apply()
        else:
            self.load(self.session)
        self.status.value = esc(t("ui.flags.decided", n=n))
        return n
