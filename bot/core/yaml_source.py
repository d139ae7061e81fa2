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

    def line_of(self, key: str) -> int:
        """Return the line of `key`, or of the mapping itself when the key is absent."""
        return self.key_lines.get(key, self.line)


class _LineLoader(yaml.SafeLoader):
    """A safe loader whose mappings are `Located` dicts."""


def _construct_located(loader: _LineLoader, node: yaml.MappingNode) -> Located:
    mapping = Located(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {
        str(key.value): key.start_mark.line + 1 for key, _ in node.value if hasattr(key, "value")
    }
    return mapping


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_located,  # type: ignore[arg-type]
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
        line = mark.line + 1 if mark is not None else None
        raise ContentError([Problem(path, line, None, f"invalid YAML: {exc.problem}")]) from exc
    except yaml.YAMLError as exc:
        raise ContentError([Problem(path, None, None, f"invalid YAML: {exc}")]) from exc
    if not isinstance(data, Located):
        raise ContentError([Problem(path, 1, None, "the file must hold a mapping at top level")])
    return data
