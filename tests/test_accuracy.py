"""Measured on the project's own generated data: cell accuracy, no silent corruption, flags.

The generator knows, for every source cell, the canonical value or that it must be flagged
(``RowTruth.outcome``); these tests hold the pipeline to it across many layouts and formats.
"""
from __future__ import annotations

from datetime import date

import pytest

from unionclean.model import Status
from unionclean.pipeline import clean_file
from unionclean.spec import load_spec
from unionclean.synth import generate_dataset

TODAY = date(2026, 11, 1)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    folder = tmp_path_factory.mktemp("acc")
    truth = generate_dataset(folder, n_units=10, members_per_unit=(25, 45), seed=2024, mess_level="medium",
                             write_truth=False)
    spec = load_spec()
    return truth, {u.file: clean_file(folder / u.file, spec, today=TODAY) for u in truth.units}


def _key(loc) -> tuple[str, str, int]:
    return (loc.file, loc.sheet, int(loc.row))


def _by_loc(o):
    recs = {}
    for r in o.upload + o.held:
        for loc in (r.merged_from or [r.loc]):
            recs[_key(loc)] = r
    return recs


def _accepted(unit) -> dict[tuple[str, str], set[str]]:
    """Per (member, field): the canonical value and every duplicate row's accepted variant."""
    out: dict[tuple[str, str], set[str]] = {}
    members = {m["member_id"]: m for m in unit.members}
    for row in unit.rows:
        for f in row.outcome:
            acc = out.setdefault((row.member_id, f), {members[row.member_id][f]})
            acc.update(row.alt.get(f, []))
    return out


def test_upload_cells_match_the_truth(outcomes):
    truth, outs = outcomes
    right = total = 0
    wrong = []
    for unit in truth.units:
        o = outs[unit.file]
        assert o.ok, o.error_message
        recs = _by_loc(o)
        members = {m["member_id"]: m for m in unit.members}
        accepted = _accepted(unit)
        uploaded = {id(r) for r in o.upload}
        for row in unit.rows:
            if row.flagged:
                continue
            r = recs.get(_key(row))
            if r is None or id(r) not in uploaded:
                continue
            for f, outcome in row.outcome.items():
                if outcome not in ("value", "alt"):
                    continue
                total += 1
                want = accepted[(row.member_id, f)]
                if r.value(f) in want:
                    right += 1
                else:
                    wrong.append((row.location, f, r.value(f), members[row.member_id][f]))
    assert total > 3000
    assert right / total >= 0.99, wrong[:10]


def test_no_silent_corruption_on_flagged_cells(outcomes):
    truth, outs = outcomes
    for unit in truth.units:
        o = outs[unit.file]
        recs = _by_loc(o)
        uploaded = {id(r) for r in o.upload}
        for row in unit.rows:
            r = recs.get(_key(row))
            if r is None or id(r) not in uploaded:
                continue
            for f, why in row.flag_why.items():
                v = r.value(f)
                assert v == "" or v in row.flag_ok.get(f, []), (row.location, f, why)


def test_flagged_rows_reach_the_review_file(outcomes):
    truth, outs = outcomes
    flagged = hit = 0
    for unit in truth.units:
        o = outs[unit.file]
        reviewed = {_key(it.loc) for it in o.review}
        for row in unit.rows:
            if row.flagged:
                flagged += 1
                hit += _key(row) in reviewed
    assert flagged > 20
    assert hit / flagged >= 0.98


def test_clean_members_are_uploaded(outcomes):
    truth, outs = outcomes
    clean = up = 0
    for unit in truth.units:
        o = outs[unit.file]
        recs = _by_loc(o)
        uploaded = {id(r) for r in o.upload}
        dup_rows = {loc for c in unit.clusters for loc in c.rows}
        for row in unit.rows:
            if row.flagged or row.location in dup_rows:
                continue
            clean += 1
            r = recs.get(_key(row))
            up += r is not None and id(r) in uploaded and all(
                res.status is not Status.FLAGGED or res.soft for res in r.res.values())
    assert up / clean >= 0.98
