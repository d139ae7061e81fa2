"""Render the benchmark results: markdown tables for the terminal and docs/benchmarks.md."""

from __future__ import annotations

from dataclasses import dataclass, field

from bench import e2e, latency, startup, targets
from bench.common import REPEATS, duration, percent, times

MiB = "MiB"
TELEGRAM_RATE = 30  # messages a second a bot may send overall


@dataclass
class Results:
    """Everything one run measured; a section that failed has None and an error."""

    machine: dict[str, str]
    questions: int
    question_chars: float  # average length of a labelled question
    latency: list[latency.SizeResult] | None = None
    startup: startup.StartupResult | None = None
    e2e: e2e.E2EResult | None = None
    errors: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0


def latency_tables(sizes: list[latency.SizeResult]) -> list[str]:
    """Return the matcher tables: latency, growth, and where the time goes."""
    lines = [
        f"### Matcher latency per question (median [min-max] over {REPEATS} passes)",
        "",
        "| content | phrasings | questions | ours p50 | ours p99 | extractOne p50 "
        "| extractOne p99 | speed-up p50 | speed-up p99 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in sizes:
        lines.append(
            f"| {r.factor}x | {r.phrasings:,} | {len(r.indices)} | {r.ours[0].show(duration)} "
            f"| {r.ours[1].show(duration)} | {r.baseline[0].show(duration)} "
            f"| {r.baseline[1].show(duration)} | {r.speedup[0].show(times)} "
            f"| {r.speedup[1].show(times)} |"
        )
    grown = latency.growth(sizes)
    common = len(range(0, max(sizes[-1].indices) + 1, latency.COMMON_STEP))
    lines += [
        "",
        f"### Growth with content (p50 on the {common} questions timed at every size)",
        "",
        "| content | ours p50 grew | extractOne p50 grew | index build "
        "| ours first pass p50 / p99 (typo cache cold) |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in sizes:
        ours, base = grown[r.factor]
        first = f"{duration(r.first_sight[0])} / {duration(r.first_sight[1])}"
        lines.append(
            f"| {r.factor}x | {times(ours)} | {times(base)} | {duration(r.build)} | {first} |"
        )
    lines += [
        "",
        "### Where a question's time goes (p50 / p99, one pass, typo cache warm)",
        "",
        "| stage | " + " | ".join(f"{r.factor}x" for r in sizes) + " |",
        "|---|" + "---:|" * len(sizes),
    ]
    for stage in sizes[0].stages:
        cells = [f"{duration(r.stages[stage][0])} / {duration(r.stages[stage][1])}" for r in sizes]
        lines.append(f"| {stage} | " + " | ".join(cells) + " |")
    return lines


def startup_table(result: startup.StartupResult, bot_rss: str) -> list[str]:
    """Return the start-up and batch table."""
    cold = result.cold
    per_question = (result.ask_batch.median - result.ask_one.median) / (startup.BATCH - 1)
    rows = [
        (
            "load content (`load_knowledge_base()`), warm process",
            result.load_warm.show(duration),
            "",
        ),
        ("build the index (`Responder(kb)`), warm process", result.index_warm.show(duration), ""),
        ("load + index, warm process", result.total_warm.show(duration), "< 300 ms"),
        ("fresh interpreter: `import bot.core`", cold["import"].show(duration), ""),
        ("fresh interpreter: load + index", cold["load+index"].show(duration), "< 300 ms"),
        ("fresh interpreter: whole process", cold["process"].show(duration), ""),
        ("`ask --json`, 1 question, cold process", result.ask_one.show(duration), ""),
        (
            f"`ask --json`, {startup.BATCH:,} questions, cold process",
            result.ask_batch.show(duration),
            "" if result.batch_lines_ok else "**output incomplete**",
        ),
        ("  per question beyond start-up (difference of medians)", duration(per_question), ""),
        (f"peak RSS, `ask` over {startup.BATCH:,} questions", result.ask_rss.show(mib), ""),
        ("peak RSS, `python -m bot run` (end-to-end run below)", bot_rss, ""),
    ]
    lines = [
        f"### Start-up and batch (median [min-max] over {REPEATS} runs)",
        "",
        "| measure | value | target |",
        "|---|---:|---|",
    ]
    lines += [f"| {name} | {value} | {target} |" for name, value, target in rows]
    return lines


def e2e_table(result: e2e.E2EResult) -> list[str]:
    """Return the end-to-end table."""
    off, shipped = result.ratios["limiter off / echo"], result.ratios["shipped / echo + limiter"]
    bare = result.rates["glutamine bot as shipped"].median / result.rates["echo bot"].median
    compared = {
        "echo bot": "the yardstick",
        "glutamine bot, limiter off": f"{off.show(percent)} of the echo bot (target ≥ 80%)",
        "echo bot + AIORateLimiter": "",
        "glutamine bot as shipped": f"{shipped.show(percent)} of echo + limiter; "
        f"{percent(bare)} of the bare echo bot",
    }
    sizes = {"echo bot": e2e.BURST, "glutamine bot, limiter off": e2e.BURST}
    lines = [
        "### End to end: updates per second through the real Application "
        "(median [min-max] over bursts)",
        "",
        "| bot (own process) | updates per burst | updates/s | compared | "
        "bot CPU per update | fake-server CPU per update | connections held | peak RSS |",
        "|---|---:|---:|---|---:|---:|---:|---:|",
    ]
    for name, rate in result.rates.items():
        bot_cpu, server_cpu = result.cpu_per_update[name]
        lines.append(
            f"| {name} | {sizes.get(name, e2e.LIMITED_BURST)} x {rate.n} | {rate.show(rounded)} "
            f"| {compared[name]} | {duration(bot_cpu)} | {duration(server_cpu)} "
            f"| {result.connections[name]} | {mib(result.rss[name])} |"
        )
    lines += ["", "Process checks: " + "; ".join(f"{k}: {v}" for k, v in result.notes.items())]
    return [*lines, "", telegram_context(result)]


def telegram_context(result: e2e.E2EResult) -> str:
    """Put the rates beside Telegram's limit of about 30 messages a second per bot."""
    capacity = result.rates["glutamine bot, limiter off"].median
    cpu = result.cpu_per_update["glutamine bot as shipped"][0]
    return (
        f"Context: Telegram lets a bot send about {TELEGRAM_RATE} messages a second overall. "
        f"With its rate limiter off the bot handled {capacity:.0f} updates/s in a burst, "
        f"{times(capacity / TELEGRAM_RATE)} that. As shipped it sends at Telegram's pace, "
        f"so Telegram's limit, not the bot, is the ceiling; at {duration(cpu)} of CPU per "
        f"update, {TELEGRAM_RATE} updates a second keep {percent(TELEGRAM_RATE * cpu)} of one "
        "core busy."
    )


def result_lines(results: Results) -> list[str]:
    """Return every table of this run (what `make bench` prints)."""
    lines: list[str] = []
    if results.latency:
        lines += [*latency_tables(results.latency), ""]
    if results.startup:
        rss = mib(results.e2e.rss["glutamine bot as shipped"]) if results.e2e else "n/a"
        lines += [*startup_table(results.startup, rss), ""]
    if results.e2e:
        lines += [*e2e_table(results.e2e), ""]
    lines += targets.lines(results)
    for section, error in results.errors.items():
        lines.append(f"- **{section} did not complete**: {error}")
    return lines


def mib(value: float) -> str:
    """Format MiB."""
    return f"{value:.0f} {MiB}"


def rounded(value: float) -> str:
    """Format a rate."""
    return f"{value:.0f}"
