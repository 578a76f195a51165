"""Clean one unit file: read → layout → map columns → normalise → check → dedupe → classify.

The result of :func:`clean_file` is a :class:`FileOutcome` holding everything the exporters
write (upload rows, review items, changes) and what the manifest reports (counts, skipped rows,
mapping, decisions). Nothing is written here.
"""
from __future__ import annotations

import hashlib
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from unionclean.errors import InputFileError
from unionclean.model import EMPTY, Cell, Location, Result, Status
from unionclean.normalize.base import Context
from unionclean.normalize.registry import get_normalizer
from unionclean.read.base import column_letter
from unionclean.records import Change, MemberRecord, ReviewItem, RowFlag
from unionclean.spec import TemplateSpec

__all__ = ["FileOutcome", "clean_file", "file_sha256", "normalise_column"]


@dataclass
class FileOutcome:
    """Everything one input file produced."""

    path: str
    stem: str
    ok: bool = True
    error_code: str = ""
    error_message: str = ""
    sha256: str = ""
    size: int = 0
    format: str = ""
    unit_name: str = ""
    records: list[MemberRecord] = field(default_factory=list)
    upload: list[MemberRecord] = field(default_factory=list)
    held: list[MemberRecord] = field(default_factory=list)
    merged: list[tuple[MemberRecord, list[MemberRecord]]] = field(default_factory=list)
    review: list[ReviewItem] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    sheets: list[dict[str, Any]] = field(default_factory=list)
    mapping: dict[str, Any] = field(default_factory=dict)
    decisions: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    pairs: list[dict[str, Any]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {
            "rows_read": len(self.records) + sum(1 for s in self.skipped if s.get("suspicious")),
            "members_out": len(self.upload),
            "held_back": len(self.held),
            "merged_duplicates": sum(len(srcs) - 1 for _, srcs in self.merged),
            "review_items": len(self.review),
            "changes": len(self.changes),
            "skipped_rows": len(self.skipped),
        }


def file_sha256(path: str | Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def output_stem(path: str | Path) -> str:
    """``u01_x.xlsx`` → ``u01_x`` (the evaluator and the unit recognise outputs by it)."""
    return Path(path).stem


# --------------------------------------------------------------------------- build records
def _combine(src, row_cells: list[Cell | None]) -> Cell:
    """The raw cell of a field from its source column(s)."""
    cells = [row_cells[c] if c < len(row_cells) else None for c in src.columns]
    if src.kind == "single":
        return cells[0] or EMPTY
    if src.kind == "name_parts":
        from unionclean.normalize.names import join_name_parts

        texts = [c.text for c in cells if c is not None and not c.is_empty]
        if not texts:
            return EMPTY
        fonts = [c.font for c in cells if c is not None and c.font]
        return Cell(join_name_parts(texts), "s", None, fonts[0] if fonts else None)
    if src.kind == "date_parts":
        from unionclean.normalize.dates import join_date_parts

        d, m, y = (cells + [None, None, None])[:3]
        return join_date_parts(d or EMPTY, m or EMPTY, y or EMPTY)
    if src.kind == "gender_split":
        from unionclean.normalize.gender import gender_from_split

        nam, nu = (cells + [None, None])[:2]
        return gender_from_split(nam or EMPTY, nu or EMPTY)
    raise ValueError(f"unknown field source kind {src.kind!r}")


def _build_records(wb, spec: TemplateSpec, per_file: dict, fname: str, out: FileOutcome,
                   start_id: int) -> list[tuple[MemberRecord, dict]]:
    """Layout and column mapping per sheet, then one record per member row. A mapping saved in
    the recipe is checked against the sheet's headers first: a missing header stops this file
    before any cell is normalised."""
    from unionclean.layout import detect_layout
    from unionclean.mapping import map_columns, mapping_from_dict

    fields = spec.fields
    saved = per_file.get("mapping") or {}
    overrides = per_file.get("overrides") or {}
    built: list[tuple[MemberRecord, dict]] = []
    problems: list[str] = []
    rec_id = start_id
    for sheet in wb.sheets:
        key = sheet.name or "csv"
        ov = overrides.get(sheet.name) or overrides.get("*")
        layout = detect_layout(sheet, fields, overrides=ov)
        info: dict[str, Any] = {"sheet": sheet.name, "hidden": sheet.hidden, "kind": layout.kind,
                                "header_rows": list(layout.header_rows)}
        out.sheets.append(info)
        for rown, reason in layout.skipped:
            out.skipped.append({"sheet": sheet.name, "row": rown, "reason": reason})
        if layout.kind != "members":
            _suspicious(layout, sheet.name, fname, out)
            continue
        if ov:
            mapping = map_columns(layout, fields, overrides=ov)
        elif key in saved:
            mapping, probs = mapping_from_dict(saved[key], layout, fields)
            problems.extend(f"{sheet.name}: {p.message()}" if sheet.name else p.message() for p in probs)
        else:
            mapping = layout.mapping or map_columns(layout, fields)
        out.mapping[key] = mapping.to_dict()
        info["members"] = len(layout.member_rows)
        info["unmapped"] = [h for _, h in mapping.unmapped]
        info["ambiguous"] = [f for f, _ in mapping.ambiguous]
        sources = mapping.sources
        # One letters dict for every record of the sheet (read-only; a merge copies it first).
        letters = {f: ",".join(column_letter(c) for c in src.columns) for f, src in sources.items()}
        # A single source column (the usual case) is read directly; joined sources go through
        # _combine.
        single = [(f, src.columns[0]) for f, src in sources.items() if src.kind == "single"]
        joined = [(f, src) for f, src in sources.items() if src.kind != "single"]
        for row in layout.member_rows:
            cells = row.cells
            width = len(cells)
            raw: dict[str, Cell] = {}
            for f, c in single:
                raw[f] = (cells[c] if c < width else None) or EMPTY
            for f, src in joined:
                raw[f] = _combine(src, cells)
            if joined:  # keep the mapping's field order
                raw = {f: raw[f] for f in sources}
            rec = MemberRecord(rec_id, Location(fname, sheet.name, row.number),
                               hidden=row.hidden or sheet.hidden, raw=raw, cols=letters)
            rec_id += 1
            built.append((rec, sources))
        _suspicious(layout, sheet.name, fname, out)
    if problems:
        raise InputFileError("recipe.mapping_mismatch", fname, details="; ".join(problems))
    return built


def _suspicious(layout, sheet_name: str, fname: str, out: FileOutcome) -> None:
    """A skipped row that looks like a member is never dropped silently: it goes to review."""
    for rown, reason in layout.suspicious:
        out.skipped.append({"sheet": sheet_name, "row": rown, "reason": reason, "suspicious": True})
        out.review.append(ReviewItem(Location(fname, sheet_name, rown), "", "", "", "",
                                     "layout.suspicious_row", {"why": reason}, True))


# --------------------------------------------------------------------------- normalise
def _normalise(built: list[tuple[MemberRecord, dict]], spec: TemplateSpec, today: date,
               out: FileOutcome, recipe: dict) -> None:
    """Normalise every field column by column (memoised per distinct cell), deciding the
    day/month order per source column first."""
    from unionclean.normalize.dates import decide_date_order

    # The records of one sheet are consecutive and share one mapping (``sources``).
    sheets: list[tuple[str | None, dict, list[MemberRecord]]] = []
    for rec, sources in built:
        if not sheets or sheets[-1][1] is not sources:
            sheets.append((rec.loc.sheet, sources, []))
        sheets[-1][2].append(rec)
    fixed_orders = (recipe.get("decisions") or {}).get("date_order", {})
    for sheet, f, src, recs in ((sh, f, src, recs) for sh, sources, recs in sheets for f, src in sources.items()):
        ftype = spec.field_type(f)
        # No normaliser reads the header text (gender codes stated in it are parsed by the
        # mapping): leaving it out of the context lets columns headed differently in different
        # units share one memo.
        ctx_kw: dict[str, Any] = {"today": today}
        if ftype == "date":
            dkey = f"{sheet}|{f}"
            if dkey in fixed_orders:
                order, evidence = fixed_orders[dkey]["order"], fixed_orders[dkey].get("evidence", {})
            else:
                order, evidence = decide_date_order([r.raw[f] for r in recs])
            ctx_kw["date_order"] = order
            out.decisions.setdefault("date_order", {})[dkey] = {"order": order, "evidence": evidence}
        if ftype == "code:ethnic" and recipe.get("ethnic_list"):
            ctx_kw["ethnic_list"] = recipe["ethnic_list"]
        if ftype == "gender" and getattr(src, "gender_codes", ()):  # type: ignore[arg-type]
            ctx_kw["gender_codes"] = tuple(src.gender_codes)
        normalise_column(recs, f, ftype, Context(**ctx_kw), spec.default_for(f))


#: Results of the normalisers, memoised per (field type, context, default) and then per distinct
#: cell, across the files a process cleans: names, codes and dates repeat from unit to unit.
#: Normalisers are pure functions of (cell, context), so a remembered result is the result.
_MEMOS: dict[tuple, dict[tuple, Result]] = {}
_MEMO_LIMIT = 200_000  # distinct cells remembered in all (~25 MB), before starting afresh
_memo_size = 0  # entries in all memos (kept as they are added: summing 500 dicts per column is not free)


def column_memo(ftype: str, ctx: Context, default: str | None) -> dict[tuple, Result]:
    """The memo of one column kind: the whole cell (text, kind, value, font) → result."""
    global _memo_size
    if len(_MEMOS) > 512 or _memo_size > _MEMO_LIMIT:
        _MEMOS.clear()
        _memo_size = 0
    return _MEMOS.setdefault((ftype, ctx, default), {})


#: Column kinds whose values almost never repeat from one unit to the next (a province: CCCD
#: 1 %, phone 9 % of cells found in the memo): remembered within their file only, so that they
#: do not fill the shared memo and push out what does repeat (dates, places, code lists).
_ONE_FILE_MEMO = frozenset({"cccd", "phone"})


def normalise_column(recs: list[MemberRecord], f: str, ftype: str, ctx: Context,
                     default: str | None) -> None:
    """Normalise field ``f`` of every record (``r.raw[f]`` → ``r.res[f]``), once per distinct
    cell; an empty cell takes the template's ``default`` when there is one."""
    global _memo_size
    fn = get_normalizer(ftype)
    shared = ftype not in _ONE_FILE_MEMO
    memo: dict[tuple, Result] = column_memo(ftype, ctx, default) if shared else {}
    before = len(memo)
    get, missing = memo.get, Status.MISSING
    for r in recs:
        c = r.raw[f]
        res = get(c)
        if res is None:
            res = fn(c, ctx)
            if res.status is missing and default is not None:
                res = Result(default, Status.CHANGED, "default.applied")
            memo[c] = res
        r.res[f] = res
    if shared:
        _memo_size += len(memo) - before


def _apply_cell_decisions(records: list[MemberRecord], spec: TemplateSpec, today: date,
                          cells: list[dict]) -> None:
    """Replay a person's decisions on flagged cells (from the review widgets or the unit's
    corrected review file): ``accept`` the proposal, ``set`` a typed value, ``leave`` it for
    the unit. A typed value is normalised again; if it is still not canonical it stays flagged."""
    if not cells:
        return
    by_loc = {str(r.loc): r for r in records}
    for d in cells:
        r = by_loc.get(str(d.get("loc", "")))
        f = d.get("field", "")
        if r is None or f not in r.res:
            continue
        action = d.get("action")
        current = r.res[f]
        if action == "accept" and current.proposal:
            new = get_normalizer(spec.field_type(f))(Cell(current.proposal), Context(today=today))
            reason = "manual.accepted"
        elif action == "set":
            new = get_normalizer(spec.field_type(f))(Cell(str(d.get("value", ""))), Context(today=today))
            reason = "manual.set"
        else:
            continue
        if new.status in (Status.OK, Status.CHANGED):
            r.res[f] = Result(new.value, Status.CHANGED, reason)
        else:
            r.res[f] = Result("", Status.FLAGGED, "manual.invalid", proposal=str(d.get("value", "")))


# --------------------------------------------------------------------------- cross-field rules
def _parse_dmy(s: str) -> date | None:
    try:
        d, m, y = s.split("/")
        return date(int(y), int(m), int(d))
    except (ValueError, AttributeError):
        return None


def _cross_checks(records: list[MemberRecord], spec: TemplateSpec, today: date) -> None:
    from unionclean.normalize.dates import check_birth_date, check_join_date
    from unionclean.normalize.ids import check_cccd_birth_year, check_cccd_gender

    rules = set(spec.rules)
    for r in records:
        res = r.res.get
        cccd, gender, dob_s = ((x.value if (x := res(f)) is not None else "")
                               for f in ("so_cccd", "gioi_tinh", "ngay_sinh"))
        dob = _parse_dmy(dob_s) if dob_s else None
        if cccd and gender and "cccd_gender_digit" in rules:
            why = check_cccd_gender(cccd, gender)
            if why:
                r.flags.append(RowFlag("so_cccd", why, {"partner": "gioi_tinh"}))
                r.flags.append(RowFlag("gioi_tinh", why, {"partner": "so_cccd"}))
        if cccd and dob and "cccd_birth_year" in rules:
            why = check_cccd_birth_year(cccd, dob.year)
            if why:
                r.flags.append(RowFlag("so_cccd", why, {"partner": "ngay_sinh"}))
                r.flags.append(RowFlag("ngay_sinh", why, {"partner": "so_cccd"}))
        if dob and "birth_date_plausible" in rules:
            why = check_birth_date(dob, today)
            if why:
                r.flags.append(RowFlag("ngay_sinh", why))
        join_s = x.value if (x := res("ngay_vao_cong_doan")) is not None else ""
        if join_s and "join_date_plausible" in rules and (join := _parse_dmy(join_s)) is not None:
            why = check_join_date(join, dob, today)
            if why:
                r.flags.append(RowFlag("ngay_vao_cong_doan", why))


def _cccd_unique(records: list[MemberRecord], spec: TemplateSpec) -> None:
    """The same CCCD on two different people (after duplicates are merged): flag every row."""
    if "cccd_unique" not in spec.rules:
        return
    by: dict[str, list[MemberRecord]] = defaultdict(list)
    for r in records:
        v = r.value("so_cccd")
        if v:
            by[v].append(r)
    for v, rs in by.items():
        if len(rs) > 1:
            for r in rs:
                others = ", ".join(str(o.loc.row) for o in rs if o is not r)
                r.flags.append(RowFlag("so_cccd", "cccd.duplicate_other_person", {"rows": others}))


# --------------------------------------------------------------------------- classify
def _classify(out: FileOutcome, records: list[MemberRecord], spec: TemplateSpec) -> None:
    required = spec.required_fields()
    fields = spec.fields
    ok, changed, missing, flagged = Status.OK, Status.CHANGED, Status.MISSING, Status.FLAGGED
    for r in records:
        held = False
        items: list[ReviewItem] = []
        get = r.res.get
        for f in fields:
            res = get(f)
            if res is None:  # column absent from the unit file
                if f in required:
                    held = True
                    items.append(ReviewItem(r.loc, f, "", "", "", "field.column_absent", {}, True, r.rec_id))
                continue
            status = res.status
            if status is ok or status is changed:
                continue
            if status is missing and f in required:
                held = True
                items.append(ReviewItem(r.loc, f, r.cols.get(f, ""), "", "", "field.required_missing", {}, True,
                                        r.rec_id))
            elif status is flagged:
                hard = not res.soft
                if hard and f in required:
                    held = True
                raw = r.raw.get(f)
                items.append(ReviewItem(r.loc, f, r.cols.get(f, ""), raw.text if raw else "", res.proposal,
                                        res.reason, dict(res.params), hard and f in required, r.rec_id))
        for fl in r.flags:
            if fl.hard and (fl.field in required or fl.field == ""):
                held = True
            raw = r.raw.get(fl.field)
            items.append(ReviewItem(r.loc, fl.field, r.cols.get(fl.field, ""), raw.text if raw else "",
                                    "", fl.reason, dict(fl.params), fl.hard, r.rec_id))
        if r.hidden:
            items.append(ReviewItem(r.loc, "", "", "", "", "layout.hidden_row", {}, False, r.rec_id))
        for it in items:
            it.held_back = held
        out.review.extend(items)
        # Flagged optional cells are uploaded empty, never with a guess.
        for fl in r.flags:
            if fl.field and fl.field not in required and fl.field in r.res:
                r.res[fl.field] = Result("", Status.FLAGGED, fl.reason)
        (out.held if held else out.upload).append(r)


def _changes(out: FileOutcome, records: list[MemberRecord]) -> None:
    changed = Status.CHANGED
    add = out.changes.append
    for r in records:
        for f, res in r.res.items():
            if res.status is changed:
                raw = r.raw.get(f)
                add(Change(r.loc, r.cols.get(f, ""), f, raw.text if raw else "", res.value, res.reason, res.params))


# --------------------------------------------------------------------------- one file
def clean_file(path: str | Path, spec: TemplateSpec, *, today: date, recipe: dict | None = None,
               start_id: int = 0) -> FileOutcome:
    """Clean one unit file. Bad input never raises: the outcome carries the error code and a
    Vietnamese message naming the file."""
    from unionclean.read import read_workbook

    recipe = recipe or {}
    p = Path(path)
    out = FileOutcome(path=str(p), stem=output_stem(p))
    t0 = time.perf_counter()
    try:
        wb = read_workbook(p)
        out.sha256, out.size = file_sha256(p)
        out.format = wb.format
        out.timings["read"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        built = _build_records(wb, spec, recipe, p.name, out, start_id)
        if not built and not any(s.get("suspicious") for s in out.skipped):
            kinds = Counter(s["kind"] for s in out.sheets)
            code = "layout.no_header" if kinds.get("no_header") or not out.sheets else "layout.no_members"
            raise InputFileError(code, p.name)
        out.unit_name = _unit_name(wb) or p.stem
        out.timings["layout"] = time.perf_counter() - t1
        t1 = time.perf_counter()
        _normalise(built, spec, today, out, recipe)
        records = [r for r, _ in built]
        _apply_cell_decisions(records, spec, today, recipe.get("decisions", {}).get("cells") or [])
        out.records = records
        out.timings["normalise"] = time.perf_counter() - t1
        t1 = time.perf_counter()
        survivors = _dedupe(out, records, recipe)
        _cross_checks(survivors, spec, today)
        _cccd_unique(survivors, spec)
        _attach_notes(survivors)
        _changes(out, records)
        _classify(out, survivors, spec)
        out.timings["check"] = time.perf_counter() - t1
    except InputFileError as exc:
        out.ok = False
        out.error_code = exc.code
        out.error_message = exc.message()
    except Exception as exc:  # noqa: BLE001 - one broken file must not stop a province run
        # A bug or an input we did not foresee: report it for this file (no cell values in the
        # message) and go on with the others; the run still exits non-zero.
        out.ok = False
        out.error_code = "run.unexpected_error"
        out.error_message = InputFileError("run.unexpected_error", p.name, error=type(exc).__name__).message()
    out.timings["total"] = time.perf_counter() - t0
    return out


def _attach_notes(records: list[MemberRecord]) -> None:
    """Notes the tool adds (e.g. a second phone number) go after the unit's own Ghi chú."""
    for r in records:
        notes = [res.note for res in r.res.values() if res.note]
        if not notes:
            continue
        own = r.res.get("ghi_chu")
        parts = ([own.value] if own is not None and own.value else []) + notes
        r.res["ghi_chu"] = Result("; ".join(parts), Status.CHANGED, "note.appended")


def _dedupe(out: FileOutcome, records: list[MemberRecord], recipe: dict) -> list[MemberRecord]:
    """Within-unit duplicates: certain ones merged into the first row, the grey zone reviewed."""
    from unionclean.dedupe import dedupe_records

    return dedupe_records(out, records, recipe)


def _unit_name(wb) -> str:
    """The unit's name from a title row ("CÔNG ĐOÀN CƠ SỞ …" / "CĐCS …"), if any."""
    from unionclean.normalize.text import clean_text

    for sheet in wb.sheets[:3]:
        for row in sheet.rows[:8]:
            for c in row.cells:
                if c is None or c.kind != "s":
                    continue
                t, _ = clean_text(c)
                up = t.upper()
                for prefix in ("CÔNG ĐOÀN CƠ SỞ", "CĐCS", "CÔNG ĐOÀN"):
                    if up.startswith(prefix) and len(t) > len(prefix) + 2 and "LIÊN ĐOÀN" not in up:
                        return t[len(prefix):].strip(" :-").strip() or t
    return ""

