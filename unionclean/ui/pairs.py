"""Reviewing possible duplicates side by side, differing fields highlighted: merge, keep apart,
or decide later. Works on the within-unit pairs of a session and on the cross-unit groups of
``duplicates.xlsx``; every decision goes into the recipe (``decisions.pairs``).

Example:
    >>> reviewer = PairReviewer.for_session(session)              # doctest: +SKIP
    >>> reviewer.decide(0, "keep_apart")                          # doctest: +SKIP
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import ipywidgets as W
import pandas as pd

from unionclean.privacy import mask_id, mask_phone
from unionclean.recipe import Recipe
from unionclean.session import CleaningSession
from unionclean.ui.common import Panel, esc, html_table, t

__all__ = ["PairReviewer", "PairView", "record_pair_decision", "pairs_from_session", "pairs_from_duplicates"]

PAIR_ACTIONS = ("merge", "keep_apart", "later")
COMPARED = ("ho_ten", "ngay_sinh", "gioi_tinh", "so_cccd", "so_dien_thoai")
_MASK = {"so_cccd": mask_id, "so_dien_thoai": mask_phone}
_DIFF = "background:#ffe08a;font-weight:bold"


@dataclass
class PairView:
    """One pair to show: locations, where they are (text), match level and score, and the
    compared values (unmasked here; masked when shown)."""

    loc_a: str
    loc_b: str
    where_a: str
    where_b: str
    level: str
    score: float
    values_a: dict[str, str] = field(default_factory=dict)
    values_b: dict[str, str] = field(default_factory=dict)

    def differing(self) -> list[str]:
        """Fields present on both rows with different values."""
        return [f for f in self.values_a
                if self.values_a.get(f) and self.values_b.get(f) and self.values_a[f] != self.values_b[f]]


def record_pair_decision(recipe: Recipe, loc_a: str, loc_b: str, action: str) -> None:
    """Write ``merge`` / ``keep_apart`` / ``later`` for a pair into ``recipe.decisions['pairs']``
    (the same form as :meth:`CleaningSession.decide_pair`; ``later`` removes an earlier choice)."""
    if action not in PAIR_ACTIONS:
        raise ValueError(f"action must be one of {PAIR_ACTIONS}, not {action!r}")
    pairs = recipe.decisions.setdefault("pairs", {"merge": [], "keep_apart": []})
    for k in ("merge", "keep_apart"):
        pairs[k] = [q for q in pairs.get(k, []) if sorted(q) != sorted([loc_a, loc_b])]
    if action != "later":
        pairs[action].append([loc_a, loc_b])


def _where(loc: str, unit: str = "") -> str:
    parts = loc.split("|")
    sheet, row = (parts[1], parts[2]) if len(parts) == 3 else ("", parts[-1])
    text = t("ui.pairs.where_sheet", sheet=sheet, row=row) if sheet else t("ui.pairs.where_row", row=row)
    return f"{unit} — {text}" if unit else text


def pairs_from_session(session: CleaningSession) -> list[PairView]:
    """Within-unit pairs of a session that need a person."""
    df = session.pairs(masked=False)
    out = []
    for r in df.to_dict("records"):
        out.append(PairView(r["loc_a"], r["loc_b"], _where(r["loc_a"]), _where(r["loc_b"]),
                            str(r.get("Mức khớp", "")), float(r.get("Điểm", 0) or 0),
                            {f: str(r.get(f + "_a", "") or "") for f in COMPARED},
                            {f: str(r.get(f + "_b", "") or "") for f in COMPARED}))
    return out


_REPORT_FIELDS = {"ho_ten": "Họ và tên", "ngay_sinh": "Ngày sinh", "gioi_tinh": "Giới tính", "so_cccd": "Số CCCD"}


def pairs_from_duplicates(path: str | Path) -> list[PairView]:
    """Cross-unit groups of ``duplicates.xlsx``: each row of a group against the group's first row."""
    from unionclean.match.crossunit import SHEET
    from unionclean.match.matcher import location_key

    df = pd.read_excel(path, sheet_name=SHEET, dtype=str, engine="calamine").fillna("")
    out = []
    for _, g in df.groupby("Nhóm", sort=False):
        rows = g.to_dict("records")
        first = rows[0]
        loc_a = location_key(first["Tệp"], first["Trang tính"], first["Dòng"])
        for r in rows[1:]:
            loc_b = location_key(r["Tệp"], r["Trang tính"], r["Dòng"])
            try:
                score = float(r.get("Điểm") or 0)
            except ValueError:
                score = 0.0
            out.append(PairView(loc_a, loc_b, _where(loc_a, first["Đơn vị"]), _where(loc_b, r["Đơn vị"]),
                                str(r.get("Mức khớp", "")), score,
                                {f: first.get(h, "") for f, h in _REPORT_FIELDS.items()},
                                {f: r.get(h, "") for f, h in _REPORT_FIELDS.items()}))
    return out


class PairReviewer(Panel):
    """Possible duplicates, a page of pairs at a time, each with Gộp / Không gộp / Để sau.

    Args:
        pairs: The pairs to show.
        decide: Records a decision ``(loc_a, loc_b, action)``.
        labels: Field key → column header shown in the comparison table.
        page_size: Pairs per page.
    """

    def __init__(self, pairs: list[PairView], decide: Callable[[str, str, str], None],
                 labels: dict[str, str] | None = None, page_size: int = 5) -> None:
        self.decide_fn = decide
        self.labels = labels or {}
        self.page_size = page_size
        self.page = 0
        self.rows = W.VBox()
        self.prev_button = W.Button(description=t("ui.flags.prev"), layout=W.Layout(width="auto"))
        self.next_button = W.Button(description=t("ui.flags.next"), layout=W.Layout(width="auto"))
        self.prev_button.on_click(lambda _: self._goto(self.page - 1))
        self.next_button.on_click(lambda _: self._goto(self.page + 1))
        self.page_label = W.HTML()
        self.widget = W.VBox([
            W.HTML(f"<b>{esc(t('ui.pairs.title'))}</b><br><i>{esc(t('ui.pairs.help'))}</i>"),
            W.HBox([self.prev_button, self.page_label, self.next_button]), self.rows])
        self.load(pairs)

    @classmethod
    def for_session(cls, session: CleaningSession, **kw) -> "PairReviewer":
        """Within-unit pairs; decisions via :meth:`CleaningSession.decide_pair`."""
        from unionclean.ui.common import field_label

        labels = {f: field_label(session.spec, f) for f in COMPARED}
        return cls(pairs_from_session(session), session.decide_pair, labels, **kw)

    @classmethod
    def for_duplicates(cls, path: str | Path, recipe: Recipe, **kw) -> "PairReviewer":
        """Cross-unit groups of ``duplicates.xlsx``; decisions into ``recipe``."""
        return cls(pairs_from_duplicates(path), lambda a, b, act: record_pair_decision(recipe, a, b, act),
                   dict(_REPORT_FIELDS), **kw)

    def load(self, pairs: list[PairView]) -> None:
        self.pairs = pairs
        self.controls: dict[int, W.ToggleButtons] = {}
        self._goto(0)

    def _goto(self, page: int) -> None:
        n = len(self.pairs)
        if not n:
            self.rows.children = [W.HTML(esc(t("ui.pairs.none")))]
            self.page_label.value = ""
            self.prev_button.disabled = self.next_button.disabled = True
            return
        pages = (n + self.page_size - 1) // self.page_size
        self.page = max(0, min(page, pages - 1))
        self.prev_button.disabled = self.page == 0
        self.next_button.disabled = self.page >= pages - 1
        self.page_label.value = esc(t("ui.flags.page", page=self.page + 1, pages=pages, n=n))
        lo = self.page * self.page_size
        self.rows.children = [self._card(i) for i in range(lo, min(n, lo + self.page_size))]

    def comparison_html(self, i: int) -> str:
        """The side-by-side table of pair ``i``, masked, differing fields highlighted."""
        p = self.pairs[i]
        diff = set(p.differing())
        fields = list(p.values_a)
        rows = []
        for f in fields:
            m = _MASK.get(f, str)
            rows.append([esc(self.labels.get(f, f)), esc(m(p.values_a.get(f, ""))), esc(m(p.values_b.get(f, "")))])
        style = (lambda r, c: _DIFF if c > 0 and fields[r] in diff else "")
        return html_table(rows, [esc(t("ui.pairs.where")), esc(p.where_a), esc(p.where_b)], style)

    def _card(self, i: int) -> W.Widget:
        p = self.pairs[i]
        if i not in self.controls:
            tb = W.ToggleButtons(options=[(t("ui.pairs.merge"), "merge"), (t("ui.pairs.keep_apart"), "keep_apart"),
                                          (t("ui.pairs.later"), "later")], value=None,
                                 style={"button_width": "auto"})
            tb.observe(lambda ch, i=i: self._record(i, ch["new"]), names="value")
            self.controls[i] = tb
        head = (f"<b>{esc(t('ui.pairs.pair', i=i + 1, n=len(self.pairs)))}</b> — "
                f"{esc(t('ui.pairs.level', level=p.level, score=f'{p.score:.0f}'))}")
        return W.VBox([W.HTML(head), W.HTML(self.comparison_html(i)), self.controls[i]],
                      layout=W.Layout(border="1px solid #ddd", padding="4px", margin="2px 0"))

    def _record(self, i: int, action: str | None) -> None:
        if action:
            p = self.pairs[i]
            self.decide_fn(p.loc_a, p.loc_b, action)

    def decide(self, i: int, action: str) -> None:
        """Decide pair ``i`` as a person would click."""
        if action not in PAIR_ACTIONS:
            raise ValueError(f"action must be one of {PAIR_ACTIONS}, not {action!r}")
        if i not in self.controls:
            self._card(i)
        self.controls[i].value = action
