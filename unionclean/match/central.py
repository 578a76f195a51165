"""Reconcile a unit's cleaned list with an export of the central member system.

**Central export format** (CSV in UTF-8, or .xlsx, first sheet; header in the first row; every
value read as text). Columns, by key or by Vietnamese header (case, diacritics and spaces
ignored):

=============  ==================  ==========================================
key            header              value
=============  ==================  ==========================================
ma_doan_vien   Mã đoàn viên        member code in the central system (unique)
ho_ten         Họ và tên           full name
ngay_sinh      Ngày sinh           ``dd/mm/yyyy`` (``yyyy-mm-dd`` accepted)
gioi_tinh      Giới tính           ``Nam`` / ``Nữ``
so_cccd        Số CCCD             12 digits (9 for an old CMND); may be empty
don_vi         Đơn vị              grassroots union name as the system shows it
trang_thai     Trạng thái          membership status, free text (shown only)
=============  ==================  ==========================================

Each unit row becomes ``new`` (not in the system: upload), ``unchanged``, ``changed`` (in the
system, some field differs), ``other_unit`` (in the system under another unit: a transfer) or
``review`` (may be in the system: a person checks). Central rows of the unit that no unit row
matched are ``missing``: candidates for *báo giảm* or a transfer out.
"""
from __future__ import annotations

import os
import re
from collections.abc import Hashable
from dataclasses import dataclass, field

import pandas as pd

from unionclean.errors import UnionCleanError
from unionclean.match.config import MatchConfig
from unionclean.match.keys import name_tone
from unionclean.match.matcher import find_pairs
from unionclean.normalize.keys import fold, fold_code

__all__ = ["CENTRAL_COLUMNS", "read_central_export", "reconcile_central", "ReconcileResult"]

CENTRAL_COLUMNS = {
    "ma_doan_vien": "Mã đoàn viên",
    "ho_ten": "Họ và tên",
    "ngay_sinh": "Ngày sinh",
    "gioi_tinh": "Giới tính",
    "so_cccd": "Số CCCD",
    "don_vi": "Đơn vị",
    "trang_thai": "Trạng thái",
}
COMPARED = ("ho_ten", "ngay_sinh", "gioi_tinh", "so_cccd")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_ALIASES = {fold_code(k): k for k in CENTRAL_COLUMNS} | {
    fold_code(v): k for k, v in CENTRAL_COLUMNS.items()} | {
    fold_code("CCCD"): "so_cccd", fold_code("Họ tên"): "ho_ten", fold_code("Mã ĐV"): "ma_doan_vien"}


def _clean_date(s: str) -> str:
    m = _ISO.match(s)
    return f"{m.group(3)}/{m.group(2)}/{m.group(1)}" if m else s


def _clean_cccd(s: str) -> str:
    s = s.strip()
    if s.endswith(".0"):
        s = s[:-2]
    if s.isdigit() and len(s) in (10, 11):
        s = s.zfill(12)
    return s


def _differs(key: str, unit_value: str, central_value: str) -> bool:
    """A unit value that is present and not the system's (names: tone placement ignored)."""
    if not unit_value:
        return False
    if key == "ho_ten":
        return name_tone(unit_value) != name_tone(central_value)
    return unit_value != central_value


def read_central_export(path: str | os.PathLike) -> pd.DataFrame:
    """Read a central export (CSV or xlsx) into the columns of :data:`CENTRAL_COLUMNS`.

    Raises:
        UnionCleanError: a required column (all but ``trang_thai``) is missing.
    """
    p = str(path)
    if p.lower().endswith((".xlsx", ".xlsm", ".xls")):
        raw = pd.read_excel(p, dtype=str, engine="calamine")
    else:
        raw = pd.read_csv(p, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    rename = {c: _ALIASES[fold_code(str(c))] for c in raw.columns if fold_code(str(c)) in _ALIASES}
    df = raw.rename(columns=rename)
    need = [k for k in CENTRAL_COLUMNS if k != "trang_thai" and k not in df.columns]
    if need:
        raise UnionCleanError(f"central export {p}: missing columns "
                              f"{[CENTRAL_COLUMNS[k] for k in need]}")
    if "trang_thai" not in df.columns:
        df["trang_thai"] = ""
    df = df[list(CENTRAL_COLUMNS)].fillna("").astype(str).apply(lambda s: s.str.strip())
    df["ngay_sinh"] = df["ngay_sinh"].map(_clean_date)
    df["so_cccd"] = df["so_cccd"].map(_clean_cccd)
    return df.reset_index(drop=True)


@dataclass
class ReconcileResult:
    """Result of :func:`reconcile_central`.

    Attributes:
        rows: One row per unit record: ``rec_id``, ``status`` (new / unchanged / changed /
            other_unit / review), ``ma_doan_vien``, ``central_unit``, ``changed_fields``
            (comma-separated keys), ``level``, ``score``, ``reason`` (message code).
        missing: Central rows of the unit that no unit record matched.
    """

    rows: pd.DataFrame
    missing: pd.DataFrame = field(default_factory=pd.DataFrame)

    def _ids(self, status: str) -> list[Hashable]:
        return self.rows.loc[self.rows["status"] == status, "rec_id"].tolist()

    @property
    def new(self) -> list[Hashable]:
        return self._ids("new")

    @property
    def unchanged(self) -> list[Hashable]:
        return self._ids("unchanged")

    @property
    def changed(self) -> list[Hashable]:
        return self._ids("changed")


def reconcile_central(df_unit: pd.DataFrame, central_df: pd.DataFrame, unit: str | None = None,
                      config: MatchConfig = MatchConfig()) -> ReconcileResult:
    """Split a unit's cleaned records against the central export.

    Args:
        df_unit: Cleaned records of one unit (pipeline columns).
        central_df: :func:`read_central_export` output (may hold many units).
        unit: The unit's name in the export; default: the ``unit`` values of ``df_unit``, or the
            whole export when it holds one unit only.
        config: Thresholds (column roles are fixed here).
    """
    u = df_unit.reset_index(drop=True)
    c = central_df.reset_index(drop=True)
    if unit is None:
        units = set(u["unit"].astype(str)) if "unit" in u else set()
        if c["don_vi"].nunique() == 1:  # an export of this unit only
            units = set(c["don_vi"])
    else:
        units = {unit}
    unit_keys = {fold(x) for x in units}
    # Central rows of this unit share the unit's group: a name and date of birth suffice there;
    # a match in another unit needs the same CCCD (see the level name_dob_other_unit).
    c_group = c["don_vi"].map(fold)
    c_group = c_group.where(~c_group.isin(unit_keys), "\x00unit")
    both = pd.concat([
        pd.DataFrame({"_id": "u" + u.index.astype(str), "_src": "\x00unit",
                      **{k: u[k].fillna("").astype(str) if k in u else "" for k in COMPARED}}),
        pd.DataFrame({"_id": "c" + c.index.astype(str), "_src": c_group.to_numpy(),
                      **{k: c[k].fillna("").astype(str) for k in COMPARED}}),
    ], ignore_index=True)
    cfg = MatchConfig(id="_id", name="ho_ten", dob="ngay_sinh", gender="gioi_tinh",
                      national_id="so_cccd", phone=None, group="_src", location=None,
                      evidence=(), t_auto=config.t_auto, t_review=config.t_review,
                      max_block=config.max_block,
                      blocking=tuple(r for r in config.blocking if r.name != "phone"))
    pairs = find_pairs(both, cfg)
    pairs = pairs[(pairs["rec_a"].str[0] != pairs["rec_b"].str[0])
                  & pairs["decision"].isin(["merge", "review"])].copy()
    flip = pairs["rec_a"].str.startswith("c")
    pairs.loc[flip, ["rec_a", "rec_b"]] = pairs.loc[flip, ["rec_b", "rec_a"]].to_numpy()
    pairs["strength"] = (pairs["decision"] != "merge").astype(int)
    pairs = pairs.sort_values(["strength", "level_rank", "score"], ascending=[True, True, False],
                              kind="stable")
    # One-to-one: the strongest pairs first; each side used once.
    used_u: dict[str, pd.Series] = {}
    used_c: set[str] = set()
    for r in pairs.itertuples(index=False):
        if r.rec_a in used_u or (r.decision == "merge" and r.rec_b in used_c):
            continue
        used_u[r.rec_a] = r
        if r.decision == "merge":
            used_c.add(r.rec_b)
    rid = u["rec_id"] if "rec_id" in u else pd.Series(u.index)
    out = []
    for i in range(len(u)):
        m = used_u.get(f"u{i}")
        row = {"rec_id": rid.iloc[i], "status": "new", "ma_doan_vien": "", "central_unit": "",
               "changed_fields": "", "level": "", "score": float("nan"),
               "reason": "match.central.new"}
        if m is not None:
            ci = int(m.rec_b[1:])
            crow = c.iloc[ci]
            row.update(ma_doan_vien=crow["ma_doan_vien"], central_unit=crow["don_vi"],
                       level=m.level, score=float(m.score))
            if m.decision == "review":
                row.update(status="review", reason="match.central.review")
            elif unit_keys and fold(crow["don_vi"]) not in unit_keys:
                row.update(status="other_unit", reason="match.central.other_unit")
            else:
                changed = [k for k in COMPARED if k in u and _differs(k, str(u.at[i, k] or ""), crow[k])]
                row.update(changed_fields=",".join(changed),
                           status="changed" if changed else "unchanged",
                           reason="match.central.changed" if changed else "match.central.unchanged")
        out.append(row)
    matched = {int(x[1:]) for x in used_c}
    mine = c["don_vi"].map(fold).isin(unit_keys) if unit_keys else pd.Series(True, index=c.index)
    missing = c[mine & ~c.index.isin(list(matched))].reset_index(drop=True)
    return ReconcileResult(pd.DataFrame(out), missing)
