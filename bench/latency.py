"""Matcher latency per question, ours against extractOne(WRatio), at 1x, 10x and 100x content.

Ours is `Responder.reply` (everything the core does for a question: normalise, correct
typos, safety rules, small talk, rank, decide); the baseline is the obvious one-liner over
the same phrasings. Both are timed back to back on each question, so drift on a noisy
machine hits both alike.
"""

from __future__ import annotations

import string
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from rapidfuzz import fuzz, process, utils

from bench.common import REPEATS, Spread, percentile
from bot.core import Entry, KnowledgeBase, Responder, Uncovered
from bot.core.analysis import Analysis, Analyzer
from bot.core.matcher import Matcher
from bot.core.safety import SafetyCheck
from bot.core.smalltalk import SmallTalkMatcher
from bot.core.text import normalize

# (content scale, time every n-th labelled question). The baseline costs ~1 µs per
# phrasing, so at 10x and 100x only every 4th and 16th question is timed to keep
# `make bench` short; the
# 100x questions are a subset of the 10x ones, which are a subset of the 1x ones.
SIZES = ((1, 1), (10, 4), (100, 16))
COMMON_STEP = 16  # growth is compared on the questions timed at every size
Item = TypeVar("Item", Entry, Uncovered)


def clone_word(number: int) -> str:
    """Return a letters-only word unique to one clone ("zqab"): digits would be split off."""
    letters = ""
    while True:
        number, digit = divmod(number, 26)
        letters = string.ascii_lowercase[digit] + letters
        if number == 0:
            return "zq" + letters.rjust(2, "a")


def scaled(kb: KnowledgeBase, factor: int) -> KnowledgeBase:
    """Return kb with entries and uncovered topics cloned factor times.

    Each clone gets new ids and one distinct synthetic word in every phrasing, so the
    vocabulary, the index and every posting list really grow with the content.
    """
    words = [clone_word(number) for number in range(1, factor)]
    return replace(
        kb,
        entries=(*kb.entries, *(_clone(e, w) for w in words for e in kb.entries)),
        uncovered=(*kb.uncovered, *(_clone(u, w) for w in words for u in kb.uncovered)),
    )


def _clone(item: Item, word: str) -> Item:
    return replace(
        item, id=f"{item.id}__{word}", phrasings=tuple(f"{p} {word}" for p in item.phrasings)
    )


@dataclass(frozen=True, slots=True)
class SizeResult:
    """Latency at one content size; times in seconds."""

    factor: int
    phrasings: int
    indices: tuple[int, ...]  # which labelled questions were timed
    build: float  # Responder construction (analyse every phrasing, build the index)
    first_sight: tuple[float, float]  # p50, p99 of the first pass (typo cache cold)
    ours: tuple[Spread, Spread]  # p50, p99 over questions; spread over repeats
    baseline: tuple[Spread, Spread]
    speedup: tuple[Spread, Spread]  # baseline / ours, p50 and p99, per repeat
    per_question: tuple[list[float], list[float]]  # median over repeats, ours and baseline
    stages: dict[str, tuple[float, float]]  # stage -> (p50, p99), one pass


def measure_size(kb: KnowledgeBase, questions: Sequence[str], factor: int, step: int) -> SizeResult:
    """Time ours and the baseline on every step-th question at one content size."""
    content = scaled(kb, factor)
    started = time.perf_counter()
    responder = Responder(content)
    build = time.perf_counter() - started
    phrasings = [p for item in content.matchable for p in item.phrasings]
    indices = tuple(range(0, len(questions), step))
    asked = [questions[i] for i in indices]
    first, _ = _pass(responder, phrasings, asked)  # the typo cache starts empty
    passes = [_pass(responder, phrasings, asked) for _ in range(REPEATS)]
    ours = [p[0] for p in passes]
    base = [p[1] for p in passes]
    return SizeResult(
        factor=factor,
        phrasings=len(phrasings),
        indices=indices,
        build=build,
        first_sight=(percentile(first, 0.5), percentile(first, 0.99)),
        ours=_quantiles(ours),
        baseline=_quantiles(base),
        speedup=(_ratios(base, ours, 0.5), _ratios(base, ours, 0.99)),
        per_question=(_per_question(ours), _per_question(base)),
        stages=stage_breakdown(responder, content, asked),
    )


def _pass(
    responder: Responder, phrasings: list[str], questions: Sequence[str]
) -> tuple[list[float], list[float]]:
    """Time one pass over the questions: ours, then the baseline, on each question."""
    clock = time.perf_counter_ns
    ours, base = [], []
    for question in questions:
        t0 = clock()
        responder.reply(question)
        t1 = clock()
        process.extractOne(question, phrasings, scorer=fuzz.WRatio, processor=utils.default_process)
        t2 = clock()
        ours.append((t1 - t0) / 1e9)
        base.append((t2 - t1) / 1e9)
    return ours, base


def _quantiles(passes: list[list[float]]) -> tuple[Spread, Spread]:
    return (
        Spread.of([percentile(p, 0.5) for p in passes]),
        Spread.of([percentile(p, 0.99) for p in passes]),
    )


def _ratios(base: list[list[float]], ours: list[list[float]], share: float) -> Spread:
    return Spread.of(
        [percentile(b, share) / percentile(o, share) for b, o in zip(base, ours, strict=True)]
    )


def _per_question(passes: list[list[float]]) -> list[float]:
    return [sorted(times)[len(times) // 2] for times in zip(*passes, strict=True)]


def stage_breakdown(
    responder: Responder, kb: KnowledgeBase, questions: Sequence[str]
) -> dict[str, tuple[float, float]]:
    """Time the core's stages separately, one pass, typo cache warm: p50 and p99 each."""
    # Built the way Responder builds its own (the core keeps them private).
    words = {w for item in kb.matchable for p in item.phrasings for w in normalize(p).split()}
    matcher = Matcher(kb, Analyzer(kb.lexicon, words))
    smalltalk = SmallTalkMatcher(kb.smalltalk)
    net = kb.models.safety
    safety = SafetyCheck(kb.safety, kb.safety_context, kb.lexicon.safety_words)
    stages: dict[str, Callable[[Analysis], object]] = {
        "safety rules": safety.check,
        # The learned net's own cost per message: featurize and score (bot/core/learned.py).
        "safety net": (lambda a: net.probabilities(a.normalized)) if net else (lambda a: None),
        "small talk": smalltalk.match,
        "rank (index)": matcher.rank,
    }
    timings: dict[str, list[float]] = {"analyse (typos)": [], **{name: [] for name in stages}}
    clock = time.perf_counter_ns
    for question in questions:
        t0 = clock()
        analysis = responder.analyze(question)
        timings["analyse (typos)"].append((clock() - t0) / 1e9)
        for name, stage in stages.items():
            t0 = clock()
            stage(analysis)
            timings[name].append((clock() - t0) / 1e9)
    return {name: (percentile(t, 0.5), percentile(t, 0.99)) for name, t in timings.items()}


def growth(results: list[SizeResult]) -> dict[int, tuple[float, float]]:
    """Return, per size, how much ours and the baseline p50 grew over the 1x size.

    Compared on the questions timed at every size (every COMMON_STEP-th one).
    """
    common = set(range(0, max(max(r.indices) for r in results) + 1, COMMON_STEP))
    p50s = {}
    for result in results:
        keep = [n for n, i in enumerate(result.indices) if i in common]
        ours, base = result.per_question
        p50s[result.factor] = (
            percentile([ours[n] for n in keep], 0.5),
            percentile([base[n] for n in keep], 0.5),
        )
    first = p50s[results[0].factor]
    return {f: (o / first[0], b / first[1]) for f, (o, b) in p50s.items()}


def run(kb: KnowledgeBase, questions: Sequence[str]) -> list[SizeResult]:
    """Measure every size."""
    return [measure_size(kb, questions, factor, step) for factor, step in SIZES]
