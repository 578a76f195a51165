"""Shared pieces of the notebook widgets: Vietnamese labels, a displayable panel base class,
a progress bar, masked previews and small HTML helpers.

Example:
    >>> t("ui.flags.accept")
    'Nhận đề xuất'
"""
from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any, Callable

import ipywidgets as W
import pandas as pd

from unionclean.messages import message
from unionclean.privacy import mask_frame
from unionclean.spec import TemplateSpec

__all__ = ["t", "Panel", "ProgressBar", "field_label", "summary_table", "masked_preview", "esc",
           "html_table"]

_REQUIRED_MARK = re.compile(r"\s*\(\*\)\s*$")
#: Counts of :meth:`FileOutcome.counts` in the order people read them.
SUMMARY_KEYS = ("rows_read", "members_out", "held_back", "merged_duplicates", "review_items", "changes",
                "skipped_rows")


def t(code: str, /, **params: object) -> str:
    """The Vietnamese text of a ``ui.*`` message code."""
    return message(code, **params)


def esc(value: object) -> str:
    """HTML-escaped text of a value (``None`` → empty)."""
    return html.escape("" if value is None else str(value))


def field_label(spec: TemplateSpec, field: str) -> str:
    """The template's column header of a member field without the required mark
    (``so_cccd`` → ``Số CCCD``)."""
    for part in (False, True):
        for c in spec.columns:
            if c.field == field and bool(c.part) == part:
                return _REQUIRED_MARK.sub("", c.header)
    return field or t("ui.dash.other")


class Panel:
    """A widget group that displays itself in a notebook and in Voilà (``self.widget``)."""

    widget: W.Widget

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


class ProgressBar(Panel):
    """A labelled progress bar; call it as ``bar(done, total)`` (the ``progress`` callback of
    :func:`unionclean.api.clean`) or use :meth:`step` for named steps."""

    def __init__(self, total: int = 1, description: str = "") -> None:
        self.bar = W.IntProgress(value=0, min=0, max=max(1, total), bar_style="info",
                                 layout=W.Layout(width="60%"))
        self.label = W.HTML(esc(description or t("ui.run.working")))
        self.widget = W.HBox([self.bar, self.label])

    def __call__(self, done: int, total: int) -> None:
        self.bar.max = max(1, total)
        self.bar.value = min(done, self.bar.max)
        self.label.value = esc(t("ui.run.files", done=done, total=total))
        if done >= total:
            self.finish()

    def step(self, done: int, total: int, text: str) -> None:
        """Show step ``done`` of ``total`` with its Vietnamese name."""
        self.bar.max = max(1, total)
        self.bar.value = min(done, self.bar.max)
        self.bar.bar_style = "info"
        self.label.value = esc(text)

    def finish(self) -> None:
        self.bar.value = self.bar.max
        self.bar.bar_style = "success"
        self.label.value = esc(t("ui.run.done"))


def summary_table(counts: dict[str, int]) -> pd.DataFrame:
    """Counts of a cleaned file (or totals of a run) as a two-column Vietnamese table."""
    rows = [(t(f"ui.summary.{k}"), int(counts.get(k, 0))) for k in SUMMARY_KEYS if k in counts]
    return pd.DataFrame(rows, columns=[t("ui.summary.item"), t("ui.summary.count")])


def masked_preview(path: str | Path, n: int = 5, header_row: int | None = None) -> pd.DataFrame:
    """The first ``n`` data rows of an output workbook (or CSV), ID numbers and phones masked.

    ``header_row`` is the 0-based row holding the column headers; by default the first row whose
    cells are all filled is used (upload files carry title rows above the header)."""
    p = Path(path)
    if p.suffix.lower() == ".csv":
        df = pd.read_csv(p, dtype=str, keep_default_na=False, nrows=n)
        return mask_frame(df)
    raw = pd.read_excel(p, header=None, dtype=str, engine="calamine").fillna("")
    if header_row is None:
        width = raw.shape[1]
        filled = (raw != "").sum(axis=1)
        header_row = int(filled[filled >= max(1, width - 1)].index[0]) if (filled >= max(1, width - 1)).any() else 0
    df = raw.iloc[header_row + 1:header_row + 1 + n].copy()
    df.columns = [str(c) for c in raw.iloc[header_row]]
    return mask_frame(df.reset_index(drop=True))


def html_table(rows: list[list[str]], header: list[str] | None = None,
               cell_style: Callable[[int, int], str] | None = None) -> str:
    """A small HTML table from already-escaped cell texts."""
    out = ['<table style="border-collapse:collapse;font-size:13px">']
    if header:
        out.append("<tr>" + "".join(
            f'<th style="border:1px solid #ccc;padding:3px 6px;background:#eef3fa;text-align:left">{h}</th>'
            for h in header) + "</tr>")
    for i, r in enumerate(rows):
        cells = []
        for j, v in enumerate(r):
            extra = cell_style(i, j) if cell_style else ""
            cells.append(f'<td style="border:1px solid #ccc;padding:3px 6px;{extra}">{v}</td>')
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "".join(out)
