"""CCCD / CMND normaliser: 12 digits (a 9-digit old CMND is kept).

A CCCD is ``0`` + the old 2-digit GSO province code, a century/gender digit (0 male / 1 female for
1900–1999, 2/3 for 2000–2099), two digits of the birth year and six random digits. Excel stores
it as a number and drops the leading zero(s): an 11- or 10-digit number is left-padded to 12; an
8-digit number is a CMND that lost its zero. Scientific notation has lost digits: flagged.

Cross-checks (:func:`check_cccd_gender`, :func:`check_cccd_birth_year`) only flag, never edit.

Example:
    >>> from unionclean.normalize.base import Context
    >>> normalize_cccd(Cell("79215012345", "n", 79215012345), Context()).value
    '079215012345'
    >>> normalize_cccd(Cell("7.9215E+10"), Context()).reason
    'cccd.scientific_notation'
    >>> cccd_info("079180012345")
    ('079', 1900, 'Nữ', 80)
"""
from __future__ import annotations

import re
from functools import lru_cache

from unionclean.model import Cell, Result, Status
from unionclean.normalize.base import MISSING, Context, flagged
from unionclean.normalize.text import clean_text

__all__ = ["normalize_cccd", "cccd_info", "check_cccd_gender", "check_cccd_birth_year", "PROVINCE_CODES"]

#: CCCD province codes (``0`` + old GSO code) → the 63 provinces before July 2025. Codes in
#: 001–096 that are missing here were never assigned (e.g. 003, 028 Hà Tây, merged in 2008).
PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn", "008": "Tuyên Quang",
    "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu", "014": "Sơn La", "015": "Yên Bái",
    "017": "Hòa Bình", "019": "Thái Nguyên", "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang",
    "025": "Phú Thọ", "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định", "037": "Ninh Bình",
    "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh", "044": "Quảng Bình", "045": "Quảng Trị",
    "046": "Thừa Thiên Huế", "048": "Đà Nẵng", "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định",
    "054": "Phú Yên", "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng", "070": "Bình Phước",
    "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai", "077": "Bà Rịa - Vũng Tàu",
    "079": "Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang", "083": "Bến Tre", "084": "Trà Vinh",
    "086": "Vĩnh Long", "087": "Đồng Tháp", "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ",
    "093": "Hậu Giang", "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}

_LABEL = (r"(?:số\s*)?(?:cccd|cmnd|cmt|cmtnd|cc|căn\s*cước(?:\s*công\s*dân)?|chứng\s*minh(?:\s*nhân\s*dân)?"
          r"|định\s*danh(?:\s*cá\s*nhân)?|id|số)")
# One or more labels ("CCCD:", "Số CMND/CCCD:", "Số:") before the number.
_PREFIX = re.compile(r"^" + _LABEL + r"(?:\s*[/,;]\s*" + _LABEL + r")*\s*(?:số)?\s*[:.#\-]?\s*", re.I)
_SEPARATORS = re.compile(r"[\s.\-_,/']+")
_SCIENTIFIC = re.compile(r"[+-]?\d+(?:[.,]\d*)?\s*[eE]\s*[+-]?\s*\d+")
_DECIMAL_ZERO = re.compile(r"(\d+)\.0+")
_ASCII_DIGITS = re.compile(r"[0-9]+")


def _province(digits: str, reason: str, raw: str) -> Result:
    """Final check of a 12-digit number; ``reason`` says what was repaired ("" = nothing)."""
    if digits[:3] not in PROVINCE_CODES:
        return flagged("cccd.invalid_province", code=digits[:3])
    if digits == raw:
        return Result(digits, Status.OK)
    return Result(digits, Status.CHANGED, reason or "cccd.cleaned")


def _by_length(digits: str, reason: str, raw: str) -> Result:
    n = len(digits)
    if n == 12:
        return _province(digits, reason, raw)
    if n in (10, 11) and digits[0] != "0":
        return _province(digits.zfill(12), "cccd.leading_zero_restored", raw)
    if n == 9:
        return Result(digits, Status.OK) if digits == raw else Result(digits, Status.CHANGED, reason or "cccd.cleaned")
    if n == 8 and digits[0] != "0":
        return Result("0" + digits, Status.CHANGED, "cccd.cmnd_leading_zero_restored")
    return flagged("cccd.invalid_length", length=str(n))


def _display(raw: str, kind: str, font: str | None) -> str:
    """:func:`clean_text`, short-cut for plain ASCII (digits and separators hide no legacy encoding)."""
    if raw.isascii():
        return " ".join(raw.split())
    return clean_text(Cell(raw, kind, None, font))[0]


def _from_number(text: str, value: float | int | None) -> Result:
    v = value
    if v is None:
        try:
            v = float(text)
        except ValueError:
            return flagged("cccd.digits_lost")
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")) or not v.is_integer():
            return flagged("cccd.digits_lost")
        v = int(v)
    if v < 0:
        return flagged("cccd.invalid_chars")
    digits = str(v)
    if len(digits.rstrip("0")) > 15:  # beyond float precision: the tail is not the real one
        return flagged("cccd.digits_lost")
    if len(digits) >= 10 and len(digits) - len(digits.rstrip("0")) >= 6:
        # Six trailing zeros: a value that went through 7.92150E+10 (the random tail is gone).
        return flagged("cccd.digits_lost")
    return _by_length(digits, "", text)


@lru_cache(maxsize=100_000)
def _from_text(kind: str, raw: str, font: str | None) -> Result:
    text = _display(raw, kind, font)
    if not text:
        return MISSING
    reason = ""
    if "|" in text:  # a pasted QR-code line: CCCD|CMND|name|dob|gender|address|issued
        text = text.split("|", 1)[0].strip()
        reason = "cccd.qr_extracted"
        if not text:
            return flagged("cccd.invalid_length", length="0")
    if _SCIENTIFIC.fullmatch(text):
        return flagged("cccd.scientific_notation")
    m = _DECIMAL_ZERO.fullmatch(text)  # "79215012345.0" from a CSV of a number
    if m:
        text = m.group(1)
    stripped = _PREFIX.sub("", text, count=1)
    if stripped != text and not reason:
        reason = "cccd.cleaned"
    digits = _SEPARATORS.sub("", stripped)
    if not _ASCII_DIGITS.fullmatch(digits):
        return flagged("cccd.invalid_chars")
    if digits != stripped and not reason:
        reason = "cccd.cleaned"
    return _by_length(digits, reason, raw)


def normalize_cccd(cell: Cell, ctx: Context) -> Result:
    """Normalise one CCCD/CMND cell (see the module docstring).

    Reasons: ``cccd.leading_zero_restored``, ``cccd.cmnd_leading_zero_restored``, ``cccd.cleaned``,
    ``cccd.qr_extracted`` (changed); ``cccd.scientific_notation``, ``cccd.digits_lost``,
    ``cccd.invalid_province``, ``cccd.invalid_length``, ``cccd.invalid_chars`` (flagged).
    """
    kind = cell.kind
    if kind == "n":
        if cell.value is None and not cell.text.strip():
            return MISSING
        return _from_number(cell.text.strip(), cell.value)
    if kind == "" or not cell.text:
        return MISSING
    if kind in ("b", "d"):
        return flagged("cccd.invalid_chars")
    raw = cell.text
    if len(raw) == 12 and raw.isdigit() and raw.isascii() and raw[:3] in PROVINCE_CODES:
        return Result(raw, Status.OK)  # fast path: already canonical
    return _from_text(kind, raw, cell.font)


def cccd_info(cccd: str) -> tuple[str, int, str, int] | None:
    """``(province_code, century, gender, yy)`` of a canonical 12-digit CCCD, else ``None``.

    ``century`` is the first year of the birth century (1900, 2000 …), ``gender`` ``Nam``/``Nữ``.
    """
    if len(cccd) != 12 or not cccd.isdigit():
        return None
    d = int(cccd[3])
    return cccd[:3], 1900 + 100 * (d // 2), ("Nữ" if d % 2 else "Nam"), int(cccd[4:6])


def check_cccd_gender(cccd: str, gender: str) -> str | None:
    """``cccd.gender_mismatch`` when digit 4 (even = Nam, odd = Nữ) contradicts ``gender``."""
    info = cccd_info(cccd)
    if info is None or gender not in ("Nam", "Nữ"):
        return None
    return "cccd.gender_mismatch" if info[2] != gender else None


def check_cccd_birth_year(cccd: str, birth_year: int | None) -> str | None:
    """``cccd.birth_year_mismatch`` when digit 4 (century) and digits 5–6 contradict the birth year."""
    info = cccd_info(cccd)
    if info is None or birth_year is None:
        return None
    return "cccd.birth_year_mismatch" if info[1] + info[3] != birth_year else None
