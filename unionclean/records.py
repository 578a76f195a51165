"""The member record that flows from mapping through normalising, matching and export."""
from __future__ import annotations

from collections.abc import Mapping
import dataclasses
from typing import Any
from dataclasses import dataclass, field

from unionclean.model import Cell, Location, Result

__all__ = ["MemberRecord", "RowFlag", "ReviewItem", "Change", "field_values"]


@dataclass(slots=True)
class RowFlag:
    """A problem found on a record: a field (or "" for the whole row), a reason code, params."""

    field: str
    reason: str
    params: dict[str, str] = dataclasses.field(default_factory=dict)
    hard: bool = True


@dataclass(slots=True)
class MemberRecord:
    """One source member row, then its normalised values.

    ``raw`` holds the source cell per mapped field; ``cols`` the source column letter(s) per
    field; ``res`` the normaliser result per field; ``flags`` every problem found after
    normalising (cross-field checks, duplicates, layout marks)."""

    rec_id: int
    loc: Location
    hidden: bool = False
    raw: dict[str, Cell] = field(default_factory=dict)
    cols: dict[str, str] = field(default_factory=dict)
    res: dict[str, Result] = field(default_factory=dict)
    flags: list[RowFlag] = field(default_factory=list)
    merged_from: list[Location] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

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


@dataclass(slots=True)
class Change:
    """One line of ``changes.csv``: a cell that was changed, and by which rule."""

    loc: Location
    column: Any
    field: str
    before: Any
    after: Any
    rule: str
    params: Mapping[str, object] = dataclasses.field(default_factory=dict)  # the rule's message params (read-only, often shared)
