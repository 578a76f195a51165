"""The merged record of a cluster (spec decision 4).

Each field comes from the first source row, in sheet and row order, that has a non-empty value;
where another row has a different non-empty value, the first is kept and the conflict recorded.
Sheet order is the order in which the (file, sheet) pairs first appear in the table (the
reader's order); a ``sheet_index`` column, when present, is used instead.

Example:
    >>> import pandas as pd
    >>> df = pd.DataFrame({"rec_id": [1, 2], "file": ["a"] * 2, "sheet": ["S"] * 2,
    ...     "row": [9, 5], "ho_ten": ["Lê An", "Lê An"], "so_cccd": ["", "001090000001"],
    ...     "so_dien_thoai": ["0912000001", "0987000002"]})
    >>> rec, conflicts = merge_cluster(df, [1, 2])
    >>> rec["rec_id"], rec["so_cccd"], conflicts
    (2, '001090000001', [('so_dien_thoai', '0987000002', '0912000001', 1)])
"""
from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

import pandas as pd

__all__ = ["MERGE_FIELDS", "MergeOutcome", "merge_cluster", "merge_outcome", "source_order"]

MERGE_FIELDS = (
    "ho_ten", "ngay_sinh", "gioi_tinh", "so_cccd", "dan_toc", "ton_giao", "que_quan",
    "noi_o_hien_nay", "trinh_do_van_hoa", "trinh_do_chuyen_mon", "ly_luan_chinh_tri",
    "nghe_nghiep", "chuc_vu_cong_doan", "ngay_vao_cong_doan", "so_dien_thoai", "email",
    "ghi_chu", "raw_cccd",
)
_KEEP_FROM_FIRST = ("rec_id", "unit", "file", "sheet", "row")


@dataclass
class MergeOutcome:
    """A merged record, its conflicts, and which record each field came from."""

    record: dict
    conflicts: list[tuple[str, str, str, Hashable]] = field(default_factory=list)
    sources: dict[str, Hashable] = field(default_factory=dict)
    rec_ids: list[Hashable] = field(default_factory=list)


def source_order(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` sorted in file, sheet and row order (sheets in the order they first appear)."""
    d = df.copy()
    if "sheet_index" in d.columns:
        sheet_rank = d["sheet_index"]
    else:
        key = d["file"].astype(str) + "\x00" + d["sheet"].fillna("").astype(str)
        sheet_rank = pd.Series(pd.factorize(key, sort=False)[0], index=d.index)
    d["_sheet_rank"] = sheet_rank
    d["_pos"] = range(len(d))
    return d.sort_values(["_sheet_rank", "row", "_pos"], kind="stable").drop(
        columns=["_sheet_rank", "_pos"])


def merge_outcome(df: pd.DataFrame, rec_ids: Sequence[Hashable], id_col: str = "rec_id") -> MergeOutcome:
    """Merged record with provenance: see :func:`merge_cluster`."""
    rows = df[df[id_col].isin(list(rec_ids))]
    if "file" in rows.columns and "row" in rows.columns:
        rows = source_order(rows)
    recs = rows.to_dict("records")
    if not recs:
        return MergeOutcome({}, [], {}, [])
    first = recs[0]
    merged = {k: first[k] for k in first if k in _KEEP_FROM_FIRST or k not in MERGE_FIELDS}
    conflicts: list[tuple[str, str, str, Hashable]] = []
    sources: dict[str, Hashable] = {}
    for f in MERGE_FIELDS:
        if f not in rows.columns:
            continue
        kept = ""
        for r in recs:
            v = r.get(f)
            v = "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)
            if not v:
                continue
            if not kept:
                kept = v
                sources[f] = r[id_col]
            elif v != kept:
                conflicts.append((f, kept, v, r[id_col]))
        merged[f] = kept
    return MergeOutcome(merged, conflicts, sources, [r[id_col] for r in recs])


Conflict = tuple[str, str, str, Hashable]


def merge_cluster(df: pd.DataFrame, rec_ids: Sequence[Hashable]) -> tuple[dict, list[Conflict]]:
    """The merged record of ``rec_ids`` and the conflicts ``(field, kept, other, rec_id)``.

    The merged record keeps the id and source location of the first row; each template field
    comes from the first row (sheet and row order) where it is non-empty.
    """
    out = merge_outcome(df, rec_ids)
    return out.record, out.conflicts
