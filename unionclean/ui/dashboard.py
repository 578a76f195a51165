"""Summary dashboard of a run over a folder of units: tables and plain-HTML charts (no plotting
library, so they look the same in JupyterLab, Voilà and an exported page).

Example:
    >>> result = api.clean(["data/don_vi"], out="out/03")         # doctest: +SKIP
    >>> run_table(result)                                         # doctest: +SKIP
    >>> dashboard(result)                                         # doctest: +SKIP
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from IPython.display import HTML

from unionclean.api import RunResult
from unionclean.ui.common import SUMMARY_KEYS, esc, t

__all__ = ["run_table", "problem_counts", "bar_chart", "stacked_bars", "heatmap", "dashboard"]

_BLUE, _GREEN, _RED = "#4a7fc1", "#5aa95a", "#d9822b"


def _unit(file: str) -> str:
    return Path(file).stem


def run_table(result: RunResult) -> pd.DataFrame:
    """One row per input file: status and the counts of the run (no personal values)."""
    rows = []
    for f in result.files:
        row = {t("ui.summary.file"): f.file,
               t("ui.summary.status"): t("ui.summary.ok") if f.ok else t("ui.summary.failed", why=f.error_message)}
        for k in SUMMARY_KEYS:
            row[t(f"ui.summary.{k}")] = int(f.counts.get(k, 0)) if f.ok else 0
        rows.append(row)
    return pd.DataFrame(rows)


def problem_counts(result: RunResult) -> pd.DataFrame:
    """Problems of every unit from its review file: columns ``unit``, ``field`` (the template
    header, or "(cả dòng)" for whole-row notes), ``reason`` and ``held`` (row held back)."""
    frames = []
    for f in result.files:
        name = f.outputs.get("review") if f.ok else None
        if not name:
            continue
        df = pd.read_excel(Path(result.out) / name, header=2, dtype=str, engine="calamine").fillna("")
        if df.empty:
            continue
        frames.append(pd.DataFrame({
            "unit": _unit(f.file),
            "field": df["Cột mẫu"].str.replace(r"\s*\(\*\)$", "", regex=True).replace("", t("ui.dash.other")),
            "reason": df["Lý do"],
            "held": df["Tình trạng"].str.startswith("Giữ lại"),
        }))
    if not frames:
        return pd.DataFrame(columns=["unit", "field", "reason", "held"])
    return pd.concat(frames, ignore_index=True)


def bar_chart(values: pd.Series, title: str, colour: str = _BLUE) -> str:
    """Horizontal bars (HTML) of a labelled series, largest first."""
    values = values.sort_values(ascending=False, kind="stable")
    top = max(1, int(values.max()) if len(values) else 1)
    rows = []
    for label, v in values.items():
        w = 100.0 * float(v) / top
        rows.append(f'<tr><td style="padding:2px 8px;white-space:nowrap">{esc(label)}</td>'
                    f'<td style="width:320px"><div style="background:{colour};height:14px;width:{w:.1f}%"></div></td>'
                    f'<td style="padding:2px 8px;text-align:right">{int(v)}</td></tr>')
    return f'<div><b>{esc(title)}</b><table style="border-collapse:collapse;font-size:13px">{"".join(rows)}</table></div>'


def stacked_bars(df: pd.DataFrame, title: str, colours: tuple[str, ...] = (_GREEN, _RED)) -> str:
    """Horizontal stacked bars (HTML): one bar per index label, one segment per column."""
    top = max(1, int(df.sum(axis=1).max()) if len(df) else 1)
    legend = " ".join(f'<span style="display:inline-block;width:10px;height:10px;background:{c}"></span> {esc(col)}'
                      for col, c in zip(df.columns, colours))
    rows = []
    for label, r in df.iterrows():
        segs = "".join(f'<div title="{esc(col)}: {int(r[col])}" style="background:{c};height:14px;'
                       f'width:{100.0 * float(r[col]) / top:.1f}%"></div>' for col, c in zip(df.columns, colours))
        nums = " + ".join(str(int(r[c])) for c in df.columns)
        rows.append(f'<tr><td style="padding:2px 8px;white-space:nowrap">{esc(label)}</td>'
                    f'<td style="width:320px"><div style="display:flex">{segs}</div></td>'
                    f'<td style="padding:2px 8px">{nums}</td></tr>')
    return (f'<div><b>{esc(title)}</b><div style="font-size:12px">{legend}</div>'
            f'<table style="border-collapse:collapse;font-size:13px">{"".join(rows)}</table></div>')


def heatmap(table: pd.DataFrame, title: str) -> str:
    """A coloured count table (HTML): darker cells hold more problems; zeros are blank."""
    top = max(1, int(table.to_numpy().max()) if table.size else 1)
    head = "".join(f'<th style="padding:3px 6px;border:1px solid #ddd;font-weight:normal;writing-mode:vertical-rl;'
                   f'transform:rotate(180deg)">{esc(c)}</th>' for c in table.columns)
    rows = []
    for label, r in table.iterrows():
        cells = []
        for v in r:
            v = int(v)
            a = 0.12 + 0.78 * v / top if v else 0
            cells.append(f'<td style="border:1px solid #ddd;text-align:center;min-width:28px;'
                         f'background:rgba(217,130,43,{a:.2f})">{v or ""}</td>')
        rows.append(f'<tr><td style="padding:2px 8px;border:1px solid #ddd;white-space:nowrap">{esc(label)}</td>'
                    f'{"".join(cells)}</tr>')
    return (f'<div><b>{esc(title)}</b><table style="border-collapse:collapse;font-size:13px">'
            f'<tr><th></th>{head}</tr>{"".join(rows)}</table></div>')


def dashboard(result: RunResult) -> HTML:
    """The whole dashboard of a run: members per unit, problems per unit, per column, and the
    unit × column table."""
    ok = [f for f in result.files if f.ok]
    members = pd.DataFrame({t("ui.summary.members_out"): [f.counts.get("members_out", 0) for f in ok],
                            t("ui.summary.held_back"): [f.counts.get("held_back", 0) for f in ok]},
                           index=[_unit(f.file) for f in ok])
    parts = [stacked_bars(members, t("ui.dash.members"))]
    probs = problem_counts(result)
    if probs.empty:
        parts.append(f"<p>{esc(t('ui.dash.no_problems'))}</p>")
    else:
        parts.append(bar_chart(probs.groupby("unit").size(), t("ui.dash.by_unit")))
        parts.append(bar_chart(probs.groupby("field").size(), t("ui.dash.by_field"), _RED))
        parts.append(heatmap(pd.crosstab(probs["unit"], probs["field"]), t("ui.dash.heatmap")))
    return HTML('<div style="display:flex;flex-direction:column;gap:14px">' + "".join(parts) + "</div>")
