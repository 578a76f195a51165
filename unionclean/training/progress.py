"""A trainee's progress: ``work/<trainee>/tien_do.json``.

Holds only the name the trainee typed, their track and, per exercise, the latest and best
score, the number of tries and the time of the last check: no member data.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd

from unionclean.messages import message
from unionclean.training.catalogue import TRACKS, track_exercises
from unionclean.training.feedback import Feedback
from unionclean.training.practice import Practice, trainee_slug

__all__ = ["PROGRESS_FILE", "record_result", "load_progress", "progress", "Progress"]

PROGRESS_FILE = "tien_do.json"


def _path(work: str | Path, trainee: str) -> Path:
    return Path(work) / trainee_slug(trainee) / PROGRESS_FILE


def load_progress(path: str | Path) -> dict[str, Any]:
    """Read a progress file (an empty record if it does not exist yet)."""
    p = Path(path)
    if not p.exists():
        return {"hoc_vien": "", "tuyen": "", "bai": {}}
    return json.loads(p.read_text(encoding="utf-8"))


def record_result(p: Practice, fb: Feedback, when: datetime | None = None) -> Path:
    """Add one check's result to the trainee's progress file."""
    path = _path(p.work, p.trainee)
    doc = load_progress(path)
    doc["hoc_vien"] = " ".join(p.trainee.split())
    if doc.get("tuyen") != "cap_tren":  # a trainee who did an upper-level exercise is upper level
        doc["tuyen"] = p.track
    prev = doc["bai"].get(fb.exercise, {})
    doc["bai"][fb.exercise] = {
        "diem": fb.score, "toi_da": fb.max_score, "dat": fb.passed,
        "diem_cao_nhat": max(fb.percent, int(prev.get("diem_cao_nhat", 0))),
        "lan_kiem_tra": int(prev.get("lan_kiem_tra", 0)) + 1,
        "luc": (when or datetime.now()).isoformat(timespec="seconds"),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)
    return path


@dataclass(repr=False)
class Progress:
    """A trainee's progress on their track, shown as a table with a one-line summary."""

    trainee: str
    track: str
    table: pd.DataFrame

    @property
    def done(self) -> int:
        return int((self.table["Đạt"] == "✔").sum())

    def summary(self) -> str:
        return message("training.progress.summary", name=self.trainee, track=TRACKS[self.track],
                       done=self.done, total=len(self.table))

    def __str__(self) -> str:
        return self.summary() + "\n" + self.table.to_string(index=False)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return f"<p><b>{escape(self.summary())}</b></p>" + self.table.to_html(index=False, escape=True)


def progress(trainee: str, track: str = "co_so", work: str | Path = "work") -> Progress:
    """The trainee's progress over every exercise of their track."""
    doc = load_progress(_path(work, trainee))
    rows = []
    for e in track_exercises(track):
        r = doc["bai"].get(e.id)
        rows.append({"Bài": e.number, "Tên bài": e.title,
                     "Điểm lần cuối": f"{r['diem']}/{r['toi_da']}" if r else "—",
                     "Cao nhất (%)": r["diem_cao_nhat"] if r else 0,
                     "Số lần kiểm tra": r["lan_kiem_tra"] if r else 0,
                     "Đạt": "✔" if r and r["diem_cao_nhat"] == 100 else ""})
    return Progress(" ".join(trainee.split()), track, pd.DataFrame(rows))
