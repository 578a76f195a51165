"""Workbook layouts of grassroots unit files, and writing them (xlsx via xlsxwriter, or CSV).

A layout is a plain dict of choices (sheets, header rows, column set and order, title block,
footers, encodings …) drawn from the unit's random generator; :func:`write_sheets` writes the
prepared source rows under it and returns where each member row landed.
"""
from __future__ import annotations

import csv
import io
import random
import unicodedata
from datetime import date, datetime, timedelta

from unionclean.synth.mess import cell_text, encode_legacy, legacy_scheme

__all__ = ["HEADERS", "encode_cp1258", "EXTRAS", "choose_layout", "build_columns", "col_letter", "write_sheets",
           "make_extra", "Column"]

#: Header wording variants per field (first = most common).
HEADERS: dict[str, list[str]] = {
    "stt": ["STT", "TT", "Số TT", "STT"],
    "ho_ten": ["Họ và tên", "HỌ VÀ TÊN", "Họ tên", "HỌ TÊN", "Ho ten", "Họ tên đoàn viên",
               "Họ và tên đoàn viên"],
    "ngay_sinh": ["Ngày sinh", "NGÀY SINH", "Năm sinh", "Ngày tháng năm sinh", "Ngày, tháng, năm sinh",
                  "Sinh ngày"],
    "gioi_tinh": ["Giới tính", "GT", "Nam/Nữ", "Giới"],
    "so_cccd": ["Số CMND/CCCD", "CCCD", "Số CCCD", "Số định danh", "CMND/CCCD", "Số CCCD/CMND"],
    "dan_toc": ["Dân tộc", "DT", "Dân Tộc"],
    "ton_giao": ["Tôn giáo", "TG"],
    "que_quan": ["Quê quán", "Nguyên quán", "Quê quán (tỉnh)"],
    "noi_o_hien_nay": ["Nơi ở hiện nay", "Chỗ ở hiện nay", "Địa chỉ", "Nơi ở"],
    "trinh_do_van_hoa": ["Trình độ văn hóa", "TĐVH", "Văn hóa"],
    "trinh_do_chuyen_mon": ["Trình độ chuyên môn", "Chuyên môn", "TĐCM"],
    "ly_luan_chinh_tri": ["Lý luận chính trị", "LLCT", "Chính trị"],
    "nghe_nghiep": ["Nghề nghiệp", "Công việc đang làm", "Chức danh nghề"],
    "chuc_vu_cong_doan": ["Chức vụ công đoàn", "Chức vụ CĐ", "Chức vụ"],
    "ngay_vao_cong_doan": ["Ngày vào công đoàn", "Ngày vào CĐ", "Ngày kết nạp", "Ngày vào Công đoàn"],
    "so_dien_thoai": ["Số điện thoại", "SĐT", "Điện thoại", "ĐT"],
    "email": ["Email", "E-mail", "Thư điện tử"],
    "ghi_chu": ["Ghi chú", "GHI CHÚ"],
}
#: Sub-headers of split fields (one-row header variant, two-row sub-header variant).
PARTS: dict[str, list[tuple[str, str]]] = {
    "ho_ten": [("Họ và tên đệm", "Họ và tên đệm"), ("Tên", "Tên")],
    "ngay_sinh": [("Ngày sinh", "Ngày"), ("Tháng sinh", "Tháng"), ("Năm sinh", "Năm")],
    "gioi_tinh": [("Nam", "Nam"), ("Nữ", "Nữ")],
}
GROUPS = {"ho_ten": "Họ và tên", "ngay_sinh": "Ngày sinh", "gioi_tinh": "Giới tính",
          "trinh_do": "Trình độ", "lien_he": "Liên hệ"}
EXTRAS: dict[str, str] = {
    "ngay_cap": "Ngày cấp", "noi_cap": "Nơi cấp", "ngay_vao_lam": "Ngày vào làm",
    "so_bhxh": "Số sổ BHXH", "ma_nv": "Mã NV", "phong_ban": "Phòng ban",
    "so_the": "Số thẻ đoàn viên", "ngay_vao_dang": "Ngày vào Đảng",
}
OPTIONAL = ("ton_giao", "que_quan", "noi_o_hien_nay", "trinh_do_van_hoa", "trinh_do_chuyen_mon",
            "ly_luan_chinh_tri", "nghe_nghiep", "chuc_vu_cong_doan", "so_dien_thoai", "email",
            "ghi_chu")
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]
_BAD_SHEET = str.maketrans({c: " " for c in "[]:*?/\\"})


class Column(tuple):
    """(field or extra key, part index or None, sub header, group header or None)."""

    __slots__ = ()

    def __new__(cls, key: str, part: int | None, header: str, group: str | None = None):
        return super().__new__(cls, (key, part, header, group))

    key = property(lambda s: s[0])
    part = property(lambda s: s[1])
    header = property(lambda s: s[2])
    group = property(lambda s: s[3])


def col_letter(i: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def choose_layout(rng: random.Random, fmt: str, n_members: int, teams: list[str],
                  overrides: dict | None = None) -> dict:
    """Draw the layout choices of one unit file (``overrides`` wins over the draw)."""
    xlsx = fmt == "xlsx"
    n_teams = max(2, min(len(teams), n_members // 25 + 1))
    mode = rng.choices(["flat", "groups", "per_team"], [4, 3, 4 if xlsx else 0])[0]
    enc = None
    if xlsx:
        enc = rng.choices([None, "tcvn3", "vni", "mixed:tcvn3", "mixed:vni"], [60, 10, 7, 14, 9])[0]
    lay = {
        "format": fmt,
        "sheets_mode": mode,
        "teams": rng.sample(teams, k=n_teams) if mode != "flat" else [],
        "name_mode": "split2" if rng.random() < 0.15 else "single",
        "gender_mode": "x" if rng.random() < 0.2 else "single",
        "dob3": rng.random() < 0.06,
        "header_rows": 2 if rng.random() < 0.45 else 1,
        "column_number_row": rng.random() < 0.2,
        "title_rows": rng.choice([0, 0, 2, 3, 4, 5, 6]),
        "footer": rng.random() < 0.6,
        "blank_rows": rng.random() < 0.3,
        "subtotals": mode == "groups" and rng.random() < 0.5,
        "stt_dot": rng.random() < 0.15,
        "shuffle": rng.random() < 0.6,
        "encoding": enc,
        "font": rng.choice(["Times New Roman", "Times New Roman", "Arial", None]),
        "summary_sheet": xlsx and rng.random() < 0.15,
        "hidden_sheet": xlsx and rng.random() < 0.25,
        "present": [f for f in OPTIONAL if rng.random() < 0.85],
        "extras": rng.sample(sorted(EXTRAS), k=rng.randint(0, 3)),
        "csv_encoding": rng.choices(["utf-8-sig", "utf-8", "utf-16", "cp1258"], [6, 2, 1, 1])[0],
        "sheet_name": rng.choice(["DSDV", "Sheet1", "Danh sách", "Danh sach", "DS đoàn viên"]),
    }
    if overrides:
        lay.update(overrides)
    if lay["sheets_mode"] == "per_team" and not xlsx:
        lay["sheets_mode"] = "groups"
    if lay["sheets_mode"] != "flat" and not lay["teams"]:
        lay["teams"] = rng.sample(teams, k=n_teams)
    return lay


def _header(rng: random.Random, key: str) -> str:
    h = rng.choice(HEADERS[key])
    return h.upper() if rng.random() < 0.1 else h


def build_columns(rng: random.Random, lay: dict) -> list[Column]:
    """The sheet's columns in order: STT, name, then the other blocks (maybe shuffled)."""
    two = lay["header_rows"] == 2
    present = set(lay["present"])

    def split_block(field: str, n: int) -> list[Column]:
        grp = None
        if two:
            grp = {"ho_ten": "Họ và tên", "gioi_tinh": "Giới tính"}.get(field) or \
                rng.choice(["Ngày sinh", "Ngày tháng năm sinh"])
        return [Column(field, i, PARTS[field][i][1 if two else 0], grp) for i in range(n)]

    def single(field: str) -> list[Column]:
        return [Column(field, None, _header(rng, field))]

    name = split_block("ho_ten", 2) if lay["name_mode"] == "split2" else single("ho_ten")
    dob = split_block("ngay_sinh", 3) if lay["dob3"] else single("ngay_sinh")
    gender = split_block("gioi_tinh", 2) if lay["gender_mode"] == "x" else single("gioi_tinh")
    blocks: list[list[Column]] = [dob, gender]
    singles = ["so_cccd", "dan_toc", "ton_giao", "que_quan", "noi_o_hien_nay", "nghe_nghiep",
               "chuc_vu_cong_doan", "ngay_vao_cong_doan", "ghi_chu"]
    levels = [f for f in ("trinh_do_van_hoa", "trinh_do_chuyen_mon", "ly_luan_chinh_tri") if f in present]
    contact = [f for f in ("so_dien_thoai", "email") if f in present]
    for group, fields in (("Trình độ", levels), ("Liên hệ", contact)):
        if two and len(fields) > 1 and rng.random() < 0.6:
            blocks.append([Column(f, None, _header(rng, f), group) for f in fields])
        else:
            singles += fields
    for f in singles:
        if f in present or f in ("so_cccd", "dan_toc", "ngay_vao_cong_doan"):
            blocks.append([Column(f, None, _header(rng, f))])
    for x in lay["extras"]:
        blocks.append([Column("x:" + x, None, EXTRAS[x])])
    if lay["shuffle"]:
        rng.shuffle(blocks)
    cols = [Column("stt", None, _header(rng, "stt")), *name]
    for b in blocks:
        cols += b
    return cols


# -- writing ---------------------------------------------------------------------------------------
_FONTS = {"tcvn3": ".VnTime", "tcvn3h": ".VnTimeH", "vni": "VNI-Times"}


class _Formats:
    """xlsxwriter formats cached by (font, num_format, bold)."""

    def __init__(self, wb, font: str | None) -> None:
        self.wb, self.font, self.cache = wb, font, {}

    def get(self, font: str | None = None, num: str | None = None, bold: bool = False, center: bool = False):
        font = font or self.font
        key = (font, num, bold, center)
        f = self.cache.get(key)
        if f is None:
            props: dict = {}
            if font:
                props["font_name"] = font
            if num:
                props["num_format"] = num
            if bold:
                props["bold"] = True
            if center:
                props.update(align="center", valign="vcenter", text_wrap=True)
            f = self.cache[key] = self.wb.add_format(props) if props else None
        return f


def make_extra(rng: random.Random, key: str, m: dict, csv_mode: bool, teams: list[str]):
    if key in ("ngay_cap", "ngay_vao_lam", "ngay_vao_dang"):
        if key == "ngay_vao_dang" and rng.random() < 0.8:
            return ("s", "", None)
        d = date(2016, 1, 1) + timedelta(days=rng.randrange(3200))
        if csv_mode or rng.random() < 0.4:
            return ("s", f"{d.day:02d}/{d.month:02d}/{d.year}", None)
        return ("d", datetime(d.year, d.month, d.day), "dd/mm/yyyy")
    if key == "noi_cap":
        return ("s", rng.choice(["Cục CS QLHC về TTXH", "Công an tỉnh", "CA TP"]), None)
    if key == "so_bhxh":
        v = rng.randrange(10**9, 10**10)
        return ("s", str(v), None) if csv_mode else ("n", v, None)
    if key == "ma_nv":
        return ("s", f"NV{rng.randrange(10**5):05d}", None)
    if key == "phong_ban":
        return ("s", rng.choice(["Hành chính", "Kế toán", "Sản xuất", "Kho", *teams[:2]]), None)
    if key == "so_the":
        return ("s", f"{rng.randrange(10**7, 10**8)}", None)
    return ("s", "", None)


def write_sheets(path, lay: dict, cols: list[Column], sheets: list[tuple[str, list]],
                 rng: random.Random, titles: list[str], footer: list[list[str]],
                 summary: list[list] | None, code_lists: dict[str, list[str]] | None) -> dict:
    """Write the file and return, per sheet, the manifest entry plus each member row's row number.

    ``sheets`` is ``[(sheet name, items)]`` where an item is ``("member", cells, legacy, ref)``
    (``cells``: column key/part → source cell; ``legacy``: None/"tcvn3"/"vni"; ``ref``: opaque
    handle returned with the row number), ``("group", text, roman)``, ``("subtotal", n)`` or
    ``("blank",)``.
    """
    if lay["format"] == "csv":
        return _write_csv(path, lay, cols, sheets, rng, titles, footer)
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                                         "strings_to_urls": False, "nan_inf_to_errors": True})
    wb.set_properties({"created": datetime(2025, 6, 1, 8, 0, 0), "author": "", "title": ""})
    whole = lay["encoding"] if lay["encoding"] in ("tcvn3", "vni") else None
    fm = _Formats(wb, _FONTS[whole] if whole else lay["font"])
    keys = [c[0] if c[1] is None else (c[0], c[1]) for c in cols]
    ncol = len(cols)
    two = lay["header_rows"] == 2

    plain = lay["font"] or "Calibri"
    f_default, f_plain = fm.get(), fm.get(plain)
    f_legacy = {k: fm.get(v) for k, v in _FONTS.items()}

    def enc(text: str, scheme: str | None) -> tuple[str, str | None]:
        """Text as typed under ``scheme`` and its font (None: the sheet's font)."""
        if not scheme or text.isascii():
            return text, None
        real = legacy_scheme(text, scheme)
        if real is None:  # not representable in the legacy font: typed in Unicode
            return text, plain
        return encode_legacy(text, real), _FONTS[real]

    out: dict = {"sheets": {}, "rows": {}}
    for sheet_name, items in sheets:
        ws = wb.add_worksheet(sheet_name)
        r = 0
        for t in titles:
            txt, font = enc(t, whole)
            if rng.random() < 0.7 and ncol > 1:
                ws.merge_range(r, 0, r, min(ncol - 1, 10), txt, fm.get(font, bold=True, center=True))
            else:
                ws.write_string(r, 0, txt, fm.get(font, bold=True))
            r += 1
        header_row = r + 1
        hfmt = fm.get(None, bold=True, center=True)
        c = 0
        headers: dict[str, str] = {}
        while c < ncol:
            col = cols[c]
            h, hfont = enc(col.header, whole)
            hf = fm.get(hfont, bold=True, center=True) if hfont else hfmt
            if two and col.group:
                end = c
                while end + 1 < ncol and cols[end + 1].group == col.group:
                    end += 1
                g, gfont = enc(col.group, whole)
                gf = fm.get(gfont, bold=True, center=True) if gfont else hfmt
                if end > c:
                    ws.merge_range(r, c, r, end, g, gf)
                else:
                    ws.write_string(r, c, g, gf)
                for k in range(c, end + 1):
                    sub, sfont = enc(cols[k].header, whole)
                    ws.write_string(r + 1, k, sub, fm.get(sfont, bold=True, center=True) if sfont else hfmt)
                    headers[col_letter(k)] = f"{col.group} / {cols[k].header}"
                c = end + 1
                continue
            if two:
                ws.merge_range(r, c, r + 1, c, h, hf)
            else:
                ws.write_string(r, c, h, hf)
            headers[col_letter(c)] = col.header
            c += 1
        r += lay["header_rows"]
        if lay["column_number_row"]:
            for k in range(ncol):
                ws.write_string(r, k, f"({k + 1})", hfmt)
            r += 1
        first = r + 1
        base_date = {}
        write_string = ws.write_string
        for item in items:
            tag = item[0]
            if tag == "member":
                _, cells, legacy, ref = item
                scheme = whole or legacy
                num_fmt = fm.get(_FONTS[scheme]) if scheme else f_default
                for k, key in enumerate(keys):
                    cell = cells.get(key)
                    if cell is None:
                        continue
                    kind, value, num = cell
                    if kind == "s":
                        if value:
                            write_string(r, k, value, f_plain if whole and not value.isascii() else f_default)
                    elif kind == "L":
                        write_string(r, k, encode_legacy(value, num), f_legacy[num])
                    elif kind == "n":
                        ws.write_number(r, k, value, num_fmt)
                    else:
                        f = base_date.get((scheme, num))
                        if f is None:
                            f = base_date[(scheme, num)] = fm.get(_FONTS[scheme] if scheme else None, num)
                        ws.write_datetime(r, k, value, f)
                out["rows"][ref] = (sheet_name, r + 1)
            elif tag == "group":
                txt, font = enc(item[1], whole)
                if item[2]:
                    ws.write_string(r, 0, item[2], fm.get(None, bold=True))
                    ws.write_string(r, 1, txt, fm.get(font, bold=True))
                else:
                    ws.merge_range(r, 0, r, min(ncol - 1, 6), txt, fm.get(font, bold=True))
            elif tag == "subtotal":
                txt, font = enc(f"Cộng: {item[1]} đoàn viên", whole)
                ws.write_string(r, 1, txt, fm.get(font, bold=True))
            r += 1
        last = r
        r += 1 if rng.random() < 0.5 else 0
        for line in footer:
            for k, t in enumerate(line):
                if t:
                    txt, font = enc(t, whole)
                    ws.write_string(r, min(k * 4, ncol - 1) if k else 1, txt, fm.get(font, bold=k == 0))
            r += 1
        ws.set_column(0, 0, 5)
        ws.set_column(1, ncol - 1, 16)
        out["sheets"][sheet_name] = {
            "header_row": header_row, "header_rows": lay["header_rows"], "first_data_row": first,
            "last_data_row": last, "headers": headers, "encoding": lay["encoding"],
        }
    if summary:
        ws = wb.add_worksheet("Tổng hợp")
        for i, row in enumerate(summary):
            for k, v in enumerate(row):
                if isinstance(v, str):
                    ws.write_string(i, k, v, fm.get(bold=i < 2))
                else:
                    ws.write_number(i, k, v, fm.get())
    if code_lists:
        ws = wb.add_worksheet(rng.choice(["DM", "Danh muc", "List"]))
        for k, (name, values) in enumerate(code_lists.items()):
            ws.write_string(0, k, name)
            for i, v in enumerate(values):
                ws.write_string(i + 1, k, v)
        ws.hide()
    wb.close()
    return out


_CSV_ENC = {"utf-8-sig": "utf-8-sig", "utf-8": "utf-8", "utf-16": "utf-16", "cp1258": "cp1258"}


def encode_cp1258(text: str) -> bytes:
    """cp1258 bytes as Excel writes them on Vietnamese Windows: letters cp1258 lacks are written as
    base letter + combining tone mark."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            out += (base + tones).encode("cp1258", errors="ignore")
    return bytes(out)


def _write_csv(path, lay: dict, cols: list[Column], sheets, rng, titles, footer) -> dict:
    ncol = len(cols)
    records: list[list[str]] = []
    pad = [""] * ncol
    for t in titles:
        records.append([t] + pad[1:])
    header_row = len(records) + 1
    headers: dict[str, str] = {}
    if lay["header_rows"] == 2:
        top, sub = [], []
        prev = None
        for k, col in enumerate(cols):
            if col.group:
                top.append(col.group if col.group != prev else "")
                sub.append(col.header)
                headers[col_letter(k)] = f"{col.group} / {col.header}"
            else:
                top.append(col.header)
                sub.append("")
                headers[col_letter(k)] = col.header
            prev = col.group
        records += [top, sub]
    else:
        records.append([c.header for c in cols])
        headers = {col_letter(k): c.header for k, c in enumerate(cols)}
    if lay["column_number_row"]:
        records.append([f"({k + 1})" for k in range(ncol)])
    first = len(records) + 1
    rows: dict = {}
    keys = [c[0] if c[1] is None else (c[0], c[1]) for c in cols]
    for _, items in sheets:
        for item in items:
            tag = item[0]
            if tag == "member":
                cells = item[1]
                rec = []
                for key in keys:
                    cell = cells.get(key)
                    rec.append(cell_text(cell) if cell is not None else "")
                rows[item[3]] = ("", len(records) + 1)
                records.append(rec)
            elif tag == "group":
                records.append(([item[2], item[1]] if item[2] else [item[1]]) + pad[2 if item[2] else 1:])
            elif tag == "subtotal":
                records.append(["", f"Cộng: {item[1]} đoàn viên"] + pad[2:])
            else:
                records.append(list(pad))
    last = len(records)
    for line in footer:
        rec = list(pad)
        for k, t in enumerate(line):
            if t:
                rec[min(k * 4, ncol - 1) if k else 1] = t
        records.append(rec)
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(records)
    text = buf.getvalue()
    enc = lay["csv_encoding"]
    data = encode_cp1258(text) if enc == "cp1258" else text.encode(_CSV_ENC[enc])
    with open(path, "wb") as fh:
        fh.write(data)
    return {"sheets": {"": {"header_row": header_row, "header_rows": lay["header_rows"],
                            "first_data_row": first, "last_data_row": last, "headers": headers,
                            "encoding": enc}},
            "rows": rows}
