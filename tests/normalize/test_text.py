"""Text normaliser: case table, properties, tone keys, speed of the fast path."""
from __future__ import annotations

import time
import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from unionclean.messages import has_message
from unionclean.model import Cell, Status
from unionclean.normalize.legacy import is_vietnamese
from unionclean.normalize.base import Context
from unionclean.normalize.text import clean_text, normalize_text, tone_key

CTX = Context()

def test_case_table_is_large_enough(text_cases):
    assert len(text_cases) >= 80


def test_text_case(text_case):
    case = text_case
    cell = Cell(case["input"], font=case["font"] or None)
    result = normalize_text(cell, CTX)
    assert (result.value, result.status.value, result.reason) == (
        case["expected"], case["status"], case["reason"])


def test_output_is_stable_unicode(text_case):
    case = text_case
    value = normalize_text(Cell(case["input"], font=case["font"] or None), CTX).value
    assert unicodedata.is_normalized("NFC", value)
    again = normalize_text(Cell(value, font=case["font"] or None), CTX)
    assert again.status in (Status.OK, Status.MISSING) and again.value == value


def test_every_reason_has_a_message(text_cases):
    reasons = {c["reason"] for c in text_cases if c["reason"]}
    assert reasons >= {"text.tcvn3_converted", "text.vni_converted", "text.viqr_converted",
                       "text.unicode_normalized", "text.spaces_cleaned", "text.mojibake_fixed"}
    assert all(has_message(r) for r in reasons)


def test_clean_text_matches_normalize_text(text_cases):
    for case in text_cases:
        cell = Cell(case["input"], font=case["font"] or None)
        value, reason = clean_text(cell)
        if case["status"] != "missing":
            assert (value, reason) == (case["expected"], case["reason"])


# Vietnamese-ish text: letters, spaces, NBSP, zero-width, line breaks, Latin-1 and legacy bytes.
_ALPHABET = st.sampled_from(
    list("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩị"
         "òóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ0123456789 .,-'`^?~()+")
    + ["\u00a0", "\u200b", "\n", "\t", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\xad"]
    + [chr(c) for c in range(0xA0, 0x100)] + ["€", "ƒ", "’", "“", "–"])
texts = st.text(_ALPHABET, max_size=40)
fonts = st.sampled_from([None, ".VnTime", ".VnTimeH", "VNI-Times", "Arial"])


@settings(max_examples=400, deadline=None)
@given(texts)
def test_never_raises_and_is_idempotent(text):
    result = normalize_text(Cell(text), CTX)
    assert result.status in (Status.OK, Status.CHANGED, Status.MISSING)
    if result.status is Status.MISSING:
        return
    assert result.value == result.value.strip() and "  " not in result.value
    again = normalize_text(Cell(result.value), CTX)
    assert (again.value, again.status) == (result.value, Status.OK)


@settings(max_examples=400, deadline=None)
@given(texts, fonts)
@example("u\xad+", None)  # the soft hyphen hid VIQR "u+" (ư): found by hypothesis
def test_with_font_never_raises_and_valid_output_is_stable(text, font):
    result = normalize_text(Cell(text, font=font), CTX)
    assert result.status in (Status.OK, Status.CHANGED, Status.MISSING)
    # The output is Unicode written in a normal font: normalising it again changes nothing.
    # (Put back under the legacy font it would show other glyphs, so that is not required.)
    if result.status is not Status.MISSING and is_vietnamese(result.value):
        again = normalize_text(Cell(result.value), CTX)
        assert (again.value, again.status) == (result.value, Status.OK)


@given(st.text(st.sampled_from([" ", "\u00a0", "\n", "\t", "\u200b", "\ufeff", "\r"]), max_size=8))
def test_blank_is_missing(text):
    assert normalize_text(Cell(text), CTX).status is Status.MISSING


@pytest.mark.parametrize("a, b", [
    ("Hoà", "Hòa"), ("Thuỷ", "Thủy"), ("Khoẻ", "khỏe"), ("HOÀNG", "hoàng"), ("Qúy", "Quý"),
    ("Nguyễn Văn Thuỵ", "nguyễn  văn thụy"), ("hoài", "hoài"), ("Thoả", "Thỏa"), ("Tuỳ", "Tùy"),
    (unicodedata.normalize("NFD", "Hòa"), "Hoà"),
])
def test_tone_key_equal(a, b):
    assert tone_key(a) == tone_key(b)


@pytest.mark.parametrize("a, b", [
    ("Hùng", "Hưng"), ("Hoà", "Hoa"), ("Thu", "Thư"), ("Đức", "Dức"), ("Lan", "Lân"),
])
def test_tone_key_different(a, b):
    assert tone_key(a) != tone_key(b)


@pytest.mark.parametrize("text, key", [
    ("Qúy", "quý"), ("Hòa", "hoà"), ("Thủy", "thuỷ"), ("Hoàn", "hoàn"), ("Tuấn", "tuấn"),
    ("Trường", "trường"), ("Gìn", "gìn"), ("giữ", "giữ"), ("Quốc", "quốc"), ("Mía", "mía"),
    ("Khuỷu", "khuỷu"), ("Ngoẹo", "ngoẹo"), ("  Lê   Thị ", "lê thị"),
])
def test_tone_key_value(text, key):
    assert tone_key(text) == key


def test_clean_unicode_name_is_fast():
    cell = Cell("Nguyễn Văn An")
    clean_text(cell)
    start = time.perf_counter()
    for _ in range(50_000):
        clean_text(cell)
    assert time.perf_counter() - start < 0.5  # ~0.2 µs a call when cached


def test_uncached_fast_path_is_fast():
    names = [f"Nguyễn Văn An{'h' * (i % 50)} {i}" for i in range(5_000)]
    start = time.perf_counter()
    for n in names:
        clean_text(Cell(n))
    assert (time.perf_counter() - start) / len(names) < 50e-6  # budget 10 µs; slack for CI


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab Lê \t\n\r\x0b\x0c\x1c\x1f\x00\x07\x7f\xa0\u2028\u2029\u3000"
                                             "\u200b\u200c\u200d\u2060\ufeff\u0085\u1680")), max_size=12))
def test_clean_skips_the_space_substitutions_only_when_they_change_nothing(text):
    from unionclean.normalize.text import _DIRTY, _INVISIBLE, _SPACES

    if _DIRTY.search(text) is None:
        assert _SPACES.sub(" ", _INVISIBLE.sub("", text)).strip() == text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=12))
@example(" a")
@example("a\tb")
@example("a  b")
@example("\x1fa")
@example("")
def test_plain_ascii_is_what_the_cleaning_leaves_alone(text):
    """The string tests of ``is_plain_ascii`` say what the former regex said of ASCII text:
    no edge or double space, no whitespace but the space, no control character."""
    import re

    from unionclean.normalize.legacy import VIQR_HINT_RE
    from unionclean.normalize.text import is_plain_ascii

    dirty = re.compile(r"^\s|\s$|\s\s|[^\S ]|[\x00-\x1f\x7f]")
    assert is_plain_ascii(text) == (not dirty.search(text) and not VIQR_HINT_RE.search(text))
