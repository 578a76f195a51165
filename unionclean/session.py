"""An interactive cleaning session for one unit file: what the notebooks and widgets drive.

Every decision a person makes (column mapping, flagged cells, duplicate pairs) goes into the
session's :class:`~unionclean.recipe.Recipe`, so the run can be replayed byte for byte and
re-applied to next month's file. Previews are masked (ID numbers and phones) by default.

Example:
    >>> s = CleaningSession("unit.xlsx", today="2026-11-01")       # doctest: +SKIP
    >>> s.mapping_table()                                           # doctest: +SKIP
    >>> s.set_mapping("DSDV", "Số CMND", "so_cccd")                 # doctest: +SKIP
    >>> s.run(); s.flagged()                                        # doctest: +SKIP
    >>> s.decide_cell("unit.xlsx|DSDV|12", "ngay_sinh", "set", "05/01/1976")  # doctest: +SKIP
    >>> s.write("out/")                                             # doctest: +SKIP
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from unionclean.messages import message
from unionclean.pipeline import FileOutcome, clean_file
from unionclean.privacy import mask_id, mask_phone, mask_text
from unionclean.recipe import Recipe
from unionclean.spec import TemplateSpec, load_spec

__all__ = ["CleaningSession", "SheetInspection", "inspect_file"]

_MASKED_FIELDS = {"so_cccd": mask_id, "so_dien_thoai": mask_phone}


@dataclass
class SheetInspection:
    """What the tool found in one sheet before cleaning: layout and proposed mapping."""

    sheet: str
    hidden: bool
    kind: str
    header_rows: tuple[int, ...]
    headers: dict[int, str]
    mapping: Any  # unionclean.mapping.ColumnMapping (None when the sheet holds no members)
    members: int


def inspect_file(path: str | Path, spec: TemplateSpec | None = None,
                 overrides: dict[str, dict[str, str | None]] | None = None) -> list[SheetInspection]:
    """Read a file and propose its layout and column mapping, sheet by sheet (nothing is
    normalised yet). Raises :class:`~unionclean.errors.InputFileError` for bad files."""
    from unionclean.layout import detect_layout
    from unionclean.mapping import map_columns
    from unionclean.read import read_workbook

    spec = spec or load_spec()
    wb = read_workbook(path)
    out = []
    for sheet in wb.sheets:
        lay = detect_layout(sheet, spec.fields)
        mp = None
        if lay.kind == "members":
            ov = (overrides or {}).get(sheet.name) or (overrides or {}).get("*")
            mp = map_columns(lay, spec.fields, overrides=ov)
        out.append(SheetInspection(sheet.name, sheet.hidden, lay.kind, tuple(lay.header_rows), dict(lay.headers),
                                   mp, len(lay.member_rows)))
    return out


class CleaningSession:
    """Clean one unit file step by step, recording every human decision in the recipe."""

    def __init__(self, path: str | Path, *, recipe: Recipe | str | Path | None = None,
                 template: str | Path | None = None, today: str | date | None = None) -> None:
        self.path = Path(path)
        if isinstance(recipe, (str, Path)):
            recipe = Recipe.load(recipe)
        self.recipe = recipe or Recipe.new(today)
        if today is not None:
            self.recipe.today = today if isinstance(today, str) else today.isoformat()
        self.spec = load_spec(template)
        self.outcome: FileOutcome | None = None
        self._inspection: list[SheetInspection] | None = None

    # ------------------------------------------------------------------ mapping
    @property
    def overrides(self) -> dict[str, dict[str, str | None]]:
        return self.recipe.step("map_columns").setdefault("params", {}).setdefault("overrides", {})

    def inspect(self) -> list[SheetInspection]:
        self._inspection = inspect_file(self.path, self.spec, self.overrides)
        return self._inspection

    def mapping_table(self) -> pd.DataFrame:
        """One row per source column of every member sheet: header, proposed template field,
        score, and a note (unmapped / ambiguous / ignored)."""
        rows = []
        for si in self._inspection or self.inspect():
            if si.mapping is None:
                continue
            used: dict[int, tuple[str, float]] = {}
            for f, src in si.mapping.sources.items():
                for c in src.columns:
                    used[c] = (f, src.score)
            ambiguous = {f for f, _ in si.mapping.ambiguous}
            ignored = {i for i, _ in si.mapping.ignored}
            for idx, header in sorted(si.headers.items()):
                f, score = used.get(idx, ("", 0.0))
                note = ("nhiều cột cùng khớp" if f in ambiguous else "bỏ qua" if idx in ignored
                        else "" if f else "chưa ghép")
                rows.append({"Trang tính": si.sheet, "Cột": _letter(idx), "Tiêu đề nguồn": header,
                             "Cột của mẫu": f, "Điểm": round(float(score), 1), "Ghi chú": note})
        return pd.DataFrame(rows, columns=["Trang tính", "Cột", "Tiêu đề nguồn", "Cột của mẫu", "Điểm", "Ghi chú"])

    def set_mapping(self, sheet: str, header: str, field: str | None) -> None:
        """Override the mapping of one source column (by its header text): ``field`` is a
        template field key, or ``None`` to ignore the column. Recorded in the recipe."""
        if field is not None and field not in self.spec.fields:
            raise ValueError(message("session.unknown_field", field=field))
        self.overrides.setdefault(sheet, {})[header] = field
        self._inspection = None

    # ------------------------------------------------------------------ run
    def run(self) -> FileOutcome:
        from unionclean.api import per_file_recipe

        self.outcome = clean_file(self.path, self.spec, today=self.recipe.run_date,
                                  recipe=per_file_recipe(self.recipe, self.path.name))
        return self.outcome

    def _need(self) -> FileOutcome:
        return self.outcome or self.run()

    def summary(self) -> dict[str, int]:
        return self._need().counts()

    def flagged(self, masked: bool = True) -> pd.DataFrame:
        """Every review item: location, template column, original, proposal, reason (Vietnamese).
        ID numbers and phones are masked unless ``masked=False``."""
        from unionclean.export.review import reason_text

        o = self._need()
        rows = []
        for it in sorted(o.review, key=lambda i: (i.loc.sheet, i.loc.row, i.field)):
            orig, prop = it.original, it.proposal
            if masked:
                fn = _MASKED_FIELDS.get(it.field, mask_text)
                orig, prop = fn(orig), fn(prop)
            rows.append({"Vị trí": str(it.loc), "Trang tính": it.loc.sheet, "Dòng": it.loc.row,
                         "Trường": it.field, "Cột nguồn": it.column, "Giá trị gốc": orig,
                         "Đề xuất": prop, "Lý do": reason_text(it, self.spec), "Mã lý do": it.reason,
                         "Giữ lại": it.held_back})
        return pd.DataFrame(rows)

    def decide_cell(self, loc: str, field: str, action: str, value: str = "") -> None:
        """Record a decision on a flagged cell: ``accept`` (the proposal), ``set`` (a typed
        value) or ``leave`` (for the unit to fix). Takes effect on the next :meth:`run`."""
        if action not in ("accept", "set", "leave"):
            raise ValueError(message("session.unknown_action", action=action))
        cells = self.recipe.decisions.setdefault("cells", [])
        cells[:] = [c for c in cells if not (c["loc"] == loc and c["field"] == field)]
        cells.append({"loc": loc, "field": field, "action": action, "value": value})

    def pairs(self, masked: bool = True) -> pd.DataFrame:
        """Possible duplicates that need a person (grey zone), side by side."""
        o = self._need()
        by_loc = {str(r.loc): r for r in o.records}
        rows = []
        for p in o.pairs:
            a, b = by_loc.get(p["loc_a"]), by_loc.get(p["loc_b"])
            if a is None or b is None:
                continue
            row = {"loc_a": p["loc_a"], "loc_b": p["loc_b"], "Mức khớp": p.get("level_label", ""),
                   "Điểm": p.get("score", 0)}
            for f in ("ho_ten", "ngay_sinh", "gioi_tinh", "so_cccd", "so_dien_thoai"):
                va, vb = a.value(f), b.value(f)
                if masked and f in _MASKED_FIELDS:
                    va, vb = _MASKED_FIELDS[f](va), _MASKED_FIELDS[f](vb)
                row[f + "_a"], row[f + "_b"] = va, vb
            rows.append(row)
        return pd.DataFrame(rows)

    def decide_pair(self, loc_a: str, loc_b: str, action: str) -> None:
        """``merge`` / ``keep_apart`` / ``later`` for a pair of rows; recorded in the recipe."""
        if action not in ("merge", "keep_apart", "later"):
            raise ValueError(message("session.unknown_action", action=action))
        pairs = self.recipe.decisions.setdefault("pairs", {"merge": [], "keep_apart": []})
        for k in ("merge", "keep_apart"):
            pairs.setdefault(k, [])
            pairs[k] = [q for q in pairs[k] if sorted(q) != sorted([loc_a, loc_b])]
        if action != "later":
            pairs[action].append([loc_a, loc_b])

    # ------------------------------------------------------------------ outputs
    def write(self, out_dir: str | Path) -> dict[str, str]:
        """Write upload, review and changes files plus ``recipe.yaml`` into ``out_dir``."""
        from unionclean.api import write_outputs

        o = self._need()
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        files = write_outputs(o, self.spec, out, self.recipe.run_date)
        self.recipe.mapping[self.path.name] = o.mapping
        if o.decisions.get("date_order"):
            self.recipe.decisions.setdefault("date_order", {})[self.path.name] = o.decisions["date_order"]
        self.recipe.save(out / "recipe.yaml")
        files["recipe"] = "recipe.yaml"
        return files


def _letter(i: int) -> str:
    from unionclean.read.base import column_letter

    return column_letter(i)
