"""One base exception for the package; user-facing errors carry a message code."""
from __future__ import annotations


class UnionCleanError(Exception):
    """Base class of every error raised by unionclean."""


class InputFileError(UnionCleanError):
    """An input file cannot be used. ``code`` keys a Vietnamese message; ``params`` fill it."""

    def __init__(self, code: str, path: str, **params: str) -> None:
        self.code = code
        self.path = str(path)
        self.params = {"file": self.path, **params}
        super().__init__(f"{code}: {self.path}")

    def message(self) -> str:
        from unionclean.messages import message

        return message(self.code, **self.params)


class RecipeError(UnionCleanError):
    """A recipe does not fit the input or is malformed (lists every problem found)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


class SpecError(UnionCleanError):
    """A template spec file is malformed."""
