"""Quê quán: one of the 34 provinces of Vietnam after the 1 July 2025 reform.

Data: ``unionclean/data/codes/province.yaml`` (the 34 new provinces, their variants, and the
provinces of 1965–1996 that were later split) and ``old_provinces.csv`` (the 63 provinces before
the reform plus Hà Tây, with their GSO codes and the new province that absorbed each).

Lookups are exact on :func:`unionclean.normalize.keys.fold_code` keys — never substring guesses
("Hà Nam" is not "Nam Định" is not "Hà Nội"). A longer address is read by its last part.

Example:
    >>> from unionclean.model import Cell
    >>> from unionclean.normalize.base import Context
    >>> normalize_province(Cell("Tỉnh Thanh Hoá"), Context()).value
    'Thanh Hóa'
    >>> r = normalize_province(Cell("Xã Yên Sở, Hoài Đức, Hà Tây"), Context())
    >>> (r.value, r.reason)
    ('Hà Nội', 'province.from_address')
    >>> old_province_code_map()["79"]
    'Hồ Chí Minh'
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml
from rapidfuzz import fuzz, process

from unionclean.model import Cell, Result, Status
from unionclean.normalize.base import Context, flagged, missing, ok_or_changed
from unionclean.normalize.codes import CodeListError
from unionclean.normalize.keys import fold, fold_code
from unionclean.normalize.text import clean_text, font_reading

__all__ = ["normalize_province", "lookup_province", "province_values", "old_province_code_map",
           "old_province_new_map"]

# Administrative prefixes, matched on the folded text (lower case, no diacritics, single spaces).
_ADMIN_PREFIX = re.compile(r"^(?:thanh pho|thu do|tinh|t\s*[./]?\s*p|t)\b[\s.:/]*")
_PARTS = re.compile(r"\s*[,;]\s*")
_DASHES = re.compile(r"\s*[-‐‑–—]\s*")
_COUNTRY = frozenset({"vietnam", "vn"})
_FUZZY_PROPOSAL = 85.0


@dataclass(frozen=True)
class _Entry:
    """What a folded key names: a new province (``kind`` new/alias/old) or several (ambiguous)."""

    new: tuple[str, ...]
    kind: str          # "new" | "alias" | "old" | "ambiguous"
    source: str = ""   # the old or historic name, for messages


@dataclass(frozen=True)
class _Tables:
    values: tuple[str, ...]
    keys: dict[str, _Entry]
    old_codes: dict[str, tuple[str, str, str]]   # code -> (old name, new province, note)
    choices: tuple[str, ...]
    choice_values: tuple[str, ...]


def _data_file(name: str) -> str:
    return (resources.files("unionclean.data") / "codes" / name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    data = yaml.safe_load(_data_file("province.yaml")) or {}
    keys: dict[str, _Entry] = {}

    def add(text: str, entry: _Entry, where: str) -> None:
        key = fold_code(text)
        old = keys.get(key)
        if old is not None:
            if old.new != entry.new:
                raise CodeListError(f"{where}: {text!r} names both {old.new} and {entry.new}")
            return  # the first (more specific) entry wins: new > alias > old
        keys[key] = entry

    values = tuple(str(v) for v in data.get("provinces") or {})
    if len(values) != 34:
        raise CodeListError(f"province.yaml: expected 34 provinces, found {len(values)}")
    for value in values:
        add(value, _Entry((value,), "new"), "province.yaml")
    for value, variants in (data.get("provinces") or {}).items():
        for variant in variants or []:
            add(str(variant), _Entry((str(value),), "alias"), "province.yaml")
    old_codes: dict[str, tuple[str, str, str]] = {}
    for row in csv.DictReader(io.StringIO(_data_file("old_provinces.csv"))):
        name, new = row["name"].strip(), row["new_province"].strip()
        if new not in values:
            raise CodeListError(f"old_provinces.csv: {name!r} maps to unknown province {new!r}")
        old_codes[row["code"].strip()] = (name, new, (row.get("note") or "").strip())
        kind = "alias" if fold_code(name) == fold_code(new) else "old"
        for text in [name, *filter(None, (v.strip() for v in (row["variants"] or "").split(";")))]:
            add(text, _Entry((new,), kind, name), "old_provinces.csv")
    for name, news in (data.get("historic") or {}).items():
        news = tuple(str(n) for n in news)
        unknown = [n for n in news if n not in values]
        if unknown:
            raise CodeListError(f"province.yaml: historic {name!r}: unknown provinces {unknown}")
        add(str(name), _Entry(news, "old" if len(news) == 1 else "ambiguous", str(name)),
            "province.yaml")
    choices = tuple(k for k, e in keys.items() if len(e.new) == 1 and len(k) > 3)
    return _Tables(values, keys, old_codes, choices, tuple(keys[k].new[0] for k in choices))


def province_values() -> list[str]:
    """The 34 canonical province names, in official order (for drop-downs)."""
    return list(_tables().values)


def old_province_code_map(include_ha_tay: bool = False) -> dict[str, str]:
    """Old 2-digit GSO province code → old province name (the 63 provinces before 1 July 2025).

    These are the codes behind a CCCD's first three digits (``0`` + code). Hà Tây (28) was merged
    into Hà Nội in 2008, before CCCD existed: it is only included when asked for.
    """
    return {code: name for code, (name, _new, _note) in _tables().old_codes.items()
            if include_ha_tay or code != "28"}


def old_province_new_map() -> dict[str, str]:
    """Old province name (63 + Hà Tây) → the new province that absorbed it."""
    return {name: new for name, new, _note in _tables().old_codes.values()}


def _lookup_exact(text: str) -> tuple[_Entry | None, bool]:
    """Entry for a whole cell or address part, and whether an administrative prefix was removed."""
    keys = _tables().keys
    entry = keys.get(fold_code(text))
    if entry is not None:
        return entry, False
    stripped = _ADMIN_PREFIX.sub("", fold(text), count=1)
    if stripped and stripped != fold(text):
        entry = keys.get(fold_code(stripped))
        if entry is not None:
            return entry, True
    return None, False


def lookup_province(text: str) -> tuple[_Entry | None, str]:
    """The province a cleaned cell names: ``(entry, how)``, how being ``whole`` or ``address``."""
    entry, _ = _lookup_exact(text)
    if entry is not None:
        return entry, "whole"
    for split in (_PARTS, _DASHES):
        parts = [p for p in split.split(text) if fold_code(p)]
        had_country = False
        while len(parts) > 1 and fold_code(parts[-1]) in _COUNTRY:
            parts.pop()
            had_country = True
        if not parts:
            return None, ""
        if len(parts) > 1 or had_country or parts[0] != text:
            entry, _ = _lookup_exact(parts[-1])
            if entry is not None:
                return entry, ("address" if len(parts) > 1 or had_country else "whole")
        text = parts[-1]
    return None, ""


def _suffix_guess(text: str) -> str:
    """A province named by the last words of an unseparated address (a proposal only)."""
    words = text.split()
    for n in range(min(4, len(words) - 1), 0, -1):
        entry = _tables().keys.get(fold_code(" ".join(words[-n:])))
        if entry is not None and len(entry.new) == 1:
            return entry.new[0]
    return ""


def _candidates(key: str) -> list[str]:
    t = _tables()
    found: list[str] = []
    # Choices are folded keys already: the processor is explicitly none.
    for _c, _score, idx in process.extract(key, t.choices, scorer=fuzz.ratio, processor=None,
                                           limit=40):
        if t.choice_values[idx] not in found:
            found.append(t.choice_values[idx])
        if len(found) == 3:
            break
    return found


def _normalize_province(cell: Cell) -> Result:
    text, text_reason = clean_text(cell)
    key = fold_code(text)
    if not key:
        return missing()
    entry, how = lookup_province(text)
    if entry is None:
        reading = font_reading(cell)
        if reading is not None:
            entry, how = lookup_province(reading[0])
            if entry is not None:
                text, text_reason = reading
    if entry is None:
        found = _candidates(key)
        best = found[0] if found else ""
        proposal = _suffix_guess(text) or (
            best if best and fuzz.ratio(key, fold_code(best)) >= _FUZZY_PROPOSAL else "")
        return flagged("province.unknown", proposal=proposal, candidates=", ".join(found))
    if entry.kind == "ambiguous":
        return flagged("province.ambiguous", old=entry.source, candidates=", ".join(entry.new))
    value = entry.new[0]
    params = {"new": value, "old": entry.source} if entry.source else {"new": value}
    if how == "address":
        return Result(value, Status.CHANGED, "province.from_address", params=params)
    if entry.kind == "old":
        return Result(value, Status.CHANGED, "province.old_mapped", params=params)
    if value == text:
        return ok_or_changed(value, cell.text, text_reason)
    reason = "province.spelling" if entry.kind == "new" else "province.alias"
    return Result(value, Status.CHANGED, reason, params=params)


@lru_cache(maxsize=50_000)
def _normalize_province_cached(cell: Cell) -> Result:
    return _normalize_province(cell)


def normalize_province(cell: Cell, ctx: Context) -> Result:
    """Normalise a Quê quán cell to one of the 34 provinces after the 2025 reform.

    Returns ``ok``/``changed`` (``province.spelling``, ``province.alias``,
    ``province.old_mapped``, ``province.from_address``), ``missing``, or ``flagged``
    (``province.ambiguous`` for a province later split between several, ``province.unknown``
    with up to three candidates).
    """
    if cell.is_empty:
        return missing()
    try:
        return _normalize_province_cached(cell)
    except TypeError:
        return _normalize_province(cell)
