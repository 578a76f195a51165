"""Column configuration, thresholds and blocking rules of the matcher.

The matcher runs on any table: :class:`MatchConfig` names the columns that play each role. The
default fits the cleaned member table of the pipeline; a FEBRL-style table only needs other
column names (see ``docs/matching.md``).

Example:
    >>> cfg = MatchConfig(name=("surname", "given_name"), dob="date_of_birth",
    ...                   dob_format="%Y%m%d", gender=None, national_id="soc_sec_id",
    ...                   phone=None, group=None, location=None, evidence=("postcode",))
    >>> cfg.name_columns
    ('surname', 'given_name')
"""
from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["BlockingRule", "MatchConfig", "DEFAULT_BLOCKING"]


@dataclass(frozen=True)
class BlockingRule:
    """Records that share every key in ``keys`` (all non-empty) become candidate pairs.

    Key names: ``k_fold`` (folded name), ``k_tone``, ``k_given`` (folded given name),
    ``k_head`` (folded family + middle names), ``k_year`` (birth year), ``dob``, ``gender``,
    ``national_id``, ``phone``, ``group`` (the unit), and from the date of birth
    ``k_month_year`` (``mm/yyyy``), ``k_day_year`` (``dd/yyyy``), ``k_day_month`` (day and
    month in increasing order, and the year: equal for swapped dates).

    Attributes:
        name: Short id, shown in benchmark output.
        keys: Key names (see above).
        same_group_only: Keep only pairs inside one group (unit): used for loose rules that
            would flood a province (same name, no date).
    """

    name: str
    keys: tuple[str, ...]
    same_group_only: bool = False


DEFAULT_BLOCKING: tuple[BlockingRule, ...] = (
    # Same folded name and a birth date that a comparison can take for a typo of the other
    # (one digit of the day, or of the month) or for a day/month swap. Pairs with the same name
    # and year but any other date were compared before only to be dropped: they reach no level
    # (see docs/matching.md), and were two thirds of a province's candidate pairs.
    BlockingRule("name_month", ("k_fold", "k_month_year")),  # same month and year: day typo
    BlockingRule("name_day", ("k_fold", "k_day_year")),      # same day and year: month typo
    BlockingRule("name_swap", ("k_fold", "k_day_month")),    # day and month swapped
    BlockingRule("cccd", ("national_id",)),            # same CCCD
    BlockingRule("phone", ("phone",)),                 # same phone
    BlockingRule("dob_given", ("dob", "k_given")),     # typo in family/middle name
    BlockingRule("dob_head", ("dob", "k_head")),       # typo in the given name
    BlockingRule("group_name", ("group", "k_fold"), same_group_only=True),  # date missing
)


@dataclass(frozen=True)
class MatchConfig:
    """Which column plays which role, thresholds and blocking.

    Attributes:
        id: Unique record id column.
        name: Name column, or several columns joined with a space (family name first).
        dob: Date-of-birth column (``dd/mm/yyyy`` unless ``dob_format`` says otherwise), or None.
        dob_format: ``strftime`` format of ``dob`` when it is not ``dd/mm/yyyy``.
        gender, national_id, phone: Optional columns (None when the table has none).
        group: Unit column (within-unit versus cross-unit), or None.
        location: ``(file, sheet, row)`` columns used by human decisions, or None (then the
            record id is the location).
        evidence: Further columns compared exactly, only to report agreement.
        t_auto: Name similarity (0–100, RapidFuzz ``ratio`` on the tone key) from which a pair
            with the same date of birth and gender merges automatically.
        t_review: Name similarity from which such a pair goes to review.
        max_block: Blocks larger than this are skipped (a shared office phone, a default date).
        blocking: Blocking rules, unioned.
    """

    id: str = "rec_id"
    name: str | tuple[str, ...] = "ho_ten"
    dob: str | None = "ngay_sinh"
    dob_format: str | None = None
    gender: str | None = "gioi_tinh"
    national_id: str | None = "so_cccd"
    phone: str | None = "so_dien_thoai"
    group: str | None = "unit"
    location: tuple[str, str, str] | None = ("file", "sheet", "row")
    evidence: tuple[str, ...] = ("email", "que_quan", "dan_toc", "ngay_vao_cong_doan")
    t_auto: float = 90.0
    t_review: float = 80.0
    max_block: int = 1000
    blocking: tuple[BlockingRule, ...] = field(default=DEFAULT_BLOCKING)

    @property
    def name_columns(self) -> tuple[str, ...]:
        return (self.name,) if isinstance(self.name, str) else tuple(self.name)

    def required_columns(self) -> list[str]:
        cols = [self.id, *self.name_columns]
        for c in (self.dob, self.gender, self.national_id, self.phone, self.group):
            if c:
                cols.append(c)
        if self.location:
            cols.extend(self.location)
        return cols
