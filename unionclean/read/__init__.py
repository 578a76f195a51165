"""Readers: every input file (.xlsx, .xlsm, .xls, .csv) into a :class:`WorkbookData`.

The format is decided by the file's content, not its name: a ``.xls`` that is really an .xlsx,
or a ``.xlsx`` that is really CSV text, is read as what it is. Bad input raises
:class:`~unionclean.errors.InputFileError` with a ``read.*`` code whose Vietnamese message names
the file and says what to do; no cell value ever goes into an error.

Example:
    >>> from unionclean.read import read_workbook  # doctest: +SKIP
    >>> wb = read_workbook("don_vi_A.xlsx")  # doctest: +SKIP
    >>> wb.sheets[0].rows[0].cells[0].text  # doctest: +SKIP
    'DANH SÁCH ĐOÀN VIÊN'
"""
from __future__ import annotations

import os
import zipfile
from pathlib import Path
from typing import Iterable

from unionclean.errors import InputFileError
from unionclean.read.base import Row, SheetData, WorkbookData, column_letter
from unionclean.read.csvfile import looks_like_text, read_csv
from unionclean.read.isolate import run_isolated
from unionclean.read.xls import ole_kind, read_xls
from unionclean.read.xlsx import Limits, mb, read_xlsx

__all__ = [
    "read_workbook", "iter_input_files", "WorkbookData", "SheetData", "Row", "column_letter",
    "INPUT_SUFFIXES", "MAX_BYTES", "MAX_CELLS", "MAX_UNZIPPED_BYTES",
]

MAX_BYTES = 200 * 1024 * 1024          # file on disk
MAX_CELLS = 30_000_000                 # cells of all sheets' used ranges (memory guard)
MAX_UNZIPPED_BYTES = 2 * 1024 ** 3     # declared uncompressed size of an .xlsx (zip bomb guard)

INPUT_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")
_OUTPUT_SUFFIXES = (".upload.xlsx", ".review.xlsx", ".changes.csv")
_OUTPUT_NAMES = ("duplicates.xlsx",)
_TEXT_SUFFIXES = (".csv", ".txt", ".tsv", ".xls", ".xlsx", ".xlsm")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_workbook(
    path: str | os.PathLike[str],
    *,
    max_bytes: int = MAX_BYTES,
    max_cells: int = MAX_CELLS,
    max_unzipped_bytes: int = MAX_UNZIPPED_BYTES,
) -> WorkbookData:
    """Read one input file, whatever its real format, into a :class:`WorkbookData`.

    Args:
        path: The file.
        max_bytes: Largest file size accepted.
        max_cells: Largest number of cells accepted, counted over the used range of every sheet
            (an .xlsx with one stray value in a far corner counts its whole rectangle).
        max_unzipped_bytes: Largest total uncompressed size of an .xlsx's parts.

    Returns:
        Every worksheet (hidden ones too, with ``hidden=True``) with its non-empty rows.

    Raises:
        InputFileError: ``read.file_missing``, ``read.not_a_file``, ``read.empty_file``,
            ``read.too_large``, ``read.password_protected``, ``read.corrupt``,
            ``read.unsupported_format`` or ``read.no_sheets``.
    """
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise InputFileError("read.file_missing", name)
    if not p.is_file():
        raise InputFileError("read.not_a_file", name)
    size = p.stat().st_size
    if size == 0:
        raise InputFileError("read.empty_file", name)
    if size > max_bytes:
        raise InputFileError("read.too_large", name, size=mb(size), limit=mb(max_bytes))
    limits = Limits(max_bytes, max_cells, max_unzipped_bytes)
    ext = p.suffix.lower()
    with open(p, "rb") as fh:
        head = fh.read(8192)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        wb = _read_zip(name, p, ext, limits)
    elif head.startswith(_OLE):
        wb = _read_ole(name, p, ext, limits)
    else:
        wb = _read_other(name, p, ext, head, limits)
    if not any(s.rows for s in wb.sheets):
        raise InputFileError("read.empty_file", name)
    return wb


def _read_zip(name: str, p: Path, ext: str, limits: Limits) -> WorkbookData:
    try:
        with zipfile.ZipFile(p) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise InputFileError("read.corrupt", name, ext=ext) from exc
    if "xl/workbook.bin" in names:
        raise InputFileError("read.unsupported_format", name, kind="Excel nhị phân (.xlsb)")
    if any(n.startswith("xl/") for n in names) or "[Content_Types].xml" in names and not (
            "word/document.xml" in names or any(n.startswith("ppt/") for n in names)):
        fmt = "xlsm" if ext == ".xlsm" or "xl/vbaProject.bin" in names else "xlsx"
        return read_xlsx(name, str(p), fmt, limits)
    if "mimetype" in names and "content.xml" in names:
        raise InputFileError("read.unsupported_format", name, kind="OpenDocument (.ods)")
    if "word/document.xml" in names:
        raise InputFileError("read.unsupported_format", name, kind="Word (.docx)")
    if any(n.startswith("ppt/") for n in names):
        raise InputFileError("read.unsupported_format", name, kind="PowerPoint (.pptx)")
    if any(n.startswith("Index/") and n.endswith(".iwa") for n in names):
        raise InputFileError("read.unsupported_format", name, kind="Apple Numbers")
    if ext in INPUT_SUFFIXES:
        raise InputFileError("read.corrupt", name, ext=ext)
    raise InputFileError("read.unsupported_format", name, kind="ZIP")


def _read_ole(name: str, p: Path, ext: str, limits: Limits) -> WorkbookData:
    kind = ole_kind(str(p))
    if kind == "xls":
        # Isolated: a damaged BIFF stream can make the engine abort the process (tested).
        return run_isolated(read_xls, name, p.read_bytes(), limits, name=name, ext=ext or ".xls")
    if kind == "encrypted_ooxml":
        raise InputFileError("read.password_protected", name)
    if kind == "word":
        raise InputFileError("read.unsupported_format", name, kind="Word (.doc)")
    if kind == "powerpoint":
        raise InputFileError("read.unsupported_format", name, kind="PowerPoint (.ppt)")
    raise InputFileError("read.corrupt", name, ext=ext)


def _read_other(name: str, p: Path, ext: str, head: bytes, limits: Limits) -> WorkbookData:
    low = head[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"%PDF"):
        raise InputFileError("read.unsupported_format", name, kind="PDF")
    if low.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        raise InputFileError("read.unsupported_format", name, kind="Excel XML 2003")
    if low.startswith((b"<!doctype html", b"<html", b"<?xml", b"<table", b"<head", b"<meta")) or (
            b"<html" in low and b"<table" in head.lower()):
        # Web pages saved with an Excel extension (common for "export to Excel" buttons).
        raise InputFileError("read.corrupt", name, ext=ext or "?")
    if head[:2] in (b"\x09\x00", b"\x09\x02", b"\x09\x04") or head[:4] == b"\x09\x08\x08\x00":
        raise InputFileError("read.unsupported_format", name, kind="Excel 2.x–4.x")
    if looks_like_text(head):
        if ext in _TEXT_SUFFIXES or not ext:
            return read_csv(name, p.read_bytes(), limits)
        raise InputFileError("read.unsupported_format", name, kind=ext)
    if ext in INPUT_SUFFIXES:
        raise InputFileError("read.corrupt", name, ext=ext)
    raise InputFileError("read.unsupported_format", name, kind=ext or "?")


def _is_skipped(name: str) -> bool:
    low = name.lower()
    return (low.startswith(("~$", "._", ".~lock")) or low.endswith(_OUTPUT_SUFFIXES)
            or low in _OUTPUT_NAMES)


def iter_input_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Input files: folders expanded recursively to .xlsx/.xlsm/.xls/.csv, sorted, unique.

    Skipped, also when named explicitly: Excel's lock files (``~$x.xlsx``), macOS copies
    (``._x.xlsx``), LibreOffice locks, hidden folders, and this program's own outputs
    (``*.upload.xlsx``, ``*.review.xlsx``, ``*.changes.csv``, ``duplicates.xlsx``). A file named
    explicitly is kept whatever its extension (reading it then says what is wrong), and so is
    one that does not exist (reading it reports ``read.file_missing``).
    """
    found: set[Path] = set()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                found.update(Path(root) / f for f in files
                             if f.lower().endswith(INPUT_SUFFIXES) and not _is_skipped(f))
        elif not p.exists() or not _is_skipped(p.name):
            found.add(p)
    return sorted(found, key=lambda q: (str(q).lower(), str(q)))
