"""Typed field access on located YAML mappings, collecting problems instead of raising."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from bot.core.errors import Problem
from bot.core.yaml_source import Located

ID_PATTERN = re.compile(r"^[a-z0-9_]{1,40}$")


@dataclass
class Problems:
    """Problems found in one file, each with its line and entry."""

    path: Path
    found: list[Problem] = field(default_factory=list)

    def add(self, line: int | None, entry: str | None, message: str) -> None:
        """Record a problem."""
        self.found.append(Problem(self.path, line, entry, message))


def mapping(where: Located, key: str, problems: Problems) -> Located | None:
    """Return where[key] when it is a mapping, else record a problem."""
    value = where.get(key)
    if isinstance(value, Located):
        return value
    problems.add(where.line_of(key), None, f"'{key}' must be a mapping")
    return None


def items(data: Located, key: str, problems: Problems) -> list[Located]:
    """Return data[key] as a list of mappings, recording a problem for anything else."""
    value = data.get(key)
    if not isinstance(value, list):
        problems.add(data.line_of(key), None, f"'{key}' must be a list")
        return []
    good = located_items(data, key)
    if len(good) != len(value):
        problems.add(data.line_of(key), None, f"every item of '{key}' must be a mapping")
    return good


def located_items(data: Located, key: str) -> list[Located]:
    """Return the mappings in the list data[key], skipping anything else."""
    value = data.get(key)
    return [v for v in value if isinstance(v, Located)] if isinstance(value, list) else []


def text(item: Located, key: str, problems: Problems, entry: str | None) -> str:
    """Return a required non-empty string field."""
    value = item.get(key)
    if isinstance(value, str) and value.strip():
        return value.strip()
    problems.add(item.line_of(key), entry, f"'{key}' must be a non-empty string")
    return ""


def texts(
    item: Located, key: str, problems: Problems, entry: str | None, *, required: bool = True
) -> tuple[str, ...]:
    """Return a list-of-strings field (required non-empty unless required=False)."""
    value = item.get(key, None if required else [])
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        strings = [str(v).strip() for v in value]
        if strings or not required:
            return tuple(strings)
    problems.add(item.line_of(key), entry, f"'{key}' must be a non-empty list of strings")
    return ()


def known_keys(
    item: Located, allowed: frozenset[str], problems: Problems, entry: str | None
) -> None:
    """Record every key of `item` that is not in `allowed` (a typo would drop data silently)."""
    for key in sorted(set(item) - allowed):
        problems.add(item.line_of(key), entry, f"unknown field '{key}'")


def entry_id(item: Located, problems: Problems) -> str:
    """Return the item's id, recording a problem when it is missing or malformed."""
    value = item.get("id")
    if isinstance(value, str) and ID_PATTERN.match(value):
        return value
    problems.add(item.line_of("id"), None, f"'id' must match {ID_PATTERN.pattern}, got {value!r}")
    return f"<line {item.line}>"
