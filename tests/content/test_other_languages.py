"""Messages that are clearly not English get "I can only read English", in their language too.

Over the shipped content: the labelled non-English messages (tests/data/other_languages*.yaml)
and every English labelled question of tests/data and content/training, none of which may
be taken for another language.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.core import DEFAULT_CONTENT_DIR, ReplyKind, Responder
from bot.core.model import Reason

DATA = Path(__file__).resolve().parents[1] / "data"
LANGUAGE_SETS = sorted(DATA.glob("other_languages*.yaml"))
ENGLISH_SETS = sorted(
    {*DATA.glob("*.yaml"), *(DEFAULT_CONTENT_DIR / "training").glob("*.yaml")} - set(LANGUAGE_SETS)
)


def _read(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


NON_ENGLISH = [(c["q"], c["language"]) for p in LANGUAGE_SETS for c in _read(p)["cases"]]
ENGLISH = (
    [str(q) for p in LANGUAGE_SETS for q in _read(p)["english"]]
    + [
        c["q"]
        for p in ENGLISH_SETS
        for c in _read(p).get("cases", [])
        if c.get("group") != "language"  # the blind question set's own non-English group
    ]
    + [
        turn["q"]  # every turn of the blind follow-up conversations is English too
        for p in ENGLISH_SETS
        for conversation in _read(p).get("conversations", [])
        for turn in conversation
    ]
)


def test_the_sets_hold_many_messages_in_at_least_five_languages() -> None:
    """Spanish, German, French, Portuguese and Italian at least, and over 2,000 English ones."""
    languages = {language for _, language in NON_ENGLISH}

    assert {"es", "de", "fr", "pt", "it"} <= languages
    assert len(NON_ENGLISH) >= 100
    assert len(ENGLISH) >= 2000


def test_non_english_messages_get_the_notice_in_their_language(responder: Responder) -> None:
    """At least 95% get the notice in their language, then in English; none gets an answer.

    Safety runs first on every message, so a safety reply also counts as right.
    """
    texts = responder.kb.texts
    notices = {lang.code: lang.notice for lang in responder.kb.languages}
    right, answered = [], []
    for question, language in NON_ENGLISH:
        reply = responder.reply(question)
        answered += [question] if reply.kind is ReplyKind.ANSWER else []
        notice = f"{notices[language]}\n\n{texts.not_english}" if language in notices else ""
        noticed = reply.reason is Reason.OTHER_LANGUAGE and reply.body == (
            notice or texts.not_english
        )
        if noticed or reply.kind is ReplyKind.SAFETY:
            right.append(question)

    assert len(answered) <= 1
    assert len(right) / len(NON_ENGLISH) >= 0.95


def test_no_english_question_or_phrasing_is_taken_for_another_language(
    responder: Responder,
) -> None:
    """Not one labelled question (foreign words and names in some) or content phrasing
    gets the notice."""
    kb = responder.kb
    phrasings = [p for item in (*kb.matchable, *kb.smalltalk) for p in item.phrasings]
    titles = [entry.title for entry in kb.entries]

    flagged = [
        q
        for q in (*ENGLISH, *phrasings, *titles)
        if responder.reply(q).reason is Reason.OTHER_LANGUAGE
    ]

    assert flagged == []


@pytest.mark.parametrize(
    ("question", "rule"),
    [
        ("ayuda, tengo chest pain y no puedo respirar", "chest_pain"),
        ("quiero suicidarme", "self_harm"),
        ("socorro, my toddler swallowed the glutamine powder", "child_ingestion"),
    ],
)
def test_safety_comes_before_the_language_notice(
    responder: Responder, question: str, rule: str
) -> None:
    """An emergency the rules catch in a mixed or foreign message still gets safety guidance."""
    reply = responder.reply(question)

    assert (reply.kind, reply.rule) == (ReplyKind.SAFETY, rule)


def test_the_notice_says_what_to_do_in_an_emergency(responder: Responder) -> None:
    """The bot cannot read the message, so it cannot rule out an emergency: the notice says so."""
    assert "emergency" in responder.kb.texts.not_english
