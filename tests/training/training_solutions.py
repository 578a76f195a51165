"""Correct and incorrect solutions of every training exercise, built from the generator's truth
(what a careful trainee would do, and typical mistakes)."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from unionclean import api
from unionclean.session import CleaningSession
from unionclean.training.checkers import HANDLE_ANSWER, group_truth, reconcile_counts

TRAINEE = "Kiểm Thử Viên"


def _session(p):
    s = CleaningSession(p.inputs, today=p.today)
    s.run()
    return s


def _clean(p):
    return api.clean([p.inputs], p.out, today=p.run_date, jobs=1)


def solve(p, correct: bool) -> dict:
    """The answers of a correct (or a wrong) trainee for practice ``p``."""
    ex = p.exercise.checker
    if ex == "run_and_find":
        res = _clean(p)
        n = res.totals()["members_out"]
        name = f"{p.inputs.stem}.upload.xlsx" if correct else f"{p.inputs.stem}.review.xlsx"
        return {"tep_tai_len": name, "so_doan_vien": n if correct else n + 3}
    if ex == "mapping":
        s = CleaningSession(p.inputs, today=p.today)
        odd = p.extra["odd_header"]
        for sheet in odd["sheets"]:
            s.set_mapping(sheet, odd["header"], odd["field"] if correct else "so_dien_thoai")
        return {"phien": s}
    if ex == "cell_decisions":
        s = _session(p)
        for r in p.extra["reply"]:
            if r["value"]:
                s.decide_cell(r["loc"], r["field"], "set", r["value"])
            elif correct:
                s.decide_cell(r["loc"], r["field"], "leave")
            else:
                s.decide_cell(r["loc"], r["field"], "set", "01/01/1980")
        s.run()
        return {"phien": s}
    if ex == "held_reasons":
        ans = {q["no"]: q["answer"] for q in p.extra["questions"]}
        if not correct:
            ans = {k: ("A" if v != "A" else "B") for k, v in ans.items()}
        return {"dap_an": ans, "cach_xu_ly": HANDLE_ANSWER if correct else "A"}
    if ex == "pair_decisions":
        s = _session(p)
        flip = {"merge": "keep_apart", "keep_apart": "merge"}
        for q in p.extra["pairs"]:
            s.decide_pair(q["loc_a"], q["loc_b"], q["answer"] if correct else flip[q["answer"]])
        return {"phien": s}
    if ex == "read_review":
        s = _session(p)
        s.write(p.out)
        o = s.outcome
        held = {(i.loc.sheet, i.loc.row) for i in o.review if i.held_back}
        eth = sorted(i.loc.row for i in o.review if i.field == "dan_toc")
        if correct:
            return {"so_o_can_xem": len(o.review), "so_dong_giu_lai": len(held), "dong_dan_toc": eth[0] if eth else 0}
        return {"so_o_can_xem": len(o.review) + 1, "so_dong_giu_lai": len(o.review) + 1, "dong_dan_toc": 1}
    if ex in ("many_units", "quality_report", "cross_unit_decisions"):
        res = api.clean([p.inputs], p.out, today=p.run_date, jobs=1)
        m = json.loads(Path(res.manifest_path).read_text(encoding="utf-8"))
        if ex == "many_units":
            ans = {"so_tep": len(m["inputs"]), "so_doan_vien_tai_len": m["totals"]["members_out"],
                   "so_nhom_nghi_trung": m["cross_unit_groups"]}
            return ans if correct else {k: v + 1 for k, v in ans.items()}
        if ex == "quality_report":
            ans = {"so_dong_doc": m["totals"]["rows_read"], "so_dong_giu_lai": m["totals"]["held_back"],
                   "tep_loi": m["failed"][0] if m["failed"] else ""}
            return ans if correct else {"so_dong_doc": 0, "so_dong_giu_lai": -1, "tep_loi": "khong_co.xlsx"}
        from unionclean.match.crossunit import SHEET
        from unionclean.training.practice import write_group_decisions

        path = p.out / "duplicates.xlsx"
        df = pd.read_excel(path, sheet_name=SHEET, dtype=str, engine="calamine").fillna("")
        truth = group_truth(p, df)
        flip = {"Gộp": "Không gộp", "Không gộp": "Gộp"}
        dec = {g: (v if correct else flip[v]) for g, v in truth.items()}
        write_group_decisions(path, dec)
        return {"quyet_dinh": dec}
    if ex == "reconcile":
        n = reconcile_counts(p)
        ans = {"so_nguoi_moi": n["new"], "so_can_bao_giam": n["left"], "so_co_thay_doi": n["changed"]}
        return ans if correct else {k: v + 2 for k, v in ans.items()}
    raise AssertionError(ex)


