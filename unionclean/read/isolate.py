"""Run a reading engine on one file in a forked child with a memory cap.

A damaged legacy .xls can make calamine (Rust) abort the whole process while allocating
memory: no ``except`` can catch that, and in a province run it would take the worker pool
down with it. The child process absorbs the abort; the parent reports ``read.corrupt``.
On systems without ``fork`` the engine runs in-process.
"""
from __future__ import annotations

import os
import pickle
import select
import signal
from typing import Any, Callable

from unionclean.errors import InputFileError

__all__ = ["run_isolated"]

_EXTRA_MEMORY = 2 << 30   # the child may grow by this much beyond the parent's address space
_TIMEOUT = 300.0          # seconds for one file


def _address_space() -> int | None:
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[0])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _child(w: int, fn: Callable[..., Any], args: tuple) -> None:
    try:
        import resource

        # An engine that aborts prints a long native backtrace: keep it off the user's console.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)

        size = _address_space()
        if size is not None:
            resource.setrlimit(resource.RLIMIT_AS, (size + _EXTRA_MEMORY, size + _EXTRA_MEMORY))
        try:
            result: tuple = ("ok", fn(*args))
        except InputFileError as exc:
            result = ("error", exc.code, exc.path, exc.params)
        except BaseException as exc:  # noqa: BLE001 - reported as a damaged file by the parent
            result = ("crash", type(exc).__name__)
        with os.fdopen(w, "wb") as f:
            pickle.dump(result, f, protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        os._exit(0)


def run_isolated(fn: Callable[..., Any], *args: Any, name: str, ext: str) -> Any:
    """``fn(*args)`` in a forked child; an :class:`InputFileError` raised there is raised here,
    and a child that crashes, aborts or hangs becomes ``read.corrupt`` for ``name``."""
    if not hasattr(os, "fork"):
        return fn(*args)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        os.close(r)
        _child(w, fn, args)
    os.close(w)
    chunks = []
    with os.fdopen(r, "rb") as f:
        while True:
            ready, _, _ = select.select([f], [], [], _TIMEOUT)
            if not ready:
                os.kill(pid, signal.SIGKILL)
                break
            chunk = f.read1(1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    os.waitpid(pid, 0)
    try:
        result = pickle.loads(b"".join(chunks)) if chunks else ("crash", "aborted")
    except (pickle.UnpicklingError, EOFError):
        result = ("crash", "truncated")
    if result[0] == "ok":
        return result[1]
    if result[0] == "error":
        raise InputFileError(result[1], result[2], **{k: v for k, v in result[3].items() if k != "file"})
    raise InputFileError("read.corrupt", name, ext=ext)
