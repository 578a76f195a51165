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
from functools import lru_cache, partial
from itertools import chain, filterfalse, groupby, repeat
from operator import getitem, itemgetter
from typing import IO, Any, Iterable
from xml.etree import ElementTree as ET

import python_calamine as pc

from unionclean.errors import InputFileError
from unionclean.model import Cell
from unionclean.read.base import Row, SheetData, WorkbookData, column_letter, engine_failure

__all__ = ["read_xlsx", "CellMaker", "is_legacy_font", "build_rows", "Limits"]

# -- value → Cell ---------------------------------------------------------------------------

_LEGACY_FONT = re.compile(r"\s*(?:\.vn|vni)", re.IGNORECASE)
#: Builds a Cell from a 4-tuple without the NamedTuple's Python-level ``__new__`` (twice as
#: fast; readers build one cell per distinct value, hundreds of thousands per province).
_new_cell = partial(tuple.__new__, Cell)
#: What a value memo holds for the keys 0 and 1: ``True == 1 == 1.0`` as dict keys, so a
#: boolean and the numbers 0 and 1 are told apart by their type after the look-up.
_AMBIGUOUS = object()


def is_legacy_font(name: str | None) -> bool:
    """True for TCVN3 (``.VnTime``, ``.VnArialH`` …) and VNI (``VNI-Times`` …) font names."""
    return bool(name) and _LEGACY_FONT.match(name) is not None  # type: ignore[arg-type]


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


class _Memo(dict):
    """Value → cell for one font. A missing value is converted on look-up (``__missing__``),
    so a whole row converts with a C-level ``map`` over ``__getitem__``; only values not seen
    before run Python code. The keys 0 and 1 map to :data:`_AMBIGUOUS` (see :meth:`exact`)."""

    __slots__ = ("font", "_const")

    def __init__(self, font: str | None) -> None:
        super().__init__({"": None, 0: _AMBIGUOUS, 1: _AMBIGUOUS})
        self.font = font
        mk = CellMaker.make
        self._const = (mk(False, font), mk(True, font), mk(0, font), mk(1, font))

    def __missing__(self, v: Any) -> Cell | None:
        c = self[v] = CellMaker.make(v, self.font)
        return c

    def fill(self, values: Iterable[Any]) -> None:
        """Convert at once every value of ``values`` (distinct values of a sheet) not yet known.

        Text cells, most of a sheet, are built without a Python call per value (``map`` over
        the tuple constructor); blank texts then become None like in :meth:`CellMaker.make`
        (``isspace`` is true exactly when ``strip`` leaves nothing of a non-empty string).
        """
        new = list(filterfalse(self.__contains__, values))
        texts = [v for v in new if type(v) is str]
        font = self.font
        self.update(zip(texts, map(_new_cell, zip(texts, repeat("s"), repeat(None), repeat(font)))))
        self.update(dict.fromkeys(filter(str.isspace, texts)))
        if len(texts) < len(new):
            make = CellMaker.make
            for v in new:
                t = type(v)
                if t is str:
                    continue
                # The two common cases of make() inlined: whole numbers (IDs, phone numbers,
                # years) and dates.
                if t is float and v.is_integer() and -9007199254740992.0 <= v <= 9007199254740992.0:
                    i = int(v)
                    self[v] = _new_cell((str(i), "n", i, font))
                elif t is _dt.date:
                    self[v] = _new_cell((v.isoformat(), "d", v, font))
                else:
                    self[v] = make(v, font)

    def exact(self, v: Any) -> Cell | None:
        """The cell of a value whose look-up gave :data:`_AMBIGUOUS` (a boolean, 0 or 1)."""
        if type(v) is bool:
            return self._const[v]
        return self._const[2 + int(v)]


class _Memos(dict):
    """Font → its :class:`_Memo`, made on first use (a dict, so look-ups can be mapped in C)."""

    def __missing__(self, font: str | None) -> _Memo:
        m = self[font] = _Memo(font)
        return m


class CellMaker:
    """Turns calamine values into :class:`Cell` objects, sharing one object per distinct value.

    Member lists repeat values heavily (``Nam``, ``Kinh``, ``Không``, dates), so memoising the
    cell per value halves reading time. Empty and blank strings become ``None``. Every cell gets
    ``font`` (the workbook's default font when fonts are tracked, else None); :meth:`with_font`
    makes the cells whose font differs.
    """

    __slots__ = ("font", "memos")

    def __init__(self, font: str | None = None) -> None:
        self.font = font
        #: Font → its value memo.
        self.memos = _Memos()

    @staticmethod
    def make(v: Any, font: str | None = None) -> Cell | None:
        """One cell from one value (no memoisation)."""
        t = type(v)
        if t is str:
            return _new_cell((v, "s", None, font)) if v.strip() else None
        if t is float:
            if v.is_integer() and -9007199254740992.0 <= v <= 9007199254740992.0:
                i = int(v)
                return _new_cell((str(i), "n", i, font))
            if v != v or v in (float("inf"), float("-inf")):
                return _new_cell((repr(v), "s", None, font))
            return _new_cell((number_text(v), "n", v, font))
        if t is bool:
            return _new_cell(("TRUE" if v else "FALSE", "b", v, font))
        if t is int:
            return _new_cell((str(v), "n", v, font))
        if t is _dt.datetime:
            if v.hour == v.minute == v.second == v.microsecond == 0:
                text = v.date().isoformat()
            else:
                text = v.isoformat(sep=" ", timespec="seconds" if not v.microsecond else "auto")
            return _new_cell((text, "d", v, font))
        if t is _dt.date or t is _dt.time:
            return _new_cell((v.isoformat(), "d", v, font))
        if v is None:
            return None
        # timedelta (duration formats) and anything unexpected: keep the text, no typed value.
        text = str(v)
        return _new_cell((text, "s", None, font)) if text.strip() else None

    def memo(self, font: str | None) -> _Memo:
        """The value → cell memo of one font."""
        return self.memos[font]

    def row(self, values: list[Any]) -> list[Cell | None]:
        """Cells of one row of values, all with this maker's font."""
        memo = self.memo(self.font)
        cells = list(map(memo.__getitem__, values))
        if _AMBIGUOUS in cells:
            _resolve_ambiguous(cells, values, memo)
        return cells

    def with_font(self, v: Any, font: str | None) -> Cell | None:
        """One cell with a given font, memoised per (value, font)."""
        memo = self.memo(font)
        c = memo[v]
        return memo.exact(v) if c is _AMBIGUOUS else c


def _resolve_ambiguous(cells: list[Any], values: list[Any], memos: _Memo | list[_Memo]) -> None:
    """Replace the :data:`_AMBIGUOUS` entries of a converted row by the exact cells."""
    j = -1
    try:
        while True:
            j = cells.index(_AMBIGUOUS, j + 1)
            memo = memos if isinstance(memos, _Memo) else memos[j]
            cells[j] = memo.exact(values[j])
    except ValueError:  # no more
        pass


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

    Each row is a C-level ``map`` of memo look-ups (see :class:`_Memo`). Without fonts, every
    distinct value of the block is converted up front (:meth:`_Memo.fill`); with fonts, cells
    are converted on first look-up in the memo of their font.
    """
    plain = maker.memo(maker.font)
    lead: list[Cell | None] = [None] * first_col
    out: list[Row] = []
    append = out.append
    get = plain.__getitem__
    if not fonts:
        plain.fill(set(chain.from_iterable(values)))
        for i, vals in enumerate(values):
            cells = list(map(get, vals))
            if _AMBIGUOUS in cells:
                _resolve_ambiguous(cells, vals, plain)
            if any(cells):
                n = first_row + i
                append(Row(n, lead + cells if first_col else cells, n in hidden))
        return out
    memo_of = maker.memos.__getitem__
    default = maker.font
    for i, vals in enumerate(values):
        n = first_row + i
        row_fonts = fonts.get(n)
        if row_fonts:
            # The font of each position, then its memo: two C-level maps.
            font_at = map(row_fonts.get, range(first_col, first_col + len(vals)), repeat(default))
            memos: _Memo | list[_Memo] = list(map(memo_of, font_at))
            cells = list(map(getitem, memos, vals))
        else:
            memos = plain
            cells = list(map(get, vals))
        if _AMBIGUOUS in cells:
            _resolve_ambiguous(cells, vals, memos)
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




class _ColumnIndex(dict):
    """Column letters (bytes) → 0-based index, computed once per distinct letters."""

    def __missing__(self, letters: bytes) -> int:
        i = self[letters] = col_index(letters)
        return i


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
        col_of = _ColumnIndex().__getitem__
        font_of = {s: xf_fonts[int(s)] for s in odd}.__getitem__
        letters, style = itemgetter(0), itemgetter(2)
        # Matches come row by row: one dict update per row, built by C-level maps.
        for row, group in groupby(rx.findall(data), key=itemgetter(1)):
            cells = list(group)
            out.setdefault(int(row), {}).update(
                zip(map(col_of, map(letters, cells)), map(font_of, map(style, cells))))
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
    r0, c0 = start  # type: ignore[misc]
    limits.add_cells(len(values) * (c0 + len(values[0])), path)
    fonts = _scan_fonts(data, xf_fonts) if xf_fonts is not None else None
    sheet.rows = build_rows(values, r0 + 1, c0, maker, hidden=hidden, fonts=fonts)
    return sheet
