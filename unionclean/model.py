"""Core data types shared by every pipeline stage.

A :class:`Cell` is one source cell as the reader saw it: its text, what Excel stored (text,
number, date, bool), the typed value and the font name (the strongest signal of a legacy
Vietnamese encoding). A :class:`Result` is what a normaliser makes of one cell.
"""
from __future__ import annotations

from enum import Enum
from typing import Any, NamedTuple

__all__ = ["Cell", "Status", "Result", "Location", "EMPTY", "fields_equal", "fields_repr"]


class Cell(NamedTuple):
    """One raw source cell (immutable and hashable: normalisers memoise on it).

    Attributes:
        text: The cell as text ("" when empty). For numbers, the shortest exact decimal text
            (``"79215000000"``, ``"12.5"``); for dates, ISO ``yyyy-mm-dd`` (plus time if any).
        kind: ``"s"`` text, ``"n"`` number, ``"d"`` date/datetime, ``"b"`` boolean, ``""`` empty.
        value: The typed value for numbers (int/float), dates (datetime/date) and booleans.
        font: Font name of the cell (xlsx/xls only), e.g. ``".VnTime"`` or ``"VNI-Times"``.

    A NamedTuple rather than a frozen dataclass: readers make millions of cells, and a tuple
    is built about five times faster.

    Example:
        >>> Cell("Nguyễn Văn An").is_empty
        False
    """

    text: str = ""
    kind: str = "s"
    value: Any = None
    font: str | None = None

    @property
    def is_empty(self) -> bool:
        return self.kind == "" or not self.text.strip()


EMPTY = Cell("", "")


class Status(str, Enum):
    """Outcome of normalising one cell."""

    OK = "ok"            # already canonical
    CHANGED = "changed"  # made canonical with certainty
    FLAGGED = "flagged"  # cannot be made canonical with certainty: needs a person
    MISSING = "missing"  # empty source cell


def fields_equal(a: Any, b: object) -> Any:
    """``a == b`` for the plain record classes (:class:`Result`, :class:`Location`,
    ``records.Change``, ``records.MemberRecord``): the same class and the same ``_fields()``."""
    if b.__class__ is not a.__class__:
        return NotImplemented
    return a._fields() == b._fields()  # type: ignore[attr-defined]


def fields_repr(a: Any) -> str:
    """``Class(name=value, …)`` over ``__slots__``, as a dataclass shows itself."""
    return f"{type(a).__name__}(" + ", ".join(f"{k}={v!r}" for k, v in zip(a.__slots__, a._fields())) + ")"


class Result:
    """What a normaliser makes of one cell.

    Attributes:
        value: Canonical value to upload ("" when missing or flagged: a flagged cell is never
            uploaded with a guess).
        status: See :class:`Status`.
        reason: Stable reason code, ``"<area>.<what>"`` (e.g. ``"cccd.leading_zero_restored"``);
            "" for ``ok``. Every code has a Vietnamese message in ``unionclean/messages/vi/``.
        proposal: For flagged cells, a suggestion shown in the review file only (never uploaded).
        params: Message parameters, e.g. ``{"candidates": "Hà Nội, Hà Tĩnh"}``.
        note: Text the exporter appends to Ghi chú (e.g. ``"SĐT khác: 0912345678"``).
        soft: A soft flag (e.g. a name without diacritics): the row is still uploaded, with the
            value, and listed in the review file.

    Results are cached and shared between cells: treat them as read-only. A plain class with
    its own ``__init__`` (equal and shown like a dataclass): millions are made in a province
    run, and compiled (``scripts/build_native.py``) its constructor is native code, where a
    dataclass keeps the interpreted ``__init__`` that :mod:`dataclasses` generates.
    """

    __slots__ = ("value", "status", "reason", "proposal", "params", "note", "soft")

    def __init__(self, value: str, status: Status, reason: str = "", proposal: str = "",
                 params: dict[str, str] | None = None, note: str = "", soft: bool = False) -> None:
        self.value = value
        self.status = status
        self.reason = reason
        self.proposal = proposal
        self.params: dict[str, str] = {} if params is None else params
        self.note = note
        self.soft = soft

    def _fields(self) -> tuple:
        return (self.value, self.status, self.reason, self.proposal, self.params, self.note, self.soft)

    def __eq__(self, other: object) -> Any:
        return fields_equal(self, other)

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it replaces

    def __repr__(self) -> str:
        return fields_repr(self)

    @property
    def flagged(self) -> bool:
        return self.status is Status.FLAGGED


class Location:
    """Where a source row lives: file name, sheet ("" for CSV) and Excel row number (CSV: 1-based
    record number). Immutable by convention, equal and hashable by its three parts (a plain
    class rather than a frozen dataclass: see :class:`Result`)."""

    __slots__ = ("file", "sheet", "row")

    def __init__(self, file: str, sheet: str, row: int) -> None:
        self.file = file
        self.sheet = sheet
        self.row = row

    def _fields(self) -> tuple:
        return (self.file, self.sheet, self.row)

    def __eq__(self, other: object) -> Any:
        return fields_equal(self, other)

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return fields_repr(self)

    def __str__(self) -> str:
        return f"{self.file}|{self.sheet}|{self.row}" if self.sheet else f"{self.file}|{self.row}"
