"""Synthetic people: canonical union members with plausible Vietnamese names, dates and IDs.

Every value is invented. Canonical values follow the reference upload template
(``UPLOAD_TEMPLATE.md``): dates ``dd/mm/yyyy``, 12-digit CCCD (or a 9-digit old CMND), code-list
values spelled as in the spec, the 2025 province of the member's (old) home province.

Example:
    >>> people = generate_people(3, seed=1)
    >>> sorted(people[0])[:3]
    ['chuc_vu_cong_doan', 'dan_toc', 'email']
    >>> len(people[0]["so_cccd"]) in (9, 12)
    True
"""
from __future__ import annotations

import hashlib
import random
import unicodedata
from bisect import bisect
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from itertools import accumulate

import yaml

__all__ = ["FIELDS", "generate_people", "load_data", "make_cccd", "derive_rng", "Picker",
           "strip_diacritics", "person_name"]

#: The 17 member fields of the upload template (STT excluded), in template order.
FIELDS: tuple[str, ...] = (
    "ho_ten", "ngay_sinh", "gioi_tinh", "so_cccd", "dan_toc", "ton_giao", "que_quan",
    "noi_o_hien_nay", "trinh_do_van_hoa", "trinh_do_chuyen_mon", "ly_luan_chinh_tri",
    "nghe_nghiep", "chuc_vu_cong_doan", "ngay_vao_cong_doan", "so_dien_thoai", "email", "ghi_chu",
)


@lru_cache(maxsize=1)
def load_data() -> dict:
    """The generator's reference data (``names_data.yaml``), loaded once."""
    text = (resources.files("unionclean.synth") / "names_data.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def derive_rng(*parts: object) -> random.Random:
    """A ``random.Random`` seeded from a stable hash of ``parts`` (not Python's salted hash)."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


class Picker:
    """Weighted choice over a fixed list, O(log n) per draw."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, items: list, weights: list[float]) -> None:
        self.items = list(items)
        self.cum = list(accumulate(float(w) for w in weights))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random):
        return self.items[bisect(self.cum, rng.random() * self.total)]


_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306", "\u031b"}


@lru_cache(maxsize=100_000)
def strip_diacritics(text: str) -> str:
    """``Nguyễn Văn Đức`` → ``Nguyen Van Duc`` (case kept)."""
    t = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in t if c not in _MARKS and not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _tables() -> dict:
    d = load_data()
    prov_w = d["province_weights"]
    provs = d["provinces"]
    t = {
        "surname": Picker([s for s, _ in d["surnames"]], [w for _, w in d["surnames"]]),
        "middle": {g: Picker([m for m, _ in v], [w for _, w in v]) for g, v in d["middle_names"].items()},
        "given": d["given_names"],
        "ethnic": Picker([e[0] for e in d["ethnic"]], [e[1] for e in d["ethnic"]]),
        "religion": Picker([r[0] for r in d["religion"]], [r[1] for r in d["religion"]]),
        "province": Picker(provs, [prov_w.get(p[0], 1) for p in provs]),
        "prov_by_old": {p[0]: p for p in provs},
        "education": Picker([e[0] for e in d["education"]], [e[1] for e in d["education"]]),
        "professional": Picker([e[0] for e in d["professional"]], [e[1] for e in d["professional"]]),
        "political": Picker([e[0] for e in d["political"]], [e[1] for e in d["political"]]),
        "domain": Picker([e[0] for e in d["email_domains"]], [e[1] for e in d["email_domains"]]),
    }
    return t


def make_cccd(rng: random.Random, prov_code: str, dob: date, gender: str) -> str:
    """A 12-digit CCCD: ``0`` + 2-digit province code + century/gender digit + YY + 6 digits."""
    century = 0 if dob.year < 2000 else 2
    digit = century + (0 if gender == "Nam" else 1)
    return f"0{prov_code}{digit}{dob.year % 100:02d}{rng.randrange(1_000_000):06d}"


def person_name(rng: random.Random, gender: str, ethnic: str = "Kinh") -> str:
    """A plausible full name for ``gender`` (minority surname for some ethnic groups)."""
    t = _tables()
    minority = load_data()["minority_surnames"].get(ethnic)
    surname = rng.choice(minority) if minority and rng.random() < 0.8 else t["surname"](rng)
    for _ in range(20):
        parts = [surname, t["middle"][gender](rng)]
        if rng.random() < 0.25:
            second = t["middle"][gender](rng)
            if second not in ("Thị", "Văn", parts[-1]):
                parts.append(second)
        given = rng.choice(t["given"][gender])
        if given != parts[-1]:
            parts.append(given)
        name = " ".join(parts)
        if not name.isascii():  # a name with no diacritics at all would be a (soft) flag
            return name
    return name


def _fmt(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def _rand_date(rng: random.Random, lo: date, hi: date) -> date:
    return lo + timedelta(days=rng.randrange((hi - lo).days + 1))


def _address(rng: random.Random, province_new: str) -> str:
    d = load_data()
    if rng.random() < 0.4:
        return (f"Số {rng.randint(1, 350)} {rng.choice(d['streets'])}, "
                f"Phường {rng.choice(d['place_words'])}, {province_new}")
    return (f"Tổ {rng.randint(1, 30)}, {rng.choice(d['hamlet_kinds'])} {rng.randint(1, 12)}, "
            f"Xã {rng.choice(d['place_words'])}, {province_new}")


def _phone(rng: random.Random) -> str:
    d = load_data()
    if rng.random() < 0.02:
        pre = rng.choice(d["landline_prefixes"])
        return pre + "".join(str(rng.randrange(10)) for _ in range(11 - len(pre)))
    return rng.choice(d["mobile_prefixes"]) + f"{rng.randrange(10_000_000):07d}"


def _email(rng: random.Random, name: str, dob: date) -> str:
    words = strip_diacritics(name).lower().split()
    local = words[-1] + "".join(w[0] for w in words[:-1]) + f"{dob.year % 100:02d}"
    if rng.random() < 0.3:
        local = ".".join(reversed(words[-2:])) + str(rng.randint(1, 99))
    return f"{local}@{_tables()['domain'](rng)}"


def _positions(n: int, rng: random.Random) -> list[str]:
    """One Chủ tịch, one Phó Chủ tịch, 2–4 UV BCH, 1–2 UV UBKT, tổ trưởng/tổ phó; rest Đoàn viên."""
    roles: list[str] = []
    if n >= 5:
        roles += ["Chủ tịch", "Phó Chủ tịch"]
        roles += ["Ủy viên Ban Chấp hành"] * min(rng.randint(2, 4), max(0, n // 8))
        roles += ["Ủy viên Ủy ban Kiểm tra"] * min(rng.randint(1, 2), max(0, n // 15))
        roles += ["Tổ trưởng công đoàn"] * max(1, n // 30)
        roles += ["Tổ phó công đoàn"] * (n // 60)
    roles = roles[:n] + ["Đoàn viên"] * max(0, n - len(roles))
    rng.shuffle(roles)
    return roles


def generate_people(n: int, seed: int | str, *, ref_date: date = date(2026, 11, 1),
                    province: str | None = None, jobs: list[str] | None = None) -> list[dict]:
    """``n`` canonical members (one unit's worth: roles are assigned as in one CĐCS).

    Args:
        n: Number of members.
        seed: Any seed; the same seed gives the same people.
        ref_date: "Today" of the dataset: members are 18–64 years old, joined the union after
            their 18th birthday and not after 31/12/2025 (nor after ``ref_date``).
        province: Old province name where the unit is (about half of the members come from it,
            and every address is in it). ``None``: drawn from the seed.
        jobs: Occupations to draw Nghề nghiệp from (default: generic office/factory jobs).

    Returns:
        One dict per member: the 17 template fields (canonical values, see :data:`FIELDS`) plus
        ``que_quan_cu`` (the old province name the Quê quán was drawn as).
    """
    rng = derive_rng("people", seed)
    t = _tables()
    d = load_data()
    home = t["prov_by_old"].get(province) if province else None
    if home is None:
        home = t["province"](rng)
    jobs = jobs or ["Công nhân", "Nhân viên văn phòng", "Kế toán", "Kỹ thuật viên", "Lái xe"]
    join_cap = min(date(2025, 12, 31), ref_date)
    oldest = date(max(1962, ref_date.year - 64), 1, 1)
    youngest = date(ref_date.year - 20, 12, 31)
    roles = _positions(n, rng)
    out: list[dict] = []
    for i in range(n):
        gender = "Nữ" if rng.random() < 0.55 else "Nam"
        ethnic = t["ethnic"](rng)
        dob = _rand_date(rng, oldest, youngest)
        prov = home if rng.random() < 0.5 else t["province"](rng)
        code_prov = prov if rng.random() < 0.85 else home
        if dob.year < 1985 and rng.random() < 0.08:
            cccd = f"{rng.randint(1, 38):02d}{rng.randrange(10_000_000):07d}"  # old CMND
        else:
            cccd = make_cccd(rng, code_prov[1], dob, gender)
        try:
            adult = dob.replace(year=dob.year + 18)
        except ValueError:  # 29 Feb
            adult = date(dob.year + 18, 3, 1)
        join = _rand_date(rng, adult, join_cap) if adult < join_cap else join_cap
        name = person_name(rng, gender, ethnic)
        out.append({
            "ho_ten": name,
            "ngay_sinh": _fmt(dob),
            "gioi_tinh": gender,
            "so_cccd": cccd,
            "dan_toc": ethnic,
            "ton_giao": t["religion"](rng),
            "que_quan": prov[2],
            "noi_o_hien_nay": _address(rng, home[2]),
            "trinh_do_van_hoa": t["education"](rng),
            "trinh_do_chuyen_mon": t["professional"](rng),
            "ly_luan_chinh_tri": t["political"](rng),
            "nghe_nghiep": rng.choice(jobs),
            "chuc_vu_cong_doan": roles[i],
            "ngay_vao_cong_doan": _fmt(join),
            "so_dien_thoai": _phone(rng) if rng.random() < 0.92 else "",
            "email": _email(rng, name, dob) if rng.random() < 0.45 else "",
            "ghi_chu": rng.choice(d["notes"]) if rng.random() < 0.04 else "",
            "que_quan_cu": prov[0],
        })
    return out
