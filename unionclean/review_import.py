"""Read back a review workbook the unit has corrected, as cell decisions for the recipe.

The unit may write the right value in the "Sửa thành (đơn vị ghi)" column of the first sheet,
or overwrite a highlighted cell in the "Dòng cần sửa" sheet. Either becomes a ``set`` decision
(``{"loc", "field", "action": "set", "value"}``) that the next run replays; the value is
normalised again, and stays flagged if it is still not canonical.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from unionclean.errors import InputFileError
from unionclean.export.review import REVIEW_HEADERS
from unionclean.normalize.keys import fold
from unionclean.spec import TemplateSpec

__all__ = ["read_corrections"]


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def read_corrections(path: str | Path, spec: TemplateSpec,
                     written: dict[tuple[str, str], str] | None = None) -> list[dict[str, str]]:
    """Corrections in a returned review workbook.

    Args:
        path: The ``.review.xlsx`` the unit sent back.
        spec: The template spec the review was written with (maps column headers to fields).
        written: What the review file originally showed for each ``(loc, field)`` of the
            "Dòng cần sửa" sheet; a cell counts as corrected only if it differs. Without it,
            only the "Sửa thành" column is read.

    Returns:
        Cell decisions, later entries winning over earlier ones for the same cell.
    """
    p = Path(path)
    try:
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the same message to the user
        raise InputFileError("review.unreadable", p.name) from exc
    by_header = {fold(c.header): c.field for c in spec.columns if c.type != "stt" and not c.part}
    out: dict[tuple[str, str], dict[str, str]] = {}
    try:
        sheet1 = wb[wb.sheetnames[0]]
        rows = sheet1.iter_rows(values_only=True)
        header_row = None
        for row in rows:
            if row and _text(row[0]) == REVIEW_HEADERS[0] and _text(row[1]) == REVIEW_HEADERS[1]:
                header_row = [_text(v) for v in row]
                break
        if header_row is None:
            raise InputFileError("review.not_a_review", p.name)
        idx = {h: i for i, h in enumerate(header_row)}
        fix_col = idx[REVIEW_HEADERS[-1]]
        for row in rows:
            if row is None or len(row) <= fix_col:
                continue
            value = _text(row[fix_col])
            field = by_header.get(fold(_text(row[idx["Cột mẫu"]])))
            if not value or not field:
                continue
            loc = _loc(row[idx["Tệp"]], row[idx["Trang tính"]], row[idx["Dòng"]])
            out[(loc, field)] = {"loc": loc, "field": field, "action": "set", "value": value}
        if written is not None and len(wb.sheetnames) > 1:
            ws = wb[wb.sheetnames[1]]
            it = ws.iter_rows(values_only=True)
            head = [_text(v) for v in next(it, ())]
            fields = {j: by_header.get(fold(h)) for j, h in enumerate(head)}
            for row in it:
                if not row or not row[0]:
                    continue
                loc = _loc(row[0], row[1], row[2])
                for j, f in fields.items():
                    if f is None or j >= len(row):
                        continue
                    value = _text(row[j])
                    before = written.get((loc, f))
                    if before is not None and value and value != before:
                        out.setdefault((loc, f), {"loc": loc, "field": f, "action": "set", "value": value})
    finally:
        wb.close()
    return list(out.values())


def _loc(file: Any, sheet: Any, row: Any) -> str:
    f, s, r = _text(file), _text(sheet), _text(row)
    return f"{f}|{s}|{r}" if s else f"{f}|{r}"
