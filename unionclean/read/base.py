"""What a reader returns: every sheet of a workbook as rows of :class:`~unionclean.model.Cell`."""
from __future__ import annotations

from dataclasses import dataclass, field

from unionclean.model import Cell

__all__ = ["SheetData", "Row", "WorkbookData", "column_letter", "engine_failure"]


@dataclass(slots=True)
class Row:
    """One source row. ``number`` is the Excel row number (1-based; CSV: 1-based record number).
    ``cells[i]`` is column i (0-based; column letter = ``column_letter(i)``), ``None`` when empty."""

    number: int
    cells: list[Cell | None]
    hidden: bool = False


@dataclass(slots=True)
class SheetData:
    """One sheet: its name ("" for CSV), whether it is hidden, and its non-empty rows in order.

    ``merged`` lists merged ranges as ``(first_row, first_col, last_row, last_col)`` (1-based
    rows, 0-based columns), used to join two-row headers."""

    name: str
    hidden: bool = False
    rows: list[Row] = field(default_factory=list)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)


@dataclass(slots=True)
class WorkbookData:
    """A whole input file. ``path`` as given; ``format`` one of xlsx, xlsm, xls, csv;
    ``encoding`` for CSV (e.g. "utf-8-sig", "utf-16", "cp1258")."""

    path: str
    format: str
    sheets: list[SheetData] = field(default_factory=list)
    encoding: str | None = None


def column_letter(index: int) -> str:
    """0-based column index → Excel letters. ``column_letter(0) == "A"``, ``column_letter(27) == "AB"``."""
    s, n = "", index + 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def engine_failure(exc: BaseException) -> bool:
    """Whether ``exc`` is how a reading engine gives up on a damaged file: an ordinary error,
    or a panic of a Rust extension (PyO3's ``PanicException`` derives from ``BaseException``,
    so ``except Exception`` lets it kill the whole run). Interrupts and exits are not."""
    return isinstance(exc, Exception) or type(exc).__module__ == "pyo3_runtime"
