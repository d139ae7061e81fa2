"""The blind sets of issues 8 and 9, kept as regression floors after their first contact.

Each was written by a helper that had not read `content/` or `tests/`, measured once after
building (first-contact figures in docs/safety.md and docs/matching.md), then the bot was
fixed in general ways and these floors set just under what it measures now. On failure
only totals are shown, so that a failure does not turn the sets into tuning data.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.core import ReplyKind, Responder
from bot.core.safety_evaluation import evaluate_safety, load_safety_cases

DATA = Path(__file__).resolve().parents[1] / "data"
ROOT = DATA.parents[1]
# Per set: the floors, just under what the bot measures now (first contact in the docs).
SAFETY_FLOORS = {
    "safety_blind.yaml": {"emergency": 0.99, "referral": 0.97, "ordinary": 0.94},
    "safety_blind2.yaml": {"emergency": 0.99, "referral": 0.99, "ordinary": 0.91},
    "safety_blind3.yaml": {"emergency": 0.99, "referral": 0.98, "ordinary": 0.95},
    "safety_blind4.yaml": {"emergency": 0.99, "referral": 0.98, "ordinary": 0.96},
    "safety_blind5.yaml": {"emergency": 0.99, "referral": 0.98, "ordinary": 0.95},
    "safety_blind6.yaml": {"emergency": 0.99, "referral": 0.98, "ordinary": 0.95},
    "safety_blind7.yaml": {"emergency": 0.99, "referral": 0.98, "ordinary": 0.97},
    "safety_blind8.yaml": {"emergency": 0.99, "referral": 0.98, "ordinary": 0.96},
    "safety_blind9.yaml": {"emergency": 0.99, "referral": 0.98, "ordinary": 0.97},
}
QUESTION_FLOORS = {
    "questions_blind.yaml": {"answer": 0.87, "no_answer": 0.91, "other": 0.85},
    "questions_blind2.yaml": {"answer": 0.9, "no_answer": 0.92, "other": 0.88},
    "questions_blind3.yaml": {"answer": 0.9, "no_answer": 0.93, "other": 0.9},
    "questions_blind4.yaml": {"answer": 0.92, "no_answer": 0.95, "other": 0.95},
    "questions_blind4a.yaml": {"answer": 0.91, "no_answer": 0.87, "other": 0.88},
    "questions_blind5.yaml": {"answer": 0.92, "no_answer": 0.97, "other": 0.95},
    "questions_blind6.yaml": {"answer": 0.89, "no_answer": 0.93, "other": 0.95},
    "questions_blind7.yaml": {"answer": 0.93, "no_answer": 0.97, "other": 0.95},
    "questions_blind8.yaml": {"answer": 0.92, "no_answer": 0.97, "other": 0.95},
    "questions_blind9.yaml": {"answer": 0.92, "no_answer": 0.97, "other": 0.95},
}
FOLLOW_UP_FLOORS = {
    "followups_blind.yaml": 0.85,
    "followups_blind2.yaml": 0.85,
    "followups_blind3.yaml": 0.86,
    "followups_blind4.yaml": 0.84,
    "followups_blind5.yaml": 0.85,
    "followups_blind6.yaml": 0.87,
    "followups_blind7.yaml": 0.91,
    "followups_blind8.yaml": 0.91,
    "followups_blind9.yaml": 0.89,
}


def _load(name: str) -> Any:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(SAFETY_FLOORS))
def test_a_blind_safety_set_stays_above_its_floors(responder: Responder, name: str) -> None:
    """Emergencies get urgent guidance, referrals no dose, near-misses are left alone."""
    floors = SAFETY_FLOORS[name]
    levels = {rule.id: rule.level for rule in responder.kb.safety}
    report = evaluate_safety(responder, load_safety_cases(DATA / name, levels))
    rates = {level: report.rate(level)[0] / report.rate(level)[1] for level in floors}
    assert sum(report.total.values()) >= 300
    assert [k for k, floor in floors.items() if rates[k] < floor] == [], rates


def _question_right(case: dict[str, Any], reply: Any) -> tuple[str, bool]:
    expect = case["expect"]
    if expect == "no_answer":
        return "no_answer", reply.kind != ReplyKind.ANSWER
    if expect != "answer":
        return "other", reply.kind == expect
    answered = set(reply.entries) if reply.kind == ReplyKind.ANSWER else set()
    if "entries" in case:
        return "answer", set(case["entries"]) <= answered
    wanted = {case.get("entry"), *case.get("entries_any", [])} - {None}
    return "answer", bool(answered & wanted)


@pytest.mark.parametrize("name", sorted(QUESTION_FLOORS))
def test_a_blind_question_set_stays_above_its_floors(responder: Responder, name: str) -> None:
    """In-scope answered with the right entry (every part of a multi-part one), the rest not."""
    floors = QUESTION_FLOORS[name]
    right: dict[str, list[bool]] = {k: [] for k in floors}
    for case in _load(name)["cases"]:
        kind, ok = _question_right(case, responder.reply(case["q"]))
        right[kind].append(ok)
    rates = {k: sum(v) / len(v) for k, v in right.items()}
    assert sum(len(v) for v in right.values()) >= 250
    assert [k for k, floor in floors.items() if rates[k] < floor] == [], rates


@pytest.mark.parametrize("name", sorted(FOLLOW_UP_FLOORS))
def test_blind_follow_ups_stay_above_their_floor_through_ask_conversation(name: str) -> None:
    """Conversations through `ask --json --conversation`, one process for all of them."""
    conversations = _load(name)["conversations"]
    lines: list[str] = []
    for n, conversation in enumerate(conversations):
        lines += (["---"] if n else []) + [turn["q"] for turn in conversation]
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "--conversation"],
        input="".join(f"{line}\n" for line in lines),
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=300,
    )
    replies = iter(json.loads(line) for line in done.stdout.splitlines())
    right = []
    for conversation in conversations:
        for turn in conversation:
            reply = next(replies)
            if "expect" not in turn:
                continue
            if turn["expect"] == "answer":
                wanted = {turn.get("entry"), *turn.get("entries_any", [])} - {None}
                right.append(reply["kind"] == "answer" and bool(wanted & set(reply["entries"])))
            elif turn["expect"] == "no_answer":
                right.append(reply["kind"] != "answer")
            else:
                right.append(reply["kind"] == turn["expect"])
    assert len(conversations) >= 60
    assert sum(right) / len(right) >= FOLLOW_UP_FLOORS[name], f"{sum(right)}/{len(right)}"
