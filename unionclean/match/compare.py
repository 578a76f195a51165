"""Pair comparison: ordered, labelled levels, evaluated for many pairs at once.

Each candidate pair gets the **first** level (in :data:`LEVELS` order) whose condition holds.
A level decides: ``merge`` (certain, merged by the tool), ``review`` (a person decides) or
``keep_apart`` (certainly two people). Pairs reaching no level are ``not_duplicate``.

The name score is RapidFuzz ``fuzz.ratio`` (0–100) on the tone key (diacritics kept, tone
placement and case ignored, regional family-name variants unified); 100 when the keys are equal.
Across units, a name and date of birth alone (without the same CCCD, phone or e-mail) are not
enough to merge: in a province of 700,000 people, two different people share a name, a date of
birth and a gender hundreds of times. A name that differs **only** in diacritics
(same folded key: Hùng/Hưng, Hải/Hài, or a name typed
without diacritics) is never merged automatically: it can be another person.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz import fuzz

from unionclean.match.config import MatchConfig
from unionclean.match.keys import DOB_KEYS

__all__ = ["Level", "LEVELS", "LEVEL_BY_ID", "compare_pairs", "compare_arrays", "compare_levels",
           "join_flags", "Codes", "factorize",
           "column_array", "EVIDENCE_FIELDS"]


@dataclass(frozen=True)
class Level:
    """One comparison level: id, rank (1 = strongest), decision."""

    id: str
    rank: int
    decision: str  # "merge" | "review" | "keep_apart" | "none"

    @property
    def reason(self) -> str:
        return f"match.level.{self.id}"


LEVELS: tuple[Level, ...] = tuple(
    Level(i, r, d)
    for r, (i, d) in enumerate(
        [
            ("cccd_conflict", "keep_apart"),   # both CCCDs present and different: veto
            ("same_cccd", "merge"),            # same CCCD, name close, date and gender agree
            ("same_cccd_differs", "review"),   # same CCCD but name/date/gender disagree
            ("name_dob_other_unit", "review"),  # as the next two, across units, no phone/email
            ("exact_name_dob", "merge"),       # same name key, same date, gender agrees
            ("fuzzy_name_dob", "merge"),       # name ≥ t_auto (not diacritics-only), same date
            ("diacritics_differ", "review"),   # same folded name, diacritics differ, same date
            ("fuzzy_name_dob_grey", "review"),  # t_review ≤ name < t_auto, same date
            ("gender_differs", "review"),      # name close, same date, gender differs
            ("dob_swapped", "review"),         # name close, day and month swapped
            ("dob_typo", "review"),            # name close, date differs in one digit (across
                                               # units only with the same phone/e-mail)
            ("same_phone_name", "review"),     # name close, same phone, dates differ/missing
            ("dob_missing", "review"),         # same name key, a date missing
            ("not_duplicate", "none"),
        ],
        start=1,
    )
)
LEVEL_BY_ID = {lv.id: lv for lv in LEVELS}
GIVEN_REVIEW = 80.0  # folded given names at least this close for a grey-zone review
EVIDENCE_FIELDS = ("name", "dob", "gender", "national_id", "phone")


def name_scores(tone_a: np.ndarray, tone_b: np.ndarray) -> np.ndarray:
    """RapidFuzz ratio of two arrays of tone keys (100 where equal)."""
    score = np.full(len(tone_a), 100.0)
    diff = np.flatnonzero(tone_a != tone_b)
    ratio = fuzz.ratio
    score[diff] = [ratio(tone_a[i], tone_b[i]) for i in diff]
    return score


def compare_pairs(p: pd.DataFrame, a: np.ndarray, b: np.ndarray, config: MatchConfig) -> pd.DataFrame:
    """Level, score and evidence of each pair ``(a[i], b[i])`` of positions into ``p``.

    ``p`` is the prepared table of :func:`unionclean.match.matcher.prepare`.

    Returns:
        A frame with ``level``, ``level_rank``, ``decision``, ``score``, ``agree``,
        ``disagree`` (comma-separated field keys), one row per pair, in input order.
    """
    return pd.DataFrame(compare_arrays(p, a, b, config))


def column_array(p, c: str) -> np.ndarray:
    """Column ``c`` of a prepared table, a DataFrame or plain columns, as a numpy array."""
    v = p[c]
    return v if isinstance(v, np.ndarray) else v.to_numpy()


def _obj(p, c: str) -> np.ndarray:
    return np.asarray(column_array(p, c), dtype=object)


_SMALL = 2_000  # below this many values a dict beats pandas' per-call overhead (~40 µs)


def factorize(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize(values, sort=False)``: codes in order of first appearance (int64, -1 for
    None and NaN) and the distinct values (object array). A unit's few hundred values are
    coded with a dict; a province's with pandas."""
    if len(values) >= _SMALL:
        codes, uniques = pd.factorize(values, sort=False)
        return codes.astype(np.int64, copy=False), np.asarray(uniques, dtype=object)
    seen: dict = {}
    out = np.empty(len(values), dtype=np.int64)
    for i, v in enumerate(values.tolist()):
        if v is None or (isinstance(v, float) and v != v):
            out[i] = -1
        else:
            out[i] = seen.setdefault(v, len(seen))
    return out, np.array(list(seen), dtype=object)


class Codes:
    """Integer codes of a prepared table's columns (an int per distinct value, -1 for the empty
    string), made once per column and shared by blocking and comparison: equality of codes is
    equality of values, and comparing millions of pairs of ints is far cheaper than of Python
    strings. The birth date and its day/month swap share one coding (they are compared with
    each other)."""

    _JOINT = {"dob": ("dob", "k_swap"), "k_swap": ("dob", "k_swap")}

    def __init__(self, p) -> None:
        self.p = p
        self._codes: dict[str, np.ndarray] = {}
        self._uniques: dict[str, np.ndarray] = {}

    def has(self, c: str) -> bool:
        """Whether ``c`` can be coded: a column of the table, or a date-of-birth key
        (:data:`unionclean.match.keys.DOB_KEYS`) of a table with a ``dob`` column."""
        return c in self.p or (c in DOB_KEYS and "dob" in self.p)

    def __call__(self, c: str) -> np.ndarray:
        if c not in self._codes and c not in self.p and c in DOB_KEYS and "dob" in self.p:
            # Made from the distinct dates (a few tens of thousands in a province), then spread
            # to every record through the date's codes.
            dob = self("dob")
            derived, uniques = factorize(np.array([DOB_KEYS[c](v) for v in self.uniques("dob").tolist()],
                                                  dtype=object))
            empty = np.flatnonzero(uniques == "")
            if len(empty):
                derived[derived == empty[0]] = -1
            self._codes[c] = np.where(dob >= 0, derived[dob], -1) if len(derived) else np.full(len(dob), -1)
            self._uniques[c] = uniques
        if c not in self._codes:
            cols = self._JOINT.get(c, (c,))
            if len(cols) > 1 and not all(x in self.p for x in cols):
                cols = (c,)
            values = [_obj(self.p, x) for x in cols]
            codes, uniques = factorize(np.concatenate(values) if len(values) > 1 else values[0])
            empty = np.flatnonzero(uniques == "")
            if len(empty):
                codes[codes == empty[0]] = -1
            codes = codes.astype(np.int64, copy=False)
            start = 0
            for x, v in zip(cols, values):
                self._codes[x] = codes[start:start + len(v)]
                self._uniques[x] = uniques
                start += len(v)
        return self._codes[c]

    def uniques(self, c: str) -> np.ndarray:
        """The distinct values of column ``c``, indexed by its codes."""
        self(c)
        return self._uniques[c]


def _hamming1_codes(xa: np.ndarray, xb: np.ndarray, uniques: np.ndarray) -> np.ndarray:
    """Pairs of coded strings that both have 10 characters (dates) and differ in exactly one;
    each distinct value is spelled out once."""
    lengths = np.fromiter((len(u) if isinstance(u, str) else -1 for u in uniques), dtype=np.int64,
                          count=len(uniques))
    ten = lengths == 10
    chars = np.zeros((len(uniques), 10), dtype=np.uint32)
    if ten.any():
        chars[ten] = np.asarray(uniques[ten], dtype="U10").view(np.uint32).reshape(-1, 10)
    ok = (xa >= 0) & (xb >= 0)
    ok[ok] = ten[xa[ok]] & ten[xb[ok]]
    out = np.zeros(len(xa), dtype=bool)
    out[ok] = (chars[xa[ok]] != chars[xb[ok]]).sum(axis=1) == 1
    return out


def _ceq(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Codes: both non-empty and equal."""
    return (x == y) & (x >= 0)


def _cneq(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Codes: both non-empty and different."""
    return (x != y) & (x >= 0) & (y >= 0)


def compare_arrays(p, a: np.ndarray, b: np.ndarray, config: MatchConfig) -> dict[str, np.ndarray]:
    """:func:`compare_pairs` on a prepared table given as a DataFrame or as plain columns
    (name → numpy array), returning plain columns."""
    out, agree, disagree = compare_levels(p, a, b, config)
    out["agree"] = join_flags(agree, len(a))
    out["disagree"] = join_flags(disagree, len(a))
    return out


def compare_levels(p, a: np.ndarray, b: np.ndarray, config: MatchConfig, codes: Codes | None = None
                   ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Level, rank, decision and score of each pair, and the per-field agree / disagree flags
    (column name → bool array) that :func:`compare_arrays` joins into text. Callers that keep
    only some pairs join the flags of those alone (a province compares millions of pairs).
    ``codes`` are the table's :class:`Codes` if the caller has them already."""
    n = len(a)
    code = codes if codes is not None else Codes(p)
    obj = {c: _obj(p, c) for c in ("k_tone", "k_given", "k_given_tone")}
    diac = np.asarray(p["k_diac"], dtype=bool)

    def pair(c: str) -> tuple[np.ndarray, np.ndarray]:
        x = code(c)
        return x[a], x[b]

    ta, tb = pair("k_tone")
    fa, fb = pair("k_fold")
    tone_eq = _ceq(ta, tb)
    fold_eq = _ceq(fa, fb)
    score = np.full(n, 100.0)
    diff = np.flatnonzero(ta != tb)
    if len(diff):
        tone = obj["k_tone"]
        score[diff] = name_scores(tone[a[diff]], tone[b[diff]])
    da, db = pair("dob")
    dob_eq = _ceq(da, db)
    dob_missing = (da < 0) | (db < 0)
    dob_differs = _cneq(da, db)
    dob_swap = _ceq(code("k_swap")[a], db)
    gender_conf = _cneq(*pair("gender"))
    ca, cb = pair("national_id")
    cccd_eq, cccd_conf = _ceq(ca, cb), _cneq(ca, cb)
    pa_, pb_ = pair("phone")
    phone_eq = _ceq(pa_, pb_)
    diac_only = fold_eq & ~tone_eq  # Hùng/Hưng, or one name without diacritics
    both_diac = diac[a] & diac[b]
    cross = _cneq(*pair("group"))
    corroborated = phone_eq.copy()
    for c in ("email",):
        if c in config.evidence and c in p:
            xc = code(c)
            corroborated |= _ceq(xc[a], xc[b])
    t_auto, t_rev = config.t_auto, config.t_review
    name_close = tone_eq | (~diac_only & (score >= t_auto))
    # A differing given name may be a typo only when it is one substitution away in shape
    # (same first letter, same length) and not a diacritics-only change (Tâm/Tám, Hùng/Hưng).
    # Only the pairs whose level it can change are looked at.
    given_ok = np.zeros(n, dtype=bool)
    idx_ok = np.flatnonzero(~tone_eq & ~diac_only & (score >= t_auto) & both_diac)
    if len(idx_ok):
        ia, ib = a[idx_ok], b[idx_ok]
        given_ok[idx_ok] = [x == y or (gx != gy and gx[:1] == gy[:1] and len(gx) == len(gy))
                            for x, y, gx, gy in zip(obj["k_given_tone"][ia], obj["k_given_tone"][ib],
                                                    obj["k_given"][ia], obj["k_given"][ib])]
    name_auto = tone_eq | (~diac_only & (score >= t_auto) & given_ok & both_diac)
    # Grey zone: a close name whose given names are close too (Anh/Nga, Sang/Dương: two people).
    grey_cand = ~name_auto & (fold_eq | (score >= t_rev))
    given_close = np.zeros(n, dtype=bool)
    idx_g = np.flatnonzero(grey_cand)
    if len(idx_g):
        given = obj["k_given"]
        given_close[idx_g] = [fuzz.ratio(x, y) >= GIVEN_REVIEW
                              for x, y in zip(given[a[idx_g]], given[b[idx_g]])]
    name_grey = grey_cand & given_close
    dob_ok = dob_eq | dob_missing
    name_or_fold = name_close | fold_eq
    # One digit apart: only where it can decide a level (close names, different dates).
    dob_typo = np.zeros(n, dtype=bool)
    idx_t = np.flatnonzero(name_or_fold & dob_differs)
    if len(idx_t):
        dob_typo[idx_t] = _hamming1_codes(da[idx_t], db[idx_t], code.uniques("dob"))

    conds = [
        cccd_conf,
        cccd_eq & name_or_fold & dob_ok & ~gender_conf,
        cccd_eq,
        cross & ~corroborated & name_auto & dob_eq & ~gender_conf,
        tone_eq & dob_eq & ~gender_conf,
        name_auto & dob_eq & ~gender_conf,
        diac_only & dob_eq & ~gender_conf,
        name_grey & dob_eq & ~gender_conf,
        name_or_fold & dob_eq & gender_conf,
        name_or_fold & dob_swap,
        name_or_fold & dob_typo & (~cross | corroborated),
        phone_eq & (name_close | name_grey),
        (tone_eq | fold_eq) & dob_missing,
    ]
    ids = np.array([lv.id for lv in LEVELS], dtype=object)
    ranks = np.array([lv.rank for lv in LEVELS])
    decisions = np.array([lv.decision for lv in LEVELS], dtype=object)
    idx = np.select(conds, list(range(len(conds))), default=len(conds))
    out = {
        "level": ids[idx],
        "level_rank": ranks[idx],
        "decision": decisions[idx],
        "score": np.round(score, 1),
    }
    name_col = config.name if isinstance(config.name, str) else "+".join(config.name)
    ga_, gb_ = pair("gender")
    roles = [(name_col, tone_eq, ~tone_eq), (config.dob, dob_eq, dob_differs),
             (config.gender, _ceq(ga_, gb_), gender_conf),
             (config.national_id, cccd_eq, cccd_conf),
             (config.phone, phone_eq, _cneq(pa_, pb_))]
    agree_flags = {c: ag for c, ag, _ in roles if c}
    disagree_flags = {c: dis for c, _, dis in roles if c}
    for c in config.evidence:
        if c in p:
            xc = code(c)
            xa, xb = xc[a], xc[b]
            agree_flags[c] = _ceq(xa, xb)
            disagree_flags[c] = _cneq(xa, xb)
    return out, agree_flags, disagree_flags


def join_flags(flags: dict[str, np.ndarray], n: int) -> np.ndarray:
    """Comma-separated names of the true flags, per row."""
    acc = np.full(n, "", dtype=object)
    for name, f in flags.items():
        acc = np.where(f, acc + ("," + name), acc)
    return np.array([s[1:] for s in acc], dtype=object)
