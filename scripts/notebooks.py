"""Regenerate the committed outputs of the notebooks: clear → execute → scrub.

Outputs are never edited by hand. Each notebook is cleared, executed top to bottom in its own
folder (so the relative ``data/`` paths work) with nbclient, then scrubbed of what changes from
run to run: execution counts (renumbered 1, 2, 3 … — nbval needs them), timings, kernel/widget
state, widget model ids and absolute or temporary paths. The data is synthetic, so nothing personal is masked here.

Usage (from the repository root):
    .venv/bin/python scripts/notebooks.py                 # every notebooks/0*.ipynb
    .venv/bin/python scripts/notebooks.py notebooks/02_lam_sach_mot_don_vi.ipynb
    .venv/bin/python scripts/notebooks.py --check         # fail if a notebook is not scrubbed
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GLOB = "notebooks/0*.ipynb"
_WIDGET = "application/vnd.jupyter.widget-view+json"
_TMP = re.compile(r"(/tmp|/var/folders|/private/var)/[^\s'\"<>]*")


def clear(nb: nbformat.NotebookNode) -> None:
    """Remove outputs, counts and run metadata."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        for key in ("execution", "collapsed", "scrolled"):
            cell.metadata.pop(key, None)
    nb.metadata.pop("widgets", None)


def execute(nb: nbformat.NotebookNode, folder: Path, timeout: int = 300) -> None:
    """Run every cell in ``folder`` with the current Python's kernel."""
    NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(folder)}},
                   record_timing=False, store_widget_state=True).execute()


def _scrub_text(text: str, folder: Path) -> str:
    for base in (str(folder.resolve()) + "/", str(ROOT) + "/"):
        text = text.replace(base, "")
    return _TMP.sub("<tmp>", text)


def scrub(nb: nbformat.NotebookNode, folder: Path) -> None:
    """Make outputs reproducible: execution counts 1, 2, 3 … in cell order, no timings, widget
    state or machine paths; widget model ids numbered in order."""
    n = 0
    count = 0
    nb.metadata.pop("widgets", None)
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)
        if cell.cell_type != "code":
            continue
        count += 1
        cell.execution_count = count
        for out in cell.outputs:
            if "execution_count" in out:
                out["execution_count"] = count
            if out.get("output_type") == "stream":
                out["text"] = _scrub_text(out["text"], folder)
            data = out.get("data", {})
            if _WIDGET in data:
                n += 1
                data[_WIDGET]["model_id"] = f"scrubbed-{n:04d}"
            for k, v in list(data.items()):
                if isinstance(v, str):
                    data[k] = _scrub_text(v, folder)
            out.pop("metadata", None) if out.get("output_type") == "stream" else None


def is_scrubbed(nb: nbformat.NotebookNode) -> list[str]:
    """Problems that show a notebook was not produced by this script (empty when fine)."""
    problems = []
    if "widgets" in nb.metadata:
        problems.append("widget state in metadata")
    count = 0
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        count += 1
        if cell.execution_count != count:
            problems.append(f"cell {i}: execution count {cell.execution_count} (expected {count})")
        if "execution" in cell.metadata:
            problems.append(f"cell {i}: timing metadata")
        for out in cell.outputs:
            if out.get("output_type") == "error":
                problems.append(f"cell {i}: error output")
            mid = out.get("data", {}).get(_WIDGET, {}).get("model_id")
            if mid and not str(mid).startswith("scrubbed-"):
                problems.append(f"cell {i}: widget model id")
            if _TMP.search(str(out)) or str(ROOT) in str(out):
                problems.append(f"cell {i}: machine path in output")
    return problems


def regenerate(path: Path) -> float:
    """Clear, execute and scrub one notebook in place; returns the seconds it took."""
    t0 = time.perf_counter()
    nb = nbformat.read(path, as_version=4)
    clear(nb)
    execute(nb, path.parent)
    scrub(nb, path.parent)
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", type=Path)
    ap.add_argument("--check", action="store_true", help="only check that the notebooks are scrubbed")
    args = ap.parse_args(argv)
    paths = args.paths or sorted(ROOT.glob(DEFAULT_GLOB))
    bad = 0
    for p in paths:
        if args.check:
            problems = is_scrubbed(nbformat.read(p, as_version=4))
            for pr in problems:
                print(f"{p}: {pr}")
            bad += bool(problems)
        else:
            print(f"{p}: {regenerate(p):.1f} s")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
