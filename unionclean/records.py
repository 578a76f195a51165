"""The member record that flows from mapping through normalising, matching and export."""
from __future__ import annotations

from collections.abc import Mapping
import dataclasses
from typing import Any
from dataclasses import dataclass

from unionclean.model import Cell, Location, Result, fields_equal, fields_repr

__all__ = ["MemberRecord", "RowFlag", "ReviewItem", "Change", "field_values"]


@dataclass(slots=True)
class RowFlag:
    """A problem found on a record: a field (or "" for the whole row), a reason code, params."""

    field: str
    reason: str
    params: dict[str, str] = dataclasses.field(default_factory=dict)
    hard: bool = True


class MemberRecord:
    """One source member row, then its normalised values.

    ``raw`` holds the source cell per mapped field; ``cols`` the source column letter(s) per
    field; ``res`` the normaliser result per field; ``flags`` every problem found after
    normalising (cross-field checks, duplicates, layout marks). A plain class, equal and shown
    like a dataclass (see :class:`unionclean.model.Result`: one is made per source row)."""

    __slots__ = ("rec_id", "loc", "hidden", "raw", "cols", "res", "flags", "merged_from", "notes")

    def __init__(self, rec_id: int, loc: Location, hidden: bool = False, raw: dict[str, Cell] | None = None,
                 cols: dict[str, str] | None = None, res: dict[str, Result] | None = None,
                 flags: list[RowFlag] | None = None, merged_from: list[Location] | None = None,
                 notes: list[str] | None = None) -> None:
        self.rec_id = rec_id
        self.loc = loc
        self.hidden = hidden
        self.raw: dict[str, Cell] = {} if raw is None else raw
        self.cols: dict[str, str] = {} if cols is None else cols
        self.res: dict[str, Result] = {} if res is None else res
        self.flags: list[RowFlag] = [] if flags is None else flags
        self.merged_from: list[Location] = [] if merged_from is None else merged_from
        self.notes: list[str] = [] if notes is None else notes

    def _fields(self) -> tuple:
        return (self.rec_id, self.loc, self.hidden, self.raw, self.cols, self.res, self.flags, self.merged_from,
                self.notes)

    def __eq__(self, other: object) -> Any:
        return fields_equal(self, other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return fields_repr(self)

    def value(self, f: str) -> str:
        r = self.res.get(f)
        return r.value if r is not None else ""


def field_values(records: list[MemberRecord], f: str) -> list[str]:
    """``[r.value(f) for r in records]`` without a method call per record (millions in a run)."""
    return [x.value if (x := r.res.get(f)) is not None else "" for r in records]


@dataclass(slots=True)
class ReviewItem:
    """One line of the review file: where, which column, what was there, what we propose, why."""

    loc: Location
    field: str
    column: str
    original: str
    proposal: str
    reason: str
    params: dict[str, str]
    held_back: bool
    rec_id: int | None = None


class Change:
    """One line of ``changes.csv``: a cell that was changed, and by which rule (``params``: the
    rule's message params, read-only and often shared). A plain class for the reason given in
    :class:`unionclean.model.Result`."""

    __slots__ = ("loc", "column", "field", "before", "after", "rule", "params")

    def __init__(self, loc: Location, column: Any, field: str, before: Any, after: Any, rule: str,
                 params: Mapping[str, object] | None = None) -> None:
        self.loc = loc
        self.column = column
        self.field = field
        self.before = before
        self.after = after
        self.rule = rule
        self.params: Mapping[str, object] = {} if params is None else params

    def _fields(self) -> tuple:
        return (self.loc, self.column, self.field, self.before, self.after, self.rule, self.params)

    def __eq__(self, other: object) -> Any:
        return fields_equal(self, other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return fields_repr(self)
