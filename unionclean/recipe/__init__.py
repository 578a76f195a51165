"""A cleaning run as a declarative recipe (YAML), replayed by one engine.

The recipe says what to do — ordered steps with parameters, the column mapping, the template
spec, the run date, and the human decisions — while ``changes.csv`` records what was done.
Saving and loading round-trips exactly.

Example:
    >>> r = Recipe.new(today="2026-11-01")
    >>> Recipe.from_yaml(r.to_yaml()) == r
    True
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from unionclean.errors import RecipeError

__all__ = ["Recipe", "DEFAULT_STEPS", "FORMAT_VERSION"]

# libyaml's C parser when present (4-8x faster on a province's mapping), else the pure-Python
# one. Recipes are written by recipe.fastyaml (PyYAML reads back exactly what it writes, tested).
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

FORMAT_VERSION = 1

#: The engine's steps, in order; each has an op id, parameters and a one-line description.
DEFAULT_STEPS: list[dict[str, Any]] = [
    {"op": "read", "description": "Đọc mọi trang tính (kể cả trang ẩn) của tệp đơn vị", "params": {}},
    {"op": "layout", "description": "Tìm dòng tiêu đề cột, bỏ dòng tiêu đề, nhóm, cộng, chân trang",
     "params": {}},
    {"op": "map_columns", "description": "Ghép cột nguồn với cột của mẫu", "params": {"overrides": {}}},
    {"op": "normalise", "description": "Chuẩn hóa từng ô theo mẫu; ô không chắc chắn được đánh dấu",
     "params": {"ethnic_list": None}},
    {"op": "cross_checks", "description": "Đối chiếu CCCD với giới tính, năm sinh; ngày hợp lý",
     "params": {}},
    {"op": "dedupe_within_unit", "description": "Gộp đoàn viên trùng trong một tệp",
     "params": {}},
    {"op": "export", "description": "Ghi tệp tải lên, phiếu rà soát, nhật ký thay đổi", "params": {}},
]
_OPS = {s["op"] for s in DEFAULT_STEPS} | {"dedupe_cross_unit", "reconcile_central"}


@dataclass
class Recipe:
    """A replayable run. ``mapping`` is keyed by input file name then sheet name;
    ``decisions`` holds per-column date orders and human pair decisions."""

    today: str
    template: dict[str, Any] = field(default_factory=lambda: {"id": "reference_v1", "version": 1})
    steps: list[dict[str, Any]] = field(default_factory=lambda: copy.deepcopy(DEFAULT_STEPS))
    mapping: dict[str, Any] = field(default_factory=dict)
    decisions: dict[str, Any] = field(default_factory=dict)
    format: int = FORMAT_VERSION

    @classmethod
    def new(cls, today: str | date | None = None, **kw: Any) -> "Recipe":
        t = today or date.today()
        return cls(today=t.isoformat() if isinstance(t, date) else str(t), **kw)

    @property
    def run_date(self) -> date:
        return date.fromisoformat(self.today)

    def step(self, op: str) -> dict[str, Any]:
        for s in self.steps:
            if s.get("op") == op:
                return s
        return {"op": op, "params": {}}

    def params(self, op: str) -> dict[str, Any]:
        return self.step(op).get("params") or {}

    # ------------------------------------------------------------------ (de)serialise
    def to_dict(self) -> dict[str, Any]:
        return {"unionclean_recipe": self.format, "today": self.today, "template": self.template,
                "steps": self.steps, "mapping": self.mapping, "decisions": self.decisions}

    def to_yaml(self) -> str:
        from unionclean.recipe.fastyaml import dump

        return dump(self.to_dict(), allow_unicode=True, sort_keys=False, width=100)

    def save(self, path: str | Path) -> None:
        from unionclean.export.atomic import atomic_path

        with atomic_path(path) as tmp:
            tmp.write_text(self.to_yaml(), encoding="utf-8")

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Recipe":
        problems = validate_recipe_dict(d)
        if problems:
            raise RecipeError(problems)
        return cls(today=str(d["today"]), template=dict(d.get("template") or {}),
                   steps=list(d.get("steps") or copy.deepcopy(DEFAULT_STEPS)),
                   mapping=dict(d.get("mapping") or {}), decisions=dict(d.get("decisions") or {}),
                   format=int(d.get("unionclean_recipe", FORMAT_VERSION)))

    @classmethod
    def from_yaml(cls, text: str) -> "Recipe":
        try:
            d = yaml.load(text, Loader=_Loader)
        except yaml.YAMLError as exc:
            raise RecipeError([f"not valid YAML: {exc}"]) from exc
        if not isinstance(d, dict):
            raise RecipeError(["a recipe is a YAML mapping"])
        return cls.from_dict(d)

    @classmethod
    def load(cls, path: str | Path) -> "Recipe":
        return cls.from_yaml(Path(path).read_text(encoding="utf-8"))

    # ------------------------------------------------------------------ per-file view
    def mapping_for(self, file_name: str) -> dict[str, Any] | None:
        """Saved mapping for an input: by file name, else the only one the recipe holds (so a
        recipe re-applies to next month's file of the same unit)."""
        if file_name in self.mapping:
            return self.mapping[file_name]
        if len(self.mapping) == 1:
            return next(iter(self.mapping.values()))
        return self.mapping.get("*")

    def file_decisions(self, file_name: str) -> dict[str, Any]:
        """Decisions that apply to one file (date orders keyed ``sheet|field``)."""
        out: dict[str, Any] = {}
        orders = self.decisions.get("date_order", {})
        fo = orders.get(file_name)
        if fo is None and len(orders) == 1:
            fo = next(iter(orders.values()))
        if fo:
            out["date_order"] = fo
        if "pairs" in self.decisions:
            out["pairs"] = self.decisions["pairs"]
        cells = [c for c in self.decisions.get("cells", []) if str(c.get("loc", "")).split("|")[0] == file_name]
        if cells:
            out["cells"] = cells
        return out


def validate_recipe_dict(d: dict[str, Any]) -> list[str]:
    """Every problem of a recipe mapping, not just the first."""
    problems = []
    if d.get("unionclean_recipe") not in (FORMAT_VERSION,):
        problems.append(f"unionclean_recipe must be {FORMAT_VERSION} (got {d.get('unionclean_recipe')!r})")
    try:
        date.fromisoformat(str(d.get("today")))
    except ValueError:
        problems.append("today must be an ISO date (yyyy-mm-dd)")
    for i, s in enumerate(d.get("steps") or []):
        if not isinstance(s, dict) or s.get("op") not in _OPS:
            problems.append(f"step {i + 1}: unknown op {s.get('op') if isinstance(s, dict) else s!r}")
    for k in ("mapping", "decisions", "template"):
        if k in d and d[k] is not None and not isinstance(d[k], dict):
            problems.append(f"{k} must be a mapping")
    return problems
