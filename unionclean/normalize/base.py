"""What every normaliser shares: the run context and small result helpers.

A normaliser is a pure function ``(cell: Cell, ctx: Context) -> Result``. It never raises for bad
data: what it cannot make canonical with certainty it flags with a reason code.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from unionclean.model import Cell, Result, Status

__all__ = ["Context", "ok_or_changed", "flagged", "missing", "Cell", "Result", "Status"]


@dataclass(frozen=True)
class Context:
    """Run-level facts a normaliser may need. Frozen and hashable, so results can be memoised
    per (cell, context).

    Attributes:
        today: "Today" for plausibility checks: the run date, fixed by the recipe on replay.
        date_order: Day/month order decided for the column: ``"dmy"`` (default), ``"mdy"``, or
            ``"mixed"`` (both orders present: every text date with day and month ≤ 12 is flagged).
        ethnic_list: Name of the numeric ethnic-code list the unit used, if the run says so.
        gender_codes: Codes stated in a gender column's header, e.g. ``(("1", "Nam"), ("0", "Nữ"))``.
        header: Source header text of the column, for rules that need it (no built-in normaliser
            reads it; the pipeline leaves it empty so that memos are shared across units).
    """

    today: date = field(default_factory=date.today)
    date_order: str = "dmy"
    ethnic_list: str | None = None
    gender_codes: tuple[tuple[str, str], ...] = ()
    header: str = ""


def ok_or_changed(value: str, raw: str, reason: str = "", **kw) -> Result:
    """``ok`` when the canonical value equals the raw text, else ``changed`` with ``reason``."""
    if value == raw:
        return Result(value, Status.OK, "", **kw)
    return Result(value, Status.CHANGED, reason, **kw)


def flagged(reason: str, proposal: str = "", soft: bool = False, value: str = "", **params: str) -> Result:
    """A flagged result: nothing uploaded (unless ``soft``), a reason and an optional proposal."""
    return Result(value if soft else "", Status.FLAGGED, reason, proposal=proposal,
                  params={k: str(v) for k, v in params.items()}, soft=soft)


MISSING = Result("", Status.MISSING, "")


def missing() -> Result:
    return MISSING
