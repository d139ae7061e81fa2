"""What the learned models cost: fresh-interpreter load, and scoring per message.

Usage: python bench/learned_cost.py
Load: a new interpreter imports the core, then loads each model file alone (CPU and wall
time, median of 5). Scoring: every labelled message in content/training of 25-35 words,
normalised, scored by each model; p50 and p99 over all calls, with the word cache cold
(the first pass over a freshly loaded model) and warm (later passes); warm also in CPU
time, which a busy shared machine disturbs less than wall time.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bot.core import load_knowledge_base
from bot.core.learned import MODELS_DIR, LinearTextModel
from bot.core.loader import DEFAULT_CONTENT_DIR
from bot.core.text import normalize
from bot.core.training_data import load_training

ROOT = Path(__file__).resolve().parents[1]
REPEATS = 5
WARM_PASSES = 20
LOAD = """
import json, sys, time
from pathlib import Path
import bot.core
from bot.core.learned import LinearTextModel
wall, cpu = time.perf_counter(), time.process_time()
LinearTextModel.from_file(Path(sys.argv[1]))
print(json.dumps([time.perf_counter() - wall, time.process_time() - cpu]))
"""


def fresh_load(path: Path) -> tuple[float, float]:
    """Return the median (wall, CPU) seconds of loading `path` in a new interpreter."""
    runs = []
    for _ in range(REPEATS):
        out = subprocess.run(  # noqa: S603 - our own interpreter on our own file
            [sys.executable, "-c", LOAD, str(path)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        runs.append(json.loads(out.stdout))
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def percentiles(samples: list[float]) -> str:
    """Format p50 and p99 of `samples` (seconds) in microseconds."""
    ordered = sorted(samples)
    p50, p99 = ordered[len(ordered) // 2], ordered[int(len(ordered) * 0.99)]
    return f"p50 {p50 * 1e6:.0f} us, p99 {p99 * 1e6:.0f} us"


def scoring(path: Path, texts: list[str]) -> tuple[str, str, str]:
    """Return percentiles of scoring `texts`: cold cache, warm (wall), warm (CPU)."""
    model = LinearTextModel.from_file(path)
    cold: list[float] = []
    warm: list[float] = []
    cpu: list[float] = []
    for n in range(WARM_PASSES + 1):
        for text in texts:
            start, start_cpu = time.perf_counter(), time.process_time()
            model.probabilities(text)
            (cold if n == 0 else warm).append(time.perf_counter() - start)
            if n:
                cpu.append(time.process_time() - start_cpu)
    return percentiles(cold), percentiles(warm), percentiles(cpu)


def main() -> int:
    """Print the load and scoring cost of each shipped model."""
    kb = load_knowledge_base()
    cases = load_training(kb, DEFAULT_CONTENT_DIR)
    texts = [t for c in cases if 25 <= len((t := normalize(c.question)).split()) <= 35]
    print(f"{len(texts)} messages of 25-35 words; {WARM_PASSES} warm passes")
    for name in ("safety", "questions"):
        path = DEFAULT_CONTENT_DIR / MODELS_DIR / f"{name}.json"
        wall, cpu = fresh_load(path)
        cold, warm, cpu_warm = scoring(path, texts)
        size = path.stat().st_size / 1e6
        print(f"{name}: {size:.2f} MB; fresh load {wall * 1e3:.0f} ms wall, {cpu * 1e3:.0f} ms CPU")
        print(f"  scoring: cold cache {cold}; warm {warm}; warm CPU {cpu_warm}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
