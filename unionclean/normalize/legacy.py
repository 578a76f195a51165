"""Legacy Vietnamese encodings: TCVN3 (ABC), VNI Windows, VIQR, UTF-8 read as cp1252.

Cells typed with legacy fonts arrive as text read as if Latin-1/cp1252 (``NguyÔn V¨n Nam``).
The font name is the strongest signal (:func:`encoding_from_font`); without it,
:func:`detect` decides from the content and is conservative: it converts only text that is
*not* valid Vietnamese as it stands and *is* valid Vietnamese once decoded (every word a
Vietnamese syllable). Code tables live in ``unionclean/data/encodings/``.

Example:
    >>> decode("NguyÔn V¨n Nam", "tcvn3")
    'Nguyễn Văn Nam'
    >>> decode("Hoaøng Thò Haûi Yeán", "vni")
    'Hoàng Thị Hải Yến'
    >>> decode("Vie^.t Nam", "viqr")
    'Việt Nam'
    >>> detect("Xin chµo c¸c b¹n"), detect("Café crème"), detect("Hoàng")
    ('tcvn3', None, None)
    >>> encode("Trương", "tcvn3") == "Tr\\u00ad\\u00acng"
    True
"""
from __future__ import annotations

import csv
import re
import unicodedata
from functools import lru_cache
from importlib import resources

import yaml

__all__ = ["decode", "encode", "detect", "repair", "encoding_from_font", "is_syllable",
           "tone_index", "is_vietnamese", "VIET_LETTERS", "TONE_MARKS", "NON_LEGACY_RE",
           "VIQR_HINT_RE"]

ENCODINGS = ("tcvn3", "tcvn3h", "vni", "viqr", "utf8")
TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")  # huyền, sắc, ngã, hỏi, nặng
_STOP_TONES = frozenset("\u0301\u0323")  # the only tones of a syllable ending in c, ch, p, t

# The 134 Vietnamese letters that are not plain ASCII (67 lower-case, 67 upper-case).
_LOWER = "".join(sorted({unicodedata.normalize("NFC", b + s + t)
                         for b, shapes in (("a", ("", "\u0306", "\u0302")), ("e", ("", "\u0302")),
                                           ("i", ("",)), ("o", ("", "\u0302", "\u031b")),
                                           ("u", ("", "\u031b")), ("y", ("",)))
                         for s in shapes for t in ("", *sorted(TONE_MARKS))} - set("aeiouy"))) + "đ"
VIET_LETTERS = frozenset(_LOWER + _LOWER.upper())
_SAFE_PUNCT = frozenset("\u00a0–—‘’“”…•°")  # non-ASCII characters genuine text may hold
# cp1252 characters of bytes 0x80-0x9F (the five undefined bytes stay C1 controls).
_CP1252 = {b: bytes([b]).decode("cp1252") for b in range(0x80, 0xA0)
           if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}
_CP1252_REV = {c: b for b, c in _CP1252.items()}
NON_LEGACY_RE = re.compile("[^\x00-\xff" + re.escape("".join(_CP1252.values())) + "]")
_WORD = re.compile(r"[^\W\d_]+")
VIQR_HINT_RE = re.compile(r"[aeiouyAEIOUY][\^(+'`?~.]|(?<![A-Za-z])[dD][dD]")
_FONT_VNI = re.compile(r"vni[-_ ]", re.I)
_FONT_TCVN = re.compile(r"\.?vn", re.I)
# cp1252 punctuation that TCVN3 bytes 0x80-0x9F may also be: decoded only inside a word.
_OPENERS, _CLOSERS, _NEUTRAL = "‘“‚„‹", "’”›", "…•–—"
_CTX_PUNCT = re.compile("[" + re.escape(_OPENERS + _CLOSERS + _NEUTRAL) + "]")


def _letterish(ch: str) -> bool:
    return ch.isalpha() or ch in _tcvn3_tables()[1]


# --------------------------------------------------------------------------- tables (lazy)
def _data(name: str) -> str:
    return (resources.files("unionclean.data") / "encodings" / name).read_text(encoding="utf-8")


def _csv_rows(name: str) -> list[dict[str, str]]:
    lines = [ln for ln in _data(name).splitlines() if ln and not ln.startswith("#")]
    return list(csv.DictReader(lines))


@lru_cache(maxsize=1)
def _tcvn3_tables() -> tuple[dict[int, str], dict[str, str], dict[str, str], dict[str, str]]:
    """(decode map for str.translate, contextual punctuation map, ABC and VN1 encode maps)."""
    dec: dict[int, str] = {}
    ctx: dict[str, str] = {}
    enc_abc: dict[str, str] = {}
    enc_vn1: dict[str, str] = {}
    for row in _csv_rows("tcvn3.csv"):
        letter, b = row["letter"], int(row["byte"], 16)
        dec[b] = letter
        alias = _CP1252.get(b)
        if alias and alias in _OPENERS + _CLOSERS + _NEUTRAL:
            ctx[alias] = letter
        elif alias:
            dec[ord(alias)] = letter
        if row["set"] == "abc":
            enc_abc[letter] = chr(b)
        else:
            enc_vn1[letter] = alias or chr(b)
    for letter in list(enc_vn1):  # ABC has no toned capitals: the lower-case code stands in
        enc_abc.setdefault(letter, enc_abc[letter.lower()])
    return dec, ctx, enc_abc, enc_vn1


@lru_cache(maxsize=1)
def _vni_tables() -> tuple[re.Pattern[str], dict[str, str], dict[str, str]]:
    """(decode regex, decode map sequence → letter, encode map letter → sequence)."""
    dec: dict[str, str] = {}
    enc: dict[str, str] = {}
    for row in _csv_rows("vni.csv"):
        letter = row["letter"]
        codes = [int(h, 16) for h in row["bytes"].split()]
        low = "".join(map(chr, codes))
        up = "".join(chr(c - 0x20) if c >= 0xC0 else chr(c).upper() for c in codes)
        enc[letter], enc[letter.upper()] = low, up
        dec[low] = letter
        dec[up] = letter.upper()
        if len(codes) == 2:  # Excel PROPER() leaves "Aùnh": the base letter decides the case
            dec[up[0] + low[1]] = letter.upper()
    keys = sorted(dec, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, keys))), dec, enc


@lru_cache(maxsize=1)
def _viqr_tables() -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    data = yaml.safe_load(_data("viqr.yaml"))
    shapes = {k: (v["mark"], v["bases"]) for k, v in data["shapes"].items()}
    return data["tones"], shapes


@lru_cache(maxsize=1)
def _syllable_parts() -> tuple[tuple[str, ...], frozenset[str]]:
    """(onsets, longest first and "" last; rhymes)."""
    data = yaml.safe_load(_data("syllables.yaml"))
    onsets = tuple(sorted(data["onsets"].split(), key=len, reverse=True)) + ("",)
    return onsets, frozenset(r for group in data["rhymes"].values() for r in group.split())


def _spelled_right(onset: str, rhyme: str) -> bool:
    """Spelling rules: ngh, gh, k only before e ê i y; c, ng never there; g never before e ê."""
    front = rhyme[0] in "eêiy"
    if onset in ("ngh", "gh", "k"):
        return front
    if onset in ("c", "ng"):
        return not front
    return not (onset == "g" and rhyme[0] in "eê")


@lru_cache(maxsize=4)
def _evidence(encoding: str) -> frozenset[str]:
    """Characters of an encoding that genuine Vietnamese text never holds."""
    if encoding == "vni":
        chars = {c for seq in _vni_tables()[1] for c in seq}
    else:
        chars = {chr(k) for k in _tcvn3_tables()[0]}
    return frozenset(c for c in chars
                     if ord(c) > 0x7F and c not in VIET_LETTERS and c not in _SAFE_PUNCT)


# --------------------------------------------------------------------------- syllables
_VOWELS = frozenset("aăâeêioôơuưy")
_SHAPED = frozenset("ăâêôơư")


def tone_index(base: str, old_style: bool = False) -> int:
    """Index of the letter that carries the tone in toneless lower-case syllable ``base``.

    New style puts it on the second vowel of an open oa, oe, uy (hoà, khoẻ, thuỷ), old style on
    the first (hòa, khỏe, thủy); elsewhere both agree. Returns -1 when ``base`` has no vowel.
    """
    start = 2 if base[:2] in ("qu", "gi") and len(base) > 2 and base[2] in _VOWELS else 0
    while start < len(base) and base[start] not in _VOWELS:
        start += 1
    end = start
    while end < len(base) and base[end] in _VOWELS:
        end += 1
    if start == end:
        return -1
    shaped = [k for k in range(start, end) if base[k] in _SHAPED]
    if shaped:
        return shaped[-1]
    if end - start == 1:
        return start
    if end < len(base):  # closed syllable: the last vowel (hoàn, tuýt)
        return end - 1
    nucleus = base[start:end]
    if nucleus in ("oa", "oe", "uy"):
        return start if old_style else start + 1
    return start + 1 if len(nucleus) == 3 else start  # hoài, khuỷu; mái, mía, múa, gửi


@lru_cache(maxsize=100_000)
def is_syllable(word: str) -> bool:
    """True if ``word`` (any case, NFC or NFD) is spelled as one Vietnamese syllable: onset and
    rhyme, spelling rules, at most one tone, on the right letter (old or new style).

    Example:
        >>> is_syllable("Nguyễn"), is_syllable("Hộlốne"), is_syllable("bàc"), is_syllable("aõ")
        (True, False, False, False)
    """
    w = unicodedata.normalize("NFC", word.lower())
    toned = [(k, c) for k, ch in enumerate(w) for c in unicodedata.normalize("NFD", ch)
             if c in TONE_MARKS]
    if len(toned) > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", w)
                                                if c not in TONE_MARKS))
    onsets, rhymes = _syllable_parts()
    for onset in onsets:
        rhyme = base[len(onset):]
        if base.startswith(onset) and rhyme in rhymes and _spelled_right(onset, rhyme):
            if not toned:
                return not rhyme.endswith(("c", "ch", "p", "t"))
            k, tone = toned[0]
            if rhyme.endswith(("c", "ch", "p", "t")) and tone not in _STOP_TONES:
                return False
            return k in (tone_index(base), tone_index(base, old_style=True))
    return False


def is_vietnamese(text: str) -> bool:
    """True if every non-ASCII character is a Vietnamese letter (or common punctuation) and every
    word holding one is a Vietnamese syllable. ASCII words (acronyms, foreign names) pass."""
    for ch in set(text):
        if ch > "\x7f" and ch not in VIET_LETTERS and ch not in _SAFE_PUNCT:
            return False
    return all(w.isascii() or is_syllable(w) for w in _WORD.findall(text))


# --------------------------------------------------------------------------- fonts
def encoding_from_font(font: str | None) -> str | None:
    """Legacy encoding named by a cell's font: ``"tcvn3"``, ``"tcvn3h"``, ``"vni"`` or None.

    Example:
        >>> [encoding_from_font(f) for f in (".VnTime", ".VnArialH", "VNI-Times")]
        ['tcvn3', 'tcvn3h', 'vni']
        >>> encoding_from_font("Times New Roman") is None
        True
    """
    if not font:
        return None
    f = font.strip()
    if _FONT_VNI.match(f):
        return "vni"
    if _FONT_TCVN.match(f) and (f.startswith(".") or f.lower().startswith(("vntime", "vnarial"))):
        return "tcvn3h" if f.endswith("H") or f.lower() in (".vntimeh", ".vnarialh") else "tcvn3"
    return None


# --------------------------------------------------------------------------- decode / encode
def _decode_tcvn3(text: str) -> str:
    dec, ctx, _, _ = _tcvn3_tables()
    out = text.translate(dec)
    if not _CTX_PUNCT.search(out):
        return out
    chars = list(out)
    for i, ch in enumerate(chars):
        if ch not in ctx:
            continue
        prev_l = i > 0 and _letterish(out[i - 1])
        next_l = i + 1 < len(out) and _letterish(out[i + 1])
        if ((prev_l and next_l) or (ch in _OPENERS and prev_l)
                or (ch in _CLOSERS and next_l)):
            chars[i] = ctx[ch]
    return "".join(chars)


def _decode_vni(text: str) -> str:
    pattern, dec, _ = _vni_tables()
    return pattern.sub(lambda m: dec[m.group(0)], text)


def _viqr_word(word: str) -> tuple[str, int]:
    """Decode one whitespace-free VIQR token; returns (text, number of unambiguous marks)."""
    tones, shapes = _viqr_tables()
    out: list[str] = []
    strong, has_tone, i, n = 0, False, 0, len(word)
    while i < n:
        c = word[i]
        if c == "\\" and i + 1 < n:
            out.append(word[i + 1])
            i += 2
            continue
        if c in "dD" and word[i + 1:i + 2] in ("d", "D") and (i == 0 or not word[i - 1].isalpha()):
            out.append("Đ" if c == "D" else "đ")
            strong, i = strong + 1, i + 2
            continue
        out.append(c)
        i += 1
        if c.lower() not in "aeiouy":
            continue
        shape = tone = ""
        while i < n:  # a shape mark and a tone mark, in either order
            m = word[i]
            if m in shapes and c.lower() in shapes[m][1] and not shape:
                shape = shapes[m][0]
            elif m in tones and not has_tone:
                final = i + 1 >= n or not word[i + 1].isalnum()
                tone = tones[m]
                has_tone = True
                if m in ".?" and final:
                    strong -= 1  # as much sentence punctuation as a tone: not evidence
            else:
                break
            strong, i = strong + 1, i + 1
        out[-1] += shape + tone
    return unicodedata.normalize("NFC", "".join(out)), strong


def _decode_viqr(text: str) -> tuple[str, int]:
    parts = re.split(r"(\s+)", text)
    strong = 0
    for k in range(0, len(parts), 2):
        parts[k], s = _viqr_word(parts[k])
        strong += s
    return "".join(parts), strong


def _decode_utf8(text: str) -> str:
    if NON_LEGACY_RE.search(text):
        return text
    try:
        raw = bytes(_CP1252_REV.get(c, ord(c)) for c in text)
        return unicodedata.normalize("NFC", raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return text


def decode(text: str, encoding: str) -> str:
    """Unicode (NFC) text of ``text`` written in a legacy ``encoding``.

    Args:
        text: The cell text as read (bytes seen as Latin-1 or cp1252 characters).
        encoding: ``"tcvn3"``, ``"tcvn3h"`` (upper-case fonts: decoded, then upper-cased),
            ``"vni"``, ``"viqr"`` or ``"utf8"`` (UTF-8 bytes read as cp1252).

    Raises:
        ValueError: Unknown encoding (a programmer error).
    """
    if encoding == "tcvn3":
        return _decode_tcvn3(text)
    if encoding == "tcvn3h":
        return _decode_tcvn3(text).upper()
    if encoding == "vni":
        return _decode_vni(text)
    if encoding == "viqr":
        return _decode_viqr(text)[0]
    if encoding == "utf8":
        return _decode_utf8(text)
    raise ValueError(f"unknown legacy encoding {encoding!r}: use one of {', '.join(ENCODINGS)}")


def encode(text: str, encoding: str, vn1_capitals: bool = False) -> str:
    """Legacy form of Unicode ``text`` (for synthetic data and round-trip tests).

    Args:
        text: Unicode text.
        encoding: ``"tcvn3"``, ``"tcvn3h"`` or ``"vni"``.
        vn1_capitals: TCVN3 only: write capitals with tones with the full-standard (VN1) codes.
            By default they take the lower-case code, as ABC fonts do.

    Raises:
        ValueError: Unknown encoding.
    """
    text = unicodedata.normalize("NFC", text)
    if encoding in ("tcvn3", "tcvn3h"):
        _, _, enc_abc, enc_vn1 = _tcvn3_tables()
        if encoding == "tcvn3h":
            text = "".join(c.lower() if c in VIET_LETTERS else c for c in text)
        table = {**enc_abc, **enc_vn1} if vn1_capitals else enc_abc
        return "".join(table.get(c, c) for c in text)
    if encoding == "vni":
        enc = _vni_tables()[2]
        return "".join(enc.get(c, c) for c in text)
    raise ValueError(f"cannot encode to {encoding!r}: use tcvn3, tcvn3h or vni")


# --------------------------------------------------------------------------- detection
def _viqr_detect(text: str) -> str | None:
    decoded, strong = _decode_viqr(text)
    if decoded == text or strong < 1:
        return None
    # every word a syllable (upper-case ASCII acronyms aside): English "I'm here" is not VIQR
    ok = all(is_syllable(w) or (w.isascii() and w.isupper() and len(w) > 1)
             for w in _WORD.findall(decoded))
    return decoded if ok else None



def _changes_a_word(before: str, after: str) -> bool:
    """A decoding counts as evidence only if it repairs some word of two letters or more that
    was not valid Vietnamese as it stood: single letters like a stray "â" prove nothing, and
    turning a valid word into another ("Hà" into TCVN3 "Hổ") is no repair."""
    b_words, a_words = before.split(), after.split()
    if len(b_words) != len(a_words):
        changed = set(_WORD.findall(after)) - set(_WORD.findall(before))
        return any(len(w) > 1 for w in changed)
    for b, a in zip(b_words, a_words):
        word = "".join(_WORD.findall(b))
        if b != a and len(word) > 1 and not is_syllable(word.lower()):
            return True
    return False


def detect(text: str) -> str | None:
    """Legacy encoding of ``text`` judged from its content alone, or None.

    Returns ``"tcvn3"``, ``"vni"``, ``"viqr"`` or ``"utf8"`` only when the text is not valid
    Vietnamese as it stands, exactly one decoding makes every word a Vietnamese syllable, and
    that decoding repairs an invalid word of two letters or more (``â, Hà Giang`` is Unicode
    with a stray ``â``, not TCVN3 ``õ, HỔ Giang``).
    """
    if text.isascii():
        return "viqr" if VIQR_HINT_RE.search(text) and _viqr_detect(text) else None
    if NON_LEGACY_RE.search(text) or is_vietnamese(text):
        return None
    found: dict[str, str] = {}
    for enc in ("tcvn3", "vni", "utf8"):
        d = decode(text, enc)
        if d != text and is_vietnamese(d) and _changes_a_word(text, d):
            found.setdefault(d, enc)
    return next(iter(found.values())) if len(found) == 1 else None


_CAPS_WORD = re.compile(r"\S+")


def _fix_abc_capitals(text: str) -> str:
    """ABC fonts write capitals with tones with lower-case codes: ``NGUYễN`` → ``NGUYỄN``."""
    def fix(m: re.Match[str]) -> str:
        w = m.group(0)
        letters = [c for c in w if c.isascii() and c.isalpha()]
        return w.upper() if len(letters) >= 2 and all(c.isupper() for c in letters) else w
    return _CAPS_WORD.sub(fix, text)


def repair(text: str, font: str | None = None) -> tuple[str, str | None]:
    """Decode ``text`` if it is in a legacy encoding; returns (text, encoding used or None).

    The font decides when the text holds characters only that encoding produces, or when its
    decoding is valid Vietnamese; otherwise the content decides (:func:`detect`). Text holding a Unicode character beyond cp1252 is never
    decoded, so a Unicode cell formatted with a ``.VnTime`` font is left alone.
    """
    if text.isascii():
        if VIQR_HINT_RE.search(text):
            decoded = _viqr_detect(text)
            if decoded is not None:
                return decoded, "viqr"
        return text, None
    if NON_LEGACY_RE.search(text):
        return text, None
    enc = encoding_from_font(font)
    if enc is not None:
        decoded = decode(text, enc)
        if decoded != text:
            evidence = not _evidence("vni" if enc == "vni" else "tcvn3").isdisjoint(text)
            valid = is_vietnamese(decoded)
            # The font is the strongest signal (DOMAIN.md): text of Latin-1/cp1252 characters
            # only, in a legacy font, that decodes to valid Vietnamese is legacy text, even when
            # it also reads as Vietnamese as it stands (VNI "Thò" is "Thị").
            if evidence or valid:
                if not valid:  # the font may have been changed after typing: trust the content
                    alt = detect(text)
                    if alt is not None and alt != enc:
                        enc, decoded = alt, decode(text, alt)
                return (_fix_abc_capitals(decoded) if enc == "tcvn3" else decoded), enc
    alt = detect(text)
    if alt is None:
        return text, None
    decoded = decode(text, alt)
    return (_fix_abc_capitals(decoded) if alt == "tcvn3" else decoded), alt
