"""Seeded generator of realistic, messy synthetic unit files plus their ground truth.

Everything is invented: names, IDs, phones. Same seed → byte-identical files.

Example:
    >>> import tempfile, pathlib
    >>> people = generate_people(30, seed=7)
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> truth = write_unit_file(folder / "u01.xlsx", "Công đoàn Trường Tiểu học Kim Đồng", people, seed=7)
    >>> len(truth.members) == 30 and len(truth.rows) >= 30
    True
"""
from __future__ import annotations

import csv
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Collection, Sequence

from unionclean.synth.layout import ROMAN, build_columns, choose_layout, col_letter, make_extra, write_sheets
from unionclean.synth.mess import FLAG_KINDS, LEVELS, Messer
from unionclean.synth.people import FIELDS, derive_rng, generate_people, load_data, make_cccd, strip_diacritics

__all__ = ["generate_people", "write_unit_file", "generate_dataset", "practice_file", "UnitTruth",
           "DatasetTruth", "RowTruth", "Cluster", "FIELDS", "FLAG_KINDS", "EXERCISES"]

FLAG_RATES = {"clean": 0.0, "low": 0.03, "medium": 0.08, "high": 0.15}
DUP_RATES = {"clean": 0.0, "low": 0.01, "medium": 0.025, "high": 0.04}
REQUIRED = ("ho_ten", "ngay_sinh", "gioi_tinh", "so_cccd", "dan_toc", "ngay_vao_cong_doan")


@dataclass
class RowTruth:
    """One source member row: where it is and what a perfect cleaner makes of each cell.

    ``outcome[field]`` is ``value`` (recoverable), ``alt`` (a duplicate row saying something
    slightly different, accepted values in ``alt``), ``flag`` (must be flagged; ``flag_ok`` lists
    the raw values acceptable in the upload, ``flag_why`` the reason key), ``empty`` (blank on a
    duplicate row) or ``absent`` (no column). ``mess`` lists ``field:label`` of what was done.

    ``row`` is the Excel row number (1-based); for a CSV file it is the 1-based record number
    counted from the first record of the file (the header line is record 1 when the file has no
    title rows), and ``sheet`` is ``""``.
    """

    file: str
    sheet: str
    row: int
    member_id: str
    unit: str
    outcome: dict[str, str]
    alt: dict[str, list[str]] = field(default_factory=dict)
    flag_ok: dict[str, list[str]] = field(default_factory=dict)
    flag_why: dict[str, str] = field(default_factory=dict)
    mess: list[str] = field(default_factory=list)

    @property
    def location(self) -> str:
        return f"{self.file}|{self.sheet}|{self.row}"

    @property
    def flagged(self) -> bool:
        return bool(self.flag_why)

    def to_dict(self) -> dict[str, object]:
        """Flat dict (one CSV line of ``rows.csv``)."""
        d: dict[str, object] = {"file": self.file, "sheet": self.sheet, "row": self.row,
                                "member_id": self.member_id, "unit": self.unit}
        for f in FIELDS:
            d[f"o_{f}"] = self.outcome.get(f, "value")
        d["alt"] = json.dumps(self.alt, ensure_ascii=False)
        d["flag_ok"] = json.dumps(self.flag_ok, ensure_ascii=False)
        d["flag_why"] = json.dumps(self.flag_why, ensure_ascii=False)
        d["mess"] = ";".join(self.mess)
        return d


@dataclass
class Cluster:
    """Rows that are one person (``within_unit``, ``cross_unit``) or must stay apart
    (``not_duplicate``)."""

    cluster_id: str
    kind: str
    member_ids: list[str]
    rows: list[str]
    note: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"cluster_id": self.cluster_id, "kind": self.kind,
                "member_ids": ";".join(self.member_ids), "rows": ";".join(self.rows), "note": self.note}


@dataclass
class UnitTruth:
    """Ground truth of one unit file.

    Attributes:
        members: What the upload file should contain per member (``member_id``, ``unit``,
            ``file`` + the 17 fields; absent columns empty; a flagged field holds the real value).
        rows: One :class:`RowTruth` per source member row.
        clusters: Duplicate clusters of the unit (``within_unit``, ``not_duplicate``).
        layout: Manifest of the file's layout (sheets, header rows, column letters per field …).
    """

    unit: str
    unit_name: str
    file: str
    members: list[dict[str, str]]
    rows: list[RowTruth]
    clusters: list[Cluster]
    layout: dict

    def flag_count(self) -> int:
        """Number of flagged cells."""
        return sum(len(r.flag_why) for r in self.rows)

    def to_dict(self) -> dict:
        return {"unit": self.unit, "unit_name": self.unit_name, "file": self.file,
                "members": self.members, "rows": [r.to_dict() for r in self.rows],
                "clusters": [c.to_dict() for c in self.clusters], "layout": self.layout}

    def write_csv(self, folder: str | Path) -> None:
        """Write ``members.csv``, ``rows.csv``, ``duplicates.csv`` and ``manifest.json``."""
        _write_truth(Path(folder), [self], [], {})


@dataclass
class DatasetTruth:
    """Ground truth of a generated dataset (many unit files)."""

    folder: str
    seed: int | str
    mess_level: str
    units: list[UnitTruth]
    cross: list[Cluster]
    seconds: float = 0.0

    @property
    def clusters(self) -> list[Cluster]:
        return [c for u in self.units for c in u.clusters] + self.cross

    @property
    def n_members(self) -> int:
        return sum(len(u.members) for u in self.units)

    def write_csv(self, folder: str | Path) -> None:
        """Write ``members.csv``, ``rows.csv``, ``duplicates.csv``, ``manifest.json``."""
        _write_truth(Path(folder), self.units, self.cross,
                     {"seed": self.seed, "mess_level": self.mess_level})


# -------------------------------------------------------------------------------------------------
def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", strip_diacritics(text).lower()).strip("-")[:60]


def _kind(unit_name: str) -> str:
    low = unit_name.lower()
    if "trường" in low:
        return "school"
    if "bệnh viện" in low or "y tế" in low:
        return "hospital"
    if "công ty" in low:
        return "company"
    return "agency"


def _sheet_name(text: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", " ", text)[:31].strip() or "Sheet"
    base, k = name, 2
    while name.lower() in used:
        name = f"{base[:28]} {k}"
        k += 1
    used.add(name.lower())
    return name


def write_unit_file(path: str | Path, unit_name: str, members: Sequence[dict], *, seed: int | str,
                    mess_level: str = "medium", fmt: str | None = None, unit_id: str | None = None,
                    flag_rate: float | None = None, flag_kinds: Sequence[str] | None = None,
                    dup_rate: float | None = None, not_duplicates: bool | None = None,
                    encoding: str | None = "auto", layout: dict | None = None,
                    related: Collection[int] = (), province: str | None = None) -> UnitTruth:
    """Write one unit file the way grassroots units do, and return its truth.

    Args:
        path: Output file (``.xlsx`` or ``.csv``).
        unit_name: E.g. ``"Công đoàn Trường THCS Nguyễn Du"``.
        members: Canonical members (from :func:`generate_people`); not modified.
        seed: Seed of every random choice (layout, mess, duplicates, flags).
        mess_level: ``clean``, ``low``, ``medium`` or ``high``.
        fmt: ``"xlsx"`` or ``"csv"`` (default: from the suffix of ``path``).
        unit_id: Unit code used in member ids (default: the file stem's first part).
        flag_rate: Share of members carrying one flag-worthy cell (default by level).
        flag_kinds: Flag kinds to use (keys of :data:`FLAG_KINDS`; default all).
        dup_rate: Share of members pasted twice / on two sheets (default by level).
        not_duplicates: Make same-name pairs of different people (default: unless clean).
        encoding: ``"auto"`` (drawn), None (Unicode only), ``"tcvn3"``, ``"vni"``,
            ``"mixed:tcvn3"`` or ``"mixed:vni"``.
        layout: Overrides of layout choices (see :func:`unionclean.synth.layout.choose_layout`).
        related: Indexes of members that have duplicates elsewhere (no flags, no changes).
        province: Old province name of the unit (title block).

    Returns:
        The :class:`UnitTruth` of the file.
    """
    path = Path(path)
    fmt = fmt or path.suffix.lstrip(".").lower()
    if fmt not in ("xlsx", "csv"):
        raise ValueError(f"fmt must be 'xlsx' or 'csv', not {fmt!r} (set it or use a .xlsx/.csv path)")
    if mess_level not in LEVELS:
        raise ValueError(f"mess_level must be one of {sorted(LEVELS)}, not {mess_level!r}")
    unit = unit_id or path.stem.split("_")[0].upper()
    rng = derive_rng("unit", seed, unit_name)
    data = load_data()
    kind = data["unit_kinds"][_kind(unit_name)]
    n = len(members)
    people = [dict(m) for m in members]
    related = set(related)
    overrides = dict(layout or {})
    if encoding != "auto":
        overrides["encoding"] = encoding if fmt == "xlsx" else None
    lay = choose_layout(rng, fmt, n, kind["teams"], overrides)
    if fmt == "csv":
        lay["encoding"] = None
    lay["present_set"] = set(lay["present"]) | set(REQUIRED)
    present = lay["present_set"]
    messer = Messer(derive_rng("mess", seed, unit_name), mess_level, csv=fmt == "csv")
    ids = [f"{unit}-M{i + 1:04d}" for i in range(n)]
    free = [i for i in range(n) if i not in related]
    rng.shuffle(free)
    clusters: list[Cluster] = []

    # Not-duplicates: different people with the same name (and sometimes the same DOB).
    nd_pairs: list[tuple[int, int, str]] = []
    if (not_duplicates if not_duplicates is not None else mess_level != "clean") and n >= 10:
        for _ in range(1 + n // 80):
            if len(free) < 2:
                break
            a, b = free.pop(), free.pop()
            pa, pb = people[a], people[b]
            note = "same name"
            pb["ho_ten"], pb["gioi_tinh"] = pa["ho_ten"], pa["gioi_tinh"]
            if rng.random() < 0.4:
                pb["ngay_sinh"] = pa["ngay_sinh"]
                note = "same name and DOB"
            if len(pb["so_cccd"]) == 12:
                d = pb["ngay_sinh"]
                pb["so_cccd"] = make_cccd(rng, pb["so_cccd"][1:3], date(int(d[6:]), int(d[3:5]), int(d[:2])),
                                          pb["gioi_tinh"])
            if pb["email"]:
                pb["email"] = pb["email"].split("@")[0] + str(rng.randint(1, 9)) + "@" + pb["email"].split("@")[1]
            nd_pairs.append((a, b, note))

    # Within-unit duplicates.
    rate = DUP_RATES[mess_level] if dup_rate is None else dup_rate
    n_dup = min(len(free), round(n * rate) or (1 if rate > 0 and n >= 15 else 0))
    dups: dict[int, str] = {}
    for _ in range(n_dup):
        i = free.pop()
        variants = ["exact"]
        if sum(not w.isascii() for w in people[i]["ho_ten"].split()) > 1:
            variants.append("typo")
        if len(people[i]["so_cccd"]) == 12:
            variants.append("no_cccd")
        if "so_dien_thoai" in present and people[i]["so_dien_thoai"]:
            variants.append("phone_diff")
        dups[i] = rng.choice(variants)

    # Flags, only on members with one row and no duplicate relation.
    frate = FLAG_RATES[mess_level] if flag_rate is None else flag_rate
    kinds = list(flag_kinds or FLAG_KINDS)
    bad = [k for k in kinds if k not in FLAG_KINDS]
    if bad:
        raise ValueError(f"unknown flag kinds {bad}; use keys of FLAG_KINDS: {sorted(FLAG_KINDS)}")
    flags: dict[int, str] = {}
    n_flag = min(len(free), round(n * frate))
    order = list(kinds)
    rng.shuffle(order)
    k = 0
    for i in list(free):
        if len(flags) >= n_flag:
            break
        m = people[i]
        for _ in range(len(order)):
            fk = order[k % len(order)]
            k += 1
            if fk.startswith("cccd") and len(m["so_cccd"]) != 12:
                continue
            if fk == "phone_invalid" and "so_dien_thoai" not in present:
                continue
            if fk == "email_invalid" and ("email" not in present or not m["email"]):
                continue
            flags[i] = fk
            free.remove(i)
            break

    # Second phone number in the phone cell (→ note in Ghi chú).
    second: dict[int, str] = {}
    if "so_dien_thoai" in present and "ghi_chu" in present and mess_level != "clean":
        for i in free[: max(0, round(n * 0.02 * LEVELS[mess_level] * 2))]:
            if people[i]["so_dien_thoai"] and len(people[i]["so_dien_thoai"]) == 10:
                second[i] = rng.choice(data["mobile_prefixes"]) + f"{rng.randrange(10**7):07d}"

    # Placement: sheets / groups.
    order_idx = list(range(n))
    rng.shuffle(order_idx)
    mode = lay["sheets_mode"]
    teams = lay["teams"] or [lay["sheet_name"]]
    buckets: list[list[int]] = [[] for _ in teams]
    for j, i in enumerate(order_idx):
        buckets[j % len(teams) if mode == "flat" else rng.randrange(len(teams))].append(i)
    if mode == "flat":
        buckets = [order_idx]
    # second rows of duplicates: (bucket, position)
    extra_rows: list[tuple[int, int, int]] = []
    where = {i: b for b, lst in enumerate(buckets) for i in lst}
    for i in dups:
        b = where[i]
        if mode == "per_team" and len(buckets) > 1:
            b = rng.choice([x for x in range(len(buckets)) if x != where[i]])
        extra_rows.append((b, rng.randint(0, len(buckets[b])), i))
    extra_rows.sort(key=lambda t: (t[0], -t[1]))
    slots: list[list[tuple[int, bool]]] = [[(i, False) for i in lst] for lst in buckets]
    for b, pos, i in extra_rows:
        slots[b].insert(pos, (i, True))

    # Legacy encodings for pasted runs of rows.
    mixed = lay["encoding"][6:] if lay["encoding"] and lay["encoding"].startswith("mixed:") else None
    whole = lay["encoding"] if lay["encoding"] in ("tcvn3", "vni") else None

    refs: list[tuple[int, dict]] = []
    used: set[str] = set()
    sheets: list[tuple[str, list]] = []
    items: list = []
    run = 0
    for b, lst in enumerate(slots):
        if mode == "per_team":
            items = []
            sheets.append((_sheet_name(teams[b], used), items))
        elif b == 0:
            sheets.append((_sheet_name(lay["sheet_name"], used), items))
        if mode == "groups":
            roman = ROMAN[b % len(ROMAN)] if rng.random() < 0.5 else ""
            items.append(("group", teams[b] if rng.random() < 0.5 else f"Tổ công đoàn {teams[b]}", roman))
        stt = 0
        for i, is_second in lst:
            if lay["blank_rows"] and rng.random() < 0.03:
                items.append(("blank",))
            if mixed and run == 0 and rng.random() < 0.05:
                run = rng.randint(2, 8)
            legacy = whole or (mixed if run else None)
            run = max(0, run - 1)
            dupv = dups.get(i) if is_second else None
            res = messer.row(people[i], lay, flag=flags.get(i), dup=dupv, legacy=legacy,
                             second_phone=second.get(i, ""))
            stt += 1
            res["cells"]["stt"] = ("s", f"{stt}.", None) if lay["stt_dot"] and rng.random() < 0.3 else \
                ("s" if fmt == "csv" else "n", str(stt) if fmt == "csv" else stt, None)
            for x in lay["extras"]:
                res["cells"]["x:" + x] = make_extra(rng, x, people[i], fmt == "csv", teams)
            ref = len(refs)
            refs.append((i, res))
            items.append(("member", res["cells"], None if whole else legacy, ref))
        if lay["subtotals"]:
            items.append(("subtotal", stt))

    cols = build_columns(rng, lay)
    titles = _titles(rng, lay["title_rows"], unit_name, province)
    chair = next((people[i]["ho_ten"] for i in range(n) if people[i]["chuc_vu_cong_doan"] == "Chủ tịch"), "")
    footer: list[list[str]] = []
    if lay["footer"]:
        from unionclean.synth.people import person_name
        footer = [[f"Tổng cộng: {len(refs)} đoàn viên"], [], ["", "......., ngày ... tháng ... năm 2025"],
                  ["Người lập biểu", "TM. BAN CHẤP HÀNH"], ["", "CHỦ TỊCH"], [], [],
                  [person_name(rng, rng.choice(["Nam", "Nữ"])), chair]]
    summary = None
    if lay["summary_sheet"]:
        summary = [["TỔNG HỢP SỐ LIỆU ĐOÀN VIÊN"], ["STT", "Tổ công đoàn", "Tổng số", "Nam", "Nữ"]]
        for b, lst in enumerate(buckets):
            nam = sum(people[i]["gioi_tinh"] == "Nam" for i in lst)
            summary.append([b + 1, teams[b], len(lst), nam, len(lst) - nam])
        summary.append(["", "Tổng cộng", n, sum(r[3] for r in summary[2:]), sum(r[4] for r in summary[2:])])
    code_lists = None
    if lay["hidden_sheet"]:
        code_lists = {"Dân tộc": [e[0] for e in data["ethnic"]], "Tôn giáo": [r[0] for r in data["religion"]],
                      "Chức vụ": list(data["positions"])}
    written = write_sheets(path, lay, cols, sheets, rng, titles, footer, summary, code_lists)

    # Truth.
    fname = path.name
    rows: list[RowTruth] = []
    locs: dict[int, list[str]] = {}
    for ref, (i, res) in enumerate(refs):
        sheet, rno = written["rows"][ref]
        outcome = {f: ("absent" if f not in present else res["outcome"].get(f, "value")) for f in FIELDS}
        rt = RowTruth(fname, sheet, rno, ids[i], unit, outcome, res["alt"], res["flag_ok"],
                      res["flag_why"], res["mess"])
        rows.append(rt)
        locs.setdefault(i, []).append(rt.location)
    sheet_pos = {name: k for k, (name, _) in enumerate(sheets)}
    rows.sort(key=lambda r: (sheet_pos.get(r.sheet, 0), r.row))
    cid = 0
    for i, v in dups.items():
        cid += 1
        clusters.append(Cluster(f"{unit}-D{cid:02d}", "within_unit", [ids[i]], locs[i], v))
    for a, b, note in nd_pairs:
        cid += 1
        clusters.append(Cluster(f"{unit}-D{cid:02d}", "not_duplicate", [ids[a], ids[b]],
                                locs[a] + locs[b], note))
    expected = []
    for i, m in enumerate(people):
        e = {"member_id": ids[i], "unit": unit, "file": fname}
        for f in FIELDS:
            e[f] = m[f] if f in present else ""
        if i in second:
            e["ghi_chu"] = (e["ghi_chu"] + "; " if e["ghi_chu"] else "") + f"SĐT khác: {second[i]}"
        expected.append(e)
    letters: dict[str, list[str]] = {}
    for k, c in enumerate(cols):
        if c.key != "stt" and not c.key.startswith("x:"):
            letters.setdefault(c.key, []).append(col_letter(k))
    for s in written["sheets"].values():
        s["columns"] = letters
    manifest = {
        "unit": unit, "unit_name": unit_name, "file": fname,
        "format": fmt if fmt == "xlsx" else f"csv:{lay['csv_encoding']}",
        **{k: lay[k] for k in ("encoding", "sheets_mode", "name_mode", "gender_mode", "dob3",
                               "header_rows", "title_rows", "footer", "summary_sheet", "hidden_sheet",
                               "extras")},
        "absent": [f for f in FIELDS if f not in present],
        "sheets": written["sheets"],
    }
    return UnitTruth(unit, unit_name, fname, expected, rows, clusters, manifest)


def _titles(rng, count: int, unit_name: str, province: str | None) -> list[str]:
    if not count:
        return []
    provs = {p[0]: p[2] for p in load_data()["provinces"]}
    prov = provs.get(province or "", province) or rng.choice(["Đồng Nai", "Hà Nội", "Hồ Chí Minh", "Nghệ An"])
    city = prov in ("Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế")
    top = f"LIÊN ĐOÀN LAO ĐỘNG {'THÀNH PHỐ' if city else 'TỈNH'} {prov.upper()}"
    cdcs = unit_name.upper() if unit_name.upper().startswith("CÔNG ĐOÀN") else "CÔNG ĐOÀN " + unit_name.upper()
    lines = [top, cdcs, "", "DANH SÁCH ĐOÀN VIÊN", "(Tính đến ngày 30/6/2025)", ""]
    if count <= 2:
        return lines[:count]
    if count == 3:
        return [cdcs, "", "DANH SÁCH ĐOÀN VIÊN"]
    return lines[:count]


# -- datasets --------------------------------------------------------------------------------------
def _unit_name(rng, kind: str) -> str:
    data = load_data()
    pattern = rng.choice(data["unit_kinds"][kind]["names"])
    return "Công đoàn " + pattern.format(a=rng.choice(data["place_words"]), p=rng.choice(data["person_words"]),
                                         b=rng.choice(data["business_words"]))


def generate_dataset(folder: str | Path, n_units: int, members_per_unit: int | tuple[int, int], seed: int | str,
                     *, mess_level: str = "medium", formats: Sequence[str] = ("xlsx", "csv"),
                     cross_unit_rate: float = 0.01, province: str | None = None,
                     write_truth: bool = True, workers: int = 1) -> DatasetTruth:
    """Many unit files in ``folder`` plus their truth (in ``folder/truth`` when ``write_truth``).

    Args:
        folder: Output folder (created).
        n_units: Number of unit files.
        members_per_unit: Members per unit, or a ``(low, high)`` range drawn per unit.
        seed: Seed of everything.
        mess_level: See :func:`write_unit_file`.
        formats: File formats to draw from (the first is three times as likely as the others).
        cross_unit_rate: Share of members that also appear in another unit's file (a move not
            recorded): same person, two member ids, one ``cross_unit`` cluster.
        province: Old province name of every unit (default: one drawn from the seed).
        write_truth: Also write ``truth/members.csv``, ``rows.csv``, ``duplicates.csv``,
            ``manifest.json``.
        workers: Processes writing files in parallel (output is identical for any value).

    Returns:
        The :class:`DatasetTruth`.
    """
    import time

    t0 = time.perf_counter()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = derive_rng("dataset", seed)
    data = load_data()
    prov = province or rng.choice([p[0] for p in data["provinces"]])
    kinds = list(data["unit_kinds"])
    fmt_w = [3] + [1] * (len(formats) - 1)
    width = max(2, len(str(n_units)))
    plans = []
    for u in range(n_units):
        kind = rng.choice(kinds)
        size = members_per_unit if isinstance(members_per_unit, int) else rng.randint(*members_per_unit)
        name = _unit_name(rng, kind)
        fmt = rng.choices(list(formats), fmt_w)[0]
        unit = f"U{u + 1:0{width}d}"
        people = generate_people(size, (seed, u), province=prov, jobs=data["unit_kinds"][kind]["jobs"])
        plans.append([unit, name, fmt, people, set()])
    # Cross-unit duplicates: copy a member of unit A over a plain member of a later unit B.
    cross: list[tuple[str, int, str, int]] = []
    total = sum(len(p[3]) for p in plans)
    for _ in range(round(total * cross_unit_rate) if n_units > 1 else 0):
        a, b = sorted(rng.sample(range(n_units), 2))
        pa, pb = plans[a], plans[b]
        ia = rng.randrange(len(pa[3]))
        cands = [i for i in range(len(pb[3])) if pb[3][i]["chuc_vu_cong_doan"] == "Đoàn viên" and i not in pb[4]]
        if ia in pa[4] or not cands:
            continue
        ib = rng.choice(cands)
        person = dict(pa[3][ia])
        person["chuc_vu_cong_doan"] = "Đoàn viên"
        pb[3][ib] = person
        pa[4].add(ia)
        pb[4].add(ib)
        cross.append((pa[0], ia, pb[0], ib))
    jobs = []
    for k, (unit, name, fmt, people, related) in enumerate(plans):
        fname = f"{unit.lower()}_{_slug(name.removeprefix('Công đoàn '))}.{fmt}"
        jobs.append(((folder / fname, name, people),
                     {"seed": (seed, k), "mess_level": mess_level, "fmt": fmt, "unit_id": unit,
                      "related": related, "province": prov}))
    if workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(workers) as pool:
            units = list(pool.map(_write_job, jobs, chunksize=4))
    else:
        units = [_write_job(j) for j in jobs]
    by_unit = {u.unit: u for u in units}
    clusters = []
    for n, (ua, ia, ub, ib) in enumerate(cross, 1):
        ida, idb = f"{ua}-M{ia + 1:04d}", f"{ub}-M{ib + 1:04d}"
        rows = [r.location for u, mid in ((ua, ida), (ub, idb)) for r in by_unit[u].rows if r.member_id == mid]
        clusters.append(Cluster(f"X{n:04d}", "cross_unit", [ida, idb], rows, "moved"))
    truth = DatasetTruth(str(folder), seed, mess_level, units, clusters)
    if write_truth:
        truth.write_csv(folder / "truth")
    truth.seconds = time.perf_counter() - t0
    return truth


def _write_job(job: tuple) -> UnitTruth:
    args, kwargs = job
    return write_unit_file(*args, **kwargs)


#: Practice exercises: mess level and knobs per exercise id.
EXERCISES: dict[str, dict] = {
    "encoding": {"mess_level": "low", "encoding": "mixed:tcvn3", "flag_rate": 0.0, "dup_rate": 0.0},
    "encoding_vni": {"mess_level": "low", "encoding": "vni", "flag_rate": 0.0, "dup_rate": 0.0},
    "dates": {"mess_level": "high", "encoding": None, "flag_rate": 0.15, "dup_rate": 0.0,
              "flag_kinds": ["dob_year", "dob_zero", "dob_monthyear", "join_year", "join_early"]},
    "ids": {"mess_level": "high", "encoding": None, "flag_rate": 0.15, "dup_rate": 0.0,
            "flag_kinds": ["cccd_sci", "cccd_gender", "cccd_year", "phone_invalid", "email_invalid"]},
    "codes": {"mess_level": "high", "encoding": None, "flag_rate": 0.08, "dup_rate": 0.0,
              "flag_kinds": ["ethnic_numeric"]},
    "layout": {"mess_level": "low", "encoding": None, "flag_rate": 0.0, "dup_rate": 0.0,
               "layout": {"header_rows": 2, "title_rows": 5, "footer": True, "sheets_mode": "per_team",
                          "column_number_row": True, "hidden_sheet": True, "summary_sheet": True}},
    "duplicates": {"mess_level": "medium", "encoding": None, "flag_rate": 0.0, "dup_rate": 0.12,
                   "not_duplicates": True},
    "full": {"mess_level": "high", "flag_rate": 0.1, "dup_rate": 0.05},
}


def practice_file(path: str | Path, trainee_name: str, exercise: str) -> UnitTruth:
    """A small practice file (20–40 members) for one trainee and one exercise.

    The seed is a stable hash (SHA-256) of the trainee's name (NFC, trimmed, case-folded) and
    the exercise id, so neighbours in a class get different files and a trainee gets the same
    file again.

    Args:
        path: Output file (``.xlsx``, or ``.csv``).
        trainee_name: The trainee's name as typed.
        exercise: One of :data:`EXERCISES`.
    """
    if exercise not in EXERCISES:
        raise ValueError(f"unknown exercise {exercise!r}; choose one of {sorted(EXERCISES)}")
    key = " ".join(unicodedata.normalize("NFC", trainee_name).split()).casefold()
    seed = hashlib.sha256(f"{key}|{exercise}".encode("utf-8")).hexdigest()[:16]
    rng = derive_rng("practice", seed)
    data = load_data()
    kind = rng.choice(list(data["unit_kinds"]))
    name = _unit_name(rng, kind)
    people = generate_people(rng.randint(20, 40), seed, jobs=data["unit_kinds"][kind]["jobs"])
    opts = dict(EXERCISES[exercise])
    return write_unit_file(path, name, people, seed=seed, unit_id="P01", **opts)


# -- truth files -----------------------------------------------------------------------------------
def _write_truth(folder: Path, units: list[UnitTruth], cross: list[Cluster], meta: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    cols = ["member_id", "unit", "file", *FIELDS]
    with open(folder / "members.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, cols)
        w.writeheader()
        for u in units:
            w.writerows(u.members)
    with open(folder / "rows.csv", "w", encoding="utf-8", newline="") as fh:
        w = None
        for u in units:
            for r in u.rows:
                d = r.to_dict()
                if w is None:
                    w = csv.DictWriter(fh, list(d))
                    w.writeheader()
                w.writerow(d)
    with open(folder / "duplicates.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, ["cluster_id", "kind", "member_ids", "rows", "note"])
        w.writeheader()
        for c in [c for u in units for c in u.clusters] + cross:
            w.writerow(c.to_dict())
    flags: dict[str, int] = {}
    mess: dict[str, int] = {}
    kinds: dict[str, int] = {}
    for u in units:
        for r in u.rows:
            for why in r.flag_why.values():
                flags[why] = flags.get(why, 0) + 1
            for m in r.mess:
                mess[m] = mess.get(m, 0) + 1
        for c in u.clusters:
            kinds[c.kind] = kinds.get(c.kind, 0) + 1
    for c in cross:
        kinds[c.kind] = kinds.get(c.kind, 0) + 1
    manifest = {
        "generator": "unionclean.synth 1", **{k: (list(v) if isinstance(v, tuple) else v) for k, v in meta.items()},
        "counts": {"units": len(units), "members": sum(len(u.members) for u in units),
                   "source_rows": sum(len(u.rows) for u in units),
                   "flagged_rows": sum(r.flagged for u in units for r in u.rows),
                   "clusters": dict(sorted(kinds.items()))},
        "flags": dict(sorted(flags.items())), "mess": dict(sorted(mess.items())),
        "files": {u.file: u.layout for u in units},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1, default=str),
                                          encoding="utf-8")
