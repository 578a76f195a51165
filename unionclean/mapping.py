"""Map source columns to template fields by their header texts.

Header texts are matched against ``unionclean/data/header_aliases.yaml``: exactly on a light key
(lower case, diacritics kept) or a folded key (no diacritics, no spaces), else fuzzily with
RapidFuzz on the folded key. Split fields are recognised from sub-column labels: the name as
"Họ và tên đệm" + "Tên", a date as "Ngày" | "Tháng" | "Năm", the gender as "Nam" | "Nữ".

Example:
    >>> match_header("Số CMND/CCCD")[0].target
    'so_cccd'
    >>> match_header("Ngày cấp")[0].category
    'ignore'
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml
from rapidfuzz import fuzz, process

from unionclean.normalize.keys import fold
from unionclean.read.base import column_letter

if TYPE_CHECKING:  # pragma: no cover
    from unionclean.layout import SheetLayout

__all__ = [
    "FieldSource", "ColumnMapping", "HeaderMatch", "MappingProblem", "match_header", "match_exact",
    "part_matches",
    "header_keys", "map_columns", "mapping_from_dict", "parse_gender_codes", "aliases",
    "DEFAULT_FIELDS", "FUZZY_MIN",
]

#: Member fields mapped when the caller gives none (the reference template's fields).
DEFAULT_FIELDS: tuple[str, ...] = (
    "ho_ten", "ngay_sinh", "gioi_tinh", "so_cccd", "dan_toc", "ton_giao", "que_quan",
    "noi_o_hien_nay", "trinh_do_van_hoa", "trinh_do_chuyen_mon", "ly_luan_chinh_tri",
    "nghe_nghiep", "chuc_vu_cong_doan", "ngay_vao_cong_doan", "so_dien_thoai", "email", "ghi_chu",
)
#: Lowest fuzzy score accepted as a match.
FUZZY_MIN = 85.0
STRONG, WEAK = 100.0, 90.0

_DATE_FIELDS = ("ngay_sinh", "ngay_vao_cong_doan")
_PART_FAMILY = {"name_family": "name", "name_family_middle": "name", "name_middle": "name",
                "name_given": "name", "day": "date", "month": "date", "year": "date",
                "male": "gender", "female": "gender"}
_FAMILY_FIELD = {"name": "ho_ten", "date": "ngay_sinh", "gender": "gioi_tinh"}
_FAMILY_KIND = {"name": "name_parts", "date": "date_parts", "gender": "gender_split"}
_GENERIC_TOKENS = frozenset("ngay nam ten thang ho so ma tong cong doan vien noi que dao nghe "
                            "chuc danh dia chi hien nay tai thoi gian vao".split())

#: Words that make a longer header about someone else ("Họ và tên chồng", "Ngày sinh con").
_RELATIVES = frozenset("cha me bo vo chong con anh chi em".split())

_PAREN = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_PUNCT = re.compile(r"[^\w\s]|_")
_WS = re.compile(r"\s+")
_GENDER_PAIR = re.compile(r"(\w{1,3})\s*[:=\-–]\s*(nam|nữ|nu)\b|\b(nam|nữ|nu)\s*[:=\-–]\s*(\w{1,3})\b")


# --------------------------------------------------------------------------- header keys
@lru_cache(maxsize=8192)
def header_keys(text: str) -> tuple[str, str, str]:
    """``(light, folded, compact)`` keys of a header text.

    Parenthetical parts and punctuation are dropped (unless nothing else is left). ``light`` keeps
    diacritics, ``folded`` is :func:`~unionclean.normalize.keys.fold` of it and ``compact`` is
    ``folded`` without spaces.

    Example:
        >>> header_keys("Họ và tên (*)")
        ('họ và tên', 'ho va ten', 'hovaten')
    """
    t = unicodedata.normalize("NFC", text).lower()
    inner = _PAREN.sub(" ", t)
    if _PUNCT.sub("", inner).strip():
        t = inner
    light = _WS.sub(" ", _PUNCT.sub(" ", t)).strip()
    folded = fold(light)
    return light, folded, folded.replace(" ", "")


def parse_gender_codes(header: str) -> tuple[tuple[str, str], ...]:
    """Codes a gender header states, e.g. ``"Giới tính (1: Nam, 0: Nữ)"`` → ``(("1", "Nam"), ("0", "Nữ"))``.

    Example:
        >>> parse_gender_codes("GT (Nam = 1; Nữ = 2)")
        (('1', 'Nam'), ('2', 'Nữ'))
    """
    out: list[tuple[str, str]] = []
    for m in _GENDER_PAIR.finditer(unicodedata.normalize("NFC", header).lower()):
        code, word = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        if code in ("nam", "nữ", "nu"):
            continue
        pair = (code.upper() if code.isalpha() else code, "Nam" if word == "nam" else "Nữ")
        if pair not in out:
            out.append(pair)
    return tuple(out)


# --------------------------------------------------------------------------- alias index
@dataclass(frozen=True, slots=True)
class HeaderMatch:
    """What one header text means.

    Attributes:
        category: ``"field"``, ``"stt"``, ``"ignore"``, ``"part"`` (a sub-column label such as
            "Nam" or "Tháng") or ``"group"`` (a group label such as "Trình độ").
        target: Field key (``field``) or part name (``part``: ``name_given``, ``day``, ``male`` …).
        score: 100 for a strong alias, 90 for a weak one, lower for a fuzzy match.
        alias: The alias that matched (folded).
    """

    category: str
    target: str
    score: float
    alias: str = ""


@dataclass
class _Aliases:
    light: dict[str, tuple[HeaderMatch, ...]]
    folded: dict[str, tuple[HeaderMatch, ...]]
    choices: list[str]                      # folded aliases for fuzzy matching
    choice_match: list[HeaderMatch]
    token_sets: list[tuple[frozenset[str], HeaderMatch]]
    group_first: frozenset[str]
    group_phrases: tuple[str, ...]
    subtotal_first: frozenset[str]
    subtotal_phrases: tuple[str, ...]
    footer_phrases: tuple[str, ...]


@lru_cache(maxsize=1)
def aliases() -> _Aliases:
    """The alias index, loaded once from ``unionclean/data/header_aliases.yaml``."""
    raw = yaml.safe_load((resources.files("unionclean.data") / "header_aliases.yaml")
                         .read_text(encoding="utf-8"))
    light: dict[str, list[HeaderMatch]] = {}
    folded: dict[str, list[HeaderMatch]] = {}
    fuzzy: dict[str, HeaderMatch] = {}

    def add(text: str, m: HeaderMatch, fuzzy_ok: bool = True) -> None:
        if not isinstance(text, str):  # e.g. a bare No, which YAML reads as false
            raise ValueError(f"header_aliases.yaml: alias {text!r} of {m.target!r} is not text; quote it")
        lk, fk, ck = header_keys(text)
        m = HeaderMatch(m.category, m.target, m.score, fk)
        for index, key in ((light, lk.replace(" ", "")), (folded, ck)):
            bucket = index.setdefault(key, [])
            if all((b.category, b.target) != (m.category, m.target) for b in bucket):
                bucket.append(m)
        if fuzzy_ok:
            fuzzy.setdefault(fk, m)

    for key, texts in raw["fields"].items():
        for t in texts:
            add(t, HeaderMatch("field", key, STRONG))
    for key, texts in raw.get("weak", {}).items():
        for t in texts:
            add(t, HeaderMatch("field", key, WEAK))
    for t in raw.get("stt", []):
        add(t, HeaderMatch("stt", "stt", STRONG))
    for t in raw.get("ignore", []):
        add(t, HeaderMatch("ignore", "", STRONG))
    for part, texts in raw.get("parts", {}).items():
        for t in texts:
            add(t, HeaderMatch("part", part, STRONG), fuzzy_ok=False)
    for t in raw.get("groups", []):
        add(t, HeaderMatch("group", "", STRONG), fuzzy_ok=False)
    choices = list(fuzzy)
    token_sets = [(frozenset(k.split()), m) for k, m in fuzzy.items()
                  if m.score == STRONG and _distinctive(k)]
    return _Aliases(
        light={k: tuple(v) for k, v in light.items()},
        folded={k: tuple(v) for k, v in folded.items()},
        choices=choices, choice_match=[fuzzy[k] for k in choices], token_sets=token_sets,
        group_first=frozenset(unicodedata.normalize("NFC", w) for w in raw.get("group_first", [])),
        group_phrases=tuple(fold(p) for p in raw.get("group_phrases", [])),
        subtotal_first=frozenset(unicodedata.normalize("NFC", w) for w in raw.get("subtotal_first", [])),
        subtotal_phrases=tuple(fold(p) for p in raw.get("subtotal_phrases", [])),
        footer_phrases=tuple(fold(p) for p in raw.get("footer_phrases", [])),
    )


def _distinctive(folded_alias: str) -> bool:
    toks = folded_alias.split()
    return len(toks) >= 2 or (len(toks) == 1 and len(toks[0]) >= 4 and toks[0] not in _GENERIC_TOKENS)


@lru_cache(maxsize=8192)
def match_exact(text: str) -> tuple[HeaderMatch, ...]:
    """Exact alias matches of a header text (light key first, then folded key); ``()`` if none."""
    lk, _, ck = header_keys(text)
    if not ck:
        return ()
    idx = aliases()
    return idx.light.get(lk.replace(" ", "")) or idx.folded.get(ck) or ()


@lru_cache(maxsize=4096)
def part_matches(text: str) -> tuple[HeaderMatch, ...]:
    """Every sub-column-label meaning of a header text ("Nam" → male and year), from the folded key."""
    ck = header_keys(text)[2]
    return tuple(m for m in aliases().folded.get(ck, ()) if m.category == "part")


@lru_cache(maxsize=8192)
def match_header(text: str) -> tuple[HeaderMatch, ...]:
    """Best matches of a header text: exact aliases, else fuzzy (score < 100); ``()`` if none.

    Several matches are returned when the text is ambiguous ("Nam": male or year; two fuzzy
    aliases with the same score)."""
    exact = match_exact(text)
    if exact:
        return exact
    _, fk, ck = header_keys(text)
    if len(ck) < 3:
        return ()
    idx = aliases()
    best: list[HeaderMatch] = []
    best_score = 0.0
    hit = process.extractOne(fk, idx.choices, scorer=fuzz.token_sort_ratio, processor=None,
                             score_cutoff=FUZZY_MIN)
    if hit is not None:
        m = idx.choice_match[hit[2]]
        best_score = min(float(hit[1]), 99.0) - (STRONG - m.score)
        if best_score >= FUZZY_MIN:
            best = [HeaderMatch(m.category, m.target, round(best_score, 1), m.alias)]
        else:
            best_score = 0.0
    # Every word of a distinctive alias inside a longer header ("Số điện thoại nhà riêng").
    toks = frozenset(fk.split())
    sub_best: list[tuple[int, HeaderMatch]] = []
    for aset, m in (() if toks & _RELATIVES else idx.token_sets):
        if aset <= toks and len(aset) < len(toks):
            sub_best.append((len(aset), m))
    if sub_best:
        n = max(k for k, _ in sub_best)
        score = 85.0 + 3 * min(n, 3)
        tops = [m for k, m in sub_best if k == n]
        if any(m.category == "ignore" for m in tops):
            tops = [m for m in tops if m.category == "ignore"][:1]
        if score > best_score:
            best = [HeaderMatch(m.category, m.target, score, m.alias) for m in tops]
        elif score == best_score and best and best[0].category != "ignore" and \
                any(m.category == "ignore" for m in tops):
            best = [HeaderMatch("ignore", "", score, tops[0].alias)]
    uniq: dict[tuple[str, str], HeaderMatch] = {}
    for m in best:
        uniq.setdefault((m.category, m.target), m)
    return tuple(uniq.values())


# --------------------------------------------------------------------------- results
@dataclass(frozen=True)
class FieldSource:
    """Where a template field comes from in the source sheet.

    Attributes:
        field: Template field key.
        kind: ``"single"``; ``"name_parts"`` (family+middle, given; or family, middle, given);
            ``"date_parts"`` (day, month, year); ``"gender_split"`` (Nam column, Nữ column).
        columns: 0-based source column indices, in part order.
        headers: Source header texts of those columns.
        score: 100 for exact strong aliases, lower for weak or fuzzy matches.
        gender_codes: Codes stated in a gender header, e.g. ``(("1", "Nam"), ("0", "Nữ"))``.
    """

    field: str
    kind: str
    columns: tuple[int, ...]
    headers: tuple[str, ...]
    score: float
    gender_codes: tuple[tuple[str, str], ...] = ()


@dataclass
class ColumnMapping:
    """Field → source columns for one sheet, plus what was left out.

    Attributes:
        sources: Field key → :class:`FieldSource`.
        unmapped: Source columns not used: ``(index, header)``.
        ignored: Known irrelevant columns (Ngày cấp, Mã NV …) and columns overridden to nothing.
        ambiguous: Fields with several candidate columns: ``(field, [(index, header, score)])``;
            the first candidate is the one used.
        stt_column: The row-number column, if any (never member data).
    """

    sources: dict[str, FieldSource] = field(default_factory=dict)
    unmapped: list[tuple[int, str]] = field(default_factory=list)
    ignored: list[tuple[int, str]] = field(default_factory=list)
    ambiguous: list[tuple[str, list[tuple[int, str, float]]]] = field(default_factory=list)
    stt_column: int | None = None

    def to_dict(self) -> dict[str, dict[str, Any]]:
        """The mapping as recipe data: ``{field: {"headers": [...], "kind": ..., "columns": [letters]}}``."""
        return {f: {"headers": list(s.headers), "kind": s.kind,
                    "columns": [column_letter(c) for c in s.columns]}
                for f, s in self.sources.items()}

    def columns_used(self) -> set[int]:
        return {c for s in self.sources.values() for c in s.columns}


@dataclass(frozen=True)
class MappingProblem:
    """A problem replaying a recipe mapping on a sheet (code has a Vietnamese message)."""

    code: str
    field: str
    header: str = ""
    column: str = ""

    def message(self) -> str:
        from unionclean.messages import message

        return message(self.code, field=self.field, header=self.header, column=self.column)


# --------------------------------------------------------------------------- mapping
@dataclass
class _Col:
    index: int
    header: str
    parts: tuple[str, ...]
    category: str = ""          # field | part | stt | ignore | ""
    target: str = ""
    score: float = 0.0
    group: str = ""             # group label text (two-row headers)
    group_field: str = ""       # field the group label names
    families: tuple[str, ...] = ()
    forced: bool = False        # set by an override


def _field_set(spec_fields: Sequence[str] | Mapping[str, str] | None) -> tuple[str, ...]:
    if spec_fields is None:
        return DEFAULT_FIELDS
    return tuple(k for k in spec_fields if k != "stt")


def _best_field(matches: tuple[HeaderMatch, ...], fields: tuple[str, ...]) -> HeaderMatch | None:
    for m in matches:
        if m.category in ("stt", "ignore") or (m.category == "field" and m.target in fields):
            return m
    return None


def _resolve(col: _Col, fields: tuple[str, ...], extra: dict[str, str]) -> None:
    """Decide what one column holds from its header part(s)."""
    parts = col.parts
    if len(parts) >= 2:
        top, sub = parts[0], parts[-1]
        gm = _best_field(match_header(top), fields)
        col.group = top
        col.group_field = gm.target if gm is not None and gm.category == "field" else ""
        part_m = part_matches(sub)
        if part_m:
            col.category, col.score = "part", STRONG
            col.families = tuple(dict.fromkeys(_PART_FAMILY[m.target] for m in part_m))
            col.target = "|".join(m.target for m in part_m)
            return
        for cand in (sub, f"{top} {sub}", *parts[1:-1]):
            m = _best_field(match_header(cand), fields) or _extra(cand, extra)
            if m is not None:
                col.category, col.target, col.score = m.category, m.target, m.score
                return
        if gm is not None:
            col.category, col.target, col.score = gm.category, gm.target, min(gm.score, 95.0)
        return
    text = parts[0] if parts else col.header
    ms = match_header(text)
    part_m = part_matches(text) if any(m.category == "part" for m in ms) else ()
    if part_m:
        col.category, col.score = "part", STRONG
        col.families = tuple(dict.fromkeys(_PART_FAMILY[m.target] for m in part_m))
        col.target = "|".join(m.target for m in part_m)
        return
    m = _best_field(ms, fields) or _extra(text, extra)
    if m is not None:
        col.category, col.target, col.score = m.category, m.target, m.score


_DATE_PART_WORDS = (("day", "ngay"), ("month", "thang"), ("year", "nam"))


def _side_by_side_dates(cols: dict[int, _Col], fields: tuple[str, ...]) -> None:
    """Three adjacent one-row headers "Ngày X | Tháng X | Năm X" (e.g. "Ngày sinh | Tháng sinh |
    Năm sinh") are the day, month and year parts of the date field "Ngày X" names, even though
    "Ngày sinh" and "Năm sinh" alone would each map to the whole birth date."""
    order = sorted(cols)
    for a, b, c in zip(order, order[1:], order[2:]):
        if b != a + 1 or c != b + 1:
            continue
        # Cheap necessary condition first (the first key word below must be "ngay").
        if not header_keys(cols[a].header)[1].startswith("ngay "):
            continue
        trio = (cols[a], cols[b], cols[c])
        if any(len(x.parts) > 1 or x.forced for x in trio):
            continue
        keys = [header_keys(x.header)[1].split(" ", 1) for x in trio]
        if any(len(k) != 2 for k in keys) or len({k[1] for k in keys}) != 1:
            continue
        if [k[0] for k in keys] != [w for _, w in _DATE_PART_WORDS]:
            continue
        target = _best_field(match_header(trio[0].header), fields) or \
            _best_field(match_header(f"ngày tháng năm {keys[0][1]}"), fields)
        if target is None or target.category != "field" or target.target not in _DATE_FIELDS:
            continue
        for x, (part, _) in zip(trio, _DATE_PART_WORDS):
            x.category, x.target, x.score = "part", part, STRONG
            x.group, x.group_field, x.families = trio[0].header, target.target, ("date",)


def _extra(text: str, extra: dict[str, str]) -> HeaderMatch | None:
    """Template header texts given with the spec fields are aliases too."""
    if not extra:
        return None
    ck = header_keys(text)[2]
    key = extra.get(ck)
    return HeaderMatch("field", key, STRONG, ck) if key else None


def _pick_part(col: _Col, cols: dict[int, _Col]) -> str:
    """The part of a column whose label is ambiguous ("Nam": male or year)."""
    options = col.target.split("|")
    if len(options) == 1:
        return options[0]
    sibs = [c for c in cols.values() if c.index != col.index and c.category == "part"
            and abs(c.index - col.index) <= 2 and c.group == col.group]
    sib_parts = {p for c in sibs for p in c.target.split("|")}
    if "female" in sib_parts and "male" in options:
        return "male"
    if sib_parts & {"day", "month"} and "year" in options:
        return "year"
    if col.group_field == "gioi_tinh" and "male" in options:
        return "male"
    if col.group_field in _DATE_FIELDS and "year" in options:
        return "year"
    light = header_keys(col.parts[-1] if col.parts else col.header)[0]
    if "year" in options and (light == "năm" or "male" not in options):
        return "year"
    return "male" if "male" in options else options[0]


def _part_runs(cols: dict[int, _Col]) -> list[list[tuple[_Col, str]]]:
    """Adjacent part columns of one family under one group label."""
    runs: list[list[tuple[_Col, str]]] = []
    prev: _Col | None = None
    for i in sorted(cols):
        c = cols[i]
        if c.category != "part":
            prev = None
            continue
        part = _pick_part(c, cols)
        fam = _PART_FAMILY[part]
        if prev is not None and runs and prev.index == i - 1 and prev.group == c.group \
                and _PART_FAMILY[runs[-1][-1][1]] == fam and part not in {p for _, p in runs[-1]}:
            runs[-1].append((c, part))
        else:
            runs.append([(c, part)])
        prev = c
    return runs


_NAME_ORDERS = (("name_family_middle", "name_given"), ("name_family", "name_middle", "name_given"),
                ("name_family", "name_given"))


def _run_source(run: list[tuple[_Col, str]], fields: tuple[str, ...]) -> FieldSource | None:
    by_part = {p: c for c, p in run}
    fam = _PART_FAMILY[run[0][1]]
    gfield = run[0][0].group_field
    target = gfield if gfield and (fam != "date" or gfield in _DATE_FIELDS) \
        and (fam != "gender" or gfield == "gioi_tinh") and (fam != "name" or gfield == "ho_ten") \
        else _FAMILY_FIELD[fam]
    if target not in fields:
        return None
    order: tuple[str, ...] | None = None
    if fam == "name":
        order = next((o for o in _NAME_ORDERS if all(p in by_part for p in o)), None)
    elif fam == "date":
        order = ("day", "month", "year") if all(p in by_part for p in ("day", "month", "year")) else None
    else:
        order = ("male", "female") if "male" in by_part and "female" in by_part else None
    if order is None:
        return None
    cs = [by_part[p] for p in order]
    return FieldSource(target, _FAMILY_KIND[fam], tuple(c.index for c in cs),
                       tuple(c.header for c in cs), min(c.score for c in cs))


def _override_columns(key: str, cols: dict[int, _Col]) -> list[int]:
    """Columns an override key names: a header text (exact, then folded) or a column letter."""
    hits = [i for i, c in cols.items() if c.header == key or (c.parts and c.parts[-1] == key)]
    if not hits:
        ck = header_keys(key)[2]
        hits = [i for i, c in cols.items() if header_keys(c.header)[2] == ck]
    if not hits and re.fullmatch(r"[A-Za-z]{1,3}", key.strip()):
        hits = [i for i in cols if column_letter(i) == key.strip().upper()]
    return hits


def _apply_override(col: _Col, value: str | None) -> None:
    col.forced = True
    if value is None:
        col.category, col.target, col.score = "ignore", "", STRONG
        return
    fld, _, part = value.partition(".")
    if part:
        col.category, col.target, col.score = "part", part, STRONG
        col.families = (_PART_FAMILY.get(part, "name"),)
        col.group_field = fld
        col.group = col.group or f"override:{fld}"
    else:
        col.category, col.target, col.score = "field", fld, STRONG


def map_columns(layout: SheetLayout, spec: Sequence[str] | Mapping[str, str] | None = None,
                overrides: Mapping[str, str | None] | None = None) -> ColumnMapping:
    """Map the columns of a laid-out sheet to template fields.

    Args:
        layout: The sheet layout (its ``headers`` and ``headers_parts``).
        spec: Template field keys to map, or a mapping field key → template header text (the
            header text then works as an alias too). Default: :data:`DEFAULT_FIELDS`.
        overrides: Source header text (or column letter) → field key, ``"field.part"`` for a part
            of a split field (``"ho_ten.name_given"``, ``"ngay_sinh.day"``, ``"gioi_tinh.male"``),
            or ``None`` to ignore the column. Overrides win over the automatic mapping.

    Returns:
        The :class:`ColumnMapping`.
    """
    fields = _field_set(spec)
    extra = {header_keys(str(h))[2]: k for k, h in spec.items()} if isinstance(spec, Mapping) else {}
    parts_of = getattr(layout, "headers_parts", {}) or {}
    cols = {i: _Col(i, h, tuple(parts_of.get(i) or (h,))) for i, h in layout.headers.items() if h}
    for c in cols.values():
        _resolve(c, fields, extra)
    _side_by_side_dates(cols, fields)
    forced_fields: set[str] = set()
    for key, value in (overrides or {}).items():
        for i in _override_columns(str(key), cols):
            _apply_override(cols[i], value)
            if value is not None and "." not in value:
                forced_fields.add(value)
    out = ColumnMapping()
    # Split fields first.
    for run in _part_runs(cols):
        src = _run_source(run, fields)
        if src is None:
            continue
        forced = all(c.forced for c, _ in run)
        if src.field in forced_fields and not forced:
            continue
        out.sources[src.field] = src
    # Single columns.
    cands: dict[str, list[_Col]] = {}
    for i in sorted(cols):
        c = cols[i]
        if c.category == "stt" and out.stt_column is None:
            out.stt_column = i
        elif c.category == "field" and c.target in fields:
            if c.target in forced_fields and not c.forced:
                continue
            cands.setdefault(c.target, []).append(c)
    for fld, cs in cands.items():
        cs.sort(key=lambda c: (not c.forced, -c.score, c.index))
        best = cs[0]
        have = out.sources.get(fld)
        if have is not None and not best.forced and best.score < STRONG:
            continue
        if have is not None and not best.forced and best.score <= have.score and have.kind != "single":
            continue
        codes = parse_gender_codes(best.header) if fld == "gioi_tinh" else ()
        out.sources[fld] = FieldSource(fld, "single", (best.index,), (best.header,), best.score, codes)
        if len(cs) > 1 and cs[1].score >= best.score - 5:
            out.ambiguous.append((fld, [(c.index, c.header, c.score) for c in cs]))
    # A lone name part ("Tên") when nothing else names the member.
    if "ho_ten" not in out.sources and "ho_ten" in fields:
        lone = [c for c in cols.values() if c.category == "part" and "name" in c.families]
        if len(lone) == 1:
            c = lone[0]
            out.sources["ho_ten"] = FieldSource("ho_ten", "single", (c.index,), (c.header,), 80.0)
    used = out.columns_used()
    for i in sorted(cols):
        c = cols[i]
        if i in used or i == out.stt_column:
            continue
        (out.ignored if c.category == "ignore" else out.unmapped).append((i, c.header))
    return out


def mapping_from_dict(d: Mapping[str, Mapping[str, Any]], layout: SheetLayout,
                      spec: Sequence[str] | Mapping[str, str] | None = None
                      ) -> tuple[ColumnMapping, list[MappingProblem]]:
    """Re-apply a recipe mapping (:meth:`ColumnMapping.to_dict`) to a sheet, finding columns by
    header text (at the recorded letter first, anywhere else next).

    Returns:
        The mapping and the problems found (never raises for a mismatched sheet): a header the
        recipe expects and the sheet lacks (``mapping.header_missing``), an entry that cannot be
        read (``mapping.bad_entry``), a header found in several columns (``mapping.header_ambiguous``).
    """
    problems: list[MappingProblem] = []
    out = ColumnMapping()
    by_key: dict[str, list[int]] = {}
    for i, h in layout.headers.items():
        by_key.setdefault(header_keys(h)[0], []).append(i)
    taken: set[int] = set()
    for fld, entry in d.items():
        try:
            headers = [str(h) for h in entry["headers"]]
            kind = str(entry.get("kind", "single"))
            letters = [str(x) for x in entry.get("columns", [])]
        except (TypeError, KeyError, AttributeError):
            problems.append(MappingProblem("mapping.bad_entry", str(fld)))
            continue
        want = {"single": 1, "name_parts": None, "date_parts": 3, "gender_split": 2}
        if kind not in want or not headers or (want[kind] and len(headers) != want[kind]):
            problems.append(MappingProblem("mapping.bad_entry", str(fld)))
            continue
        found: list[int] = []
        for n, h in enumerate(headers):
            letter = letters[n] if n < len(letters) else ""
            hits = [i for i in by_key.get(header_keys(h)[0], []) if i not in taken]
            at = [i for i in hits if column_letter(i) == letter]
            if at:
                found.append(at[0])
            elif len(hits) == 1:
                found.append(hits[0])
            elif hits:
                problems.append(MappingProblem("mapping.header_ambiguous", fld, h, letter))
                found.append(hits[0])
            else:
                problems.append(MappingProblem("mapping.header_missing", fld, h, letter))
                break
        if len(found) != len(headers):
            continue
        taken.update(found)
        hs = tuple(layout.headers[i] for i in found)
        codes = parse_gender_codes(hs[0]) if fld == "gioi_tinh" and kind == "single" else ()
        out.sources[fld] = FieldSource(fld, kind, tuple(found), hs, STRONG, codes)
    auto = map_columns(layout, spec)
    out.stt_column = auto.stt_column
    ignored = {i for i, _ in auto.ignored}
    for i in sorted(layout.headers):
        if i in taken or i == out.stt_column or not layout.headers[i]:
            continue
        (out.ignored if i in ignored else out.unmapped).append((i, layout.headers[i]))
    return out, problems
