"""Benchmark (not a test): the national scale on Splink + DuckDB (or Spark).

Generates ``--members`` (default 10,000,000) member rows with the province generator of
``bench_dedupe_province.py`` (units of the same size, 3 % within-unit and 1 % cross-unit
duplicates), computes the matching keys in Python once (written to Parquet so that a Spark
cluster can read the same file), runs :func:`unionclean.match.splink_engine.splink_find_pairs`
and prints time, peak memory, pairs found and precision/recall of the certain pairs.

Run::

    .venv/bin/python bench/bench_national_splink.py --members 10000000
    .venv/bin/python bench/bench_national_splink.py --members 1000000       # quicker
    .venv/bin/python bench/bench_national_splink.py --backend spark --master local[2]

On a cluster: write the Parquet file to shared storage (``--parquet``), start the session with
``--master spark://host:7077`` (or ``yarn``), and the same code runs there; see
``docs/matching.md``.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import time

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_dedupe_province import generate  # noqa: E402


def _rss() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    from unionclean.match.splink_engine import engine_frame, splink_find_pairs

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--members", type=int, default=10_000_000)
    ap.add_argument("--chunk", type=int, default=1_000_000, help="rows generated per chunk")
    ap.add_argument("--backend", choices=["duckdb", "spark"], default="duckdb")
    ap.add_argument("--master", default="local[2]", help="Spark master (backend spark)")
    ap.add_argument("--memory-limit", default="4GB", help="DuckDB memory limit")
    ap.add_argument("--checkpoint-dir", default="/tmp/unionclean_spark_checkpoints",
                    help="Spark checkpoint directory (shared storage on a cluster)")
    ap.add_argument("--parquet", default="/tmp/unionclean_national_keys",
                    help="folder for the keys (Parquet part files); shared storage on a cluster")
    a = ap.parse_args(argv)

    t0 = time.perf_counter()
    truths, offset = [], 0
    n_chunks = max(1, a.members // a.chunk)
    os.makedirs(a.parquet, exist_ok=True)
    for f in os.listdir(a.parquet):
        os.unlink(os.path.join(a.parquet, f))
    for k in range(n_chunks):  # 250-member units, chunk by chunk; only the keys are kept, on disk
        df, truth = generate(a.members // n_chunks, max(1, (a.members // n_chunks) // 250), seed=k)
        df["unit"] = f"{k:03d}-" + df["unit"]
        e = engine_frame(df)
        e["unique_id"] += offset
        e.to_parquet(os.path.join(a.parquet, f"part-{k:03d}.parquet"), index=False)
        truths.append(truth + k * 10**8)  # person ids unique across chunks
        offset += len(df)
        del df, e
    truth = np.concatenate(truths)
    t_keys = time.perf_counter() - t0
    print(f"generated + keyed {len(truth):,} rows in {t_keys:.0f} s (peak RSS {_rss():,.0f} MB); "
          f"keys in {a.parquet}/", flush=True)

    t1 = time.perf_counter()
    if a.backend == "duckdb":
        pairs = splink_find_pairs(None, backend="duckdb", engine_df=f"{a.parquet}/*.parquet",
                                  duckdb_memory_limit=a.memory_limit)
    else:
        from pyspark.sql import SparkSession

        spark = SparkSession.builder.master(a.master).appName("unionclean-national").getOrCreate()
        spark.sparkContext.setCheckpointDir(a.checkpoint_dir)
        sdf = spark.read.parquet(a.parquet)  # the folder of part files
        pairs = splink_find_pairs(None, backend="spark", spark=spark, engine_df=sdf)
    t2 = time.perf_counter()
    auto = pairs[pairs["decision"] == "merge"]
    same = truth[auto["pos_a"].to_numpy()] == truth[auto["pos_b"].to_numpy()]
    t = pd.Series(truth)
    sizes = t.value_counts()
    true_pairs = int((sizes * (sizes - 1) // 2).sum())
    found_any = pairs[truth[pairs["pos_a"].to_numpy()] == truth[pairs["pos_b"].to_numpy()]]
    print(f"{a.backend}: matching {t2 - t1:.0f} s; peak RSS of this process {_rss():,.0f} MB "
          f"(DuckDB runs in-process; the generator's peak is included)")
    print(f"pairs kept: {len(pairs):,} {pairs['decision'].value_counts().to_dict()}")
    print(f"certain pairs: precision {same.mean() if len(same) else 0:.4f}, recall "
          f"{same.sum() / max(true_pairs, 1):.4f} (true pairs {true_pairs:,}); "
          f"recall with review {len(found_any) / max(true_pairs, 1):.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
