"""Benchmark the normalisers on generated member rows (run on demand, not a test).

    .venv/bin/python bench/bench_normalise.py --rows 1000000

All 17 member fields of every row go through the pipeline's own column-wise, memoised path
(:func:`unionclean.pipeline.normalise_column`) in chunks of ``--chunk`` rows (a chunk is like a
batch of unit files). Values are realistic and messy: generated people, then upper-case or
decomposed (NFD) names, VNI legacy text, CCCDs that lost their leading zero, phones with spaces
or +84, dates as ``d-m-yyyy``; CCCD, phone and e-mail differ on every row as in a province.
Prints rows per second (rows over the slowest process's normalising time) and peak memory.
Target (issue 3): at least 50,000 rows/s.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import resource
import sys
import time
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from unionclean.model import Cell, Location  # noqa: E402
from unionclean.normalize.base import Context  # noqa: E402
from unionclean.pipeline import normalise_column  # noqa: E402
from unionclean.records import MemberRecord  # noqa: E402
from unionclean.spec import load_spec  # noqa: E402
from unionclean.synth.mess import encode_legacy  # noqa: E402
from unionclean.synth.people import FIELDS, generate_people  # noqa: E402

TODAY = date(2026, 11, 1)


def person_cells(person: dict, rng: random.Random) -> dict[str, Cell]:
    """The raw cells of one generated person, with some mess (each person is made once and
    appears on several rows, as names and places repeat across a province)."""
    p = person
    cells = {f: Cell(str(p.get(f) or ""), "s" if p.get(f) else "") for f in FIELDS}
    roll = rng.random()
    if roll < 0.10:
        cells["ho_ten"] = Cell(p["ho_ten"].upper())
    elif roll < 0.15:
        cells["ho_ten"] = Cell(unicodedata.normalize("NFD", p["ho_ten"]))
    elif roll < 0.18:
        cells["ho_ten"] = Cell(encode_legacy(p["ho_ten"], "vni"), font="VNI-Times")
    if rng.random() < 0.2 and p["ngay_sinh"]:
        d, m, y = p["ngay_sinh"].split("/")
        cells["ngay_sinh"] = Cell(f"{int(d)}-{int(m)}-{y}")
    if rng.random() < 0.1 and p.get("que_quan"):
        cells["que_quan"] = Cell(f"  {p['que_quan'].lower()} ")
    return cells


def row_cells(base: dict[str, Cell], i: int, rng: random.Random) -> dict[str, Cell]:
    """One row: the person's cells with a CCCD, phone and e-mail of its own (some messy)."""
    cells = dict(base)
    cccd = base["so_cccd"].text
    if len(cccd) == 12:
        cccd = f"{cccd[:6]}{i % 1_000_000:06d}"
        cells["so_cccd"] = Cell(cccd.lstrip("0"), "n", int(cccd)) if rng.random() < 0.2 else Cell(cccd)
    phone = f"09{i % 100_000_000:08d}"
    cells["so_dien_thoai"] = Cell(f"+84 {phone[1:4]} {phone[4:7]} {phone[7:]}") if rng.random() < 0.2 \
        else Cell(phone)
    email = base["email"].text
    if email:
        user, _, host = email.partition("@")
        cells["email"] = Cell(f"{user}{i}@{host}")
    return cells


def run(rows: int, start: int, chunk: int, people: list[dict], seed: int) -> tuple[int, float, float, float]:
    """Normalise ``rows`` rows (numbered from ``start``); returns rows, seconds normalising,
    seconds making the cells, and peak memory (MB) of this process."""
    spec = load_spec()
    rng = random.Random(seed + start)
    base = [person_cells(p, rng) for p in people]
    types = {f: spec.field_type(f) for f in FIELDS}
    contexts = {f: Context(today=TODAY, header=f) for f in FIELDS}
    defaults = {f: spec.default_for(f) for f in FIELDS}
    t_make = t_norm = 0.0
    done = 0
    while done < rows:
        n = min(chunk, rows - done)
        t = time.perf_counter()
        recs = []
        for i in range(start + done, start + done + n):
            r = MemberRecord(i, Location("bench.xlsx", "DS", i + 5))
            r.raw = row_cells(base[i % len(base)], i, rng)
            recs.append(r)
        t_make += time.perf_counter() - t
        t = time.perf_counter()
        for f in FIELDS:
            normalise_column(recs, f, types[f], contexts[f], defaults[f])
        t_norm += time.perf_counter() - t
        done += n
    return done, t_norm, t_make, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--people", type=int, default=50_000, help="distinct generated people")
    ap.add_argument("--chunk", type=int, default=50_000)
    ap.add_argument("--jobs", type=int, default=1, help="processes, each normalising its share")
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args()
    t = time.perf_counter()
    people = generate_people(args.people, seed=args.seed)
    print(f"generated {len(people)} people in {time.perf_counter() - t:.1f} s")
    share = -(-args.rows // args.jobs)
    parts = [(min(share, args.rows - k * share), k * share, args.chunk, people, args.seed)
             for k in range(args.jobs)]
    t = time.perf_counter()
    if args.jobs == 1:
        results = [run(*parts[0])]
    else:
        ctx = mp.get_context("fork")
        with ProcessPoolExecutor(args.jobs, mp_context=ctx) as ex:
            results = list(ex.map(run, *zip(*parts)))
    wall = time.perf_counter() - t
    done = sum(r[0] for r in results)
    t_norm = max(r[1] for r in results)
    t_make = max(r[2] for r in results)
    print(f"rows {done:,}  fields {len(FIELDS)}  cells {done * len(FIELDS):,}  processes {args.jobs}")
    print(f"normalise {t_norm:7.2f} s   {done / t_norm:9.0f} rows/s   (making the raw cells: {t_make:.1f} s; "
          f"wall {wall:.1f} s)")
    print(f"peak RSS {max(r[3] for r in results):.0f} MB per process")


if __name__ == "__main__":
    main()
