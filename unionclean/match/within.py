"""Duplicates inside one unit: certain ones merged into one upload row, the rest to review.

Example:
    >>> import pandas as pd
    >>> df = pd.DataFrame({"rec_id": [1, 2], "unit": ["A", "A"], "file": ["a.xlsx"] * 2,
    ...     "sheet": ["S1", "S2"], "row": [5, 9], "ho_ten": ["Lê Thị Hoà", "Lê Thị Hòa"],
    ...     "ngay_sinh": ["01/02/1990"] * 2, "gioi_tinh": ["Nữ"] * 2,
    ...     "so_cccd": ["", "001190000001"], "so_dien_thoai": ["", ""]})
    >>> res = dedupe_within_unit(df)
    >>> len(res.records), res.merges[0].record["so_cccd"], res.merged_away
    (1, '001190000001', [2])
"""
from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from unionclean.match.cluster import cluster
from unionclean.match.config import MatchConfig
from unionclean.match.matcher import find_pairs, location_key
from unionclean.match.merge import MergeOutcome, merge_outcome

__all__ = ["MergeGroup", "WithinResult", "dedupe_within_unit"]


@dataclass
class MergeGroup:
    """One merged person.

    Attributes:
        rec_ids: Source records, in sheet/row order; the first is the kept row.
        record: The merged record (id and location of the kept row).
        conflicts: ``(field, kept, other, rec_id)`` where rows disagreed.
        sources: ``{field: rec_id}`` — which row each merged value came from.
        locations: ``"file|sheet|row"`` of every source row (for ``changes.csv``).
        pairs: The pairs that joined the group (level, score, reason …).
    """

    rec_ids: list[Hashable]
    record: dict
    conflicts: list[tuple[str, str, str, Hashable]]
    sources: dict[str, Hashable]
    locations: list[str]
    pairs: pd.DataFrame


@dataclass
class WithinResult:
    """Result of :func:`dedupe_within_unit`.

    Attributes:
        records: The unit's rows after merging: one row per person (merged values in the kept
            row; rows merged away removed), in the input order.
        merges: One :class:`MergeGroup` per merged person.
        review: Pairs for a person to decide (not already merged together).
        conflicts: Every conflict of every merge, ``(kept_rec_id, field, kept, other, rec_id)``.
        pairs: All pairs found (merge, review, keep_apart).
        merged_away: Record ids that were merged into another row.
    """

    records: pd.DataFrame
    merges: list[MergeGroup] = field(default_factory=list)
    review: pd.DataFrame = field(default_factory=pd.DataFrame)
    conflicts: list[tuple] = field(default_factory=list)
    pairs: pd.DataFrame = field(default_factory=pd.DataFrame)
    merged_away: list[Hashable] = field(default_factory=list)


def _review_between_people(pairs: pd.DataFrame, clusters: Mapping) -> pd.DataFrame:
    """Review pairs between two different (merged) people, the strongest pair per two people."""
    rev = pairs[pairs["decision"] == "review"]
    if rev.empty:
        return rev.reset_index(drop=True)
    ca = rev["rec_a"].map(lambda x: clusters.get(x, x))
    cb = rev["rec_b"].map(lambda x: clusters.get(x, x))
    rev = rev[(ca != cb).to_numpy()].assign(_ca=ca, _cb=cb)
    rev = rev.sort_values(["level_rank", "score"], ascending=[True, False], kind="stable")
    rev = rev.drop_duplicates(["_ca", "_cb"]).sort_index()
    return rev.drop(columns=["_ca", "_cb"]).reset_index(drop=True)


def dedupe_within_unit(df_unit: pd.DataFrame, config: MatchConfig = MatchConfig(),
                       decisions: Mapping | None = None) -> WithinResult:
    """Find duplicates in one unit's cleaned records, merge the certain ones.

    Args:
        df_unit: Cleaned records of one unit (all files of the unit).
        config: Matcher configuration.
        decisions: Human decisions replayed from the recipe (see :func:`find_pairs`).
    """
    pairs = find_pairs(df_unit, config, decisions)
    ids = {}
    if config.national_id:
        ids = dict(zip(df_unit[config.id], df_unit[config.national_id].fillna("").astype(str)))
    clusters = cluster(pairs, auto_only=True, national_ids=ids)
    members: dict[Hashable, list[Hashable]] = {}
    for rid, cid in clusters.items():
        members.setdefault(cid, []).append(rid)
    merges: list[MergeGroup] = []
    conflicts: list[tuple] = []
    merged_away: list[Hashable] = []
    replace: dict[Hashable, dict] = {}
    for cid in sorted(members):
        out: MergeOutcome = merge_outcome(df_unit, members[cid], config.id)
        kept = out.rec_ids[0]
        rows = df_unit.set_index(config.id).loc[out.rec_ids]
        locs = [location_key(f, s, r) for f, s, r in zip(rows["file"], rows["sheet"], rows["row"])] \
            if {"file", "sheet", "row"} <= set(rows.columns) else [str(x) for x in out.rec_ids]
        in_group = pairs["rec_a"].isin(out.rec_ids) & pairs["rec_b"].isin(out.rec_ids)
        merges.append(MergeGroup(out.rec_ids, out.record, out.conflicts, out.sources, locs,
                                 pairs[in_group & (pairs["decision"] == "merge")]
                                 .reset_index(drop=True)))
        conflicts.extend((kept, *c) for c in out.conflicts)
        merged_away.extend(out.rec_ids[1:])
        replace[kept] = out.record
    review = _review_between_people(pairs, clusters)
    records = df_unit[~df_unit[config.id].isin(merged_away)].copy()
    if replace:
        cols = [c for c in records.columns if c != config.id]
        for i, rid in zip(records.index, records[config.id]):
            rec = replace.get(rid)
            if rec is not None:
                for c in cols:
                    if c in rec:
                        records.at[i, c] = rec[c]
    return WithinResult(records.reset_index(drop=True), merges, review, conflicts, pairs,
                        merged_away)
