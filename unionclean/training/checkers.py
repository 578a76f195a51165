"""The "Kiểm tra" checkers: compare a trainee's outputs and decisions with the truth of their
practice file (or with what the tool shows, for reading exercises) and explain.

Every checker adds one point per item checked (a file, a decision, an answer) and a Vietnamese
sentence saying what is right or wrong; the first wrong item gives the hint.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from unionclean.training.feedback import Feedback, FeedbackBuilder
from unionclean.training.practice import Practice, REASON_CHOICES, records_frame

__all__ = ["check", "CHECKERS", "HANDLE_ANSWER"]

#: Exercise 04: the right way to handle a CCCD shown as 7,9E+10.
HANDLE_ANSWER = "B"


def _short(loc: str) -> str:
    """``bai03.xlsx|DSDV|12`` -> ``DSDV, dòng 12`` (what a trainee sees in the tables)."""
    parts = str(loc).split("|")
    return f"{parts[-2]}, dòng {parts[-1]}" if len(parts) >= 3 else f"dòng {parts[-1]}"


def _header(field: str) -> str:
    from unionclean.spec import load_spec

    spec = load_spec()
    for c in spec.columns:
        if c.field == field and not c.part:
            return c.header
    return field


def _session(p: Practice, session: Any = None) -> Any:
    """The trainee's session if given, else a fresh run of the tool on the practice file."""
    from unionclean.session import CleaningSession

    if session is not None:
        return session
    s = CleaningSession(p.inputs, today=p.today)
    s.run()
    return s


def _int(v: Any) -> int | None:
    try:
        return int(str(v).strip())
    except (TypeError, ValueError):
        return None


# ----------------------------------------------------------------------------------- 01
def _run_and_find(p: Practice, fb: FeedbackBuilder, a: dict) -> None:
    stem = p.inputs.stem
    want = {"upload": f"{stem}.upload.xlsx", "review": f"{stem}.review.xlsx", "changes": f"{stem}.changes.csv"}
    missing = [n for n in want.values() if not (p.out / n).exists()]
    fb.check(not missing, "training.c01.outputs_ok", "training.c01.outputs_missing", "training.c01.hint_run",
             files=", ".join(missing), out=p.out)
    name = Path(str(a.get("tep_tai_len") or "")).name
    if name == want["upload"]:
        fb.ok("training.c01.file_ok", file=name)
    elif name == want["review"]:
        fb.bad("training.c01.file_is_review", "training.c01.hint_upload", file=name)
    elif name == want["changes"]:
        fb.bad("training.c01.file_is_changes", "training.c01.hint_upload", file=name)
    else:
        fb.bad("training.c01.file_wrong", "training.c01.hint_upload", file=name or "(trống)")
    n = _session(p).summary()["members_out"]
    got = _int(a.get("so_doan_vien"))
    fb.check(got == n, "training.c01.count_ok", "training.c01.count_wrong", "training.c01.hint_count",
             got=a.get("so_doan_vien"), n=n)


# ----------------------------------------------------------------------------------- 02
def _mapping(p: Practice, fb: FeedbackBuilder, a: dict) -> None:
    s = a.get("phien")
    if s is None:
        fb.bad("training.common.no_session", "training.c02.hint_set")
        return
    odd = p.extra["odd_header"]
    field, header = odd["field"], odd["header"]
    ov = s.overrides
    for sheet in odd["sheets"]:
        got = (ov.get(sheet) or {}).get(header, (ov.get("*") or {}).get(header, "—"))
        if got == field:
            fb.ok("training.c02.sheet_ok", sheet=sheet, header=header, field=_header(field))
        elif got == "—":
            fb.bad("training.c02.sheet_missing", "training.c02.hint_set", sheet=sheet, header=header,
                   field=field)
        else:
            fb.bad("training.c02.sheet_wrong", "training.c02.hint_field", sheet=sheet, header=header,
                   got=got, field=field)
    # Other overrides must agree with the file's real columns.
    real = {}
    for sheet, m in p.truth.layout["sheets"].items():
        for key, letters in (m.get("columns") or {}).items():
            for L in letters:
                h = (m.get("headers") or {}).get(L)
                if h:
                    real[(sheet, h)] = key
    extra_bad = [f"{sh}: {h} → {f}" for sh, d in ov.items() for h, f in d.items()
                 if h != header and f is not None and real.get((sh, h), f) != f]
    fb.check(not extra_bad, "training.c02.others_ok", "training.c02.others_wrong", "training.c02.hint_others",
             which="; ".join(extra_bad))
    s.run()
    missing = sum(1 for it in s.outcome.review if it.field == field and it.reason == "field.required_missing")
    fb.check(missing == 0, "training.c02.rows_ok", "training.c02.rows_held", "training.c02.hint_set",
             n=missing, field=_header(field))


# ----------------------------------------------------------------------------------- 03
def _norm(field: str, value: str, today: str) -> str:
    from datetime import date

    from unionclean.model import Cell
    from unionclean.normalize.base import Context
    from unionclean.normalize.registry import get_normalizer
    from unionclean.spec import load_spec

    res = get_normalizer(load_spec().field_type(field))(Cell(str(value)), Context(today=date.fromisoformat(today)))
    return res.value if not res.flagged else ""


def _cell_decisions(p: Practice, fb: FeedbackBuilder, a: dict) -> None:
    s = a.get("phien")
    if s is None:
        fb.bad("training.common.no_session", "training.c03.hint_set")
        return
    dec = {(c["loc"], c["field"]): c for c in s.recipe.decisions.get("cells", [])}
    for item in p.extra["reply"]:
        loc, field, value = item["loc"], item["field"], item["value"]
        d = dec.get((loc, field))
        where = {"where": _short(loc), "col": _header(field)}
        if value:
            if d is None or d["action"] == "leave":
                fb.bad("training.c03.answered_not_set", "training.c03.hint_set", **where)
            elif d["action"] == "accept":
                fb.bad("training.c03.accepted_instead", "training.c03.hint_set", **where)
            elif _norm(field, d.get("value", ""), p.today) == value:
                fb.ok("training.c03.set_ok", value=value, **where)
            else:
                fb.bad("training.c03.set_wrong", "training.c03.hint_value", got=d.get("value", ""), **where)
        else:
            if d is None or d["action"] == "leave":
                fb.ok("training.c03.left_ok", **where)
            else:
                fb.bad("training.c03.guessed", "training.c03.hint_guess", got=d.get("value", ""), **where)


# ----------------------------------------------------------------------------------- 04
def _held_reasons(p: Practice, fb: FeedbackBuilder, a: dict) -> None:
    answers = a.get("dap_an") or {}
    for q in p.extra["questions"]:
        got = str(answers.get(q["no"], answers.get(str(q["no"]), ""))).strip().upper()
        params = {"no": q["no"], "where": _short(q["loc"]), "got": got or "(trống)", "right": q["answer"]}
        if got == q["answer"]:
            fb.ok(f"training.c04.why.{q['answer']}", **params)
        elif got in REASON_CHOICES:
            fb.bad("training.c04.wrong_reason", f"training.c04.hint.{q['answer']}", **params)
        else:
            fb.bad("training.c04.no_answer", "training.c04.hint_letter", **params)
    got = str(a.get("cach_xu_ly") or "").strip().upper()
    fb.check(got == HANDLE_ANSWER, "training.c04.handle_ok", "training.c04.handle_wrong", "training.c04.hint_handle",
             got=got or "(trống)")


# ----------------------------------------------------------------------------------- 05
def _pair_decisions(p: Practice, fb: FeedbackBuilder, a: dict) -> None:
    s = a.get("phien")
    if s is None:
        fb.bad("training.common.no_session", "training.c05.hint_decide")
        return
    pairs = s.recipe.decisions.get("pairs") or {}
    decided = {}
    for action in ("merge", "keep_apart"):
        for q in pairs.get(action, []):
            decided[frozenset(q)] = action
    for item in p.extra["pairs"]:
        got = decided.get(frozenset((item["loc_a"], item["loc_b"])))
        params = {"no": item["no"], "a": _short(item["loc_a"]), "b": _short(item["loc_b"])}
        if got == item["answer"]:
            fb.ok(f"training.c05.ok_{item['answer']}", **params)
        elif got is None:
            fb.bad("training.c05.undecided", "training.c05.hint_decide", **params)
        else:
            fb.bad(f"training.c05.wrong_{item['answer']}", f"training.c05.hint_{item['answer']}", **params)


# ----------------------------------------------------------------------------------- 06
def _read_review(p: Practice, fb: FeedbackBuilder, a: dict) -> None:
    review = p.out / f"{p.inputs.stem}.review.xlsx"
    if not review.exists():
        fb.bad("training.c06.no_review", "training.c06.hint_write", out=p.out)
        return
    o = _session(p).outcome
    n_items = len(o.review)
    held = {(i.loc.sheet, i.loc.row) for i in o.review if i.held_back}
    ethnic = {i.loc.row for i in o.review if i.field == "dan_toc"}
    fb.check(_int(a.get("so_o_can_xem")) == n_items, "training.c06.items_ok", "training.c06.items_wrong",
             "training.c06.hint_items", got=a.get("so_o_can_xem"), n=n_items)
    fb.check(_int(a.get("so_dong_giu_lai")) == len(held), "training.c06.held_ok", "training.c06.held_wrong",
             "training.c06.hint_held", got=a.get("so_dong_giu_lai"), n=len(held))
    if ethnic:
        row = _int(a.get("dong_dan_toc"))
        fb.check(row in ethnic, "training.c06.ethnic_ok", "training.c06.ethnic_wrong", "training.c06.hint_ethnic",
                 got=a.get("dong_dan_toc"), row=row)


# ----------------------------------------------------------------------------------- 07
def _manifest(p: Practice, fb: FeedbackBuilder) -> dict | None:
    path = p.out / "run.json"
    if not path.exists():
        fb.bad("training.common.no_run", "training.common.hint_run", out=p.out)
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _many_units(p: Practice, fb: FeedbackBuilder, a: dict) -> None:
    m = _manifest(p, fb)
    if m is None:
        return
    files = len(m["inputs"])
    fb.check(_int(a.get("so_tep")) == files, "training.c07.files_ok", "training.c07.files_wrong",
             "training.c07.hint_files", got=a.get("so_tep"), n=files)
    out = m["totals"].get("members_out", 0)
    fb.check(_int(a.get("so_doan_vien_tai_len")) == out, "training.c07.members_ok", "training.c07.members_wrong",
             "training.c07.hint_members", got=a.get("so_doan_vien_tai_len"), n=out)
    g = m.get("cross_unit_groups", 0)
    fb.check(_int(a.get("so_nhom_nghi_trung")) == g, "training.c07.groups_ok", "training.c07.groups_wrong",
             "training.c07.hint_groups", got=a.get("so_nhom_nghi_trung"), n=g)


# ----------------------------------------------------------------------------------- 08
def group_truth(p: Practice, report: pd.DataFrame) -> dict[int, str]:
    """Per group of ``duplicates.xlsx``: ``Gộp`` when all its rows are one person in the truth."""
    who: dict[tuple[str, str, str], str] = {}
    for u in p.truth.units:
        for r in u.rows:
            who[(r.file, str(r.sheet or ""), str(r.row))] = r.member_id
    same: dict[str, str] = {}
    for c in p.truth.cross:
        for mid in c.member_ids:
            same[mid] = c.cluster_id
    out = {}
    for g, rows in report.groupby("Nhóm", sort=True):
        ids = [who.get((f, str(s or ""), str(r))) for f, s, r in zip(rows["Tệp"], rows["Trang tính"], rows["Dòng"])]
        persons = {same.get(i, i) for i in ids}
        out[int(g)] = "Gộp" if None not in persons and len(persons) == 1 else "Không gộp"
    return out


def _cross_unit_decisions(p: Practice, fb: FeedbackBuilder, a: dict) -> None:
    from unionclean.match.crossunit import SHEET

    path = p.out / "duplicates.xlsx"
    if not path.exists():
        fb.bad("training.c08.no_report", "training.common.hint_run", out=p.out)
        return
    df = pd.read_excel(path, sheet_name=SHEET, dtype=str, engine="calamine").fillna("")
    truth = group_truth(p, df)
    for g, want in truth.items():
        vals = {v.strip() for v in df.loc[df["Nhóm"].astype(int) == g, "Quyết định"] if v.strip()}
        got = vals.pop() if len(vals) == 1 else ("" if not vals else "nhiều")
        if got == want:
            fb.ok("training.c08.ok_merge" if want == "Gộp" else "training.c08.ok_apart", g=g)
        elif not got or got == "Để sau":
            fb.bad("training.c08.undecided", "training.c08.hint_write", g=g)
        else:
            fb.bad("training.c08.wrong_merge" if want == "Gộp" else "training.c08.wrong_apart",
                   "training.c08.hint_merge" if want == "Gộp" else "training.c08.hint_apart", g=g, got=got)


# ----------------------------------------------------------------------------------- 09
def reconcile_counts(p: Practice) -> dict[str, int]:
    """What the tool reports for a trainee's unit file against the central export."""
    from unionclean.match.central import read_central_export, reconcile_central

    s = _session(p)
    res = reconcile_central(records_frame(s.outcome), read_central_export(p.extra["central"]))
    return {"new": len(res.new), "left": len(res.missing), "changed": len(res.changed)}


def _reconcile(p: Practice, fb: FeedbackBuilder, a: dict) -> None:
    n = reconcile_counts(p)
    fb.check(_int(a.get("so_nguoi_moi")) == n["new"], "training.c09.new_ok", "training.c09.new_wrong",
             "training.c09.hint_new", got=a.get("so_nguoi_moi"), n=n["new"])
    fb.check(_int(a.get("so_can_bao_giam")) == n["left"], "training.c09.left_ok", "training.c09.left_wrong",
             "training.c09.hint_left", got=a.get("so_can_bao_giam"), n=n["left"])
    fb.check(_int(a.get("so_co_thay_doi")) == n["changed"], "training.c09.changed_ok", "training.c09.changed_wrong",
             "training.c09.hint_changed", got=a.get("so_co_thay_doi"), n=n["changed"])


# ----------------------------------------------------------------------------------- 10
def _quality_report(p: Practice, fb: FeedbackBuilder, a: dict) -> None:
    m = _manifest(p, fb)
    if m is None:
        return
    t = m["totals"]
    fb.check(_int(a.get("so_dong_doc")) == t.get("rows_read", 0), "training.c10.read_ok", "training.c10.read_wrong",
             "training.c10.hint_totals", got=a.get("so_dong_doc"), n=t.get("rows_read", 0))
    fb.check(_int(a.get("so_dong_giu_lai")) == t.get("held_back", 0), "training.c10.held_ok",
             "training.c10.held_wrong", "training.c10.hint_totals", got=a.get("so_dong_giu_lai"),
             n=t.get("held_back", 0))
    failed = m.get("failed") or []
    got = Path(str(a.get("tep_loi") or "")).name
    fb.check(got in failed, "training.c10.failed_ok", "training.c10.failed_wrong", "training.c10.hint_failed",
             got=got or "(trống)", file=", ".join(failed))


CHECKERS: dict[str, Callable[[Practice, FeedbackBuilder, dict], None]] = {
    "run_and_find": _run_and_find, "mapping": _mapping, "cell_decisions": _cell_decisions,
    "held_reasons": _held_reasons, "pair_decisions": _pair_decisions, "read_review": _read_review,
    "many_units": _many_units, "cross_unit_decisions": _cross_unit_decisions, "reconcile": _reconcile,
    "quality_report": _quality_report,
}


def check(p: Practice, record: bool = True, **answers: Any) -> Feedback:
    """Check a trainee's work on one exercise; records the result in their progress file.

    Args:
        p: The :class:`Practice` from :func:`~unionclean.training.prepare`.
        record: Save the result in ``tien_do.json`` (default).
        **answers: The exercise's answer variables (``so_doan_vien=…``, ``phien=…`` …).
    """
    fb = FeedbackBuilder(p.exercise.id)
    CHECKERS[p.exercise.checker](p, fb, answers)
    result = fb.build()
    if record:
        from unionclean.training.progress import record_result

        record_result(p, result)
    return result
