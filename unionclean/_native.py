"""The optional compiled build of the hot modules, and the guard that keeps it honest.

The modules in :data:`MODULES` (reading, layout, normalisers, records, within-unit matching,
writers) are plain Python. ``scripts/build_native.py`` can compile them with mypyc into C
extensions placed next to the sources (``pipeline.cpython-311-x86_64-linux-gnu.so`` beside
``pipeline.py``); Python then imports the extension instead of the source. The results are
the same bytes; a province is cleaned about a fifth faster (figures in the README, maintainers' part).

A compiled module is only used while it matches its source. The build writes
``_native.json`` with a digest of every compiled source; on import, :func:`install_guard`
compares it with the sources on disk. When they differ (a source was edited after the build),
when there is no stamp, or when ``UNIONCLEAN_PURE=1`` is set, every module of the list is
imported from its ``.py`` file, all together: compiled modules call each other directly, so a
mix of compiled and source modules is never used.
"""
from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
from pathlib import Path

__all__ = ["MODULES", "STAMP", "source_digest", "install_guard", "engine"]

#: The modules compiled by ``scripts/build_native.py`` (dotted names, in build order).
MODULES: tuple[str, ...] = (
    "unionclean.normalize.text", "unionclean.normalize.legacy", "unionclean.normalize.names",
    "unionclean.normalize.dates", "unionclean.normalize.ids", "unionclean.normalize.phones",
    "unionclean.normalize.provinces", "unionclean.normalize.codes", "unionclean.normalize.keys",
    "unionclean.normalize.base", "unionclean.model", "unionclean.records", "unionclean.pipeline",
    "unionclean.layout", "unionclean.read.xlsx", "unionclean.read.csvfile", "unionclean.export.fastsheet",
    "unionclean.export.upload", "unionclean.export.review", "unionclean.mapping", "unionclean.match.keys",
    "unionclean.dedupe", "unionclean.match.compare", "unionclean.match.matcher", "unionclean.recipe.fastyaml",
)

#: Where the compiled modules' digest is written by the build.
ROOT = Path(__file__).resolve().parent
STAMP = ROOT / "_native.json"


def source_file(module: str) -> Path:
    """The ``.py`` file of one module of :data:`MODULES`."""
    return ROOT.parent.joinpath(*module.split(".")).with_suffix(".py")


def source_digest() -> str:
    """SHA-256 over the names and bytes of the sources of :data:`MODULES`."""
    h = hashlib.sha256()
    for m in MODULES:
        h.update(m.encode() + b"\0" + source_file(m).read_bytes() + b"\0")
    return h.hexdigest()


def _compiled_files() -> list[Path]:
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    return [p for p in ROOT.rglob("*") if p.name.endswith(suffixes)]


def _stale_reason(honour_env: bool = True) -> str | None:
    """Why the compiled modules must not be used now, or None when they may be
    (``honour_env=False``: as if ``UNIONCLEAN_PURE`` were not set)."""
    if honour_env and os.environ.get("UNIONCLEAN_PURE", "") not in ("", "0"):
        return "UNIONCLEAN_PURE"
    if not _compiled_files():
        return "not built"
    try:
        stamp = json.loads(STAMP.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "no stamp"
    if stamp.get("digest") != source_digest():
        return "sources changed since the build"
    return None


class _SourceFinder(importlib.abc.MetaPathFinder):
    """Imports the modules of :data:`MODULES` from their ``.py`` files."""

    def find_spec(self, name, path=None, target=None):  # noqa: ANN001 - the finder protocol
        if name not in MODULES:
            return None
        return importlib.util.spec_from_file_location(name, source_file(name))


_reason: str | None = None


def install_guard() -> None:
    """Use the compiled modules only if they were built from the sources on disk (see the
    module docstring). Called once, by ``unionclean/__init__.py``, before any of them loads."""
    global _reason
    _reason = _stale_reason()
    if _reason is not None and not any(isinstance(f, _SourceFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _SourceFinder())


def engine() -> str:
    """``"compiled"`` when the hot modules run compiled, else ``"python"`` (for run.json and
    the benchmarks)."""
    import unionclean.pipeline as p

    return "compiled" if not str(p.__file__).endswith(".py") else "python"
