"""Practice classes: exercises for grassroots (6) and upper-level officers (10), each with a
practice file seeded from the trainee's name, a checker that explains, progress files, and the
instructor's class set and scoreboard.

Example (in a training notebook):
    >>> from unionclean import training                                           # doctest: +SKIP
    >>> bai = training.start("Nguyễn Văn A", "01_chay_lam_sach")                   # doctest: +SKIP
    >>> training.check(bai, tep_tai_len="bai01.upload.xlsx", so_doan_vien=35)     # doctest: +SKIP
"""
from __future__ import annotations

from unionclean.training.catalogue import TRACKS, Exercise, exercises, get_exercise, track_exercises
from unionclean.training.checkers import check
from unionclean.training.feedback import Feedback
from unionclean.training.instructor import collect_scoreboard, make_class_set, read_names, write_scoreboard
from unionclean.training.practice import (Practice, duplicate_groups, pair_table, prepare, questions_table,
                                          records_frame, trainee_slug, unit_reply_table, write_group_decisions)
from unionclean.training.progress import Progress, progress

__all__ = ["TRACKS", "Exercise", "Feedback", "Practice", "Progress", "check", "collect_scoreboard",
           "duplicate_groups", "exercises", "get_exercise", "make_class_set", "options", "pair_table", "prepare",
           "progress", "questions_table", "read_names", "records_frame", "start", "track_exercises",
           "trainee_slug", "unit_reply_table", "write_group_decisions", "write_scoreboard"]


def start(trainee: str, exercise_id: str, track: str = "co_so", work: str = "work") -> Practice:
    """Prepare a trainee's practice material for one exercise (same as :func:`prepare`); in a
    notebook, the returned object shows the instructions and the file's path."""
    return prepare(trainee, exercise_id, work=work, track=track)


def options(question: str = "ly_do") -> str:
    """The answer options of exercise 04 as text: ``ly_do`` (why a row was held back) or
    ``cach_xu_ly`` (what to do with a CCCD shown as 7,9E+10)."""
    from unionclean.messages import message

    letters = "ABCDE" if question == "ly_do" else "ABC"
    return "\n".join(f"{x}. {message(f'training.q04.{question}.{x}')}" for x in letters)
