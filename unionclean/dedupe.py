"""Within-unit duplicates in the pipeline: the matcher proposes pairs, certain ones are merged
into one record (spec decision 4), the grey zone goes to the review file."""
from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from unionclean.model import Status
from unionclean.records import Change, MemberRecord, ReviewItem

if TYPE_CHECKING:
    from unionclean.pipeline import FileOutcome

__all__ = ["dedupe_records", "records_frame", "candidate_records", "prepared_frame"]


def _frame_rows(records: list[MemberRecord], fields, unit: str = "") -> list[dict]:
    rows = []
    for r in records:
        d = {f: r.value(f) for f in fields}
        raw = r.raw.get("so_cccd")
        d.update(rec_id=r.rec_id, unit=unit, file=r.loc.file, sheet=r.loc.sheet, row=r.loc.row,
                 raw_cccd=raw.text if raw is not None and r.res.get("so_cccd") is not None
                 and r.res["so_cccd"].status is Status.FLAGGED else "")
        rows.append(d)
    return rows


def records_frame(records: list[MemberRecord], fields, unit: str = "") -> pd.DataFrame:
    """The matcher's input: one row per record, canonical values as strings."""
    return pd.DataFrame(_frame_rows(records, fields, unit))


def _text(rows: list[dict], col: str | None) -> list[str]:
    """A column as :func:`unionclean.match.matcher.prepare` reads it: text, stripped."""
    if not col:
        return [""] * len(rows)
    return [str(v).strip() if (v := d.get(col)) is not None else "" for d in rows]


class _Keys(dict):
    """The per-record keys of :func:`unionclean.match.matcher.prepare`, each computed the
    first time it is asked for (the same key functions, one row at a time)."""

    def __init__(self, rows: list[dict], config) -> None:
        super().__init__()
        self.rows, self.config = rows, config

    def __missing__(self, key: str) -> list:
        from unionclean.match import keys as mk

        c = self.config
        simple = {"name": c.name, "dob": c.dob, "gender": c.gender, "national_id": c.national_id,
                  "phone": c.phone, "group": c.group}
        derived = {"k_fold": ("name", mk.name_fold), "k_tone": ("name", mk.name_tone),
                   "k_given": ("k_fold", mk.given_fold), "k_head": ("k_fold", mk.head_fold),
                   "k_given_tone": ("k_tone", mk.given_fold), "k_diac": ("name", mk.has_diacritics),
                   "k_year": ("dob", mk.birth_year), "k_swap": ("dob", mk.swap_day_month)}
        if key in simple:
            v = _text(self.rows, simple[key])
        elif key in derived:
            src, fn = derived[key]
            v = [fn(x) for x in self[src]]
        else:
            raise KeyError(key)
        self[key] = v
        return v


def _covered(config) -> bool:
    """Whether the shortcuts below reproduce ``prepare`` for this configuration (one name
    column, ``dd/mm/yyyy`` dates)."""
    return isinstance(config.name, str) and not config.dob_format


def candidate_records(rows: list[dict], config) -> list[int] | None:
    """Positions of the rows that share every key of some blocking rule with another row (the
    only rows the matcher can pair), in order; None when this cannot be worked out here.

    Each block of two or more rows (oversized ones too) lies wholly inside the result, so the
    matcher run on these rows alone makes the same blocks, and so the same pairs, as on all."""
    known = {"k_fold", "k_tone", "k_given", "k_head", "k_given_tone", "k_year", "k_swap", "dob", "gender",
             "national_id", "phone", "group"}
    if not _covered(config) or any(k not in known for rule in config.blocking for k in rule.keys):
        return None
    keys = _Keys(rows, config)
    keep: set[int] = set()
    for rule in config.blocking:
        blocks: dict[tuple, list[int]] = defaultdict(list)
        for i, combo in enumerate(zip(*(keys[k] for k in rule.keys))):
            if all(combo):
                blocks[combo].append(i)
        for members in blocks.values():
            if len(members) > 1:
                keep.update(members)
    return sorted(keep)


def prepared_frame(rows: list[dict], config) -> pd.DataFrame | None:
    """What :func:`unionclean.match.matcher.prepare` makes of ``pd.DataFrame(rows)``, built
    row by row from the same key functions (much cheaper for the few rows of one unit); None
    when the configuration is one this shortcut does not cover."""
    if not _covered(config) or not rows or any(c not in rows[0] for c in config.required_columns()):
        return None  # prepare() itself names a missing column
    keys = _Keys(rows, config)
    names = ["name", "dob", "k_fold", "k_tone", "k_given", "k_head", "k_given_tone", "k_diac", "k_year",
             "k_swap"]
    cols: dict[str, np.ndarray] = {"id": np.array([d[config.id] for d in rows])}
    for k in names:
        cols[k] = np.array(keys[k], dtype=bool if k == "k_diac" else object)
    for role in ("gender", "national_id", "phone", "group"):
        cols[role] = np.array(keys[role], dtype=object)
    if config.location:
        f, sh, r = (_text(rows, c) for c in config.location)
        cols["loc"] = np.array([f"{a}|{b}|{c}" for a, b, c in zip(f, sh, r)], dtype=object)
    else:
        cols["loc"] = np.array([str(d[config.id]) for d in rows], dtype=object)
    for c in config.evidence:
        if c in rows[0]:
            cols[c] = np.array(_text(rows, c), dtype=object)
    return pd.DataFrame({k: pd.Series(v, dtype=v.dtype if v.dtype != object else object)
                         for k, v in cols.items()})


def dedupe_records(out: "FileOutcome", records: list[MemberRecord], recipe: dict) -> list[MemberRecord]:
    """Merge certain within-unit duplicates; return the surviving records in source order.

    Only the rows that share a blocking key with another row go to the matcher: the others
    cannot be in any pair (see :func:`candidate_records`). Without such rows (and without
    decisions to replay) the matcher is not run at all."""
    from unionclean.match import MatchConfig, cluster, find_pairs
    from unionclean.spec import MEMBER_FIELDS

    if len(records) < 2:
        return records
    fields = [f for f in MEMBER_FIELDS if any(f in r.res for r in records[:50])] or list(MEMBER_FIELDS)
    rows = _frame_rows(records, MEMBER_FIELDS)
    config = MatchConfig(**(recipe.get("match") or {}))
    decisions = (recipe.get("decisions") or {}).get("pairs")
    if not any((decisions or {}).values()):
        picked = candidate_records(rows, config)
        if picked is not None:
            if not picked:
                return records
            rows = [rows[i] for i in picked]
    pairs = find_pairs(pd.DataFrame(rows), config, decisions=decisions, prepared=prepared_frame(rows, config))
    by_id = {r.rec_id: r for r in records}
    order = {r.rec_id: i for i, r in enumerate(records)}
    for p in pairs.itertuples(index=False):
        if p.decision == "review":
            a, b = by_id[p.rec_a], by_id[p.rec_b]
            out.pairs.append({"loc_a": str(a.loc), "loc_b": str(b.loc), "level_label": str(p.level_label),
                              "score": float(p.score)})
            for x, y in ((a, b), (b, a)):
                out.review.append(ReviewItem(x.loc, "", "", "", "", "duplicate.possible",
                                             {"sheet": y.loc.sheet, "row": str(y.loc.row),
                                              "level": str(p.level_label), "score": f"{p.score:.0f}"},
                                             False, x.rec_id))
    clusters = cluster(pairs, auto_only=True)
    groups: dict[object, list[MemberRecord]] = defaultdict(list)
    for rid, cid in clusters.items():
        groups[cid].append(by_id[rid])
    merged_away: set[int] = set()
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda r: order[r.rec_id])
        keep = _merge_into(members, fields, out)
        merged_away.update(r.rec_id for r in members if r is not keep)
        out.merged.append((keep, members))
    return [r for r in records if r.rec_id not in merged_away]


def _merge_into(members: list[MemberRecord], fields, out: "FileOutcome") -> MemberRecord:
    """Spec decision 4: each field from the first source row with a non-empty canonical value;
    disagreements keep the first and are recorded for review. A value that carries a (soft)
    flag, such as a name typed without diacritics, gives way to a later row's unflagged one."""
    keep = members[0]
    for f in fields:
        filled = [r for r in members if r.res.get(f) is not None and r.res[f].value]
        if not filled:
            continue
        first = next((r for r in filled if r.res[f].status is not Status.FLAGGED), filled[0])
        if f != "ghi_chu":
            for r in filled:
                if r is not first and r.res[f].value != first.res[f].value:
                    out.review.append(ReviewItem(r.loc, f, r.cols.get(f, ""), r.raw[f].text, first.res[f].value,
                                                 "duplicate.conflict",
                                                 {"sheet": first.loc.sheet, "row": str(first.loc.row)},
                                                 False, r.rec_id))
        if first is not keep:
            keep.res[f] = first.res[f]
            keep.raw[f] = first.raw[f]
            keep.cols[f] = first.cols.get(f, "")
    keep.merged_from = [r.loc for r in members]
    where = "; ".join(str(r.loc) for r in members)
    out.changes.append(Change(keep.loc, "", "", where, str(keep.loc), "duplicate.merged"))
    for r in members[1:]:
        out.review.append(ReviewItem(r.loc, "", "", "", "", "duplicate.merged",
                                     {"sheet": keep.loc.sheet, "row": str(keep.loc.row)}, False, r.rec_id))
    return keep
