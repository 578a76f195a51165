"""The fast paths give what the reference paths give: the skeleton-filled review workbook reads
back like the xlsxwriter one, and the within-unit dedupe's pre-blocking finds the same pairs as
the matcher on the whole unit."""
import re
import zipfile
from datetime import date

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unionclean.dedupe import _frame_rows, candidate_blocks, candidate_records, prepared_columns, prepared_frame
from unionclean.export.review import write_review, write_review_reference
from unionclean.match import MatchConfig, find_pairs
from unionclean.match.config import DEFAULT_BLOCKING, BlockingRule
from unionclean.match.matcher import PAIR_COLUMNS, candidate_pairs, prepare
from unionclean.model import Cell, Location, Result, Status
from unionclean.records import MemberRecord, ReviewItem
from unionclean.spec import MEMBER_FIELDS, load_spec

TODAY = date(2026, 11, 1)


def _record(i: int, row: int, **values: str) -> MemberRecord:
    r = MemberRecord(i, Location("u.xlsx", "DS", row))
    for f, v in values.items():
        r.raw[f] = Cell(v)
        r.res[f] = Result(v, Status.OK) if v else Result("", Status.MISSING)
    return r


def _review_case(escaped: bool = False):
    odd = ("a\x07b@x.vn", "_x0041_ Lê Văn C") if escaped else ("a b@x.vn", "Lê  Văn C ")
    recs = {1: _record(1, 5, ho_ten="Nguyễn Văn An", ngay_sinh="05/01/1976", so_cccd=""),
            2: _record(2, 6, ho_ten=" Trần <Thị> & \"Bé\" ", ngay_sinh="", email=odd[0]),
            3: _record(3, 9, ho_ten=odd[1])}
    items = [
        ReviewItem(Location("u.xlsx", "DS", 5), "so_cccd", "E", "79215000000", "079215000000",
                   "cccd.leading_zero_missing", {}, True, 1),
        ReviewItem(Location("u.xlsx", "DS", 6), "email", "M", odd[0], "", "email.invalid", {}, False, 2),
        ReviewItem(Location("u.xlsx", "DS", 6), "", "", "", "", "layout.hidden_row", {}, False, 2),
        ReviewItem(Location("u.xlsx", "DS", 9), "ho_ten", "B", odd[1], "", "name.not_vietnamese",
                   {}, False, 3),
        ReviewItem(Location("u.xlsx", "DS", 12), "", "", "", "", "layout.suspicious_row", {"why": "x"}, True),
    ]
    return items, recs


def _read_back(path):
    wb = openpyxl.load_workbook(path)
    sheets = {}
    for ws in wb.worksheets:
        cells = [[(c.value, c.data_type, c.number_format, c.fill.fgColor.rgb, c.font.b) for c in row]
                 for row in ws.iter_rows()]
        sheets[ws.title] = (cells, ws.freeze_panes, ws.auto_filter.ref, ws.dimensions, ws.sheet_state,
                            {k: d.width for k, d in ws.column_dimensions.items()})
    names = re.findall(r"<definedName.*?</definedName>", zipfile.ZipFile(path).read("xl/workbook.xml").decode())
    return sheets, names


@pytest.mark.parametrize("escaped", [False, True])
@pytest.mark.parametrize("unit_name", ["Công ty A & B <1>", ""])
@pytest.mark.parametrize("n_items", [5, 0])
def test_fast_review_reads_back_like_the_reference_writer(tmp_path, unit_name, n_items, escaped):
    spec = load_spec()
    items, recs = _review_case(escaped)
    fast, ref = tmp_path / "fast.xlsx", tmp_path / "ref.xlsx"
    assert write_review(fast, spec, items[:n_items], recs, created=TODAY, unit_name=unit_name) == n_items
    write_review_reference(ref, spec, items[:n_items], recs, created=TODAY, unit_name=unit_name)
    assert _read_back(fast) == _read_back(ref)


def test_fast_review_is_byte_reproducible(tmp_path):
    spec = load_spec()
    items, recs = _review_case()
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_review(a, spec, items, recs, created=TODAY, unit_name="U")
    write_review(b, spec, items, recs, created=TODAY, unit_name="U")
    assert a.read_bytes() == b.read_bytes()


NAMES = ["Nguyễn Văn An", "Nguyễn Văn Ân", "NGUYEN VAN AN", "Võ Thị Hoà", "Vũ Thị Hòa", "Trần Văn Hùng",
         "Trần Văn Hưng", "Lê Thị Hoa", "", "Lê Thi Hoa", " Lê Thị  Hoa "]
DOBS = ["05/01/1976", "01/05/1976", "05/01/1977", "", "12/11/1990"]
member = st.fixed_dictionaries({
    "ho_ten": st.sampled_from(NAMES), "ngay_sinh": st.sampled_from(DOBS),
    "gioi_tinh": st.sampled_from(["Nam", "Nữ", ""]),
    "so_cccd": st.sampled_from(["", "", "001076000001", "001076000002"]),
    "so_dien_thoai": st.sampled_from(["", "", "", "0912345678"]),
    "email": st.sampled_from(["", "a@x.vn"]), "unit": st.sampled_from(["", "U1", "U2"])})


def _pairs(df: pd.DataFrame, config: MatchConfig) -> list:
    return find_pairs(df, config)[PAIR_COLUMNS].values.tolist()


def _fast_pairs(rows: list[dict], config: MatchConfig) -> list:
    return find_pairs(pd.DataFrame(rows), config, prepared=prepared_frame(rows, config))[PAIR_COLUMNS].values.tolist()


_BY_YEAR_IN_UNIT = (BlockingRule("year", ("k_year",), same_group_only=True), *DEFAULT_BLOCKING)


@settings(max_examples=60, deadline=None)
@given(st.lists(member, min_size=2, max_size=30), st.sampled_from([{}, {"max_block": 3}, {"dob": None},
                                                                    {"phone": None, "location": None},
                                                                    {"blocking": _BY_YEAR_IN_UNIT, "max_block": 4}]))
def test_matching_only_the_candidate_rows_finds_the_same_pairs(people, options):
    rows = [dict({f: "" for f in MEMBER_FIELDS}, **p, rec_id=i, file="u.xlsx", sheet="DS", row=i + 5,
                 raw_cccd="") for i, p in enumerate(people)]
    config = MatchConfig(**options)
    picked = candidate_records(rows, config)
    assert picked is not None
    everyone = _pairs(pd.DataFrame(rows), config)
    if not picked:
        assert everyone == []
    else:
        assert _fast_pairs([rows[i] for i in picked], config) == everyone
        # The candidate pairs worked out from the blocks are the matcher's own.
        found = candidate_blocks(rows, config)
        assert found is not None and found[0] == picked
        expected = candidate_pairs(prepared_columns([rows[i] for i in picked], config), config)
        assert [x.tolist() for x in found[1:]] == [x.tolist() for x in expected]
        assert found[1].dtype == expected[0].dtype
    pd.testing.assert_frame_equal(prepared_frame(rows, config), prepare(pd.DataFrame(rows), config))


def test_candidate_rows_of_a_unit_without_namesakes_are_none():
    recs = [_record(1, 5, ho_ten="Nguyễn Văn An", ngay_sinh="05/01/1976"),
            _record(2, 6, ho_ten="Lê Thị Hoa", ngay_sinh="05/01/1976"),
            _record(3, 7, ho_ten="Lê Thị Hoa", ngay_sinh="")]
    rows = _frame_rows(recs, MEMBER_FIELDS)
    assert candidate_records(rows, MatchConfig()) == []
    rows[2]["ngay_sinh"] = "06/07/1980"
    recs[2].res["ngay_sinh"] = Result("05/01/1976", Status.OK)
    assert candidate_records(_frame_rows(recs, MEMBER_FIELDS), MatchConfig()) == [1, 2]


def test_pair_decisions_reach_the_cross_unit_table_without_its_loc_column():
    """Workers do not send ``loc``; a decision naming two units' rows still applies."""
    from unionclean.dedupe import concat_match_columns, unit_match_columns
    from unionclean.match.matcher import find_pairs

    person = dict(ho_ten="Lê Thị Hoa", ngay_sinh="02/03/1985", gioi_tinh="Nữ", so_cccd="001185000123")
    parts = []
    for unit, where in (("CĐ A", Location("a.xlsx", "DS", 5)), ("CĐ B", Location("b.csv", "", 9))):
        r = _record(0, 1, **person)
        r.loc = where
        parts.append(unit_match_columns([r], unit))
    cols, _ = concat_match_columns(parts)
    assert "loc" not in cols
    assert find_pairs(None, MatchConfig(), prepared=cols)["decision"].tolist() == ["merge"]
    apart = {"keep_apart": [["a.xlsx|DS|5", "b.csv||9"]]}
    got = find_pairs(None, MatchConfig(), apart, prepared=cols)
    assert got[["decision", "reason"]].values.tolist() == [["keep_apart", "match.decision.keep_apart"]]


def test_normalising_through_the_shared_memo_equals_each_cell_on_its_own():
    from unionclean.normalize.base import Context
    from unionclean.normalize.registry import get_normalizer
    from unionclean.pipeline import normalise_column

    cells = [Cell("05/01/1976"), Cell("1976-01-05", "d", date(1976, 1, 5)), Cell("5-1-1976"), Cell(""),
             Cell("27000", "n", 27000), Cell("27000"), Cell("05/01/1976", font=".VnTime")]
    ctx = Context(today=TODAY)
    for _ in range(2):  # the second pass is served from the memo the first one filled
        recs = []
        for i, c in enumerate(cells * 3):
            r = MemberRecord(i, Location("u.xlsx", "DS", i))
            r.raw["ngay_sinh"] = c
            recs.append(r)
        normalise_column(recs, "ngay_sinh", "date", ctx, None)
        assert [r.res["ngay_sinh"] for r in recs] == [get_normalizer("date")(c, ctx) for c in cells * 3]


@settings(max_examples=40, deadline=None)
@given(st.lists(member, min_size=1, max_size=12), st.lists(member, min_size=0, max_size=12))
def test_units_keys_computed_in_workers_equal_the_matchers_own(unit_a, unit_b):
    from unionclean.dedupe import concat_match_columns, unit_match_columns
    from unionclean.match.matcher import _locations, prepare_columns

    parts, rows = [], []
    for unit, people in (("U1", unit_a), ("U2", unit_b)):
        recs = [_record(i, i + 5, **{k: v for k, v in p.items() if k != "unit"}) for i, p in enumerate(people)]
        for r in recs:
            r.loc = Location(f"{unit}.xlsx", "DS", r.loc.row)
        parts.append(unit_match_columns(recs, unit))
        rows += [dict({f: r.value(f) for f in MEMBER_FIELDS}, unit=unit, file=r.loc.file, sheet=r.loc.sheet,
                      row=r.loc.row) for r in recs]
    cols, table = concat_match_columns(parts)
    df = pd.DataFrame(rows)
    df.insert(0, "rec_id", range(len(df)))
    want = prepare_columns(df, MatchConfig())
    assert "loc" not in cols  # not sent by the workers: made again where decisions need it
    assert _locations(cols, MatchConfig()).tolist() == want.pop("loc").tolist()
    for k, v in want.items():
        assert cols[k].tolist() == v.tolist(), k
    assert table["rec_id"].tolist() == df["rec_id"].tolist()
    assert table["ho_ten"].tolist() == df["ho_ten"].tolist()
