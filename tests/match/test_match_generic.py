"""The matcher on another table shape (FEBRL-like columns), given a column configuration."""
from __future__ import annotations

import pandas as pd
import pytest

from unionclean.errors import UnionCleanError
from unionclean.match.config import BlockingRule, MatchConfig
from unionclean.match.matcher import find_pairs

FEBRL = MatchConfig(
    id="rec_id", name=("surname", "given_name"), dob="date_of_birth", dob_format="%Y%m%d",
    gender=None, national_id="soc_sec_id", phone=None, group=None, location=None,
    evidence=("postcode", "suburb"),
    blocking=(BlockingRule("name_year", ("k_fold", "k_year")), BlockingRule("ssid", ("national_id",)),
              BlockingRule("dob_given", ("dob", "k_given")), BlockingRule("dob_head", ("dob", "k_head"))),
)


def _febrl() -> pd.DataFrame:
    return pd.DataFrame({
        "rec_id": ["rec-1-org", "rec-1-dup-0", "rec-2-org", "rec-2-dup-0", "rec-3-org"],
        "given_name": ["michaela", "michaela", "courtney", "courtney", "jack"],
        "surname": ["neumann", "neumnn", "painter", "painter", "smith"],
        "date_of_birth": ["19151111", "19151111", "19161214", "19161214", "19151111"],
        "soc_sec_id": ["5304218", "5304218", "4699034", "4699035", ""],
        "postcode": ["4223", "4223", "4880", "4880", "2000"],
        "suburb": ["windermere", "windermere", "richlands", "richlands", "sydney"],
    })


def test_febrl_shape():
    pairs = find_pairs(_febrl(), FEBRL)
    got = {(a, b): (lv, d) for a, b, lv, d in pairs[["rec_a", "rec_b", "level", "decision"]].values}
    assert got[("rec-1-org", "rec-1-dup-0")] == ("same_cccd", "merge")
    assert got[("rec-2-org", "rec-2-dup-0")] == ("cccd_conflict", "keep_apart")
    assert ("rec-1-org", "rec-3-org") not in got
    row = pairs[pairs["rec_a"] == "rec-1-org"].iloc[0]
    assert "postcode" in row["agree"] and "surname+given_name" in row["disagree"]


def test_config_error_names_the_column():
    with pytest.raises(UnionCleanError, match="soc_sec_id"):
        find_pairs(_febrl().drop(columns=["soc_sec_id"]), FEBRL)
