"""Matching and deduplication: within a unit, across units, against the central system.

Blocking keys are pure functions (:mod:`.keys`); comparisons have ordered, labelled levels
(:mod:`.compare`); clusters never cross a CCCD veto (:mod:`.cluster`); the merged record follows
spec decision 4 (:mod:`.merge`). See ``docs/matching.md``.

The Splink engine (:mod:`.splink_engine`) is not imported here: it needs the optional extra.
"""
from __future__ import annotations

from unionclean.match.central import ReconcileResult, read_central_export, reconcile_central
from unionclean.match.cluster import cluster
from unionclean.match.compare import LEVELS
from unionclean.match.config import BlockingRule, MatchConfig
from unionclean.match.crossunit import (find_cross_unit, read_duplicates_decisions,
                                        write_duplicates_report)
from unionclean.match.matcher import find_pairs
from unionclean.match.merge import merge_cluster
from unionclean.match.within import MergeGroup, WithinResult, dedupe_within_unit

__all__ = [
    "BlockingRule", "LEVELS", "MatchConfig", "MergeGroup", "ReconcileResult", "WithinResult",
    "cluster", "dedupe_within_unit", "find_cross_unit", "find_pairs", "merge_cluster",
    "read_central_export", "read_duplicates_decisions", "reconcile_central",
    "write_duplicates_report",
]
