"""Run a GX suite over upload rows; collect every failure (lazy validation), never the first.

One helper runs the suites; the rest of the package sees plain dicts.
"""
from __future__ import annotations

import logging
import os
import warnings
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from unionclean.spec import TemplateSpec
from unionclean.validate.suite import load_suite_dict

__all__ = ["validate_upload", "ValidationReport", "upload_frame"]


@dataclass
class ValidationReport:
    """Outcome of a suite: ``failures`` is one dict per failed expectation with its type,
    column, level (hard/soft), number of unexpected rows and their row indices (no values)."""

    success: bool
    evaluated: int
    failures: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"success": self.success, "evaluated": self.evaluated, "failures": self.failures}


def upload_frame(spec: TemplateSpec, rows: list[dict[str, str]]) -> pd.DataFrame:
    """Upload rows (field → value) as the DataFrame the suite checks: one column per spec key,
    None for empty cells, STT numbered 1..n."""
    from unionclean.export.upload import column_value

    data: dict[str, list] = {c.key: [] for c in spec.columns}
    for i, values in enumerate(rows, 1):
        for c in spec.columns:
            v = i if c.type == "stt" else (column_value(c, values) or None)
            data[c.key].append(v)
    return pd.DataFrame(data, dtype=object)


def validate_upload(df: pd.DataFrame, spec: TemplateSpec) -> ValidationReport:
    """Validate an upload DataFrame against the spec's GX suite (offline, in memory)."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        if df.empty:
            return ValidationReport(True, 0)
        ctx = gx.get_context(mode="ephemeral")
        ctx.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        asset = ctx.data_sources.add_pandas("upload").add_dataframe_asset("rows")
        batch = asset.add_batch_definition_whole_dataframe("all").get_batch(batch_parameters={"dataframe": df})
        d = load_suite_dict(spec)
        suite = gx.ExpectationSuite(name=d["name"], expectations=d["expectations"], meta=d.get("meta"))
        res = batch.validate(suite, result_format={"result_format": "COMPLETE"})
    failures = []
    for r in res.results:
        if r.success:
            continue
        cfg = r.expectation_config
        result = r.result or {}
        failures.append({
            "expectation": cfg.type, "column": cfg.kwargs.get("column", ""),
            "level": (cfg.meta or {}).get("level", "hard"),
            "unexpected_count": int(result.get("unexpected_count") or 0),
            "rows": [int(i) + spec.first_data_row for i in (result.get("unexpected_index_list") or [])[:50]],
        })
    return ValidationReport(bool(res.success), len(res.results), failures)
