"""Run a labelled question set through the responder and score it per category."""

from __future__ import annotations

import enum
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.core.errors import ContentError, Problem
from bot.core.model import Reply, ReplyKind
from bot.core.responder import Responder
from bot.core.yaml_source import read_yaml


class Expectation(enum.StrEnum):
    """What a labelled question expects: an answer (with its entry), no answer, or a kind."""

    ANSWER = "answer"
    NO_ANSWER = "no_answer"  # anything but an answer: fallback, clarify, small talk...
    SAFETY = "safety"
    SMALLTALK = "smalltalk"


EXPECTATIONS = tuple(Expectation)
# The reply kind an expectation other than ANSWER and NO_ANSWER asks for.
_KIND = {Expectation.SAFETY: ReplyKind.SAFETY, Expectation.SMALLTALK: ReplyKind.SMALLTALK}
# Floors `eval` enforces (and `make test` with it) unless a labelled set declares its own
# `floors:`: the Done-when of issue 2 (held-out questions).
FLOORS = {
    Expectation.ANSWER: 0.95,
    Expectation.NO_ANSWER: 0.95,
    Expectation.SAFETY: 1.0,
    Expectation.SMALLTALK: 0.9,
}


@dataclass(frozen=True, slots=True)
class Case:
    """One labelled question."""

    question: str
    expect: Expectation
    group: str
    entry: str | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """How the bot replied to one case, and whether that was right."""

    case: Case
    reply: Reply
    ok: bool


@dataclass
class Report:
    """Accuracy per expectation and per group, with every miss."""

    outcomes: list[Outcome] = field(default_factory=list)

    def rate(self, key: str, *, by: str = "expect") -> tuple[int, int]:
        """Return (right, total) for one expectation or group."""
        chosen = [o for o in self.outcomes if getattr(o.case, by) == key]
        return sum(o.ok for o in chosen), len(chosen)

    def below_floor(self, floors: dict[Expectation, float] | None = None) -> list[str]:
        """Return the expectations whose accuracy is under their floor."""
        failing = []
        for expect, floor in (floors or FLOORS).items():
            ok, total = self.rate(expect)
            if total and ok / total < floor:
                failing.append(f"{expect}: {ok}/{total} < {floor:.0%}")
        return failing

    def confusions(self) -> Counter[tuple[str, str]]:
        """Count (expected, got) pairs among the misses."""
        return Counter((_want(o.case), _got(o.reply)) for o in self.outcomes if not o.ok)

    def lines(self) -> list[str]:
        """Render the report as text lines."""
        out = ["category     right/total  accuracy"]
        for expect in EXPECTATIONS:
            ok, total = self.rate(expect)
            if total:
                out.append(f"{expect:12} {ok:5}/{total:<5}  {ok / total:7.1%}")
        out.append("")
        out.append("group        right/total  accuracy")
        for group in sorted({o.case.group for o in self.outcomes}):
            ok, total = self.rate(group, by="group")
            out.append(f"{group:12} {ok:5}/{total:<5}  {ok / total:7.1%}")
        misses = [o for o in self.outcomes if not o.ok]
        if misses:
            out += ["", f"wrong ({len(misses)}):"]
            out += [
                f"  [{_want(o.case)}] {o.case.question!r} -> {_got(o.reply)} ({o.reply.score:.2f})"
                for o in misses
            ]
            out += ["", "confusions (expected -> got: count):"]
            out += [f"  {want} -> {got}: {n}" for (want, got), n in self.confusions().most_common()]
        return out


def read_cases(path: Path) -> list[Any]:
    """Return the `cases` list of a labelled file; raise ContentError when it is not one."""
    data = read_yaml(path)
    raw = data.get("cases")
    if not isinstance(raw, list):
        raise ContentError([Problem(path, data.line_of("cases"), None, "'cases' must be a list")])
    return raw


def load_cases(path: Path) -> list[Case]:
    """Read a labelled set: a mapping with `cases`, each with q, expect, group, entry."""
    raw = read_cases(path)
    cases = []
    for item in raw:
        line = getattr(item, "line", None)
        if (
            not isinstance(item, dict)
            or item.get("expect") not in EXPECTATIONS
            or not isinstance(item.get("q"), str)
        ):
            raise ContentError([Problem(path, line, None, f"malformed case: {item!r}")])
        if item["expect"] == Expectation.ANSWER and not item.get("entry"):
            raise ContentError([Problem(path, line, None, "an answer case needs 'entry'")])
        cases.append(
            Case(
                item["q"],
                Expectation(item["expect"]),
                str(item.get("group", item["expect"])),
                item.get("entry"),
            )
        )
    return cases


def load_floors(path: Path) -> dict[Expectation, float]:
    """Return the set's own `floors:` (a tuning set full of hard probes), else FLOORS."""
    data = read_yaml(path)
    floors = data.get("floors", FLOORS)
    valid = isinstance(floors, dict) and all(
        k in EXPECTATIONS and isinstance(v, int | float) and 0 <= v <= 1 for k, v in floors.items()
    )
    if not valid:
        raise ContentError([Problem(path, data.line_of("floors"), None, "malformed 'floors'")])
    return {Expectation(k): float(v) for k, v in floors.items()}


def evaluate(responder: Responder, cases: list[Case]) -> Report:
    """Reply to every case and judge each reply."""
    report = Report()
    for case in cases:
        reply = responder.reply(case.question)
        report.outcomes.append(Outcome(case, reply, _judge(case, reply)))
    return report


def _judge(case: Case, reply: Reply) -> bool:
    if case.expect is Expectation.ANSWER:
        return reply.kind is ReplyKind.ANSWER and reply.entry_id == case.entry
    if case.expect is Expectation.NO_ANSWER:
        return reply.kind is not ReplyKind.ANSWER
    return reply.kind is _KIND[case.expect]


def _want(case: Case) -> str:
    return f"answer:{case.entry}" if case.expect is Expectation.ANSWER else str(case.expect)


def _got(reply: Reply) -> str:
    """Return what the bot did and why: "fallback:other_subject", "answer:dosage (follow_up)"."""
    detail = reply.entry_id or reply.rule
    got = f"{reply.kind}:{detail}" if detail else str(reply.kind)
    return f"{got} ({reply.reason})" if reply.reason else got


def group_counts(cases: list[Case]) -> dict[str, int]:
    """Count cases per group."""
    counts: dict[str, int] = defaultdict(int)
    for case in cases:
        counts[case.group] += 1
    return dict(counts)
