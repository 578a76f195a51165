"""The upload template as configuration: load a spec file from ``data_templates/``.

Nothing about the template is hard-coded: the exporter, the validators and the column mapper
read a :class:`TemplateSpec`.

Example:
    >>> spec = load_spec()
    >>> spec.sheet
    'Danh sách đoàn viên'
    >>> spec.columns[1].key
    'ho_ten'
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

from unionclean.errors import SpecError

__all__ = ["ColumnSpec", "TemplateSpec", "load_spec", "default_spec_path", "MEMBER_FIELDS"]

#: The member fields every template column draws from (a column shows one field, or part of it).
MEMBER_FIELDS: tuple[str, ...] = (
    "ho_ten", "ngay_sinh", "gioi_tinh", "so_cccd", "dan_toc", "ton_giao", "que_quan",
    "noi_o_hien_nay", "trinh_do_van_hoa", "trinh_do_chuyen_mon", "ly_luan_chinh_tri",
    "nghe_nghiep", "chuc_vu_cong_doan", "ngay_vao_cong_doan", "so_dien_thoai", "email", "ghi_chu",
)

_PARTS = {"family_middle", "given", "family", "middle"}


@dataclass(frozen=True)
class ColumnSpec:
    """One output column of the template."""

    key: str
    header: str
    type: str
    field: str
    part: str | None = None
    required: bool = False
    text_format: bool = False
    default: str | None = None
    codes: str | None = None


@dataclass(frozen=True)
class TemplateSpec:
    """A whole template: layout rows, columns in order, cross-field rules."""

    id: str
    version: int
    name: str
    sheet: str
    code_sheet: str | None
    title_rows: tuple[str, ...]
    header_row: int
    first_data_row: int
    columns: tuple[ColumnSpec, ...]
    rules: tuple[str, ...] = ()
    path: str = ""
    sha256: str = ""
    workbook: str | None = None
    _by_field: dict = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def fields(self) -> tuple[str, ...]:
        """Member fields this template shows, in column order, without repeats (computed once:
        the exporters ask for it per row)."""
        seen: dict[str, None] = {}
        for c in self.columns:
            if c.field in MEMBER_FIELDS:
                seen.setdefault(c.field)
        return tuple(seen)

    def field_type(self, field_key: str) -> str:
        """Normaliser type of a member field (from its first column)."""
        for c in self.columns:
            if c.field == field_key:
                return c.type
        return _DEFAULT_TYPES.get(field_key, "text")

    def required_fields(self) -> set[str]:
        return {c.field for c in self.columns if c.required and c.field in MEMBER_FIELDS}

    def default_for(self, field_key: str) -> str | None:
        for c in self.columns:
            if c.field == field_key and c.default is not None:
                return c.default
        return None


_DEFAULT_TYPES = {
    "ho_ten": "name", "ngay_sinh": "date", "gioi_tinh": "gender", "so_cccd": "cccd",
    "dan_toc": "code:ethnic", "ton_giao": "code:religion", "que_quan": "province",
    "noi_o_hien_nay": "text", "trinh_do_van_hoa": "education",
    "trinh_do_chuyen_mon": "code:professional", "ly_luan_chinh_tri": "code:political",
    "nghe_nghiep": "text", "chuc_vu_cong_doan": "code:union_position",
    "ngay_vao_cong_doan": "date", "so_dien_thoai": "phone", "email": "email", "ghi_chu": "text",
}


def default_spec_path() -> Path:
    """The bundled reference template spec (``data_templates/reference_v1.yaml``)."""
    here = Path(__file__).resolve().parent
    for base in (here.parent / "data_templates", here / "data" / "templates"):
        p = base / "reference_v1.yaml"
        if p.exists():
            return p
    raise SpecError("reference template spec not found (data_templates/reference_v1.yaml)")


@lru_cache(maxsize=16)
def _load(path: str) -> TemplateSpec:
    raw = Path(path).read_bytes()
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise SpecError(f"{path}: not valid UTF-8 YAML ({exc})") from exc
    problems: list[str] = []
    if not isinstance(data, dict):
        raise SpecError(f"{path}: a template spec is a YAML mapping")
    for k in ("id", "sheet", "header_row", "columns"):
        if k not in data:
            problems.append(f"missing key {k!r}")
    cols: list[ColumnSpec] = []
    for i, c in enumerate(data.get("columns") or []):
        if not isinstance(c, dict) or "key" not in c or "header" not in c:
            problems.append(f"column {i + 1}: needs 'key' and 'header'")
            continue
        fld = c.get("field", c["key"])
        part = c.get("part")
        if part is not None and part not in _PARTS:
            problems.append(f"column {c['key']}: unknown part {part!r} (use one of {sorted(_PARTS)})")
        if fld not in MEMBER_FIELDS and c.get("type") != "stt":
            problems.append(f"column {c['key']}: field {fld!r} is not a member field")
        cols.append(ColumnSpec(
            key=str(c["key"]), header=str(c["header"]),
            type=str(c.get("type") or _DEFAULT_TYPES.get(fld, "text")), field=str(fld), part=part,
            required=bool(c.get("required", False)), text_format=bool(c.get("text_format", False)),
            default=c.get("default"), codes=c.get("codes"),
        ))
    keys = [c.key for c in cols]
    if len(set(keys)) != len(keys):
        problems.append("column keys must be unique")
    header_row = int(data.get("header_row", 1))
    titles = tuple(str(t) for t in data.get("title_rows") or ())
    if len(titles) >= header_row:
        problems.append("title_rows must fit above header_row")
    if problems:
        raise SpecError(f"{path}: " + "; ".join(problems))
    return TemplateSpec(
        id=str(data["id"]), version=int(data.get("version", 1)), name=str(data.get("name", data["id"])),
        sheet=str(data["sheet"]), code_sheet=data.get("code_sheet"), title_rows=titles,
        header_row=header_row, first_data_row=int(data.get("first_data_row", header_row + 1)),
        columns=tuple(cols), rules=tuple(data.get("rules") or ()), path=str(path),
        sha256=hashlib.sha256(raw).hexdigest(), workbook=data.get("workbook"),
    )


def load_spec(path: str | Path | None = None) -> TemplateSpec:
    """Load and check a template spec; ``None`` gives the bundled reference template."""
    p = Path(path) if path is not None else default_spec_path()
    if not p.exists():
        raise SpecError(f"template spec not found: {p}")
    return _load(str(p.resolve()))
