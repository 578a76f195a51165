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

__all__ = ["Level", "LEVELS", "LEVEL_BY_ID", "compare_pairs", "compare_arrays", "compare_levels",
           "join_flags", "EVIDENCE_FIELDS"]


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


def _eq(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Both non-empty and equal."""
    return (x == y) & (x != "")


def _neq(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Both non-empty and different."""
    return (x != y) & (x != "") & (y != "")


def _hamming1(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Same-length (10) date strings differing in exactly one character."""
    out = np.zeros(len(x), dtype=bool)
    ok = (np.char.str_len(x.astype(str)) == 10) & (np.char.str_len(y.astype(str)) == 10)
    if ok.any():
        xa = np.asarray(x[ok], dtype="U10").view(np.uint32).reshape(-1, 10)
        ya = np.asarray(y[ok], dtype="U10").view(np.uint32).reshape(-1, 10)
        out[ok] = (xa != ya).sum(axis=1) == 1
    return out


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


def _obj(p, c: str) -> np.ndarray:
    v = p[c]
    return np.asarray(v if isinstance(v, np.ndarray) else v.to_numpy(), dtype=object)


def _codes(values: np.ndarray) -> np.ndarray:
    """An integer per distinct value, -1 for the empty string: equality of codes is equality of
    values, and comparing millions of pairs of ints is far cheaper than of Python strings."""
    codes, uniques = pd.factorize(values, sort=False)
    empty = np.flatnonzero(np.asarray(uniques, dtype=object) == "")
    if len(empty):
        codes[codes == empty[0]] = -1
    return codes


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


def compare_levels(p, a: np.ndarray, b: np.ndarray,
                   config: MatchConfig) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Level, rank, decision and score of each pair, and the per-field agree / disagree flags
    (column name → bool array) that :func:`compare_arrays` joins into text. Callers that keep
    only some pairs join the flags of those alone (a province compares millions of pairs)."""
    n = len(a)
    obj = {c: _obj(p, c) for c in ("k_tone", "k_fold", "k_given", "k_given_tone", "dob", "k_swap")}
    code: dict[str, np.ndarray] = {}
    for c in ("k_tone", "k_fold", "gender", "national_id", "phone", "group"):
        code[c] = _codes(_obj(p, c))
    # Birth date and its day/month swap are compared with each other: one coding for both.
    both = _codes(np.concatenate([obj["dob"], obj["k_swap"]]))
    code["dob"], code["k_swap"] = both[:len(obj["dob"])], both[len(obj["dob"]):]
    diac = np.asarray(p["k_diac"], dtype=bool)

    def pair(c: str) -> tuple[np.ndarray, np.ndarray]:
        return code[c][a], code[c][b]

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
    dob_swap = _ceq(code["k_swap"][a], db)
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
            xc = _codes(_obj(p, c))
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
        dob = obj["dob"]
        dob_typo[idx_t] = _hamming1(dob[a[idx_t]], dob[b[idx_t]])

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
            xc = _codes(_obj(p, c))
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
