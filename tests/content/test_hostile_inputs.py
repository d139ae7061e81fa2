"""Hostile input through the core and through `python -m bot ask --json`.

The corpus (bot/testing/hostile_inputs.py) holds over 200 inputs: empty, whitespace, control
characters, NUL, zero-width and bidi characters, combining marks, emoji, mixed scripts,
HTML and Markdown injection, SQL and script strings, format strings, 4096+ characters,
very long words. Each must get a sensible reply and none may raise.
"""

from __future__ import annotations

import json
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core import Reply, ReplyKind, Responder, load_knowledge_base
from bot.testing.hostile_inputs import EMERGENCY, SAME_AS, ask_json, corpus, is_blank, stdin_lines
from tests.strategies import questions

CORPUS = corpus()
CATEGORIES = (
    "empty", "unicode spaces", "control", "zero width", "bidi", "combining", "emoji",
    "mixed scripts", "html", "markdown", "sql and script", "format strings", "long",
    "newlines", "numbers", "unicode edge",
)  # fmt: skip


def problems_with(reply: Reply, text: str, responder: Responder) -> list[str]:
    """Return what is not sensible about the reply to a hostile input (empty if it is)."""
    texts = responder.kb.texts
    found = []
    if not reply.body.strip():
        found.append("empty reply")
    if reply.kind is ReplyKind.ANSWER and reply.disclaimer != texts.disclaimer:
        found.append("an answer without the disclaimer")
    if reply.kind is ReplyKind.SAFETY and reply.disclaimer != texts.safety_note:
        found.append("safety guidance without its note")
    if is_blank(text) and (reply.kind, reply.body) != (ReplyKind.FALLBACK, texts.empty):
        found.append(f"nothing readable, yet {reply.kind}: {reply.body[:40]!r}")
    if text in SAME_AS:
        plain = responder.reply(SAME_AS[text])
        if (reply.kind, reply.entry_id, reply.rule) != (plain.kind, plain.entry_id, plain.rule):
            found.append(f"{reply.kind}/{reply.entry_id} unlike {SAME_AS[text]!r}")
    return found


def test_the_corpus_has_over_200_inputs_in_every_category() -> None:
    """The issue asks for at least 200 hostile inputs, of every kind it lists."""
    counts = Counter(hostile.category for hostile in CORPUS)

    assert len(CORPUS) >= 200
    assert len({hostile.text for hostile in CORPUS}) == len(CORPUS)
    assert set(CATEGORIES) <= counts.keys()
    assert any(len(hostile.text) > 4096 for hostile in CORPUS)


def test_every_hostile_input_gets_a_sensible_reply_from_the_core(responder: Responder) -> None:
    """No input raises; blanks get "I got nothing"; noise around a question changes nothing."""
    failures = {}
    for hostile in CORPUS:
        if found := problems_with(responder.reply(hostile.text), hostile.text, responder):
            failures[hostile.text[:60]] = found

    assert failures == {}


def test_an_emergency_at_the_end_of_a_long_message_is_still_recognised(
    responder: Responder,
) -> None:
    """A long message about one's history that ends in chest pain gets urgent-care guidance."""
    history = "I have had gut trouble for years and tried many things. " * 20

    reply = responder.reply(history + EMERGENCY)

    assert (reply.kind, reply.rule) == (ReplyKind.SAFETY, "chest_pain")


def test_ask_json_answers_the_whole_corpus_in_one_process(responder: Responder) -> None:
    """One `ask --json` reads every input (one per line), answers each like the core does."""
    inputs = [hostile.text for hostile in CORPUS if hostile.utf8_safe]
    questions = [line for text in inputs for line in stdin_lines(text)]

    result = ask_json(inputs)

    assert (result.returncode, result.stderr) == (0, "")
    replies = [json.loads(line) for line in result.stdout.splitlines()]
    assert [reply["question"] for reply in replies] == questions
    expected = [(str(responder.reply(q).kind), responder.reply(q).text) for q in questions]
    assert [(reply["kind"], reply["text"]) for reply in replies] == expected


# One process per example, so a few examples, each a batch of questions.
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inputs=st.lists(questions(Responder(load_knowledge_base()), surrogates=False), max_size=12))
def test_ask_json_writes_one_json_reply_per_line_of_any_unicode(inputs: list[str]) -> None:
    """Whatever UTF-8 text arrives on stdin, `ask --json` answers every line with one object."""
    questions_read = [line for text in inputs for line in stdin_lines(text)]

    result = ask_json(inputs)

    assert (result.returncode, result.stderr) == (0, "")
    replies = [json.loads(line) for line in result.stdout.splitlines()]
    assert [reply["question"] for reply in replies] == questions_read
    assert {reply["kind"] for reply in replies} <= {str(kind) for kind in ReplyKind}
