"""The same matching on Splink, for the whole country (10 million+ members).

The pandas matcher holds every pair in memory on one machine: right for a province (700,000
rows), not for the country. Splink (MIT, UK Ministry of Justice) runs the same blocking and
comparison as SQL on an embedded DuckDB (one machine, out of core, multi-threaded) or on Spark
(a cluster). Our levels are not re-invented in Splink's probabilistic model: they become one
``CustomComparison`` whose ordered ``CustomLevel``\\ s are the SQL twins of
:data:`unionclean.match.compare.LEVELS`, with fixed m/u probabilities (no training, so a run is
deterministic and the level of each pair maps back to our decision). The keys (fold, tone key,
given name …) are computed once in Python with :mod:`unionclean.match.keys` and handed to the
engine as columns.

One approximation: the name score in SQL is ``1 - 2·levenshtein/(len_a + len_b)`` on an
all-ASCII twin of the tone key (:func:`unionclean.match.keys.ascii_tone_key`: DuckDB's
``levenshtein`` counts bytes), which is close to RapidFuzz ``ratio`` for substitutions and
stricter for insertions and deletions (see ``docs/matching.md``).

Splink is imported lazily: ``pip install unionclean[scale]`` (DuckDB) or ``[spark]``.

Example (not run in doctests)::

    pairs = splink_find_pairs(df, backend="duckdb")
    pairs = splink_find_pairs(df, backend="spark", spark=spark_session)
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from unionclean.errors import UnionCleanError
from unionclean.match.compare import GIVEN_REVIEW, LEVELS, LEVEL_BY_ID
from unionclean.match.config import MatchConfig
from unionclean.match.keys import DOB_KEYS, ascii_tone_key, map_distinct
from unionclean.match.matcher import prepare
from unionclean.messages import message

__all__ = ["engine_frame", "level_conditions", "splink_settings", "splink_find_pairs"]

_ENGINE_COLS = ["unique_id", "k_tone", "k_ascii", "k_fold", "k_given", "k_given_tone", "k_head",
                "k_diac",
                "dob", "k_year", "k_swap", *DOB_KEYS, "gender", "national_id", "phone", "grp"]


def engine_frame(df: pd.DataFrame, config: MatchConfig = MatchConfig()) -> pd.DataFrame:
    """The keys Splink needs, one row per record; empty values become NULL."""
    p = prepare(df, config)
    out = p.rename(columns={"group": "grp"})
    out["unique_id"] = np.arange(len(out), dtype=np.int64)
    codes, uniques = pd.factorize(out["name"], sort=False)
    out["k_ascii"] = np.array([ascii_tone_key(u) for u in uniques], dtype=object)[codes] \
        if len(uniques) else []
    for k, fn in DOB_KEYS.items():  # blocking keys made from the date (see MatchConfig.blocking)
        out[k] = map_distinct(out["dob"], fn)
    out = out[_ENGINE_COLS].copy()
    for c in _ENGINE_COLS:
        if out[c].dtype != bool and c != "unique_id":
            out[c] = out[c].astype(object).where(out[c].astype(str) != "", None)
    out["k_diac"] = out["k_diac"].astype(bool)
    return out


def level_conditions(config: MatchConfig = MatchConfig()) -> list[tuple[str, str]]:
    """``(level id, SQL condition)`` in level order (DuckDB dialect, ``_l``/``_r`` columns).

    NULL means empty: ``a_l = a_r`` is true only when both are present and equal.
    """
    def both(expr: str) -> str:
        return f"coalesce({expr}, false)"

    tone_eq = both("k_tone_l = k_tone_r")
    fold_eq = both("k_fold_l = k_fold_r")
    diac_only = f"({fold_eq} AND NOT {tone_eq})"
    score = ("(100.0 * (1 - 2.0 * levenshtein(k_ascii_l, k_ascii_r) / "
             "(length(k_ascii_l) + length(k_ascii_r))))")
    given_ok = both("k_given_tone_l = k_given_tone_r OR (k_given_l <> k_given_r AND "
                    "substr(k_given_l, 1, 1) = substr(k_given_r, 1, 1) AND "
                    "length(k_given_l) = length(k_given_r))")
    auto = f"({tone_eq} OR (NOT {diac_only} AND {both(f'{score} >= {config.t_auto}')} " \
           f"AND {given_ok} AND k_diac_l AND k_diac_r))"
    close = f"({tone_eq} OR (NOT {diac_only} AND {both(f'{score} >= {config.t_auto}')}))"
    given_close = both("(100.0 * (1 - 2.0 * levenshtein(k_given_l, k_given_r) / "
                       f"(length(k_given_l) + length(k_given_r)))) >= {GIVEN_REVIEW}")
    grey = f"(NOT {auto} AND ({fold_eq} OR {both(f'{score} >= {config.t_review}')}) " \
           f"AND {given_close})"
    dob_eq = both("dob_l = dob_r")
    dob_missing = "(dob_l IS NULL OR dob_r IS NULL)"
    gender_conf = both("gender_l <> gender_r")
    cccd_eq = both("national_id_l = national_id_r")
    cccd_conf = both("national_id_l <> national_id_r")
    swap = both("k_swap_l = dob_r")
    typo = both("dob_l <> dob_r AND length(dob_l) = 10 AND length(dob_r) = 10 AND "
                "levenshtein(dob_l, dob_r) = 1")
    phone_eq = both("phone_l = phone_r")
    near = f"({close} OR {fold_eq})"
    conds = {
        "cccd_conflict": cccd_conf,
        "same_cccd": f"{cccd_eq} AND {near} AND ({dob_eq} OR {dob_missing}) AND NOT {gender_conf}",
        "same_cccd_differs": cccd_eq,
        "name_dob_other_unit": f"{both('grp_l <> grp_r')} AND NOT {phone_eq} AND {auto} AND "
                               f"{dob_eq} AND NOT {gender_conf}",
        "exact_name_dob": f"{tone_eq} AND {dob_eq} AND NOT {gender_conf}",
        "fuzzy_name_dob": f"{auto} AND {dob_eq} AND NOT {gender_conf}",
        "diacritics_differ": f"{diac_only} AND {dob_eq} AND NOT {gender_conf}",
        "fuzzy_name_dob_grey": f"{grey} AND {dob_eq} AND NOT {gender_conf}",
        "gender_differs": f"{near} AND {dob_eq} AND {gender_conf}",
        "dob_swapped": f"{near} AND {swap}",
        "dob_typo": f"{near} AND {typo} AND (NOT {both('grp_l <> grp_r')} OR {phone_eq})",
        "same_phone_name": f"{phone_eq} AND ({close} OR {grey})",
        "dob_missing": f"({tone_eq} OR {fold_eq}) AND {dob_missing}",
    }
    return [(lv.id, conds[lv.id]) for lv in LEVELS if lv.id in conds]


def _mu() -> dict[str, tuple[float, float]]:
    """Fixed m/u per level: one distinct match weight per level (so the weight names the level);
    merge levels high, review middle, keep-apart and not-duplicate far below the threshold."""
    u_by = {"merge": 1e-7, "review": 1e-5, "keep_apart": 0.2, "none": 0.8}
    return {lv.id: (0.5 - 0.02 * lv.rank, u_by[lv.decision]) for lv in LEVELS}


_MU = _mu()
_THRESHOLD = -5.0  # between the review levels (> +10) and keep_apart/else (< -2)


def splink_settings(config: MatchConfig = MatchConfig()) -> Any:
    """Splink ``SettingsCreator`` for our levels and blocking rules (fixed m/u, no training)."""
    try:
        import splink.comparison_level_library as cll
        import splink.comparison_library as cl
        from splink import SettingsCreator, block_on
    except ImportError as err:  # pragma: no cover - depends on the optional extra
        raise UnionCleanError("Splink is not installed: pip install 'unionclean[scale]'") from err

    levels = []
    for lid, sql in level_conditions(config):
        m, u = _MU[lid]
        levels.append(cll.CustomLevel(sql, label_for_charts=lid, base_dialect_str="duckdb")
                      .configure(m_probability=m, u_probability=u))
    levels.append(cll.ElseLevel().configure(m_probability=_MU["not_duplicate"][0],
                                            u_probability=_MU["not_duplicate"][1]))
    rename = {"national_id": "national_id", "group": "grp"}
    rules = []
    for r in config.blocking:
        cols = [rename.get(k, k) for k in r.keys]
        rules.append(block_on(*cols))
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        probability_two_random_records_match=1e-6,
        comparisons=[cl.CustomComparison(levels, output_column_name="person",
                                         comparison_description="unionclean levels")],
        blocking_rules_to_generate_predictions=rules,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=True,  # keeps mw_person
    )


def splink_find_pairs(df: pd.DataFrame | None, config: MatchConfig = MatchConfig(), *,
                      backend: str = "duckdb", spark: Any = None,
                      engine_df: Any = None, duckdb_memory_limit: str | None = None) -> pd.DataFrame:
    """:func:`unionclean.match.matcher.find_pairs` run by Splink on DuckDB or Spark.

    Args:
        df: Records (as for ``find_pairs``). With ``engine_df`` it only supplies the record ids
            (``engine_df`` must be :func:`engine_frame` of it); None: ids are row positions.
        config: Same configuration as the pandas matcher.
        backend: ``"duckdb"`` (embedded, default) or ``"spark"``.
        spark: A ``SparkSession`` for ``backend="spark"`` (local or a cluster).
        engine_df: :func:`engine_frame` output if already computed: a pandas DataFrame, a
            Parquet path or glob (DuckDB), or a Spark DataFrame (e.g. read from Parquet on the
            cluster).
        duckdb_memory_limit: e.g. ``"4GB"``: DuckDB's memory cap (it spills to disk above).

    Returns:
        ``rec_a``, ``rec_b``, ``level``, ``level_label``, ``decision``, ``reason``, ``level_rank``
        for the pairs whose decision is merge, review or keep_apart (no score or evidence: the
        engine path is for volume; explain a pair with the pandas matcher).
    """
    from splink import Linker

    e = engine_frame(df, config) if engine_df is None else engine_df
    if backend == "duckdb":
        import duckdb
        from splink import DuckDBAPI

        con = duckdb.connect()
        if duckdb_memory_limit:  # DuckDB spills to disk above it (default: 80 % of RAM)
            con.execute(f"SET memory_limit = '{duckdb_memory_limit}'")
        db = DuckDBAPI(connection=con)
        # A Parquet path (or glob) is read by DuckDB itself: the keys never enter pandas.
        table = db.register(con.read_parquet(e) if isinstance(e, str) else e)
    elif backend == "spark":
        from splink import SparkAPI

        if spark is None:
            raise UnionCleanError("backend='spark' needs spark=SparkSession")
        db = SparkAPI(spark_session=spark)
        sdf = e if not isinstance(e, pd.DataFrame) else spark.createDataFrame(e)
        table = db.register(sdf)
    else:
        raise UnionCleanError(f"unknown backend {backend!r}: use 'duckdb' or 'spark'")
    linker = Linker(table, splink_settings(config), log_level="WARNING")
    # Keep merge/review levels (weights > +10); keep_apart and the else level are far below.
    pred = linker.inference.predict(threshold_match_weight=_THRESHOLD, warning_mode="never")
    out = pred.as_pandas_dataframe()
    # Splink returns the comparison's match weight; each level has its own (see _mu).
    names = np.array(list(_MU), dtype=object)
    weights = np.array([np.log2(m / u) for m, u in _MU.values()])
    mw = out["mw_person"].to_numpy(dtype=float)
    level = names[np.abs(mw[:, None] - weights[None, :]).argmin(axis=1)]
    res = pd.DataFrame({"pos_a": out["unique_id_l"].to_numpy(), "pos_b": out["unique_id_r"].to_numpy(),
                        "level": level})
    res = res[res["level"] != "not_duplicate"]
    lo = np.minimum(res["pos_a"], res["pos_b"])
    hi = np.maximum(res["pos_a"], res["pos_b"])
    res = res.assign(pos_a=lo, pos_b=hi).sort_values(["pos_a", "pos_b"]).reset_index(drop=True)
    if df is not None:  # unique_id is the row position in df (engine_frame)
        rec_ids = df[config.id].to_numpy()
        res["rec_a"] = rec_ids[res["pos_a"].to_numpy()]
        res["rec_b"] = rec_ids[res["pos_b"].to_numpy()]
    else:
        res["rec_a"], res["rec_b"] = res["pos_a"], res["pos_b"]
    res["decision"] = res["level"].map(lambda x: LEVEL_BY_ID[x].decision)
    res["level_rank"] = res["level"].map(lambda x: LEVEL_BY_ID[x].rank)
    res["reason"] = "match.level." + res["level"]
    res["level_label"] = res["level"].map(lambda x: message(f"match.level.{x}"))
    return res
