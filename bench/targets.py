"""The targets of issues 2 and 5: each with this run's figure and whether it was met."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bench import latency
from bench.common import duration, percent, times

if TYPE_CHECKING:
    from bench.report import Results


def verdict(ok: bool) -> str:
    """Say whether a target was met."""
    return "met" if ok else "**NOT met**"


def lines(results: Results) -> list[str]:
    """Return one line per target that this run measured."""
    found = ["### Targets", ""]
    if results.latency:
        found += _matcher(results.latency)
    if results.startup:
        warm, cold = results.startup.total_warm.median, results.startup.cold["load+index"].median
        found.append(
            f"- content load + index build under 300 ms (issue 2): {duration(warm)} warm, "
            f"{duration(cold)} in a fresh interpreter: {verdict(max(warm, cold) < 0.3)}"
        )
    if results.e2e:
        ratio = results.e2e.ratios["limiter off / echo"].median
        cpu = results.e2e.cpu_per_update
        by_cpu = cpu["echo bot"][0] / cpu["glutamine bot, limiter off"][0]
        found.append(
            f"- at least 80% of the echo bot's rate: {percent(ratio)}: {verdict(ratio >= 0.8)} "
            f"(by CPU per update, the bot costs {percent(1 / by_cpu)} of the echo bot's, "
            f"so its CPU-bound rate would be {percent(by_cpu)} of the echo bot's)"
        )
    return found


def _matcher(sizes: list[latency.SizeResult]) -> list[str]:
    shipped = sizes[0]
    p99, speedup = shipped.ours[1].median, shipped.speedup
    found = [
        f"- p99 under 1 ms at the shipped size: {duration(p99)}: {verdict(p99 < 1e-3)}",
        f"- at least 10x faster than extractOne(WRatio) at the shipped size: "
        f"{times(speedup[0].median)} at p50, {times(speedup[1].median)} at p99: "
        f"{verdict(min(speedup[0].median, speedup[1].median) >= 10)}",
    ]
    # The matching itself (analyse + rank) is what extractOne does; the rest of a reply
    # (safety rules, small talk) is work the baseline does not do at all.
    matching = shipped.stages["analyse (typos)"][0] + shipped.stages["rank (index)"][0]
    baseline = shipped.baseline[0].median
    found.append(
        f"- the same comparison for the matching alone (analyse + rank p50 "
        f"{duration(matching)}, stage timings of this run) against extractOne p50 "
        f"{duration(baseline)}: {times(baseline / matching)}"
    )
    grown = latency.growth(sizes)
    for size in sizes[1:]:
        ours = grown[size.factor][0]
        found.append(
            f"- cost growing slower than content, {size.factor}x content: p50 grew "
            f"{times(ours)}: {verdict(ours < size.factor)}"
        )
    return found
