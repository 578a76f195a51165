"""Within-unit duplicates in the pipeline: the matcher proposes pairs, certain ones are merged
into one record (spec decision 4), the grey zone goes to the review file."""
from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import pandas as pd

from unionclean.model import Status
from unionclean.records import Change, MemberRecord, ReviewItem

if TYPE_CHECKING:
    from unionclean.pipeline import FileOutcome

__all__ = ["dedupe_records", "records_frame"]


def records_frame(records: list[MemberRecord], fields, unit: str = "") -> pd.DataFrame:
    """The matcher's input: one row per record, canonical values as strings."""
    rows = []
    for r in records:
        d = {f: r.value(f) for f in fields}
        raw = r.raw.get("so_cccd")
        d.update(rec_id=r.rec_id, unit=unit, file=r.loc.file, sheet=r.loc.sheet, row=r.loc.row,
                 raw_cccd=raw.text if raw is not None and r.res.get("so_cccd") is not None
                 and r.res["so_cccd"].status is Status.FLAGGED else "")
        rows.append(d)
    return pd.DataFrame(rows)


def dedupe_records(out: "FileOutcome", records: list[MemberRecord], recipe: dict) -> list[MemberRecord]:
    """Merge certain within-unit duplicates; return the surviving records in source order."""
    from unionclean.match import MatchConfig, cluster, find_pairs
    from unionclean.spec import MEMBER_FIELDS

    if len(records) < 2:
        return records
    fields = [f for f in MEMBER_FIELDS if any(f in r.res for r in records[:50])] or list(MEMBER_FIELDS)
    df = records_frame(records, MEMBER_FIELDS)
    config = MatchConfig(**(recipe.get("match") or {}))
    pairs = find_pairs(df, config, decisions=(recipe.get("decisions") or {}).get("pairs"))
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
    disagreements keep the first and are recorded for review."""
    keep = members[0]
    for f in fields:
        first = None
        for r in members:
            res = r.res.get(f)
            if res is not None and res.value:
                if first is None:
                    first = r
                    if r is not keep:
                        keep.res[f] = res
                        keep.raw[f] = r.raw[f]
                        keep.cols[f] = r.cols.get(f, "")
                elif res.value != first.res[f].value and f != "ghi_chu":
                    out.review.append(ReviewItem(r.loc, f, r.cols.get(f, ""), r.raw[f].text, first.res[f].value,
                                                 "duplicate.conflict",
                                                 {"sheet": first.loc.sheet, "row": str(first.loc.row)},
                                                 False, r.rec_id))
    keep.merged_from = [r.loc for r in members]
    where = "; ".join(str(r.loc) for r in members)
    out.changes.append(Change(keep.loc, "", "", where, str(keep.loc), "duplicate.merged"))
    for r in members[1:]:
        out.review.append(ReviewItem(r.loc, "", "", "", "", "duplicate.merged",
                                     {"sheet": keep.loc.sheet, "row": str(keep.loc.row)}, False, r.rec_id))
    return keep
