"""The Splink engine on embedded DuckDB gives the pandas matcher's levels (needs the scale extra)."""
from __future__ import annotations

import pytest

from matchgen import generate
from unionclean.match.matcher import find_pairs

pytestmark = pytest.mark.scale


def _keyed(pairs):
    return {(a, b): lv for a, b, lv in pairs[["rec_a", "rec_b", "level"]].values}


def test_duckdb_matches_pandas():
    from unionclean.match.splink_engine import splink_find_pairs

    df, _ = generate(n_people=400, n_units=4, within=0.08, cross=0.05, seed=3)
    ours = find_pairs(df)
    ours = _keyed(ours[ours["decision"].isin(["merge", "review"])])
    engine = _keyed(splink_find_pairs(df, backend="duckdb"))
    assert len(ours) > 30
    same = sum(engine.get(k) == v for k, v in ours.items())
    # Only the SQL name score differs (Levenshtein on an ASCII key vs RapidFuzz on the tone key).
    assert same / len(ours) >= 0.95
    assert set(engine) <= set(ours) | {k for k, v in engine.items() if v.endswith("grey")}


def test_settings_levels_in_order():
    from unionclean.match.compare import LEVELS
    from unionclean.match.splink_engine import level_conditions, splink_settings

    ids = [lid for lid, _ in level_conditions()]
    assert ids == [lv.id for lv in LEVELS if lv.id != "not_duplicate"]
    assert splink_settings() is not None
