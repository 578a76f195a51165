"""Shared fixtures of the matching tests; registers the ``spark`` marker."""
from __future__ import annotations


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "scale: needs the optional scale extra (splink + duckdb); .ci/run deselects "
        "it unless the extra is installed")
    config.addinivalue_line(
        "markers", "spark: needs the optional Spark extra (pyspark + Java); .ci/run deselects "
        "it unless the extra is installed")
