"""Tiny generator of people and their duplicate variants, with the truth (tests only).

Each person gets a unit and a base record; duplicates are copies with known variations
(row without CCCD, one-letter name typo, other phone, tone placement, family-name variant,
day/month swap). ``truth`` maps each record to its person.
"""
from __future__ import annotations

import random

import pandas as pd

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Vũ", "Hoàng", "Đặng", "Bùi", "Đỗ", "Phan"]
MIDDLE = {"Nam": ["Văn", "Đức", "Minh", "Quang", "Hữu"], "Nữ": ["Thị", "Ngọc", "Thu", "Thanh"]}
GIVEN = {"Nam": ["Hùng", "Dũng", "Tuấn", "Hải", "Nam", "Long", "Phong", "Khoa", "Thắng", "Hoà"],
         "Nữ": ["Hương", "Lan", "Mai", "Thuỷ", "Hoa", "Nhung", "Trang", "Huyền", "Yến", "Hoà"]}
VARIANT = {"Hoà": "Hòa", "Thuỷ": "Thủy", "Vũ": "Võ", "Hoàng": "Huỳnh"}
TYPO = "bcdghklmnpqrstvxy"


def _person(rng: random.Random, i: int) -> dict:
    g = rng.choice(["Nam", "Nữ"])
    name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE[g])} {rng.choice(GIVEN[g])}"
    y = rng.randint(1965, 2004)
    dob = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{y}"
    cccd = f"0{rng.randint(1, 96):02d}{0 if g == 'Nam' else 1}{y % 100:02d}{i:06d}"
    return {"ho_ten": name, "ngay_sinh": dob, "gioi_tinh": g, "so_cccd": cccd,
            "so_dien_thoai": f"09{rng.randint(0, 99_999_999):08d}"}


def _typo(rng: random.Random, name: str) -> str:
    words = name.split()
    k = rng.randrange(len(words) - 1)  # family or middle name: given-name typos go to review
    w = words[k]
    j = rng.randrange(1, len(w))
    words[k] = w[:j] + rng.choice(TYPO) + w[j + 1:]
    return " ".join(words)


def _variant(rng: random.Random, rec: dict) -> dict:
    r = dict(rec)
    r["so_cccd"] = ""                      # the copy has no CCCD
    r["so_dien_thoai"] = f"03{rng.randint(0, 99_999_999):08d}"  # and another phone
    kind = rng.choice(["typo", "tone", "upper", "plain"])
    if kind == "typo":
        r["ho_ten"] = _typo(rng, r["ho_ten"])
    elif kind == "tone":
        r["ho_ten"] = " ".join(VARIANT.get(w, w) for w in r["ho_ten"].split())
    elif kind == "upper":
        r["ho_ten"] = r["ho_ten"].upper()
    return r


def generate(n_people: int = 300, n_units: int = 6, within: float = 0.05, cross: float = 0.03,
             seed: int = 7) -> tuple[pd.DataFrame, pd.Series]:
    """Records and the person id of each (the truth)."""
    rng = random.Random(seed)
    rows, person = [], []
    for i in range(n_people):
        p = _person(rng, i)
        unit = f"Đơn vị {rng.randrange(n_units) + 1}"
        rows.append({**p, "unit": unit, "sheet": "Tổ 1"})
        person.append(i)
        if rng.random() < within:
            rows.append({**_variant(rng, p), "unit": unit, "sheet": "Tổ 2"})
            person.append(i)
        if rng.random() < cross:
            other = f"Đơn vị {(int(unit.split()[-1]) % n_units) + 1}"
            rows.append({**_variant(rng, p), "unit": other, "sheet": "Tổ 1"})
            person.append(i)
    df = pd.DataFrame(rows)
    df["file"] = df["unit"] + ".xlsx"
    df["row"] = df.groupby(["unit", "sheet"]).cumcount() + 5
    df.insert(0, "rec_id", range(1, len(df) + 1))
    for c in ("dan_toc", "email", "que_quan", "ngay_vao_cong_doan", "ghi_chu"):
        df[c] = ""
    return df, pd.Series(person, index=df["rec_id"])


def true_pairs(truth: pd.Series) -> set[tuple[int, int]]:
    """All record pairs of one person (rec_a < rec_b)."""
    out = set()
    for _, ids in truth.groupby(truth.values).groups.items():
        ids = sorted(ids)
        out.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1:])
    return out
