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

__all__ = ["Level", "LEVELS", "LEVEL_BY_ID", "compare_pairs", "compare_arrays", "EVIDENCE_FIELDS"]


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


def compare_arrays(p, a: np.ndarray, b: np.ndarray, config: MatchConfig) -> dict[str, np.ndarray]:
    """:func:`compare_pairs` on a prepared table given as a DataFrame or as plain columns
    (name → numpy array), returning plain columns."""
    col = {c: _obj(p, c) for c in
           ("k_tone", "k_fold", "k_given", "k_given_tone", "dob", "k_swap", "gender", "national_id",
            "phone",
            "group")}
    diac = np.asarray(p["k_diac"], dtype=bool)

    def pair(c: str) -> tuple[np.ndarray, np.ndarray]:
        return col[c][a], col[c][b]

    ta, tb = pair("k_tone")
    fa, fb = pair("k_fold")
    tone_eq = (ta == tb) & (ta != "")
    fold_eq = (fa == fb) & (fa != "")
    score = name_scores(ta, tb)
    da, db = pair("dob")
    dob_eq = _eq(da, db)
    dob_missing = (da == "") | (db == "")
    sa, sb = pair("k_swap")
    dob_swap = _eq(sa, db)
    dob_typo = _neq(da, db) & _hamming1(da, db)
    gender_conf = _neq(*pair("gender"))
    ca, cb = pair("national_id")
    cccd_eq, cccd_conf = _eq(ca, cb), _neq(ca, cb)
    phone_eq = _eq(*pair("phone"))
    ga, gb = pair("k_given")
    gta, gtb = pair("k_given_tone")
    # A differing given name may be a typo only when it is one substitution away in shape
    # (same first letter, same length) and not a diacritics-only change (Tâm/Tám, Hùng/Hưng).
    given_ok = np.array([x == y or (gx != gy and gx[:1] == gy[:1] and len(gx) == len(gy))
                         for x, y, gx, gy in zip(gta, gtb, ga, gb)], dtype=bool)
    diac_only = fold_eq & ~tone_eq  # Hùng/Hưng, or one name without diacritics
    both_diac = diac[a] & diac[b]

    grp_a, grp_b = pair("group") if "group" in col else (None, None)
    cross = _neq(grp_a, grp_b) if grp_a is not None else np.zeros(len(a), dtype=bool)
    corroborated = phone_eq.copy()
    for c in ("email",):
        if c in config.evidence and c in p:
            xc = _obj(p, c)
            corroborated |= _eq(xc[a], xc[b])
    t_auto, t_rev = config.t_auto, config.t_review
    name_close = tone_eq | (~diac_only & (score >= t_auto))
    name_auto = tone_eq | (~diac_only & (score >= t_auto) & given_ok & both_diac)
    # Grey zone: a close name whose given names are close too (Anh/Nga, Sang/Dương: two people).
    grey_cand = ~name_auto & (fold_eq | (score >= t_rev))
    given_close = np.zeros(len(a), dtype=bool)
    idx_g = np.flatnonzero(grey_cand)
    given_close[idx_g] = [fuzz.ratio(ga[i], gb[i]) >= GIVEN_REVIEW for i in idx_g]
    name_grey = grey_cand & given_close
    dob_ok = dob_eq | dob_missing

    conds = [
        cccd_conf,
        cccd_eq & (name_close | fold_eq) & dob_ok & ~gender_conf,
        cccd_eq,
        cross & ~corroborated & name_auto & dob_eq & ~gender_conf,
        tone_eq & dob_eq & ~gender_conf,
        name_auto & dob_eq & ~gender_conf,
        diac_only & dob_eq & ~gender_conf,
        name_grey & dob_eq & ~gender_conf,
        (name_close | fold_eq) & dob_eq & gender_conf,
        (name_close | fold_eq) & dob_swap,
        (name_close | fold_eq) & dob_typo & (~cross | corroborated),
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
    roles = [(name_col, tone_eq, ~tone_eq), (config.dob, dob_eq, _neq(da, db)),
             (config.gender, _eq(*pair("gender")), gender_conf),
             (config.national_id, cccd_eq, cccd_conf),
             (config.phone, phone_eq, _neq(*pair("phone")))]
    agree_flags = {c: ag for c, ag, _ in roles if c}
    disagree_flags = {c: dis for c, _, dis in roles if c}
    for c in config.evidence:
        if c in p:
            xa = _obj(p, c)[a]
            xb = _obj(p, c)[b]
            agree_flags[c] = _eq(xa, xb)
            disagree_flags[c] = _neq(xa, xb)
    out["agree"] = _join_flags(agree_flags, len(a))
    out["disagree"] = _join_flags(disagree_flags, len(a))
    return out


def _join_flags(flags: dict[str, np.ndarray], n: int) -> np.ndarray:
    """Comma-separated names of the true flags, per row."""
    acc = np.full(n, "", dtype=object)
    for name, f in flags.items():
        acc = np.where(f, acc + ("," + name), acc)
    return np.array([s[1:] for s in acc], dtype=object)
