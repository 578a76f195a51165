"""Field type (from the template spec) → normaliser function.

Example:
    >>> get_normalizer("email").__name__
    'normalize_email'
"""
from __future__ import annotations

from functools import lru_cache, partial
from typing import Callable

from unionclean.model import Cell, Result
from unionclean.normalize.base import Context

Normalizer = Callable[[Cell, Context], Result]

__all__ = ["get_normalizer", "Normalizer"]


@lru_cache(maxsize=64)
def get_normalizer(field_type: str) -> Normalizer:
    """The normaliser for a spec column ``type`` (``name``, ``date``, ``code:ethnic`` …)."""
    if field_type.startswith("code:"):
        from unionclean.normalize.codes import normalize_code

        fn = partial(normalize_code, field_type.split(":", 1)[1])
        fn.__name__ = f"normalize_code_{field_type[5:]}"  # type: ignore[attr-defined]
        return fn
    if field_type == "name":
        from unionclean.normalize.names import normalize_name as fn
    elif field_type == "date":
        from unionclean.normalize.dates import normalize_date as fn
    elif field_type == "gender":
        from unionclean.normalize.gender import normalize_gender as fn
    elif field_type == "cccd":
        from unionclean.normalize.ids import normalize_cccd as fn
    elif field_type == "phone":
        from unionclean.normalize.phones import normalize_phone as fn
    elif field_type == "email":
        from unionclean.normalize.email import normalize_email as fn
    elif field_type == "province":
        from unionclean.normalize.provinces import normalize_province as fn
    elif field_type == "education":
        from unionclean.normalize.codes import normalize_education as fn
    elif field_type == "text":
        from unionclean.normalize.text import normalize_text as fn
    else:
        raise ValueError(f"unknown field type {field_type!r} in the template spec")
    return fn
