"""Sheet layout: find the header row(s), then sort every row below it into members and the rest.

A unit sheet has title rows, a one- to three-row header (merged group labels over sub-columns),
maybe a column-number row ``(1) (2) …``, then members mixed with group rows ("Tổ Văn phòng",
"II. Tổ sản xuất"), subtotals ("Cộng: 20 đoàn viên"), blank rows, and a footer (totals,
"Người lập biểu", signature names). :func:`detect_layout` tells them apart; every non-member row
gets a reason code, and a skipped row that still looks like a member is also listed as suspicious
so the pipeline sends it to the review file.

Example:
    >>> from unionclean.model import Cell
    >>> from unionclean.read.base import Row, SheetData
    >>> rows = [Row(1, [Cell("STT"), Cell("Họ và tên"), Cell("Ngày sinh"), Cell("CCCD")]),
    ...         Row(2, [Cell("1", "n", 1), Cell("Lê Văn An"), Cell("01/02/1980"), Cell("001080000001")]),
    ...         Row(3, [None, Cell("Tổng cộng: 1 đoàn viên")])]
    >>> lay = detect_layout(SheetData("Tổ 1", rows=rows))
    >>> lay.kind, lay.header_rows, [r.number for r in lay.member_rows], lay.skipped
    ('members', (1,), [2], [(3, 'layout.subtotal_row')])
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from unionclean.mapping import (ColumnMapping, aliases, map_columns, match_exact, match_header)
from unionclean.model import Cell
from unionclean.normalize.keys import fold
from unionclean.normalize.text import clean_text
from unionclean.read.base import Row, SheetData

__all__ = ["SheetLayout", "detect_layout", "KINDS", "REASONS"]

KINDS = ("members", "summary", "codes", "empty", "no_header")
#: Reason codes of skipped rows (each has a message in ``messages/vi/layout.yaml``).
REASONS = ("layout.title_row", "layout.column_numbers", "layout.group_row", "layout.subtotal_row",
           "layout.footer_row", "layout.signature_row", "layout.blank", "layout.stt_only",
           "layout.repeated_header", "layout.name_only", "layout.no_name", "layout.unrecognised",
           "layout.member_like")
#: Rows searched for the header.
HEADER_SCAN = 30
_CODE_FIELDS = frozenset({"dan_toc", "ton_giao", "que_quan", "trinh_do_van_hoa", "trinh_do_chuyen_mon",
                          "ly_luan_chinh_tri", "chuc_vu_cong_doan", "nghe_nghiep"})
_ID_DATE_FIELDS = ("so_cccd", "ngay_sinh", "ngay_vao_cong_doan")

_DIGIT = re.compile(r"\d")
_PUNCT = re.compile(r"[^\w\s]|_")
_STT = re.compile(r"^([0-9]{1,5}(\.0)?|[IVXLivxl]{1,6})\.?$")
_COLNUM = re.compile(r"^\(?\s*(\d{1,3}|[A-Za-z])\s*\)?\.?$")
_ROMAN = re.compile(r"^(?=[IVXL])(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})[.)]?$")
_ROMAN_LEAD = re.compile(r"^(?=[IVXL])(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})\s*[.)\-–:]\s*\S")
_NUM_LEAD = re.compile(r"^\d{1,2}\s*[.)\-–]\s*\D")
_DATE_LINE = re.compile(r"\bngay\b.{0,20}\bthang\b.{0,20}\bnam\b")
_DATE_TEXT = re.compile(r"^\d{1,4}[/.\-]\d{1,2}([/.\-]\d{2,4})?$")
_ID_TEXT = re.compile(r"^\D{0,8}[\d .]{8,16}$")
_SUMMARY_NAME = re.compile(r"\b(tong hop|tonghop|thong ke|bao cao|th)\b")
_CODES_NAME = re.compile(r"\b(danh muc|dm|ma|list|lists|code|codes|tham so|du lieu|data|ref)\b")


@dataclass
class SheetLayout:
    """Where things are on one sheet.

    Attributes:
        sheet: Sheet name ("" for CSV).
        hidden: Whether the sheet is hidden.
        kind: ``"members"``, ``"summary"``, ``"codes"``, ``"empty"`` or ``"no_header"``.
        header_rows: Excel row numbers of the header (1 to 3 rows).
        headers: Column index → header text; rows of a multi-row header joined with " / "
            ("Giới tính / Nam").
        headers_parts: Column index → the header text of each header row (group label first).
        member_rows: Member rows in order (hidden rows included: ``Row.hidden`` keeps the flag).
        skipped: ``(row number, reason code)`` for every other non-empty row (title rows, column
            numbers, group, subtotal, footer, signature, blank …).
        suspicious: Skipped rows that look like a member (a name with a date or an ID, or a lone
            person name inside the data): the pipeline sends them to the review file.
        mapping: The automatic column mapping used to classify rows (``None`` without a header).
    """

    sheet: str
    hidden: bool
    kind: str
    header_rows: tuple[int, ...] = ()
    headers: dict[int, str] = field(default_factory=dict)
    headers_parts: dict[int, tuple[str, ...]] = field(default_factory=dict)
    member_rows: list[Row] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    suspicious: list[tuple[int, str]] = field(default_factory=list)
    mapping: ColumnMapping | None = None


# --------------------------------------------------------------------------- small text helpers
def _clean(cell: Cell | None) -> str:
    if cell is None or cell.is_empty:
        return ""
    return clean_text(cell)[0]


def _plain(text: str) -> str:
    """Folded text without punctuation, single spaces: for phrase tests."""
    return " ".join(fold(_PUNCT.sub(" ", text)).split())


def _has_phrase(plain: str, phrases: tuple[str, ...]) -> bool:
    padded = f" {plain} "
    return any(f" {p} " in padded for p in phrases)


def _first_light(text: str) -> str:
    words = _PUNCT.sub(" ", unicodedata.normalize("NFC", text).lower()).split()
    return words[0] if words else ""


@lru_cache(maxsize=20_000)
def _first_word_safe(word: str, font: str | None) -> bool:
    """False when a name cell's first word may start a total or footer row (then the slow,
    exact checks run). Cached: first words (family names) repeat a lot."""
    idx = aliases()
    text = clean_text(Cell(word, "s", None, font))[0]
    light = _first_light(text)
    if light in idx.subtotal_first:
        return False
    f = fold(light)
    return f not in _danger_folded()


@lru_cache(maxsize=1)
def _danger_folded() -> frozenset[str]:
    idx = aliases()
    words = {p.split()[0] for p in idx.footer_phrases + idx.subtotal_phrases if p}
    words |= {fold(w) for w in idx.subtotal_first}
    return frozenset(words | {"ngay", "ky"})


def _is_subtotal(text: str) -> bool:
    idx = aliases()
    if _first_light(text) in idx.subtotal_first:
        return True
    plain = _plain(text)
    return any(plain == p or plain.startswith(p + " ") for p in idx.subtotal_phrases)


def _is_footer(plain: str) -> bool:
    return _has_phrase(plain, aliases().footer_phrases) or bool(_DATE_LINE.search(plain))


def _person_like(text: str) -> bool:
    """A lone text that could be a person's name: 2–6 alphabetic words, consistent case."""
    words = text.split()
    if not 2 <= len(words) <= 6 or len(text) > 50 or _DIGIT.search(text):
        return False
    if not all(w.replace("-", "").replace("'", "").isalpha() for w in words):
        return False
    return all(w[0].isupper() for w in words) or text == text.lower()


def _is_group_label(text: str) -> bool:
    idx = aliases()
    if _ROMAN.match(text.upper()) or _ROMAN_LEAD.match(text) or _NUM_LEAD.match(text):
        return True
    if _first_light(text) in idx.group_first or _has_phrase(_plain(text), idx.group_phrases):
        return True
    words = text.split()
    # Mixed case ("Tổ Văn phòng") is a label, never a name.
    return len(words) > 1 and any(w[0].isupper() for w in words) and any(w[0].islower() for w in words)


# --------------------------------------------------------------------------- header
def _nonempty(row: Row) -> list[tuple[int, Cell]]:
    # Cell.is_empty inlined (hot).
    return [(i, c) for i, c in enumerate(row.cells) if c is not None and c.kind != "" and c.text.strip()]


def _text_cell_count(row: Row) -> int:
    """Non-empty text cells of a row: the most points :func:`_header_score` can give it."""
    return sum(1 for c in row.cells if c is not None and c.kind == "s" and c.text.strip())


def _header_score(row: Row, overrides: Mapping[str, str | None]) -> tuple[float, bool]:
    n, name = 0.0, False
    parts: set[str] = set()
    for c in row.cells:
        if c is None or c.kind != "s" or c.is_empty:
            continue
        t = _clean(c)
        if len(t) > 80:
            continue
        if t in overrides:
            n += 1
            name = name or (overrides[t] or "").startswith("ho_ten")
            continue
        ms = match_exact(t)
        if ms:
            n += 1 if any(m.category != "part" for m in ms) else 0.5
            name = name or any(m.target == "ho_ten" for m in ms)
            parts.update(m.target for m in ms if m.category == "part")
    # "Họ đệm" | "Tên" side by side name the member too.
    name = name or ("name_given" in parts and bool(parts & {"name_family", "name_family_middle"}))
    return n, name


def _is_column_numbers(cells: list[tuple[int, Cell]], min_count: int) -> bool:
    if len(cells) < max(3, min_count):
        return False
    nums: list[int] = []
    for _, c in cells:
        t = c.text.strip()
        if c.kind == "n" and isinstance(c.value, (int, float)) and float(c.value).is_integer():
            t = str(int(c.value))
        m = _COLNUM.match(t)
        if not m:
            return False
        if m.group(1).isdigit():
            nums.append(int(m.group(1)))
    return len(nums) >= 3 and all(b > a for a, b in zip(nums, nums[1:]))


def _is_subheader(row: Row, top: Row, merged: list[tuple[int, int, int, int]]) -> bool:
    if row.number != top.number + 1:
        return False
    cells = _nonempty(row)
    if not cells or any(c.kind in ("n", "d", "b") for _, c in cells):
        return False
    texts: list[tuple[int, str]] = []
    for i, c in cells:       # cleaned one by one: a row number in the first cell ends it early
        t = _clean(c)
        if _ROMAN.match(t.upper()) or t.replace(".", "").isdigit():
            return False
        texts.append((i, t))
    if _is_column_numbers(cells, 3):
        return False
    matches = {i: match_exact(t) or tuple(m for m in match_header(t) if m.score >= 90)
               for i, t in texts}
    if sum(1 for m in matches.values() if m) * 2 < len(cells):
        return False
    top_cells = top.cells
    for i, _ in texts:
        tc = top_cells[i] if i < len(top_cells) else None
        if tc is None or tc.is_empty:
            return True
        top_m = match_exact(_clean(tc))
        if any(m.category == "group" for m in top_m):
            return True
        if any(m.category == "part" for m in matches[i]) and any(m.category == "field" for m in top_m):
            return True
    for r0, c0, r1, c1 in merged:
        if r0 == top.number and r1 >= row.number:
            return True      # a header cell merged down over this row
        if r0 == top.number and c1 > c0 and any(c0 <= i <= c1 for i, _ in texts):
            return True      # a group label merged across the columns of this row's labels
    return False


def _header_parts(hdr: list[Row], merged: list[tuple[int, int, int, int]]) -> dict[int, tuple[str, ...]]:
    width = max(len(r.cells) for r in hdr)
    grid = [[_clean(r.cells[c]) if c < len(r.cells) else "" for c in range(width)] for r in hdr]
    for k, row in enumerate(hdr):
        for r0, c0, r1, c1 in merged:
            if r0 == row.number and c1 > c0 and c0 < width:
                for c in range(c0 + 1, min(c1, width - 1) + 1):
                    grid[k][c] = grid[k][c] or grid[k][c0]
    # Without merge information: a group label also covers the empty cells to its right that
    # have sub-labels below ("Giới tính" | "" over "Nam" | "Nữ").
    for k in range(len(grid) - 1):
        below = [any(grid[j][c] for j in range(k + 1, len(grid))) for c in range(width)]
        for c in range(1, width):
            if not grid[k][c] and below[c] and grid[k][c - 1] and below[c - 1]:
                grid[k][c] = grid[k][c - 1]
    out: dict[int, tuple[str, ...]] = {}
    for c in range(width):
        parts: list[str] = []
        for k in range(len(grid)):
            t = grid[k][c]
            if t and (not parts or parts[-1] != t):
                parts.append(t)
        if parts:
            out[c] = tuple(parts)
    return out


# --------------------------------------------------------------------------- rows
class _Rows:
    """Row classifier for one sheet (state: inside the footer, after the grand total)."""

    def __init__(self, mapping: ColumnMapping, headers: dict[int, str]):
        src = mapping.sources
        self.name_cols = src["ho_ten"].columns
        self.name_headers = frozenset(p for c in self.name_cols for p in headers.get(c, "").split(" / "))
        name_set = set(self.name_cols)
        self.ev_cols = tuple(sorted({c for f, s in src.items() if s.kind != "gender_split"
                                     for c in s.columns} - name_set))
        self.split_cols = tuple(c for s in src.values() if s.kind == "gender_split" for c in s.columns)
        self.id_date_cols = tuple(c for f in _ID_DATE_FIELDS if f in src for c in src[f].columns)
        self.stt = mapping.stt_column
        self.n_headers = len(headers)
        self.footer = False
        self.totals = False

    def evidence(self, cells: list[Cell | None]) -> bool:
        n = len(cells)
        for i in self.ev_cols:
            if i < n:
                c = cells[i]
                # Cell.is_empty, inlined: this runs for every row.
                if c is not None and c.kind != "" and c.text.strip():
                    return True
        for i in self.split_cols:
            if i < n:
                c = cells[i]
                if c is not None and not c.is_empty:
                    t = c.text.strip()
                    # "x" or a birth year marks a member; a small count marks a total row.
                    if not t.replace(".", "").isdigit() or len(t.split(".")[0]) == 4:
                        return True
        return False

    def full_evidence(self, cells: list[Cell | None]) -> bool:
        """Below the footer a member needs two fields, one of them not a lone person name
        (a signature block puts names in several columns)."""
        texts = [_clean(cells[i]) for i in self.ev_cols if i < len(cells) and cells[i] is not None
                 and not cells[i].is_empty]  # type: ignore[union-attr]
        return len(texts) >= 2 and any(not _person_like(t) for t in texts)

    def name_raw(self, cells: list[Cell | None]) -> tuple[str, str | None]:
        n = len(cells)
        if len(self.name_cols) == 1:
            i = self.name_cols[0]
            c = cells[i] if i < n else None
            return (c.text.strip(), c.font) if c is not None and c.kind != "" else ("", None)
        texts, font = [], None
        for i in self.name_cols:
            c = cells[i] if i < n else None
            if c is not None and not c.is_empty:
                texts.append(c.text.strip())
                font = font or c.font
        return " ".join(texts), font

    def classify(self, row: Row) -> str | None:
        """``None`` for a member row, else the reason code."""
        cells = row.cells
        if len(self.name_cols) == 1:      # name_raw() inlined for the usual one name column
            i = self.name_cols[0]
            c = cells[i] if i < len(cells) else None
            name, font = (c.text.strip(), c.font) if c is not None and c.kind != "" else ("", None)
        else:
            name, font = self.name_raw(cells)
        if name and not (self.footer or self.totals) and len(name) <= 60 and ":" not in name \
                and name not in self.name_headers and self.evidence(cells) \
                and not _DIGIT.search(name) and _first_word_safe(name.split(None, 1)[0], font):
            return None
        return self._slow(row, name)

    def _slow(self, row: Row, name_raw: str) -> str | None:
        cells = _nonempty(row)
        if not cells:
            return "layout.blank"
        if len(cells) == 1 and cells[0][0] == self.stt and _STT.match(cells[0][1].text.strip()):
            return "layout.stt_only"
        if _is_column_numbers(cells, self.n_headers // 2):
            return "layout.column_numbers"
        texts = [(i, _clean(c)) for i, c in cells if c.kind == "s"]
        if sum(1 for _, t in texts if match_exact(t)) >= max(3, len(cells) // 2):
            self.footer = self.totals = False      # a second list starts
            return "layout.repeated_header"
        name = " ".join(_clean(row.cells[i]) for i in self.name_cols
                        if i < len(row.cells) and row.cells[i] is not None).strip() if name_raw else ""
        ev = self.evidence(row.cells)
        if name and ev and not _is_subtotal(name) and not _is_footer(_plain(name)) \
                and (not (self.footer or self.totals) or self.full_evidence(row.cells)):
            if len(name) > 60 or ":" in name or len(name.split()) > 8:
                return "layout.unrecognised"      # not a person's name: never uploaded as one
            self.totals = False
            return None
        if any(_is_subtotal(t) for _, t in texts[:3]):
            if any(_plain(t).startswith("tong") for _, t in texts[:3]):
                self.totals = True
            return "layout.subtotal_row"
        labels = [t for i, t in texts if i != self.stt or not t.replace(".", "").isdigit()]
        if not ev and not self.footer and len(cells) <= 3 and any(
                _first_light(t) in aliases().group_first or _ROMAN.match(t.upper()) for t in labels):
            self.totals = False                    # "Phòng Giám đốc" is a group, not a footer
            return "layout.group_row"
        if _is_footer(_plain(" ".join(t for _, t in texts))):
            self.footer = True
            return "layout.footer_row"
        if self.footer:
            return "layout.signature_row" if any(_person_like(t) for _, t in texts) else "layout.footer_row"
        if ev:
            return "layout.no_name"
        if any(_is_group_label(t) for t in labels):
            self.totals = False
            return "layout.group_row"
        if name and _person_like(name):
            return "layout.signature_row" if self.totals else "layout.name_only"
        if len(cells) <= 3:
            return "layout.group_row"
        return "layout.unrecognised"

    def suspicious(self, row: Row, reason: str) -> bool:
        if reason == "layout.name_only":
            return True
        if reason not in ("layout.no_name", "layout.unrecognised"):
            return False
        n = len(row.cells)
        return any(i < n and row.cells[i] is not None and not row.cells[i].is_empty  # type: ignore[union-attr]
                   for i in self.id_date_cols)


def _member_like_unmapped(cells: list[tuple[int, Cell]]) -> bool:
    """A row of a sheet without a header that still looks like a member: a person-like name
    and a date or an ID number."""
    name = other = False
    for _, c in cells:
        if c.kind == "d":
            other = True
            continue
        t = c.text.strip()
        if c.kind == "n":
            other = other or len(t.split(".")[0]) in (8, 9, 10, 11, 12)
        elif _DATE_TEXT.match(t) or (_ID_TEXT.match(t) and sum(ch.isdigit() for ch in t) in (9, 12)):
            other = True
        elif not name and _person_like(clean_text(c)[0]):
            name = True
    return name and other


def _non_member_kind(sheet: SheetData, live: list[Row], mapping: ColumnMapping | None) -> str:
    name = _plain(sheet.name)
    top = " ".join(_plain(_clean(c)) for r in live[:5] for _, c in _nonempty(r))
    if _SUMMARY_NAME.search(name) or _has_phrase(top, ("tong hop", "thong ke", "so luong")):
        return "summary"
    if _CODES_NAME.search(name) or sheet.hidden:
        return "codes"
    if mapping is not None and mapping.sources and set(mapping.sources) <= _CODE_FIELDS:
        return "codes"
    return "no_header"


# --------------------------------------------------------------------------- entry point
def detect_layout(sheet: SheetData, spec_fields: Sequence[str] | Mapping[str, str] | None = None,
                  overrides: Mapping[str, str | None] | None = None) -> SheetLayout:
    """Find the header and classify every row of a sheet.

    Args:
        sheet: The sheet as read.
        spec_fields: Template field keys (or key → template header text); default: all fields.
        overrides: Column overrides, as for :func:`~unionclean.mapping.map_columns` (they decide
            which column holds the name, so they can change which rows are members).

    Returns:
        The :class:`SheetLayout`.
    """
    lay = SheetLayout(sheet.name, sheet.hidden, "empty")
    live: list[Row] = []      # the first non-empty rows: where the header is searched
    for r in sheet.rows:
        if any(c is not None and c.kind != "" and c.text.strip() for c in r.cells):
            live.append(r)
            if len(live) >= HEADER_SCAN + 3:
                break
    if not live:
        return lay
    best: int = -1
    best_score: float = 0.0
    for k, row in enumerate(live[:HEADER_SCAN]):
        # A row scores at most one point per text cell, plus 2 for a name column: a row that
        # cannot qualify (n >= 2) or beat the best so far is not scored at all. Member rows
        # below a full header never can, and scoring them (text cleaning + alias look-ups of
        # every cell) was most of the layout time.
        filled = len(row.cells) - row.cells.count(None)     # quick bound first
        if filled < 2 or filled + 2 <= best_score:
            continue
        bound = _text_cell_count(row)
        if bound < 2 or bound + 2 <= best_score:
            continue
        n, has_name = _header_score(row, overrides or {})
        score = n + (2 if has_name else 0)
        if (n >= 3 or (n >= 2 and has_name)) and score > best_score:
            best, best_score = k, score
    if best > 0 and _is_subheader(live[best], live[best - 1], sheet.merged) \
            and _header_score(live[best - 1], overrides or {})[0] >= 2:
        best -= 1            # the best row was the sub-labels of a two-row header
    if best < 0:
        lay.kind = _non_member_kind(sheet, live, None)
        _scan_unmapped(lay, sheet.rows)
        return lay
    hdr = [live[best]]
    while len(hdr) < 3 and best + len(hdr) < len(live) \
            and _is_subheader(live[best + len(hdr)], hdr[-1], sheet.merged):
        hdr.append(live[best + len(hdr)])
    lay.header_rows = tuple(r.number for r in hdr)
    lay.headers_parts = _header_parts(hdr, sheet.merged)
    lay.headers = {c: " / ".join(p) for c, p in lay.headers_parts.items()}
    mapping = map_columns(lay, spec_fields, overrides)
    lay.mapping = mapping
    others = set(mapping.sources) - {"ho_ten"}
    if "ho_ten" not in mapping.sources or not others:
        lay.kind = _non_member_kind(sheet, live, mapping)
        _scan_unmapped(lay, [r for r in sheet.rows if r.number > hdr[-1].number])
        return lay
    lay.kind = "members"
    lay.skipped.extend((r.number, "layout.title_row") for r in live[:best])
    rows = _Rows(mapping, lay.headers)
    for row in sheet.rows:
        if row.number <= hdr[-1].number:
            continue
        reason = rows.classify(row)
        if reason is None:
            lay.member_rows.append(row)
            continue
        lay.skipped.append((row.number, reason))
        if rows.suspicious(row, reason):
            lay.suspicious.append((row.number, reason))
    return lay


def _scan_unmapped(lay: SheetLayout, rows: list[Row]) -> None:
    """Rows of a sheet with no member header that still look like members: never lost."""
    for row in rows:
        if _member_like_unmapped(_nonempty(row)):
            lay.skipped.append((row.number, "layout.member_like"))
            lay.suspicious.append((row.number, "layout.member_like"))
