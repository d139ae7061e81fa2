"""What the end-to-end benchmark observes: reply arrival times, CPU, open connections."""

from __future__ import annotations

import os
import resource
import time
from pathlib import Path
from typing import Any

from bot.testing.fake_bot_api import FakeBotApi

LISTEN_BACKLOG = 1024


class TimedFakeBotApi(FakeBotApi):
    """The tests' fake Bot API, also noting when each sendMessage arrived."""

    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.sent_at: list[float] = []
        # Python's servers listen with a backlog of 5: a burst of new connections from a
        # bot's pool (up to 256) overflows it and requests fail with resets. A real server
        # has a deep backlog; so does this one.
        self._server.socket.listen(LISTEN_BACKLOG)

    def handle(self, method: str, params: dict[str, Any]) -> tuple[Any, Any]:
        """Record the call as the fake does, with its arrival time."""
        if method == "sendMessage":
            self.sent_at.append(time.perf_counter())  # list.append is atomic across threads
        return super().handle(method, params)


def process_cpu(pid: int) -> float:
    """Return the user + system CPU seconds a running process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def own_cpu() -> float:
    """Return the CPU seconds this process (all its threads) has used so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def connections(port: int) -> int:
    """Count the established TCP connections to a port on 127.0.0.1 (the bots' side)."""
    wanted = f":{port:04X}"
    lines = Path("/proc/net/tcp").read_text(encoding="ascii").splitlines()[1:]
    # Columns: sl, local address, remote address, state (01 = established), ...
    return sum(1 for line in lines if (f := line.split())[2].endswith(wanted) and f[3] == "01")
