"""Write the upload file exactly as the template spec says (xlsxwriter, streaming)."""
from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Sequence

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from unionclean.export.atomic import atomic_path
from unionclean.export.fastsheet import UNIT_PLACEHOLDER, Skeleton, build_skeleton, fill_skeleton_columns
from unionclean.records import MemberRecord, field_values
from unionclean.spec import ColumnSpec, TemplateSpec

__all__ = ["write_upload", "write_upload_records", "write_upload_reference", "column_value", "code_list_values"]


def code_list_values(name: str) -> list[str]:
    """Canonical values of a code list (for the hidden ``Danh mục`` sheet and drop-downs)."""
    from unionclean.normalize.codes import code_values

    return list(code_values(name))


def column_value(col: ColumnSpec, values: dict[str, str]) -> str:
    """The text one template column shows for a member (handles split name columns)."""
    return _part_value(col, values.get(col.field, ""))


def _part_value(col: ColumnSpec, v: str) -> str:
    """The part of the field value ``v`` that the column shows (all of it unless split)."""
    if col.part and v:
        from unionclean.normalize.names import split_name

        family_middle, given = split_name(v)
        if col.part == "given":
            return given
        if col.part == "family_middle":
            return family_middle
        words = family_middle.split(" ")
        return words[0] if col.part == "family" else " ".join(words[1:])
    return v


def _write_workbook(path: Path, spec: TemplateSpec, unit_name: str, rows: Iterable[dict[str, str]],
                    created: date) -> int:
    """The whole template workbook with xlsxwriter (also used to make the fast path's skeleton)."""
    n = 0
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                         "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"created": datetime(created.year, created.month, created.day),
                       "title": spec.name, "author": "unionclean"})
    ws = wb.add_worksheet(spec.sheet)
    codes_ws = wb.add_worksheet(spec.code_sheet) if spec.code_sheet else None
    fmt_title = wb.add_format({"bold": True, "font_size": 14, "align": "center"})
    fmt_head = wb.add_format({"bold": True, "border": 1, "text_wrap": True, "align": "center",
                              "valign": "vcenter", "bg_color": "#DDEBF7"})
    fmt_text = wb.add_format({"num_format": "@"})
    cols: Sequence[ColumnSpec] = spec.columns
    last = len(cols) - 1
    for i, text in enumerate(spec.title_rows):
        text = text.replace("{unit}", unit_name)
        if i == 0:
            ws.merge_range(0, 0, 0, last, text, fmt_title)
        else:
            ws.write_string(i, 0, text)
    hr = spec.header_row - 1
    for j, c in enumerate(cols):
        ws.write_string(hr, j, c.header, fmt_head)
        ws.set_column(j, j, max(8, min(40, len(c.header) + 4)), fmt_text if c.text_format else None)
    r = spec.first_data_row - 1
    for values in rows:
        n += 1
        for j, c in enumerate(cols):
            if c.type == "stt":
                ws.write_number(r, j, n)
                continue
            v = column_value(c, values)
            if v:
                ws.write_string(r, j, v, fmt_text if c.text_format else None)
        r += 1
    if codes_ws is not None:
        _write_code_sheet(codes_ws, spec, ws, _VALIDATION_ROWS)
    ws.freeze_panes(spec.first_data_row - 1, 2)
    ws.activate()
    wb.close()
    return n


_VALIDATION_ROWS = 100_000  # drop-downs cover this many rows below the header


@lru_cache(maxsize=8)
def _skeleton(spec: TemplateSpec, created: date) -> Skeleton:
    probe = {c.field: "x" for c in spec.columns}

    def write_probe(p: Path) -> None:
        _write_workbook(p, spec, UNIT_PLACEHOLDER, [probe], created)

    return build_skeleton(write_probe, 0, spec.first_data_row, len(spec.columns),
                          [c.type == "stt" for c in spec.columns])


def warm_up(spec: TemplateSpec, created: date) -> None:
    """Make the skeleton now (before worker processes fork)."""
    _skeleton(spec, created)


def write_upload(path: str | Path, spec: TemplateSpec, unit_name: str, rows: Iterable[dict[str, str]],
                 *, created: date) -> int:
    """Write the upload workbook for one unit; returns the number of member rows written.

    ``rows`` are dicts field → canonical value, in output order. ``created`` fixes the
    workbook's creation date so that a replay is byte-identical. The template is made once
    per spec by xlsxwriter; each unit's rows are filled into it (see :mod:`.fastsheet`).
    """
    rows = list(rows)
    return _write_columns(path, spec, unit_name, len(rows), lambda f: [v.get(f, "") for v in rows], created)


def write_upload_records(path: str | Path, spec: TemplateSpec, unit_name: str, records: Iterable[MemberRecord],
                         *, created: date) -> int:
    """The same file as :func:`write_upload` given ``{f: r.value(f) for f in spec.fields}``
    for each record, without making that dict per member: the values are taken field by
    field straight into the sheet's columns (the pipeline's path)."""
    records = list(records)
    return _write_columns(path, spec, unit_name, len(records), lambda f: field_values(records, f), created)


def _write_columns(path: str | Path, spec: TemplateSpec, unit_name: str, n: int,
                   values: Callable[[str], Sequence[str]], created: date) -> int:
    """Fill the skeleton column by column; ``values(field)`` gives a field's n values."""
    columns: list[Sequence[str | int]] = []
    for c in spec.columns:
        if c.type == "stt":
            columns.append(range(1, n + 1))
        elif c.part:
            columns.append([_part_value(c, v) for v in values(c.field)])
        else:
            columns.append(values(c.field))
    return fill_skeleton_columns(_skeleton(spec, created), path, columns, n, unit_name, created)


def write_upload_reference(path: str | Path, spec: TemplateSpec, unit_name: str,
                           rows: Iterable[dict[str, str]], *, created: date) -> int:
    """The same workbook written cell by cell by xlsxwriter (the reference the fast path is
    tested against, and the blank template in ``data_templates/``)."""
    with atomic_path(path) as tmp:
        return _write_workbook(tmp, spec, unit_name, rows, created)


def _write_code_sheet(codes_ws, spec: TemplateSpec, ws, last_row: int) -> None:
    """Fill the hidden code-list sheet row by row (constant-memory mode writes rows in order)
    and point a drop-down validation of each coded column at its list."""
    cols = list(spec.columns)
    coded = [(cols.index(c), c, code_list_values(c.codes)) for c in cols if c.codes]
    for j, (_, c, _) in enumerate(coded):
        codes_ws.write_string(0, j, c.header)
    depth = max((len(v) for _, _, v in coded), default=0)
    for i in range(depth):
        for j, (_, _, vals) in enumerate(coded):
            if i < len(vals):
                codes_ws.write_string(i + 1, j, vals[i])
    for j, (col_idx, c, vals) in enumerate(coded):
        if vals:
            letter = xl_col_to_name(j)
            src = f"='{spec.code_sheet}'!${letter}$2:${letter}${len(vals) + 1}"
            ws.data_validation(spec.first_data_row - 1, col_idx, last_row, col_idx,
                               {"validate": "list", "source": src, "error_type": "warning"})
    codes_ws.hide()
