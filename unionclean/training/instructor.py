"""For the instructor: a class set of practice files and the class scoreboard.

Example:
    >>> import tempfile                                                      # doctest: +SKIP
    >>> roster = make_class_set(["Nguyễn Văn A", "Trần Thị B"], tempfile.mkdtemp(), "co_so")  # doctest: +SKIP
    >>> board = collect_scoreboard(roster_folder)                            # doctest: +SKIP
"""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from unionclean.training.catalogue import TRACKS, exercises, track_exercises
from unionclean.training.practice import prepare, trainee_slug
from unionclean.training.progress import PROGRESS_FILE, load_progress

__all__ = ["read_names", "make_class_set", "collect_scoreboard", "write_scoreboard", "ROSTER_FILE"]

ROSTER_FILE = "danh_sach_lop.csv"
_NAME_HEADERS = ("họ và tên", "họ tên", "ho va ten", "ho ten", "tên", "name")


def read_names(path: str | Path) -> list[tuple[str, str]]:
    """Read a class list (CSV, UTF-8): a name column (``Họ và tên`` or the first column) and an
    optional ``Tuyến`` column (``co_so`` / ``cap_tren``). Returns ``(name, track)`` pairs."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    if not rows:
        return []
    head = [h.strip().lower() for h in rows[0]]
    has_header = any(h in _NAME_HEADERS or h == "tuyến" for h in head)
    ni = next((i for i, h in enumerate(head) if h in _NAME_HEADERS), 0) if has_header else 0
    ti = head.index("tuyến") if has_header and "tuyến" in head else None
    out = []
    for r in rows[1 if has_header else 0:]:
        if len(r) <= ni or not r[ni].strip():
            continue
        track = r[ti].strip() if ti is not None and len(r) > ti and r[ti].strip() else ""
        out.append((" ".join(r[ni].split()), track))
    return out


def make_class_set(names: Iterable[str | tuple[str, str]] | str | Path, folder: str | Path,
                   track: str = "co_so", progress: Callable[[int, int], None] | None = None) -> pd.DataFrame:
    """Generate every trainee's practice files (all exercises of their track) under
    ``folder/<trainee>/``, and ``folder/danh_sach_lop.csv`` (name, folder, track).

    Args:
        names: Names, ``(name, track)`` pairs, or the path of a class-list CSV.
        folder: The class folder (the trainees' ``work`` folder, or copied to their machines).
        track: Track of names without one.
        progress: Called with ``(done, total)`` after each trainee.

    Raises:
        ValueError: two trainees share a folder name (add a distinguishing letter to one).
    """
    if isinstance(names, (str, Path)):
        people = [(n, t or track) for n, t in read_names(names)]
    else:
        people = [(n, track) if isinstance(n, str) else (n[0], n[1] or track) for n in names]
    slugs: dict[str, str] = {}
    for n, t in people:
        if t not in TRACKS:
            raise ValueError(f"{n}: unknown track {t!r}; use one of {sorted(TRACKS)}")
        s = trainee_slug(n)
        if s in slugs:
            raise ValueError(f"'{n}' and '{slugs[s]}' share the folder {s!r}: make the names differ "
                             "(e.g. add the unit or a letter)")
        slugs[s] = n
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for k, (n, t) in enumerate(people, 1):
        for e in track_exercises(t):
            prepare(n, e.id, work=folder, track=t)
        rows.append({"Họ và tên": n, "Thư mục": trainee_slug(n), "Tuyến": t,
                     "Số bài": len(track_exercises(t))})
        if progress:
            progress(k, len(people))
    roster = pd.DataFrame(rows, columns=["Họ và tên", "Thư mục", "Tuyến", "Số bài"])
    roster.to_csv(folder / ROSTER_FILE, index=False, encoding="utf-8-sig")
    return roster


def collect_scoreboard(folder: str | Path) -> pd.DataFrame:
    """One row per trainee found under ``folder`` (every ``tien_do.json``, at any depth, so
    files copied back from the trainees' machines into sub-folders work too), one column per
    exercise (best %), plus exercises passed and the average. Trainees of the roster who never
    checked an exercise appear with zeros."""
    folder = Path(folder)
    people: dict[str, dict] = {}
    roster = folder / ROSTER_FILE
    if roster.exists():
        for r in pd.read_csv(roster, dtype=str, encoding="utf-8-sig").itertuples(index=False):
            people[trainee_slug(r[0])] = {"hoc_vien": r[0], "tuyen": r[2], "bai": {}}
    for path in sorted(folder.rglob(PROGRESS_FILE)):
        doc = load_progress(path)
        if not doc.get("hoc_vien"):
            continue
        key = trainee_slug(doc["hoc_vien"])
        old = people.get(key, {"bai": {}})
        merged = dict(old.get("bai", {}))
        for ex, r in doc.get("bai", {}).items():  # keep the best of several copies
            if ex not in merged or r.get("diem_cao_nhat", 0) >= merged[ex].get("diem_cao_nhat", 0):
                merged[ex] = r
        track = "cap_tren" if "cap_tren" in (doc.get("tuyen"), old.get("tuyen")) else (doc.get("tuyen") or "co_so")
        people[key] = {"hoc_vien": doc["hoc_vien"], "tuyen": track, "bai": merged}
    cols = [e.id for e in exercises()]
    rows = []
    for doc in sorted(people.values(), key=lambda d: d["hoc_vien"]):
        track = doc.get("tuyen") or "co_so"
        mine = [e.id for e in track_exercises(track)]
        row = {"Họ và tên": doc["hoc_vien"], "Tuyến": TRACKS.get(track, track)}
        for ex in cols:
            r = doc["bai"].get(ex)
            row[f"Bài {int(ex[:2])}"] = (r.get("diem_cao_nhat", 0) if r else 0) if ex in mine else None
        best = [doc["bai"].get(ex, {}).get("diem_cao_nhat", 0) for ex in mine]
        row["Số bài đạt"] = sum(b == 100 for b in best)
        row["Số bài phải làm"] = len(mine)
        row["Điểm trung bình (%)"] = round(sum(best) / len(mine), 1) if mine else 0.0
        rows.append(row)
    columns = ["Họ và tên", "Tuyến", *[f"Bài {int(e[:2])}" for e in cols], "Số bài đạt", "Số bài phải làm",
               "Điểm trung bình (%)"]
    return pd.DataFrame(rows, columns=columns)


def write_scoreboard(board: pd.DataFrame, path: str | Path) -> Path:
    """Write the scoreboard to an .xlsx file (one sheet "Bảng điểm")."""
    path = Path(path)
    with pd.ExcelWriter(path, engine="xlsxwriter") as xw:
        board.to_excel(xw, sheet_name="Bảng điểm", index=False)
        ws = xw.sheets["Bảng điểm"]
        ws.set_column(0, 0, 28)
        ws.set_column(1, 1, 26)
        ws.freeze_panes(1, 2)
    return path
