"""Fill a template workbook's data sheet fast: the province-scale path of the upload writer.

xlsxwriter spends ~9 µs a cell; a province upload is ~13 million cells. So the workbook is
built once per template (titles, header, formats, hidden code sheet, drop-downs) by xlsxwriter
as a *skeleton* with one probe data row, and each unit's file is the skeleton with its data
sheet's rows written as inline strings (~0.2 µs a cell) and the unit name put into row 2.
Every other part of the package is copied byte for byte, so the result is exactly the file
xlsxwriter would make, and a fixed creation date keeps it byte-reproducible.

:class:`MultiSkeleton` does the same for a workbook with several data sheets and several cell
styles (the review workbook): each sheet's probe row names the style of each kind of cell.

Most values need no escaping at all: one check over all of a file's values joined
(:func:`_all_plain`) lets the cells be plain f-strings, with no call per cell; otherwise each
distinct value is escaped once per file (:class:`_TextCells`). The zip package is written by
:func:`_write_zip`, which lays out exactly the bytes :mod:`zipfile` writes (deflate level 1)
but deflates the parts that never change (styles, theme, the hidden code sheet…) once per
skeleton instead of once per file.
"""
from __future__ import annotations

import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import chain, repeat, zip_longest
from pathlib import Path
from typing import Callable, Iterable, Sequence
from xml.sax.saxutils import escape

from xlsxwriter.utility import _preserve_whitespace, _utf16_len, _utf16_truncate
from xlsxwriter.xmlwriter import XMLwriter

from unionclean.export.atomic import atomic_path
from unionclean.read.base import column_letter

__all__ = ["Skeleton", "build_skeleton", "fill_skeleton", "fill_skeleton_columns", "col_letters", "MultiSkeleton",
           "build_multi_skeleton", "fill_sheets"]

UNIT_PLACEHOLDER = "\u2063UNIT\u2063"  # invisible separators: never in real text
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
XLS_STRMAX = 32767  # longest string a cell holds (UTF-16 units)
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# What xlsxwriter's ``_escape_control_characters`` rewrites: text without it passes unchanged.
_EXCEL_CONTROL = re.compile(r"_x[0-9a-fA-F]{4}_|[\x00-\x08\x0b-\x1f]")


@lru_cache(maxsize=64)
def _letters(n: int) -> tuple[str, ...]:
    return tuple(column_letter(i) for i in range(n))


def col_letters(n: int) -> tuple[str, ...]:
    """Excel column letters of the first ``n`` columns."""
    return _letters(n)


# --------------------------------------------------------------------------- zip package
@dataclass(frozen=True)
class _Packed:
    """One zip member, deflated as :mod:`zipfile` deflates it (level 1, raw deflate)."""

    name: str
    external_attr: int
    crc: int
    size: int
    deflated: bytes


def _pack(name: str, external_attr: int, data: bytes) -> _Packed:
    # The same compressor and the same calls as zipfile's ``writestr(..., compresslevel=1)``
    # (one ``compress`` of the whole member, then ``flush``), so the bytes are the same.
    c = zlib.compressobj(1, zlib.DEFLATED, -15)
    deflated = c.compress(data) + c.flush()
    return _Packed(name, external_attr, zlib.crc32(data), len(data), deflated)


def _pack_all(entries: Sequence[tuple[zipfile.ZipInfo, bytes]], dynamic: Iterable[str]) -> tuple[_Packed | None, ...]:
    """Each member deflated once, except the ``dynamic`` ones (None) that each file rewrites."""
    dyn = set(dynamic)
    return tuple(None if i.filename in dyn else _pack(i.filename, i.external_attr, b) for i, b in entries)


_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")      # zipfile.structFileHeader
_CENTRAL_HEADER = struct.Struct("<4s4B4HL2L5H2L")  # zipfile.structCentralDir
_END_RECORD = struct.Struct("<4s4H2LH")            # zipfile.structEndArchive
_ZIP_VERSION = 20                                  # zipfile.DEFAULT_VERSION
_CREATE_SYSTEM = zipfile.ZipInfo().create_system   # 3 (Unix) or 0 (Windows), as zipfile writes it
_UTF8_NAME = 0x800
# zipfile writes ZIP64 records for a member whose size * 1.05 passes this (or an archive past
# it); _write_zip leaves such (> 2 GB) archives to zipfile.
_ZIP64_LIMIT = (1 << 31) - 1


def _write_zip(path: str | Path, members: Sequence[_Packed], ts: tuple[int, ...]) -> None:
    """Write ``members`` as a zip file atomically, byte for byte what ``zipfile.ZipFile(...,
    "w", ZIP_DEFLATED)`` with ``writestr(ZipInfo(name, ts), data, compresslevel=1)`` writes."""
    if len(members) >= 0xFFFF or any(m.size * 1.05 > _ZIP64_LIMIT for m in members) \
            or sum(len(m.deflated) + 200 for m in members) > _ZIP64_LIMIT:
        _write_zip_with_zipfile(path, members, ts)
        return
    dosdate = (ts[0] - 1980) << 9 | ts[1] << 5 | ts[2]
    dostime = ts[3] << 11 | ts[4] << 5 | (ts[5] // 2)
    body: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for m in members:
        try:
            name, flags = m.name.encode("ascii"), 0
        except UnicodeEncodeError:
            name, flags = m.name.encode("utf-8"), _UTF8_NAME
        attr = m.external_attr or 0o600 << 16  # zipfile's default permissions
        n = len(m.deflated)
        local = _LOCAL_HEADER.pack(b"PK\x03\x04", _ZIP_VERSION, 0, flags, zipfile.ZIP_DEFLATED, dostime, dosdate,
                                   m.crc, n, m.size, len(name), 0)
        central.append(_CENTRAL_HEADER.pack(b"PK\x01\x02", _ZIP_VERSION, _CREATE_SYSTEM, _ZIP_VERSION, 0, flags,
                                            zipfile.ZIP_DEFLATED, dostime, dosdate, m.crc, n, m.size, len(name),
                                            0, 0, 0, 0, attr, offset))
        central.append(name)
        body += (local, name, m.deflated)
        offset += len(local) + len(name) + n
    directory = b"".join(central)
    body += (directory, _END_RECORD.pack(b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), offset, 0))
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as f:
            f.write(b"".join(body))


def _write_zip_with_zipfile(path: str | Path, members: Sequence[_Packed], ts: tuple[int, ...]) -> None:
    """The :mod:`zipfile` way (ZIP64 records when needed): members are inflated again first."""
    with atomic_path(path) as tmp:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
            for m in members:
                zi = zipfile.ZipInfo(m.name, date_time=ts)  # type: ignore[arg-type]
                zi.compress_type = zipfile.ZIP_DEFLATED
                zi.external_attr = m.external_attr
                z.writestr(zi, zlib.decompress(m.deflated, -15), compresslevel=1)


def _zip_date(created: date) -> tuple[int, ...]:
    return (created.year, created.month, created.day, 0, 0, 0) if created.year >= 1980 else _ZIP_DATE


# --------------------------------------------------------------------------- cells
class _TextCells(dict):
    """Text value → the XML of its cell after the cell reference's row number, for one cell
    style: ``" s="3" t="inlineStr"><is><t>Kinh</t></is></c>``.

    Values repeat within a sheet (code lists, dates, places), so each is escaped once per
    file; one dict per file keeps the memory bounded. Unless ``keep_empty``, an empty value
    (``""`` or None) maps to "": no cell at all."""

    __slots__ = ("style", "text", "keep_empty")

    def __init__(self, style: str, text: Callable[[str], str], keep_empty: bool = False):
        super().__init__()
        self.style, self.text, self.keep_empty = style, text, keep_empty
        if not keep_empty:
            self[""] = ""

    def __missing__(self, v: object) -> str:
        if v is None and not self.keep_empty:
            return ""
        end = f'"{self.style} t="inlineStr"><is>{self.text(str(v))}</is></c>'
        if type(v) is str:  # not 1 and True (equal keys that show differently)
            self[v] = end
        return end


def _number_end(style: str, v: object) -> str:
    """The XML of a number cell after the cell reference's row number."""
    return f'"{style}><v>{v}</v></c>'


# --------------------------------------------------------------------------- one data sheet
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
    packed: tuple[_Packed | None, ...] = ()               # entries deflated once; None: per file


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
    dynamic = [sheet] + [i.filename for i, b in entries
                         if i.filename == "xl/sharedStrings.xml" and UNIT_PLACEHOLDER.encode("utf-8") in b]
    return Skeleton(entries, sheet, head, tail, tuple(styles), tuple(numeric), first_row, ncols,
                    _pack_all(entries, dynamic))


@lru_cache(maxsize=65_536)
def _inline_text(v: str) -> str:
    """The ``<t>`` element of an inline string (values repeat: code lists, dates, places)."""
    t = escape(_ILLEGAL_XML.sub("", v))
    sp = ' xml:space="preserve"' if t[:1].isspace() or t[-1:].isspace() else ""
    return f"<t{sp}>{t}</t>"


def _all_plain(columns: Sequence[Sequence[object]], text: Callable[[str], str], long: int | None = None) -> bool:
    """Whether every value of ``columns`` is a string that ``text`` (:func:`_inline_text` or
    :func:`_shared_text`) writes as it is, ``text(v) == f"<t>{v}</t>"``: no XML specials, no
    control characters, no edge whitespace, no ``_xHHHH_``, not longer than ``long``. Checked
    in a few passes over all the values joined instead of a call each; where that cannot
    tell (rare: tabs, line breaks, non-breaking spaces…), value by value."""
    n = sum(map(len, columns))
    try:
        # "<" joins them: a value that holds one is not plain anyway, so the count tells.
        joined = "<".join(chain.from_iterable(columns))  # type: ignore[arg-type]
    except TypeError:  # a value that is not a string (None, a number)
        return False
    if joined.count("<") != max(n - 1, 0) or "&" in joined or ">" in joined:
        return False
    # Printable: no control characters and no whitespace but " " (the others are not).
    if joined.isprintable() and "_x" not in joined and (long is None or len(joined) <= long or all(
            len(v) <= long for v in chain.from_iterable(columns))):  # type: ignore[arg-type]
        return not (joined[:1] == " " or joined[-1:] == " " or " <" in joined or "< " in joined)
    return all(text(v) == f"<t>{v}</t>" for v in chain.from_iterable(columns))  # type: ignore[arg-type]


_DIMENSION_ANY = re.compile(r'<dimension ref="[^"]*"/>')


def fill_skeleton(sk: Skeleton, path: str | Path, rows: Iterable[Sequence[str | int]], unit_name: str,
                  created: date) -> int:
    """Write the skeleton with ``rows`` (one sequence of column values per member) to ``path``
    atomically; returns the number of rows."""
    rows = list(rows)
    columns = list(zip_longest(*rows, fillvalue="")) if rows else []
    while len(columns) > sk.ncols:  # values past the template's columns may only be empty
        if any(v != "" and v is not None for v in columns.pop()):
            raise IndexError("a row has more values than the template has columns")
    return fill_skeleton_columns(sk, path, columns, len(rows), unit_name, created)


def fill_skeleton_columns(sk: Skeleton, path: str | Path, columns: Sequence[Sequence[str | int]], nrows: int,
                          unit_name: str, created: date) -> int:
    """:func:`fill_skeleton` with the values given column by column: ``columns[j][i]`` is
    column ``j`` of member ``i`` (``nrows`` members; missing trailing columns are empty).
    Empty values (``""`` or None) leave the cell out. Returns ``nrows``."""
    if len(columns) > sk.ncols:
        raise IndexError("more columns than the template has")
    first = sk.first_row
    last = first + nrows - 1
    numbers = [str(r) for r in range(first, last + 1)]
    # The sheet's rows are built column by column: each column's cells in one comprehension
    # (``<c r="`` + letter + row number + the rest of the cell), then interleaved row by row
    # with the ``<row>`` tags and joined once.
    cells: list[list[str]] = []
    letters = col_letters(sk.ncols)
    texts = [j for j in range(len(columns)) if not sk.numeric[j]]
    all_plain = _all_plain([columns[j] for j in texts], _inline_text)
    for j, values in enumerate(columns):
        if len(values) != nrows:
            raise ValueError(f"column {j} has {len(values)} values for {nrows} rows")
        start, style = f'<c r="{letters[j]}', sk.styles[j]
        if sk.numeric[j]:
            cells.append(["" if v == "" or v is None else start + rs + _number_end(style, v)
                          for rs, v in zip(numbers, values)])
        elif all_plain or _all_plain([values], _inline_text):
            # Plain strings are their own XML text: no call per cell. An empty one has no cell.
            mid = f'"{style} t="inlineStr"><is><t>'
            cells.append([f"{start}{rs}{mid}{v}</t></is></c>" if v else "" for rs, v in zip(numbers, values)])
        else:
            ends = _TextCells(style, _inline_text)
            # ``end and …``: an empty value has no cell at all.
            cells.append([(end := ends[v]) and start + rs + end for rs, v in zip(numbers, values)])
    opens = [f'<row r="{rs}">' for rs in numbers]
    body = "".join(chain.from_iterable(zip(opens, *cells, repeat("</row>"))))
    head = sk.head.replace(UNIT_PLACEHOLDER, escape(unit_name))
    end_row = last if nrows else first - 1
    head = _DIMENSION_ANY.sub(f'<dimension ref="A1:{col_letters(sk.ncols)[-1]}{end_row}"/>', head, count=1)
    sheet_xml = (head + body + sk.tail).encode("utf-8")
    unit = escape(unit_name).encode("utf-8")
    members = []
    for (info, data), packed in zip(sk.entries, sk.packed):
        if packed is None:
            if info.filename == sk.sheet_name:
                data = sheet_xml
            elif info.filename == "xl/sharedStrings.xml":
                data = data.replace(UNIT_PLACEHOLDER.encode("utf-8"), unit)
            packed = _pack(info.filename, info.external_attr, data)
        members.append(packed)
    _write_zip(path, members, _zip_date(created))
    return nrows


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
    title: bytes | None              # the probe title, as stored in sharedStrings.xml (None: no title)
    packed: tuple[_Packed | None, ...] = ()  # entries deflated once; None: rewritten per file
    # workbook.xml deflated, per set of autofilter end rows (files share them: few problems)
    workbooks: dict[tuple, _Packed] = field(default_factory=dict, compare=False, repr=False)


_MULTI_DYNAMIC = ("xl/sharedStrings.xml", "xl/workbook.xml")  # title; autofilter names


def build_multi_skeleton(write_probe: Callable[[Path], None],
                         probes: Sequence[tuple[int, Sequence[SheetCell]]], title: str | None) -> MultiSkeleton:
    """Make the skeleton of a workbook whose sheet ``i`` has one probe data row ``probes[i]``
    = ``(first_row, cells)``; ``title`` is a shared string replaced by each file's title (None:
    the workbook has no title)."""
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
    stored = None if title is None else _cell_text(title).encode("utf-8")
    if stored is not None and stored not in files.get("xl/sharedStrings.xml", b""):
        raise ValueError("title not found in the skeleton's shared strings")
    dynamic = [p.name for p in parts] + list(_MULTI_DYNAMIC)
    return MultiSkeleton(entries, tuple(parts), stored, _pack_all(entries, dynamic))


def _cell_text(v: str) -> str:
    """A string as xlsxwriter stores it: at most 32,767 UTF-16 units, control characters as
    ``_xHHHH_``, XML-escaped."""
    if len(v) > XLS_STRMAX // 2 and _utf16_len(v) > XLS_STRMAX:
        v = _utf16_truncate(v, XLS_STRMAX)
    if _EXCEL_CONTROL.search(v):
        v = XMLwriter._escape_control_characters(v)
    return escape(v)


def _shared_text(v: str) -> str:
    """The ``<t>`` element of a review cell (:func:`_cell_text`, whitespace kept)."""
    t = _cell_text(v)
    sp = ' xml:space="preserve"' if _preserve_whitespace(t) else ""
    return f"<t{sp}>{t}</t>"


def _sheet_rows_xml(part: SheetPart, rows: Sequence[Sequence[SheetCell]]) -> tuple[str, int]:
    styles = dict(part.styles)
    width = max((j for row in rows for j, _, _ in row), default=0) + 1
    starts = [f'<c r="{c}' for c in col_letters(width)]
    out: list[str] = []
    r = part.first_row - 1
    # Every string of a review row is written, empty ones too (as the reference writer does).
    if _all_plain([[v for row in rows for _, v, _ in row if not isinstance(v, (int, float))]], _shared_text,
                  long=XLS_STRMAX // 2):
        # Plain strings are their own XML text: no call per cell.
        texts = {kind: f'"{style} t="inlineStr"><is><t>' for kind, style in part.styles}
        for row in rows:
            r += 1
            rs = str(r)
            out.append(f'<row r="{rs}">')
            out += [f'{starts[j]}{rs}"{styles[kind]}><v>{_number(v)}</v></c>' if isinstance(v, (int, float))
                    else f"{starts[j]}{rs}{texts[kind]}{v}</t></is></c>" for j, v, kind in row]
            out.append("</row>")
    else:
        ends = {kind: _TextCells(style, _shared_text, keep_empty=True) for kind, style in part.styles}
        for row in rows:
            r += 1
            rs = str(r)
            out.append(f'<row r="{rs}">')
            out += [starts[j] + rs + (_number_end(styles[kind], _number(v)) if isinstance(v, (int, float))
                                      else ends[kind][v]) for j, v, kind in row]
            out.append("</row>")
    return "".join(out), r


def _number(v: int | float) -> str:
    """A number as xlsxwriter writes it (``{:.16G}``)."""
    return str(v) if type(v) is int else f"{v:.16G}"


_DIMENSION = re.compile(r'(<dimension ref="A1:[A-Z]+)\d+("/>)')
_AUTOFILTER = re.compile(r'(<autoFilter ref="[A-Z]+\d+:[A-Z]+)\d+("/>)')
# A data validation over the probe row only (``sqref="N2"``): stretched to the last data row.
_VALIDATION = re.compile(r'(<dataValidation [^>]*sqref=")([A-Z]+)(\d+)(")')


def fill_sheets(sk: MultiSkeleton, path: str | Path, sheets: Sequence[Sequence[Sequence[SheetCell]]],
                title: str | None, created: date) -> None:
    """Write the skeleton with each sheet's rows (``sheets[i]``: rows of ``(column, value,
    style kind)``; ints and floats are numbers) and ``title`` in place of the probe title,
    atomically. The dimension, an autofilter and the data validations of the probe row end at
    the last data row."""
    new: dict[str, bytes] = {}
    filters: dict[int, int] = {}
    for k, (part, rows) in enumerate(zip(sk.sheets, sheets)):
        body, last = _sheet_rows_xml(part, rows)
        head = _DIMENSION.sub(lambda m: f"{m.group(1)}{last}{m.group(2)}", part.head, count=1)
        tail = part.tail
        if _AUTOFILTER.search(tail):
            tail = _AUTOFILTER.sub(lambda m: f"{m.group(1)}{last}{m.group(2)}", tail, count=1)
            filters[k] = last
        if last > part.first_row and _VALIDATION.search(tail):
            tail = _VALIDATION.sub(lambda m: f"{m.group(1)}{m.group(2)}{m.group(3)}:{m.group(2)}{last}{m.group(4)}"
                                   if int(m.group(3)) == part.first_row else m.group(0), tail)
        new[part.name] = (head + body + tail).encode("utf-8")
    shown = "" if title is None else _cell_text(title)
    if _preserve_whitespace(shown):
        raise ValueError("a title with leading or trailing spaces")
    members = []
    for (info, data), packed in zip(sk.entries, sk.packed):
        if packed is None:
            if info.filename in new:
                data = new[info.filename]
            elif info.filename == "xl/sharedStrings.xml" and sk.title is not None:
                data = data.replace(sk.title, shown.encode("utf-8"), 1)
            elif info.filename == "xl/workbook.xml":
                key = tuple(sorted(filters.items()))
                packed = sk.workbooks.get(key)
                if packed is None:
                    if len(sk.workbooks) >= 4096:  # bounded (a province has ~3,000 units)
                        sk.workbooks.clear()
                    if filters:
                        data = _filter_names(data.decode("utf-8"), filters).encode("utf-8")
                    packed = sk.workbooks[key] = _pack(info.filename, info.external_attr, data)
                members.append(packed)
                continue
            packed = _pack(info.filename, info.external_attr, data)
        members.append(packed)
    _write_zip(path, members, _zip_date(created))


def _filter_names(xml: str, filters: dict[int, int]) -> str:
    """Move the end row of each sheet's hidden ``_xlnm._FilterDatabase`` name."""
    def fix(m: re.Match) -> str:
        k = int(m.group(2))
        if k not in filters:
            return m.group(0)
        return f"{m.group(1)}{filters[k]}{m.group(4)}"

    return re.sub(r'(<definedName name="_xlnm\._FilterDatabase" localSheetId="(\d+)"[^>]*>[^<]*\$[A-Z]+\$)'
                  r'(\d+)(</definedName>)', fix, xml)
