"""Invariants of the public surface: the core stays pure."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "bot" / "core"


def test_the_core_never_imports_telegram() -> None:
    """Loading, matching and replies are plain Python, usable without Telegram."""
    offenders = []
    for path in sorted(CORE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [
                f"{path.name}: {n}"
                for n in names
                if n.split(".")[0] in {"telegram", "bot.tg"} or n.startswith("bot.tg")
            ]
    assert offenders == []
