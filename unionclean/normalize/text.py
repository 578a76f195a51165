"""Text normaliser: NFC first, legacy encodings repaired, invisible characters and spaces cleaned.

Every normaliser starts from :func:`clean_text`. Order matters: Unicode NFC before anything
else, then legacy-encoding repair (:mod:`unionclean.normalize.legacy`: the font first, else the
content), then zero-width characters removed and whitespace (NBSP, tabs, in-cell line breaks,
repeated spaces) collapsed to one space, trimmed.

Example:
    >>> clean_text(Cell("NguyÔn V¨n Nam", font=".VnTime"))
    ('Nguyễn Văn Nam', 'text.tcvn3_converted')
    >>> clean_text(Cell("Hoaøng Thò Haûi Yeán"))
    ('Hoàng Thị Hải Yến', 'text.vni_converted')
    >>> clean_text(Cell(" Lê\\u00a0\\u00a0Thị\\nHoa "))
    ('Lê Thị Hoa', 'text.spaces_cleaned')
    >>> tone_key("Hoà") == tone_key("hòa"), tone_key("Qúy")
    (True, 'quý')
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from unionclean.model import Cell, Result
from unionclean.normalize.base import Context, missing, ok_or_changed
from unionclean.normalize.legacy import (NON_LEGACY_RE, TONE_MARKS, VIQR_HINT_RE, is_vietnamese,
                                         repair, tone_index)

__all__ = ["clean_text", "font_reading", "is_plain_ascii", "normalize_text", "tone_key"]

_ENC_REASON = {"tcvn3": "text.tcvn3_converted", "tcvn3h": "text.tcvn3_converted",
               "vni": "text.vni_converted", "viqr": "text.viqr_converted",
               "utf8": "text.mojibake_fixed"}
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\x00-\x08\x0e-\x1f\x7f]")
_SPACES = re.compile(r"\s+")
# Anything the two substitutions above would change: edge, double or non-space whitespace, control
# or invisible characters.
_DIRTY = re.compile("^\\s|\\s$|\\s\\s|[^\\S ]|[\x00-\x1f\x7f\u200b\u200c\u200d\u2060\ufeff]")
_ETH = str.maketrans({"Ð": "Đ", "ð": "đ"})  # Icelandic eth typed for Đ (cp1258 keyboards, Mac)


@lru_cache(maxsize=262_144)
def _clean(text: str, font: str | None) -> tuple[str, str]:
    # Plain ASCII never gets here: clean_text returns it as it is.
    # Before repair (legacy text has none); skipped when nothing is there to clean.
    t = _SPACES.sub(" ", _INVISIBLE.sub("", text)).strip() if _DIRTY.search(text) else text
    cleaned = t != text
    nfc = t if unicodedata.is_normalized("NFC", t) else unicodedata.normalize("NFC", t)
    reason = "text.unicode_normalized" if nfc != t else ""
    t = nfc
    t, enc = repair(t, font)
    if enc is not None:
        reason = _ENC_REASON[enc]
    elif ("Ð" in t or "ð" in t) and not is_vietnamese(t) and is_vietnamese(t.translate(_ETH)):
        t = t.translate(_ETH)
        reason = "text.unicode_normalized"
    if "\xad" in t:  # soft hyphen: TCVN3 "ư" when the text was legacy, else invisible junk
        without = t.replace("\xad", "")
        if NON_LEGACY_RE.search(t) or is_vietnamese(without):
            # What the hyphen hid is cleaned as well (``u\xad+`` is VIQR ``u+``, i.e. ``ư``), so
            # cleaning the result again changes nothing.
            t, again = _clean(unicodedata.normalize("NFC", _SPACES.sub(" ", without).strip()), font)
            if again and again != "text.spaces_cleaned":
                reason = again
            cleaned = True
    if t == text:
        return text, ""
    return t, reason or ("text.spaces_cleaned" if cleaned else "text.unicode_normalized")


def is_plain_ascii(text: str) -> bool:
    """True when :func:`clean_text` returns ``text`` unchanged without looking further: ASCII
    with single inner spaces only and nothing that could be VIQR."""
    # In ASCII, the characters the cleaning removes or turns into a space (controls, tabs, line
    # breaks) are exactly the non-printable ones; string tests, not a regex, on this hot path.
    return (text.isascii() and text.isprintable() and not text.startswith(" ") and not text.endswith(" ")
            and "  " not in text and not VIQR_HINT_RE.search(text))


def clean_text(cell: Cell) -> tuple[str, str]:
    """Cleaned display text of a cell and the reason code of the main repair ("" if none).

    Reasons, most important first: ``text.tcvn3_converted``, ``text.vni_converted``,
    ``text.viqr_converted``, ``text.mojibake_fixed`` (UTF-8 read as cp1252),
    ``text.unicode_normalized`` (decomposed/NFD forms composed), ``text.spaces_cleaned``.
    Results are memoised per (text, font), except plain ASCII text (IDs, phones, dates: unique
    values that would only push useful entries out of the cache).
    """
    text = cell.text
    if is_plain_ascii(text):
        return text, ""
    return _clean(text, cell.font)


def font_reading(cell: Cell) -> tuple[str, str] | None:
    """The cell read strictly through its legacy font (``.Vn*`` / ``VNI-*``), cleaned, with
    its reason; None when the font is not legacy or changes nothing.

    For closed lists only (code lists, provinces): a value such as VNI ``HMoâng`` (``HMông``)
    is not valid Vietnamese spelling, so :func:`clean_text` keeps it, but an exact list match
    on its font reading is certain.
    """
    from unionclean.normalize.legacy import decode, encoding_from_font

    enc = encoding_from_font(cell.font)
    if enc is None or NON_LEGACY_RE.search(cell.text):
        return None
    decoded = decode(cell.text, enc)
    if decoded == cell.text:
        return None
    text, _ = clean_text(Cell(decoded))
    return text, _ENC_REASON[enc]


def normalize_text(cell: Cell, ctx: Context) -> Result:
    """Free text (Nơi ở, Nghề nghiệp, Ghi chú): cleaned, never otherwise changed."""
    if cell.is_empty:
        return missing()
    value, reason = clean_text(cell)
    if not value:
        return missing()
    return ok_or_changed(value, cell.text, reason)


# --------------------------------------------------------------------------- tone placement
def _tone_word(word: str) -> str:
    d = unicodedata.normalize("NFD", word)
    tones = [c for c in d if c in TONE_MARKS]
    if len(tones) != 1:
        return word
    base = unicodedata.normalize("NFC", "".join(c for c in d if c not in TONE_MARKS))
    k = tone_index(base)
    if k < 0:
        return word
    return unicodedata.normalize("NFC", base[:k + 1] + tones[0] + base[k + 1:])


@lru_cache(maxsize=200_000)
def tone_key(text: str) -> str:
    """Matching key that keeps diacritics but not case nor tone placement.

    Old and new tone placement compare equal (``Hoà``/``Hòa``, ``Thuỷ``/``Thủy``), a misplaced
    tone is put back (``Qúy`` → ``quý``), while different letters stay different (Hùng ≠ Hưng).
    For matching only, never for display.

    Example:
        >>> tone_key("  THUỶ ") == tone_key("thủy"), tone_key("Hùng") == tone_key("Hưng")
        (True, False)
    """
    t = unicodedata.normalize("NFC", text).lower()
    return " ".join(_tone_word(w) for w in t.split())
