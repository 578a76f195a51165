"""Date normaliser: canonical ``dd/mm/yyyy``.

Real Excel dates and Excel serial numbers are unambiguous. Text dates are read day-first unless
the column was decided month-first (:func:`decide_date_order`); a text date that can only be
month-first (second number > 12) is read month-first. The column's decision ("mdy", "mixed")
applies to slash dates only: en-US computers write ``m/d/yyyy``, while ``d.m.yyyy`` and ``d-m-yy``
are Vietnamese usage and stay day-first. What cannot be told with certainty (a year
alone, a month/year, ``00/00/yyyy``, day and month interchangeable in a mixed column) is flagged.

Example:
    >>> from unionclean.normalize.base import Context
    >>> normalize_date(Cell("5.8.1980"), Context()).value
    '05/08/1980'
    >>> normalize_date(Cell("8/15/1980"), Context()).reason
    'date.month_first'
    >>> normalize_date(Cell("1980"), Context()).reason
    'date.year_only'
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache

from unionclean.model import EMPTY, Cell, Result, Status
from unionclean.normalize.base import MISSING, Context, flagged
from unionclean.normalize.text import clean_text, is_plain_ascii

__all__ = [
    "normalize_date", "parse_date_text", "format_date", "excel_serial_to_date",
    "check_birth_date", "check_join_date", "decide_date_order", "join_date_parts",
]

_EPOCH = date(1899, 12, 30)
_MAX_SERIAL = 2958465  # 31/12/9999
_TIME = r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp][Mm])?)?"
_ISO = re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})" + _TIME)
_DMY = re.compile(r"(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*([/.\-])\s*(\d{4}|\d{2})\.?" + _TIME)
_MY = re.compile(r"(?:tháng|th|t)?\s*(\d{1,2})\s*(?:[/.\-]|năm)\s*(\d{4})", re.I)
_YM = re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})")
_YEAR = re.compile(r"(?:năm\s*)?(\d{4})\.?", re.I)
_DM = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})")
_VI = re.compile(r"(?:ngày\s*)?(\d{1,2})\s*tháng\s*(\d{1,2})\s*(?:năm|,|/)?\s*(\d{4})", re.I)
_COMPACT = re.compile(r"\d{8}")
_SERIAL_TEXT = re.compile(r"\d{5}(?:\.0+)?")
_NAME_MDY = re.compile(
    r"(?:[a-z]{3,9},?\s+)?([a-z]{3,9})\.?\s*[\s\-/]\s*(\d{1,2})(?:st|nd|rd|th)?,?\s*[\s\-/,]\s*(\d{4}|\d{2})" + _TIME,
    re.I)
_NAME_DMY = re.compile(r"(\d{1,2})\s*[\s\-/.]\s*([a-z]{3,9})\.?\s*[\s\-/.,]\s*(\d{4}|\d{2})" + _TIME, re.I)
_NAME_MY = re.compile(r"([a-z]{3,9})\.?\s*[\s\-/,]\s*(\d{4})", re.I)
_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}


_TWO_DIGITS = tuple(f"{i:02d}" for i in range(32))  # a format spec costs ~0.3 µs each; a lookup does not


def format_date(d: date) -> str:
    """``dd/mm/yyyy``. ``format_date(date(1980, 8, 5)) == "05/08/1980"``."""
    y = d.year
    return f"{_TWO_DIGITS[d.day]}/{_TWO_DIGITS[d.month]}/{y}" if y >= 1000 else \
        f"{_TWO_DIGITS[d.day]}/{_TWO_DIGITS[d.month]}/{y:04d}"


def excel_serial_to_date(serial: int) -> date | None:
    """Date of an Excel serial (1900 system). ``None`` for 0, negatives, the fictitious
    29/02/1900 (serial 60) and serials past 31/12/9999."""
    if serial <= 0 or serial == 60 or serial > _MAX_SERIAL:
        return None
    return _EPOCH + timedelta(days=serial + 1 if serial < 60 else serial)


def _year(y: str) -> int:
    """Four-digit year from 2 or 4 digits: 00–29 → 2000–2029, 30–99 → 1930–1999."""
    n = int(y)
    if len(y) == 2:
        return 2000 + n if n < 30 else 1900 + n
    return n


def _make(y: int, m: int, d: int) -> date | None:
    if not 1900 <= y <= 2100:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


# A parse outcome: (date or None, reason, params). With a date the reason says how it was read
# ("" = already dd/mm/yyyy); without, the reason is the flag.
_Parsed = tuple[date | None, str, tuple[tuple[str, str], ...]]


def _numeric(a: int, b: int, ys: str, order: str, sep_ok: bool) -> _Parsed:
    y = _year(ys)
    if a == 0 or b == 0:
        return None, "date.zero_day_month", (("year", str(y)),)
    dmy, mdy = _make(y, b, a), _make(y, a, b)
    two = len(ys) == 2
    if a > 12 and b > 12 or (dmy is None and mdy is None):
        return None, "date.invalid", ()
    if b > 12:  # only month-first is possible
        return mdy, "date.month_first", ()
    if a > 12:  # only day-first is possible
        return dmy, ("date.two_digit_year" if two else "" if sep_ok else "date.reformatted"), ()
    if a != b and order == "mixed":
        # Both readings are valid dates here (day and month both ≤ 12).
        return None, "date.day_month_ambiguous", (("dmy", format_date(dmy)), ("mdy", format_date(mdy)))  # type: ignore[arg-type]
    if order == "mdy" and a != b:
        return mdy, "date.month_first", ()
    return dmy, ("date.two_digit_year" if two else "" if sep_ok else "date.reformatted"), ()


def _plain_dmy(t: str) -> tuple[str, str, str, str, str] | None:
    """``(day, sep, month, sep, year)`` of text that is only ASCII digits and two separators
    (``/ . -``), 1–2 digits, 1–2 digits, 2 or 4 digits: the usual shapes, read without a regex.
    Such text is exactly what ``_DMY`` matches with no spaces, final dot or time."""
    if not t.isascii() or len(t) > 10:
        return None
    i = 1 if len(t) > 1 and t[1] in "/.-" else 2
    j = t.find("/", i + 1), t.find(".", i + 1), t.find("-", i + 1)
    k = min((x for x in j if x > 0), default=-1)
    if k < 0 or t[i:i + 1] not in ("/", ".", "-") or not 1 <= k - i - 1 <= 2:
        return None
    day, month, year = t[:i], t[i + 1:k], t[k + 1:]
    if not (day.isdigit() and month.isdigit() and year.isdigit() and len(year) in (2, 4)):
        return None
    return day, t[i], month, t[k], year


@lru_cache(maxsize=200_000)
def _parse(text: str, order: str) -> _Parsed:
    t = text.strip()
    if not t:
        return None, "", ()
    dmy = _plain_dmy(t)
    if dmy is None and (m := _DMY.fullmatch(t)) is not None:
        dmy = (m.group(1), m.group(2), m.group(3), m.group(4), m.group(5))
    if dmy is not None:
        day, sep1, month, sep2, year = dmy
        canonical_shape = len(t) == 10 and t[2] == "/" and t[5] == "/"
        # en-US computers write month-first dates with slashes only: d.m.yyyy and d-m-yy are
        # day-first in every column.
        slash = sep1 == "/" and sep2 == "/"
        return _numeric(int(day), int(month), year, order if slash else "dmy", canonical_shape)
    m = _ISO.fullmatch(t)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if mo == 0 or d == 0:
            return None, "date.zero_day_month", (("year", str(y)),)
        got = _make(y, mo, d)
        return (got, "date.iso", ()) if got else (None, "date.invalid", ())
    m = _YEAR.fullmatch(t)
    if m:
        return None, "date.year_only", (("year", m.group(1)),)
    m = _MY.fullmatch(t) or _YM.fullmatch(t)
    if m:
        g1, g2 = m.group(1), m.group(2)
        mo, ys = (int(g2), g1) if len(g1) == 4 else (int(g1), g2)
        if mo == 0:
            return None, "date.zero_day_month", (("year", ys),)
        if mo > 12:
            return None, "date.invalid", ()
        return None, "date.month_year_only", (("month", str(mo)), ("year", ys))
    m = _VI.fullmatch(t)
    if m:
        d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if d == 0 or mo == 0:
            return None, "date.zero_day_month", (("year", str(y)),)
        got = _make(y, mo, d)
        return (got, "date.reformatted", ()) if got else (None, "date.invalid", ())
    m = _NAME_MDY.fullmatch(t)
    if m and m.group(1).lower() in _MONTHS:
        got = _make(_year(m.group(3)), _MONTHS[m.group(1).lower()], int(m.group(2)))
        return (got, "date.month_name", ()) if got else (None, "date.invalid", ())
    m = _NAME_DMY.fullmatch(t)
    if m and m.group(2).lower() in _MONTHS:
        got = _make(_year(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))
        return (got, "date.month_name", ()) if got else (None, "date.invalid", ())
    m = _NAME_MY.fullmatch(t)
    if m and m.group(1).lower() in _MONTHS:
        return None, "date.month_year_only", (("month", str(_MONTHS[m.group(1).lower()])), ("year", m.group(2)))
    if _COMPACT.fullmatch(t):  # ddmmyyyy (as on the CCCD QR code), or yyyymmdd
        a = _make(int(t[4:]), int(t[2:4]), int(t[:2])) if 1900 <= int(t[4:]) <= 2100 else None
        b = _make(int(t[:4]), int(t[4:6]), int(t[6:])) if 1900 <= int(t[:4]) <= 2100 else None
        if (a is None) != (b is None):
            return a or b, "date.reformatted", ()
        return None, "date.unreadable", ()
    if _SERIAL_TEXT.fullmatch(t):  # a serial number exported as text (CSV)
        got = excel_serial_to_date(int(float(t)))
        return (got, "date.excel_serial", ()) if got else (None, "date.invalid", ())
    m = _DM.fullmatch(t)
    if m:
        return None, "date.year_missing", ()
    return None, "date.unreadable", ()


def parse_date_text(text: str, order: str = "dmy") -> date | str:
    """Read a text date. Returns the date, or the reason code of why it cannot be read.

    Example:
        >>> parse_date_text("15-8-80")
        datetime.date(1980, 8, 15)
        >>> parse_date_text("00/00/1975")
        'date.zero_day_month'
    """
    d, reason, _ = _parse(text, order)
    return d if d is not None else (reason or "date.unreadable")


def _result(d: date | None, reason: str, params: tuple, raw: str) -> Result:
    if d is None:
        return flagged(reason, **dict(params))
    value = format_date(d)
    if value == raw:
        return Result(value, Status.OK)
    return Result(value, Status.CHANGED, reason or "date.reformatted")


@lru_cache(maxsize=200_000)
def _from_text(kind: str, raw: str, font: str | None, order: str) -> Result:
    # Plain ASCII hides no legacy encoding: only spaces to clean.
    text = " ".join(raw.split()) if raw.isascii() else clean_text(Cell(raw, kind, None, font))[0]
    if not text:
        return MISSING
    d, reason, params = _parse(text, order)
    if d is None and not reason:
        return MISSING
    return _result(d, reason, params, raw)


@lru_cache(maxsize=100_000)
def _from_number(text: str, value: float | int) -> Result:
    try:
        f = float(value if value is not None else text)
    except (TypeError, ValueError):
        return flagged("date.unreadable")
    if f != f or f in (float("inf"), float("-inf")):
        return flagged("date.unreadable")
    n = int(f)
    if f == n and 1900 <= n <= 2100:  # a year typed as a number
        return flagged("date.year_only", year=str(n))
    if f == n and 10_000_000 <= n <= 99_999_999:  # ddmmyyyy typed as a number
        d, reason, params = _parse(str(n), "dmy")
        return _result(d, reason, params, text)
    got = excel_serial_to_date(n) if f >= 1 else None
    if got is None:
        return flagged("date.invalid" if 0 <= f <= _MAX_SERIAL else "date.unreadable")
    return Result(format_date(got), Status.CHANGED, "date.excel_serial")


def normalize_date(cell: Cell, ctx: Context) -> Result:
    """Normalise one date cell to ``dd/mm/yyyy`` (see the module docstring).

    Plausibility (birth and join dates) is checked separately by :func:`check_birth_date` and
    :func:`check_join_date`, because it depends on the field.
    """
    kind = cell.kind
    if kind == "d":
        v = cell.value
        if isinstance(v, (date, datetime)):
            return Result(format_date(v), Status.CHANGED, "date.excel_date")
        return _from_text("s", cell.text, None, "dmy")
    if kind == "n":
        if not cell.text.strip() and cell.value is None:
            return MISSING
        return _from_number(cell.text.strip(), cell.value)
    if kind == "" or not cell.text:
        return MISSING
    if kind == "b":
        return flagged("date.unreadable")
    return _from_text(kind, cell.text, cell.font, ctx.date_order)


def _years_after(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def check_birth_date(d: date, today: date) -> str | None:
    """``date.birth_implausible`` unless born in 1940 .. ``today`` minus 15 years."""
    if d < date(1940, 1, 1) or d > _years_after(today, -15):
        return "date.birth_implausible"
    return None


def check_join_date(join: date, birth: date | None, today: date) -> str | None:
    """``date.join_implausible`` when the join date is in the future or before the 15th birthday."""
    if join > today or (birth is not None and join < _years_after(birth, 15)):
        return "date.join_implausible"
    return None


_SLASH2 = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*\d{2,4}")


@lru_cache(maxsize=200_000)
def _evidence(raw: str, font: str | None) -> str:
    plain = _plain_dmy(raw)
    if plain is not None:
        a, b = int(plain[0]), int(plain[2])
    else:
        text = raw if is_plain_ascii(raw) else clean_text(Cell(raw, "s", None, font))[0]
        m = _SLASH2.match(text)
        if not m or not _DMY.fullmatch(text):
            return ""
        a, b = int(m.group(1)), int(m.group(2))
    if a > 12 and b > 12:
        return ""
    if b > 12:
        return "month_first"
    if a > 12:
        return "day_first"
    return "ambiguous" if a != b and a and b else ""


def decide_date_order(cells: list[Cell | None]) -> tuple[str, dict[str, int]]:
    """Decide the day/month order of one column from its text dates.

    Returns ``("mixed" | "mdy" | "dmy", evidence)`` where evidence counts the text dates that can
    only be month-first, only day-first, or either (``month_first``, ``day_first``, ``ambiguous``).

    Example:
        >>> decide_date_order([Cell("8/25/1980"), Cell("3/4/1990")])
        ('mdy', {'month_first': 1, 'day_first': 0, 'ambiguous': 1})
    """
    ev = {"month_first": 0, "day_first": 0, "ambiguous": 0}
    for c in cells:
        if c is None or c.kind != "s" or not c.text:
            continue
        k = _evidence(c.text, c.font)
        if k:
            ev[k] += 1
    if ev["month_first"] and ev["day_first"]:
        return "mixed", ev
    if ev["month_first"]:
        return "mdy", ev
    return "dmy", ev


def _part(cell: Cell | None, which: str) -> str:
    if cell is None or cell.is_empty:
        return ""
    if cell.kind == "d" and isinstance(cell.value, (date, datetime)):
        return str(getattr(cell.value, which))
    text, _ = clean_text(cell)
    text = text.strip().rstrip(".")
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    return text


def join_date_parts(day: Cell | None, month: Cell | None, year: Cell | None) -> Cell:
    """One text cell from split Ngày | Tháng | Năm columns, for :func:`normalize_date`.

    All three parts give ``dd/mm/yyyy`` text (day-first; normalise it with the default
    ``date_order="dmy"``, never with a column's month-first decision); a missing day gives
    ``m/yyyy`` (flagged month/year), only a year gives ``yyyy`` (flagged year-only), nothing gives
    an empty cell.

    Example:
        >>> join_date_parts(Cell("5"), Cell("8"), Cell("1980", "n", 1980)).text
        '05/08/1980'
    """
    d, m, y = _part(day, "day"), _part(month, "month"), _part(year, "year")
    if d.isdigit() and len(d) == 1:
        d = "0" + d
    if m.isdigit() and len(m) == 1:
        m = "0" + m
    if d and m and y:
        return Cell(f"{d}/{m}/{y}", "s")
    if m and y:
        return Cell(f"{m}/{y}", "s")
    if y:
        return Cell(y, "s")
    if d or m:
        return Cell(f"{d}/{m}".strip("/"), "s")
    return EMPTY
