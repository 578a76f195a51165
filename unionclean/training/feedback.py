"""What a "Kiểm tra" cell returns: a score, what is right, what is wrong, and a hint.

Example:
    >>> fb = Feedback("01_chay_lam_sach", 1, 2, ["Đúng tệp"], ["Sai số đoàn viên"], "Đếm lại")
    >>> fb.passed, fb.percent
    (False, 50)
    >>> "Sai số đoàn viên" in fb.text()
    True
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from html import escape

from unionclean.messages import message

__all__ = ["Feedback", "FeedbackBuilder"]


@dataclass(repr=False)
class Feedback:
    """Result of checking one exercise.

    Attributes:
        exercise: Exercise id.
        score: Points earned.
        max_score: Points available.
        right: What the trainee did right (Vietnamese sentences).
        wrong: What is wrong or missing (Vietnamese sentences).
        hint: One hint for the next try ("" when everything is right).
    """

    exercise: str
    score: int
    max_score: int
    right: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    hint: str = ""

    @property
    def passed(self) -> bool:
        return self.max_score > 0 and self.score == self.max_score

    @property
    def percent(self) -> int:
        return round(100 * self.score / self.max_score) if self.max_score else 0

    def headline(self) -> str:
        code = "training.fb.all_right" if self.passed else "training.fb.partly" if self.score else "training.fb.none"
        return message(code, score=self.score, max=self.max_score)

    def text(self) -> str:
        """Plain-text rendering (console, logs)."""
        lines = [self.headline()]
        lines += [f"  ✔ {s}" for s in self.right]
        lines += [f"  ✘ {s}" for s in self.wrong]
        if self.hint:
            lines.append(message("training.fb.hint_label") + " " + self.hint)
        return "\n".join(lines)

    __str__ = text
    __repr__ = text

    def _repr_html_(self) -> str:
        colour = "#1b7f3b" if self.passed else "#9c5700" if self.score else "#b00020"
        parts = [f'<div style="border-left:6px solid {colour};padding:6px 12px">',
                 f'<p style="color:{colour};font-weight:bold">{escape(self.headline())}</p>']
        if self.right:
            parts.append("<p>" + escape(message("training.fb.right_label")) + "</p><ul>"
                         + "".join(f"<li>✔ {escape(s)}</li>" for s in self.right) + "</ul>")
        if self.wrong:
            parts.append("<p>" + escape(message("training.fb.wrong_label")) + "</p><ul>"
                         + "".join(f"<li>✘ {escape(s)}</li>" for s in self.wrong) + "</ul>")
        if self.hint:
            parts.append(f"<p><b>{escape(message('training.fb.hint_label'))}</b> {escape(self.hint)}</p>")
        parts.append("</div>")
        return "".join(parts)

    def to_dict(self) -> dict:
        return asdict(self)


class FeedbackBuilder:
    """Collects checks one by one; each check is worth one point."""

    def __init__(self, exercise: str) -> None:
        self.exercise = exercise
        self.right: list[str] = []
        self.wrong: list[str] = []
        self.hints: list[str] = []
        self.max_score = 0

    def ok(self, code: str, **params: object) -> None:
        """One check passed."""
        self.max_score += 1
        self.right.append(message(code, **params))

    def bad(self, code: str, hint: str = "", **params: object) -> None:
        """One check failed; ``hint`` is a message code for the hint."""
        self.max_score += 1
        self.wrong.append(message(code, **params))
        if hint:
            self.hints.append(message(hint, **params))

    def check(self, cond: bool, ok_code: str, bad_code: str, hint: str = "", **params: object) -> bool:
        (self.ok(ok_code, **params) if cond else self.bad(bad_code, hint, **params))
        return cond

    def build(self) -> Feedback:
        score = len(self.right)
        hint = self.hints[0] if self.hints else ""
        return Feedback(self.exercise, score, self.max_score, self.right, self.wrong, hint)
