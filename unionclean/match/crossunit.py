"""The same person in two or more units: ``duplicates.xlsx`` for analysts to decide.

A *person* is a cluster of certain (``merge``) pairs (never two different CCCDs). A group is
either one person whose rows span two or more units, or two persons joined by an uncertain
(``review``) pair across units — one group per such pair, so a doubtful link never chains
several people into one group. Nothing is
merged across units by the tool: a move between units is the analysts' call.

The report has one row per source row (spec decision 5) with the group number ``Nhóm``, the
source location, the identifying fields (full CCCD: the file goes back to analysts like the
review file), the match level, score and evidence, a suggestion and an empty ``Quyết định``
column (``Gộp`` / ``Không gộp`` / ``Để sau``) read back by :func:`read_duplicates_decisions`.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from unionclean.match.cluster import cluster
from unionclean.match.config import MatchConfig
from unionclean.match.matcher import find_pairs, location_key
from unionclean.messages import message

__all__ = ["find_cross_unit", "cross_unit_groups", "write_duplicates_report",
           "read_duplicates_decisions",
           "REPORT_COLUMNS", "DECISION_CHOICES"]

REPORT_COLUMNS = ["Nhóm", "Đơn vị", "Tệp", "Trang tính", "Dòng", "Họ và tên", "Ngày sinh",
                  "Giới tính", "Số CCCD", "Mức khớp", "Điểm", "Bằng chứng", "Đề xuất",
                  "Quyết định"]
DECISION_CHOICES = ("Gộp", "Không gộp", "Để sau")
SHEET = "Nghi trùng giữa đơn vị"


def find_cross_unit(df_all: pd.DataFrame, config: MatchConfig = MatchConfig(),
                    decisions: Mapping | None = None, *, prepared=None) -> pd.DataFrame:
    """Pairs of the groups of records that look like one person in two or more units.

    Args:
        df_all: The records (see ``docs/matching.md``); with ``prepared`` only the record id,
            CCCD and unit columns are read.
        config: Column roles (``group`` is the unit column).
        decisions: Human decisions replayed (see :func:`find_pairs`).
        prepared: The matcher's prepared columns of ``df_all`` if already computed (the
            pipeline's workers compute them per unit).

    Returns:
        The pairs of :func:`find_pairs` (``merge`` and ``review``) inside such groups, with
        ``unit_a``, ``unit_b`` and ``group`` (1, 2 … in order of the groups' first record).
    """
    if not config.group:
        raise ValueError("find_cross_unit needs MatchConfig.group (the unit column)")
    return cross_unit_groups(find_pairs(df_all, config, decisions, prepared=prepared), df_all, config)


def cross_unit_groups(pairs: pd.DataFrame, df_all: pd.DataFrame,
                      config: MatchConfig = MatchConfig()) -> pd.DataFrame:
    """The grouping step of :func:`find_cross_unit` on pairs already found."""
    # Only the records in some pair matter: look them up by position (a province has
    # 700,000 records and a few thousand in pairs).
    involved = pd.unique(np.concatenate([pairs["rec_a"].to_numpy(), pairs["rec_b"].to_numpy()]))
    pos = pd.Index(df_all[config.id]).get_indexer(involved)
    keys = involved.tolist()
    ids = {}
    if config.national_id:
        ids = dict(zip(keys, (_text(v) for v in df_all[config.national_id].to_numpy(dtype=object)[pos])))
    person = cluster(pairs, auto_only=True, national_ids=ids)
    unit = dict(zip(keys, (str(v) for v in df_all[config.group].to_numpy(dtype=object)[pos])))
    order = dict(zip(keys, pos.tolist()))
    members: dict = {}
    for rid, pid in person.items():
        members.setdefault(pid, []).append(rid)

    def rows_of(pid: object) -> list:
        return members.get(pid, [pid])

    groups: list[list] = [m for m in members.values() if len({unit[r] for r in m}) > 1]
    pa = pairs["rec_a"].map(lambda x: person.get(x, x))
    pb = pairs["rec_b"].map(lambda x: person.get(x, x))
    ua, ub = pairs["rec_a"].map(unit), pairs["rec_b"].map(unit)
    rev = pairs[((pairs["decision"] == "review") & (pa != pb) & (ua != ub)).to_numpy()]
    rev = rev.assign(_p=[tuple(sorted((x, y), key=order.__getitem__))
                         for x, y in zip(pa[rev.index], pb[rev.index])])
    rev = rev.sort_values(["level_rank", "score"], ascending=[True, False], kind="stable")
    for p1, p2 in rev.drop_duplicates("_p")["_p"]:
        groups.append(rows_of(p1) + rows_of(p2))
    groups.sort(key=lambda g: min(order[r] for r in g))
    if not groups:
        return pairs.iloc[0:0].assign(unit_a="", unit_b="", group=0)
    member = pd.DataFrame([(r, number) for number, g in enumerate(groups, start=1) for r in g],
                          columns=["rid", "group"])
    cand = pairs[pairs["decision"].isin(["merge", "review"]).to_numpy()]
    out = cand.merge(member.rename(columns={"rid": "rec_a"}), on="rec_a").merge(
        member.rename(columns={"rid": "rec_b", "group": "group_b"}), on="rec_b")
    out = out[out["group"] == out["group_b"]].drop(columns="group_b")
    out["unit_a"] = out["rec_a"].map(unit)
    out["unit_b"] = out["rec_b"].map(unit)
    out = out.sort_values(["group", "level_rank", "rec_a", "rec_b"], kind="stable")
    return out.reset_index(drop=True)


def _blank(v: object) -> object:
    """A cell as ``fillna("")`` gives it: "" for None and NaN."""
    return "" if v is None or (isinstance(v, float) and v != v) else v


def _text(v: object) -> str:
    """A cell as ``fillna("").astype(str)`` gives it."""
    return str(_blank(v))


@lru_cache(maxsize=4096)
def _evidence(agree: str, disagree: str) -> str:
    def labels(s: str) -> str:
        return ", ".join(message(f"match.field.{f}") for f in s.split(",") if f)

    parts = []
    if agree:
        parts.append(message("match.evidence.agree", fields=labels(agree)))
    if disagree:
        parts.append(message("match.evidence.disagree", fields=labels(disagree)))
    return "; ".join(parts)


def report_rows(cross_df: pd.DataFrame, df_all: pd.DataFrame, id_col: str = "rec_id") -> pd.DataFrame:
    """The report as a table: one row per source row of every group (best pair as evidence)."""
    if cross_df.empty:
        return pd.DataFrame(columns=REPORT_COLUMNS)
    long = pd.concat([
        cross_df.assign(rid=cross_df["rec_a"]),
        cross_df.assign(rid=cross_df["rec_b"]),
    ]).sort_values(["group", "level_rank", "score"], ascending=[True, True, False], kind="stable")
    best = long.drop_duplicates(["group", "rid"])
    best = best.assign(_o=pd.Index(df_all[id_col]).get_indexer(best["rid"].to_numpy()))
    best = best.sort_values(["group", "_o"], kind="stable")
    at = best["_o"].to_numpy()

    def col(c: str) -> list:
        if c not in df_all.columns:
            return [""] * len(best)
        return [_blank(v) for v in df_all[c].to_numpy(dtype=object)[at].tolist()]

    suggest = {"merge": message("match.suggest.merge"), "review": message("match.suggest.review")}
    return pd.DataFrame({
        "Nhóm": best["group"].astype(int).tolist(),
        "Đơn vị": col("unit"),
        "Tệp": col("file"),
        "Trang tính": col("sheet"),
        "Dòng": col("row"),
        "Họ và tên": col("ho_ten"),
        "Ngày sinh": col("ngay_sinh"),
        "Giới tính": col("gioi_tinh"),
        "Số CCCD": col("so_cccd"),
        "Mức khớp": best["level_label"].tolist(),
        "Điểm": best["score"].astype(float).tolist(),
        "Bằng chứng": [_evidence(a, d) for a, d in zip(best["agree"], best["disagree"])],
        "Đề xuất": best["decision"].map(suggest).tolist(),
        "Quyết định": [""] * len(best),
    })


_REPORT_WIDTHS = (6, 28, 24, 18, 7, 26, 12, 9, 15, 40, 7, 50, 16, 14)


def _report_cells(rows: pd.DataFrame) -> list[list[tuple[int, object, str]]]:
    """The report's rows as ``(column, value, style)`` cells: group and row numbers and the score
    are numbers, the rest text; every other group is shaded."""
    out = []
    # Whole columns as lists: row tuples would go through pandas' Arrow strings one by one.
    for r in zip(*(rows[c].tolist() for c in rows.columns)):
        kind = "shade" if int(r[0]) % 2 == 0 else "text"
        cells: list[tuple[int, object, str]] = []
        for j, v in enumerate(r):
            if j in (0, 4) and str(v).lstrip("-").isdigit():
                cells.append((j, int(v), kind))
            elif j == 10:
                cells.append((j, float(v), kind))
            else:
                cells.append((j, "" if v is None else str(v), kind))
        out.append(cells)
    return out


def _write_report_workbook(path: Path, cells: list[list[tuple[int, object, str]]], created: date | None) -> None:
    """``duplicates.xlsx`` written cell by cell by xlsxwriter (the reference, and the maker of
    the fast path's skeleton)."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    if created is not None:
        wb.set_properties({"created": datetime(created.year, created.month, created.day)})
    ws = wb.add_worksheet(SHEET)
    head = wb.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1,
                          "bg_color": "#DDEBF7"})
    styles = {"text": wb.add_format({"num_format": "@"}),
              "shade": wb.add_format({"num_format": "@", "bg_color": "#F2F2F2"})}
    for j, (h, w) in enumerate(zip(REPORT_COLUMNS, _REPORT_WIDTHS)):
        ws.write_string(0, j, h, head)
        ws.set_column(j, j, w)
    for i, row in enumerate(cells, start=1):
        for j, v, kind in row:
            if isinstance(v, (int, float)):
                ws.write_number(i, j, v, styles[kind])
            else:
                ws.write_string(i, j, v, styles[kind])
    if cells:
        ws.data_validation(1, 13, len(cells), 13, {"validate": "list", "source": list(DECISION_CHOICES)})
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(cells), 1), len(REPORT_COLUMNS) - 1)
    wb.close()


@lru_cache(maxsize=4)
def _report_skeleton(created: date):
    """The report workbook with one probe row carrying both row styles (see
    :mod:`unionclean.export.fastsheet`)."""
    from unionclean.export.fastsheet import build_multi_skeleton

    probe = [(j, 1 if j in (0, 4) else 1.5 if j == 10 else "x", "text" if j < 7 else "shade")
             for j in range(len(REPORT_COLUMNS))]
    return build_multi_skeleton(lambda p: _write_report_workbook(p, [probe], created), [(2, probe)], None)


def write_duplicates_report(path: str | os.PathLike, cross_df: pd.DataFrame,
                            df_all: pd.DataFrame, created: date | None = None) -> Path:
    """Write ``duplicates.xlsx`` atomically; ``created`` (the run date) fixes the workbook's
    creation time so that a replay writes the same bytes.

    A province's report has tens of thousands of rows: they are filled into a skeleton made
    once by xlsxwriter (:func:`unionclean.export.fastsheet.fill_sheets`), the same workbook as
    :func:`write_duplicates_report_reference` writes cell by cell at ~9 µs a cell."""
    from unionclean.export.fastsheet import fill_sheets

    path = Path(path)
    cells = _report_cells(report_rows(cross_df, df_all))
    if not cells or created is None:
        return _write_reference(path, cells, created)
    fill_sheets(_report_skeleton(created), path, [cells], None, created)
    return path


def write_duplicates_report_reference(path: str | os.PathLike, cross_df: pd.DataFrame,
                                      df_all: pd.DataFrame, created: date | None = None) -> Path:
    """:func:`write_duplicates_report` written cell by cell by xlsxwriter."""
    return _write_reference(Path(path), _report_cells(report_rows(cross_df, df_all)), created)


def _write_reference(path: Path, cells: list[list[tuple[int, object, str]]], created: date | None) -> Path:
    from unionclean.export.atomic import atomic_path

    with atomic_path(path) as tmp:
        _write_report_workbook(tmp, cells, created)
    return path


def read_duplicates_decisions(path: str | os.PathLike) -> dict[str, list[list[str]]]:
    """Decisions filled in ``duplicates.xlsx``, in the recipe's form.

    Within a group, the rows marked ``Gộp`` are merged together; a row marked ``Không gộp`` is
    kept apart from every other row of its group; ``Để sau`` and empty cells decide nothing.
    """
    df = pd.read_excel(path, sheet_name=SHEET, dtype=str, engine="calamine").fillna("")
    out: dict[str, list[list[str]]] = {"merge": [], "keep_apart": []}
    for _, g in df.groupby("Nhóm", sort=True):
        locs = [location_key(f, s, r) for f, s, r in zip(g["Tệp"], g["Trang tính"], g["Dòng"])]
        dec = [str(x).strip().lower() for x in g["Quyết định"]]
        merge = [loc for loc, d in zip(locs, dec) if d == "gộp"]
        out["merge"].extend([merge[0], m] for m in merge[1:])
        for loc, d in zip(locs, dec):
            if d == "không gộp":
                out["keep_apart"].extend([loc, o] for o in locs if o != loc)
    return out
