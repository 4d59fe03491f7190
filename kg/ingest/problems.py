"""Located problems in an input file: every problem names the file, the row or line, the column or field, and
what was expected; an :class:`IngestError` carries all of them at once."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located in its file."""

    file: str
    line: int | None
    field: str | None
    message: str
    expected: str | None = None

    def text(self) -> str:
        """``file:line:field: message (expected …)``, the form compilers use, so editors can jump to it."""
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        if self.field:
            where += f":{self.field}"
        tail = f" (expected {self.expected})" if self.expected else ""
        return f"{where}: {self.message}{tail}"

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return asdict(self)


class IngestError(ValueError):
    """An input cannot be read as a study; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(p.text() for p in problems))
        self.problems = problems


class Collector:
    """Gathers problems for one file so that a reader can report all of them at once."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def add(self, line: int | None, field: str | None, message: str, expected: str | None = None) -> None:
        """Record one problem."""
        self.problems.append(Problem(self.file, line, field, message, expected))

    def raise_if_any(self) -> None:
        """Raise an IngestError with everything recorded so far."""
        if self.problems:
            raise IngestError(self.problems)
