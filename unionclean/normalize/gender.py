"""Gender normaliser: canonical ``Nam`` / ``Nữ``.

Words (Nam, Nữ, Nu, NỮ, M, F, Male, Female …) are read directly. Numeric codes (1/0 …) are read
only when the column header states them (:func:`parse_gender_codes`, passed in
``Context.gender_codes``); a bare code without that is flagged. Split ``Nam`` | ``Nữ`` columns
holding an ``x`` or the birth year are joined by :func:`gender_from_split` first.

Example:
    >>> from unionclean.normalize.base import Context
    >>> normalize_gender(Cell("NỮ"), Context()).value
    'Nữ'
    >>> normalize_gender(Cell("1"), Context(gender_codes=parse_gender_codes("Giới tính (1: Nam, 0: Nữ)"))).value
    'Nam'
    >>> normalize_gender(Cell("1"), Context()).reason
    'gender.code_unknown'
"""
from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

from unionclean.model import EMPTY, Cell, Result, Status
from unionclean.normalize.base import MISSING, Context, flagged
from unionclean.normalize.keys import fold
from unionclean.normalize.text import clean_text

__all__ = ["normalize_gender", "parse_gender_codes", "gender_from_split", "MALE", "FEMALE"]

MALE, FEMALE = "Nam", "Nữ"
_WORDS = {
    "nam": MALE, "m": MALE, "male": MALE, "man": MALE, "trai": MALE, "nam gioi": MALE, "gioi tinh nam": MALE,
    "phai nam": MALE, "dan ong": MALE,
    "nu": FEMALE, "f": FEMALE, "female": FEMALE, "woman": FEMALE, "gai": FEMALE, "nu gioi": FEMALE,
    "gioi tinh nu": FEMALE, "phai nu": FEMALE, "dan ba": FEMALE,
}
_LABEL = {"nam": MALE, "nu": FEMALE}
_CODE = r"(\d{1,2}|[a-z])"
_SEP = r"\s*(?:[:=]|-|–|—|là|la)\s*"
_CODE_LABEL = re.compile(r"(?<![0-9a-z])" + _CODE + _SEP + r"(nam|nu)(?![0-9a-z])")
_LABEL_CODE = re.compile(r"(?<![0-9a-z])(nam|nu)" + _SEP + _CODE + r"(?![0-9a-z])")
_SPLIT = re.compile(r"(Nam|Nữ) \((\d{4})\)")
_DIGITS = re.compile(r"\d+")
_WORD = re.compile(r"[a-z]+")
_BLANK_MARKS = {"0", "-", "không", "khong", "k", "o"}


def parse_gender_codes(header: str) -> tuple[tuple[str, str], ...]:
    """Codes a gender column header states, e.g. ``(("1", "Nam"), ("0", "Nữ"))``.

    Reads ``1: Nam, 0: Nữ``, ``Nam = 1; Nữ = 0``, ``1-Nam, 2-Nữ`` … Returns ``()`` unless the
    header gives exactly one distinct code for each of Nam and Nữ.

    Example:
        >>> parse_gender_codes("Giới tính (Nam=1; Nữ=0)")
        (('1', 'Nam'), ('0', 'Nữ'))
    """
    key = fold(header or "")
    for rx, code_first in ((_CODE_LABEL, True), (_LABEL_CODE, False)):
        found: dict[str, str] = {}
        for m in rx.finditer(key):
            code, label = (m.group(1), m.group(2)) if code_first else (m.group(2), m.group(1))
            if _LABEL[label] in found and found[_LABEL[label]] != code:
                found = {}
                break
            found[_LABEL[label]] = code
        if len(found) == 2 and found[MALE] != found[FEMALE]:
            return ((found[MALE], MALE), (found[FEMALE], FEMALE))
    return ()


def _code_key(text: str) -> str:
    t = fold(text)
    if t.endswith(".0") and t[:-2].isdigit():
        t = t[:-2]
    return t


@lru_cache(maxsize=50_000)
def _normalize(kind: str, raw: str, font: str | None, codes: tuple[tuple[str, str], ...]) -> Result:
    text, _ = clean_text(Cell(raw, kind, None, font))
    if not text:
        return MISSING
    m = _SPLIT.fullmatch(text)
    if m:
        return Result(m.group(1), Status.CHANGED, "gender.from_split", params={"year": m.group(2)})
    key = _code_key(text)
    for code, label in codes:
        if key == _code_key(code):
            return Result(label, Status.CHANGED, "gender.decoded")
    value = _WORDS.get(key) or _WORDS.get(key.strip(" .:"))
    if value:
        if value == raw:
            return Result(value, Status.OK)
        return Result(value, Status.CHANGED, "gender.standardized")
    words = set(_WORD.findall(key))
    if "nam" in words and "nu" in words:
        return flagged("gender.split_conflict")
    if _DIGITS.fullmatch(key):
        return flagged("gender.code_unknown")
    return flagged("gender.unknown")


def normalize_gender(cell: Cell, ctx: Context) -> Result:
    """Normalise one gender cell to ``Nam`` / ``Nữ`` (see the module docstring).

    A cell made by :func:`gender_from_split` from a birth year (``"Nam (1980)"``) gives ``Nam``
    with ``params["year"] == "1980"``.
    """
    if cell.kind == "" or not cell.text:
        return MISSING
    if cell.kind == "b":
        return flagged("gender.code_unknown")
    return _normalize(cell.kind, cell.text, cell.font, ctx.gender_codes)


def _mark(cell: Cell | None) -> tuple[bool, str]:
    """(is the box filled, birth year if the mark is one)."""
    if cell is None or cell.is_empty:
        return False, ""
    if cell.kind == "d" and isinstance(cell.value, (date, datetime)):
        return True, str(cell.value.year)
    text, _ = clean_text(cell)
    t = text.lower().strip()
    if t.endswith(".0") and t[:-2].isdigit():
        t = t[:-2]
    if not t or t in _BLANK_MARKS:
        return False, ""
    if len(t) == 4 and t.isdigit() and 1900 <= int(t) <= 2100:
        return True, t
    return True, ""


def gender_from_split(nam: Cell | None, nu: Cell | None) -> Cell:
    """One gender cell from split ``Nam`` | ``Nữ`` columns, for :func:`normalize_gender`.

    Exactly one column filled (``x``, ``✓``, ``1``, a birth year …) gives ``"Nam"``/``"Nữ"``, or
    ``"Nam (1980)"`` when it held a year; both filled gives ``"Nam và Nữ"`` (flagged
    ``gender.split_conflict``); neither gives an empty cell (missing).

    Example:
        >>> gender_from_split(Cell(""), Cell("1985", "n", 1985)).text
        'Nữ (1985)'
    """
    (a, ya), (b, yb) = _mark(nam), _mark(nu)
    if a and b:
        return Cell(f"{MALE} và {FEMALE}", "s")
    if a or b:
        label, year = (MALE, ya) if a else (FEMALE, yb)
        return Cell(f"{label} ({year})" if year else label, "s")
    return EMPTY
