"""Vietnamese message catalogue keyed by reason/message code.

Messages live as YAML files in ``unionclean/messages/vi/`` (one file per area: ``read.yaml``,
``cccd.yaml`` …), each a mapping ``code: "text with {params}"``. Code emits codes; people read
these messages.

Example:
    >>> message("read.file_missing", file="a.xlsx").startswith("Không tìm thấy")
    True
"""
from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from importlib import resources

import yaml

__all__ = ["message", "explain", "catalogue", "has_message"]


@lru_cache(maxsize=1)
def catalogue() -> dict[str, str]:
    """All messages, merged from every YAML file of the Vietnamese catalogue."""
    out: dict[str, str] = {}
    folder = resources.files("unionclean.messages") / "vi"
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".yaml"):
            continue
        data = yaml.safe_load(entry.read_text(encoding="utf-8")) or {}
        for code, text in data.items():
            if code in out:
                raise ValueError(f"message code {code!r} defined twice (in {entry.name})")
            out[str(code)] = str(text)
    return out


def has_message(code: str) -> bool:
    return code in catalogue()


def message(code: str, /, **params: object) -> str:
    """The Vietnamese text of ``code`` with ``params`` filled in; unknown params stay visible."""
    text = catalogue().get(code)
    if text is None:
        return code
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text


def explain(code: str, params: Mapping[str, object]) -> str:
    """:func:`message` for a reason with its params, where a param that is itself a code (a code
    list's name, a field…) is shown as its Vietnamese text."""
    return message(code, **{k: (message(v) if isinstance(v, str) and has_message(v) else v)
                            for k, v in params.items()})
