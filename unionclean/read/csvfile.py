"""Read CSV: decode the bytes, find the delimiter, one sheet named "".

Encodings, in order: a BOM (UTF-8, UTF-16, UTF-32), UTF-16 without a BOM (NUL bytes on every
other position), strict UTF-8, strict cp1258 (Excel's "CSV" on Vietnamese Windows: it writes
decomposed tone marks, which the text normaliser composes), strict cp1252, else Latin-1.
Delimiter: the one of ``,`` ``;`` tab that splits the first lines most consistently.
``Row.number`` is the 1-based record number, blank records included, so it is the row number
Excel shows when it opens the file. Every cell is text (kind ``"s"``).
"""
from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from itertools import chain, islice

from unionclean.errors import InputFileError
from unionclean.read.base import Row, SheetData, WorkbookData
from unionclean.read.xlsx import CellMaker, Limits

__all__ = ["read_csv", "decode", "sniff_delimiter"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_FALLBACKS = ("utf-8", "cp1258", "cp1252")
_DELIMITERS = (",", ";", "\t")
_BLOCK = 4096  # records converted at a time


def decode(data: bytes) -> tuple[str, str] | None:
    """``(text, encoding)`` of CSV bytes, or None when they are not text."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                return None
    head = data[:4096]
    if head.count(b"\x00") * 4 > len(head):
        enc = "utf-16-le" if head[1::2].count(b"\x00") > head[0::2].count(b"\x00") else "utf-16-be"
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            return None
    for enc in _FALLBACKS:
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def looks_like_text(data: bytes) -> bool:
    """True when ``data`` (the start of a file) is plausibly delimited text, not binary."""
    if not data:
        return False
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return True
    head = data[:4096]
    if head.count(b"\x00") * 4 > len(head):
        return head[1::2].count(b"\x00") * 2 > len(head) // 2 or head[0::2].count(b"\x00") * 2 > len(head) // 2
    if b"\x00" in head:
        return False
    controls = sum(head.count(bytes([b])) for b in range(32) if b not in (9, 10, 13))
    return controls * 100 <= len(head)


def sniff_delimiter(text: str) -> str:
    """The delimiter among ``,`` ``;`` tab that splits the first lines most consistently."""
    lines = [ln for ln in text[:65536].splitlines()[:50] if ln.strip()]
    if len(lines) > 1:
        lines = lines[:-1]  # the sample may end mid-line
    best, best_score = ",", (0, 0)
    for d in _DELIMITERS:
        counts = [ln.count(d) for ln in lines]
        if not any(counts):
            continue
        mode, freq = Counter(c for c in counts if c).most_common(1)[0]
        score = (freq, mode)
        if score > best_score:
            best, best_score = d, score
    return best


def read_csv(path: str, data: bytes, limits: Limits) -> WorkbookData:
    """Read CSV bytes into one sheet named ""."""
    decoded = decode(data)
    if decoded is None or "\x00" in decoded[0]:
        raise InputFileError("read.corrupt", path, ext=".csv")
    text, encoding = decoded
    if text.startswith("\ufeff"):
        text = text[1:]
    delimiter = sniff_delimiter(text)
    rows: list[Row] = []
    memo = CellMaker(None).memo(None)
    get = memo.__getitem__
    width = 0
    records = enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1)
    # In blocks: each block's distinct values become cells at once (see _Memo.fill), then every
    # record is a C-level map of look-ups. The cell limit is still checked as the file is read,
    # row by row when a block crosses it, so a huge file fails as early as before.
    while True:
        block: list[tuple[int, list[str]]] = []
        error: csv.Error | None = None
        try:
            for item in islice(records, _BLOCK):
                block.append(item)
        except csv.Error as exc:
            error = exc
        memo.fill(set(chain.from_iterable(record for _, record in block)))
        kept = [Row(number, cells) for number, record in block
                if record and any(cells := list(map(get, record)))]
        n_cells = sum(len(row.cells) for row in kept)
        if limits.cells_used + n_cells > limits.max_cells:
            for row in kept:     # raises at the row that crosses the limit
                limits.add_cells(len(row.cells), path)
        limits.add_cells(n_cells, path)
        if kept:
            width = max(width, max(len(row.cells) for row in kept))
            rows.extend(kept)
        if error is not None:
            raise InputFileError("read.corrupt", path, ext=".csv") from error
        if len(block) < _BLOCK:
            break
    for row in rows:
        if len(row.cells) < width:
            row.cells.extend([None] * (width - len(row.cells)))
    return WorkbookData(str(path), "csv", [SheetData("", False, rows)], encoding=encoding)
