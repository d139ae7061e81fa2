"""The net's referral is read against the message's context (bot/core/safety/check.py).

A stub classifier stands in for the trained model, so these hold whatever the model learns.
"""

from __future__ import annotations

import re

from bot.core.analysis import Analysis
from bot.core.model import (
    ContextModifier,
    Direction,
    Reason,
    SafetyContext,
    SafetyLevel,
    SafetyRule,
)
from bot.core.safety.check import SafetyCheck
from bot.core.safety.net import SafetyNet

NEVER = re.compile("(?!)")
RULES = (
    SafetyRule("bleeding", SafetyLevel.EMERGENCY, (NEVER,), "call now"),
    SafetyRule("pregnancy", SafetyLevel.REFERRAL, (NEVER,), "ask your midwife"),
    SafetyRule("children", SafetyLevel.REFERRAL, (NEVER,), "ask a paediatrician"),
    SafetyRule("kidney_liver", SafetyLevel.REFERRAL, (NEVER,), "ask your doctor"),
    SafetyRule("medication", SafetyLevel.REFERRAL, (NEVER,), "ask your pharmacist"),
)
ADULT = ContextModifier(
    "adult_age", Direction.BOTH, 4, re.compile(r"\bturned 21\b"), frozenset({"children"}), True
)


class Stub:
    """A classifier that gives every text the same probabilities."""

    classes = ("bleeding", "pregnancy", "children", "kidney_liver", "medication", "ordinary")

    def __init__(self, *probabilities: float) -> None:
        self._p = probabilities

    def probabilities(self, text: str) -> tuple[float, ...]:
        return self._p


def _check(model: Stub, text: str) -> tuple[str, Reason] | None:
    check = SafetyCheck(
        RULES, SafetyContext(modifiers=(ADULT,)), frozenset(), net=SafetyNet(model, RULES)
    )
    decision = check.check(Analysis(text, text, (), tuple(text.split()), ()))
    return None if decision is None else (decision.rule.id, decision.reason)


def test_the_net_refers_when_its_referral_rules_together_are_likely() -> None:
    model = Stub(0.0, 0.3, 0.5, 0.0, 0.0, 0.2)
    assert _check(model, "my little girl wants to try glutamine") == (
        "children",
        Reason.SAFETY_NET,
    )


def test_what_context_denies_does_not_count_towards_the_nets_referral() -> None:
    """Only pregnancy's 0.4 is left once "turned 21" denies children: no referral at all.

    Pregnancy is the net's most likely rule, and no modifier denies it, but most of the mass
    that carried the referral past its bar was the children rule's.
    """
    assert (
        _check(Stub(0.0, 0.4, 0.35, 0.0, 0.0, 0.25), "my little girl just turned 21 and wants it")
        is None
    )


def test_the_rules_left_after_context_still_refer_when_they_are_likely_alone() -> None:
    assert _check(Stub(0.0, 0.75, 0.1, 0.0, 0.0, 0.15), "she just turned 21 and wants it") == (
        "pregnancy",
        Reason.SAFETY_NET,
    )


def test_a_referral_spread_thin_over_many_rules_is_no_referral() -> None:
    """Together likely enough, but no single rule is likelier than no rule at all."""
    assert _check(Stub(0.0, 0.18, 0.18, 0.18, 0.18, 0.28), "quit smoking, help my gut") is None
    assert _check(Stub(0.0, 0.3, 0.18, 0.18, 0.18, 0.16), "quit smoking, help my gut") == (
        "pregnancy",
        Reason.SAFETY_NET,
    )
