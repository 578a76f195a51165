"""Within-unit duplicates in the pipeline: the matcher proposes pairs, certain ones are merged
into one record (spec decision 4), the grey zone goes to the review file."""
from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from unionclean.match.keys import DOB_KEYS
from unionclean.model import Status
from unionclean.records import Change, MemberRecord, ReviewItem, field_values

if TYPE_CHECKING:
    from unionclean.pipeline import FileOutcome

__all__ = ["dedupe_records", "records_frame", "candidate_records", "candidate_blocks", "prepared_columns", "prepared_frame"]


def _raw_cccd(r: MemberRecord) -> str:
    """The source text of a flagged CCCD (so analysts see what the unit typed), else ""."""
    raw, res = r.raw.get("so_cccd"), r.res.get("so_cccd")
    return raw.text if raw is not None and res is not None and res.status is Status.FLAGGED else ""


def _frame_rows(records: list[MemberRecord], fields, unit: str = "") -> list[dict]:
    rows = []
    for r in records:
        d = {f: r.value(f) for f in fields}
        d.update(rec_id=r.rec_id, unit=unit, file=r.loc.file, sheet=r.loc.sheet, row=r.loc.row,  # type: ignore
                 raw_cccd=_raw_cccd(r))
        rows.append(d)
    return rows


def records_frame(records: list[MemberRecord], fields, unit: str = "") -> pd.DataFrame:
    """The matcher's input: one row per record, canonical values as strings."""
    return pd.DataFrame(_frame_rows(records, fields, unit))


def _text(rows: list[dict], col: str | None) -> list[str]:
    """A column as :func:`unionclean.match.matcher.prepare` reads it: text, stripped."""
    if not col:
        return [""] * len(rows)
    return [str(v).strip() if (v := d.get(col)) is not None else "" for d in rows]


class _Keys(dict):
    """The per-record keys of :func:`unionclean.match.matcher.prepare`, each computed the
    first time it is asked for (the same key functions, one row at a time).

    ``column(name)`` gives a source column as stripped text (see :func:`_text`)."""

    def __init__(self, column, config) -> None:
        super().__init__()
        self.column, self.config = column, config

    def __missing__(self, key: str) -> list:
        from unionclean.match import keys as mk

        c = self.config
        simple = {"name": c.name, "dob": c.dob, "gender": c.gender, "national_id": c.national_id,
                  "phone": c.phone, "group": c.group}
        derived = {"k_fold": ("name", mk.name_fold), "k_tone": ("name", mk.name_tone),
                   "k_given": ("k_fold", mk.given_fold), "k_head": ("k_fold", mk.head_fold),
                   "k_given_tone": ("k_tone", mk.given_fold), "k_diac": ("name", mk.has_diacritics),
                   "k_year": ("dob", mk.birth_year), "k_swap": ("dob", mk.swap_day_month),
                   **{k: ("dob", fn) for k, fn in mk.DOB_KEYS.items()}}
        if key in simple:
            v = self.column(simple[key])
        elif key in derived:
            src, fn = derived[key]
            v = [fn(x) for x in self[src]]  # type: ignore
        else:
            raise KeyError(key)
        self[key] = v
        return v

    def subset(self, picked: list[int], column) -> "_Keys":
        """The keys of the rows at ``picked`` only (what is computed already is kept);
        ``column`` reads the source columns of those rows."""
        sub = _Keys(column, self.config)
        for k, v in self.items():
            sub[k] = [v[i] for i in picked]
        return sub


def _row_keys(rows: list[dict], config) -> _Keys:
    return _Keys(lambda col: _text(rows, col), config)


def _covered(config) -> bool:
    """Whether the shortcuts below reproduce ``prepare`` for this configuration (one name
    column, ``dd/mm/yyyy`` dates)."""
    return isinstance(config.name, str) and not config.dob_format


_KNOWN_KEYS = frozenset({"k_fold", "k_tone", "k_given", "k_head", "k_given_tone", "k_year", "k_swap", "dob",
                         "gender", "national_id", "phone", "group", *DOB_KEYS})


def candidate_records(rows: list[dict] | _Keys, config) -> list[int] | None:
    """Positions of the rows that share every key of some blocking rule with another row (the
    only rows the matcher can pair), in order; None when this cannot be worked out here.

    Each block of two or more rows (oversized ones too) lies wholly inside the result, so the
    matcher run on these rows alone makes the same blocks, and so the same pairs, as on all."""
    found = candidate_blocks(rows, config)
    return None if found is None else found[0]


def candidate_blocks(rows: list[dict] | _Keys, config) -> tuple[list[int], np.ndarray, np.ndarray] | None:
    """:func:`candidate_records` and the candidate pairs among those rows: what
    :func:`unionclean.match.matcher.candidate_pairs` returns for the table of the picked rows
    (positions in it, ``a < b``, sorted, blocks larger than ``max_block`` left out), worked out
    from the same blocks in plain Python; None when this cannot be worked out here.

    A unit has a few hundred rows and a handful of candidates: numpy's per-call cost would be
    most of the work (a tenth of a worker's time)."""
    if not _covered(config) or any(k not in _KNOWN_KEYS for rule in config.blocking for k in rule.keys):
        return None
    keys = rows if isinstance(rows, _Keys) else _row_keys(rows, config)
    keep: set[int] = set()
    rule_blocks = []
    for rule in config.blocking:
        blocks: dict[tuple, list[int]] = defaultdict(list)
        for i, combo in enumerate(zip(*(keys[k] for k in rule.keys))):
            if all(combo):
                blocks[combo].append(i)
        shared = [members for members in blocks.values() if len(members) > 1]
        for members in shared:
            keep.update(members)
        rule_blocks.append((rule, shared))
    picked = sorted(keep)
    if not picked:
        return picked, np.empty(0, np.int64), np.empty(0, np.int64)
    where = {i: j for j, i in enumerate(picked)}
    n = len(picked)
    group = keys["group"] if any(rule.same_group_only for rule in config.blocking) else None
    found: set[int] = set()
    for rule, shared in rule_blocks:
        for members in shared:  # positions in increasing order
            if len(members) > config.max_block:
                continue
            for x, i in enumerate(members):
                for j in members[x + 1:]:
                    if rule.same_group_only and group[i] != group[j]:  # type: ignore[index]
                        continue
                    found.add(where[i] * n + where[j])
    u = np.array(sorted(found), dtype=np.int64)
    return picked, u // n, u % n


def prepared_columns(rows: list[dict] | _Keys, config, ids: list | None = None,
                     locations: bool = True) -> dict[str, np.ndarray] | None:
    """What :func:`unionclean.match.matcher.prepare_columns` makes of ``pd.DataFrame(rows)``,
    built row by row from the same key functions (much cheaper for the few rows of one unit);
    None when the configuration is one this shortcut does not cover. With keys instead of rows,
    ``ids`` are the record ids. Without ``locations`` there is no ``loc`` column."""
    if isinstance(rows, _Keys):
        keys = rows
    else:
        if not _covered(config) or not rows or any(c not in rows[0] for c in config.required_columns()):
            return None  # prepare() itself names a missing column
        keys = _row_keys(rows, config)
        ids = [d[config.id] for d in rows]
    names = ["name", "dob", "k_fold", "k_tone", "k_given", "k_head", "k_given_tone", "k_diac", "k_year",
             "k_swap"]
    cols: dict[str, np.ndarray] = {"id": np.array(ids)}
    for k in names:
        cols[k] = np.array(keys[k], dtype=bool if k == "k_diac" else object)
    for role in ("gender", "national_id", "phone", "group"):
        cols[role] = np.array(keys[role], dtype=object)
    if locations and config.location:
        f, sh, r = (keys.column(c) for c in config.location)
        cols["loc"] = np.array([f"{a}|{b}|{c}" for a, b, c in zip(f, sh, r)], dtype=object)
    elif locations:
        cols["loc"] = np.array([str(i) for i in ids], dtype=object)  # type: ignore
    for c in config.evidence:
        v = keys.column(c)
        if v is not None:
            cols[c] = np.array(v, dtype=object)
    return cols


def prepared_frame(rows: list[dict], config) -> pd.DataFrame | None:
    """:func:`prepared_columns` as the DataFrame :func:`unionclean.match.matcher.prepare` returns."""
    from unionclean.match.matcher import columns_frame

    cols = prepared_columns(rows, config)
    return None if cols is None else columns_frame(cols)


class _RecordColumns:
    """``columns(name)`` over records, as :func:`_text` reads the rows of :func:`_frame_rows`
    (None for a column those rows do not have); each column is built once."""

    _OTHER = frozenset({"file", "sheet", "row", "unit", "raw_cccd"})

    def __init__(self, records: list[MemberRecord], unit: str = "") -> None:
        from unionclean.spec import MEMBER_FIELDS

        self.records, self.unit = records, unit
        self.fields = frozenset(MEMBER_FIELDS)
        self.made: dict[str | None, list[str] | None] = {}

    def has(self, col: str | None) -> bool:
        return not col or col in self.fields or col in self._OTHER

    def __call__(self, col: str | None) -> list[str] | None:
        if col not in self.made:
            self.made[col] = self._build(col)
        return self.made[col]

    def _build(self, col: str | None) -> list[str] | None:
        records = self.records
        if not col:
            return [""] * len(records)
        if col in self.fields:
            return [x.value.strip() if (x := r.res.get(col)) is not None else "" for r in records]
        if col == "file":
            return [str(r.loc.file).strip() for r in records]
        if col == "sheet":
            return ["" if r.loc.sheet is None else str(r.loc.sheet).strip() for r in records]
        if col == "row":
            return [str(r.loc.row).strip() for r in records]
        if col == "unit":
            return [self.unit] * len(records)
        if col == "raw_cccd":
            return [_raw_cccd(r).strip() for r in records]
        return None


#: Source fields the cross-unit report shows (besides the location): see
#: :func:`unionclean.match.crossunit.report_rows`.
REPORT_FIELDS = ("ho_ten", "ngay_sinh", "gioi_tinh", "so_cccd")


def unit_match_columns(records: list[MemberRecord], unit: str, config=None) -> dict[str, np.ndarray]:
    """One unit's share of the cross-unit table, computed in the worker that cleaned it: the
    matcher's prepared columns (:func:`unionclean.match.matcher.prepare_columns` of these
    records, ids 0..n-1) plus ``file``, ``sheet``, ``row``, ``unit`` and :data:`REPORT_FIELDS`.

    Workers compute the name keys in parallel; the parent only concatenates the units
    (:func:`concat_match_columns`)."""
    from unionclean.match import MatchConfig

    config = config or MatchConfig()
    column = _RecordColumns(records, unit)
    # No ``loc`` column: the matcher makes it from file, sheet and row if decisions need it.
    cols = prepared_columns(_Keys(column, config), config, list(range(len(records))), locations=False)
    cols["file"] = np.array([r.loc.file for r in records], dtype=object)  # type: ignore
    cols["sheet"] = np.array([r.loc.sheet for r in records], dtype=object)  # type: ignore
    cols["row"] = np.array([r.loc.row for r in records], dtype=np.int64)  # type: ignore
    cols["unit"] = np.array([unit] * len(records), dtype=object)  # type: ignore
    for f in REPORT_FIELDS:
        cols.setdefault(f, np.array(field_values(records, f), dtype=object))  # type: ignore
    return cols  # type: ignore


def concat_match_columns(parts: list[dict[str, np.ndarray]]) -> tuple[dict[str, np.ndarray], pd.DataFrame]:
    """The units' columns of :func:`unit_match_columns` as one prepared table (record ids
    0..n-1 in unit order) and the records table of the report (``rec_id``, location, unit and
    :data:`REPORT_FIELDS`)."""
    parts = [p for p in parts if len(p.get("id", ()))]
    if not parts:
        return {}, pd.DataFrame()
    cols = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    cols["id"] = np.arange(len(cols["id"]), dtype=np.int64)
    # Text columns stay numpy objects: pandas would otherwise copy 700,000 strings per column into
    # Arrow and back again when the report reads them (about a second on a province).
    table = pd.DataFrame({c: pd.Series(cols[c], dtype=object if cols[c].dtype == object else None, copy=False)
                          for c in ("id", "unit", "file", "sheet", "row", *REPORT_FIELDS)})
    table = table.rename(columns={"id": "rec_id"})
    return cols, table


def dedupe_records(out: "FileOutcome", records: list[MemberRecord], recipe: dict) -> list[MemberRecord]:
    """Merge certain within-unit duplicates; return the surviving records in source order.

    Only the rows that share a blocking key with another row go to the matcher: the others
    cannot be in any pair (see :func:`candidate_records`). Without such rows (and without
    decisions to replay) the matcher is not run at all. The matcher works on plain columns
    built from the records (no DataFrame for a unit of a few hundred rows)."""
    from unionclean.match import MatchConfig
    from unionclean.match.cluster import cluster_arrays
    from unionclean.match.matcher import pair_arrays
    from unionclean.spec import MEMBER_FIELDS

    if len(records) < 2:
        return records
    fields = [f for f in MEMBER_FIELDS if any(f in r.res for r in records[:50])] or list(MEMBER_FIELDS)
    config = MatchConfig(**(recipe.get("match") or {}))
    decisions = (recipe.get("decisions") or {}).get("pairs")
    column = _RecordColumns(records)
    ids = [r.rec_id for r in records]
    known: tuple[np.ndarray, np.ndarray] | None = None  # the candidate pairs, when worked out here
    if _covered(config) and config.id == "rec_id" and all(map(column.has, config.required_columns()[1:])):
        keys = _Keys(column, config)
        if not any((decisions or {}).values()):
            found = candidate_blocks(keys, config)
            if found is not None:
                picked, first, second = found
                if not picked:
                    return records
                keys = keys.subset(picked, _RecordColumns([records[i] for i in picked]))
                ids = [ids[i] for i in picked]
                known = (first, second)
        prepared = prepared_columns(keys, config, ids)
    else:  # a configuration the shortcut does not cover (prepare names a missing column)
        from unionclean.match.matcher import prepare_columns

        prepared = prepare_columns(records_frame(records, MEMBER_FIELDS), config)
    pairs = pair_arrays(prepared, config, decisions, candidates=known)
    by_id = {r.rec_id: r for r in records}
    order = {r.rec_id: i for i, r in enumerate(records)}
    for ra, rb, dec, label, score in zip(pairs["rec_a"].tolist(), pairs["rec_b"].tolist(),
                                         pairs["decision"].tolist(), pairs["level_label"].tolist(),
                                         pairs["score"].tolist()):
        if dec == "review":
            a, b = by_id[ra], by_id[rb]
            out.pairs.append({"loc_a": str(a.loc), "loc_b": str(b.loc), "level_label": str(label),
                              "score": float(score)})
            for x, y in ((a, b), (b, a)):
                out.review.append(ReviewItem(x.loc, "", "", "", "", "duplicate.possible",
                                             {"sheet": y.loc.sheet, "row": str(y.loc.row),
                                              "level": str(label), "score": f"{score:.0f}"},
                                             False, x.rec_id))
    clusters = cluster_arrays(pairs, auto_only=True)
    groups: dict[object, list[MemberRecord]] = defaultdict(list)
    for rid, cid in clusters.items():
        groups[cid].append(by_id[rid])  # type: ignore
    merged_away: set[int] = set()
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda r: order[r.rec_id])
        keep = _merge_into(members, fields, out)
        merged_away.update(r.rec_id for r in members if r is not keep)
        out.merged.append((keep, members))
    return [r for r in records if r.rec_id not in merged_away]


def _merge_into(members: list[MemberRecord], fields, out: "FileOutcome") -> MemberRecord:
    """Spec decision 4: each field from the first source row with a non-empty canonical value;
    disagreements keep the first and are recorded for review. A value that carries a (soft)
    flag, such as a name typed without diacritics, gives way to a later row's unflagged one."""
    keep = members[0]
    for f in fields:
        filled = [r for r in members if r.res.get(f) is not None and r.res[f].value]
        if not filled:
            continue
        first = next((r for r in filled if r.res[f].status is not Status.FLAGGED), filled[0])
        if f != "ghi_chu":
            for r in filled:
                if r is not first and r.res[f].value != first.res[f].value:
                    out.review.append(ReviewItem(r.loc, f, r.cols.get(f, ""), r.raw[f].text, first.res[f].value,
                                                 "duplicate.conflict",
                                                 {"sheet": first.loc.sheet, "row": str(first.loc.row)},
                                                 False, r.rec_id))
        if first is not keep:
            keep.res[f] = first.res[f]
            keep.raw[f] = first.raw[f]
            if keep.cols.get(f, "") != first.cols.get(f, ""):
                keep.cols = dict(keep.cols)  # the records of a sheet share one letters dict
                keep.cols[f] = first.cols.get(f, "")
    keep.merged_from = [r.loc for r in members]
    where = "; ".join(str(r.loc) for r in members)
    out.changes.append(Change(keep.loc, "", "", where, str(keep.loc), "duplicate.kept"))
    for r in members[1:]:
        out.review.append(ReviewItem(r.loc, "", "", "", "", "duplicate.merged",
                                     {"sheet": keep.loc.sheet, "row": str(keep.loc.row)}, False, r.rec_id))
    return keep
