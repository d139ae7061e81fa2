"""Shared by the benchmarks: paths, labelled questions, child processes, statistics."""

from __future__ import annotations

import math
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import IO

import yaml

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
LABELLED = tuple(
    sorted(
        [
            *(ROOT / "tests/data").glob("questions_*.yaml"),
            *(ROOT / "content/training").glob("questions_*.yaml"),
        ]
    )
)
# Every repeated measurement is taken this many times; tables show median [min-max].
REPEATS = 5
LIBRARIES = ("python-telegram-bot", "rapidfuzz", "PyYAML", "httpx", "python-dotenv")
_SETTING = re.compile(r"^([A-Z][A-Z0-9_]*)=", re.MULTILINE)


def labelled_questions() -> list[str]:
    """Return every labelled question (tests/data/ and content/training/), in file order."""
    return [
        str(case["q"])
        for path in LABELLED
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
    ]


def child_env(**settings: str) -> dict[str, str]:
    """Return a clean environment for a child: every bot setting blank unless given.

    A blank value means "not set" and wins over a developer's `.env`, so a local `.env`
    cannot change what is measured. The names come from `.env.example`, which documents
    every setting.
    """
    names = _SETTING.findall((ROOT / ".env.example").read_text(encoding="utf-8"))
    return {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        **dict.fromkeys(names, ""),
        **settings,
    }


@dataclass(frozen=True, slots=True)
class Finished:
    """A child process that ran to the end: wall time, peak RSS, exit status."""

    wall: float
    max_rss_mib: float
    returncode: int


def peak_rss_mib(pid: int) -> float:
    """Return a running process's peak RSS so far (VmHWM) in MiB; 0 once it has exited.

    Not `ru_maxrss`: on Linux a child's ru_maxrss starts from the RSS of the parent it was
    forked from, so every child of a big benchmark process would look as big.
    """
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # kB
    return 0.0


def wait_measured(
    process: subprocess.Popen[bytes], started: float, seconds: float, peak: float = 0.0
) -> Finished:
    """Wait for a child, sampling its peak RSS every millisecond; kill it after `seconds`.

    VmHWM only grows, so the last sample before the exit misses at most a millisecond.
    """
    deadline = time.monotonic() + seconds
    while process.poll() is None:
        peak = max(peak, peak_rss_mib(process.pid))
        if time.monotonic() > deadline:
            process.kill()
        time.sleep(0.001)
    return Finished(time.perf_counter() - started, peak, process.returncode)


def run_measured(
    argv: Sequence[str], stdin: IO[bytes] | None = None, stdout: IO[bytes] | None = None
) -> Finished:
    """Run a command to the end from a cold start; return wall time and peak RSS."""
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        argv,
        cwd=ROOT,
        env=child_env(),
        stdin=stdin,
        stdout=stdout if stdout is not None else subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return wait_measured(process, started, seconds=120)


def percentile(values: Sequence[float], share: float) -> float:
    """Return the `share` quantile of values (linear interpolation between neighbours)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * share
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True, slots=True)
class Spread:
    """Repeated measurements of one figure: median, min and max."""

    median: float
    low: float
    high: float
    n: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        """Summarise repeated measurements."""
        return cls(statistics.median(values), min(values), max(values), len(values))

    def show(self, unit: Callable[[float], str]) -> str:
        """Return "median [min-max]" in a unit, or just the value when measured once."""
        if self.n == 1:
            return unit(self.median)
        return f"{unit(self.median)} [{unit(self.low)}-{unit(self.high)}]"


def duration(seconds: float) -> str:
    """Format a duration in µs, ms or s, three significant digits."""
    for unit, scale in (("µs", 1e6), ("ms", 1e3)):
        shown = f"{seconds * scale:.3g}"
        if float(shown) < 1000:
            return f"{shown} {unit}"
    return f"{seconds:.3g} s"


def times(ratio: float) -> str:
    """Format a ratio as a multiplier."""
    return f"{ratio:.2g}x" if ratio < 10 else f"{ratio:.0f}x"


def percent(ratio: float) -> str:
    """Format a ratio as a percentage."""
    return f"{ratio:.0%}"


def machine() -> dict[str, str]:
    """Describe the machine and the software the figures were taken with."""
    cpu = "unknown"
    with Path("/proc/cpuinfo").open(encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    found = {
        "cores (nproc)": str(len(os.sched_getaffinity(0))),
        "CPU": cpu,
        "OS": f"{platform.system()} {platform.release()}",
        "Python": sys.version.split()[0],
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
    for name in LIBRARIES:
        found[name] = metadata.version(name)
    return found
