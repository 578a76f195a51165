"""Code-list normalisers: Dân tộc, Tôn giáo, Trình độ chuyên môn, Lý luận chính trị, Chức vụ
công đoàn (:func:`normalize_code`) and Trình độ văn hóa (:func:`normalize_education`).

The lists are readable data files, ``unionclean/data/codes/<list>.yaml``: canonical values, their
accepted variants, optional first-word prefixes, and for the ethnic group named numeric orderings.
Everything matches on :func:`unionclean.normalize.keys.fold_code` (no case, diacritics, spaces,
hyphens, apostrophes, dots); what does not match exactly is flagged with the closest canonical
values as candidates, never guessed.

Example:
    >>> from unionclean.model import Cell
    >>> from unionclean.normalize.base import Context
    >>> normalize_code("ethnic", Cell("H'Mông"), Context()).value
    'Mông'
    >>> normalize_code("union_position", Cell("UV BCH"), Context()).value
    'Ủy viên Ban Chấp hành'
    >>> normalize_code("ethnic", Cell("8", "n", 8), Context()).reason
    'code.numeric_ambiguous'
    >>> normalize_education(Cell("THPT"), Context()).value
    '12/12'
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from rapidfuzz import fuzz, process

from unionclean.errors import UnionCleanError
from unionclean.model import Cell, Result, Status
from unionclean.normalize.base import Context, flagged, missing, ok_or_changed
from unionclean.normalize.keys import fold_code
from unionclean.normalize.text import clean_text, font_reading

__all__ = ["CodeList", "CodeListError", "load_list", "code_values", "numeric_list_names",
           "normalize_code", "normalize_education", "match_code", "split_words"]

CODE_LISTS = ("ethnic", "religion", "professional", "political", "union_position", "gender")
_WORD_SPLIT = re.compile(r"[\s.,;:/()\[\]\-‐‑–—]+")
_PAREN = re.compile(r"^(.*?)\s*\((.*)\)$")
_NUMBER = re.compile(r"\d{1,3}")
_FUZZY_PROPOSAL = 85.0


class CodeListError(UnionCleanError):
    """A code-list data file is malformed (names the file and the problem)."""


@dataclass(frozen=True)
class CodeList:
    """One code list loaded from ``unionclean/data/codes/<name>.yaml``.

    Attributes:
        name: File name without extension (``ethnic``).
        title: Vietnamese column title, used in messages (``Dân tộc``).
        values: Canonical values in the file's order (the drop-down list).
        keys: Folded key → canonical value ("" for a "none" value such as LLCT ``Không``).
        canonical_keys: Folded keys of the canonical spellings themselves.
        prefixes: Folded key of leading words → canonical value.
        strip_prefixes / strip_suffixes: Folded keys of words that may be dropped at either end.
        reject: Word-key sequences that send a cell to review (it belongs to another column).
        numeric_lists: List name → {number: canonical value}.
    """

    name: str
    title: str
    values: tuple[str, ...]
    keys: dict[str, str]
    canonical_keys: frozenset[str]
    prefixes: dict[str, str]
    strip_prefixes: frozenset[str]
    strip_suffixes: frozenset[str]
    reject: tuple[tuple[str, ...], ...]
    numeric_lists: dict[str, dict[int, str]]
    choices: tuple[str, ...]
    choice_values: tuple[str, ...]


def _read_yaml(name: str) -> dict[str, Any]:
    path = resources.files("unionclean.data") / "codes" / f"{name}.yaml"
    if not path.is_file():
        raise CodeListError(f"no code list {name!r}: expected unionclean/data/codes/{name}.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise CodeListError(f"{name}.yaml: expected a mapping at the top level")
    return data


def _strings(name: str, items: Any, where: str) -> list[str]:
    out = []
    for item in items or []:
        if isinstance(item, bool) or not isinstance(item, (str, int)):
            raise CodeListError(f"{name}.yaml: {where}: {item!r} is not text (quote it)")
        out.append(str(item))
    return out


def _field(name: str, data: dict[str, Any], field: str) -> list[str]:
    return _strings(name, data.get(field), field)


def split_words(text: str) -> list[str]:
    """Folded keys of the words of ``text`` (split on spaces and punctuation)."""
    return [k for k in (fold_code(w) for w in _WORD_SPLIT.split(text)) if k]


@lru_cache(maxsize=None)
def load_list(name: str) -> CodeList:
    """Load (once) and check the code list ``name``.

    Raises:
        CodeListError: the file is missing, or one key maps to two canonical values.
    """
    return build_list(name, _read_yaml(name))


def build_list(name: str, data: dict[str, Any]) -> CodeList:
    """The code list ``name`` from its YAML mapping ``data``, checked (see :func:`load_list`)."""
    values_map = data.get("values") or {}
    keys: dict[str, str] = {}

    def add(text: str, value: str, table: dict[str, str], where: str) -> None:
        key = fold_code(text)
        if not key:
            raise CodeListError(f"{name}.yaml: {where}: {text!r} has an empty key")
        if table.get(key, value) != value:
            raise CodeListError(f"{name}.yaml: {where}: {text!r} is both {table[key]!r} and "
                                f"{value!r}; remove one of them")
        table[key] = value

    values = tuple(str(v) for v in values_map)
    for value in values:
        add(value, value, keys, "values")
    canonical_keys = frozenset(keys)
    for value, variants in values_map.items():
        for variant in _strings(name, variants, f"values.{value}"):
            add(variant, str(value), keys, f"values.{value}")
    for none in _strings(name, data.get("none_values"), "none_values"):
        add(none, "", keys, "none_values")
    prefixes: dict[str, str] = {}
    for value, words in (data.get("prefixes") or {}).items():
        if str(value) not in values:
            raise CodeListError(f"{name}.yaml: prefixes: {value!r} is not a canonical value")
        for word in _strings(name, words, f"prefixes.{value}"):
            add(word, str(value), prefixes, f"prefixes.{value}")
    numeric: dict[str, dict[int, str]] = {}
    for list_name, spec in (data.get("numeric_lists") or {}).items():
        codes = {int(k): str(v) for k, v in (spec.get("codes") or {}).items()}
        bad = sorted(v for v in codes.values() if v not in values)
        if bad:
            raise CodeListError(f"{name}.yaml: numeric_lists.{list_name}: unknown values {bad}")
        numeric[str(list_name)] = codes
    choices = tuple(k for k in keys if keys[k])
    return CodeList(
        name=name, title=str(data.get("title", name)), values=values, keys=keys,
        canonical_keys=canonical_keys, prefixes=prefixes,
        strip_prefixes=frozenset(fold_code(s) for s in _field(name, data, "strip_prefixes")),
        strip_suffixes=frozenset(fold_code(s) for s in _field(name, data, "strip_suffixes")),
        reject=tuple(tuple(split_words(w)) for w in _field(name, data, "reject_words")),
        numeric_lists=numeric, choices=choices, choice_values=tuple(keys[k] for k in choices),
    )


def code_values(list_name: str) -> list[str]:
    """Canonical values of a list, in order, for drop-downs (``province`` and ``education`` too).

    Example:
        >>> code_values("gender")
        ['Nam', 'Nữ']
    """
    if list_name == "province":
        from unionclean.normalize.provinces import province_values

        return province_values()
    if list_name == "education":
        return list(_education_table().values)
    return list(load_list(list_name).values)


def numeric_list_names(list_name: str = "ethnic") -> list[str]:
    """Names of the numeric orderings a list defines (valid ``Context.ethnic_list`` values)."""
    return list(load_list(list_name).numeric_lists)


def _contains(words: list[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tuple(words[i:i + n]) == phrase for i in range(len(words) - n + 1))


def match_code(lst: CodeList, text: str) -> tuple[str | None, str]:
    """Canonical value of ``text`` in ``lst`` and how it matched, or ``(None, "")``.

    ``how`` is ``canonical`` (the folded canonical spelling), ``alias``, ``prefix`` or ``none``
    (a "none" value: the canonical value is "").
    """
    key = fold_code(text)
    if key in lst.keys:
        value = lst.keys[key]
        if not value:
            return value, "none"
        return value, "canonical" if key in lst.canonical_keys else "alias"
    m = _PAREN.match(text)
    if m:  # "Kinh (Việt)": both parts must name the same value
        a, _ = match_code(lst, m.group(1))
        b, _ = match_code(lst, m.group(2))
        if a and a == b:
            return a, "alias"
    words = split_words(text)
    for i in range(1, len(words)):
        if "".join(words[:i]) in lst.strip_prefixes:
            rest = "".join(words[i:])
            if lst.keys.get(rest):
                return lst.keys[rest], "alias"
        if "".join(words[len(words) - i:]) in lst.strip_suffixes:
            rest = "".join(words[:len(words) - i])
            if lst.keys.get(rest):
                return lst.keys[rest], "alias"
    if any(_contains(words, phrase) for phrase in lst.reject):
        return None, ""
    for i in range(len(words), 0, -1):
        pvalue = lst.prefixes.get("".join(words[:i]))
        if pvalue:
            return pvalue, "prefix"
    return None, ""


def _candidates(lst: CodeList, key: str) -> tuple[list[str], str]:
    """Up to three closest canonical values and a proposal when the best is close enough."""
    found: list[str] = []
    best = 0.0
    # Choices are folded keys already: the processor is explicitly none.
    for _choice, score, idx in process.extract(key, lst.choices, scorer=fuzz.ratio,
                                               processor=None, limit=30):
        value = lst.choice_values[idx]
        if value not in found:
            best = best or score
            found.append(value)
        if len(found) == 3:
            break
    proposal = found[0] if found and best >= _FUZZY_PROPOSAL and len(key) >= 3 else ""
    return found, proposal


def _normalize_code(list_name: str, cell: Cell, numeric_list: str | None) -> Result:
    lst = load_list(list_name)
    text, text_reason = clean_text(cell)
    if not text:
        return missing()
    key = fold_code(text)
    if not key:  # only punctuation ("-", "."): nothing written
        return missing()
    params = {"list": lst.title}
    value, how = match_code(lst, text)
    if not value and how != "none":
        reading = font_reading(cell)
        if reading is not None:
            v2, how2 = match_code(lst, reading[0])
            if v2 or how2 == "none":
                text, text_reason, value, how = reading[0], reading[1], v2, how2
    if how == "none":
        return Result("", Status.CHANGED, "code.none_to_empty", params=params)
    if value:
        reason = {"canonical": "code.spelling", "alias": "code.alias", "prefix": "code.prefix"}[how]
        if value == cell.text:
            return Result(value, Status.OK)
        reason = text_reason if value == text else reason
        return Result(value, Status.CHANGED, reason, params=params)
    if _NUMBER.fullmatch(key):
        codes = lst.numeric_lists.get(numeric_list or "")
        if codes is None:
            return flagged("code.numeric_ambiguous", code=key, **params)  # type: ignore[arg-type]
        mapped = codes.get(int(key))
        if mapped is None:
            return flagged("code.numeric_unknown", code=key, numeric_list=numeric_list or "",
                           **params)  # type: ignore[arg-type]
        return Result(mapped, Status.CHANGED, "code.numeric_mapped",
                      params={**params, "code": key, "numeric_list": numeric_list or ""})
    words = split_words(text)
    if any(_contains(words, phrase) for phrase in lst.reject):
        return flagged("code.wrong_column", **params)  # type: ignore[arg-type]
    found, proposal = _candidates(lst, key)
    return flagged("code.unknown", proposal=proposal, candidates=", ".join(found), **params)  # type: ignore[arg-type]


@lru_cache(maxsize=100_000)
def _normalize_code_cached(list_name: str, cell: Cell, numeric_list: str | None) -> Result:
    return _normalize_code(list_name, cell, numeric_list)


def normalize_code(list_name: str, cell: Cell, ctx: Context) -> Result:
    """Normalise one cell of a code-list column.

    Args:
        list_name: ``ethnic``, ``religion``, ``professional``, ``political``, ``union_position``
            (any file in ``unionclean/data/codes/`` with ``values``).
        cell: The raw cell.
        ctx: Run context; ``ctx.ethnic_list`` names the numeric ordering a unit used, if known.

    Returns:
        ``ok`` / ``changed`` with the canonical value; ``changed`` to "" with
        ``code.none_to_empty`` for a written-out "none" (LLCT ``Không``); ``missing`` for an empty
        cell; ``flagged`` with ``code.unknown`` (candidates, proposal), ``code.numeric_ambiguous``,
        ``code.numeric_unknown`` or ``code.wrong_column``.
    """
    if cell.is_empty:
        return missing()
    numeric_list = ctx.ethnic_list if list_name == "ethnic" else None
    try:
        return _normalize_code_cached(list_name, cell, numeric_list)
    except TypeError:  # an unhashable cell value: not cached
        return _normalize_code(list_name, cell, numeric_list)


# --- Trình độ văn hóa -------------------------------------------------------------------------

@dataclass(frozen=True)
class _EducationTable:
    systems: tuple[int, ...]
    levels: dict[str, str]
    grade: re.Pattern[str]
    values: tuple[str, ...]


@lru_cache(maxsize=1)
def _education_table() -> _EducationTable:
    data = _read_yaml("education")
    systems = tuple(int(s) for s in data.get("systems") or (12, 10))
    levels: dict[str, str] = {}
    for value, words in (data.get("levels") or {}).items():
        for word in _strings("education", words, f"levels.{value}"):
            key = fold_code(word)
            if levels.get(key, value) != value:
                raise CodeListError(f"education.yaml: {word!r} is both {levels[key]!r} "
                                    f"and {value!r}")
            levels[key] = str(value)
    prefixes = sorted({fold_code(p) for p in _strings("education", data.get("number_prefixes"),
                                                     "number_prefixes")}, key=len, reverse=True)
    alternation = "|".join(re.escape(p) for p in prefixes)
    grade = re.compile(rf"(?:{alternation})?0*(\d{{1,2}})(?:/0*(\d{{1,2}}))?")
    values = tuple(f"{n}/{s}" for s in systems for n in range(s, 0, -1))
    return _EducationTable(systems, levels, grade, values)


_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?")
_SERIAL = re.compile(r"\d{5}")
_EXCEL_EPOCH = date(1899, 12, 30)


def _from_date(y: int, m: int, d: int, has_time: bool, this_year: int) -> Result:
    """A grade Excel turned into a date: ``9/12`` typed on a d/m computer is 9 Dec of that year,
    on an m/d computer 12 Sep. Kept only when exactly one reading is a valid grade."""
    systems = _education_table().systems
    readings = {f"{a}/{b}" for a, b in ((d, m), (m, d)) if b in systems and 1 <= a <= b}
    if len(readings) == 1 and not has_time and 1990 <= y <= this_year + 1:
        return Result(readings.pop(), Status.CHANGED, "education.from_date")
    proposal = next(iter(readings)) if len(readings) == 1 else ""
    return flagged("education.date_unclear", proposal=proposal,
                   candidates=", ".join(sorted(readings)))


def _normalize_education(cell: Cell, this_year: int) -> Result:
    text, text_reason = clean_text(cell)
    if not text:
        return missing()
    table = _education_table()
    iso = _ISO.fullmatch(text)
    if iso and (cell.kind == "d" or cell.kind == "s"):
        has_time = any(g and int(g) for g in iso.groups()[3:])
        return _from_date(int(iso[1]), int(iso[2]), int(iso[3]), has_time, this_year)
    if cell.kind == "n" and _SERIAL.fullmatch(text):
        serial = int(text)
        low = (date(1990, 1, 1) - _EXCEL_EPOCH).days
        high = (date(this_year + 1, 12, 31) - _EXCEL_EPOCH).days
        if low <= serial <= high:
            day = _EXCEL_EPOCH + timedelta(days=serial)
            return _from_date(day.year, day.month, day.day, False, this_year)
    key = fold_code(text)
    if not key:
        return missing()
    if key in table.levels:
        value = table.levels[key]
        reason = text_reason if value == text else "education.level_mapped"
        return ok_or_changed(value, cell.text, reason)
    m = table.grade.fullmatch(key)
    if m:
        grade, system = int(m[1]), int(m[2]) if m[2] else table.systems[0]
        if system not in table.systems or not 1 <= grade <= system:
            return flagged("education.invalid", systems="/".join(map(str, table.systems)))
        value = f"{grade}/{system}"
        reason = text_reason if value == text else "education.normalized"
        return ok_or_changed(value, cell.text, reason)
    level, _how = match_code(load_list("professional"), text)
    if level and level != "Chưa qua đào tạo":
        return flagged("education.professional_level", proposal=table.values[0], level=level)
    return flagged("education.unknown")


@lru_cache(maxsize=20_000)
def _normalize_education_cached(cell: Cell, this_year: int) -> Result:
    return _normalize_education(cell, this_year)


def normalize_education(cell: Cell, ctx: Context) -> Result:
    """Normalise a Trình độ văn hóa cell to ``N/12`` or ``N/10``.

    ``12``, ``Lớp 12``, ``THPT``, ``PTTH``, ``Cấp 3`` → ``12/12``; ``THCS``, ``Cấp 2`` → ``9/12``;
    ``Tiểu học``, ``Cấp 1`` → ``5/12``; a bare grade is read in the 12-year system; ``7/10`` kept.
    A grade Excel turned into a date (``2026-12-09`` or its serial) is recovered when only one
    reading is a grade and the year is plausible; anything else is flagged.
    """
    if cell.is_empty:
        return missing()
    try:
        return _normalize_education_cached(cell, ctx.today.year)
    except TypeError:
        return _normalize_education(cell, ctx.today.year)
