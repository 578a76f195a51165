"""Personal names (Họ và tên): text rules, then one capital per word; nothing else is restyled.

A name must match the person's ID card, so tone placement stays as written (``Hoà`` stays
``Hoà``) and missing diacritics are never guessed (``Thi`` is not turned into ``Thị``): a name
without any diacritics is kept and soft-flagged for review.

Example:
    >>> from unionclean.normalize.base import Context
    >>> normalize_name(Cell("NGUYỄN  văn AN"), Context()).value
    'Nguyễn Văn An'
    >>> r = normalize_name(Cell("nguyen van an"), Context())
    >>> r.value, r.reason, r.soft
    ('Nguyen Van An', 'name.no_diacritics', True)
    >>> split_name("Nguyễn Văn An")
    ('Nguyễn Văn', 'An')
"""
from __future__ import annotations

import re
from functools import lru_cache

from unionclean.model import Cell, Result
from unionclean.normalize.base import Context, flagged, missing, ok_or_changed
from unionclean.normalize.legacy import VIET_LETTERS
from unionclean.normalize.text import clean_text

__all__ = ["normalize_name", "case_name", "split_name", "join_name_parts"]

_LETTERS = "A-Za-z" + "".join(sorted(VIET_LETTERS))
_APOSTROPHES = "'’"
# Words of letters; inside a word, parts joined by a hyphen or an apostrophe (H'Hen, Y-Bih).
_NAME = re.compile(f"[{_LETTERS}]+(?:[-{_APOSTROPHES}][{_LETTERS}]+)*"
                   f"(?: [{_LETTERS}]+(?:[-{_APOSTROPHES}][{_LETTERS}]+)*)*")
_ALLOWED = frozenset(VIET_LETTERS | set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz -'’"))
_PARTS = re.compile(f"([-{_APOSTROPHES} ])")
# Reasons of clean_text that outrank a case change.
_MAJOR = frozenset({"text.tcvn3_converted", "text.vni_converted", "text.viqr_converted",
                    "text.mojibake_fixed", "text.unicode_normalized"})


@lru_cache(maxsize=100_000)
def case_name(name: str) -> str:
    """Each word (and each part after a hyphen or apostrophe) with one capital, rest lower case.

    Example:
        >>> case_name("h'hen NIÊ"), case_name("y-BIH")
        ("H'Hen Niê", 'Y-Bih')
    """
    if _NAME.fullmatch(name):
        # Letters, single spaces, hyphens and apostrophes only: str.title() starts a new word at
        # exactly those separators, and is one C call (tests check it equals the rule below).
        return name.title()
    return "".join(p[:1].upper() + p[1:].lower() for p in _PARTS.split(name))


def normalize_name(cell: Cell, ctx: Context) -> Result:
    """Full name → ``Nguyễn Văn An``.

    Returns ``missing`` when empty; ``flagged name.invalid`` (nothing uploaded) when the name holds
    digits or characters other than letters, single spaces, hyphens and apostrophes; a soft flag
    ``name.no_diacritics`` (uploaded, listed for review) when it has no diacritics at all.
    """
    if cell.is_empty:
        return missing()
    text, reason = clean_text(cell)
    if not text:
        return missing()
    if not _NAME.fullmatch(text):
        bad = "".join(sorted(set(text) - _ALLOWED)) or "".join(sorted(set(text) & set("-'’")))
        return flagged("name.invalid", chars=bad)
    cased = case_name(text)
    if cased.isascii():
        return flagged("name.no_diacritics", soft=True, value=cased)
    if reason not in _MAJOR and cased != text:
        reason = "name.case_normalized"
    return ok_or_changed(cased, cell.text, reason)


def split_name(full: str) -> tuple[str, str]:
    """``"Nguyễn Văn An"`` → ``("Nguyễn Văn", "An")``: family and middle names, given name.

    Example:
        >>> split_name("An"), split_name("")
        (('', 'An'), ('', ''))
    """
    words = full.split()
    if not words:
        return "", ""
    return " ".join(words[:-1]), words[-1]


def join_name_parts(parts: list[str]) -> str:
    """One full name from split source columns (Họ và tên đệm + Tên, or Họ | Đệm | Tên).

    Empty parts are skipped and spaces collapsed; the result still goes through
    :func:`normalize_name`.

    Example:
        >>> join_name_parts(["Nguyễn ", "", " Văn An"])
        'Nguyễn Văn An'
    """
    return " ".join(" ".join(p for p in parts if p).split())
