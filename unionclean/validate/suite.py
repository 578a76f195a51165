"""Great Expectations suites for the upload file, generated from the template spec.

The suite for a spec lives as JSON in ``expectations/<spec id>.json`` (pinned to GX 1.x);
:func:`build_suite_dict` regenerates it and a test keeps the two in sync. GX types stay in this
module: the normalisers never see them.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from unionclean.spec import TemplateSpec

__all__ = ["build_suite_dict", "suite_path", "load_suite_dict", "PATTERNS"]

#: Canonical forms as regular expressions, by normaliser type.
PATTERNS = {
    "date": r"^(0[1-9]|[12]\d|3[01])/(0[1-9]|1[0-2])/(19|20)\d\d$",
    "cccd": r"^(0\d{11}|\d{9})$",
    "phone": r"^(0[35789]\d{8}|02\d{9})$",
    "email": r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
    "education": r"^([1-9]|1[0-2])/(10|12)$",
    "gender": r"^(Nam|Nữ)$",
}


def suite_path(spec: TemplateSpec) -> Path:
    root = Path(spec.path).resolve().parent.parent if spec.path else Path.cwd()
    return root / "expectations" / f"{spec.id}.json"


def _code_values(name: str) -> list[str]:
    from unionclean.normalize.codes import code_values

    return list(code_values(name))


def build_suite_dict(spec: TemplateSpec) -> dict[str, Any]:
    """The GX suite (as its JSON dict) for an upload DataFrame whose columns are the spec's keys.
    Hard rules have ``meta.level = "hard"`` (they block the export), soft ones ``"soft"``."""
    exps: list[dict[str, Any]] = []

    def add(kind: str, level: str, **kwargs: Any) -> None:
        exps.append({"type": kind, "kwargs": kwargs, "meta": {"level": level}})

    add("expect_table_columns_to_match_ordered_list", "hard", column_list=[c.key for c in spec.columns])
    for c in spec.columns:
        if c.type == "stt":
            add("expect_column_values_to_be_increasing", "hard", column=c.key, strictly=True)
            continue
        if c.required:
            add("expect_column_values_to_not_be_null", "hard", column=c.key)
        if c.part:
            continue
        if c.codes and c.type != "gender":
            add("expect_column_values_to_be_in_set", "hard", column=c.key, value_set=_code_values(c.codes))
        pattern = PATTERNS.get(c.type)
        if pattern:
            add("expect_column_values_to_match_regex", "hard", column=c.key, regex=pattern)
        if c.type == "cccd":
            add("expect_column_values_to_be_unique", "hard", column=c.key)
    return {"name": f"upload_{spec.id}", "expectations": exps,
            "meta": {"template": spec.id, "template_version": spec.version, "gx_major": 1}}


def load_suite_dict(spec: TemplateSpec) -> dict[str, Any]:
    """The committed suite for ``spec`` if present, else one built from the spec."""
    p = suite_path(spec)
    if p.exists():
        return json.loads(p.read_text(encoding="utf-8"))
    return build_suite_dict(spec)


def write_suite(spec: TemplateSpec, path: Path | None = None) -> Path:
    p = path or suite_path(spec)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps(build_suite_dict(spec), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return p


os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
