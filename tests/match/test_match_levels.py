"""Table-driven level tests: pairs of records → expected level and decision."""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unionclean.match.compare import LEVELS, compare_pairs
from unionclean.match.config import MatchConfig
from unionclean.match.keys import name_fold, name_tone, swap_day_month
from unionclean.match.matcher import find_pairs, prepare
from unionclean.messages import has_message

CASES = Path(__file__).parents[1] / "cases" / "match_levels.csv"
ROWS = list(csv.DictReader(CASES.open(encoding="utf-8")))
FIELDS = ("name", "dob", "gender", "cccd", "phone")
COLS = ("ho_ten", "ngay_sinh", "gioi_tinh", "so_cccd", "so_dien_thoai")


def _pair_frame(case: dict) -> pd.DataFrame:
    recs = []
    for side in ("a", "b"):
        rec = {c: case[f"{f}_{side}"] for f, c in zip(FIELDS, COLS)}
        recs.append(rec)
    df = pd.DataFrame(recs)
    df.insert(0, "rec_id", [1, 2])
    df["unit"], df["file"], df["sheet"], df["row"] = "U", "u.xlsx", "S", [5, 6]
    return df


@pytest.mark.parametrize("case", ROWS, ids=[r["case"] for r in ROWS])
def test_level(case):
    df = _pair_frame(case)
    cfg = MatchConfig()
    out = compare_pairs(prepare(df, cfg), np.array([0]), np.array([1]), cfg)
    assert (out.at[0, "level"], out.at[0, "decision"]) == (case["level"], case["decision"])


@pytest.mark.parametrize("case", [r for r in ROWS if r["decision"] != "none"],
                         ids=[r["case"] for r in ROWS if r["decision"] != "none"])
def test_blocking_finds_every_duplicate_case(case):
    """Every pair that is (or may be) a duplicate is reached by some blocking rule."""
    pairs = find_pairs(_pair_frame(case))
    assert len(pairs) == 1
    assert pairs.at[0, "level"] == case["level"]


def test_levels_ordered_and_have_messages():
    assert [lv.rank for lv in LEVELS] == list(range(1, len(LEVELS) + 1))
    for lv in LEVELS:
        assert has_message(lv.reason), lv.reason
    for code in ("match.decision.merge", "match.decision.keep_apart"):
        assert has_message(code)


def test_keys_diacritic_aware():
    assert name_tone("Nguyễn Thị Hoà") == name_tone("nguyễn thị hòa")
    assert name_tone("Trần Văn Hùng") != name_tone("Trần Văn Hưng")
    assert name_fold("Trần Văn Hùng") == name_fold("Trần Văn Hưng")
    assert name_tone("Võ Thị Mai") == name_tone("Vũ Thị Mai")
    assert name_tone("Huỳnh Văn An") == name_tone("Hoàng Văn An")
    assert name_tone("Nguyễn Huy Huỳnh") != name_tone("Nguyễn Huy Hoàng")  # family name only
    assert swap_day_month("05/06/1985") == "06/05/1985"
    assert swap_day_month("15/06/1985") == ""


def test_pair_carries_evidence():
    case = next(r for r in ROWS if r["case"] == "typo_one_letter")
    pairs = find_pairs(_pair_frame(case))
    row = pairs.iloc[0]
    assert set(row["agree"].split(",")) == {"ngay_sinh", "gioi_tinh"}
    assert set(row["disagree"].split(",")) == {"ho_ten", "so_dien_thoai"}
    assert 90 <= row["score"] < 100
    assert row["reason"] == "match.level.fuzzy_name_dob"
    assert row["level_label"].startswith("Họ tên gần giống")


def test_word_keys_equal_whole_name_keys():
    from unionclean.match.keys import _tone_key, canon_family
    from unionclean.normalize.keys import fold

    for name in ("Nguyễn Thị Hoà", "  TRẦN   văn  Qúy ", "Huỳnh Thuỷ", "Đặng Văn Đức", "Lê A"):
        assert name_tone(name) == _tone_key(canon_family(name))
        assert name_fold(name) == fold(canon_family(name))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["", "a", "b", "Lê", None, float("nan"), "a "]), max_size=40), st.booleans())
def test_small_factorize_equals_pandas(values, as_ints):
    import pandas as pd

    from unionclean.match import compare

    arr = np.array(values, dtype=object)
    if as_ints:
        arr = np.array([hash(str(v)) % 7 for v in values], dtype=np.int64)
    codes, uniques = compare.factorize(arr)
    want_codes, want_uniques = pd.factorize(arr, sort=False)
    assert codes.tolist() == want_codes.tolist()
    assert [str(u) for u in uniques] == [str(u) for u in want_uniques]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aăâđeêoôơuư AĐỄNguyễnVõ\t\n\u00a0\u2003\u3000\x1c")), max_size=14))
def test_canonical_name_collapses_whitespace_as_the_regex_did(name):
    """``canon_family`` splits on whitespace (str.split) where it used ``\\s+`` and strip():
    the same characters, Unicode spaces included."""
    import re
    import unicodedata

    from unionclean.match.keys import FAMILY_VARIANTS, canon_family

    t = re.sub(r"\s+", " ", unicodedata.normalize("NFC", name).lower()).strip()
    first, _, rest = t.partition(" ")
    first = FAMILY_VARIANTS.get(first, first)
    assert canon_family(name) == ((f"{first} {rest}" if rest else first) if t else "")
