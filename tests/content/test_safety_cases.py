"""Safety phrasing sets: emergencies and referrals in many wordings, and near-misses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.core import ReplyKind, Responder

DATA = Path(__file__).resolve().parents[1] / "data"
# Labelled training examples (the learned safety net trains on them).
TRAINING = Path(__file__).resolve().parents[2] / "content" / "training"
# Development sets: every alarming wording must reach its rule.
DEVELOPMENT = (
    "safety_cases.yaml",
    "safety_indirect.yaml",
    "safety_indirect2.yaml",
    "safety_indirect3.yaml",
    "safety_indirect4.yaml",
    "safety_msg.yaml",
    "safety_followups.yaml",
    "safety_surgery_frail.yaml",
    "safety_resolved.yaml",
    "safety_colours.yaml",
    "safety_chronic.yaml",
)
# Near-misses may be flagged now and then: a safety reply to an ordinary question costs less
# than a missed emergency. This is the share of near-misses that must stay unflagged.
NEAR_MISS_FLOOR = 0.85
# The blind held-out safety set (never used to write rules): regression floors at what the
# shipped rules measured, see docs/matching.md. On failure only totals are shown.
HELD_OUT_FLOORS = {"emergency": 0.8, "referral": 0.9, "not_safety": 0.9}


def _cases(name: str) -> list[dict[str, Any]]:
    folder = DATA if (DATA / name).exists() else TRAINING
    cases: list[dict[str, Any]] = yaml.safe_load((folder / name).read_text(encoding="utf-8"))[
        "cases"
    ]
    return cases


ALARMS = [c for name in DEVELOPMENT for c in _cases(name) if c["expect"] == "safety"]
NEAR_MISSES = [c["q"] for name in DEVELOPMENT for c in _cases(name) if c["expect"] == "not_safety"]


@pytest.mark.parametrize("case", ALARMS, ids=[c["q"][:40] for c in ALARMS])
def test_alarming_messages_get_guidance_of_the_right_level(
    responder: Responder, case: dict[str, str]
) -> None:
    """An emergency wording gets urgent-care guidance (some emergency rule); a referral
    wording gets a safety reply and no dose, whatever else the message says."""
    levels = {rule.id: rule.level for rule in responder.kb.safety}
    reply = responder.reply(case["q"])
    assert reply.kind == ReplyKind.SAFETY
    if levels[case["rule"]] == "emergency":
        assert levels[str(reply.rule)] == "emergency"


def test_most_alarming_messages_get_their_own_rule(responder: Responder) -> None:
    """The specific guidance (poison control for a child, 988 for self-harm) fits best."""
    exact = [responder.reply(c["q"]).rule == c["rule"] for c in ALARMS]
    assert sum(exact) >= 0.95 * len(exact)


def test_alarming_words_in_ordinary_questions_rarely_trigger_safety(responder: Responder) -> None:
    """ "What does glutamine do for the kidneys" is a question about the article, not a referral."""
    flagged = [q for q in NEAR_MISSES if responder.reply(q).kind == ReplyKind.SAFETY]
    assert len(flagged) <= (1 - NEAR_MISS_FLOOR) * len(NEAR_MISSES), flagged


def test_the_safety_sets_cover_every_rule(responder: Responder) -> None:
    """At least ten wordings for every safety rule in the content."""
    counts = {
        rule.id: sum(c.get("rule") == rule.id for c in ALARMS) for rule in responder.kb.safety
    }
    assert [rule for rule, n in counts.items() if n < 10] == []


def test_blind_held_out_safety_set_stays_above_its_floors(responder: Responder) -> None:
    """Emergencies, referrals and near-misses written blind after the rules were built."""
    emergencies = {r.id for r in responder.kb.safety if r.level == "emergency"}
    right: dict[str, list[bool]] = {kind: [] for kind in HELD_OUT_FLOORS}
    for case in _cases("safety_holdout.yaml"):
        reply = responder.reply(case["q"])
        expect = case["expect"]
        if expect == "emergency":
            right[expect].append(reply.rule in emergencies)
        elif expect == "referral":
            right[expect].append(reply.kind == ReplyKind.SAFETY)
        else:
            right[expect].append(reply.kind != ReplyKind.SAFETY)
    rates = {kind: sum(oks) / len(oks) for kind, oks in right.items()}
    assert [k for k, floor in HELD_OUT_FLOORS.items() if rates[k] < floor] == [], rates
