"""The safety layers beside the rules' patterns: context, masks, acute language, sound-alikes."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core import ReplyKind, Responder
from bot.core.errors import Problem
from bot.core.model import Reason, SafetyLevel
from tests.content.test_content_errors import copy_content, edit, line_of, load_problems, where


def _level(responder: Responder, question: str) -> SafetyLevel | None:
    reply = responder.reply(question)
    if reply.kind != ReplyKind.SAFETY:
        return None
    return {r.id: r.level for r in responder.kb.safety}[str(reply.rule)]


@pytest.mark.parametrize(
    "question",
    [
        "I'm not pregnant, how much should I take",
        "no kidney problems, what dose",
        "not on any meds, what dose should i take",
        "I had a baby five years ago, is glutamine ok for me",
        "my son is 26, can he take glutamine",
        "my 26 year old daughter wants to try glutamine",
        "I work in an emergency room, what is glutamine",
        "i have no history of seizures, what dose",
        "retired midwife here, what does glutamine do in the body",
        "my aunt is bipolar, im not, does glutamine cause anxiety",
        "was on antibiotics back in the spring, all done now, does glutamine help the gut",
        "my dad had a stroke back in the 80s, is glutamine ok for me",
        "i nearly fainted when i saw the price of the tub, are capsules cheaper",
    ],
)
def test_context_keeps_a_denied_or_past_situation_from_a_referral(
    responder: Responder, question: str
) -> None:
    """Negation, the past, a stated adult age and a job are not the situation itself."""
    assert _level(responder, question) is None


@pytest.mark.parametrize(
    ("question", "rule"),
    [
        ("I'm not pregnant but I'm breastfeeding, can I take it", "pregnancy"),
        ("im not pregnant but my 8 year old has leaky gut, dose?", "children"),
        ("I haven't had a fit in two years, is glutamine ok", "neuro_mental"),
        ("my doctor says my liver isnt working right", "kidney_liver"),
    ],
)
def test_a_terminator_or_a_history_keeps_the_referral(
    responder: Responder, question: str, rule: str
) -> None:
    """ "But" ends a negation's scope; "haven't had a fit in two years" is a history of fits."""
    assert responder.reply(question).rule == rule


@pytest.mark.parametrize(
    "question",
    [
        "I can't breathe",
        "im not ok, i cant breathe",
        "I'm an ER nurse and my chest is crushing",
        "no i am not joking my chest hurts and my left arm is numb",
        "i nearly fainted when i stood up just now and my chest hurts",
    ],
)
def test_context_never_lowers_an_emergency(responder: Responder, question: str) -> None:
    """ "I can't breathe" is shaped like a negation; a job does not hide what follows it."""
    assert _level(responder, question) == SafetyLevel.EMERGENCY


@pytest.mark.parametrize(
    ("question", "rule"),
    [
        ("my 6 year old has a high fever and a stiff neck, can she take glutamine", None),
        ("my daughter is 4 and has been vomiting for hours, can glutamine help", None),
        ("I'm epileptic and my husband says I've been seizing for five minutes", "seizure"),
        ("im pregnant and bleeding heavily", None),
    ],
)
def test_a_referral_with_acute_language_gets_urgent_guidance(
    responder: Responder, question: str, rule: str | None
) -> None:
    """A child, a pregnancy or a seizure disorder with "now", "vomiting", "minutes": urgent."""
    reply = responder.reply(question)
    assert _level(responder, question) == SafetyLevel.EMERGENCY
    if rule is not None:
        assert reply.rule == rule


def test_an_acute_referral_says_why(responder: Responder) -> None:
    """The reason names the escalation, so `ask --json` and `eval` show it."""
    reply = responder.reply("my 3 year old son has a high fever, can he have glutamine")
    assert (reply.rule, reply.reason) == ("urgent_symptoms", Reason.ACUTE_REFERRAL)


@pytest.mark.parametrize(
    ("question", "rule"),
    [
        ("chest pane and my arm is numb", "chest_pain"),
        ("i past out twice today", "fainting"),
        ("my friend is having a seisure", "seizure"),
        ("cant brethe properly", "breathing"),
    ],
)
def test_safety_words_heard_or_typed_wrong_still_reach_their_rule(
    responder: Responder, question: str, rule: str
) -> None:
    """Voice-to-text writes real words ("pane", "past"): the rules read them as sounded."""
    assert responder.reply(question).rule == rule


@pytest.mark.parametrize(
    "question",
    [
        "how many grams should i take",
        "what does intestinal permeability mean",
        "where do i find glutamine in my diet",
        "does cooking destroy glutamine in food",
        "whats the weather like tomorrow",
        "does glutamine help with bloating",
    ],
)
def test_ordinary_words_that_sound_like_alarms_stay_ordinary(
    responder: Responder, question: str
) -> None:
    """Words the content itself uses are never re-heard: "many" is not "mania"."""
    assert responder.reply(question).kind != ReplyKind.SAFETY


def _broken(tmp_path: Path, old: str, new: str) -> tuple[Path, tuple[Problem, ...]]:
    root = copy_content(tmp_path)
    edit(root / "safety.yaml", old, new)
    return root / "safety.yaml", load_problems(root)


def test_a_modifier_with_an_unknown_direction_is_refused_with_its_line(tmp_path: Path) -> None:
    """A typo in `direction` would silently turn a modifier around."""
    path, problems = _broken(tmp_path, "direction: backward", "direction: backwards")
    assert where(problems, "'direction' must be one of") == [
        ("safety.yaml", line_of(path, "direction: backwards"), "negated_after")
    ]


def test_an_acute_escalation_to_an_unknown_rule_is_refused(tmp_path: Path) -> None:
    """The emergency an acute referral gets must exist and be an emergency."""
    path, problems = _broken(tmp_path, "neuro_mental: seizure", "neuro_mental: pregnancy")
    assert where(problems, "must name an emergency rule") == [
        ("safety.yaml", line_of(path, "escalate:"), "pregnancy")
    ]


def test_a_modifier_scope_must_be_a_small_whole_number(tmp_path: Path) -> None:
    """A scope of words, 1-20: "4 words" or 400 would be a mistake."""
    path, problems = _broken(tmp_path, "scope: 6", "scope: 400")
    assert where(problems, "'scope' must be") == [
        ("safety.yaml", line_of(path, "scope: 400"), "historical")
    ]
