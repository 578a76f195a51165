"""Benchmark (not a test): deduplicate a generated province across units.

A province of ``--members`` (default 700,000) cleaned member rows in ``--units`` (2,800) units,
with 3 % within-unit and 1 % cross-unit duplicates made from known people, is matched with
:func:`unionclean.match.matcher.find_pairs`, clustered and grouped across units. Printed: pairs
compared, time per step, peak memory, precision and recall against the generator's truth.

Run::

    .venv/bin/python bench/bench_dedupe_province.py            # the province
    .venv/bin/python bench/bench_dedupe_province.py --members 100000 --units 400

The generator here is vectorised (numpy) so that generating is not the bottleneck; its people
are invented and every value is synthetic.
"""
from __future__ import annotations

import argparse
import random
import resource
import sys
import time

import numpy as np
import pandas as pd

FAMILY = [("Nguyễn", 38.4), ("Trần", 12.1), ("Lê", 9.5), ("Phạm", 7.0), ("Hoàng", 3.5),
          ("Huỳnh", 2.3), ("Phan", 4.5), ("Vũ", 2.4), ("Võ", 1.8), ("Đặng", 2.1), ("Bùi", 2.0),
          ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5), ("Trương", 1.0),
          ("Đinh", 0.8), ("Trịnh", 0.7), ("Đoàn", 0.6), ("Lâm", 0.5), ("Mai", 0.5), ("Hà", 0.5),
          ("Cao", 0.4), ("Lương", 0.4), ("Châu", 0.3), ("Vương", 0.3), ("Tạ", 0.3), ("Tô", 0.2)]
MIDDLE = {
    "Nam": ["Văn"] * 8 + ["Đức", "Minh", "Quang", "Hữu", "Thanh", "Ngọc", "Xuân", "Công", "Đình",
                          "Anh", "Hoàng", "Tuấn", "Trọng", "Bá", "Thế", "Quốc", "Việt", "Duy"],
    "Nữ": ["Thị"] * 8 + ["Ngọc", "Thu", "Thanh", "Minh", "Kim", "Hồng", "Phương", "Mỹ", "Bích",
                         "Thùy", "Diệu", "Khánh", "Hoài", "Quỳnh", "Bảo", "Thảo"],
}
GIVEN = {
    "Nam": "An Anh Bảo Bình Cường Chiến Công Dũng Duy Dương Đạt Đức Định Giang Hải Hào Hiếu Hiển "
           "Hiệp Hòa Hoà Hoàng Hùng Hưng Huy Khải Khang Khánh Khoa Kiên Lâm Linh Long Lộc Lợi "
           "Luân Mạnh Minh Nam Nghĩa Nhân Phát Phong Phú Phúc Phước Quang Quân Quốc Quý Sang Sơn "
           "Tài Tâm Tân Thái Thắng Thành Thịnh Thông Tiến Toàn Trí Trung Trường Tú Tuấn Tùng "
           "Thuận Vinh Việt Vũ Vương Hậu Hiền Khôi Nhật Tín".split(),
    "Nữ": "An Anh Ánh Bích Châu Chi Diễm Diệp Dung Duyên Giang Hà Hạnh Hằng Hậu Hiền Hoa Hòa "
          "Hoà Hồng Huệ Hương Hường Huyền Khánh Lan Liên Linh Loan Ly Mai My Nga Ngân Ngọc "
          "Nguyệt Nhàn Nhi Nhung Oanh Phương Phượng Quyên Quỳnh Tâm Thanh Thảo Thơ Thu Thủy Thuỷ "
          "Thư Thương Trang Trâm Trinh Tuyết Uyên Vân Vi Yến Xuân Hạnh Đào Kiều Lệ Mỹ Thắm".split(),
}
TYPO = "abcdeghiklmnopqrstuvxy"
TONE = {"Hoà": "Hòa", "Hòa": "Hoà", "Thủy": "Thuỷ", "Thuỷ": "Thủy", "Vũ": "Võ", "Võ": "Vũ",
        "Hoàng": "Huỳnh", "Huỳnh": "Hoàng", "Thùy": "Thuỳ", "Quý": "Qúy"}


def _names(rng: np.random.Generator, gender: np.ndarray) -> np.ndarray:
    fam = np.array([f for f, _ in FAMILY], dtype=object)
    w = np.array([x for _, x in FAMILY])
    out = fam[rng.choice(len(fam), len(gender), p=w / w.sum())]
    for g in ("Nam", "Nữ"):
        m = gender == g
        k = int(m.sum())
        mid = np.array(MIDDLE[g], dtype=object)
        giv = np.array(GIVEN[g], dtype=object)
        second = np.where(rng.random(k) < 0.3, " " + mid[rng.integers(0, len(mid), k)], "")
        out[m] = (out[m] + " " + mid[rng.integers(0, len(mid), k)] + second + " "
                  + giv[rng.integers(0, len(giv), k)])
    return out


def _variant(r: random.Random, rec: dict) -> dict:
    """A duplicate row of the same person, as a second listing of them looks."""
    v = dict(rec)
    if r.random() < 0.6:
        v["so_cccd"] = ""
    if r.random() < 0.5:
        v["so_dien_thoai"] = "" if r.random() < 0.5 else f"03{r.randrange(10**8):08d}"
    kind = r.random()
    words = v["ho_ten"].split()
    if kind < 0.25:      # one-letter typo, family or middle name
        k = r.randrange(len(words) - 1)
        w = words[k]
        j = r.randrange(1, len(w))
        words[k] = w[:j] + r.choice(TYPO) + w[j + 1:]
    elif kind < 0.35:    # another tone placement / regional family spelling
        words = [TONE.get(w, w) for w in words]
    elif kind < 0.55:
        words = [w.upper() for w in words]
    v["ho_ten"] = " ".join(words)
    if r.random() < 0.03:  # day and month swapped
        d, m, y = v["ngay_sinh"].split("/")
        if int(d) <= 12:
            v["ngay_sinh"] = f"{m}/{d}/{y}"
    return v


def generate(members: int = 700_000, units: int = 2800, within: float = 0.03, cross: float = 0.01,
             seed: int = 2026) -> tuple[pd.DataFrame, np.ndarray]:
    """Cleaned member rows of a province and the person id of each row (the truth)."""
    rng = np.random.default_rng(seed)
    n = int(round(members / (1 + within + cross)))
    gender = np.where(rng.random(n) < 0.52, "Nữ", "Nam").astype(object)
    names = _names(rng, gender)
    days = rng.integers(0, (pd.Timestamp("2007-12-31") - pd.Timestamp("1962-01-01")).days, n)
    dob_ts = pd.Timestamp("1962-01-01") + pd.to_timedelta(days, unit="D")
    dob = pd.Series(dob_ts).dt.strftime("%d/%m/%Y").to_numpy(dtype=object)
    yy = pd.Series(dob_ts).dt.year.to_numpy()
    cent = np.where(yy >= 2000, 2, 0) + (gender == "Nữ")
    prov = rng.integers(1, 97, n)
    serial = rng.permutation(10**6)[rng.integers(0, 10**6, n)]
    cccd = np.array([f"0{p:02d}{c}{y % 100:02d}{s:06d}" for p, c, y, s in zip(prov, cent, yy, serial)],
                    dtype=object)
    cccd[rng.random(n) < 0.1] = ""
    phone = np.array([f"09{x:08d}" for x in rng.integers(0, 10**8, n)], dtype=object)
    phone[rng.random(n) < 0.3] = ""
    size_w = rng.lognormal(0, 1.0, units)
    unit_idx = rng.choice(units, n, p=size_w / size_w.sum())
    base = pd.DataFrame({"person": np.arange(n), "unit_i": unit_idx, "ho_ten": names,
                         "ngay_sinh": dob, "gioi_tinh": gender, "so_cccd": cccd,
                         "so_dien_thoai": phone, "sheet": "Tổ 1"})
    r = random.Random(seed)
    extra = []
    dup_w = rng.choice(n, int(n * within), replace=False)
    dup_c = rng.choice(n, int(n * cross), replace=False)
    recs = base.to_dict("records")
    for i in dup_w:
        extra.append({**_variant(r, recs[i]), "sheet": "Tổ 2"})
    for i in dup_c:
        v = _variant(r, recs[i])
        v["unit_i"] = (v["unit_i"] + 1 + r.randrange(units - 1)) % units
        extra.append(v)
    df = pd.concat([base, pd.DataFrame(extra)], ignore_index=True)
    df = df.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    df["unit"] = "CĐCS " + df["unit_i"].astype(str).str.zfill(4)
    df["file"] = df["unit"] + ".xlsx"
    df["row"] = df.groupby(["unit", "sheet"]).cumcount() + 5
    df.insert(0, "rec_id", np.arange(1, len(df) + 1))
    for c in ("dan_toc", "email", "que_quan", "ngay_vao_cong_doan"):
        df[c] = ""
    truth = df.pop("person").to_numpy()
    df = df.drop(columns=["unit_i"])
    return df, truth


def _c2(x: pd.Series | np.ndarray) -> int:
    x = np.asarray(x, dtype=np.int64)
    return int((x * (x - 1) // 2).sum())


def pair_scores(pred: np.ndarray, truth: np.ndarray) -> tuple[float, float, int, int]:
    """Pair-level precision and recall of a clustering (``pred``: cluster label per record)."""
    t = pd.DataFrame({"p": pred, "t": truth})
    tp = _c2(t.groupby(["p", "t"]).size())
    predicted = _c2(t.groupby("p").size())
    true = _c2(t.groupby("t").size())
    return tp / max(predicted, 1), tp / max(true, 1), predicted, true


def cross_scores(groups: pd.DataFrame, df: pd.DataFrame, truth: np.ndarray) -> tuple[float, float]:
    """Precision/recall of cross-unit record pairs (rows of one group in different units)."""
    pos = {rid: i for i, rid in enumerate(df["rec_id"])}
    unit = df["unit"].to_numpy()
    pred = set()
    for _, g in groups.groupby("group"):
        ids = sorted({pos[x] for x in g["rec_a"]} | {pos[x] for x in g["rec_b"]})
        pred.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1:] if unit[a] != unit[b])
    t = pd.DataFrame({"t": truth, "i": np.arange(len(truth))})
    true = set()
    for ids in t.groupby("t")["i"].apply(list):
        if len(ids) > 1:
            true.update((a, b) for i, a in enumerate(sorted(ids)) for b in sorted(ids)[i + 1:]
                        if unit[a] != unit[b])
    tp = len(pred & true)
    return tp / max(len(pred), 1), tp / max(len(true), 1)


def main(argv: list[str] | None = None) -> int:
    from unionclean.match.cluster import cluster
    from unionclean.match.config import MatchConfig
    from unionclean.match.crossunit import cross_unit_groups
    from unionclean.match.matcher import MatchStats, find_pairs

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--members", type=int, default=700_000)
    ap.add_argument("--units", type=int, default=2800)
    ap.add_argument("--seed", type=int, default=2026)
    a = ap.parse_args(argv)

    t0 = time.perf_counter()
    df, truth = generate(a.members, a.units, seed=a.seed)
    t_gen = time.perf_counter() - t0
    rss_gen = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"generated {len(df):,} rows in {df['unit'].nunique():,} units in {t_gen:.1f} s "
          f"(peak RSS {rss_gen:,.0f} MB)")

    cfg = MatchConfig()
    stats = MatchStats()
    t1 = time.perf_counter()
    pairs = find_pairs(df, cfg, stats=stats)
    t2 = time.perf_counter()
    ids = dict(zip(df["rec_id"], df["so_cccd"]))
    cl = cluster(pairs, auto_only=True, national_ids=ids)
    t3 = time.perf_counter()
    groups = cross_unit_groups(pairs, df, cfg)
    t4 = time.perf_counter()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    pred = df["rec_id"].map(cl).fillna(-df["rec_id"]).to_numpy()
    prec, rec, n_pred, n_true = pair_scores(pred, truth)
    allc = cluster(pairs, auto_only=False, national_ids=ids)
    pred_any = df["rec_id"].map(allc).fillna(-df["rec_id"]).to_numpy()
    _, rec_any, _, _ = pair_scores(pred_any, truth)
    cp, cr = cross_scores(groups, df, truth)
    auto_groups = groups.groupby("group").filter(lambda g: (g["decision"] == "merge").all())
    cap, car = cross_scores(auto_groups, df, truth)
    tr = pd.Series(truth, index=df["rec_id"])
    auto = pairs[pairs["decision"] == "merge"]
    wrong = auto[tr[auto["rec_a"]].to_numpy() != tr[auto["rec_b"]].to_numpy()]
    dec = pairs["decision"].value_counts().to_dict()
    per_rule = ", ".join(f"{k[6:]}={v:,}" for k, v in stats.items()
                         if k.startswith("pairs_") and k != "pairs_compared")
    print(f"pairs compared: {stats['pairs_compared']:,} ({per_rule})")
    print(f"pairs kept: {len(pairs):,} {dec}")
    print(f"time: find_pairs {t2 - t1:.1f} s, cluster {t3 - t2:.1f} s, cross-unit groups "
          f"{t4 - t3:.1f} s, total {t4 - t1:.1f} s")
    print(f"peak memory (RSS, whole process incl. generator): {rss:,.0f} MB")
    print(f"all duplicates, auto-merge clusters: precision {prec:.4f}, recall {rec:.4f} "
          f"(predicted pairs {n_pred:,}, true pairs {n_true:,})")
    print(f"all duplicates, auto + review: recall {rec_any:.4f}")
    print(f"auto-merge pairs joining two generated people, by level: "
          f"{wrong['level'].value_counts().to_dict()}")
    print(f"cross-unit groups: {groups['group'].nunique():,}; cross-unit pair precision "
          f"{cp:.4f}, recall {cr:.4f} (all groups, review included)")
    print(f"cross-unit, certain groups only ({auto_groups['group'].nunique():,}): precision "
          f"{cap:.4f}, recall {car:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
