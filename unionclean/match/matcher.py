"""Candidate pairs by blocking, compared level by level, with human decisions replayed.

Pipeline: :func:`prepare` (keys per record, once) → :func:`candidate_pairs` (union of the
blocking rules, vectorised with numpy) → :func:`unionclean.match.compare.compare_pairs` →
human decisions applied → :func:`find_pairs` returns the pairs that are duplicates or may be.

Example:
    >>> import pandas as pd
    >>> df = pd.DataFrame({"rec_id": [1, 2], "unit": ["A", "A"], "file": ["a.xlsx"] * 2,
    ...     "sheet": ["S1", "S2"], "row": [5, 9], "ho_ten": ["Lê Thị Hoà", "Lê Thị Hòa"],
    ...     "ngay_sinh": ["01/02/1990"] * 2, "gioi_tinh": ["Nữ"] * 2,
    ...     "so_cccd": ["", "001190000001"], "so_dien_thoai": ["", ""]})
    >>> find_pairs(df)[["rec_a", "rec_b", "level", "decision"]].values.tolist()
    [[1, 2, 'exact_name_dob', 'merge']]
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from unionclean.errors import UnionCleanError
from unionclean.match.compare import LEVEL_BY_ID, Codes, compare_levels, factorize, join_flags
from unionclean.match.compare import column_array as _col
from unionclean.match.config import MatchConfig
from unionclean.match.keys import column_keys
from unionclean.messages import message

__all__ = ["prepare", "prepare_columns", "candidate_pairs", "find_pairs", "pair_arrays", "location_key",
           "PAIR_COLUMNS", "MatchStats", "Columns"]

#: A prepared table as plain columns (name → numpy array, all of one length): what
#: :func:`prepare` returns wrapped in a DataFrame. The matcher works on these arrays directly, so a
#: unit of a few hundred rows does not pay pandas' per-operation overhead dozens of times.
Columns = Mapping[str, np.ndarray]

PAIR_COLUMNS = ["rec_a", "rec_b", "level", "level_label", "score", "agree", "disagree",
                "decision", "reason", "level_rank"]


class MatchStats(dict):
    """Counters of the last run (pairs compared per rule, blocks skipped): no personal data."""


def location_key(file: object, sheet: object, row: object) -> str:
    """Stable location string ``file|sheet|row`` used by human decisions."""
    return f"{file}|{'' if sheet is None else sheet}|{row}"


def _norm_loc(loc: str) -> str:
    """Accept ``file|row`` (CSV, as :class:`unionclean.model.Location` prints it) too."""
    parts = str(loc).split("|")
    if len(parts) == 2:
        return f"{parts[0]}||{parts[1]}"
    return str(loc)


def _text(s: pd.Series) -> pd.Series:
    return s.fillna("").astype(str).str.strip()


def prepare(df: pd.DataFrame, config: MatchConfig) -> pd.DataFrame:
    """Per-record keys, positional index 0..n-1.

    Raises:
        UnionCleanError: a configured column is missing, or record ids repeat.
    """
    return columns_frame(prepare_columns(df, config))


def columns_frame(cols: Columns) -> pd.DataFrame:
    """A prepared table as a DataFrame (object columns on purpose: the comparisons work on numpy
    object arrays)."""
    return pd.DataFrame({k: pd.Series(v, dtype=v.dtype if v.dtype != object else object)
                         for k, v in cols.items()})


def prepare_columns(df: pd.DataFrame, config: MatchConfig) -> dict[str, np.ndarray]:
    """:func:`prepare` as plain columns."""
    missing = [c for c in config.required_columns() if c not in df.columns]
    if missing:
        raise UnionCleanError(f"match: columns {missing} not in the table; set MatchConfig "
                              f"to the table's column names")
    if df[config.id].duplicated().any():
        raise UnionCleanError(f"match: column {config.id!r} must be unique per record")
    d = df.reset_index(drop=True)
    cols: dict[str, np.ndarray] = {"id": d[config.id].to_numpy()}
    names = _text(d[config.name_columns[0]])
    for c in config.name_columns[1:]:
        names = (names + " " + _text(d[c])).str.strip()
    cols["name"] = names.to_numpy(dtype=object)
    if config.dob:
        dob = _text(d[config.dob])
        if config.dob_format:
            dob = pd.to_datetime(dob, format=config.dob_format, errors="coerce").dt.strftime(
                "%d/%m/%Y").fillna("")
        cols["dob"] = dob.to_numpy(dtype=object)
    else:
        cols["dob"] = np.full(len(d), "", dtype=object)
    keys = column_keys(pd.DataFrame({"n": cols["name"], "d": cols["dob"]}, dtype=object), "n", "d")
    for c in keys.columns:
        cols[c] = keys[c].to_numpy()
    for role in ("gender", "national_id", "phone", "group"):
        rc = getattr(config, role)
        cols[role] = _text(d[rc]).to_numpy(dtype=object) if rc else np.full(len(d), "", dtype=object)
    if config.location:
        f, sh, r = (_text(d[c]) for c in config.location)
        cols["loc"] = (f + "|" + sh + "|" + r).to_numpy(dtype=object)
    else:
        cols["loc"] = d[config.id].astype(str).to_numpy(dtype=object)
    for c in config.evidence:
        if c in d.columns:
            cols[c] = _text(d[c]).to_numpy(dtype=object)
    return cols


def _n(p: Columns | pd.DataFrame) -> int:
    return len(_col(p, "id"))


def _group_codes(p: Columns | pd.DataFrame, keys: Sequence[str], codes: Codes | None = None) -> np.ndarray:
    """One int per record for the combination of ``keys``; -1 when any part is empty."""
    code = codes if codes is not None else Codes(p)
    n = _n(p)
    empty = np.zeros(n, dtype=bool)
    out = np.zeros(n, dtype=np.int64)
    for k in keys:
        c = code(k)
        empty |= c < 0
        # c runs over -1 .. max: (max + 2) distinct values, so the combination is one-to-one.
        out = factorize(out * (int(c.max(initial=-1)) + 2) + c)[0]
    out[empty] = -1
    return out


def _block_pairs(codes: np.ndarray, max_block: int) -> tuple[np.ndarray, np.ndarray, int]:
    """All pairs (lo, hi) of positions sharing a code; also how many blocks were too large."""
    valid = np.flatnonzero(codes >= 0)
    order = valid[np.argsort(codes[valid], kind="stable")]
    c = codes[order]
    if len(c) < 2:
        return np.empty(0, np.int64), np.empty(0, np.int64), 0
    starts = np.flatnonzero(np.r_[True, c[1:] != c[:-1]])
    sizes = np.diff(np.r_[starts, len(c)])
    keep = (sizes >= 2) & (sizes <= max_block)
    a_parts, b_parts = [], []
    for s in np.unique(sizes[keep]):
        st = starts[keep & (sizes == s)]
        iu, ju = np.triu_indices(int(s), 1)
        a_parts.append(order[(st[:, None] + iu[None, :]).ravel()])
        b_parts.append(order[(st[:, None] + ju[None, :]).ravel()])
    if not a_parts:
        return np.empty(0, np.int64), np.empty(0, np.int64), int((sizes > max_block).sum())
    a = np.concatenate(a_parts)
    b = np.concatenate(b_parts)
    return np.minimum(a, b), np.maximum(a, b), int((sizes > max_block).sum())


def candidate_pairs(p: Columns | pd.DataFrame, config: MatchConfig,
                    stats: MatchStats | None = None, codes: Codes | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Union of the pairs of every blocking rule, deduplicated, as position arrays (a < b)."""
    codes = codes if codes is not None else Codes(p)
    n = _n(p)
    group = codes("group")  # the same codes as the comparison's: equal codes, equal units
    codes_all = []
    for rule in config.blocking:
        keys = [k for k in rule.keys]
        if not all(map(codes.has, keys)):
            raise UnionCleanError(f"match: blocking rule {rule.name!r} uses unknown key {keys}")
        a, b, skipped = _block_pairs(_group_codes(p, keys, codes), config.max_block)
        if rule.same_group_only and len(a):
            same = group[a] == group[b]
            a, b = a[same], b[same]
        if stats is not None:
            stats[f"pairs_{rule.name}"] = int(len(a))
            stats[f"blocks_skipped_{rule.name}"] = skipped
        codes_all.append(a.astype(np.int64) * n + b)
    if not codes_all:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    u = np.concatenate(codes_all)
    u.sort()  # sort + neighbours: several times faster than np.unique on millions of pairs
    u = u[np.r_[True, u[1:] != u[:-1]]] if len(u) else u
    if stats is not None:
        stats["pairs_compared"] = int(len(u))
    return u // n, u % n


def _locations(p: Columns | pd.DataFrame, config: MatchConfig) -> np.ndarray:
    """The ``loc`` column (``file|sheet|row``, what decisions name). The cross-unit table of a
    run leaves it out (it is read here only, and would be a sixth of what the workers send): it
    is then made from the location columns, as :func:`prepare_columns` makes it."""
    if "loc" in p:
        return _col(p, "loc")
    if not config.location:
        return np.array([str(i) for i in _col(p, "id").tolist()], dtype=object)
    parts = [["" if v is None else str(v).strip() for v in _col(p, c).tolist()] for c in config.location]
    return np.array([f"{f}|{sh}|{r}" for f, sh, r in zip(*parts)], dtype=object)


def _decision_pairs(p: Columns | pd.DataFrame, decisions: Mapping | None,
                    config: MatchConfig) -> dict[tuple[int, int], str]:
    """Human decisions as {(pos_lo, pos_hi): "merge" | "keep_apart"} (unknown locations skipped)."""
    if not decisions:
        return {}
    pos = {loc: i for i, loc in enumerate(_locations(p, config))}
    out: dict[tuple[int, int], str] = {}
    for kind in ("merge", "keep_apart"):
        for entry in decisions.get(kind, []) or []:
            locs = [pos.get(_norm_loc(x)) for x in entry]
            locs = [x for x in locs if x is not None]
            for i in range(len(locs)):
                for j in range(i + 1, len(locs)):
                    if locs[i] != locs[j]:
                        out[(min(locs[i], locs[j]), max(locs[i], locs[j]))] = kind  # type: ignore
    return out


def find_pairs(df: pd.DataFrame | None, config: MatchConfig = MatchConfig(),
               decisions: Mapping | None = None,
               *, stats: MatchStats | None = None, prepared: Columns | pd.DataFrame | None = None) -> pd.DataFrame:
    """Pairs of records that are, or may be, the same person.

    Args:
        df: Cleaned records (see ``docs/matching.md`` for the columns); may be None when
            ``prepared`` is given.
        config: Column roles, thresholds, blocking.
        decisions: ``{"merge": [[loc, loc], ...], "keep_apart": [[loc, loc], ...]}`` with
            locations ``"file|sheet|row"``; they override the computed decision.
        stats: Filled with counters (pairs per rule, pairs compared).
        prepared: The output of :func:`prepare` (or :func:`prepare_columns`) for ``df`` if
            already computed.

    Returns:
        One row per pair (``rec_a`` before ``rec_b`` in table order) whose decision is
        ``merge``, ``review`` or ``keep_apart`` with similar names; columns :data:`PAIR_COLUMNS`
        plus ``pos_a``, ``pos_b`` (positions in the table).
    """
    cols = pair_arrays(prepare_columns(df, config) if prepared is None else prepared, config, decisions,
                       stats=stats)
    return pd.DataFrame({c: cols[c] for c in PAIR_COLUMNS + ["pos_a", "pos_b"]})


def pair_arrays(p: Columns | pd.DataFrame, config: MatchConfig = MatchConfig(),
                decisions: Mapping | None = None, *, stats: MatchStats | None = None,
                candidates: tuple[np.ndarray, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """:func:`find_pairs` on a prepared table, as plain arrays (one per column of the result).
    ``candidates``: what :func:`candidate_pairs` returns for this table, when the caller has
    worked it out already (see :func:`unionclean.dedupe.candidate_blocks`)."""
    codes = Codes(p)
    a, b = candidate_pairs(p, config, stats, codes) if candidates is None else candidates
    human = _decision_pairs(p, decisions, config)
    if human:
        extra = np.array([k for k in human], dtype=np.int64).reshape(-1, 2)
        n = max(_n(p), 1)
        u = np.unique(np.concatenate([a * n + b, extra[:, 0] * n + extra[:, 1]]))
        a, b = u // n, u % n
    cmp, agree, disagree = compare_levels(p, a, b, config, codes)
    level = cmp["level"]
    if human:
        hd = np.array([human.get(k, "") for k in zip(a.tolist(), b.tolist())], dtype=object)
        has = hd != ""
        cmp["decision"][has] = hd[has]
        reason = np.where(has, "match.decision." + hd, "match.level." + level)
    else:
        has = np.zeros(len(a), dtype=bool)
        reason = "match.level." + level
    # Keep-apart pairs are listed only when they look alike (same date, close name) or a person
    # decided: the veto is worth showing there, not for every namesake born the same year.
    decision = cmp["decision"]
    same_dob = agree.get(config.dob) if config.dob else None
    alike = (cmp["score"] >= config.t_auto) & (same_dob if same_dob is not None else False)
    keep = (decision == "merge") | (decision == "review") | ((decision == "keep_apart") & (alike | has))
    out = {k: v[keep] for k, v in cmp.items()}
    # The evidence text of the kept pairs only (a province compares millions of pairs).
    out["agree"] = join_flags({k: v[keep] for k, v in agree.items()}, int(keep.sum()))
    out["disagree"] = join_flags({k: v[keep] for k, v in disagree.items()}, int(keep.sum()))
    out["reason"] = np.asarray(reason, dtype=object)[keep]
    out["pos_a"], out["pos_b"] = a[keep], b[keep]
    ids = _col(p, "id")
    out["rec_a"], out["rec_b"] = ids[out["pos_a"]], ids[out["pos_b"]]
    labels = _level_labels()
    out["level_label"] = np.array([labels[lv] for lv in out["level"]], dtype=object)
    return out


def _level_labels() -> dict[str, str]:
    return {lv: message(f"match.level.{lv}") for lv in LEVEL_BY_ID}
