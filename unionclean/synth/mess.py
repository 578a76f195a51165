"""Cell-level mess: how one canonical value is typed into a grassroots unit's spreadsheet.

A source cell is a small tuple ``(kind, value, num_format)``: ``kind`` is ``"s"`` (text),
``"n"`` (number), ``"d"`` (a real Excel date, ``value`` a ``datetime``) or ``"L"`` (text typed
with a legacy font: ``num_format`` holds the scheme, ``tcvn3``/``tcvn3h``/``vni``). Every function returns
the cell and the labels of what was done (``"caps"``, ``"nfd"``, ``"serial"`` …), which the truth
records as ``field:label``.

Value-preserving mess keeps the member's value recoverable; *flag mess* (:data:`FLAG_KINDS`)
makes it unrecoverable or contradictory, so a correct cleaner must flag it.
"""
from __future__ import annotations

import random
import unicodedata
from datetime import date, datetime
from functools import lru_cache

from unionclean.synth.people import load_data, strip_diacritics

__all__ = ["Messer", "LEVELS", "FLAG_KINDS", "FLAG_FIELDS", "to_tohop", "encode_legacy", "legacy_scheme",
           "cell_text", "serial"]

Cell = tuple  # (kind, value, num_format)

#: Probability that a value is written in a non-canonical but recoverable way, per level.
LEVELS: dict[str, float] = {"clean": 0.0, "low": 0.2, "medium": 0.5, "high": 0.8}

#: Flag kinds: (fields flagged, why) — ``why`` is a stable reason key.
FLAG_KINDS: dict[str, tuple[tuple[str, ...], str]] = {
    "name_plain": (("ho_ten",), "name.no_diacritics"),
    "dob_year": (("ngay_sinh",), "date.year_only"),
    "dob_zero": (("ngay_sinh",), "date.zero_day_month"),
    "dob_monthyear": (("ngay_sinh",), "date.month_year_only"),
    "join_year": (("ngay_vao_cong_doan",), "date.year_only"),
    "join_early": (("ngay_vao_cong_doan",), "date.join_implausible"),
    "cccd_sci": (("so_cccd",), "cccd.scientific_notation"),
    "cccd_gender": (("so_cccd", "gioi_tinh"), "cccd.gender_mismatch"),
    "cccd_year": (("so_cccd",), "cccd.birth_year_mismatch"),
    "phone_invalid": (("so_dien_thoai",), "phone.invalid"),
    "email_invalid": (("email",), "email.invalid"),
    "ethnic_numeric": (("dan_toc",), "ethnic.numeric_code"),
}
FLAG_FIELDS = {k: v[0] for k, v in FLAG_KINDS.items()}

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_EPOCH = date(1899, 12, 30)


def serial(d: date) -> int:
    """Excel 1900-system serial of ``d`` (after 1 March 1900)."""
    return (d - _EPOCH).days


@lru_cache(maxsize=4096)
def _tohop_char(ch: str) -> str:
    parts = unicodedata.normalize("NFD", ch)
    tones = [c for c in parts if c in _TONES]
    if not tones:
        return ch
    base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
    return base + "".join(tones)


def to_tohop(text: str) -> str:
    """The "tổ hợp" Unicode form: precomposed base letters (ơ, â …) with separate combining tone marks."""
    return "".join(_tohop_char(c) for c in text)


@lru_cache(maxsize=200_000)
def encode_legacy(text: str, scheme: str) -> str:
    """``text`` as typed with a legacy font (``tcvn3``, ``tcvn3h`` or ``vni``)."""
    from unionclean.normalize.legacy import encode  # written by the encodings work

    return encode(text, scheme)


def legacy_scheme(text: str, scheme: str) -> str | None:
    """The scheme a legacy-font user would type ``text`` in (``tcvn3h`` for capitals in TCVN3),
    or None when the scheme cannot hold it (TCVN3 has no capital letters with tone marks)."""
    if text.isascii():
        return None
    if scheme == "tcvn3" and text.isupper():
        scheme = "tcvn3h"
    return scheme if _roundtrips(text, scheme) else None


@lru_cache(maxsize=200_000)
def _roundtrips(text: str, scheme: str) -> bool:
    from unionclean.normalize.legacy import decode

    try:
        return decode(encode_legacy(text, scheme), scheme) == unicodedata.normalize("NFC", text)
    except Exception:  # noqa: BLE001 - an encoder gap only means "type it in Unicode"
        return False


def cell_text(cell: Cell) -> str:
    """What a CSV export (or the screen) shows for a source cell."""
    kind, value, fmt = cell
    if kind == "s" or kind == "L":
        return value
    if kind == "d":
        return _DISPLAY.get(fmt, "{d:%d/%m/%Y}").format(d=value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_DISPLAY = {
    "dd/mm/yyyy": "{d:%d/%m/%Y}", "d/m/yyyy": "{d.day}/{d.month}/{d.year}",
    "dd-mm-yyyy": "{d:%d-%m-%Y}", "yyyy-mm-dd": "{d:%Y-%m-%d}", "dd.mm.yyyy": "{d:%d.%m.%Y}",
}
_REAL_FORMATS = list(_DISPLAY)


def _s(text: str) -> Cell:
    return ("s", text, None)


class Messer:
    """Writes canonical values the way one unit types them.

    Args:
        rng: The unit's random generator.
        level: Mess level (key of :data:`LEVELS`).
        csv: The target is a CSV file (no real dates, no number cells, no fonts).
    """

    def __init__(self, rng: random.Random, level: str = "medium", *, csv: bool = False) -> None:
        if level not in LEVELS:
            raise ValueError(f"mess_level must be one of {sorted(LEVELS)}, not {level!r}")
        self.rng = rng
        self.p = LEVELS[level]
        self.csv = csv
        data = load_data()
        self.variants = {
            "dan_toc": {e[0]: e[2] for e in data["ethnic"]},
            "ton_giao": {e[0]: e[2] for e in data["religion"]},
            "trinh_do_van_hoa": {e[0]: e[2] for e in data["education"]},
            "trinh_do_chuyen_mon": {e[0]: e[2] for e in data["professional"]},
            "ly_luan_chinh_tri": {e[0]: e[2] for e in data["political"]},
            "chuc_vu_cong_doan": data["positions"],
        }
        self.provinces = {p[0]: p for p in data["provinces"]}
        self.cities = set(data["city_provinces"])
        self.places = data["place_words"]
        self.old_mobile = data["old_mobile_prefixes"]
        # Each unit has its habits: favourite date styles and CCCD/phone styles.
        date_styles = ["real", "serial", "dmy", "dmy0", "dot", "dash", "iso"]
        if csv:
            date_styles = ["dmy", "dmy0", "dot", "dash", "iso"]
        self.date_styles = rng.sample(date_styles, k=min(len(date_styles), rng.randint(2, 4)))
        self.real_fmt = rng.choice(_REAL_FORMATS)
        self.name_caps = rng.random() < 0.25   # whole unit types names in capitals

    # -- helpers -------------------------------------------------------------------------------
    def _messy(self) -> bool:
        return self.rng.random() < self.p

    def text(self, value: str, labels: list[str], *, unicode_ok: bool = True) -> str:
        """Unicode/space mess on free text (NFD, tổ hợp, NBSP, zero-width, double spaces, breaks)."""
        rng = self.rng
        if not value or not self._messy():
            return value
        r = rng.random()
        if unicode_ok and r < 0.25:
            labels.append("nfd")
            return unicodedata.normalize("NFD", value)
        if unicode_ok and r < 0.4:
            labels.append("tohop")
            return to_tohop(value)
        if r < 0.7:
            words = value.split(" ")
            if len(words) > 1:
                i = rng.randrange(1, len(words))
                sep = rng.choice(["\u00a0", "  ", "\n", " \u200b", "   "]) if unicode_ok else "  "
                value = " ".join(words[:i]) + sep + " ".join(words[i:])
            else:
                value = " " + value
            labels.append("spaces")
            return value
        if r < 0.85:
            labels.append("spaces")
            return rng.choice([" ", "  ", "\u00a0" if unicode_ok else " "]) + value + \
                rng.choice(["", " ", "\u00a0" if unicode_ok else ""])
        return value

    # -- fields --------------------------------------------------------------------------------
    def name(self, name: str, labels: list[str], *, legacy: bool = False) -> str:
        rng = self.rng
        r = rng.random()
        if self.name_caps and r < 0.85:
            labels.append("caps")
            name = name.upper()
        elif self._messy() and r < 0.6:
            labels.append("caps")
            name = name.upper()
        elif self._messy() and r < 0.7:
            labels.append("lower")
            name = name.lower()
        else:
            labels.append("plain")
        if legacy:
            return name
        return self.text(name, labels)

    def name_plain(self, name: str) -> str:
        """Flag mess: the name typed without any diacritics."""
        out = strip_diacritics(name)
        return out.upper() if self.name_caps else out

    def date(self, d: date, labels: list[str]) -> Cell:
        rng = self.rng
        style = rng.choice(self.date_styles) if self._messy() or not self.p else self.date_styles[0]
        labels.append(style)
        if style == "real":
            return ("d", datetime(d.year, d.month, d.day), self.real_fmt)
        if style == "serial":
            return ("n", serial(d), None)
        if style == "dmy":
            return _s(f"{d.day}/{d.month}/{d.year}")
        if style == "dmy0":
            return _s(f"{d.day:02d}/{d.month:02d}/{d.year}")
        if style == "dot":
            return _s(f"{d.day:02d}.{d.month:02d}.{d.year % 100:02d}" if rng.random() < 0.5
                      else f"{d.day}.{d.month}.{d.year}")
        if style == "dash":
            return _s(f"{d.day}-{d.month}-{d.year % 100:02d}")
        return _s(f"{d.year}-{d.month:02d}-{d.day:02d}")

    def gender(self, g: str, labels: list[str]) -> str:
        rng = self.rng
        if not self._messy():
            labels.append("std")
            return g
        r = rng.random()
        if r < 0.3:
            labels.append("lower")
            return g.lower()
        if r < 0.5:
            labels.append("caps")
            return g.upper()
        if r < 0.75 and g == "Nữ":
            labels.append("nu")
            return rng.choice(["Nu", "nu"])
        labels.append("mf")
        return "M" if g == "Nam" else "F"

    def cccd(self, v: str, labels: list[str]) -> Cell:
        rng = self.rng
        if not v:
            labels.append("missing")
            return _s("")
        if len(v) == 9:
            labels.append("cmnd")
            if self._messy() and not self.csv:
                return ("n", int(v), None)
            return _s(str(int(v)) if self._messy() else v)
        if not self._messy():
            labels.append("text")
            return _s(v)
        r = rng.random()
        if r < 0.4:
            labels.append("num")
            return _s(str(int(v))) if self.csv else ("n", int(v), None)
        if r < 0.6:
            labels.append("spaces")
            if rng.random() < 0.5:
                return _s(f"{v[:3]} {v[3:6]} {v[6:9]} {v[9:]}")
            return _s(f"{v[:4]} {v[4:8]} {v[8:]}")
        if r < 0.75:
            labels.append("dots")
            return _s(f"{v[:3]}.{v[3:6]}.{v[6:9]}.{v[9:]}")
        labels.append("prefix")
        return _s(rng.choice(["CCCD: ", "CCCD:", "CMND/CCCD: "]) + v)

    @staticmethod
    def cccd_sci(v: str) -> Cell:
        """Flag mess: the CCCD as Excel's scientific display, saved as text."""
        return _s(f"{int(v):.4E}")

    def phone(self, v: str, labels: list[str]) -> Cell:
        rng = self.rng
        if not v:
            return _s("")
        if not self._messy():
            labels.append("text")
            return _s(v)
        r = rng.random()
        if len(v) == 11:  # landline: a lost 0 could not be told apart from garbage
            labels.append("spaces")
            return _s(f"{v[:4]} {v[4:]}")
        if r < 0.3:
            labels.append("num")
            return _s(v[1:]) if self.csv else ("n", int(v), None)
        if r < 0.45:
            labels.append("plus84")
            return _s(f"+84 {v[1:4]} {v[4:7]} {v[7:]}")
        if r < 0.55:
            labels.append("p84")
            return _s("84" + v[1:])
        if r < 0.7:
            labels.append("dots")
            return _s(f"{v[:4]}.{v[4:7]}.{v[7:]}")
        if r < 0.8:
            labels.append("spaces")
            return _s(f"{v[:4]} {v[4:7]} {v[7:]}")
        old = self.old_mobile.get(v[:3])
        if old:
            labels.append("old11")
            return _s(old + v[3:])
        labels.append("text")
        return _s(v)

    def phone_invalid(self, v: str) -> str:
        rng = self.rng
        v = v or "0912345678"
        return rng.choice([v[:7], v[:8], v + "12", "00" + v[2:], v[:5] + "-" + v[5:7]])

    def email(self, v: str, labels: list[str]) -> str:
        rng = self.rng
        if not v:
            return ""
        if not self._messy():
            labels.append("lower")
            return v
        r = rng.random()
        if r < 0.5:
            labels.append("mixed")
            local, dom = v.split("@")
            return local[:1].upper() + local[1:] + "@" + (dom.capitalize() if r < 0.25 else dom)
        if r < 0.7:
            labels.append("upper")
            return v.upper()
        labels.append("spaces")
        return " " + v + " "

    def email_invalid(self, v: str) -> str:
        rng = self.rng
        v = v or "hoang.nam@gmail.com"
        local, dom = v.split("@")
        return rng.choice([f"{local}.{dom}", f"{local}@@{dom}", f"{local}@{local}@{dom}",
                           f"{v}; {local}2@yahoo.com", f"{local} {dom}"])

    def code(self, field: str, v: str, labels: list[str]) -> str:
        """Code-list values (ethnic, religion, education, levels, position): spec variants."""
        rng = self.rng
        variants = self.variants[field].get(v) or []
        if field == "ton_giao" and v == "Không" and rng.random() < 0.5:
            labels.append("empty")
            return ""
        if field == "chuc_vu_cong_doan" and v == "Đoàn viên":
            labels.append("empty" if rng.random() < 0.6 else "canon")
            return "" if labels[-1] == "empty" else v
        if field == "ly_luan_chinh_tri" and not v:
            if rng.random() < 0.3:
                labels.append("variant")
                return "Không"
            return ""
        if variants and self._messy():
            labels.append("variant")
            return rng.choice(variants)
        if field == "dan_toc" and self._messy() and rng.random() < 0.3:
            labels.append("case")
            return v.lower() if rng.random() < 0.5 else v.upper()
        labels.append("canon")
        return v

    def province(self, new: str, old: str, labels: list[str]) -> str:
        """Quê quán: the new name, the old name, an abbreviation, a prefix or an address."""
        rng = self.rng
        if not self._messy():
            if rng.random() < 0.5:
                labels.append("new")
                return new
            labels.append("old")
            return old
        _, _, _, abbrs = self.provinces[old]
        r = rng.random()
        if r < 0.3 and abbrs:
            labels.append("abbr")
            return rng.choice(abbrs)
        if r < 0.6:
            labels.append("prefix")
            bare = old[3:] if old.startswith("TP ") else old
            if old in self.cities:
                return rng.choice(["TP. ", "Tp ", "Thành phố "]) + bare
            return rng.choice(["Tỉnh ", "T. "]) + bare
        if r < 0.85:
            labels.append("address")
            return (f"Xã {rng.choice(self.places)}, {rng.choice(['Huyện ', 'H. ', ''])}"
                    f"{rng.choice(self.places)}, {old}")
        labels.append("old")
        return old

    # -- one source row ------------------------------------------------------------------------
    def row(self, m: dict, lay: dict, *, flag: str | None = None, dup: str | None = None,
            legacy: str | None = None, second_phone: str = "") -> dict:
        """The source cells of one member row and what the truth says about them.

        Args:
            m: The canonical member (see :func:`unionclean.synth.people.generate_people`).
            lay: The file layout (fields present, split modes).
            flag: A key of :data:`FLAG_KINDS` to apply, or None.
            dup: Variant of a duplicate row: ``"typo"``, ``"no_cccd"``, ``"phone_diff"``,
                ``"exact"`` or None (not a duplicate row).
            legacy: Legacy encoding of the row (``"tcvn3"``/``"vni"``), or None.
            second_phone: A second phone number typed into the phone cell (note for Ghi chú).

        Returns:
            ``{"cells", "mess", "outcome", "alt", "flag_ok", "flag_why"}``; ``cells`` maps a
            field (or ``(field, part)``) to a source cell.
        """
        rng = self.rng
        present = lay["present_set"]
        cells: dict = {}
        mess: list[str] = []
        outcome: dict[str, str] = {}
        alt: dict[str, list[str]] = {}
        flag_ok: dict[str, list[str]] = {}
        flag_why: dict[str, str] = {}
        uni = legacy is None
        why = FLAG_KINDS[flag][1] if flag else ""

        def note(field: str, labels: list[str]) -> None:
            for lab in labels:
                mess.append(f"{field}:{lab}")

        def flagged(field: str, raw: list[str]) -> None:
            outcome[field] = "flag"
            flag_ok[field] = raw
            flag_why[field] = why

        # Name
        labels: list[str] = []
        name = m["ho_ten"]
        if flag == "name_plain":
            text = self.name_plain(name)
            labels.append("no_diacritics")
            flagged("ho_ten", [text, " ".join(w.capitalize() for w in text.split())])
        elif dup == "typo":
            words = name.split(" ")
            idx = [i for i, w in enumerate(words) if not w.isascii()]
            if len(idx) > 1:  # keep some diacritics: a bare-ASCII name would be a soft flag
                i = rng.choice(idx)
                words[i] = strip_diacritics(words[i])
            text = " ".join(words)
            alt["ho_ten"] = [text]
            outcome["ho_ten"] = "alt"
            labels.append("typo")
            text = self.name(text, labels, legacy=not uni)
        else:
            text = self.name(name, labels, legacy=not uni)
        if lay["name_mode"] == "split2":
            clean = " ".join(text.split())
            head, _, tail = clean.rpartition(" ")
            cells[("ho_ten", 0)] = _s(head)
            cells[("ho_ten", 1)] = _s(tail)
            labels.append("split")
        else:
            cells["ho_ten"] = _s(text)
        note("ho_ten", labels)

        # Birth date
        dob = _parse(m["ngay_sinh"])
        labels = []
        if flag in ("dob_year", "dob_zero", "dob_monthyear"):
            if flag == "dob_year":
                cell = ("n", dob.year, None) if not self.csv and rng.random() < 0.5 else _s(str(dob.year))
                parts = ("", "", str(dob.year))
            elif flag == "dob_zero":
                cell = _s(f"00/00/{dob.year}")
                parts = ("00", "00", str(dob.year))
            else:
                cell = _s(f"{dob.month}/{dob.year}")
                parts = ("", str(dob.month), str(dob.year))
            labels.append(flag[4:])
            flagged("ngay_sinh", [cell_text(cell)])
        else:
            cell = self.date(dob, labels)
            parts = (str(dob.day), str(dob.month), str(dob.year))
        if lay["dob3"]:
            for i, p in enumerate(parts):
                if p:
                    cells[("ngay_sinh", i)] = _s(p) if self.csv or not p.isdigit() or p == "00" \
                        else ("n", int(p), None)
            labels.append("dob3")
        else:
            cells["ngay_sinh"] = cell
        note("ngay_sinh", labels)

        # Gender
        labels = []
        g = m["gioi_tinh"]
        if lay["gender_mode"] == "x":
            cells[("gioi_tinh", 0 if g == "Nam" else 1)] = _s(rng.choice(["x", "x", "X"]))
            labels.append("split_x")
            shown = "x"
        else:
            shown = self.gender(g, labels)
            cells["gioi_tinh"] = _s(shown)
        note("gioi_tinh", labels)

        # CCCD
        labels = []
        v = m["so_cccd"]
        if flag == "cccd_sci":
            cell = self.cccd_sci(v)
            labels.append("sci")
            flagged("so_cccd", [cell[1]])
        elif flag in ("cccd_gender", "cccd_year"):
            if flag == "cccd_gender":
                d4 = int(v[3])
                wrong = v[:3] + str(d4 ^ 1) + v[4:]
                flagged("gioi_tinh", [shown, g])
            else:
                yy = (int(v[4:6]) + rng.choice([-3, -2, -1, 1, 2, 3])) % 100
                wrong = v[:4] + f"{yy:02d}" + v[6:]
            cell = self.cccd(wrong, labels)
            labels.append("conflict")
            flagged("so_cccd", [wrong, cell_text(cell)])
        elif dup == "no_cccd":
            cell = _s("")
            labels.append("missing")
            outcome["so_cccd"] = "empty"
        else:
            cell = self.cccd(v, labels)
        cells["so_cccd"] = cell
        note("so_cccd", labels)

        # Ethnic group and the other coded lists
        labels = []
        if flag == "ethnic_numeric":
            num = rng.randint(1, 54)
            cell = ("n", num, None) if not self.csv and rng.random() < 0.5 else _s(str(num))
            labels.append("numeric")
            flagged("dan_toc", [str(num)])
        else:
            cell = _s(self.code("dan_toc", m["dan_toc"], labels))
        cells["dan_toc"] = cell
        note("dan_toc", labels)
        for f in ("ton_giao", "trinh_do_van_hoa", "trinh_do_chuyen_mon", "ly_luan_chinh_tri",
                  "chuc_vu_cong_doan"):
            if f in present:
                labels = []
                cells[f] = _s(self.code(f, m[f], labels))
                note(f, labels)
        if "que_quan" in present:
            labels = []
            cells["que_quan"] = _s(self.province(m["que_quan"], m["que_quan_cu"], labels))
            note("que_quan", labels)
        for f in ("noi_o_hien_nay", "nghe_nghiep", "ghi_chu"):
            if f in present and m[f]:
                labels = []
                cells[f] = _s(self.text(m[f], labels, unicode_ok=uni))
                note(f, labels)

        # Join date
        labels = []
        join = _parse(m["ngay_vao_cong_doan"])
        if flag == "join_year":
            cell = _s(str(join.year))
            labels.append("year")
            flagged("ngay_vao_cong_doan", [cell[1]])
        elif flag == "join_early":
            early = dob.replace(year=dob.year + rng.randint(6, 13), day=min(dob.day, 28))
            cell = self.date(early, labels)
            labels.append("early")
            flagged("ngay_vao_cong_doan", [cell_text(cell), f"{early:%d/%m/%Y}"])
        else:
            cell = self.date(join, labels)
        cells["ngay_vao_cong_doan"] = cell
        note("ngay_vao_cong_doan", labels)

        # Phone and email
        if "so_dien_thoai" in present:
            labels = []
            v = m["so_dien_thoai"]
            if flag == "phone_invalid":
                cell = _s(self.phone_invalid(v))
                labels.append("invalid")
                flagged("so_dien_thoai", [cell[1]])
            elif dup == "phone_diff":
                other = rng.choice(load_data()["mobile_prefixes"]) + f"{rng.randrange(10_000_000):07d}"
                cell = _s(other)
                alt["so_dien_thoai"] = [other]
                outcome["so_dien_thoai"] = "alt"
                labels.append("other")
            elif second_phone and v:
                cell = _s(f"{v}{rng.choice([' - ', '; ', ' / ', ', '])}{second_phone}")
                labels.append("two")
            else:
                cell = self.phone(v, labels)
            cells["so_dien_thoai"] = cell
            note("so_dien_thoai", labels)
        if "email" in present:
            labels = []
            if flag == "email_invalid":
                text = self.email_invalid(m["email"])
                labels.append("invalid")
                flagged("email", [text])
            else:
                text = self.email(m["email"], labels)
            if text:
                cells["email"] = _s(text)
            note("email", labels)

        if legacy:
            # Legacy cells become ("L", text, scheme): the writer encodes them with the font.
            for key, cell in cells.items():
                if cell[0] == "s" and not cell[1].isascii():
                    lab = legacy_scheme(cell[1], legacy)
                    if lab is None:
                        continue
                    cells[key] = ("L", cell[1], lab)
                    tag = f"{key if isinstance(key, str) else key[0]}:{lab}"
                    if tag not in mess:
                        mess.append(tag)
        return {"cells": cells, "mess": mess, "outcome": outcome, "alt": alt,
                "flag_ok": flag_ok, "flag_why": flag_why}


def _parse(s: str) -> date:
    return date(int(s[6:10]), int(s[3:5]), int(s[0:2]))
