"""Start-up and batch: load and index the content, and `ask --json` over 1,000 questions."""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass

from bench.common import REPEATS, Spread, run_measured
from bot.core import Responder, load_knowledge_base

BATCH = 1000
# A cold interpreter: import the core, load the content, build the index, report each.
COLD_LOAD = """
import json, time
t0 = time.perf_counter()
from bot.core import Responder, load_knowledge_base
t1 = time.perf_counter()
kb = load_knowledge_base()
t2 = time.perf_counter()
Responder(kb)
t3 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "load": t2 - t1, "index": t3 - t2}))
"""
ASK = (sys.executable, "-m", "bot", "ask", "--json")


@dataclass(frozen=True, slots=True)
class StartupResult:
    """Times in seconds, memory in MiB; every figure over REPEATS runs."""

    load_warm: Spread  # load_knowledge_base() in this process, repeated
    index_warm: Spread  # Responder(kb) in this process, repeated
    total_warm: Spread  # both, per repeat
    cold: dict[str, Spread]  # a fresh interpreter: import, load, index, load+index, process
    ask_one: Spread  # `ask --json` with one question on stdin, cold process
    ask_batch: Spread  # the same with BATCH questions
    ask_rss: Spread  # peak RSS of the batch process
    batch_lines_ok: bool  # one JSON line per question, every one parsed


def in_process() -> tuple[Spread, Spread, Spread]:
    """Time load_knowledge_base and Responder construction in this (warm) process."""
    loads, indexes, totals = [], [], []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        kb = load_knowledge_base()
        t1 = time.perf_counter()
        Responder(kb)
        t2 = time.perf_counter()
        loads.append(t1 - t0)
        indexes.append(t2 - t1)
        totals.append(t2 - t0)
    return Spread.of(loads), Spread.of(indexes), Spread.of(totals)


def cold_load() -> dict[str, Spread]:
    """Run COLD_LOAD in fresh interpreters: import, load, index, and the whole process."""
    parts: dict[str, list[float]] = {"import": [], "load": [], "index": [], "load+index": []}
    walls = []
    for _ in range(REPEATS):
        with tempfile.TemporaryFile() as out:
            finished = run_measured([sys.executable, "-c", COLD_LOAD], stdout=out)
            out.seek(0)
            found = json.loads(out.read())
        found["load+index"] = found["load"] + found["index"]
        walls.append(finished.wall)
        for name, values in parts.items():
            values.append(found[name])
    return {**{name: Spread.of(v) for name, v in parts.items()}, "process": Spread.of(walls)}


def ask(questions: Sequence[str]) -> tuple[list[float], list[float], bool]:
    """Run `ask --json` cold REPEATS times over these questions: walls, peak RSS, output ok."""
    walls, rss, ok = [], [], True
    with tempfile.TemporaryFile() as given:
        given.write("".join(f"{q}\n" for q in questions).encode())
        for _ in range(REPEATS):
            given.seek(0)
            with tempfile.TemporaryFile() as out:
                finished = run_measured(ASK, stdin=given, stdout=out)
                out.seek(0)
                lines = out.read().decode().splitlines()
            ok = ok and finished.returncode == 0 and _all_replies(lines, len(questions))
            walls.append(finished.wall)
            rss.append(finished.max_rss_mib)
    return walls, rss, ok


def _all_replies(lines: list[str], expected: int) -> bool:
    try:
        return len(lines) == expected and all(json.loads(line)["kind"] for line in lines)
    except (ValueError, KeyError):
        return False


def run(questions: Sequence[str]) -> StartupResult:
    """Measure start-up and the cold batch."""
    load_warm, index_warm, total_warm = in_process()
    cold = cold_load()
    one, _, _ = ask(questions[:1])
    batch = [questions[n % len(questions)] for n in range(BATCH)]
    walls, rss, ok = ask(batch)
    return StartupResult(
        load_warm=load_warm,
        index_warm=index_warm,
        total_warm=total_warm,
        cold=cold,
        ask_one=Spread.of(one),
        ask_batch=Spread.of(walls),
        ask_rss=Spread.of(rss),
        batch_lines_ok=ok,
    )
