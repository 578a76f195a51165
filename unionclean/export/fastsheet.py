"""Fill a template workbook's data sheet fast: the province-scale path of the upload writer.

xlsxwriter spends ~9 µs a cell; a province upload is ~13 million cells. So the workbook is
built once per template (titles, header, formats, hidden code sheet, drop-downs) by xlsxwriter
as a *skeleton* with one probe data row, and each unit's file is the skeleton with its data
sheet's rows written as inline strings (~0.5 µs a cell) and the unit name put into row 2.
Every other part of the package is copied byte for byte, so the result is exactly the file
xlsxwriter would make, and a fixed creation date keeps it byte-reproducible.

:class:`MultiSkeleton` does the same for a workbook with several data sheets and several cell
styles (the review workbook): each sheet's probe row names the style of each kind of cell.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Sequence
from xml.sax.saxutils import escape

from xlsxwriter.utility import _preserve_whitespace, _utf16_len, _utf16_truncate
from xlsxwriter.xmlwriter import XMLwriter

from unionclean.export.atomic import atomic_path
from unionclean.read.base import column_letter

__all__ = ["Skeleton", "build_skeleton", "fill_skeleton", "col_letters", "MultiSkeleton", "build_multi_skeleton",
           "fill_sheets"]

UNIT_PLACEHOLDER = "\u2063UNIT\u2063"  # invisible separators: never in real text
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
XLS_STRMAX = 32767  # longest string a cell holds (UTF-16 units)
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@lru_cache(maxsize=64)
def _letters(n: int) -> tuple[str, ...]:
    return tuple(column_letter(i) for i in range(n))


def col_letters(n: int) -> tuple[str, ...]:
    """Excel column letters of the first ``n`` columns."""
    return _letters(n)


@dataclass(frozen=True)
class Skeleton:
    """A template workbook split around its data rows."""

    entries: tuple[tuple[zipfile.ZipInfo, bytes], ...]   # every zip member, in order
    sheet_name: str                                       # zip path of the data sheet
    head: str                                             # sheet XML up to the first data row
    tail: str                                             # sheet XML after the last data row
    styles: tuple[str, ...]                               # per column ` s="N"` (or "")
    numeric: tuple[bool, ...]                             # per column: written as a number
    first_row: int
    ncols: int


def build_skeleton(write_probe: Callable[[Path], None], sheet_index: int, first_row: int, ncols: int,
                   numeric: Sequence[bool]) -> Skeleton:
    """Make the skeleton: ``write_probe(path)`` writes the template with exactly one data row
    (row ``first_row``) holding a value in every column, formatted as data cells will be."""
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "skeleton.xlsx"
        write_probe(p)
        with zipfile.ZipFile(p) as z:
            entries = tuple((i, z.read(i.filename)) for i in z.infolist())
    sheet = f"xl/worksheets/sheet{sheet_index + 1}.xml"
    xml = dict((i.filename, b) for i, b in entries)[sheet].decode("utf-8")
    m = re.search(rf'<row r="{first_row}"[^>]*>.*?</row>', xml, flags=re.S)
    if m is None:
        raise ValueError("probe row not found in the skeleton")
    styles = []
    letters = col_letters(ncols)
    for col in letters:
        cm = re.search(rf'<c r="{col}{first_row}"([^>]*)>', m.group(0))
        sm = re.search(r'\ss="(\d+)"', cm.group(1)) if cm else None
        styles.append(f' s="{sm.group(1)}"' if sm else "")
    head = xml[:m.start()]
    tail = xml[m.end():]
    return Skeleton(entries, sheet, head, tail, tuple(styles), tuple(numeric), first_row, ncols)


@lru_cache(maxsize=65_536)
def _inline_text(v: str) -> str:
    """The ``<t>`` element of an inline string (values repeat: code lists, dates, places)."""
    t = escape(_ILLEGAL_XML.sub("", v))
    sp = ' xml:space="preserve"' if t[:1].isspace() or t[-1:].isspace() else ""
    return f"<t{sp}>{t}</t>"


def _rows_xml(sk: Skeleton, rows: Iterable[Sequence[str | int]]) -> tuple[list[str], int]:
    letters = col_letters(sk.ncols)
    parts: list[str] = []
    r = sk.first_row - 1
    for values in rows:
        r += 1
        rs = str(r)
        cells = []
        for j, v in enumerate(values):
            if v == "" or v is None:
                continue
            ref = letters[j] + rs
            if sk.numeric[j]:
                cells.append(f'<c r="{ref}"{sk.styles[j]}><v>{v}</v></c>')
            else:
                cells.append(f'<c r="{ref}"{sk.styles[j]} t="inlineStr"><is>{_inline_text(str(v))}</is></c>')
        parts.append(f'<row r="{rs}">{"".join(cells)}</row>')
    return parts, r


def fill_skeleton(sk: Skeleton, path: str | Path, rows: Iterable[Sequence[str | int]], unit_name: str,
                  created: date) -> int:
    """Write the skeleton with ``rows`` (one sequence of column values per member) to ``path``
    atomically; returns the number of rows."""
    parts, last = _rows_xml(sk, rows)
    n = last - sk.first_row + 1
    head = sk.head.replace(UNIT_PLACEHOLDER, escape(unit_name))
    if last >= sk.first_row:
        head = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{col_letters(sk.ncols)[-1]}{last}"/>',
                      head, count=1)
    else:
        head = re.sub(r'<dimension ref="[^"]*"/>',
                      f'<dimension ref="A1:{col_letters(sk.ncols)[-1]}{sk.first_row - 1}"/>', head, count=1)
    sheet_xml = (head + "".join(parts) + sk.tail).encode("utf-8")
    unit = escape(unit_name).encode("utf-8")
    ts = (created.year, created.month, created.day, 0, 0, 0) if created.year >= 1980 else _ZIP_DATE
    with atomic_path(path) as tmp:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
            for info, data in sk.entries:
                if info.filename == sk.sheet_name:
                    data = sheet_xml
                elif info.filename == "xl/sharedStrings.xml":
                    data = data.replace(UNIT_PLACEHOLDER.encode("utf-8"), unit)
                zi = zipfile.ZipInfo(info.filename, date_time=ts)
                zi.compress_type = zipfile.ZIP_DEFLATED
                zi.external_attr = info.external_attr
                z.writestr(zi, data, compresslevel=1)
    return n


# --------------------------------------------------------------------------- several sheets
SheetCell = tuple  # (0-based column, value: str, or int for a number, style kind)


@dataclass(frozen=True)
class SheetPart:
    """One data sheet of a :class:`MultiSkeleton`, split around its data rows."""

    name: str                        # zip path of the sheet
    head: str
    tail: str
    first_row: int
    styles: tuple[tuple[str, str], ...]  # style kind → ` s="N"` (or "")


@dataclass(frozen=True)
class MultiSkeleton:
    """A workbook with several data sheets, and the shared string that holds the unit's title."""

    entries: tuple[tuple[zipfile.ZipInfo, bytes], ...]
    sheets: tuple[SheetPart, ...]
    title: bytes                     # the probe title, as stored in sharedStrings.xml


def build_multi_skeleton(write_probe: Callable[[Path], None],
                         probes: Sequence[tuple[int, Sequence[SheetCell]]], title: str) -> MultiSkeleton:
    """Make the skeleton of a workbook whose sheet ``i`` has one probe data row ``probes[i]``
    = ``(first_row, cells)``; ``title`` is a shared string replaced by each file's title."""
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "skeleton.xlsx"
        write_probe(p)
        with zipfile.ZipFile(p) as z:
            entries = tuple((i, z.read(i.filename)) for i in z.infolist())
    files = dict((i.filename, b) for i, b in entries)
    parts = []
    for k, (first_row, cells) in enumerate(probes):
        name = f"xl/worksheets/sheet{k + 1}.xml"
        xml = files[name].decode("utf-8")
        m = re.search(rf'<row r="{first_row}"[^>]*>.*?</row>', xml, flags=re.S)
        if m is None:
            raise ValueError(f"probe row not found in {name}")
        styles: dict[str, str] = {}
        letters = col_letters(max(j for j, _, _ in cells) + 1)
        for j, _, kind in cells:
            cm = re.search(rf'<c r="{letters[j]}{first_row}"([^>]*)>', m.group(0))
            sm = re.search(r'\ss="(\d+)"', cm.group(1)) if cm else None
            style = f' s="{sm.group(1)}"' if sm else ""
            if styles.setdefault(kind, style) != style:
                raise ValueError(f"style {kind!r} is not one format in {name}")
        parts.append(SheetPart(name, xml[:m.start()], xml[m.end():], first_row, tuple(styles.items())))
    stored = _cell_text(title).encode("utf-8")
    if stored not in files.get("xl/sharedStrings.xml", b""):
        raise ValueError("title not found in the skeleton's shared strings")
    return MultiSkeleton(entries, tuple(parts), stored)


def _cell_text(v: str) -> str:
    """A string as xlsxwriter stores it: at most 32,767 UTF-16 units, control characters as
    ``_xHHHH_``, XML-escaped."""
    if len(v) > XLS_STRMAX // 2 and _utf16_len(v) > XLS_STRMAX:
        v = _utf16_truncate(v, XLS_STRMAX)
    return escape(XMLwriter._escape_control_characters(v))


def _sheet_rows_xml(part: SheetPart, rows: Sequence[Sequence[SheetCell]]) -> tuple[str, int]:
    styles = dict(part.styles)
    width = max((j for row in rows for j, _, _ in row), default=0) + 1
    letters = col_letters(width)
    out: list[str] = []
    r = part.first_row - 1
    for row in rows:
        r += 1
        rs = str(r)
        cells = []
        for j, v, kind in row:
            ref = letters[j] + rs
            if isinstance(v, int):
                cells.append(f'<c r="{ref}"{styles[kind]}><v>{v}</v></c>')
            else:
                t = _cell_text(v)
                sp = ' xml:space="preserve"' if _preserve_whitespace(t) else ""
                cells.append(f'<c r="{ref}"{styles[kind]} t="inlineStr"><is><t{sp}>{t}</t></is></c>')
        out.append(f'<row r="{rs}">{"".join(cells)}</row>')
    return "".join(out), r


_DIMENSION = re.compile(r'(<dimension ref="A1:[A-Z]+)\d+("/>)')
_AUTOFILTER = re.compile(r'(<autoFilter ref="[A-Z]+\d+:[A-Z]+)\d+("/>)')


def fill_sheets(sk: MultiSkeleton, path: str | Path, sheets: Sequence[Sequence[Sequence[SheetCell]]],
                title: str, created: date) -> None:
    """Write the skeleton with each sheet's rows (``sheets[i]``: rows of ``(column, value,
    style kind)``; ints are numbers) and ``title`` in place of the probe title, atomically. The
    dimension and an autofilter end at the last data row."""
    new: dict[str, bytes] = {}
    filters: dict[int, int] = {}
    for k, (part, rows) in enumerate(zip(sk.sheets, sheets)):
        body, last = _sheet_rows_xml(part, rows)
        head = _DIMENSION.sub(lambda m: f"{m.group(1)}{last}{m.group(2)}", part.head, count=1)
        tail = part.tail
        if _AUTOFILTER.search(tail):
            tail = _AUTOFILTER.sub(lambda m: f"{m.group(1)}{last}{m.group(2)}", tail, count=1)
            filters[k] = last
        new[part.name] = (head + body + tail).encode("utf-8")
    shown = _cell_text(title)
    if _preserve_whitespace(shown):
        raise ValueError("a title with leading or trailing spaces")
    ts = (created.year, created.month, created.day, 0, 0, 0) if created.year >= 1980 else _ZIP_DATE
    with atomic_path(path) as tmp:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
            for info, data in sk.entries:
                if info.filename in new:
                    data = new[info.filename]
                elif info.filename == "xl/sharedStrings.xml":
                    data = data.replace(sk.title, shown.encode("utf-8"), 1)
                elif info.filename == "xl/workbook.xml" and filters:
                    data = _filter_names(data.decode("utf-8"), filters).encode("utf-8")
                zi = zipfile.ZipInfo(info.filename, date_time=ts)
                zi.compress_type = zipfile.ZIP_DEFLATED
                zi.external_attr = info.external_attr
                z.writestr(zi, data, compresslevel=1)


def _filter_names(xml: str, filters: dict[int, int]) -> str:
    """Move the end row of each sheet's hidden ``_xlnm._FilterDatabase`` name."""
    def fix(m: re.Match) -> str:
        k = int(m.group(2))
        if k not in filters:
            return m.group(0)
        return f"{m.group(1)}{filters[k]}{m.group(4)}"

    return re.sub(r'(<definedName name="_xlnm\._FilterDatabase" localSheetId="(\d+)"[^>]*>[^<]*\$[A-Z]+\$)'
                  r'(\d+)(</definedName>)', fix, xml)
