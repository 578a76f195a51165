"""The Splink engine on a local Spark: the path to a cluster (needs the spark extra and Java).

Deselected by ``.ci/run`` unless ``pyspark`` is installed (marker ``spark``). On a cluster the
only change is the session: ``SparkSession.builder.master("spark://…")`` or ``yarn``.
"""
from __future__ import annotations

import pytest

from matchgen import generate

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[1]").appName("unionclean-test")
               .config("spark.sql.shuffle.partitions", "2")
               .config("spark.ui.enabled", "false")
               .config("spark.driver.memory", "1g")
               .getOrCreate())
    # Splink breaks Spark lineage with checkpoints: on a cluster, a shared directory (HDFS, S3).
    session.sparkContext.setCheckpointDir(str(tmp_path_factory.mktemp("spark-checkpoints")))
    yield session
    session.stop()


def test_spark_equals_duckdb(spark):
    from unionclean.match.splink_engine import engine_frame, splink_find_pairs

    df, _ = generate(n_people=200, n_units=3, within=0.1, cross=0.05, seed=5)
    on_duckdb = splink_find_pairs(df, backend="duckdb")
    on_spark = splink_find_pairs(df, backend="spark", spark=spark)
    key = ["rec_a", "rec_b", "level", "decision"]
    assert len(on_duckdb) > 10
    assert sorted(map(tuple, on_spark[key].values)) == sorted(map(tuple, on_duckdb[key].values))
    # A Spark DataFrame read from Parquet (how a cluster gets 10 million rows) works too.
    sdf = spark.createDataFrame(engine_frame(df))
    again = splink_find_pairs(df, backend="spark", spark=spark, engine_df=sdf)
    assert sorted(map(tuple, again[key].values)) == sorted(map(tuple, on_duckdb[key].values))
