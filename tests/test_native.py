"""The optional compiled build (scripts/build_native.py): used only while it matches the
sources, and it writes the same bytes as the pure-Python modules."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from unionclean import _native
from unionclean.synth import generate_dataset

REPO = Path(__file__).resolve().parent.parent


def test_every_listed_module_has_its_source():
    for m in _native.MODULES:
        assert _native.source_file(m).is_file(), m


def test_a_build_is_used_only_while_its_sources_are_unchanged(tmp_path, monkeypatch):
    monkeypatch.delenv("UNIONCLEAN_PURE", raising=False)
    stamp = tmp_path / "_native.json"
    monkeypatch.setattr(_native, "STAMP", stamp)
    monkeypatch.setattr(_native, "_compiled_files", lambda: [Path("pipeline.so")])
    assert _native._stale_reason() == "no stamp"
    stamp.write_text(json.dumps({"digest": "0" * 64}), encoding="utf-8")
    assert _native._stale_reason() == "sources changed since the build"
    stamp.write_text(json.dumps({"digest": _native.source_digest()}), encoding="utf-8")
    assert _native._stale_reason() is None
    monkeypatch.setenv("UNIONCLEAN_PURE", "1")
    assert _native._stale_reason() == "UNIONCLEAN_PURE"
    monkeypatch.setattr(_native, "_compiled_files", lambda: [])
    monkeypatch.delenv("UNIONCLEAN_PURE")
    assert _native._stale_reason() == "not built"


def test_the_source_finder_loads_listed_modules_from_their_py_files():
    finder = _native._SourceFinder()
    spec = finder.find_spec("unionclean.pipeline")
    assert spec is not None and spec.origin.endswith(os.path.join("unionclean", "pipeline.py"))
    assert finder.find_spec("unionclean.api") is None and finder.find_spec("json") is None


def _run(folder: Path, out: Path, pure: bool) -> str:
    code = ("import sys; from datetime import date; from unionclean import api; from unionclean._native import engine; "
            "api.clean([sys.argv[1]], sys.argv[2], today=date(2026, 11, 1), jobs=1); print(engine())")
    env = {**os.environ, "UNIONCLEAN_PURE": "1" if pure else ""}
    done = subprocess.run([sys.executable, "-c", code, str(folder), str(out)], env=env, cwd=REPO,
                          capture_output=True, text=True, check=True)
    return done.stdout.strip()


def _digests(out: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.iterdir()) if p.name != "run.json"}


def test_compiled_and_pure_modules_write_the_same_bytes(tmp_path):
    folder = tmp_path / "units"
    generate_dataset(folder, n_units=3, members_per_unit=60, seed=5, mess_level="high", write_truth=False)
    assert _run(folder, tmp_path / "pure", pure=True) == "python"
    engine = _run(folder, tmp_path / "default", pure=False)
    # Compiled when scripts/build_native.py has built these sources (whatever this process runs).
    assert engine == ("compiled" if _native._stale_reason(honour_env=False) is None else "python")
    pure, default = _digests(tmp_path / "pure"), _digests(tmp_path / "default")
    assert len(pure) == 3 * 3 + 2 and pure == default
    doc = json.loads((tmp_path / "default" / "run.json").read_text(encoding="utf-8"))
    assert doc["engine"] == engine
