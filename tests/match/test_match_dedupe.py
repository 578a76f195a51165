"""Vetoes, clustering, the merge rule, decisions replay, within-unit dedupe, generated truth."""
from __future__ import annotations

import pandas as pd

from matchgen import generate, true_pairs
from unionclean.match.cluster import cluster
from unionclean.match.config import MatchConfig
from unionclean.match.matcher import find_pairs
from unionclean.match.merge import merge_cluster
from unionclean.match.within import dedupe_within_unit


def _df(rows: list[tuple]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["rec_id", "sheet", "row", "ho_ten", "ngay_sinh", "gioi_tinh",
                                     "so_cccd", "so_dien_thoai"])
    df["unit"], df["file"] = "U", "u.xlsx"
    for c in ("dan_toc", "email", "que_quan", "ngay_vao_cong_doan", "ghi_chu"):
        df[c] = ""
    return df


def test_cccd_veto_holds_through_transitivity():
    # 1 and 3 carry different CCCDs; 2 (no CCCD) matches both: 1–3 must never join.
    df = _df([(1, "S", 5, "Nguyễn Văn An", "01/02/1990", "Nam", "001090000001", ""),
              (2, "S", 6, "Nguyễn Văn An", "01/02/1990", "Nam", "", ""),
              (3, "S", 7, "Nguyễn Văn An", "01/02/1990", "Nam", "001090000002", "")])
    pairs = find_pairs(df)
    assert set(pairs.loc[pairs["decision"] == "merge", "rec_b"]) <= {2, 3}
    ids = dict(zip(df["rec_id"], df["so_cccd"]))
    cl = cluster(pairs, national_ids=ids)
    assert cl.get(1) != cl.get(3) or 1 not in cl
    assert len(set(cl.values())) == 1 and len(cl) == 2  # 2 joins exactly one of them
    res = dedupe_within_unit(df)
    assert len(res.records) == 2


def test_cluster_transitive():
    pairs = pd.DataFrame({"rec_a": [1, 2, 5], "rec_b": [2, 3, 6],
                          "decision": ["merge", "merge", "review"],
                          "level_rank": [4, 5, 7], "score": [100.0, 95.0, 85.0]})
    assert cluster(pairs) == {1: 1, 2: 1, 3: 1}
    assert cluster(pairs, auto_only=False) == {1: 1, 2: 1, 3: 1, 5: 5, 6: 5}


def test_cluster_respects_keep_apart():
    pairs = pd.DataFrame({"rec_a": [1, 2, 1], "rec_b": [2, 3, 3],
                          "decision": ["merge", "merge", "keep_apart"],
                          "level_rank": [4, 4, 1], "score": [100.0, 100.0, 100.0]})
    cl = cluster(pairs)
    assert cl[1] != cl.get(3)


def test_merge_rule_first_non_empty_in_sheet_row_order():
    df = _df([(10, "Tổ 2", 5, "Lê Thị Hòa", "05/06/1985", "Nữ", "001185000002", "0987000002"),
              (11, "Tổ 1", 9, "Lê Thị Hoà", "05/06/1985", "", "", "0912000001"),
              (12, "Tổ 1", 7, "Lê Thị Hoà", "", "Nữ", "", "")])
    # Sheet order is the order of first appearance: "Tổ 2" before "Tổ 1".
    rec, conflicts = merge_cluster(df, [10, 11, 12])
    assert rec["rec_id"] == 10 and rec["sheet"] == "Tổ 2" and rec["row"] == 5
    assert rec["ho_ten"] == "Lê Thị Hòa"
    assert rec["so_cccd"] == "001185000002" and rec["gioi_tinh"] == "Nữ"
    assert ("ho_ten", "Lê Thị Hòa", "Lê Thị Hoà", 12) in conflicts
    assert ("so_dien_thoai", "0987000002", "0912000001", 11) in conflicts
    # Within one sheet, row order decides: 12 (row 7) before 11 (row 9).
    rec2, conflicts2 = merge_cluster(df, [11, 12])
    assert rec2["rec_id"] == 12 and rec2["so_dien_thoai"] == "0912000001"
    assert rec2["gioi_tinh"] == "Nữ" and rec2["ngay_sinh"] == "05/06/1985"
    assert conflicts2 == []


def test_within_unit_merge_and_review():
    df = _df([(1, "S1", 5, "Nguyễn Văn Hùng", "01/02/1990", "Nam", "001090000001", "0912000001"),
              (2, "S2", 5, "Nguyễn Văn Hùnh", "01/02/1990", "Nam", "", "0987000002"),
              (3, "S1", 6, "Nguyễn Văn Hưng", "01/02/1990", "Nam", "", ""),
              (4, "S1", 7, "Trần An", "01/01/1980", "Nam", "", "")])
    res = dedupe_within_unit(df)
    assert res.merged_away == [2]
    assert [m.rec_ids for m in res.merges] == [[1, 2]]
    m = res.merges[0]
    assert m.locations == ["u.xlsx|S1|5", "u.xlsx|S2|5"]
    assert m.sources["so_cccd"] == 1
    assert (1, "so_dien_thoai", "0912000001", "0987000002", 2) in res.conflicts
    assert res.records["rec_id"].tolist() == [1, 3, 4]
    # Hùng/Hưng: one review pair between the two people, never merged.
    assert res.review[["rec_a", "rec_b", "level"]].values.tolist() == [[1, 3, "diacritics_differ"]]


def test_decisions_replayed():
    df = _df([(1, "S1", 5, "Nguyễn Văn Hùng", "01/02/1990", "Nam", "", ""),
              (2, "S1", 6, "Nguyễn Văn Hưng", "01/02/1990", "Nam", "", ""),
              (3, "S2", 5, "Lê Thị Mai", "03/03/1993", "Nữ", "", ""),
              (4, "S2", 6, "Lê Thị Mai", "03/03/1993", "Nữ", "", "")])
    decisions = {"merge": [["u.xlsx|S1|5", "u.xlsx|S1|6"]],
                 "keep_apart": [["u.xlsx|S2|5", "u.xlsx|S2|6"]]}
    pairs = find_pairs(df, decisions=decisions).set_index(["rec_a", "rec_b"])
    assert pairs.loc[(1, 2), "decision"] == "merge"
    assert pairs.loc[(1, 2), "reason"] == "match.decision.merge"
    assert pairs.loc[(3, 4), "decision"] == "keep_apart"
    res = dedupe_within_unit(df, decisions=decisions)
    assert res.merged_away == [2]
    assert res.review.empty
    # A decision on a pair that blocking never proposes is still applied.
    far = {"merge": [["u.xlsx|S1|5", "u.xlsx|S2|5"]]}
    p2 = find_pairs(df, decisions=far).set_index(["rec_a", "rec_b"])
    assert p2.loc[(1, 3), "decision"] == "merge"


def test_generated_truth_precision_recall():
    df, truth = generate(n_people=400, n_units=4, within=0.08, cross=0.05, seed=3)
    cfg = MatchConfig()
    pairs = find_pairs(df, cfg)
    auto = set(map(tuple, pairs.loc[pairs["decision"] == "merge", ["rec_a", "rec_b"]].values))
    found = set(map(tuple, pairs.loc[pairs["decision"].isin(["merge", "review"]),
                                     ["rec_a", "rec_b"]].values))
    truth_pairs = true_pairs(truth)
    assert truth_pairs, "generator made no duplicates"
    unit = dict(zip(df["rec_id"], df["unit"]))
    within = {(a, b) for a, b in truth_pairs if unit[a] == unit[b]}
    precision = len(auto & truth_pairs) / max(len(auto), 1)
    # Copies across units have another phone and no CCCD here: review, not auto (by design).
    recall_auto = len(auto & within) / len(within)
    recall_any = len(found & truth_pairs) / len(truth_pairs)
    assert precision == 1.0
    assert recall_auto >= 0.9
    assert recall_any == 1.0


def test_empty_and_single_row_tables():
    empty = _df([])
    assert find_pairs(empty).empty
    assert dedupe_within_unit(empty).records.empty
    one = _df([(1, "S", 5, "Nguyễn Văn An", None, "Nam", None, "")])
    assert find_pairs(one).empty
    assert dedupe_within_unit(one).records["rec_id"].tolist() == [1]
