"""Compile unionclean's hot modules with mypyc (optional; the sources stay the reference).

    .venv/bin/python scripts/build_native.py           # build (or rebuild if the sources changed)
    .venv/bin/python scripts/build_native.py --clean   # remove the compiled modules

Needs the ``native`` extra (mypy, which ships mypyc, and setuptools) and a C compiler. The
extensions are written next to the sources, and ``unionclean/_native.json`` records the digest
of the sources they were built from: ``unionclean/_native.py`` uses them only while it
matches. Messages are in Vietnamese: this runs from ``scripts/bootstrap.sh``.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Iterator

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from unionclean import _native  # noqa: E402

BUILD = REPO / "build" / "native"
GROUP = "unionclean._native_lib"  # the shared library: unionclean/_native_lib__mypyc.*.so


def clean() -> int:
    """Remove the compiled modules and the stamp; returns how many files were removed."""
    files = _native._compiled_files()
    for p in files:
        p.unlink()
    _native.STAMP.unlink(missing_ok=True)
    return len(files)


@contextlib.contextmanager
def _output_to(log: Path) -> Iterator[None]:
    """Send this process's and its compilers' output (file descriptors 1 and 2) to ``log``."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with open(log, "wb") as f:
        os.dup2(f.fileno(), 1)
        os.dup2(f.fileno(), 2)
        try:
            yield
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])


def build() -> None:
    """Compile :data:`unionclean._native.MODULES` next to their sources, then write the stamp.
    The compilers' output goes to ``build/native/build.log``."""
    from mypyc.build import mypycify
    from setuptools import setup

    clean()  # a failed build leaves the pure-Python package, never a stale mix
    BUILD.mkdir(parents=True, exist_ok=True)
    sources = [str(_native.source_file(m).relative_to(REPO)) for m in _native.MODULES]
    digest = _native.source_digest()
    cwd = os.getcwd()
    os.chdir(REPO)  # mypyc derives the module names from paths relative to here
    try:
        with _output_to(BUILD / "build.log"):
            ext = mypycify(["--ignore-missing-imports", "--follow-imports=silent",
                            "--cache-dir", str(BUILD / "mypy_cache"), *sources],
                           opt_level="3", debug_level="0", group_name=GROUP, target_dir=str(BUILD),
                           strict_dunder_typing=False)
            setup(name="unionclean-native", ext_modules=ext, script_name="build_native.py",
                  script_args=["-q", "build_ext", "--inplace", "--build-temp", str(BUILD / "temp")])
    finally:
        os.chdir(cwd)
    _native.STAMP.write_text(json.dumps({"digest": digest, "modules": list(_native.MODULES),
                                         "python": sys.version.split()[0]}, indent=1) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clean", action="store_true", help="xoá bản biên dịch, dùng mã Python thuần")
    ap.add_argument("--if-stale", action="store_true", help="chỉ biên dịch khi mã nguồn đã đổi")
    args = ap.parse_args(argv)
    if args.clean:
        print(f"Đã xoá {clean()} tệp biên dịch: unionclean chạy bằng mã Python thuần.")
        return 0
    if args.if_stale and _native._stale_reason() in (None, "UNIONCLEAN_PURE"):
        return 0
    if shutil.which(os.environ.get("CC", "cc")) is None and shutil.which("gcc") is None:
        print("Không có trình biên dịch C: unionclean chạy bằng mã Python thuần (kết quả như nhau, "
              "chậm hơn khoảng 1/5).")
        return 0
    t = time.perf_counter()
    print("Đang biên dịch các mô-đun xử lý chính (mypyc, khoảng 1–2 phút)…", flush=True)
    try:
        build()
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - the pure-Python package still works
        clean()
        print(f"Biên dịch không thành công ({type(exc).__name__}, xem build/native/build.log): unionclean "
              "chạy bằng mã Python thuần (kết quả như nhau, chậm hơn).", file=sys.stderr)
        return 0
    print(f"Đã biên dịch {len(_native.MODULES)} mô-đun trong {time.perf_counter() - t:.0f} giây.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
