"""Run every benchmark, print the tables and write docs/benchmarks.md.

Usage: python bench/run.py   (what `make bench` runs; about two minutes on 2 cores)

Benchmarks report, they never fail: a section that breaks is reported as not completed,
the others still run, and the exit status is 0. Not part of `make test`.
"""

from __future__ import annotations

import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

if __package__ in {None, ""}:  # run as a script: make `bench`, `bot` and `tests` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import document, e2e, latency, report, startup
from bench.common import ROOT, labelled_questions, machine
from bot.core import Responder, load_knowledge_base

DOC = ROOT / "docs/benchmarks.md"


def sections(results: report.Results, questions: list[str]) -> dict[str, Callable[[], None]]:
    """Return each benchmark as a step that stores its result; CPU-heavy ones first."""
    kb = load_knowledge_base()
    # The echo bot answers text, not commands: offer only what both bots reply to.
    texts = [q for q in questions if q.strip() and not q.startswith("/")]

    def matcher() -> None:
        results.latency = latency.run(kb, questions)

    def batch() -> None:
        results.startup = startup.run(questions)

    def end_to_end() -> None:
        results.e2e = e2e.run(texts, Responder(kb))

    return {
        "matcher latency": matcher,
        "start-up and batch": batch,
        "end to end": end_to_end,
    }


def main() -> int:
    """Run, print, write the document; always exit 0."""
    started = time.perf_counter()
    questions = labelled_questions()
    chars = sum(map(len, questions)) / len(questions)
    results = report.Results(machine(), len(questions), chars)
    for name, step in sections(results, questions).items():
        print(f"running {name} ...", file=sys.stderr, flush=True)
        step_started = time.perf_counter()
        try:
            step()
        except Exception as error:  # report and carry on: a benchmark never fails the build
            traceback.print_exc()
            results.errors[name] = f"{type(error).__name__}: {error}"
        print(f"  {time.perf_counter() - step_started:.1f} s", file=sys.stderr, flush=True)
    results.seconds = time.perf_counter() - started
    lines = report.result_lines(results)
    print("\n".join(lines))
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(document.render(results, lines), encoding="utf-8")
    print(f"\nwrote {DOC.relative_to(ROOT)}; whole run {results.seconds:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
