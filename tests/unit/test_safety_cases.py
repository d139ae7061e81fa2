"""The safety phrasing set: emergencies and referrals in many wordings, and near-misses."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.core import ReplyKind, Responder

CASES = yaml.safe_load(
    (Path(__file__).resolve().parents[1] / "data" / "safety_cases.yaml").read_text(encoding="utf-8")
)["cases"]
ALARMS = [c for c in CASES if c["expect"] == "safety"]
NEAR_MISSES = [c["q"] for c in CASES if c["expect"] == "not_safety"]


@pytest.mark.parametrize("case", ALARMS, ids=[c["q"][:40] for c in ALARMS])
def test_alarming_messages_get_the_right_safety_rule(
    responder: Responder, case: dict[str, str]
) -> None:
    """Each emergency or referral wording reaches its rule, whatever else the message says."""
    reply = responder.reply(case["q"])
    assert (ReplyKind.SAFETY, case["rule"]) == (reply.kind, reply.rule)


@pytest.mark.parametrize("question", NEAR_MISSES)
def test_alarming_words_in_ordinary_questions_do_not_trigger_safety(
    responder: Responder, question: str
) -> None:
    """ "What does glutamine do for the kidneys" is a question about the article, not a referral."""
    assert responder.reply(question).kind != ReplyKind.SAFETY


def test_the_safety_set_covers_every_rule(responder: Responder) -> None:
    """At least ten wordings for every safety rule in the content."""
    rules = [rule.id for rule in responder.kb.safety]
    counts = {rule: sum(c.get("rule") == rule for c in ALARMS) for rule in rules}
    assert [r for r, n in counts.items() if n < 10] == []
