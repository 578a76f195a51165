"""Matching keys: pure functions of one value, and their vectorised column forms.

Three name keys, from loose to strict:

* :func:`name_fold` — :func:`unionclean.normalize.keys.fold` of the name after the regional
  family-name variants are unified (Võ → Vũ, Huỳnh → Hoàng): used for blocking. Hùng and Hưng
  fold to the same key.
* :func:`name_tone` — the tone key: case and tone-mark *placement* ignored (Hoà = Hòa,
  Qúy = Quý), but every diacritic kept, so Hùng ≠ Hưng.
* the display name itself, kept for the change log.

Blocking keys are built from these plus the date of birth, CCCD and phone (see
:data:`BLOCKING_RULES` in :mod:`unionclean.match.matcher`).

Example:
    >>> name_tone("Nguyễn Thị Hoà") == name_tone("NGUYỄN THỊ HÒA")
    True
    >>> name_tone("Trần Văn Hùng") == name_tone("Trần Văn Hưng")
    False
    >>> name_fold("Võ Văn Hùng") == name_fold("Vũ Văn Hưng")
    True
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy as np
import pandas as pd

from unionclean.normalize.keys import fold

__all__ = [
    "canon_family",
    "name_fold",
    "name_tone",
    "given_fold",
    "head_fold",
    "birth_year",
    "swap_day_month",
    "month_year",
    "day_year",
    "day_month_pair",
    "DOB_KEYS",
    "has_diacritics",
    "column_keys",
    "map_distinct",
    "ascii_tone_key",
]

# Regional spellings of one family name (first word only): the same family, the same name.
FAMILY_VARIANTS: dict[str, str] = {"võ": "vũ", "huỳnh": "hoàng"}

_TONES = {"\u0300": "2", "\u0301": "1", "\u0309": "3", "\u0303": "4", "\u0323": "5"}
_SPACES = re.compile(r"\s+")
_DATE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")


def _local_tone_key(text: str) -> str:
    """Fallback tone key: each word's base letters (with â ă ê ô ơ ư đ kept) plus its tone digit.

    Tone-mark placement does not matter because the tone is moved to the end of the word.
    """
    out = []
    for word in _SPACES.split(unicodedata.normalize("NFD", text.lower()).strip()):
        tone = ""
        base = []
        for ch in word:
            t = _TONES.get(ch)
            if t is None:
                base.append(ch)
            else:
                tone = t
        out.append(unicodedata.normalize("NFC", "".join(base)) + tone)
    return " ".join(out)


try:  # the normaliser's own tone key, when it exists, is the project's definition
    from unionclean.normalize.text import tone_key as _tone_key  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - depends on the other module's progress
    _tone_key = _local_tone_key  # type: ignore[assignment]


@lru_cache(maxsize=100_000)
def canon_family(name: str) -> str:
    """The name, NFC, lower case, single spaces, with the family-name variant unified
    (memoised: :func:`name_fold` and :func:`name_tone` start from it for the same names)."""
    t = " ".join(unicodedata.normalize("NFC", name).lower().split())  # runs of whitespace → one space
    if not t:
        return ""
    first, _, rest = t.partition(" ")
    first = FAMILY_VARIANTS.get(first, first)
    return f"{first} {rest}" if rest else first


@lru_cache(maxsize=100_000)
def name_fold(name: str) -> str:
    """Blocking key of a name: family variants unified, then folded (diacritics, đ, case off)."""
    return " ".join(_word_fold(w) for w in canon_family(name).split(" ") if w)


@lru_cache(maxsize=20_000)
def _word_tone(word: str) -> str:
    return _tone_key(word)


@lru_cache(maxsize=20_000)
def _word_fold(word: str) -> str:
    return fold(word)


@lru_cache(maxsize=100_000)
def name_tone(name: str) -> str:
    """Comparison key of a name: diacritics kept, case and tone placement ignored.

    Computed word by word (names are made of a few hundred distinct words), which equals the
    tone key of the whole name (``tests/match/test_match_levels.py`` checks it).
    """
    return " ".join(_word_tone(w) for w in canon_family(name).split(" ") if w)


def given_fold(name_folded: str) -> str:
    """Last word of a folded name (the given name, Vietnamese order)."""
    return name_folded.rpartition(" ")[2]


def head_fold(name_folded: str) -> str:
    """Everything but the last word of a folded name (family and middle names)."""
    return name_folded.rpartition(" ")[0]


@lru_cache(maxsize=65_536)  # a province has a few tens of thousands of dates
def birth_year(dob: str) -> str:
    """``yyyy`` of a ``dd/mm/yyyy`` date, "" otherwise."""
    m = _DATE.match(dob)
    return m.group(3) if m else ""


@lru_cache(maxsize=65_536)  # a province has a few tens of thousands of dates
def swap_day_month(dob: str) -> str:
    """``mm/dd/yyyy`` for ``dd/mm/yyyy`` when both parts are ≤ 12 and differ, else ""."""
    m = _DATE.match(dob)
    if not m:
        return ""
    d, mo, y = m.groups()
    if d == mo or int(d) > 12 or int(mo) > 12:
        return ""
    return f"{mo}/{d}/{y}"


@lru_cache(maxsize=65_536)  # a province has a few tens of thousands of dates
def month_year(dob: str) -> str:
    """``mm/yyyy`` of a ``dd/mm/yyyy`` date, "" otherwise: dates that may differ in the day only."""
    return dob[3:] if _DATE.match(dob) else ""


@lru_cache(maxsize=65_536)  # a province has a few tens of thousands of dates
def day_year(dob: str) -> str:
    """``dd/yyyy`` of a ``dd/mm/yyyy`` date, "" otherwise: dates that may differ in the month only."""
    return f"{dob[:2]}/{dob[6:]}" if _DATE.match(dob) else ""


@lru_cache(maxsize=65_536)  # a province has a few tens of thousands of dates
def day_month_pair(dob: str) -> str:
    """Day and month in increasing order, then the year, of a ``dd/mm/yyyy`` date ("" otherwise):
    equal for a date and the same date with day and month swapped.

    Example:
        >>> day_month_pair("12/03/1980") == day_month_pair("03/12/1980") == "03/12/1980"
        True
    """
    if not _DATE.match(dob):
        return ""
    d, m = dob[:2], dob[3:5]
    return f"{min(d, m)}/{max(d, m)}/{dob[6:]}"


#: Keys made from the date of birth alone, for blocking; the matcher codes them from the
#: distinct dates (:class:`unionclean.match.compare.Codes`), they are not columns of the table.
DOB_KEYS = {"k_month_year": month_year, "k_day_year": day_year, "k_day_month": day_month_pair}


def has_diacritics(name: str) -> bool:
    """True when the name carries at least one Vietnamese diacritic or ``đ``."""
    return not name.isascii()


_SHAPES = str.maketrans({"â": "A", "ă": "W", "ê": "E", "ô": "O", "ơ": "P", "ư": "U", "đ": "D"})


@lru_cache(maxsize=400_000)
def ascii_tone_key(name: str) -> str:
    """An all-ASCII twin of the tone key (one byte per letter: â→A, ư→U …, tone digit at the
    end of each word), for SQL engines whose ``levenshtein`` counts bytes.

    >>> ascii_tone_key("Trần Văn Hùng"), ascii_tone_key("Trần Văn Hưng")
    ('trAn2 vWn hung2', 'trAn2 vWn hUng')
    """
    t = _local_tone_key(canon_family(name)).translate(_SHAPES)
    return t if t.isascii() else fold(t)


def map_distinct(values: pd.Series, fn) -> np.ndarray:
    """Apply ``fn`` to the distinct values only (names and dates repeat)."""
    codes, uniques = pd.factorize(values.to_numpy(dtype=object), sort=False)
    mapped = np.array([fn(u) for u in np.asarray(uniques, dtype=object)], dtype=object)
    if len(mapped) == 0:
        return np.array([], dtype=object)
    return mapped[codes]


def column_keys(df: pd.DataFrame, name: str, dob: str | None) -> pd.DataFrame:
    """Every name/date key of a table, one row per record (same index as ``df``).

    Columns: ``k_fold``, ``k_tone``, ``k_given``, ``k_head``, ``k_given_tone`` (last word of
    the tone key), ``k_diac`` (bool), and when
    ``dob`` is given ``k_year``, ``k_swap``.
    """
    names = df[name].fillna("").astype(str)
    cols: dict[str, np.ndarray] = {}
    canon = pd.Series(map_distinct(names, canon_family), dtype=object)
    cols["k_fold"] = map_distinct(canon, lambda c: " ".join(_word_fold(w) for w in c.split(" ") if w))
    cols["k_tone"] = map_distinct(canon, lambda c: " ".join(_word_tone(w) for w in c.split(" ") if w))
    cols["k_given"] = map_distinct(pd.Series(cols["k_fold"], dtype=object), given_fold)
    cols["k_head"] = map_distinct(pd.Series(cols["k_fold"], dtype=object), head_fold)
    cols["k_given_tone"] = map_distinct(pd.Series(cols["k_tone"], dtype=object), given_fold)
    cols["k_diac"] = map_distinct(names, has_diacritics).astype(bool)
    if dob is not None:
        dobs = df[dob].fillna("").astype(str)
        cols["k_year"] = map_distinct(dobs, birth_year)
        cols["k_swap"] = map_distinct(dobs, swap_day_month)
    out = pd.DataFrame({k: pd.Series(v, dtype=v.dtype, index=df.index) for k, v in cols.items()})
    return out
