"""The review workbook ("phiếu rà soát") that goes back to the unit, and ``changes.csv``.

Sheet 1 lists every problem, one line per cell: source location (file, sheet, Excel row,
column letter), template column, original value, proposed value, the reason in Vietnamese,
whether the row was held back, and an empty column for the unit's correction. Sheet 2 shows
each row concerned in the template's shape with the problem cells highlighted, so the unit can
fix them in place and send the file back.
"""
from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path
from typing import Iterable, Sequence

import xlsxwriter

from unionclean.export.atomic import atomic_path
from unionclean.messages import has_message, message
from unionclean.records import Change, MemberRecord, ReviewItem
from unionclean.spec import TemplateSpec

__all__ = ["write_review", "write_changes", "rows_sheet_values", "REVIEW_HEADERS", "CHANGES_HEADERS"]

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
    params = {k: (message(v) if has_message(v) else v) for k, v in it.params.items()}
    if "partner" in params:
        params["partner"] = _field_header(spec, params["partner"])
    return message(it.reason, **params)


def write_review(path: str | Path, spec: TemplateSpec, items: Sequence[ReviewItem],
                 records: dict[int, MemberRecord], *, created: date, unit_name: str = "") -> int:
    """Write the review workbook; returns the number of problem lines."""
    items = sorted(items, key=lambda i: (i.loc.file, i.loc.sheet, i.loc.row, i.field))
    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_numbers": False, "strings_to_formulas": False,
                                            "strings_to_urls": False})
        wb.set_properties({"created": datetime(created.year, created.month, created.day),
                           "title": "Phiếu rà soát", "author": "unionclean"})
        head = wb.add_format({"bold": True, "border": 1, "bg_color": "#DDEBF7", "text_wrap": True})
        hl = wb.add_format({"bg_color": "#FFEB9C", "num_format": "@"})
        txt = wb.add_format({"num_format": "@"})
        bold = wb.add_format({"bold": True})
        ws = wb.add_worksheet("Phiếu rà soát")
        ws.write_string(0, 0, f"PHIẾU RÀ SOÁT DANH SÁCH ĐOÀN VIÊN — {unit_name}".rstrip(" —"), bold)
        ws.write_string(1, 0, "Đơn vị kiểm tra từng dòng, ghi giá trị đúng vào cột \"Sửa thành\" "
                              "(hoặc sửa trực tiếp ở trang \"Dòng cần sửa\") rồi gửi lại tệp này.")
        for j, h in enumerate(REVIEW_HEADERS):
            ws.write_string(2, j, h, head)
        for i, it in enumerate(items, 1):
            r = 2 + i
            ws.write_number(r, 0, i)
            ws.write_string(r, 1, it.loc.file)
            ws.write_string(r, 2, it.loc.sheet)
            ws.write_number(r, 3, it.loc.row)
            ws.write_string(r, 4, it.column)
            ws.write_string(r, 5, _field_header(spec, it.field) if it.field else "")
            ws.write_string(r, 6, it.original, txt)
            ws.write_string(r, 7, it.proposal, txt)
            ws.write_string(r, 8, reason_text(it, spec))
            ws.write_string(r, 9, _HELD if it.held_back else _UPLOADED)
        for j, w in enumerate((5, 28, 16, 7, 9, 22, 26, 22, 60, 22, 24)):
            ws.set_column(j, j, w)
        ws.freeze_panes(3, 0)
        ws.autofilter(2, 0, 2 + len(items), len(REVIEW_HEADERS) - 1)
        _write_rows_sheet(wb, spec, items, records, head, hl, txt)
        wb.close()
    return len(items)


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


def _write_rows_sheet(wb, spec, items, records, head, hl, txt) -> None:
    ws = wb.add_worksheet("Dòng cần sửa")
    cols = [c for c in spec.columns if c.type != "stt" and not c.part]
    fixed = ["Tệp", "Trang tính", "Dòng", "Tình trạng"]
    for j, h in enumerate(fixed + [c.header for c in cols]):
        ws.write_string(0, j, h, head)
    by_row: dict[tuple, list[ReviewItem]] = {}
    for it in items:
        by_row.setdefault((it.loc.file, it.loc.sheet, it.loc.row), []).append(it)
    shown = rows_sheet_values(items, records, spec)
    r = 0
    for key, its in by_row.items():
        rec = records.get(its[0].rec_id) if its[0].rec_id is not None else None
        r += 1
        ws.write_string(r, 0, key[0])
        ws.write_string(r, 1, key[1])
        ws.write_number(r, 2, key[2])
        ws.write_string(r, 3, _HELD if any(i.held_back for i in its) else _UPLOADED)
        if rec is None:
            continue
        loc = str(its[0].loc)
        for j, c in enumerate(cols, len(fixed)):
            if (loc, c.field) in shown:
                ws.write_string(r, j, shown[(loc, c.field)], hl)
            else:
                v = rec.value(c.field)
                if v:
                    ws.write_string(r, j, v, txt)
    ws.freeze_panes(1, 4)


def write_changes(path: str | Path, changes: Iterable[Change]) -> int:
    """``changes.csv`` (UTF-8 with BOM so Excel shows Vietnamese): one line per changed cell."""
    n = 0
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f)
            w.writerow(CHANGES_HEADERS)
            for c in changes:
                w.writerow([c.loc.file, c.loc.sheet, c.loc.row, c.column, c.field, c.before, c.after, c.rule,
                            message(c.rule) if c.rule else ""])
                n += 1
    return n
