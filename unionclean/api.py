"""The Python API: the same verbs as the command line.

Example:
    >>> from unionclean import api                                  # doctest: +SKIP
    >>> result = api.clean(["units/"], out="out/")                 # doctest: +SKIP
    >>> result.exit_code                                            # doctest: +SKIP
    0
"""
from __future__ import annotations

import gc
import json
import multiprocessing as mp
import os
import platform
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from unionclean import __version__
from unionclean._native import engine
from unionclean.dedupe import unit_match_columns
from unionclean.export.atomic import atomic_path
from unionclean.export.review import write_changes, write_review
from unionclean.export.upload import write_upload_records
from unionclean.messages import message
from unionclean.model import Cell
from unionclean.pipeline import FileOutcome, clean_file
from unionclean.recipe import Recipe
from unionclean.spec import TemplateSpec, load_spec

__all__ = ["clean", "run", "RunResult", "FileSummary"]


@dataclass
class FileSummary:
    """What the run reports about one input (no personal values)."""

    file: str
    ok: bool
    error_code: str = ""
    error_message: str = ""
    sha256: str = ""
    size: int = 0
    format: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)
    sheets: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    mapping: dict[str, Any] = field(default_factory=dict)
    decisions: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    # This unit's columns for the cross-unit matching (see dedupe.unit_match_columns).
    records: dict[str, Any] = field(default_factory=dict)


@dataclass
class RunResult:
    out: str
    files: list[FileSummary]
    recipe: Recipe
    manifest_path: str
    duplicates_path: str = ""
    cross_unit_groups: int = 0
    #: Seconds per phase of the run (files, cross_unit, recipe): where a big run's time goes.
    phases: dict[str, float] = field(default_factory=dict)

    @property
    def failed(self) -> list[FileSummary]:
        return [f for f in self.files if not f.ok]

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def totals(self) -> dict[str, int]:
        t: dict[str, int] = {}
        for f in self.files:
            for k, v in f.counts.items():
                t[k] = t.get(k, 0) + v
        return t


# --------------------------------------------------------------------------- one file, in a worker
def write_outputs(o: FileOutcome, spec: TemplateSpec, out_dir: str | Path, today: date) -> dict[str, str]:
    """Write the three per-file outputs of an outcome; returns their file names."""
    outd = Path(out_dir)
    up = outd / f"{o.stem}.upload.xlsx"
    rv = outd / f"{o.stem}.review.xlsx"
    ch = outd / f"{o.stem}.changes.csv"
    write_upload_records(up, spec, o.unit_name, o.upload, created=today)
    write_review(rv, spec, o.review, {r.rec_id: r for r in o.records}, created=today, unit_name=o.unit_name)
    write_changes(ch, o.changes)
    return {"upload": up.name, "review": rv.name, "changes": ch.name}


def per_file_recipe(recipe: Recipe, name: str) -> dict[str, Any]:
    """The parts of a recipe that apply to one input file."""
    return {"mapping": recipe.mapping_for(name), "overrides": recipe.params("map_columns").get("overrides"),
            "decisions": recipe.file_decisions(name), "match": recipe.params("dedupe_within_unit"),
            "ethnic_list": recipe.params("normalise").get("ethnic_list")}


def _process(path: str, out_dir: str, spec_path: str, today: date, per_file: dict[str, Any],
             keep_records: bool) -> FileSummary:
    """Clean one file and write its outputs (runs in a worker): only a small summary goes back."""
    spec = load_spec(spec_path)
    name = Path(path).name
    o: FileOutcome = clean_file(path, spec, today=today, recipe=per_file)
    s = FileSummary(file=name, ok=o.ok, error_code=o.error_code, error_message=o.error_message,
                    sha256=o.sha256, size=o.size, format=o.format, sheets=o.sheets, skipped=o.skipped,
                    mapping=o.mapping, decisions=o.decisions)
    if o.ok:
        t = time.perf_counter()
        s.outputs = write_outputs(o, spec, out_dir, today)
        o.timings["write"] = time.perf_counter() - t
        if keep_records:  # this unit's share of the cross-unit matching, keys computed here
            s.records = unit_match_columns(o.upload + o.held, o.unit_name or o.stem)
    s.counts = o.counts()
    s.timings = {k: round(v, 4) for k, v in o.timings.items()}
    return s


def _process_chunk(chunk: list[tuple]) -> list[FileSummary]:
    """Clean the files of a chunk in a worker, with the cyclic collector run by hand (see
    :func:`_after_file`); a forked worker keeps this setting for its later chunks."""
    gc.disable()
    results = []
    for a in chunk:
        results.append(_process(*a))
        _after_file()
    return results


#: Tracked objects created (net) since the last collection above which :func:`_after_file`
#: collects: well above what the bounded memos and caches of a worker hold (2 to 3 million).
_GC_GUARD = 8_000_000


def _after_file() -> None:
    """The cyclic collector of a batch: off while files are cleaned, run between files only
    if objects pile up.

    The pipeline makes no reference cycles (a test checks it): a file's cells, records and
    results are freed by reference counting once its outputs are written, and what survives
    (the normalisers' memos, bounded) never needs a scan. With the collector on, every
    collection would scan those survivors again (4 % of a worker's time, even between files).
    Should some input make cycles after all, they are collected once they pass the guard."""
    if gc.get_count()[0] > _GC_GUARD:
        gc.collect()


def _process_alone(args: tuple, ctx) -> FileSummary:
    """One file in a worker of its own: if that worker dies, the file is reported as failed."""
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=ctx) as one:
            return one.submit(_process_chunk, [args]).result()[0]
    except BrokenProcessPool:
        name = Path(args[0]).name
        return FileSummary(file=name, ok=False, error_code="run.worker_died",
                           error_message=message("run.worker_died", file=name))


def _warm_up(spec: TemplateSpec, today: date) -> None:
    """Load what every file needs (code lists, header aliases, the upload skeleton) once in
    the parent, so that forked workers start with it instead of each loading it again."""
    from unionclean.export.review import warm_up as warm_review
    from unionclean.export.upload import warm_up as warm_upload
    from unionclean.mapping import aliases
    from unionclean.normalize.base import Context
    from unionclean.normalize.registry import get_normalizer

    aliases()
    ctx = Context(today=today)
    for ftype in {spec.field_type(f) for f in spec.fields}:
        fn = get_normalizer(ftype)
        for sample in _WARM_UP_CELLS:  # plain, Unicode, TCVN3 and VNI text load every table
            fn(sample, ctx)
    warm_upload(spec, today)
    warm_review(spec, today)


_WARM_UP_CELLS = (Cell("Nguyễn Văn An"), Cell("NguyÔn V¨n Nam", font=".VnTime"), Cell("Hoaøng Thò Haûi"),
                  Cell("12/03/1990"), Cell("1"))


# --------------------------------------------------------------------------- run
def clean(inputs: Sequence[str | Path], out: str | Path, *, recipe: Recipe | str | Path | None = None,
          template: str | Path | None = None, today: date | None = None, jobs: int | None = None,
          progress: bool | Callable[[int, int], None] = False, cross_unit: bool = True,
          corrections: Sequence[str | Path] = ()) -> RunResult:
    """Clean unit files (files or folders) into ``out``: per file ``<name>.upload.xlsx``,
    ``<name>.review.xlsx``, ``<name>.changes.csv``; per run ``run.json``, ``recipe.yaml`` and,
    with several units, ``duplicates.xlsx``.

    A bad file never stops the run: its summary carries the Vietnamese message.
    """
    with _batch_gc():
        return _clean(inputs, out, recipe=recipe, template=template, today=today, jobs=jobs, progress=progress,
                      cross_unit=cross_unit, corrections=corrections)


@contextmanager
def _batch_gc() -> Iterator[None]:
    """Python's cyclic garbage collector tuned for a batch run, and restored afterwards.

    A run allocates millions of small objects (cells, results, memo entries) that live until
    their file is written; with the default thresholds the collector re-scans them over and
    over (a quarter of a worker's time on a province). Objects that exist before the run (code
    lists, tables, the memo's seed) are frozen out of the scans; young collections happen every
    50,000 allocations instead of 700. While files are cleaned, the collector is off
    altogether (:func:`_after_file`)."""
    old = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*old)
        gc.unfreeze()


def _clean(inputs: Sequence[str | Path], out: str | Path, *, recipe: Recipe | str | Path | None,
           template: str | Path | None, today: date | None, jobs: int | None,
           progress: bool | Callable[[int, int], None], cross_unit: bool,
           corrections: Sequence[str | Path]) -> RunResult:
    from unionclean.read import iter_input_files

    t0 = time.perf_counter()
    if isinstance(recipe, (str, Path)):
        recipe = Recipe.load(recipe)
    recipe = recipe or Recipe.new(today or date.today())
    if today is not None:
        recipe.today = today.isoformat()
    spec = load_spec(template or recipe.template.get("path"))
    recipe.template = {"id": spec.id, "version": spec.version, "sha256": spec.sha256}
    if template:
        recipe.template["path"] = str(template)
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)

    files = iter_input_files(inputs)
    summaries: list[FileSummary] = []
    if corrections:
        apply_corrections(recipe, corrections, files, spec)
    n = len(files)
    jobs = max(1, min(jobs or os.cpu_count() or 1, n))
    want_cross = cross_unit and n > 1
    Recipe.from_dict(recipe.to_dict())  # a recipe that does not load stops here, not in a worker
    run_date = recipe.run_date
    args = [(str(f), str(out_dir), spec.path, run_date, per_file_recipe(recipe, f.name), want_cross)
            for f in files]
    done = 0
    bar = _progress(progress, n)
    if jobs == 1:
        results = []
        gc.disable()
        try:
            for a in args:
                results.append(_process(*a))
                _after_file()
                done += 1
                bar(done, n)
        finally:
            gc.freeze()  # what the files left (memos, summaries) is not scanned on re-enabling
            gc.enable()
    else:
        _warm_up(spec, run_date)
        gc.freeze()  # what the warm-up loaded is shared with the workers, never scanned
        ctx = mp.get_context("fork" if platform.system() != "Windows" else "spawn")
        chunks = _chunks(args, jobs)
        results = []
        finished = 0
        try:
            with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as ex:
                for chunk_result in ex.map(_process_chunk, chunks):
                    results.extend(chunk_result)
                    finished += 1
                    done += len(chunk_result)
                    bar(done, n)
        except BrokenProcessPool:
            # A worker died (an engine abort the readers did not contain): the files not yet
            # reported are cleaned one per fresh worker, so only the culprit fails.
            for a in (a for chunk in chunks[finished:] for a in chunk):
                results.append(_process_alone(a, ctx))
                done += 1
                bar(done, n)
    summaries.extend(results)
    t_files = time.perf_counter()
    # Decisions made on this run become part of the recipe, so a replay is identical.
    for s in results:
        if s.ok:
            recipe.mapping[s.file] = s.mapping
            if s.decisions.get("date_order"):
                recipe.decisions.setdefault("date_order", {})[s.file] = s.decisions["date_order"]
    result = RunResult(out=str(out_dir), files=summaries, recipe=recipe, manifest_path="")
    result.phases["files"] = round(t_files - t0, 3)
    if want_cross:
        _cross_unit(result, results, recipe)
        result.phases["cross_unit"] = round(time.perf_counter() - t_files, 3)
    for s in results:
        s.records = {}
    t = time.perf_counter()
    recipe.save(out_dir / "recipe.yaml")
    result.phases["recipe"] = round(time.perf_counter() - t, 3)
    result.manifest_path = str(_write_manifest(out_dir, result, spec, time.perf_counter() - t0))
    return result


def apply_corrections(recipe: Recipe, corrections: Sequence[str | Path], files: Sequence[Path],
                      spec: TemplateSpec) -> int:
    """Turn review workbooks the units sent back into cell decisions in ``recipe``; returns
    how many cells were corrected. Each review is matched to its input by file name."""
    from unionclean.errors import InputFileError
    from unionclean.export.review import rows_sheet_values
    from unionclean.review_import import read_corrections

    by_stem = {Path(f).stem: Path(f) for f in files}
    n = 0
    for c in corrections:
        cp = Path(c)
        stem = cp.name[: -len(".review.xlsx")] if cp.name.endswith(".review.xlsx") else cp.stem
        src = by_stem.get(stem)
        if src is None:
            raise InputFileError("review.unknown_input", cp.name, input=stem)
        o = clean_file(src, spec, today=recipe.run_date, recipe=per_file_recipe(recipe, src.name))
        written = rows_sheet_values(o.review, {r.rec_id: r for r in o.records}, spec)
        cells = recipe.decisions.setdefault("cells", [])
        for d in read_corrections(cp, spec, written):
            cells[:] = [x for x in cells if not (x["loc"] == d["loc"] and x["field"] == d["field"])]
            cells.append(d)
            n += 1
    return n


def run(recipe: str | Path | Recipe, inputs: Sequence[str | Path], out: str | Path, **kw: Any) -> RunResult:
    """Replay a saved recipe on inputs (the same files, or next month's)."""
    rec = recipe if isinstance(recipe, Recipe) else Recipe.load(recipe)
    return clean(inputs, out, recipe=rec, **kw)


def _cross_unit(result: RunResult, results: list[FileSummary], recipe: Recipe) -> None:
    """People who appear in two or more units' files: ``duplicates.xlsx`` with a group number
    (``Nhóm``), both source locations, the evidence and a decision column."""
    from unionclean.dedupe import concat_match_columns
    from unionclean.match import MatchConfig, find_cross_unit, write_duplicates_report

    prepared, table = concat_match_columns([s.records for s in results if s.ok and s.records])
    if not prepared:
        return
    cross = find_cross_unit(table, MatchConfig(), decisions=recipe.decisions.get("pairs"), prepared=prepared)
    groups = int(cross["group"].nunique()) if len(cross) else 0
    path = write_duplicates_report(Path(result.out) / "duplicates.xlsx", cross, table, created=recipe.run_date)
    result.duplicates_path = str(path)
    result.cross_unit_groups = groups


def _chunks(args: list[tuple], jobs: int) -> list[list[tuple]]:
    """Files go to the workers in chunks (one round trip per chunk, not per file) of up to 16;
    the last ones one by one, so that the workers finish together (a province's last chunk
    of 16 would leave one worker idle for half a second)."""
    n = len(args)
    size = max(1, min(16, n // (jobs * 8)))
    tail = min(n, 4 * jobs * size) if size > 1 else 0
    head = n - tail
    return [args[i:min(i + size, head)] for i in range(0, head, size)] + [[a] for a in args[head:]]


def _progress(progress: bool | Callable[[int, int], None], total: int) -> Callable[[int, int], None]:
    if callable(progress):
        return progress
    if not progress or total < 2:
        return lambda done, n: None
    from tqdm.auto import tqdm

    bar = tqdm(total=total, desc="Đang làm sạch", unit="tệp")

    def update(done: int, n: int) -> None:
        bar.update(done - bar.n)
        if done >= n:
            bar.close()

    return update


def _write_manifest(out_dir: Path, result: RunResult, spec: TemplateSpec, seconds: float) -> Path:
    """``run.json``: versions, template, input hashes, recipe, counts, timings. No personal values:
    only file names, hashes, counts, sheet names, header texts and reason codes."""
    files = []
    for s in result.files:
        files.append({
            "file": s.file, "ok": s.ok, "error_code": s.error_code, "error_message": s.error_message,
            "sha256": s.sha256, "size": s.size, "format": s.format, "counts": s.counts,
            "outputs": s.outputs, "sheets": s.sheets, "skipped_rows": s.skipped, "timings": s.timings,
        })
    doc = {
        "tool": "unionclean", "version": __version__, "python": platform.python_version(), "engine": engine(),
        "template": {"id": spec.id, "version": spec.version, "sha256": spec.sha256},
        "run_date": result.recipe.today, "inputs": files, "totals": result.totals(),
        "duplicates_report": Path(result.duplicates_path).name if result.duplicates_path else "",
        "cross_unit_groups": result.cross_unit_groups,
        "recipe": result.recipe.to_dict(), "seconds": round(seconds, 3), "phases": result.phases,
        "failed": [s.file for s in result.failed],
    }
    path = out_dir / "run.json"
    with atomic_path(path) as tmp:
        tmp.write_text(_manifest_json(doc), encoding="utf-8")
    return path


def _manifest_json(doc: dict[str, Any]) -> str:
    """JSON with one line per top-level key and per input file: readable, and written by the
    C encoder (``indent`` would switch json to its pure-Python encoder, seconds for a province)."""

    def enc(v: Any) -> str:
        return json.dumps(v, ensure_ascii=False)

    parts = []
    for k, v in doc.items():
        if k == "inputs" and v:
            parts.append(f" {enc(k)}: [\n  " + ",\n  ".join(enc(x) for x in v) + "\n ]")
        else:
            parts.append(f" {enc(k)}: {enc(v)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def summary_lines(result: RunResult) -> Iterable[str]:
    """Short Vietnamese summary for the console (no personal values)."""
    t = result.totals()
    ok = [f for f in result.files if f.ok]
    yield message("cli.summary_files", ok=len(ok), total=len(result.files))
    yield message("cli.summary_counts", read=t.get("rows_read", 0), out=t.get("members_out", 0),
                  held=t.get("held_back", 0), merged=t.get("merged_duplicates", 0))
    if result.duplicates_path:
        yield message("cli.summary_cross", groups=result.cross_unit_groups, file=Path(result.duplicates_path).name)
    for f in result.failed:
        yield message("cli.file_failed", file=f.file, why=f.error_message)
    yield message("cli.summary_out", out=result.out)
