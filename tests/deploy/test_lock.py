"""The lock files pin every dependency pyproject.toml declares, within its range."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9._-]+)==(\S+)")
HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}")


def declared(extra: str | None = None) -> list[Requirement]:
    """Return the requirements of the project, or of one of its extras."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    listed = project["dependencies"] if extra is None else project["optional-dependencies"][extra]
    return [Requirement(line) for line in listed]


def pins(lock: str) -> dict[str, str]:
    """Return the name and version of every package pinned in a lock file."""
    found: dict[str, str] = {}
    for line in (REPO / lock).read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line):
            found[canonicalize_name(match[1])] = match[2]
    return found


@pytest.mark.parametrize(
    ("lock", "extras"),
    [("requirements.lock", [None]), ("requirements-dev.lock", [None, "dev"])],
)
def test_every_declared_dependency_is_pinned_within_its_range(
    lock: str, extras: list[str | None]
) -> None:
    """A dependency added to pyproject.toml without `make lock` fails here."""
    pinned = pins(lock)
    wanted = [req for extra in extras for req in declared(extra)]

    unpinned = [str(req) for req in wanted if canonicalize_name(req.name) not in pinned]
    outside = [
        f"{req} (locked {pinned[canonicalize_name(req.name)]})"
        for req in wanted
        if canonicalize_name(req.name) in pinned
        and not req.specifier.contains(pinned[canonicalize_name(req.name)], prereleases=True)
    ]
    assert (unpinned, outside) == ([], []), "run `make lock`"


def test_the_dev_lock_runs_the_same_versions_as_the_runtime_lock() -> None:
    """Tests run against exactly what `make run` and the deploy recipes install."""
    runtime, dev = pins("requirements.lock"), pins("requirements-dev.lock")

    assert {name: dev.get(name) for name in runtime} == runtime


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-dev.lock"])
def test_every_pin_carries_a_hash(lock: str) -> None:
    """pip installs the lock with --require-hashes: each pinned package has its sha256."""
    blocks = re.split(r"\n(?=[A-Za-z0-9])", (REPO / lock).read_text(encoding="utf-8"))
    without = [b.split()[0] for b in blocks if PIN.match(b) and not HASH.search(b)]

    assert without == []
