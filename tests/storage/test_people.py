"""Users as keyed hashes: stable, distinct, and the key kept out of the database."""

from __future__ import annotations

import stat
from pathlib import Path

from bot.storage.people import People, key_from_file


def test_the_same_user_is_always_the_same_person_and_others_differ() -> None:
    """Stable within a key; different users and different keys give different values."""
    people = People(b"a" * 32)

    assert people.of(42) == People(b"a" * 32).of(42)
    assert people.of(42) != people.of(43)
    assert people.of(42) != People(b"b" * 32).of(42)
    assert "42" not in people.of(42)


def test_a_generated_key_is_created_once_readable_by_the_owner_only(tmp_path: Path) -> None:
    """First start writes it (0600); later starts read the same key."""
    first = key_from_file(tmp_path / "state")
    again = key_from_file(tmp_path / "state")

    mode = stat.S_IMODE((tmp_path / "state" / "person-key").stat().st_mode)
    assert first == again
    assert len(first) == 32
    assert mode == 0o600
