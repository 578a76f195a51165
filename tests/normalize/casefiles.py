"""Case tables of the field normalisers (tests/cases/*.csv) and raw cells built from them."""
from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from unionclean.model import Cell

CASES = Path(__file__).resolve().parent.parent / "cases"


def read_cases(name: str) -> list[dict[str, str]]:
    """Rows of ``tests/cases/<name>`` as dicts."""
    with (CASES / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def make_cell(text: str, kind: str) -> Cell:
    """The cell a reader makes: numbers carry their int/float value, dates their datetime."""
    if kind == "n":
        return Cell(text, "n", int(text) if text.lstrip("-").isdigit() else float(text))
    if kind == "d":
        return Cell(text, "d", datetime.fromisoformat(text))
    return Cell(text, kind)
