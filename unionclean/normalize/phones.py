"""Phone normaliser: a 10-digit mobile or an 11-digit landline, digits only.

``+84``/``84``/``0084`` become ``0``; old 11-digit mobile prefixes (0162 …) and old landline area
codes (04, 08, 0511 …) are renumbered with the 2017–2018 tables in ``unionclean/data/phone_prefixes.csv``;
a 9-digit number starting 3/5/7/8/9 lost its ``0`` (Excel numbers). Two numbers in one cell: the
first mobile is kept and the others go to Ghi chú (``SĐT khác: …``). Anything else is flagged.

A 10-digit number whose prefix is a mobile prefix today is read as a mobile even where the same
digits were an old landline before 2017 (070, 076, 077, 079, 083 …): the current plan wins.

Example:
    >>> from unionclean.normalize.base import Context
    >>> normalize_phone(Cell("+84 912.345.678"), Context()).value
    '0912345678'
    >>> normalize_phone(Cell("01693456789"), Context()).value
    '0393456789'
    >>> r = normalize_phone(Cell("0912345678 - 0987654321"), Context())
    >>> r.value, r.note
    ('0912345678', 'SĐT khác: 0987654321')
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib import resources

from unionclean.model import Cell, Result, Status
from unionclean.normalize.base import MISSING, Context, flagged
from unionclean.normalize.text import clean_text

__all__ = ["normalize_phone", "phone_tables", "classify_phone"]

_SPLIT = re.compile(r"\s*(?:[/;,|\\]|\s[-–—]\s|(?<!\w)(?:và|hoặc|hay|or|and)(?!\w))\s*", re.I)
_SIMPLE = re.compile(r"0\d*(?:[ .\-]\d+)+")
_DROP_SEP = str.maketrans("", "", " .-")
_GROUPS = re.compile(r"\+?\d+")
_NON_DIGIT = re.compile(r"\D+")
_ALLOWED = re.compile(r"[\d\s.\-–()+/;,|\\]+")
_WORDS = re.compile(r"(?:sđt|sdt|đt|dt|tel|mobile|mob|di động|dđ|dd|zalo|nhà riêng|cơ quan|nr|cq)\s*[:.]?", re.I)


@lru_cache(maxsize=1)
def phone_tables() -> tuple[dict[str, str], frozenset[str], dict[str, str], frozenset[str]]:
    """``(old_mobile, mobile, old_landline, landline)`` from ``data/phone_prefixes.csv``:
    old 4-digit mobile prefix → new 3-digit one; valid 3-digit mobile prefixes; old landline area
    code → new one; valid new landline area codes."""
    old_mobile: dict[str, str] = {}
    mobile: set[str] = set()
    old_land: dict[str, str] = {}
    text = (resources.files("unionclean.data") / "phone_prefixes.csv").read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    for row in csv.DictReader(lines):
        kind, prefix, new = row["kind"], row["prefix"], row["new"]
        if kind == "mobile_old":
            old_mobile[prefix] = new
        elif kind == "mobile":
            mobile.add(prefix)
        elif kind == "landline_old":
            old_land[prefix] = new
    return old_mobile, frozenset(mobile), old_land, frozenset(old_land.values())


def _is_landline(d: str, land: frozenset[str]) -> bool:
    if len(d) != 11:
        return False
    if d[:3] in ("024", "028"):
        return d[3] not in "01"
    return d[:4] in land


def classify_phone(digits: str, plus: bool = False) -> tuple[str, str]:
    """Canonical form of one number given as digits, and the reason of the main repair.

    Returns ``("", "phone.invalid")`` when the digits are not a Vietnamese phone number.
    ``plus``: the number was written with a leading ``+`` (an international number).

    Example:
        >>> classify_phone("0438221234")
        ('02438221234', 'phone.area_code_updated')
    """
    old_mobile, mobile, old_land, land = phone_tables()
    d, reason = digits, ""
    if d.startswith("0084"):
        d, plus = d[2:], True
    if d.startswith("84") and (plus or len(d) in (11, 12)):
        d, reason = d[2:], "phone.country_code_removed"
        if not d.startswith("0"):
            d = "0" + d
    elif plus:
        return "", "phone.invalid"
    if not d.startswith("0"):
        if (len(d) == 9 and d[0] in "35789") or (len(d) == 10 and d[0] in "12"):
            d, reason = "0" + d, reason or "phone.leading_zero_restored"
    n = len(d)
    if n == 10 and d[:3] in mobile:
        return d, reason
    if n == 11:
        if d[:4] in old_mobile:
            return old_mobile[d[:4]] + d[4:], "phone.old_prefix_converted"
        if _is_landline(d, land):
            return d, reason
        new = old_land.get(d[:4])
        if new:
            return new + d[4:], "phone.area_code_updated"
    if n == 10:
        new = old_land.get(d[:3]) or (old_land.get(d[:2]) if d[:2] in ("04", "08") else None)
        if new:
            cut = 2 if d[:2] in ("04", "08") else 3
            out = new + d[cut:]
            if _is_landline(out, land):
                return out, "phone.area_code_updated"
    return "", "phone.invalid"


def _numbers(text: str) -> list[tuple[str, bool]] | None:
    """The numbers written in one cell as ``(digits, had_plus)``; ``None`` if unreadable."""
    out: list[tuple[str, bool]] = []
    for part in _SPLIT.split(text):
        part = _WORDS.sub(" ", part).strip()
        if not part:
            continue
        if not _ALLOWED.fullmatch(part):
            return None
        digits = _NON_DIGIT.sub("", part)
        if not digits:
            continue
        plus = part.lstrip("( ").startswith("+")
        if len(digits) <= 12:
            out.append((digits, plus))
            continue
        acc, acc_plus = "", False  # several numbers separated only by spaces or dashes
        for tok in _GROUPS.findall(part):
            if not acc:
                acc_plus = tok.startswith("+")
            acc += tok.lstrip("+")
            if len(acc) >= 10 and classify_phone(acc, acc_plus)[0]:
                out.append((acc, acc_plus))
                acc = ""
        if acc:
            out.append((acc, acc_plus))
    return out


def _display(raw: str, kind: str, font: str | None) -> str:
    """:func:`clean_text`, short-cut for plain ASCII (digits and separators hide no legacy encoding)."""
    if raw.isascii():
        return " ".join(raw.split())
    return clean_text(Cell(raw, kind, None, font))[0]


def _single(digits: str) -> Result:
    """One number stored by Excel as a number."""
    value, reason = classify_phone(digits)
    if not value:
        return flagged("phone.invalid")
    return Result(value, Status.CHANGED, reason or "phone.cleaned")


@lru_cache(maxsize=100_000)
def _from_text(kind: str, raw: str, font: str | None) -> Result:
    text = _display(raw, kind, font)
    if not text:
        return MISSING
    if kind == "n":
        if text.endswith(".0"):
            text = text[:-2]
        if not text.isdigit():
            return flagged("phone.invalid")
    numbers = _numbers(text.lstrip("'"))
    if not numbers:
        return flagged("phone.invalid")
    found = [(classify_phone(d, p), d) for d, p in numbers]
    good = [canon for (canon, _), _ in found if canon]
    if len(good) < len(found):
        return flagged("phone.invalid", proposal=good[0] if good else "")
    unique = list(dict.fromkeys(good))
    if len(unique) == 1:
        value, reason = found[0][0]
        if value == raw:
            return Result(value, Status.OK)
        return Result(value, Status.CHANGED, reason or "phone.cleaned")
    first = next((v for v in unique if len(v) == 10), unique[0])
    rest = ", ".join(v for v in unique if v != first)
    return Result(first, Status.CHANGED, "phone.second_number_moved", note=f"SĐT khác: {rest}",
                  params={"count": str(len(unique) - 1)})


def normalize_phone(cell: Cell, ctx: Context) -> Result:
    """Normalise one phone cell (see the module docstring).

    Reasons: ``phone.cleaned``, ``phone.country_code_removed``, ``phone.leading_zero_restored``,
    ``phone.old_prefix_converted``, ``phone.area_code_updated``, ``phone.second_number_moved``
    (changed, the other numbers in ``Result.note``); ``phone.invalid`` (flagged).
    """
    kind = cell.kind
    if kind == "n":
        v = cell.value
        if isinstance(v, float):
            if v != v or not v.is_integer():
                return flagged("phone.invalid")
            v = int(v)
        if isinstance(v, int):
            return _single(str(v)) if v > 0 else flagged("phone.invalid")
    if kind == "" or not cell.text:
        return MISSING
    if kind in ("b", "d"):
        return flagged("phone.invalid")
    raw = cell.text
    if len(raw) == 10 and raw.isdigit() and raw.isascii() and raw[:3] in phone_tables()[1]:
        return Result(raw, Status.OK)  # fast path: already a canonical mobile
    if _SIMPLE.fullmatch(raw):  # fast path: one mobile written with spaces, dots or dashes
        digits = raw.translate(_DROP_SEP)
        if len(digits) == 10 and digits[0] == "0" and digits[:3] in phone_tables()[1]:
            return Result(digits, Status.CHANGED, "phone.cleaned")
    return _from_text(kind, raw, cell.font)
