"""The instructor's flow: class list → class set → trainees check → scoreboard."""
from __future__ import annotations

import json

import pandas as pd

from unionclean.training import check, collect_scoreboard, make_class_set, progress, read_names, write_scoreboard
from unionclean.training.practice import prepare

from training_solutions import solve


def test_class_set_and_scoreboard(tmp_path):
    names = tmp_path / "lop.csv"
    names.write_text("STT,Họ và tên,Tuyến\n1,Nguyễn Văn An,co_so\n2,Trần Thị Bình,\n3,Lê Văn Cường,cap_tren\n",
                     encoding="utf-8-sig")
    assert read_names(names)[1] == ("Trần Thị Bình", "")
    folder = tmp_path / "lop"
    roster = make_class_set(names, folder, track="co_so")
    assert list(roster["Tuyến"]) == ["co_so", "co_so", "cap_tren"]
    assert (folder / "nguyen_van_an" / "06_doc_phieu_ra_soat" / "bai06.xlsx").exists()
    assert not (folder / "nguyen_van_an" / "07_nhieu_don_vi").exists()
    assert (folder / "le_van_cuong" / "10_bao_cao_chat_luong" / "don_vi").is_dir()

    # An (co_so) solves exercise 4 right and exercise 1 wrong; Cường solves exercise 4 right.
    p = prepare("Nguyễn Văn An", "04_vi_sao_giu_lai", work=folder)
    check(p, **solve(p, True))
    p = prepare("Nguyễn Văn An", "01_chay_lam_sach", work=folder)
    check(p, **solve(p, False))
    p = prepare("Lê Văn Cường", "04_vi_sao_giu_lai", work=folder, track="cap_tren")
    check(p, **solve(p, True))

    doc = json.loads((folder / "nguyen_van_an" / "tien_do.json").read_text(encoding="utf-8"))
    assert doc["hoc_vien"] == "Nguyễn Văn An" and set(doc) == {"hoc_vien", "tuyen", "bai"}
    assert doc["bai"]["04_vi_sao_giu_lai"]["dat"] is True

    board = collect_scoreboard(folder).set_index("Họ và tên")
    assert list(board.index) == ["Lê Văn Cường", "Nguyễn Văn An", "Trần Thị Bình"]
    assert board.loc["Nguyễn Văn An", "Bài 4"] == 100
    assert 0 < board.loc["Nguyễn Văn An", "Bài 1"] < 100
    assert pd.isna(board.loc["Nguyễn Văn An", "Bài 9"])
    assert board.loc["Lê Văn Cường", "Số bài phải làm"] == 10
    assert board.loc["Trần Thị Bình", "Số bài đạt"] == 0
    out = write_scoreboard(board.reset_index(), tmp_path / "bang_diem.xlsx")
    assert pd.read_excel(out, sheet_name="Bảng điểm", engine="calamine").shape[0] == 3

    prog = progress("Nguyễn Văn An", "co_so", work=folder)
    assert prog.done == 1 and len(prog.table) == 6
    assert "đã đạt 1/6 bài" in prog.summary()


def test_scoreboard_collects_copies_from_trainee_machines(tmp_path):
    machine = tmp_path / "nop_bai" / "may_07"
    p = prepare("Phạm Thu Hà", "04_vi_sao_giu_lai", work=machine)
    check(p, **solve(p, True))
    board = collect_scoreboard(tmp_path / "nop_bai")
    assert board.loc[0, "Họ và tên"] == "Phạm Thu Hà" and board.loc[0, "Bài 4"] == 100


def test_duplicate_folder_names_are_refused(tmp_path):
    import pytest

    with pytest.raises(ValueError, match="share the folder"):
        make_class_set(["Nguyễn Văn An", "Nguyen Van An"], tmp_path)
