"""Practice material for one trainee and one exercise, seeded from the trainee's name.

The same name always gives the same files (so the instructor can regenerate a trainee's set and
the checker knows the truth); neighbours in a computer room get different files.

Example:
    >>> import tempfile
    >>> p = prepare("Nguyễn Văn A", "01_chay_lam_sach", work=tempfile.mkdtemp())  # doctest: +SKIP
    >>> p.inputs.name                                                              # doctest: +SKIP
    'bai01.xlsx'
"""
from __future__ import annotations

import csv
import hashlib
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd

from unionclean.training.catalogue import Exercise, get_exercise

__all__ = ["Practice", "prepare", "practice_seed", "trainee_slug", "records_frame", "TODAY",
           "REASON_CHOICES", "unit_reply_table", "questions_table", "pair_table", "duplicate_groups",
           "write_group_decisions"]

#: Run date of every practice run (so results do not change with the calendar).
TODAY = "2026-11-01"

#: Answer options of exercise 04 (letter -> generator reason keys it covers).
REASON_CHOICES: dict[str, tuple[str, ...]] = {
    "A": ("cccd.scientific_notation",),
    "B": ("cccd.gender_mismatch",),
    "C": ("cccd.birth_year_mismatch",),
    "D": ("phone.invalid",),
    "E": ("email.invalid",),
}


def _fold_name(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", str(name)).split()).casefold()


def practice_seed(trainee: str, exercise_id: str) -> str:
    """Stable seed of a trainee's exercise (SHA-256 of the case-folded name and the id)."""
    return hashlib.sha256(f"{_fold_name(trainee)}|{exercise_id}".encode("utf-8")).hexdigest()[:16]


def trainee_slug(trainee: str) -> str:
    """Folder name of a trainee: the name without diacritics, ``_`` for spaces.

    Example:
        >>> trainee_slug("  Nguyễn  Thị Đào ")
        'nguyen_thi_dao'
    """
    from unionclean.normalize.keys import fold

    s = fold(_fold_name(trainee))
    s = "".join(ch if ch.isalnum() else "_" for ch in s)
    s = "_".join(p for p in s.split("_") if p)
    if not s:
        raise ValueError("trainee name is empty: set ten_hoc_vien to your name")
    return s[:60]


@dataclass(repr=False)
class Practice:
    """One trainee's material for one exercise.

    Attributes:
        trainee: The name as typed.
        exercise: The :class:`Exercise`.
        folder: ``work/<trainee>/<exercise id>``.
        inputs: The practice file (unit exercises) or folder of unit files (dataset exercises).
        out: Where the trainee writes results (``folder/ket_qua``).
        truth: The generator's truth (``UnitTruth`` or ``DatasetTruth``).
        extra: Exercise-specific material (unit reply, questions, pairs, central export …).
    """

    trainee: str
    exercise: Exercise
    folder: Path
    inputs: Path
    out: Path
    truth: Any
    track: str = "co_so"
    today: str = TODAY
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def run_date(self) -> date:
        """The run date as a :class:`datetime.date` (for ``api.clean(today=...)``)."""
        return date.fromisoformat(self.today)

    @property
    def work(self) -> Path:
        """The work root (parent of the trainee folder)."""
        return self.folder.parent.parent

    def __repr__(self) -> str:
        return f"Bài {self.exercise.number}. {self.exercise.title} — {self.trainee} — {self.inputs}"

    def _repr_html_(self) -> str:
        return (self.exercise.instructions_html()
                + f"<p>Học viên: <b>{escape(self.trainee)}</b> — tệp thực hành: <code>{escape(str(self.inputs))}</code>"
                + f"<br>Thư mục kết quả: <code>{escape(str(self.out))}</code></p>")


def prepare(trainee: str, exercise_id: str, work: str | Path = "work", track: str = "co_so") -> Practice:
    """Generate (or regenerate, identically) a trainee's material for one exercise."""
    ex = get_exercise(exercise_id)
    if track not in ex.tracks:
        raise ValueError(f"exercise {ex.id} is not in track {track!r} (it is in {list(ex.tracks)})")
    folder = Path(work) / trainee_slug(trainee) / ex.id
    folder.mkdir(parents=True, exist_ok=True)
    seed = practice_seed(trainee, ex.id)
    kind = ex.practice["kind"]
    builder = {"unit": _unit, "dataset": _dataset, "central": _central}[kind]
    p = builder(trainee, ex, folder, seed)
    p.track = track
    return p


# -------------------------------------------------------------------------------------------- unit
def _unit(trainee: str, ex: Exercise, folder: Path, seed: str) -> Practice:
    from unionclean.synth import practice_file

    cfg = ex.practice
    path = folder / f"bai{ex.number:02d}.xlsx"
    truth = practice_file(path, trainee, cfg["profile"])
    p = Practice(trainee, ex, folder, path, folder / "ket_qua", truth)
    rng = random.Random(seed)
    if "odd_header" in cfg:
        p.extra["odd_header"] = _patch_header(path, truth, cfg["odd_header"]["field"],
                                              rng.choice(cfg["odd_header"]["headers"]))
    if "reply_share" in cfg:
        p.extra["reply"] = _unit_reply(truth, rng, float(cfg["reply_share"]))
    if "questions" in cfg:
        p.extra["questions"] = _questions(truth, rng, int(cfg["questions"]))
    if ex.checker == "pair_decisions":
        p.extra["pairs"] = _pairs(truth, rng)
    return p


def _patch_header(path: Path, truth: Any, field_key: str, header: str) -> dict[str, Any]:
    """Replace the header of ``field_key`` on every member sheet by an odd text."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    sheets = []
    for name, m in truth.layout["sheets"].items():
        letters = (m.get("columns") or {}).get(field_key)
        if not letters or name not in wb.sheetnames:
            continue
        ws = wb[name]
        for r in range(m["header_row"], m["header_row"] + m["header_rows"]):
            if ws[f"{letters[0]}{r}"].value not in (None, ""):
                ws[f"{letters[0]}{r}"].value = header
                sheets.append(name)
                break
    wb.save(path)
    return {"field": field_key, "header": header, "sheets": sheets}


def _unit_reply(truth: Any, rng: random.Random, share: float) -> list[dict[str, str]]:
    """The unit's answers on flagged cells: the real value for about ``share`` of them, the rest
    unanswered (``value`` empty). At least one of each when there are two or more cells."""
    members = {m["member_id"]: m for m in truth.members}
    cells = [(r, f) for r in truth.rows for f in sorted(r.flag_why)]
    n = len(cells)
    k = min(n, max(1 if n else 0, round(n * share)))
    if n >= 2:
        k = min(k, n - 1)
    answered = set(rng.sample(range(n), k))
    return [{"loc": r.location, "field": f, "reason": r.flag_why[f],
             "value": members[r.member_id][f] if i in answered else ""} for i, (r, f) in enumerate(cells)]


def _questions(truth: Any, rng: random.Random, n: int) -> list[dict[str, str]]:
    """Flagged rows to explain, of different reasons where possible."""
    by_reason: dict[str, list] = {}
    for r in truth.rows:
        for f, why in sorted(r.flag_why.items()):
            if any(why in keys for keys in REASON_CHOICES.values()):
                by_reason.setdefault(why, []).append((r, f))
    reasons = sorted(by_reason)
    rng.shuffle(reasons)
    picked = []
    for why in reasons:
        r, f = rng.choice(by_reason[why])
        if all(q["loc"] != r.location for q in picked):
            picked.append({"loc": r.location, "field": f, "reason": why})
        if len(picked) == n:
            break
    answer = {why: letter for letter, keys in REASON_CHOICES.items() for why in keys}
    for i, q in enumerate(picked, 1):
        q["no"] = i
        q["answer"] = answer[q["reason"]]
    return picked


def _pairs(truth: Any, rng: random.Random) -> list[dict[str, str]]:
    """Candidate pairs to decide: every duplicate cluster (same person → merge) and every
    same-name pair of different people (→ keep_apart)."""
    out = []
    for c in truth.clusters:
        if c.kind not in ("within_unit", "not_duplicate") or len(c.rows) < 2:
            continue
        out.append({"loc_a": c.rows[0], "loc_b": c.rows[1],
                    "answer": "merge" if c.kind == "within_unit" else "keep_apart"})
    rng.shuffle(out)
    for i, p in enumerate(out, 1):
        p["no"] = i
    return out


# -------------------------------------------------------------------------------------------- dataset
def _dataset(trainee: str, ex: Exercise, folder: Path, seed: str) -> Practice:
    from unionclean.synth import generate_dataset

    cfg = ex.practice
    units = folder / "don_vi"
    if units.exists():
        for f in units.iterdir():
            if f.is_file():
                f.unlink()
    truth = generate_dataset(units, int(cfg["units"]), tuple(cfg["members"]), seed=seed,
                             cross_unit_rate=float(cfg.get("cross_unit_rate", 0.0)), write_truth=False)
    p = Practice(trainee, ex, folder, units, folder / "ket_qua", truth)
    if cfg.get("broken_file"):
        broken = units / f"u{int(cfg['units']) + 1:02d}_tep_hong.xlsx"
        broken.write_bytes(b"PK\x03\x04" + hashlib.sha256(seed.encode()).digest() * 8)
        p.extra["broken"] = broken.name
    return p


# -------------------------------------------------------------------------------------------- central
def _central(trainee: str, ex: Exercise, folder: Path, seed: str) -> Practice:
    """A unit file plus an export of the central system that knows most of its members:
    ``not_in_central`` members are new, ``changed`` are in the system with their name typed
    without diacritics (an old entry),
    ``left_unit`` people are in the system only (to report as left)."""
    from unionclean.synth import generate_people, practice_file
    from unionclean.synth.people import strip_diacritics

    cfg = ex.practice
    path = folder / f"bai{ex.number:02d}.xlsx"
    truth = practice_file(path, trainee, cfg["profile"])
    rng = random.Random(seed)
    members = list(truth.members)
    idx = list(range(len(members)))
    rng.shuffle(idx)
    new = set(idx[: int(cfg["not_in_central"])])
    changed = set(idx[len(new): len(new) + int(cfg["changed"])])
    left = generate_people(int(cfg["left_unit"]), seed + "|left")
    rows = []
    for i, m in enumerate(members):
        if i in new:
            continue
        rows.append((m, strip_diacritics(m["ho_ten"]) if i in changed else m["ho_ten"]))
    rows += [(m, m["ho_ten"]) for m in left]
    rng.shuffle(rows)
    central = folder / "xuat_tu_trung_uong.csv"
    with open(central, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Mã đoàn viên", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Đơn vị", "Trạng thái"])
        for k, (m, name) in enumerate(rows, 1):
            w.writerow([f"DV{int(seed[:6], 16) % 90000 + 10000}{k:03d}", name, m["ngay_sinh"], m["gioi_tinh"],
                        m["so_cccd"], truth.unit_name, "Đang sinh hoạt"])
    p = Practice(trainee, ex, folder, path, folder / "ket_qua", truth)
    p.extra.update(central=central, expected={"new": len(new), "left": len(left), "changed": len(changed)})
    return p


# -------------------------------------------------------------------------------------------- helpers
def records_frame(outcome: Any, held: bool = False) -> pd.DataFrame:
    """The cleaned rows of a session's outcome as a table (template field keys, ``rec_id`` =
    source location, ``unit``); ``held=True`` includes held-back rows."""
    from unionclean.spec import load_spec

    fields = load_spec().fields
    recs = list(outcome.upload) + (list(outcome.held) if held else [])
    rows = [dict({f: r.value(f) for f in fields}, rec_id=str(r.loc), unit=outcome.unit_name) for r in recs]
    return pd.DataFrame(rows, columns=[*fields, "rec_id", "unit"])


def duplicate_groups(path: str | Path) -> pd.DataFrame:
    """The groups of ``duplicates.xlsx`` for display: CCCD masked, one row per source row."""
    from unionclean.match.crossunit import SHEET
    from unionclean.privacy import mask_id

    df = pd.read_excel(path, sheet_name=SHEET, dtype=str, engine="calamine").fillna("")
    if "Số CCCD" in df:
        df["Số CCCD"] = df["Số CCCD"].map(mask_id)
    keep = [c for c in ("Nhóm", "Đơn vị", "Dòng", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Mức khớp",
                        "Quyết định") if c in df]
    return df[keep]


def write_group_decisions(path: str | Path, decisions: dict[int, str]) -> int:
    """Write ``{group number: "Gộp" | "Không gộp" | "Để sau"}`` into the ``Quyết định`` column of
    ``duplicates.xlsx`` (what an analyst does in Excel). Returns the number of rows written."""
    import openpyxl

    from unionclean.match.crossunit import DECISION_CHOICES, SHEET

    bad = {g: v for g, v in decisions.items() if v not in DECISION_CHOICES}
    if bad:
        raise ValueError(f"decisions must be one of {DECISION_CHOICES}: {bad}")
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET]
    head = [c.value for c in ws[1]]
    gi, di = head.index("Nhóm") + 1, head.index("Quyết định") + 1
    n = 0
    for r in range(2, ws.max_row + 1):
        g = ws.cell(r, gi).value
        if g is not None and int(g) in {int(k) for k in decisions}:
            ws.cell(r, di).value = {int(k): v for k, v in decisions.items()}[int(g)]
            n += 1
    wb.save(path)
    return n


def _field_header(field_key: str) -> str:
    from unionclean.spec import load_spec

    return next((c.header for c in load_spec().columns if c.field == field_key and not c.part), field_key)


def unit_reply_table(p: Practice) -> pd.DataFrame:
    """Exercise 03: the unit's reply, one row per flagged cell (dates only, nothing masked)."""
    from unionclean.messages import message

    return pd.DataFrame([{"Vị trí": r["loc"], "Trường": r["field"], "Cột": _field_header(r["field"]),
                          "Đơn vị trả lời": r["value"] or message("training.reply.none")}
                         for r in p.extra["reply"]])


def questions_table(p: Practice) -> pd.DataFrame:
    """Exercise 04: the questions (which row) and, below, the answer options."""
    return pd.DataFrame([{"Câu": q["no"], "Vị trí": q["loc"], "Cột bị đánh dấu": _field_header(q["field"])}
                         for q in p.extra["questions"]])


def pair_table(p: Practice, session: Any) -> pd.DataFrame:
    """Exercise 05: each candidate pair side by side (CCCD and phone masked)."""
    from unionclean.privacy import mask_id, mask_phone

    o = session.outcome or session.run()
    by_loc = {str(r.loc): r for r in o.records}
    rows = []
    for q in p.extra["pairs"]:
        for side, loc in (("A", q["loc_a"]), ("B", q["loc_b"])):
            r = by_loc.get(loc)
            val = (lambda f: r.value(f) or (r.raw[f].text if f in r.raw and r.raw[f] is not None else "")) \
                if r is not None else (lambda f: "")
            rows.append({"Cặp": q["no"], "Dòng": side, "Vị trí": loc, "Họ và tên": val("ho_ten"),
                         "Ngày sinh": val("ngay_sinh"), "Giới tính": val("gioi_tinh"),
                         "Số CCCD": mask_id(val("so_cccd")), "Điện thoại": mask_phone(val("so_dien_thoai"))})
    return pd.DataFrame(rows)
