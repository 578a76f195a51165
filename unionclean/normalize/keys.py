"""Folded keys for matching: diacritics off, ``đ``→``d``, no case, collapsed spaces.

Folding alone confuses different people (Hùng/Hưng): the matcher also compares the
diacritic form. Keys are for comparing, never for display.

Example:
    >>> fold("  Đặng  Văn ĐỨC ")
    'dang van duc'
    >>> fold_code("H'Mông") == fold_code("Hmong")
    True
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["fold", "fold_code"]

_MARKS = re.compile(r"[\u0300-\u036f]")
_SPACES = re.compile(r"\s+")
_CODE_DROP = re.compile(r"[\s\-‐‑–—'’`´.]+")
_D = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Matching key: lower case, no diacritics, ``đ``→``d``, single spaces, trimmed."""
    t = unicodedata.normalize("NFD", text.translate(_D))
    t = _MARKS.sub("", t).lower()
    return _SPACES.sub(" ", t).strip()


@lru_cache(maxsize=50_000)
def fold_code(text: str) -> str:
    """Key for code lists: :func:`fold` without spaces, hyphens, dots and apostrophes."""
    return _CODE_DROP.sub("", fold(text))
