"""Read YAML files keeping the line number of every mapping, for precise error messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.core.errors import ContentError, Problem


class Located(dict[str, Any]):
    """A YAML mapping that remembers the (1-based) line of itself and of each key."""

    line: int
    key_lines: dict[str, int]
    duplicate_keys: list[tuple[str, int]]

    def __init__(self, *args: Any, line: int = 1) -> None:
        super().__init__(*args)
        self.line = line
        self.key_lines = {}
        self.duplicate_keys = []

    def line_of(self, key: str) -> int:
        """Return the line of `key`, or of the mapping itself when the key is absent."""
        return self.key_lines.get(key, self.line)


class LocatedList(list[Any]):
    """A YAML sequence that remembers the (1-based) line of each item."""

    lines: list[int]

    def __init__(self, *args: Any, lines: list[int] | None = None) -> None:
        super().__init__(*args)
        self.lines = lines or []

    def line_at(self, index: int, default: int) -> int:
        """Return the line of item `index`, or `default` when it is unknown."""
        return self.lines[index] if 0 <= index < len(self.lines) else default


# libyaml's C parser when PyYAML was built with it (the wheels are): the pure-Python one
# makes loading the content several times slower.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """A safe loader whose mappings are `Located` dicts."""


def _construct_located(loader: _LineLoader, node: yaml.MappingNode) -> Located:
    # Keys are kept as written: an unquoted `no:` is the key "no", not the boolean False.
    mapping = Located(line=node.start_mark.line + 1)
    for key_node, value_node in node.value:
        key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else repr(key_node)
        line = key_node.start_mark.line + 1
        if key in mapping:
            mapping.duplicate_keys.append((key, line))
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = line
    return mapping


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LocatedList:
    # Items' own lines, so a word in a long flow list can be pointed at (lexicon checks).
    items = [loader.construct_object(item, deep=True) for item in node.value]
    return LocatedList(items, lines=[item.start_mark.line + 1 for item in node.value])


def _duplicates(path: Path, node: object) -> list[Problem]:
    """Find keys given twice anywhere in the document (YAML would keep the last silently)."""
    found: list[Problem] = []
    if isinstance(node, Located):
        entry = node.get("id") if isinstance(node.get("id"), str) else None
        found += [
            Problem(path, line, entry, f"'{key}' given twice") for key, line in node.duplicate_keys
        ]
        for value in node.values():
            found += _duplicates(path, value)
    elif isinstance(node, list):
        for value in node:
            found += _duplicates(path, value)
    return found


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_located,
)
_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG,
    _construct_sequence,
)


def read_yaml(path: Path) -> Located:
    """Parse one YAML file whose top level must be a mapping; raise ContentError otherwise."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError([Problem(path, None, None, f"cannot read file: {exc}")]) from exc
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - _LineLoader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        # An unclosed quote or bracket is only noticed at the end of the file: point at where
        # the unfinished construct began instead.
        if exc.context_mark is not None and (mark is None or mark.index >= len(text.rstrip())):
            mark = exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise ContentError([Problem(path, line, None, f"invalid YAML: {exc.problem}")]) from exc
    except yaml.YAMLError as exc:
        raise ContentError([Problem(path, None, None, f"invalid YAML: {exc}")]) from exc
    if not isinstance(data, Located):
        raise ContentError([Problem(path, 1, None, "the file must hold a mapping at top level")])
    duplicates = _duplicates(path, data)
    if duplicates:
        raise ContentError(duplicates)
    return data
