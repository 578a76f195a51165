"""Reconciling a cleaned unit with an export of the central member system, for the notebooks:
counts per status and masked tables of who is new, changed, elsewhere or missing.

Example:
    >>> rec = reconcile_session(session, "data/xuat_tu_he_thong.csv")   # doctest: +SKIP
    >>> status_table(rec)                                               # doctest: +SKIP
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from unionclean.privacy import mask_frame
from unionclean.session import CleaningSession
from unionclean.ui.common import field_label, t

__all__ = ["Reconciliation", "reconcile_session", "status_table", "status_rows", "missing_rows", "STATUSES"]

STATUSES = ("new", "unchanged", "changed", "other_unit", "review")
_SHOWN = ("ho_ten", "ngay_sinh", "gioi_tinh", "so_cccd")


@dataclass
class Reconciliation:
    """A session's records, the central export and the matcher's result."""

    session: CleaningSession
    records: pd.DataFrame
    central: pd.DataFrame
    result: object  # unionclean.match.central.ReconcileResult


def reconcile_session(session: CleaningSession, central_path: str | Path,
                      unit: str | None = None) -> Reconciliation:
    """Reconcile the cleaned records of ``session`` (uploaded and held back) with a central export.

    Args:
        session: The cleaning session of the unit.
        central_path: The export (CSV or xlsx, see :mod:`unionclean.match.central`).
        unit: The unit's name as the system writes it (default: the name in the file's title).
    """
    from unionclean.dedupe import records_frame
    from unionclean.match.central import read_central_export, reconcile_central
    from unionclean.spec import MEMBER_FIELDS

    o = session.outcome or session.run()
    recs = records_frame(o.upload + o.held, MEMBER_FIELDS, unit=unit or o.unit_name or o.stem)
    central = read_central_export(central_path)
    return Reconciliation(session, recs, central, reconcile_central(recs, central))


def status_table(rec: Reconciliation) -> pd.DataFrame:
    """How many of the unit's members fall in each status, plus the central rows missing from the unit."""
    counts = rec.result.rows["status"].value_counts()
    rows = [(t(f"ui.central.{s}"), int(counts.get(s, 0))) for s in STATUSES]
    rows.append((t("ui.central.missing"), len(rec.result.missing)))
    return pd.DataFrame(rows, columns=[t("ui.central.status"), t("ui.summary.count")])


def status_rows(rec: Reconciliation, status: str) -> pd.DataFrame:
    """Members of one status with their system code and differing columns; IDs masked."""
    spec = rec.session.spec
    rows = rec.result.rows
    sel = rows[rows["status"] == status].merge(rec.records, on="rec_id", how="left")
    out = pd.DataFrame({field_label(spec, f): sel[f].fillna("") for f in _SHOWN})
    out[t("ui.central.code")] = sel["ma_doan_vien"].to_numpy()
    if status in ("changed", "other_unit"):
        out[t("ui.central.changed_fields")] = [", ".join(field_label(spec, f) for f in str(v).split(",") if f)
                                              for v in sel["changed_fields"]]
        out[t("ui.central.central_unit")] = sel["central_unit"].to_numpy()
    return mask_frame(out.reset_index(drop=True))


def missing_rows(rec: Reconciliation) -> pd.DataFrame:
    """Central rows of the unit that no unit member matched (candidates for báo giảm); IDs masked."""
    m = rec.result.missing
    spec = rec.session.spec
    out = pd.DataFrame({t("ui.central.code"): m["ma_doan_vien"]} | {field_label(spec, f): m[f] for f in _SHOWN})
    return mask_frame(out.reset_index(drop=True))
