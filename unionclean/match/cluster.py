"""Clusters of records that are one person: transitive, but never across a veto.

Edges are added strongest first (level rank, then score). Two clusters are never joined when
that would put two different CCCDs, or a pair a person marked "keep apart", in one cluster —
so A–B and B–C do not make A–C when A and C carry different CCCDs.

Example:
    >>> import numpy as np
import pandas as pd
    >>> pairs = pd.DataFrame({"rec_a": [1, 2], "rec_b": [2, 3], "decision": ["merge"] * 2,
    ...                       "level_rank": [4, 4], "score": [100.0, 100.0]})
    >>> cluster(pairs)
    {1: 1, 2: 1, 3: 1}
"""
from __future__ import annotations

from collections.abc import Hashable, Mapping

import numpy as np
import pandas as pd

__all__ = ["cluster", "cluster_arrays"]


class _DSU:
    """Union-find keeping, per root, its members, its CCCDs and its forbidden partners."""

    def __init__(self, ids: Mapping[Hashable, str] | None) -> None:
        self.parent: dict = {}
        self.members: dict = {}
        self.cccd: dict = {}
        self.ids = ids or {}

    def add(self, x: Hashable) -> None:
        if x not in self.parent:
            self.parent[x] = x
            self.members[x] = [x]
            c = self.ids.get(x, "")
            self.cccd[x] = {c} if c else set()

    def find(self, x: Hashable) -> Hashable:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, x: Hashable, y: Hashable, apart: Mapping[Hashable, set]) -> bool:
        rx, ry = self.find(x), self.find(y)
        if rx == ry:
            return True
        cx, cy = self.cccd[rx], self.cccd[ry]
        if cx and cy and cx != cy:
            return False
        if len(self.members[rx]) < len(self.members[ry]):
            rx, ry = ry, rx
        for m in self.members[ry]:
            for other in apart.get(m, ()):
                if other in self.parent and self.find(other) == rx:
                    return False
        self.parent[ry] = rx
        self.members[rx].extend(self.members.pop(ry))
        self.cccd[rx] = cx | cy
        del self.cccd[ry]
        return True


def cluster(pairs: pd.DataFrame, auto_only: bool = True,
            national_ids: Mapping[Hashable, str] | None = None) -> dict[Hashable, Hashable]:
    """Transitive clusters of the pairs to merge.

    Args:
        pairs: Output of :func:`unionclean.match.matcher.find_pairs`.
        auto_only: Only ``merge`` pairs (the tool's own and the humans'); else ``review`` too.
        national_ids: ``{rec_id: CCCD}`` ("" or absent when unknown): a cluster never holds two
            different CCCDs.

    Returns:
        ``{rec_id: cluster_id}`` for every record in a cluster of two or more; the cluster id is
        the smallest record id of the cluster.
    """
    cols = {c: pairs[c].to_numpy() for c in ("rec_a", "rec_b", "decision", "level_rank", "score")
            if c in pairs.columns}
    return cluster_arrays(cols, auto_only, national_ids)


def cluster_arrays(pairs: Mapping[str, np.ndarray], auto_only: bool = True,
                   national_ids: Mapping[Hashable, str] | None = None) -> dict[Hashable, Hashable]:
    """:func:`cluster` on pairs given as plain columns (``rec_a``, ``rec_b``, ``decision`` and,
    optionally, ``level_rank`` and ``score``)."""
    rec_a, rec_b = np.asarray(pairs["rec_a"]), np.asarray(pairs["rec_b"])
    decision = np.asarray(pairs["decision"], dtype=object)
    wanted = (decision == "merge") | ((decision == "review") & (not auto_only))
    edges = np.flatnonzero(wanted)
    if "level_rank" in pairs and len(edges):
        # Strongest first: rank ascending, then score descending (lexsort is stable).
        edges = edges[np.lexsort((-np.asarray(pairs["score"], dtype=float)[edges],
                                  np.asarray(pairs["level_rank"])[edges]))]
    apart: dict[Hashable, set] = {}
    apart_idx = np.flatnonzero(decision == "keep_apart")
    for a, b in zip(rec_a[apart_idx].tolist(), rec_b[apart_idx].tolist()):
        apart.setdefault(a, set()).add(b)
        apart.setdefault(b, set()).add(a)
    dsu = _DSU(national_ids)
    ea, eb = rec_a[edges].tolist(), rec_b[edges].tolist()
    for a, b in zip(ea, eb):
        dsu.add(a)
        dsu.add(b)
        dsu.union(a, b, apart)
    out: dict[Hashable, Hashable] = {}
    for root, members in dsu.members.items():
        if len(members) > 1:
            cid = min(members)
            for m in members:
                out[m] = cid
    return out
