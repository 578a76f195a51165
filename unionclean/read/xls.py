"""Read legacy .xls (BIFF, in an OLE container): values with calamine, layout from the records.

Calamine gives the typed values (the same conversion as .xlsx), merged ranges and sheet
visibility. A light walk over the BIFF records (:func:`scan_biff`, several times faster than
xlrd) gives hidden rows and, only when the workbook defines a legacy Vietnamese font, the font
of every cell.

Text: BIFF8 stores strings as UTF-16 (or "compressed" Latin-1), so TCVN3 text typed with a
``.VnTime`` font comes through as the same Latin-1-looking characters as in .xlsx
(``NguyÔn V¨n Nam``). BIFF5 files (Excel 95) store 8-bit text in the workbook's codepage and are
decoded with it.

An OLE file is also how an encrypted .xlsx is stored: :func:`ole_kind` tells them apart.
"""
from __future__ import annotations

import io
import struct
from typing import IO

import python_calamine as pc

from unionclean.errors import InputFileError
from unionclean.read.base import SheetData, WorkbookData, engine_failure
from unionclean.read.xlsx import CellMaker, Limits, build_rows, calamine_sheet, is_legacy_font

__all__ = ["read_xls", "ole_kind", "decrypt_default_password"]

# Excel encrypts "protected" .xls files with this built-in password and opens them silently.
_DEFAULT_XLS_PASSWORD = "VelvetSweatshop"


def ole_kind(head: IO[bytes]) -> str:
    """What an OLE compound file holds: ``"xls"``, ``"encrypted_ooxml"``, ``"word"``,
    ``"powerpoint"`` or ``"unknown"``."""
    import olefile

    try:
        ole = olefile.OleFileIO(head)
    except Exception:  # olefile raises OSError or its own errors for damaged files
        return "unknown"
    with ole:
        if ole.exists("EncryptionInfo") and ole.exists("EncryptedPackage"):
            return "encrypted_ooxml"
        if ole.exists("Workbook") or ole.exists("Book"):
            return "xls"
        if ole.exists("WordDocument"):
            return "word"
        if ole.exists("PowerPoint Document"):
            return "powerpoint"
    return "unknown"


def _is_encrypted(data: bytes) -> bool:
    import msoffcrypto

    try:
        return bool(msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted())
    except Exception:  # BIFF5 "Book" streams and odd files: msoffcrypto does not know them
        return False


def decrypt_default_password(data: bytes) -> bytes | None:
    """Decrypt an .xls encrypted with Excel's built-in password, or None if it has a real one."""
    import msoffcrypto

    try:
        office = msoffcrypto.OfficeFile(io.BytesIO(data))
        office.load_key(password=_DEFAULT_XLS_PASSWORD)
        out = io.BytesIO()
        office.decrypt(out)
        return out.getvalue()
    except Exception:
        return None


def read_xls(path: str, data: bytes, limits: Limits) -> WorkbookData:
    """Read a BIFF workbook from its bytes."""
    if _is_encrypted(data):
        plain = decrypt_default_password(data)
        if plain is None:
            raise InputFileError("read.password_protected", path)
        data = plain
    try:
        book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except pc.PasswordError as exc:
        raise InputFileError("read.password_protected", path) from exc
    except BaseException as exc:  # noqa: B036 - Rust panics are BaseExceptions
        if not engine_failure(exc):
            raise
        raise InputFileError("read.corrupt", path, ext=".xls") from exc
    stream = _workbook_stream(data)
    try:
        layout = scan_biff(stream) if stream else None
    except (struct.error, IndexError):
        layout = None
    legacy = layout is not None and layout.legacy
    maker = CellMaker(layout.fonts[0] if legacy and layout.fonts else None)
    sheets: list[SheetData] = []
    with book:
        all_meta = list(book.sheets_metadata)
        meta = [m for m in all_meta if m.typ == pc.SheetTypeEnum.WorkSheet]
        if not meta:
            raise InputFileError("read.no_sheets", path)
        for m in meta:
            sheet, start, values = calamine_sheet(book, m, path, ".xls")
            if values:
                r0, c0 = start
                limits.add_cells(len(values) * (c0 + len(values[0])), path)
                hidden, fonts, default = _formatting(layout, all_meta.index(m), r0, c0, values)
                sheet.rows = build_rows(values, r0 + 1, c0, maker, hidden=hidden, fonts=fonts)
            sheets.append(sheet)
    return WorkbookData(str(path), "xls", sheets)


# -- BIFF layout scan ------------------------------------------------------------------------
# A single walk over the records of the Workbook stream (about 0.4 µs a record, several times
# faster than xlrd) collecting fonts, XF → font, hidden rows and, only when a legacy font exists,
# the XF index of every cell.

_BOF, _EOF, _BOUNDSHEET, _FONT, _XF, _ROW = 0x0809, 0x000A, 0x0085, 0x0031, 0x00E0, 0x0208
_MULRK, _MULBLANK = 0x00BD, 0x00BE
# Cell records whose data starts with row, column, XF index.
_CELLS = frozenset({0x00FD, 0x0204, 0x0203, 0x027E, 0x0201, 0x0205, 0x0006, 0x00D6})


class BiffLayout:
    """What the BIFF walk found: ``fonts`` (by font index), ``xf_font`` (XF → font name),
    ``sheet_pos`` (stream offset of each sheet's BOF, in workbook order), and per sheet offset
    the hidden rows (1-based) and the XF of each cell (row 1-based → col → XF)."""

    def __init__(self) -> None:
        self.fonts: list[str] = []
        self.xf_font: list[str | None] = []
        self.sheet_pos: list[int] = []
        self.hidden: dict[int, set[int]] = {}
        self.cell_xf: dict[int, dict[int, dict[int, int]]] = {}

    @property
    def legacy(self) -> bool:
        return any(is_legacy_font(f) for f in self.fonts)


def _font_name(rec: bytes, biff8: bool, codepage: str) -> str:
    n = rec[14]
    if not biff8:
        return rec[15:15 + n].decode(codepage, "replace")
    if rec[15] & 1:
        return rec[16:16 + 2 * n].decode("utf-16-le", "replace")
    return rec[16:16 + n].decode("latin-1")


def scan_biff(stream: bytes, cells: bool | None = None) -> BiffLayout:
    """Walk a BIFF5/8 Workbook stream. ``cells``: collect per-cell XF indexes (default: only
    when the workbook has a legacy font)."""
    up = struct.unpack_from
    out = BiffLayout()
    end = len(stream) - 3
    pos = 0
    biff8 = True
    xf_fonts: list[int] = []
    sheet = -1  # stream offset of the current sheet's BOF; -1 in the globals
    hidden: set[int] = set()
    cell_xf: dict[int, dict[int, int]] = {}
    in_globals = True
    depth = 0  # nesting of BOF/EOF substreams (charts embedded in a sheet have their own)
    while pos < end:
        rid, ln = up("<HH", stream, pos)
        d = pos + 4
        if in_globals:
            if rid == _FONT:
                out.fonts.append(_font_name(stream[d:d + ln], biff8, "cp1252"))
            elif rid == _XF:
                xf_fonts.append(up("<H", stream, d)[0])
            elif rid == _BOUNDSHEET:
                out.sheet_pos.append(up("<I", stream, d)[0])
            elif rid == _BOF and pos == 0:
                biff8 = up("<H", stream, d)[0] >= 0x0600
            elif rid == _EOF:
                in_globals = False
                if cells is None:
                    cells = out.legacy
        elif rid == _ROW:
            if ln >= 14 and up("<H", stream, d + 12)[0] & 0x20:
                hidden.add(up("<H", stream, d)[0] + 1)
        elif cells and rid in _CELLS:
            r, c, x = up("<HHH", stream, d)
            cell_xf.setdefault(r + 1, {})[c] = x
        elif cells and rid == _MULRK:
            r, c = up("<HH", stream, d)
            row = cell_xf.setdefault(r + 1, {})
            for k in range((ln - 6) // 6):
                row[c + k] = up("<H", stream, d + 4 + 6 * k)[0]
        elif rid == _BOF:
            if depth == 0:
                sheet, hidden, cell_xf = pos, set(), {}
                out.hidden[sheet] = hidden
                out.cell_xf[sheet] = cell_xf
            depth += 1
        elif rid == _EOF:
            depth -= 1
        pos = d + ln
    names = out.fonts
    for fi in xf_fonts:  # font index 4 does not exist in BIFF: indexes above it are shifted
        k = fi if fi < 4 else fi - 1
        out.xf_font.append(names[k] if 0 <= k < len(names) else None)
    return out


def _workbook_stream(data: bytes) -> bytes | None:
    import olefile

    try:
        with olefile.OleFileIO(data) as ole:
            for name in ("Workbook", "Book"):
                if ole.exists(name):
                    return ole.openstream(name).read()
    except Exception:  # layout facts are optional: values come from calamine
        return None
    return None


def _formatting(layout: BiffLayout | None, index: int, r0: int, c0: int, values):
    """Hidden rows (1-based), fonts (row → col → font name) and the default font of one sheet."""
    if layout is None or index >= len(layout.sheet_pos):
        return frozenset(), None, None
    pos = layout.sheet_pos[index]
    hidden = layout.hidden.get(pos, set())
    if not layout.legacy:
        return hidden, None, None
    default = layout.fonts[0] if layout.fonts else None
    xf_font, n_xf = layout.xf_font, len(layout.xf_font)
    fonts: dict[int, dict[int, str]] = {}
    for r, row in layout.cell_xf.get(pos, {}).items():
        odd = {c: f for c, x in row.items() if x < n_xf and (f := xf_font[x]) != default and f}
        if odd:
            fonts[r] = odd
    return hidden, fonts, default
