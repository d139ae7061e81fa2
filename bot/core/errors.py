"""The core's own exception types."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the content, located by file, line and entry."""

    path: Path
    line: int | None
    entry: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else f"{self.path}"
        entry = f" entry '{self.entry}':" if self.entry else ""
        return f"{where}:{entry} {self.message}"


class ContentError(Exception):
    """The content in `content/` is malformed; the bot must not start with it."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
