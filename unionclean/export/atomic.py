"""Atomic output: write to a temporary name in the same folder, then move into place."""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

__all__ = ["atomic_path"]


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; on success it replaces ``path`` atomically, on
    error it is removed and ``path`` is left as it was.

    Example:
        >>> import tempfile; d = tempfile.mkdtemp()
        >>> with atomic_path(d + "/x.txt") as tmp: _ = tmp.write_text("hi")
        >>> open(d + "/x.txt").read()
        'hi'
    """
    final = Path(path)
    if not os.path.isdir(final.parent):  # one stat, not mkdir's two calls (a run writes many files)
        final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.with_name(f".{final.name}.{os.getpid()}.tmp")
    try:
        yield tmp
        os.replace(tmp, final)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
