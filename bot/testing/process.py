"""Run the bot as a real process (`python -m bot run`), as an operator or supervisor would."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import IO

from bot.testing.constants import TOKEN

REPO = Path(__file__).resolve().parents[2]  # the checkout: bot/testing/process.py
SETTINGS = (
    "TELEGRAM_BOT_TOKEN", "TELEGRAM_BASE_URL", "WEBHOOK_URL", "WEBHOOK_SECRET", "WEBHOOK_LISTEN",
    "WEBHOOK_PORT", "LOG_LEVEL", "LOG_USER_TEXT", "CONTENT_DIR", "FLOOD_MAX_MESSAGES",
    "FLOOD_WINDOW_SECONDS", "LOG_FORMAT", "METRICS_LISTEN", "METRICS_PORT", "OPS_CHAT_ID",
    "CONTEXT_TTL_SECONDS", "REDIS_URL", "FEEDBACK", "DATABASE_URL", "STATE_DIR",
    "FEEDBACK_SECRET", "MISSES_RETENTION_DAYS",
)  # fmt: skip


def start_bot(
    base_url: str,
    token: str = TOKEN,
    log: IO[str] | None = None,
    *,
    open_files: int | None = None,
    program: tuple[str, ...] = ("-m", "bot", "run"),
    **settings: str,
) -> subprocess.Popen[str]:
    """Run `python -m bot run` against base_url; every setting given, so .env cannot interfere.

    stdout and stderr (the log) go to `log` when given: a pipe nobody reads fills up.
    `open_files` lowers the process's open-files limit (`ulimit -n`) to that many;
    `program` runs another entry point instead (the benchmark's bot without a rate limit).
    """
    environ = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(REPO),
        **dict.fromkeys(SETTINGS, ""),  # empty means unset, and the environment wins over .env
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_BASE_URL": base_url,
        "LOG_LEVEL": "INFO",
        "FEEDBACK": "false",  # nothing stored in the checkout unless a test asks for it
        **settings,
    }
    command = [sys.executable, *program]
    if open_files is not None:
        command = [sys.executable, "-c", _LIMITED, str(open_files)]
    return subprocess.Popen(  # noqa: S603 - our own interpreter running the bot
        command,
        cwd=REPO,
        env=environ,
        stdout=subprocess.PIPE if log is None else log,
        stderr=subprocess.PIPE if log is None else log,
        text=True,
    )


# `python -m bot run`, after lowering the open-files limit to sys.argv[1].
_LIMITED = (
    "import resource, runpy, sys; n = int(sys.argv[1]); "
    "resource.setrlimit(resource.RLIMIT_NOFILE, (n, n)); sys.argv = ['bot', 'run']; "
    "runpy.run_module('bot', run_name='__main__', alter_sys=True)"
)


def free_port() -> int:
    """Return a port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
