"""The exercise catalogue (``exercises.yaml``): what each exercise asks, for which track.

Example:
    >>> [e.id for e in track_exercises("co_so")][:2]
    ['01_chay_lam_sach', '02_ghep_cot']
    >>> len(track_exercises("co_so")), len(track_exercises("cap_tren"))
    (6, 10)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

__all__ = ["Exercise", "TRACKS", "exercises", "get_exercise", "track_exercises"]

#: Track id -> Vietnamese name.
TRACKS = {"co_so": "Cán bộ công đoàn cơ sở", "cap_tren": "Cán bộ công đoàn cấp trên"}


@dataclass(frozen=True)
class Exercise:
    """One training exercise (see ``exercises.yaml``)."""

    id: str
    tracks: tuple[str, ...]
    title: str
    why: str
    steps: tuple[str, ...]
    checks: tuple[str, ...]
    practice: dict[str, Any] = field(hash=False, compare=False)
    checker: str = ""

    @property
    def number(self) -> int:
        return int(self.id.split("_", 1)[0])

    def instructions_html(self) -> str:
        """Plain Vietnamese instructions as HTML (what to do and why)."""
        from html import escape

        steps = "".join(f"<li>{escape(s)}</li>" for s in self.steps)
        checks = "".join(f"<li>{escape(s)}</li>" for s in self.checks)
        return (f"<h3>Bài {self.number}. {escape(self.title)}</h3>"
                f"<p><b>Vì sao:</b> {escape(self.why)}</p>"
                f"<p><b>Việc cần làm:</b></p><ol>{steps}</ol>"
                f"<p><b>Ô Kiểm tra sẽ xem:</b></p><ul>{checks}</ul>")


@lru_cache(maxsize=1)
def exercises() -> tuple[Exercise, ...]:
    """Every exercise, in teaching order."""
    text = (resources.files("unionclean.training") / "exercises.yaml").read_text(encoding="utf-8")
    out = []
    for d in yaml.safe_load(text):
        bad = [t for t in d["tracks"] if t not in TRACKS]
        if bad:
            raise ValueError(f"exercise {d['id']}: unknown track(s) {bad}; use {sorted(TRACKS)}")
        out.append(Exercise(id=d["id"], tracks=tuple(d["tracks"]), title=d["title"], why=d["why"],
                            steps=tuple(d["steps"]), checks=tuple(d["checks"]),
                            practice=dict(d["practice"]), checker=d["checker"]))
    return tuple(out)


def get_exercise(exercise_id: str) -> Exercise:
    """The exercise with this id (``"03_sua_o_danh_dau"``) or number (``"3"``, ``3``)."""
    for e in exercises():
        if e.id == str(exercise_id) or str(e.number) == str(exercise_id).lstrip("0"):
            return e
    raise ValueError(f"unknown exercise {exercise_id!r}; choose one of {[e.id for e in exercises()]}")


def track_exercises(track: str) -> list[Exercise]:
    """The exercises of one track (``co_so``: 6, ``cap_tren``: 10)."""
    if track not in TRACKS:
        raise ValueError(f"unknown track {track!r}; use one of {sorted(TRACKS)}")
    return [e for e in exercises() if track in e.tracks]
