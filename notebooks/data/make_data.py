"""Regenerate the small SYNTHETIC inputs of the analyst notebooks (every name, ID and phone is
invented by :mod:`unionclean.synth`). Run from the repository root:

    .venv/bin/python notebooks/data/make_data.py

Writes, next to this script:
    mot_don_vi/   one messy unit file (notebook 02, the Voilà view, the browser test)
    don_vi/       four unit files with members in common, plus one broken file (notebook 03)
    thang_sau/    next month's file of the unit in mot_don_vi (notebook 05)
    cong_thuc_mau.yaml   a recipe saved after reviewing mot_don_vi (notebook 05)
    xuat_tu_he_thong.csv a central-system export for the unit in mot_don_vi (notebook 04)
"""
from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

from unionclean.session import CleaningSession
from unionclean.synth import generate_dataset, generate_people, write_unit_file

HERE = Path(__file__).resolve().parent
TODAY = "2026-11-01"
UNIT = "Công đoàn Trường Tiểu học Kim Đồng"
SEED = 13  # a seed whose file has flagged cells with proposals and a possible duplicate pair


def _fresh(name: str) -> Path:
    p = HERE / name
    if p.exists():
        shutil.rmtree(p)
    p.mkdir(parents=True)
    return p


def main() -> None:
    people = generate_people(40, seed=SEED, ref_date=date(2026, 11, 1))
    one = _fresh("mot_don_vi") / "u01_kim_dong_thang_10.xlsx"
    write_unit_file(one, UNIT, people, seed=SEED, mess_level="high", dup_rate=0.12, not_duplicates=True)

    # Next month: the same people, two left, three joined, typed again with other mistakes.
    newcomers = generate_people(3, seed=SEED + 100, ref_date=date(2026, 12, 1))
    write_unit_file(_fresh("thang_sau") / "u01_kim_dong_thang_11.xlsx", UNIT, people[2:] + newcomers,
                    seed=SEED + 2, mess_level="medium", dup_rate=0.05)

    folder = _fresh("don_vi")
    generate_dataset(folder, 4, (25, 35), seed=2026, cross_unit_rate=0.1, formats=("xlsx", "csv"),
                     mess_level="medium", write_truth=False)
    (folder / "u05_tep_hong.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")

    # A recipe made the way an officer makes it in notebook 02.
    s = CleaningSession(one, today=TODAY)
    s.run()
    flagged = s.flagged(masked=True)
    cells = flagged[flagged["Trường"] != ""]
    for _, it in cells.head(3).iterrows():
        s.decide_cell(it["Vị trí"], it["Trường"], "accept" if it["Đề xuất"] else "leave")
    for p in s.pairs(masked=False).to_dict("records")[:1]:
        s.decide_pair(p["loc_a"], p["loc_b"], "keep_apart")
    s.run()
    s.recipe.mapping[one.name] = s.outcome.mapping
    s.recipe.save(HERE / "cong_thuc_mau.yaml")

    # The central export: most members already uploaded, some with older details, two not in
    # this month's list, one registered under another unit.
    o = s.outcome
    unit = UNIT
    rows = []
    for i, r in enumerate(o.upload):
        if i % 7 == 3:
            continue  # not on the system yet: "new"
        v = {f: r.value(f) for f in ("ho_ten", "ngay_sinh", "gioi_tinh", "so_cccd")}
        if i % 11 == 5 and v["ngay_sinh"]:
            d, m, y = v["ngay_sinh"].split("/")
            v["ngay_sinh"] = f"{d}/{m}/{int(y) - 1}"  # the system holds an older, wrong year
        owner = "Công đoàn Trường THCS Nguyễn Du" if i == 1 else unit
        rows.append([f"DV{26000 + i:06d}", v["ho_ten"], v["ngay_sinh"], v["gioi_tinh"], v["so_cccd"], owner,
                     "Đang sinh hoạt"])
    for j, p in enumerate(generate_people(2, seed=SEED + 200)):
        rows.append([f"DV{27000 + j:06d}", p["ho_ten"], p["ngay_sinh"], p["gioi_tinh"], p["so_cccd"], unit,
                     "Đang sinh hoạt"])
    with open(HERE / "xuat_tu_he_thong.csv", "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Mã đoàn viên", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Đơn vị", "Trạng thái"])
        w.writerows(rows)


if __name__ == "__main__":
    main()
