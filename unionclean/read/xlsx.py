"""Read .xlsx/.xlsm: values with python-calamine, layout facts from the sheet XML.

Calamine gives typed values fast. What it does not give (hidden rows, per-cell fonts) comes
from a regex scan of the raw sheet XML, which we read anyway to bound the sheet's size before
calamine allocates it (a 5 KB file with one value in ``XFD1048576`` would otherwise make calamine
allocate half a terabyte and abort the process). Per-cell fonts are only looked up when the
workbook's styles define a legacy Vietnamese font (``.Vn*`` TCVN3, ``VNI-*``); otherwise every
``Cell.font`` stays ``None``.

The value → :class:`~unionclean.model.Cell` conversion lives here too (:class:`CellMaker`) and is
shared with the .xls reader.
"""
from __future__ import annotations

import datetime as _dt
import posixpath
import re
import zipfile
import zlib
from decimal import Decimal
from functools import lru_cache
from typing import IO, Any
from xml.etree import ElementTree as ET

import python_calamine as pc

from unionclean.errors import InputFileError
from unionclean.model import Cell
from unionclean.read.base import Row, SheetData, WorkbookData, column_letter, engine_failure

__all__ = ["read_xlsx", "CellMaker", "is_legacy_font", "build_rows", "Limits"]

# -- value → Cell ---------------------------------------------------------------------------

_MISS = object()
_TRUE, _FALSE = Cell("TRUE", "b", True), Cell("FALSE", "b", False)
_ZERO, _ONE = Cell("0", "n", 0), Cell("1", "n", 1)
_LEGACY_FONT = re.compile(r"\s*(?:\.vn|vni)", re.IGNORECASE)


def is_legacy_font(name: str | None) -> bool:
    """True for TCVN3 (``.VnTime``, ``.VnArialH`` …) and VNI (``VNI-Times`` …) font names."""
    return bool(name) and _LEGACY_FONT.match(name) is not None


def number_text(v: float) -> str:
    """Shortest exact decimal text of a number, never in exponent form.

    >>> number_text(79215000000.0), number_text(12.5), number_text(1e-07)
    ('79215000000', '12.5', '0.0000001')
    """
    if type(v) is int:
        return str(v)
    if v.is_integer() and -1e16 < v < 1e16:
        return str(int(v))
    r = repr(v)
    if "e" in r or "E" in r:
        r = format(Decimal(r), "f")
    return r


class CellMaker:
    """Turns calamine values into :class:`Cell` objects, sharing one object per distinct value.

    Member lists repeat values heavily (``Nam``, ``Kinh``, ``Không``, dates), so memoising the
    cell per value halves reading time. Empty and blank strings become ``None``. Every cell gets
    ``font`` (the workbook's default font when fonts are tracked, else None); :meth:`with_font`
    makes the cells whose font differs.
    """

    __slots__ = ("font", "_plain", "_font", "_const")

    def __init__(self, font: str | None = None) -> None:
        self.font = font
        self._plain: dict[Any, Cell | None] = {"": None}
        self._font: dict[tuple[Any, str | None], Cell | None] = {}
        mk = self.make
        self._const = (mk(False, font), mk(True, font), mk(0, font), mk(1, font))

    @staticmethod
    def make(v: Any, font: str | None = None) -> Cell | None:
        """One cell from one value (no memoisation)."""
        t = type(v)
        if t is str:
            return Cell(v, "s", None, font) if v.strip() else None
        if t is float:
            if v.is_integer() and -9007199254740992.0 <= v <= 9007199254740992.0:
                i = int(v)
                return Cell(str(i), "n", i, font)
            if v != v or v in (float("inf"), float("-inf")):
                return Cell(repr(v), "s", None, font)
            return Cell(number_text(v), "n", v, font)
        if t is bool:
            return Cell("TRUE" if v else "FALSE", "b", v, font)
        if t is int:
            return Cell(str(v), "n", v, font)
        if t is _dt.datetime:
            if v.hour == v.minute == v.second == v.microsecond == 0:
                text = v.date().isoformat()
            else:
                text = v.isoformat(sep=" ", timespec="seconds" if not v.microsecond else "auto")
            return Cell(text, "d", v, font)
        if t is _dt.date or t is _dt.time:
            return Cell(v.isoformat(), "d", v, font)
        if v is None:
            return None
        # timedelta (duration formats) and anything unexpected: keep the text, no typed value.
        text = str(v)
        return Cell(text, "s", None, font) if text.strip() else None

    def row(self, values: list[Any]) -> list[Cell | None]:
        """Cells of one row of values, all with this maker's font."""
        get, slow, miss = self._plain.get, self._slow, _MISS
        return [c if (c := get(v, miss)) is not miss else slow(v) for v in values]

    def _slow(self, v: Any) -> Cell | None:
        # Booleans and the numbers 0 and 1 are never cache keys (True == 1 == 1.0 as dict keys).
        t = type(v)
        if t is bool:
            return self._const[v]
        if (t is float or t is int) and (v == 0 or v == 1):
            return self._const[2 + int(v)]
        c = self._plain[v] = self.make(v, self.font)
        return c

    def with_font(self, v: Any, font: str | None) -> Cell | None:
        """One cell with a given font, memoised per (value, font)."""
        if type(v) is bool:
            return self.make(v, font)
        key = (v, font)
        c = self._font.get(key, _MISS)
        if c is _MISS:
            c = self._font[key] = self.make(v, font)
        return c


def build_rows(
    values: list[list[Any]],
    first_row: int,
    first_col: int,
    maker: CellMaker,
    *,
    hidden: set[int] | frozenset[int] = frozenset(),
    fonts: dict[int, dict[int, str | None]] | None = None,
) -> list[Row]:
    """Rows from a calamine block whose top-left value is at (``first_row``, ``first_col``).

    ``first_row`` is the 1-based Excel row of ``values[0]``, ``first_col`` the 0-based column of
    ``values[i][0]``. Empty rows are dropped; every kept row has the same length (last column + 1).
    Cells get ``maker.font`` except those listed in ``fonts`` (row → column → font name).
    """
    lead: list[Cell | None] = [None] * first_col
    out: list[Row] = []
    append = out.append
    mk, wf = maker.row, maker.with_font
    fonts = fonts or {}
    for i, vals in enumerate(values):
        n = first_row + i
        cells = mk(vals)
        if fonts and n in fonts:
            width = len(vals)
            for col, font in fonts[n].items():
                j = col - first_col
                if 0 <= j < width and cells[j] is not None:
                    cells[j] = wf(vals[j], font)
        if any(cells):
            append(Row(n, lead + cells if first_col else cells, n in hidden))
    return out


# -- limits ---------------------------------------------------------------------------------

class Limits:
    """Size guards of one read (see :func:`unionclean.read.read_workbook`)."""

    __slots__ = ("max_bytes", "max_cells", "max_unzipped_bytes", "cells_used")

    def __init__(self, max_bytes: int, max_cells: int, max_unzipped_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.max_cells = max_cells
        self.max_unzipped_bytes = max_unzipped_bytes
        self.cells_used = 0

    def add_cells(self, n: int, path: str) -> None:
        """Count ``n`` more cells; raise ``read.too_large`` past ``max_cells``."""
        self.cells_used += n
        if self.cells_used > self.max_cells:
            raise InputFileError("read.too_large", path, size=f"{self.cells_used:,} ô".replace(",", "."),
                                 limit=f"{self.max_cells:,} ô".replace(",", "."))


def mb(n: int) -> str:
    """Bytes as ``"12,5 MB"`` for messages."""
    return f"{n / 1048576:.1f} MB".replace(".", ",")


# -- package parts --------------------------------------------------------------------------

_REL_TYPE_DOC = "officeDocument"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _rels(zf: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationships of ``part``: id → (type suffix, target member path)."""
    folder, name = posixpath.split(part)
    rel_path = posixpath.join(folder, "_rels", name + ".rels")
    try:
        root = ET.fromstring(zf.read(rel_path))
    except KeyError:
        return {}
    out = {}
    for el in root:
        target = el.get("Target", "")
        if el.get("TargetMode") == "External":
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join(folder, target))
        out[el.get("Id", "")] = (el.get("Type", "").rsplit("/", 1)[-1], path)
    return out


def _workbook_part(zf: zipfile.ZipFile) -> str:
    for typ, target in _rels(zf, "").values():
        if typ == _REL_TYPE_DOC:
            return target
    return "xl/workbook.xml"


def _sheet_parts(zf: zipfile.ZipFile, wb_part: str) -> tuple[dict[str, str], str | None]:
    """Sheet name → worksheet XML member, and the styles member (if any)."""
    rels = _rels(zf, wb_part)
    root = ET.fromstring(zf.read(wb_part))
    parts: dict[str, str] = {}
    for el in root.iter():
        if _local(el.tag) != "sheet":
            continue
        rid = next((v for k, v in el.attrib.items() if _local(k) == "id"), "")
        typ, target = rels.get(rid, ("", ""))
        if typ == "worksheet" and target in zf.NameToInfo:
            parts[el.get("name", "")] = target
    styles = next((t for ty, t in rels.values() if ty == "styles" and t in zf.NameToInfo), None)
    return parts, styles


_LEGACY_IN_STYLES = re.compile(rb"""val\s*=\s*["']\s*(?:\.vn|vni)""", re.IGNORECASE)


def _style_fonts(raw: bytes) -> list[str | None] | None:
    """Font name of each cellXfs entry, or None when no legacy font is defined."""
    if not _LEGACY_IN_STYLES.search(raw):
        return None
    root = ET.fromstring(raw)
    fonts: list[str | None] = []
    xfs: list[str | None] = []
    for el in root:
        tag = _local(el.tag)
        if tag == "fonts":
            for f in el:
                name = next((c.get("val") for c in f if _local(c.tag) == "name"), None)
                fonts.append(name)
        elif tag == "cellXfs":
            for xf in el:
                fid = int(xf.get("fontId", "0") or 0)
                xfs.append(fonts[fid] if 0 <= fid < len(fonts) else None)
    if not any(is_legacy_font(f) for f in fonts):
        return None
    return xfs or [fonts[0] if fonts else None]


# -- sheet XML scans ------------------------------------------------------------------------

_ROW_TAG = re.compile(rb"<(?:[\w.-]+:)?row\b([^>]*)>")
_ROW_FAST = re.compile(rb'<row r="(\d+)"')
_R_ATTR = re.compile(rb"""\sr\s*=\s*["']([A-Za-z]*)(\d*)""")
_S_ATTR = re.compile(rb"""\ss\s*=\s*["'](\d+)""")
_HIDDEN = re.compile(rb"""\shidden\s*=\s*["'](?:1|true)["']""")
_ROW_OR_CELL = re.compile(rb"<(?:[\w.-]+:)?(row|c)\b([^>]*)>")


def col_index(letters: bytes | str) -> int:
    """``"A"`` → 0, ``"AB"`` → 27."""
    n = 0
    for ch in letters.upper() if isinstance(letters, str) else letters.upper().decode("ascii"):
        n = n * 26 + ord(ch) - 64
    return n - 1




@lru_cache(maxsize=64)
def _cols_beyond(last: int) -> re.Pattern[bytes]:
    """Regex finding a cell reference whose column index is greater than ``last``."""
    lim = column_letter(last)
    k = len(lim)
    alts = [f"[A-Z]{{{k + 1},}}"]
    for i, ch in enumerate(lim):
        if ch < "Z":
            nxt = chr(ord(ch) + 1)
            alts.append(lim[:i] + f"[{nxt}-Z]" + (f"[A-Z]{{{k - i - 1}}}" if k - i - 1 else ""))
    # Only attribute "r" of a cell holds letters then digits; a literal prefix keeps this fast.
    return re.compile(rb' r="(?:' + "|".join(alts).encode() + rb")\d")


def _scan_rows(data: bytes) -> tuple[int, set[int]]:
    """Highest row number and the set of hidden rows of a sheet XML."""
    # Fast path: the usual spelling of row tags, no hidden rows.
    nums = _ROW_FAST.findall(data)
    if (b"hidden" not in data and len(nums) == data.count(b"<row")
            and (nums or b":row" not in data)):
        return (max(map(int, nums)) if nums else 0), set()
    top = cur = 0
    hidden: set[int] = set()
    for m in _ROW_TAG.finditer(data):
        attrs = m.group(1)
        r = _R_ATTR.search(attrs)
        cur = int(r.group(2)) if r and r.group(2) else cur + 1
        top = max(top, cur)
        if _HIDDEN.search(attrs):
            hidden.add(cur)
    return top, hidden


def _scan_fonts(data: bytes, xf_fonts: list[str | None]) -> dict[int, dict[int, str | None]]:
    """Row → column → font name, for every cell whose font is not the default (style 0) font."""
    default = xf_fonts[0]
    odd = [str(i).encode() for i, f in enumerate(xf_fonts) if f != default]
    out: dict[int, dict[int, str | None]] = {}
    if not odd:
        return out
    n_cells = data.count(b"<c ")
    if n_cells == data.count(b'<c r="') and (n_cells or b":c " not in data):
        # Fast path: cells spelt <c r="B7" ...>; find only those with a non-default style.
        rx = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*? s="(' + b"|".join(odd) + rb')"')
        cols: dict[bytes, int] = {}
        for letters, row, s in rx.findall(data):
            col = cols.get(letters)
            if col is None:
                col = cols[letters] = col_index(letters)
            out.setdefault(int(row), {})[col] = xf_fonts[int(s)]
        return out
    row = col = 0
    n_xf = len(xf_fonts)
    for m in _ROW_OR_CELL.finditer(data):
        kind, attrs = m.groups()
        r = _R_ATTR.search(attrs)
        if kind == b"row":
            row = int(r.group(2)) if r and r.group(2) else row + 1
            col = -1
            continue
        if r and r.group(1):
            col = col_index(r.group(1))
            if r.group(2):
                row = int(r.group(2))
        else:
            col += 1
        s = _S_ATTR.search(attrs)
        if s:
            xf = int(s.group(1))
            font = xf_fonts[xf] if xf < n_xf else default
            if font != default:
                out.setdefault(row, {})[col] = font
    return out


#: What a damaged zip member raises while it is read (bad header or CRC, broken deflate stream).
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError)


def _read_member(zf: zipfile.ZipFile, name: str, path: str) -> bytes:
    try:
        return zf.read(name)
    except _ZIP_ERRORS as exc:
        raise InputFileError("read.corrupt", path, ext=posixpath.splitext(path)[1]) from exc


# -- the reader -----------------------------------------------------------------------------

def read_xlsx(path: str, source: str | IO[bytes], fmt: str, limits: Limits) -> WorkbookData:
    """Read an OOXML workbook. ``source`` is the path or an open binary file of it."""
    if isinstance(source, str):
        with open(source, "rb") as fh:
            return read_xlsx(path, fh, fmt, limits)
    ext = posixpath.splitext(str(path))[1]
    try:
        zf = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise InputFileError("read.corrupt", path, ext=ext) from exc
    with zf:
        total = sum(i.file_size for i in zf.infolist())
        if total > limits.max_unzipped_bytes:
            raise InputFileError("read.too_large", path, size=mb(total), limit=mb(limits.max_unzipped_bytes))
        try:
            wb_part = _workbook_part(zf)
            parts, styles_part = _sheet_parts(zf, wb_part)
        except (KeyError, ET.ParseError, UnicodeDecodeError, *_ZIP_ERRORS) as exc:
            raise InputFileError("read.corrupt", path, ext=ext) from exc
        xf_fonts = None
        if styles_part:
            try:
                xf_fonts = _style_fonts(_read_member(zf, styles_part, path))
            except ET.ParseError:
                xf_fonts = None
        # Read every other part once through zipfile: it checks CRCs and stops at the declared
        # size, so a lying or truncated member fails here instead of inside calamine.
        sheet_xml = {}
        for info in zf.infolist():
            if info.filename in parts.values():
                sheet_xml[info.filename] = _read_member(zf, info.filename, path)
            elif info.filename.endswith(".xml") and info.file_size:
                with zf.open(info) as fh:
                    try:
                        while fh.read(1 << 20):
                            pass
                    except _ZIP_ERRORS as exc:
                        raise InputFileError("read.corrupt", path, ext=ext) from exc
        source.seek(0)
        try:
            # From the open file, not the path: calamine picks the format by the extension of a
            # path but by the content of a file object, and extensions lie.
            book = pc.CalamineWorkbook.from_filelike(source)
        except pc.PasswordError as exc:
            raise InputFileError("read.password_protected", path) from exc
        except BaseException as exc:  # calamine raises several unrelated types, panics included
            if not engine_failure(exc):
                raise
            raise InputFileError("read.corrupt", path, ext=ext) from exc
        with book:
            meta = [m for m in book.sheets_metadata if m.typ == pc.SheetTypeEnum.WorkSheet]
            if not meta:
                raise InputFileError("read.no_sheets", path)
            maker = CellMaker(xf_fonts[0] if xf_fonts else None)
            sheets = []
            for m in meta:
                data = sheet_xml.get(parts.get(m.name, ""), b"")
                top, hidden = _scan_rows(data) if data else (0, set())
                if data and top:
                    room = (limits.max_cells - limits.cells_used) // top
                    if room < 16384 and _cols_beyond(max(room - 1, 0)).search(data):
                        limits.add_cells(top * 16384, path)  # raises: would exceed max_cells
                sheets.append(_read_sheet(book, m, data, hidden, xf_fonts, maker, limits, path, ext))
    return WorkbookData(str(path), fmt, sheets)


def calamine_sheet(book, meta, path: str, ext: str) -> tuple[SheetData, tuple[int, int] | None, list]:
    """One worksheet from calamine (xlsx and xls alike): the sheet with its merges, the used
    range's top-left ``(row, col)`` and its values. An engine failure is ``read.corrupt``."""
    try:
        sh = book.get_sheet_by_name(meta.name)
        start = sh.start
        values = sh.to_python() if start is not None else []
        merged_raw = sh.merged_cell_ranges or []
    except BaseException as exc:  # noqa: B036 - Rust panics are BaseExceptions
        if not engine_failure(exc):
            raise
        raise InputFileError("read.corrupt", path, ext=ext) from exc
    sheet = SheetData(meta.name, meta.visible != pc.SheetVisibleEnum.Visible)
    sheet.merged = [(a[0] + 1, a[1], b[0] + 1, b[1]) for a, b in merged_raw]
    return sheet, start, values


def _read_sheet(book, meta, data: bytes, hidden: set[int], xf_fonts, maker: CellMaker,
                limits: Limits, path: str, ext: str) -> SheetData:
    sheet, start, values = calamine_sheet(book, meta, path, ext)
    if not values:
        return sheet
    r0, c0 = start
    limits.add_cells(len(values) * (c0 + len(values[0])), path)
    fonts = _scan_fonts(data, xf_fonts) if xf_fonts is not None else None
    sheet.rows = build_rows(values, r0 + 1, c0, maker, hidden=hidden, fonts=fonts)
    return sheet
