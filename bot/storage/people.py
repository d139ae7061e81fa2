"""Who voted or sent a question, as a keyed hash: stable per user, useless without the key.

A plain hash of a Telegram user id could be reversed by trying every id; an HMAC with a
secret the database never holds cannot. The same user always gets the same value, so a
second vote replaces the first and /forget finds every row of that user.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from bot.storage.schema import PERSON_CHARS

KEY_FILE = "person-key"
KEY_BYTES = 32


class People:
    """Turn user ids into keyed hashes."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("the person key must be at least 16 bytes")
        self._key = key

    def of(self, user_id: int) -> str:
        """Return the keyed hash that stands for this user in the database."""
        digest = hmac.new(self._key, str(user_id).encode(), hashlib.sha256).hexdigest()
        return digest[:PERSON_CHARS]


def key_from_file(state_dir: Path) -> bytes:
    """Return the key kept in the state folder, created (readable by us only) on first use."""
    path = state_dir / KEY_FILE
    if not path.exists():
        state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it first: read theirs
        else:
            with os.fdopen(fd, "w") as file:
                file.write(secrets.token_hex(KEY_BYTES))
    return bytes.fromhex(path.read_text(encoding="ascii").strip())
