"""The review workbook ("phiếu rà soát") that goes back to the unit, and ``changes.csv``.

Sheet 1 lists every problem, one line per cell: source location (file, sheet, Excel row,
column letter), template column, original value, proposed value, the reason in Vietnamese,
whether the row was held back, and an empty column for the unit's correction. Sheet 2 shows
each row concerned in the template's shape with the problem cells highlighted, so the unit can
fix them in place and send the file back.
"""
from __future__ import annotations

import codecs
import re
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

import xlsxwriter

from unionclean.export.atomic import atomic_path
from unionclean.export.fastsheet import (UNIT_PLACEHOLDER, MultiSkeleton, build_multi_skeleton,
                                         fill_sheets)
from unionclean.messages import explain
from unionclean.records import Change, MemberRecord, ReviewItem
from unionclean.spec import TemplateSpec

__all__ = ["write_review", "write_review_reference", "write_changes", "rows_sheet_values", "REVIEW_HEADERS",
           "CHANGES_HEADERS"]

REVIEW_HEADERS = ["STT", "Tệp", "Trang tính", "Dòng", "Cột nguồn", "Cột mẫu", "Giá trị gốc",
                  "Giá trị đề xuất", "Lý do", "Tình trạng", "Sửa thành (đơn vị ghi)"]
CHANGES_HEADERS = ["Tệp", "Trang tính", "Dòng", "Cột", "Trường", "Trước", "Sau", "Quy tắc", "Giải thích"]
_HELD = "Giữ lại, chưa tải lên"
_UPLOADED = "Đã tải lên, cần xem lại"


def _field_header(spec: TemplateSpec, f: str) -> str:
    for c in spec.columns:
        if c.field == f and not c.part:
            return c.header
    for c in spec.columns:
        if c.field == f:
            return c.header
    return f


def reason_text(it: ReviewItem, spec: TemplateSpec) -> str:
    """The Vietnamese reason of a review item; parameters that are codes become their text."""
    params = it.params
    if "partner" in params:
        params = {**params, "partner": _field_header(spec, params["partner"])}
    return explain(it.reason, params)


_ReviewCell = tuple[int, "str | int", str]  # column, value, style ("", "txt" or "hl")
_INSTRUCTION = ("Đơn vị kiểm tra từng dòng, ghi giá trị đúng vào cột \"Sửa thành\" "
                "(hoặc sửa trực tiếp ở trang \"Dòng cần sửa\") rồi gửi lại tệp này.")
_EXCEL_ESCAPED = re.compile(r"_x[0-9A-Fa-f]{4}_|[\x00-\x08\x0b-\x1f]")
_FIXED = ["Tệp", "Trang tính", "Dòng", "Tình trạng"]
_WIDTHS = (5, 28, 16, 7, 9, 22, 26, 22, 60, 22, 24)


def _title(unit_name: str) -> str:
    return f"PHIẾU RÀ SOÁT DANH SÁCH ĐOÀN VIÊN — {unit_name}".rstrip(" —")


def _row_columns(spec: TemplateSpec) -> list:
    return [c for c in spec.columns if c.type != "stt" and not c.part]


def _problem_rows(spec: TemplateSpec, items: Sequence[ReviewItem]) -> list[list[_ReviewCell]]:
    """Sheet 1 ("Phiếu rà soát"): one row per problem."""
    headers: dict[str, str] = {}
    rows = []
    for i, it in enumerate(items, 1):
        if it.field and it.field not in headers:
            headers[it.field] = _field_header(spec, it.field)
        rows.append([(0, i, ""), (1, it.loc.file, ""), (2, it.loc.sheet, ""), (3, it.loc.row, ""),
                     (4, it.column, ""), (5, headers[it.field] if it.field else "", ""),
                     (6, it.original, "txt"), (7, it.proposal, "txt"), (8, reason_text(it, spec), ""),
                     (9, _HELD if it.held_back else _UPLOADED, "")])
    return rows  # type: ignore[return-value]


def _record_rows(spec: TemplateSpec, items: Sequence[ReviewItem],
                 records: dict[int, MemberRecord]) -> list[list[_ReviewCell]]:
    """Sheet 2 ("Dòng cần sửa"): each row concerned in the template's shape, problem cells
    highlighted."""
    fields = [(j, c.field) for j, c in enumerate(_row_columns(spec), len(_FIXED))]
    by_row: dict[tuple, list[ReviewItem]] = {}
    for it in items:
        by_row.setdefault((it.loc.file, it.loc.sheet, it.loc.row), []).append(it)
    shown: dict[str, dict[str, str]] = {}  # loc → field → highlighted value
    for (loc, f), v in rows_sheet_values(items, records, spec).items():
        shown.setdefault(loc, {})[f] = v
    rows = []
    for key, its in by_row.items():
        rec = records.get(its[0].rec_id) if its[0].rec_id is not None else None
        row: list[_ReviewCell] = [(0, key[0], ""), (1, key[1], ""), (2, key[2], ""),
                                  (3, _HELD if any(i.held_back for i in its) else _UPLOADED, "")]
        rows.append(row)
        if rec is None:
            continue
        marked = shown.get(str(its[0].loc), {})
        for j, f in fields:
            if f in marked:
                row.append((j, marked[f], "hl"))
            else:
                v = rec.value(f)
                if v:
                    row.append((j, v, "txt"))
    return rows


def rows_sheet_values(items: Sequence[ReviewItem], records: dict[int, MemberRecord],
                      spec: TemplateSpec) -> dict[tuple[str, str], str]:
    """What the "Dòng cần sửa" sheet shows in each highlighted cell, keyed ``(loc, field)``:
    the canonical value if any, else the source text. Reading a returned review file compares
    against this to find the cells the unit corrected."""
    shown: dict[tuple[str, str], str] = {}
    for it in items:
        rec = records.get(it.rec_id) if it.rec_id is not None else None
        if rec is None or not it.field:
            continue
        raw = rec.raw.get(it.field)
        shown[(str(it.loc), it.field)] = rec.value(it.field) or (raw.text if raw is not None else "")
    return shown


def _sorted(items: Sequence[ReviewItem]) -> list[ReviewItem]:
    return sorted(items, key=lambda i: (i.loc.file, i.loc.sheet, i.loc.row, i.field))


def _excel_escaped(texts: list[str]) -> bool:
    """Whether any text holds what Excel writes as ``_xHHHH_`` (see :data:`_EXCEL_ESCAPED`)."""
    # Joined by " ", which the pattern cannot match or span: printable text (no control
    # characters) without "_x" has none, and two fast scans tell; otherwise the pattern.
    joined = " ".join(texts)
    if joined.isprintable() and "_x" not in joined:
        return False
    return any(_EXCEL_ESCAPED.search(t) for t in texts)


def write_review(path: str | Path, spec: TemplateSpec, items: Sequence[ReviewItem],
                 records: dict[int, MemberRecord], *, created: date, unit_name: str = "") -> int:
    """Write the review workbook; returns the number of problem lines.

    The workbook is made once per template by xlsxwriter (:func:`write_review_reference`)
    and each unit's rows are filled into it (see :mod:`.fastsheet`)."""
    items = _sorted(items)
    title = _title(unit_name)
    rows1 = _problem_rows(spec, items)
    rows2 = _record_rows(spec, items, records)
    if _excel_escaped([v for rows in (rows1, rows2) for row in rows for _, v, _ in row if isinstance(v, str)]
                      + [title]):
        # Text that Excel stores as ``_xHHHH_`` escapes reads back differently from an inline
        # string than from a shared one: such (rare) files take the reference writer.
        with atomic_path(path) as tmp:
            _write_workbook(tmp, spec, title, rows1, rows2, created)
    else:
        fill_sheets(_skeleton(spec, created), path, [rows1, rows2], title, created)
    return len(items)


def write_review_reference(path: str | Path, spec: TemplateSpec, items: Sequence[ReviewItem],
                           records: dict[int, MemberRecord], *, created: date, unit_name: str = "") -> int:
    """The same workbook written cell by cell by xlsxwriter (the reference the fast path is
    tested against, and the maker of its skeleton)."""
    items = _sorted(items)
    with atomic_path(path) as tmp:
        _write_workbook(tmp, spec, _title(unit_name), _problem_rows(spec, items),
                        _record_rows(spec, items, records), created)
    return len(items)


def _write_workbook(path: Path, spec: TemplateSpec, title: str, rows1: list[list[_ReviewCell]],
                    rows2: list[list[_ReviewCell]], created: date) -> None:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                        "strings_to_urls": False})
    wb.set_properties({"created": datetime(created.year, created.month, created.day),
                       "title": "Phiếu rà soát", "author": "unionclean"})
    head = wb.add_format({"bold": True, "border": 1, "bg_color": "#DDEBF7", "text_wrap": True})
    styles = {"": None, "hl": wb.add_format({"bg_color": "#FFEB9C", "num_format": "@"}),
              "txt": wb.add_format({"num_format": "@"})}
    bold = wb.add_format({"bold": True})
    ws = wb.add_worksheet("Phiếu rà soát")
    ws.write_string(0, 0, title, bold)
    ws.write_string(1, 0, _INSTRUCTION)
    for j, h in enumerate(REVIEW_HEADERS):
        ws.write_string(2, j, h, head)
    _write_rows(ws, 3, rows1, styles)
    for j, w in enumerate(_WIDTHS):
        ws.set_column(j, j, w)
    ws.freeze_panes(3, 0)
    ws.autofilter(2, 0, 2 + len(rows1), len(REVIEW_HEADERS) - 1)
    ws2 = wb.add_worksheet("Dòng cần sửa")
    for j, h in enumerate(_FIXED + [c.header for c in _row_columns(spec)]):
        ws2.write_string(0, j, h, head)
    _write_rows(ws2, 1, rows2, styles)
    ws2.freeze_panes(1, 4)
    wb.close()


def _write_rows(ws, first: int, rows: list[list[_ReviewCell]], styles: dict) -> None:
    for r, row in enumerate(rows, first):
        for j, v, style in row:
            if isinstance(v, int):
                ws.write_number(r, j, v, styles[style])
            else:
                ws.write_string(r, j, v, styles[style])


@lru_cache(maxsize=8)
def _skeleton(spec: TemplateSpec, created: date) -> MultiSkeleton:
    """The review workbook with one probe row per sheet: sheet 1 shows every column (number
    and text cells, text format in G), sheet 2 a highlighted cell (E) and a text cell (F)."""
    probe1 = [[(j, 1 if j in (0, 3) else "x", "txt" if j in (6, 7) else "") for j in range(10)]]
    probe2 = [[(0, "x", ""), (1, "x", ""), (2, 1, ""), (3, "x", ""), (4, "x", "hl"), (5, "x", "txt")]]

    def write_probe(p: Path) -> None:
        _write_workbook(p, spec, _title(UNIT_PLACEHOLDER), probe1, probe2, created)  # type: ignore[arg-type]

    return build_multi_skeleton(write_probe, [(4, probe1[0]), (2, probe2[0])], _title(UNIT_PLACEHOLDER))


def warm_up(spec: TemplateSpec, created: date) -> None:
    """Make the skeleton now (before worker processes fork)."""
    _skeleton(spec, created)


_CSV_LINE = "\r\n"                        # csv.writer's line end


def _csv_field(v: object) -> str:
    """One field exactly as ``csv.writer`` writes it (None empty, others str(); fields with a
    comma, a quote or a line break quoted, quotes doubled)."""
    s = v if isinstance(v, str) else "" if v is None else str(v)
    if "," in s or '"' in s or "\n" in s or "\r" in s:
        return '"' + s.replace('"', '""') + '"'
    return s


def _csv_line(fields: Sequence[object]) -> str:
    return ",".join(_csv_field(f) for f in fields) + _CSV_LINE


class _LineEnds(dict):
    """(rule, params) → the end of its ``changes.csv`` lines, ``,rule,explanation`` and the line
    end (made once per rule and params: a province repeats a few thousand of them)."""

    def __missing__(self, key: tuple) -> str:
        rule, params = key[0], dict(key[1:])
        text = explain(rule, params) if rule else ""
        end = self[key] = f",{_csv_field(rule)},{_csv_field(text)}{_CSV_LINE}"
        return end


#: The line ends of every file a process writes (a unit's few dozen rules and params are
#: mostly those of the unit before); emptied when it grows past the limit.
_LINE_ENDS = _LineEnds()
_LINE_ENDS_LIMIT = 50_000


def write_changes(path: str | Path, changes: Iterable[Change]) -> int:
    """``changes.csv`` (UTF-8 with BOM so Excel shows Vietnamese): one line per changed cell.

    The bytes are those of ``csv.writer``, which looks at every character. A province has
    millions of changed cells, so here each line is one f-string: the location (file, sheet,
    row) and the rule with its explanation repeat and are formatted once each; only a line
    whose values hold a comma, a quote or a line break (or are not strings) goes field by
    field."""
    ends = _LINE_ENDS
    if len(ends) > _LINE_ENDS_LIMIT:
        ends.clear()
    lines = [_csv_line(CHANGES_HEADERS)]
    append = lines.append
    last_loc = None
    start = ""  # "file,sheet,row," of the last location seen (a record's changes are together)
    for c in changes:
        loc = c.loc
        if loc is not last_loc:
            last_loc = loc
            row = loc.row
            row_text = row if type(row) is int else _csv_field(row)
            start = f"{_csv_field(loc.file)},{_csv_field(loc.sheet)},{row_text},"
        try:  # a value that is not a string (None…) raises here and goes field by field
            middle = ",".join((c.column, c.field, c.before, c.after))
        except TypeError:
            middle = ""
        if middle.count(",") != 3 or '"' in middle or "\n" in middle or "\r" in middle:
            middle = ",".join(map(_csv_field, (c.column, c.field, c.before, c.after)))
        params = c.params
        append(f"{start}{middle}{ends[(c.rule, *params.items()) if params else (c.rule,)]}")
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as f:
            f.write(codecs.BOM_UTF8)  # what "utf-8-sig" puts first, without copying the text again
            f.write("".join(lines).encode("utf-8"))
    return len(lines) - 1
