"""Invariants of the structure: the core stays pure, imports point one way, no cycles."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BOT = ROOT / "bot"
CORE = BOT / "core"


def module_name(path: Path) -> str:
    """Return the dotted name of a module file under the checkout."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path, modules: frozenset[str] = frozenset()) -> Iterator[str]:
    """Yield every module a file imports, anywhere in it (lazy and type-only imports too).

    `from package import name` imports the submodule package.name when it is one of
    `modules`, else the package itself.
    """
    package = module_name(path) if path.name == "__init__.py" else module_name(path.parent)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against the importing package
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}".rstrip(".")
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                yield submodule if submodule in modules else base


def import_graph() -> dict[str, set[str]]:
    """Return, for each module in bot/, the modules of bot/ it imports."""
    files = {module_name(path): path for path in BOT.rglob("*.py")}
    modules = frozenset(files)
    return {
        name: {other for other in imported(path, modules) if other in files and other != name}
        for name, path in files.items()
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """Return one import cycle as a list of modules, or [] when there is none."""
    state: dict[str, str] = {}  # "open" while on the current path, "done" after

    def visit(node: str, path: list[str]) -> list[str]:
        state[node] = "open"
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target, [*path, target])):
                return cycle
        state[node] = "done"
        return []

    for start in sorted(graph):
        if start not in state and (cycle := visit(start, [start])):
            return cycle
    return []


def test_the_core_never_imports_telegram() -> None:
    """Loading, matching and replies are plain Python, usable without Telegram."""
    offenders = []
    for path in sorted(CORE.glob("*.py")):
        offenders += [
            f"{path.name}: {name}"
            for name in imported(path)
            if name.split(".")[0] == "telegram" or name.startswith("bot.tg")
        ]
    assert offenders == []


def test_no_module_in_bot_takes_part_in_an_import_cycle() -> None:
    """Imports point one way (type-only and lazy imports included), so modules load in any order."""
    assert find_cycle(import_graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    """A check that cannot fail proves nothing: the finder reports a cycle it is given."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]


def test_the_running_bot_never_imports_the_test_support_package() -> None:
    """bot.testing (fake Bot API, runners) is for tests and bench/, not production."""
    offenders = [
        f"{name} imports {target}"
        for name, targets in import_graph().items()
        if not name.startswith("bot.testing")
        for target in targets
        if target.startswith("bot.testing")
    ]
    assert offenders == []


def test_bench_never_imports_tests() -> None:
    """Benchmarks share fakes and runners with the tests through bot.testing, not tests/."""
    offenders = [
        f"{path.name}: {name}"
        for path in sorted((ROOT / "bench").glob("*.py"))
        for name in imported(path)
        if name.split(".")[0] == "tests"
    ]
    assert offenders == []


def imported_modules(folder: Path) -> list[tuple[str, str]]:
    """Return (file, module) for every import in the Python files of folder."""
    found = []
    for path in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found += [(path.name, alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                found.append((path.name, node.module))
    return found


def test_the_core_never_imports_the_state_or_storage_adapters() -> None:
    """Redis and the database are adapters: the core knows neither."""
    offenders = [
        f"{name}: {module}"
        for name, module in imported_modules(CORE)
        if module.startswith(("bot.state", "bot.storage", "redis", "sqlalchemy"))
    ]
    assert offenders == []


def test_state_and_storage_never_import_telegram() -> None:
    """The terminal chat and `report` use them without Telegram."""
    offenders = [
        f"{folder.name}/{name}: {module}"
        for folder in (CORE.parent / "state", CORE.parent / "storage")
        for name, module in imported_modules(folder)
        if module.split(".")[0] == "telegram" or module.startswith("bot.tg")
    ]
    assert offenders == []
