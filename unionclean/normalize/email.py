"""Email normaliser: lower case, trimmed, no spaces, exactly one ``@`` and a dot in the domain.

``mailto:`` and surrounding ``<>``/quotes are stripped. No ``@``, two ``@``, two addresses in one
cell or a domain without a dot are flagged ``email.invalid`` (never uploaded); for two addresses
the first one is offered as the proposal in the review file.

Example:
    >>> from unionclean.normalize.base import Context
    >>> normalize_email(Cell(" An.Nguyen@Gmail.com "), Context()).value
    'an.nguyen@gmail.com'
    >>> normalize_email(Cell("an.nguyen.gmail.com"), Context()).reason
    'email.invalid'
"""
from __future__ import annotations

import re
from functools import lru_cache

from unionclean.model import Cell, Result, Status
from unionclean.normalize.base import MISSING, Context, flagged
from unionclean.normalize.text import clean_text

__all__ = ["normalize_email", "is_valid_email"]

_MAILTO = re.compile(r"^\s*mailto\s*:\s*", re.I)
_WRAP = " \t<>\"'()[]"
_LIST_SEP = re.compile(r"[;,/|]+|\s+(?:và|hoặc|or|and)\s+|\s+", re.I)
_VALID = re.compile(
    r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z](?:[a-z0-9-]*[a-z0-9])?")
_SPACE = re.compile(r"\s+")


def is_valid_email(address: str) -> bool:
    """True for a canonical address: lower-case ASCII, one ``@``, a dotted domain."""
    return bool(_VALID.fullmatch(address))


@lru_cache(maxsize=100_000)
def _normalize(kind: str, raw: str, font: str | None) -> Result:
    # Plain ASCII hides no legacy encoding (and VIQR-looking "a." must stay as typed).
    text = " ".join(raw.split()) if raw.isascii() else clean_text(Cell(raw, kind, None, font))[0]
    text = _MAILTO.sub("", text).strip(_WRAP + ";,.")
    if not text:
        return MISSING
    parts = [p.strip(_WRAP + ".") for p in _LIST_SEP.split(text)]
    parts = [p for p in parts if p]
    with_at = [p for p in parts if "@" in p]
    if len(with_at) >= 2:  # two addresses in one cell
        first = _MAILTO.sub("", with_at[0]).lower()
        return flagged("email.invalid", proposal=first if is_valid_email(first) else "")
    value = _SPACE.sub("", text).lower()
    if not is_valid_email(value):
        return flagged("email.invalid")
    if value == raw:
        return Result(value, Status.OK)
    reason = "email.lowercased" if value == raw.lower() else "email.cleaned"
    return Result(value, Status.CHANGED, reason)


def normalize_email(cell: Cell, ctx: Context) -> Result:
    """Normalise one email cell (see the module docstring).

    Reasons: ``email.lowercased``, ``email.cleaned`` (changed); ``email.invalid`` (flagged).
    """
    if cell.kind == "" or not cell.text:
        return MISSING
    if cell.kind in ("n", "b", "d"):
        return flagged("email.invalid")
    raw = cell.text
    if raw.isascii():  # fast path: a valid address, possibly in mixed case
        low = raw.lower()
        if _VALID.fullmatch(low):
            return Result(raw, Status.OK) if low == raw else Result(low, Status.CHANGED, "email.lowercased")
    return _normalize(cell.kind, raw, cell.font)
