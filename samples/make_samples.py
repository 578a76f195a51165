"""Regenerate the bundled synthetic sample unit files (everything in them is invented).

    .venv/bin/python samples/make_samples.py
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from unionclean.synth import generate_dataset  # noqa: E402


def main() -> None:
    units = HERE / "units"
    if units.exists():
        shutil.rmtree(units)
    truth = generate_dataset(units, n_units=6, members_per_unit=(30, 70), seed=20261101, mess_level="medium",
                             formats=("xlsx", "xlsx", "csv"), cross_unit_rate=0.03, write_truth=False)
    truth.write_csv(HERE / "truth")
    print(f"{len(truth.units)} unit files, {truth.n_members} members -> {units}")


if __name__ == "__main__":
    main()
