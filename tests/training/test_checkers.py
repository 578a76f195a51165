"""Every training checker with a correct and an incorrect solution."""
from __future__ import annotations

import pytest

from unionclean.messages import has_message
from unionclean.training import check, exercises, prepare
from unionclean.training.practice import practice_seed

from training_solutions import solve

IDS = [e.id for e in exercises()]


def _plain(lines):
    """Feedback lines are Vietnamese sentences, not codes or booleans."""
    return all(isinstance(s, str) and len(s) > 15 and not s.startswith("training.") for s in lines)


@pytest.mark.parametrize("exercise_id", IDS)
def test_correct_solution_passes(practice, exercise_id):
    p = practice(exercise_id)
    fb = check(p, **solve(p, correct=True))
    assert fb.passed, fb.text()
    assert fb.wrong == [] and fb.hint == ""
    assert len(fb.right) == fb.max_score >= 3
    assert _plain(fb.right)


@pytest.mark.parametrize("exercise_id", IDS)
def test_incorrect_solution_is_explained(practice, exercise_id):
    p = practice(exercise_id)
    fb = check(p, **solve(p, correct=False))
    assert not fb.passed
    assert fb.wrong and _plain(fb.wrong)
    assert fb.hint and not fb.hint.startswith("training.")
    assert fb.score + len(fb.wrong) == fb.max_score
    html = fb._repr_html_()
    assert "Cần sửa" in html and "Gợi ý" in html


def test_missing_work_is_explained_not_crashed(practice):
    p = practice("01_chay_lam_sach")
    fb = check(p, tep_tai_len="", so_doan_vien="")
    assert fb.score == 0 and len(fb.wrong) == 3
    assert "Thư mục kết quả" in fb.wrong[0]
    p = practice("07_nhieu_don_vi")
    fb = check(p)
    assert fb.score == 0 and "run.json" in fb.wrong[0] and fb.hint


def test_guessing_an_unanswered_cell_is_wrong(practice):
    p = practice("03_sua_o_danh_dau")
    unanswered = [r for r in p.extra["reply"] if not r["value"]]
    assert unanswered and any(r["value"] for r in p.extra["reply"])
    fb = check(p, **solve(p, correct=False))
    assert sum("đoán" in s for s in fb.wrong) == len(unanswered)


def test_practice_files_are_personal_and_stable(work):
    a1 = prepare("Nguyễn Văn A", "01_chay_lam_sach", work=work / "x")
    a2 = prepare("  nguyễn   văn a ", "01_chay_lam_sach", work=work / "y")
    b = prepare("Nguyễn Văn B", "01_chay_lam_sach", work=work / "x")
    assert a1.inputs.read_bytes() == a2.inputs.read_bytes()
    assert a1.inputs.read_bytes() != b.inputs.read_bytes()
    assert practice_seed("Nguyễn Văn A", "01") != practice_seed("Nguyễn Văn A", "02")


def test_odd_header_is_unmapped_until_the_trainee_fixes_it(practice):
    from unionclean.session import CleaningSession

    p = practice("02_ghep_cot")
    t = CleaningSession(p.inputs, today=p.today).mapping_table()
    odd = t[t["Tiêu đề nguồn"] == p.extra["odd_header"]["header"]]
    assert len(odd) == len(p.extra["odd_header"]["sheets"]) >= 1
    assert set(odd["Cột của mẫu"]) == {""}


def test_track_membership_is_enforced(work):
    with pytest.raises(ValueError, match="not in track"):
        prepare("Nguyễn Văn A", "09_doi_chieu_trung_uong", work=work, track="co_so")


def test_every_feedback_code_has_a_message():
    import re
    from pathlib import Path

    import unionclean.training as t

    src = "".join(p.read_text(encoding="utf-8") for p in Path(t.__file__).parent.glob("*.py"))
    codes = set(re.findall(r'"(training\.[a-z0-9_.]+)"', src))
    codes |= {f"training.c04.why.{x}" for x in "ABCDE"} | {f"training.c04.hint.{x}" for x in "ABCDE"}
    codes |= {f"training.c05.{k}_{a}" for k in ("ok", "wrong") for a in ("merge", "keep_apart")}
    codes |= {f"training.c05.hint_{a}" for a in ("merge", "keep_apart")}
    codes = {c for c in codes if not c.endswith(".")}
    missing = sorted(c for c in codes if not has_message(c))
    assert not missing
