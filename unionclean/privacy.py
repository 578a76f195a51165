"""Masking of personal identifiers for everything that is not the upload/review/changes files:
notebook displays, logs, manifests, console output and error messages.

Example:
    >>> mask_id("001076081211")
    '001*******11'
    >>> mask_phone("0910062582")
    '091*****82'
    >>> mask_text("gọi 0910062582 hoặc CCCD 001076081211")
    'gọi 091*****82 hoặc CCCD 001*******11'
"""
from __future__ import annotations

import re

import pandas as pd

__all__ = ["mask_id", "mask_phone", "mask_text", "mask_frame", "SENSITIVE_FIELDS"]

#: Template fields whose values are masked in previews.
SENSITIVE_FIELDS = ("so_cccd", "so_dien_thoai")
_DIGIT_RUN = re.compile(r"(?<![\d])(\+?\d[\d .\-]{6,18}\d)(?![\d])")


def _mask_digits(s: str, keep_start: int, keep_end: int) -> str:
    digits = [i for i, ch in enumerate(s) if ch.isdigit()]
    if len(digits) <= keep_start + keep_end:
        return "*" * len(s)
    hidden = set(digits[keep_start:len(digits) - keep_end])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(s))


def mask_id(value: str) -> str:
    """Keep the first 3 and last 2 digits of an ID number."""
    return _mask_digits(str(value), 3, 2) if value else ""


def mask_phone(value: str) -> str:
    """Keep the first 3 and last 2 digits of a phone number."""
    return _mask_digits(str(value), 3, 2) if value else ""


def mask_text(text: str) -> str:
    """Mask every run of 8 or more digits (IDs, phones) inside free text."""
    def repl(m: re.Match) -> str:
        s = m.group(1)
        return _mask_digits(s, 3, 2) if sum(ch.isdigit() for ch in s) >= 8 else s

    return _DIGIT_RUN.sub(repl, text) if text else text


def mask_frame(df: pd.DataFrame, columns=None) -> pd.DataFrame:
    """A copy of ``df`` with ID and phone columns masked (and digit runs in other text columns)."""
    out = df.copy()
    cols = columns if columns is not None else list(out.columns)
    for c in cols:
        if c not in out.columns:
            continue
        if c in SENSITIVE_FIELDS or "cccd" in str(c).lower() or "điện thoại" in str(c).lower():
            out[c] = out[c].map(lambda v: mask_id(str(v)) if isinstance(v, str) and v else v)
        elif out[c].dtype == object or str(out[c].dtype).startswith(("string", "str")):
            out[c] = out[c].map(lambda v: mask_text(v) if isinstance(v, str) else v)
    return out
