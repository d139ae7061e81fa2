"""The terminal chat in a real pseudo-terminal: readline's editing and history are on."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from bot.core import Responder

UP, LEFT, ENTER, CTRL_D = b"\x1b[A", b"\x1b[D", b"\r", b"\x04"


def words(text: str) -> str:
    """Return the text with every run of whitespace as one space."""
    return " ".join(text.split())


class Terminal:
    """A process on the far side of a pty: type into it, read what it shows."""

    def __init__(self, command: list[str], cwd: Path) -> None:
        self.master, slave = pty.openpty()
        env = {"PATH": os.environ.get("PATH", ""), "TERM": "xterm", "COLUMNS": "80"}
        env |= {"TELEGRAM_BOT_TOKEN": "", "PYTHONUTF8": "1", "HOME": str(cwd)}
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            command, stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env
        )
        os.close(slave)
        self.shown = b""

    def type(self, keys: bytes) -> None:
        """Send keystrokes."""
        os.write(self.master, keys)

    def wait_for(self, text: str, count: int = 1, seconds: float = 30.0) -> str:
        """Read until the screen shows text `count` times; return everything shown so far."""
        deadline = time.monotonic() + seconds
        while self.shown.decode(errors="replace").count(text) < count:
            assert time.monotonic() < deadline, f"never showed {text!r} x{count}"
            if select.select([self.master], [], [], 0.2)[0]:
                try:
                    self.shown += os.read(self.master, 65536)
                except OSError:  # the process ended and closed its side
                    break
        return self.shown.decode(errors="replace")

    def close(self) -> int:
        """Wait for the process to end; return its exit status."""
        try:
            return self.process.wait(timeout=30)
        finally:
            os.close(self.master)


def test_up_arrow_recalls_the_last_question_and_arrows_edit_the_line(
    responder: Responder, tmp_path: Path
) -> None:
    """Up recalls the question; Left moves the cursor to fix a typo; Ctrl-D leaves (status 0)."""
    terminal = Terminal([sys.executable, "-m", "bot", "chat"], tmp_path)
    try:
        terminal.wait_for("you> ")
        terminal.type(b"what is leaky gut" + ENTER)
        terminal.wait_for("you> ", 2)
        terminal.type(UP + ENTER)  # the same question again, from history
        terminal.wait_for("you> ", 3)
        # "which foods contain" + "glutamne", then Left x2 and the missing "i".
        terminal.type(b"which foods contain glutamne" + LEFT * 2 + b"i" + ENTER)
        shown = terminal.wait_for("you> ", 4)
        terminal.type(CTRL_D)
    finally:
        status = terminal.close()

    leaky_gut = words(responder.reply("what is leaky gut").body)
    foods = words(responder.reply("which foods contain glutamine").body)
    assert words(shown).count(leaky_gut) == 2
    assert foods in words(shown)
    assert status == 0
