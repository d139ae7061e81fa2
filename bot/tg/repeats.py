"""A log handler that writes a line repeated within a minute once, then how many times it came.

A fault that repeats (a poll failing every 30 s, the webhook at its connection cap) would
otherwise fill the log with one identical line after another.
"""

from __future__ import annotations

import logging
import time
from typing import TextIO

REPEAT_WINDOW = 60.0  # seconds: an identical line within this is counted, not written


class CollapsingHandler(logging.StreamHandler):  # type: ignore[type-arg]  # stdlib generic
    """Write a line repeated within `window` seconds once; then how many times it came."""

    def __init__(self, stream: TextIO, window: float = REPEAT_WINDOW) -> None:
        super().__init__(stream)
        self.window = window
        self._last: tuple[str, int, str, str | None] | None = None
        self._since = 0.0
        self._repeats = 0
        self._repeated: logging.LogRecord | None = None

    def emit(self, record: logging.LogRecord) -> None:
        """Write the record, unless it repeats the last one within the window."""
        key = (record.name, record.levelno, record.getMessage(), record.exc_text)
        now = time.monotonic()
        if key == self._last and now - self._since < self.window:
            self._repeats, self._repeated = self._repeats + 1, record
            return
        self._write_repeats()
        self._last, self._since = key, now
        super().emit(record)

    def flush(self) -> None:
        """Write the count of repeats still held back, then flush the stream."""
        self._write_repeats()
        super().flush()

    def _write_repeats(self) -> None:
        if self._repeats and self._repeated is not None:
            note = logging.makeLogRecord(
                {
                    "name": self._repeated.name,
                    "levelno": self._repeated.levelno,
                    "levelname": self._repeated.levelname,
                    "msg": f"(the line above, {self._repeats} more times)",
                }
            )
            self._repeats, self._repeated = 0, None
            super().emit(note)
