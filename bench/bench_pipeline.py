"""Benchmark the whole pipeline on a generated province slice (run on demand, not a test).

    .venv/bin/python bench/bench_pipeline.py --members 70000 --units 280 --jobs 2

Prints members per second, peak memory, and the ratio to a bare pandas read (calamine engine)
of the same files. Target (issue 2): a 716,000-member province end to end in under a minute on
2 cores, i.e. at least 12,000 members/s.
"""
from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from unionclean import api  # noqa: E402
from unionclean._native import engine  # noqa: E402
from unionclean.synth import generate_dataset  # noqa: E402


def peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, kids


def bare_read(files: list[Path]) -> float:
    t = time.perf_counter()
    for f in files:
        if f.suffix.lower() == ".csv":
            raw = f.read_bytes()
            for enc in ("utf-8-sig", "utf-16", "cp1258"):
                try:
                    raw.decode(enc)
                    break
                except UnicodeDecodeError:
                    continue
            pd.read_csv(f, header=None, dtype=str, encoding=enc, on_bad_lines="skip", engine="python",
                        sep=None)
        else:
            pd.read_excel(f, sheet_name=None, header=None, engine="calamine")
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=70_000)
    ap.add_argument("--units", type=int, default=280)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--mess", default="medium")
    ap.add_argument("--keep", help="keep the generated files in this folder")
    args = ap.parse_args()
    work = Path(args.keep or tempfile.mkdtemp(prefix="uc-bench-"))
    src, out = work / "units", work / "out"
    if not src.exists() or not any(src.iterdir()):
        t = time.perf_counter()
        generate_dataset(src, n_units=args.units, members_per_unit=args.members // args.units, seed=args.seed,
                         mess_level=args.mess, write_truth=False)
        print(f"generated {args.units} unit files in {time.perf_counter() - t:.1f} s")
    files = sorted(p for p in src.iterdir() if p.suffix.lower() in (".xlsx", ".xls", ".csv"))
    t_bare = bare_read(files)
    if out.exists():
        shutil.rmtree(out)
    t = time.perf_counter()
    res = api.clean(files, out, today=date(2026, 11, 1), jobs=args.jobs, cross_unit=True)
    t_run = time.perf_counter() - t
    tot = res.totals()
    rows = tot.get("rows_read", 0)
    own, kids = peak_mb()
    print(f"files {len(files)}  failed {len(res.failed)}  member rows read {rows}  uploaded {tot.get('members_out', 0)}"
          f"  held {tot.get('held_back', 0)}  merged {tot.get('merged_duplicates', 0)}  cross-unit groups "
          f"{res.cross_unit_groups}")
    print(f"pipeline  {t_run:7.2f} s   {rows / t_run:9.0f} members/s   (jobs={args.jobs}, engine={engine()})")
    print(f"bare read {t_bare:7.2f} s   {rows / t_bare:9.0f} members/s   (pandas + calamine, 1 process)")
    print(f"ratio pipeline/bare read: {t_run / t_bare:.2f}")
    print("phases (s): " + ", ".join(f"{k} {v:.2f}" for k, v in res.phases.items()))
    print(f"peak RSS: main {own:.0f} MB, largest worker {kids:.0f} MB")
    print(f"extrapolated 716,000-member province: {716_000 / (rows / t_run):.0f} s (target < 60 s)")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
