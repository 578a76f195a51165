"""Fill a template workbook's data sheet fast: the province-scale path of the upload writer.

xlsxwriter spends ~9 µs a cell; a province upload is ~13 million cells. So the workbook is
built once per template (titles, header, formats, hidden code sheet, drop-downs) by xlsxwriter
as a *skeleton* with one probe data row, and each unit's file is the skeleton with its data
sheet's rows written as inline strings (~0.5 µs a cell) and the unit name put into row 2.
Every other part of the package is copied byte for byte, so the result is exactly the file
xlsxwriter would make, and a fixed creation date keeps it byte-reproducible.
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

from unionclean.export.atomic import atomic_path

__all__ = ["Skeleton", "build_skeleton", "fill_skeleton", "col_letters"]

UNIT_PLACEHOLDER = "\u2063UNIT\u2063"  # invisible separators: never in real text
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@lru_cache(maxsize=64)
def _letters(n: int) -> tuple[str, ...]:
    out = []
    for i in range(n):
        s, k = "", i + 1
        while k:
            k, r = divmod(k - 1, 26)
            s = chr(65 + r) + s
        out.append(s)
    return tuple(out)


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
                t = escape(_ILLEGAL_XML.sub("", str(v)))
                sp = ' xml:space="preserve"' if t[:1].isspace() or t[-1:].isspace() else ""
                cells.append(f'<c r="{ref}"{sk.styles[j]} t="inlineStr"><is><t{sp}>{t}</t></is></c>')
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
