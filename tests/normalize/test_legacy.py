"""Legacy encodings: code tables, DOMAIN vectors, round trips, conservative detection."""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unionclean.normalize.legacy import (VIET_LETTERS, decode, detect, encode, encoding_from_font,
                                         is_syllable, is_vietnamese, repair)

LETTERS = "".join(sorted(VIET_LETTERS))
LOWER = "".join(c for c in LETTERS if c.islower())
# Capitals with a tone: the ABC (TCVN3) fonts have no code for them.
TONED_CAPITALS = "".join(c for c in LETTERS if c.isupper() and c not in "ĂÂÊÔƠƯĐ")

DOMAIN_VECTORS = [
    ("Xin chµo c¸c b¹n", "tcvn3", "Xin chào các bạn"),
    ("Xin chaøo caùc baïn", "vni", "Xin chào các bạn"),
    ("Xin cha`o ca'c ba.n", "viqr", "Xin chào các bạn"),
    ("T«i ®i häc", "tcvn3", "Tôi đi học"),
    ("Ninh B×nh", "tcvn3", "Ninh Bình"),
    ("NguyÔn V¨n Nam", "tcvn3", "Nguyễn Văn Nam"),
    ("Hoaøng Thò Haûi Yeán", "vni", "Hoàng Thị Hải Yến"),
    ("Tr\u00ad¬ng", "tcvn3", "Trương"),
    ("Vie^.t Nam", "viqr", "Việt Nam"),
]


@pytest.mark.parametrize("raw, encoding, expected", DOMAIN_VECTORS)
def test_domain_vectors_decode_and_detect(raw, encoding, expected):
    assert decode(raw, encoding) == expected
    assert detect(raw) == encoding
    assert repair(raw) == (expected, encoding)


def test_tables_cover_all_134_letters():
    assert len(VIET_LETTERS) == 134
    assert decode(encode(LETTERS, "tcvn3", vn1_capitals=True), "tcvn3") == LETTERS
    assert decode(encode(LETTERS, "vni"), "vni") == LETTERS


def test_abc_writes_toned_capitals_with_lower_case_codes():
    assert len(TONED_CAPITALS) == 60
    assert decode(encode(TONED_CAPITALS, "tcvn3"), "tcvn3") == TONED_CAPITALS.lower()
    assert decode(encode(LOWER + "ĂÂÊÔƠƯĐ", "tcvn3"), "tcvn3") == LOWER + "ĂÂÊÔƠƯĐ"


def test_h_fonts_hold_lower_case_codes_shown_as_capitals():
    assert encode("NGUYỄN VĂN", "tcvn3h") == "NGUYÔN V¨N"
    assert decode(encode(LETTERS, "tcvn3h"), "tcvn3h") == LETTERS.upper()
    assert decode("nguyÔn v¨n nam", "tcvn3h") == "NGUYỄN VĂN NAM"


def test_soft_hyphen_is_u_horn_not_dropped():
    assert encode("Trương", "tcvn3") == "Tr\u00ad\u00acng"
    assert decode("Tr\u00ad\u00acng", "tcvn3") == "Trương"


@pytest.mark.parametrize("raw, expected", [
    ("\u0192nh", "Ánh"),       # VN1 capital byte 0x83 read as cp1252
    ("\x83nh", "Ánh"),         # the same byte read as Latin-1
    ("H\u20ac", "HÀ"),         # 0x80 as cp1252 euro sign
    ("H\x81", "HẢ"),           # 0x81 is undefined in cp1252: a C1 control
    ("Tæ 5 – Ph\u00adêng 3", "Tổ 5 – Phường 3"),  # an en dash between spaces is a dash
    ("“Tæ 1”", "“Tổ 1”"),      # quotes around a word are quotes
    ("H“", "HỎ"),              # an opening quote after a letter is the capital Ỏ
])
def test_tcvn3_bytes_80_9f_in_both_readings(raw, expected):
    assert decode(raw, "tcvn3") == expected


@pytest.mark.parametrize("raw, expected", [
    ("Aùnh", "Ánh"),                         # PROPER() lower-cases the mark byte
    ("NGUYEÃN VAÊN AN", "NGUYỄN VĂN AN"),
    ("Tröôøng Ñaïi hoïc", "Trường Đại học"),
    ("Thaønh phoá Hoà Chí Minh", "Thành phố Hồ Chí Minh"),
    ("Kyø", "Kỳ"), ("Kî", "Kỵ"), ("Nghæ", "Nghỉ"),
])
def test_vni_decode(raw, expected):
    assert decode(raw, "vni") == expected


@pytest.mark.parametrize("raw, expected", [
    ("DDa(ng Thi. Ha`", "Đăng Thị Hà"),
    ("Tru+o+`ng", "Trường"),
    ("cha`o.", "chào."),           # a final period after a toned syllable is punctuation
    ("Thi.", "Thị"),               # and a tone when the syllable has none (RFC 1456)
    ("ba\\.n", "ba.n"),            # backslash escapes a mark
    ("a'^", "ấ"),                  # tone before shape
])
def test_viqr_decode(raw, expected):
    assert decode(raw, "viqr") == expected


@pytest.mark.parametrize("font, encoding", [
    (".VnTime", "tcvn3"), (".VnArial", "tcvn3"), (".VnArial Narrow", "tcvn3"),
    (".VnCentury Schoolbook", "tcvn3"), (".VnTimeH", "tcvn3h"), (".VnArialH", "tcvn3h"),
    (".VnBlackH", "tcvn3h"), (" .VnTime ", "tcvn3"), ("VnTime", "tcvn3"),
    ("VNI-Times", "vni"), ("VNI-Helve", "vni"), ("vni-aptima", "vni"), ("VNI Times", "vni"),
    ("Times New Roman", None), ("Arial", None), ("Calibri", None), ("", None), (None, None),
    ("Vni", None),
])
def test_encoding_from_font(font, encoding):
    assert encoding_from_font(font) == encoding


FOREIGN = ["Café crème", "Hélène", "Hélène Dupont", "José María", "Crème brûlée", "Noël", "Zoë",
           "André Müller", "Señor Muñoz", "Ça va", "São Paulo", "Renée", "Chloé", "Éric", "Gaël",
           "François", "Mañana", "Björn", "Jürgen", "Ångström", "Voilà", "Dvořák", "I'm here",
           "O'Neil", "Hello? What`s up", "a.b@x.com", "Nguyen Van A.", "12.5", "Thi.", "â", "Aâ"]
VIETNAMESE = ["Nguyễn Văn An", "Hoà Bình", "Hà", "Tôi là ai", "Thuỷ", "Khánh Hòa", "Lê Thị Hoa",
              "Công ty TNHH Samsung", "Tổ 5 – Phường 3", "Ông Ba", "Bà Tư", "Yến", "Hải", "Chí"]


@pytest.mark.parametrize("text", FOREIGN + VIETNAMESE)
def test_detect_leaves_genuine_text_alone(text):
    assert detect(text) is None
    assert repair(text) == (text, None)


@pytest.mark.parametrize("font", [".VnTime", ".VnTimeH", "VNI-Times"])
@pytest.mark.parametrize("text", ["Lê Thị Hoa", "Nguyễn Văn An", "Trần Đức", "Nguyen Van Nam"])
def test_unicode_cell_in_a_legacy_font_is_not_mangled(text, font):
    # Characters beyond cp1252 have no glyph in a legacy font: the cell is real Unicode.
    assert repair(text, font) == (text, None)


@pytest.mark.parametrize("text, font, expected", [
    ("Mai Thò Oanh", "VNI-Times", "Mai Thị Oanh"),      # "Thò" is also a word, but the font shows "Thị"
    ("Vi Thò Ly", "VNI-Times", "Vi Thị Ly"),
    ("Hoµ B×nh", ".VnTime", "Hoà Bình"),
])
def test_latin1_text_in_a_legacy_font_follows_the_font(text, font, expected):
    # Latin-1 characters in a legacy font show that font's glyphs: what the person saw is the
    # decoded text, when it is valid Vietnamese.
    assert repair(text, font)[0] == expected


def test_abc_capitals_restored_in_all_caps_words():
    assert repair("NGUYÔN V¡N NAM") == ("NGUYỄN VĂN NAM", "tcvn3")
    assert repair("NGUYÔN V¡N NAM", ".VnTime") == ("NGUYỄN VĂN NAM", "tcvn3")


def test_font_changed_after_typing_content_wins():
    assert repair("Hoaøng", ".VnTime") == ("Hoàng", "vni")


@pytest.mark.parametrize("word, ok", [
    ("Nguyễn", True), ("trường", True), ("gì", True), ("quốc", True), ("nghiêng", True),
    ("Hoà", True), ("Hòa", True), ("khuỷu", True), ("Qúy", False), ("hòan", False),
    ("bàc", False), ("nghổ", False), ("ke", True), ("ngi", False), ("Hộlốne", False),
    ("cafộ", False), ("aõ", False), ("viet", False), ("việt", True),
])
def test_is_syllable(word, ok):
    assert is_syllable(word) is ok
    assert is_syllable(unicodedata.normalize("NFD", word)) is ok


def test_unknown_encoding_is_a_programmer_error():
    with pytest.raises(ValueError, match="tcvn3"):
        decode("x", "latin9")
    with pytest.raises(ValueError, match="vni"):
        encode("x", "viqr")


# Real words, to build Vietnamese text for the properties below.
WORDS = ("nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý văn thị hữu "
         "đức minh anh hùng hưng hương thủy thuỷ hoà hòa tuấn quang quốc việt nam hà nội bình "
         "phường xã huyện tỉnh công ty đoàn viên trưởng phòng nghỉ hưu chuyển đi ngày tháng "
         "năm sinh quê quán dân tộc kinh tày thái mường khơ me giáo đại học cao đẳng trung cấp "
         "công nhân kỹ thuật lao động tổ sản xuất ca kíp nhà máy xưởng may giày da khuê yến "
         "nguyệt loan thảo trang ngọc châu bảo khánh lộc phúc thịnh vượng").split()
sentences = st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(" ".join)
vietnamese_text = st.text(st.sampled_from(list(LETTERS) + list("abcdefghiklmnopqrstuvxy ")),
                          max_size=30)


@given(vietnamese_text)
def test_round_trip_vni(text):
    assert decode(encode(text, "vni"), "vni") == text


@given(vietnamese_text)
def test_round_trip_tcvn3_abc(text):
    expected = "".join(c.lower() if c in TONED_CAPITALS else c for c in text)
    assert decode(encode(text, "tcvn3"), "tcvn3") == expected


@given(vietnamese_text)
def test_round_trip_tcvn3h(text):
    assert decode(encode(text, "tcvn3h"), "tcvn3h") == text.upper()


@settings(max_examples=300)
@given(sentences, st.sampled_from(["tcvn3", "vni"]), st.booleans())
def test_detect_is_right_or_silent(text, encoding, title):
    text = text.title() if title else text
    assert is_vietnamese(text) and detect(text) is None
    legacy = encode(text, encoding)
    found = detect(legacy)
    assert found in (encoding, None)
    if found:
        assert decode(legacy, found) == text


@pytest.mark.parametrize("text", [
    "Nguyễn Văn Nam", "Trần Thị Hương", "Lê Hữu Đức", "Phạm Quốc Việt", "Hoàng Thị Thủy",
    "Đặng Văn Hùng", "Công đoàn cơ sở", "Phòng Tổ chức Hành chính", "Thành phố Hồ Chí Minh",
    "Đã nghỉ hưu", "Chuyển đi tháng 3", "Kỹ sư cơ khí", "Trưởng phòng", "Phó Chủ tịch",
])
@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_detect_typical_cells(text, encoding):
    assert detect(encode(text, encoding)) == encoding
