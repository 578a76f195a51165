"""A small block-style YAML writer for recipes: dicts, lists, str, int, float, bool, None.

PyYAML's representer is pure Python and visits every node: a province's recipe (a column
mapping per unit file, ~1.4 million nodes for 2,900 files) took it many seconds at the end of a
run. Recipes repeat the same few scalars (field keys, column letters, header texts) thousands of
times, so this writer renders each distinct scalar once and joins lines.

Safety first: a string is written plain only when it is made of letters, digits, spaces and a
few harmless punctuation marks and PyYAML's own resolver reads it back as a string; everything
else is double-quoted with escapes. ``tests/test_recipe.py`` checks with generated data that
PyYAML loads back exactly what was written. Anything this writer does not know (another type, a
very long key) falls back to PyYAML.

Example:
    >>> print(dump({"a": [1, "x y", {"b": None}], "c": {}, "d": "yes"}), end="")
    a:
    - 1
    - x y
    - b: null
    c: {}
    d: "yes"
"""
from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any

import yaml
from yaml.nodes import ScalarNode

__all__ = ["dump"]

_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()
# Plain-safe: starts with a letter, digit, "_" or "(", then letters, digits, spaces and
# . _ / ( ) + , ; ' - ; no ":" "#", brackets, quotes at the start, line breaks (incl. U+0085,
# U+2028, U+2029) or control characters; no trailing space.
_PLAIN = re.compile("[A-Za-z0-9_(\u00c0-\u024f\u1e00-\u1eff]"
                    "[A-Za-z0-9_ ./()+,;'\\-\u00a1-\u2027\u202a-\ud7ff]*(?<! )")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\x00": "\\0"}
_PRINTABLE = re.compile("[\x20-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_MAX_KEY = 1000  # a simple key must be shorter than 1024 characters


class _Unsupported(Exception):
    """A value this writer does not handle: the caller falls back to PyYAML."""


def _quote(s: str) -> str:
    out = []
    for ch in s:
        e = _ESCAPES.get(ch)
        if e is not None:
            out.append(e)
        elif _PRINTABLE.match(ch):
            out.append(ch)
        else:
            o = ord(ch)
            out.append(f"\\x{o:02X}" if o < 0x100 else f"\\u{o:04X}" if o < 0x10000 else f"\\U{o:08X}")
    return '"' + "".join(out) + '"'


@lru_cache(maxsize=65_536)
def _string(s: str) -> str:
    if _PLAIN.fullmatch(s) and _RESOLVER.resolve(ScalarNode, s, (True, False)) == _STR_TAG:
        return s
    return _quote(s)


def _scalar(v: Any) -> str:
    if isinstance(v, str):
        return _string(v)
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return ".nan"
        if math.isinf(v):
            return ".inf" if v > 0 else "-.inf"
        r = repr(v)
        if "." not in r and "e" in r:  # 1e+20: YAML 1.1 floats need a dot
            r = r.replace("e", ".0e")
        return r
    raise _Unsupported(type(v).__name__)


def _key(k: Any) -> str:
    if isinstance(k, (dict, list)) or (isinstance(k, str) and len(k) > _MAX_KEY):
        raise _Unsupported("key")
    return _scalar(k)


def _map(d: dict, ind: int, out: list[str], lead: str | None = None) -> None:
    pad = " " * ind
    for k, v in d.items():
        head = f"{pad if lead is None else lead}{_key(k)}:"
        lead = None
        if isinstance(v, dict) and v:
            out.append(head + "\n")
            _map(v, ind + 2, out)
        elif isinstance(v, list) and v:
            out.append(head + "\n")
            _seq(v, ind, out)
        else:
            out.append(f"{head} {_empty_or_scalar(v)}\n")


def _seq(items: list, ind: int, out: list[str], lead: str | None = None) -> None:
    pad = " " * ind
    for item in items:
        head = (pad if lead is None else lead) + "- "
        lead = None
        if isinstance(item, dict) and item:
            _map(item, ind + 2, out, lead=head)
        elif isinstance(item, list) and item:
            _seq(item, ind + 2, out, lead=head)
        else:
            out.append(f"{head}{_empty_or_scalar(item)}\n")


def _empty_or_scalar(v: Any) -> str:
    if isinstance(v, dict):
        return "{}"
    if isinstance(v, list):
        return "[]"
    if isinstance(v, tuple):
        raise _Unsupported("tuple")
    return _scalar(v)


def dump(doc: dict[str, Any], **pyyaml_kw: Any) -> str:
    """``doc`` as block-style YAML; ``pyyaml_kw`` are used only when falling back to
    ``yaml.safe_dump`` for a value this writer does not handle."""
    out: list[str] = []
    try:
        if not isinstance(doc, dict):
            raise _Unsupported("document")
        if not doc:
            return "{}\n"
        _map(doc, 0, out)
    except _Unsupported:
        return yaml.safe_dump(doc, **pyyaml_kw)
    return "".join(out)
