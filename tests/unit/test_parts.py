"""Splitting a message that asks several questions (bot/core/parts.py), no content needed."""

from __future__ import annotations

import pytest

from bot.core.parts import question_parts


@pytest.mark.parametrize(
    ("message", "parts"),
    [
        (
            "what is leaky gut exactly and how would glutamine help",
            ["what is leaky gut exactly", "how would glutamine help"],
        ),
        ("so what is it? how much should i take", ["what is it?", "how much should i take"]),
        # A label or filler before the first question does not hide it.
        (
            "two things: is it nonessential, and does it have side effects",
            ["is it nonessential", "does it have side effects"],
        ),
        (
            "ok so what does it mean, and what is it used for",
            ["what does it mean", "what is it used for"],
        ),
        ("q1 what is it q2 how much do i take", ["what is it", "how much do i take"]),
        # A short topic before the question word; "also" with no question word; one word
        # and "?" asking the same of another thing.
        (
            "cabbage what about it.. and how much to take",
            ["cabbage what about it..", "how much to take"],
        ),
        ("what foods? also capsules or powder", ["what foods?", "capsules or powder"]),
        ("does fish count? eggs?", ["does fish count?", "eggs?"]),
        # A comma straight before a question word.
        ("what is it, how much do i take", ["what is it", "how much do i take"]),
        # Numbered items with no question word; "tell me", "explain"; "then".
        ("1) which foods 2) capsules or powder", ["which foods", "capsules or powder"]),
        ("explain leaky gut, then tell me the dose", ["explain leaky gut", "tell me the dose"]),
        # "also" and one more thing asks the same of it.
        ("does fish have it? also cheese", ["does fish have it?", "cheese"]),
        # What "and" joins to a question is a question too, question word or not.
        ("powder or pills and how many grams", ["powder or pills", "how many grams"]),
        # Text-speak: "n" for "and", "whos" for "who is".
        ("wat is it n where do i find it", ["wat is it", "where do i find it"]),
        ("where is it from and whos the author", ["where is it from", "whos the author"]),
        # "and also" adds a part with no question word; a short topic before a comma is the
        # next question's ("tight junctions, what do they do").
        (
            "what does it do for muscles and also for the gut lining",
            ["what does it do for muscles", "for the gut lining"],
        ),
        (
            "tight junctions, what does it do to them + which foods have it",
            ["tight junctions what does it do to them", "which foods have it"],
        ),
    ],
)
def test_every_question_of_a_message_is_a_part(message: str, parts: list[str]) -> None:
    assert question_parts(message) == parts


@pytest.mark.parametrize(
    "message",
    [
        "what is leaky gut",
        "ok",
        "my question: what is it",
        "is 2.5 g enough",
        "I eat steak every day. what else has it?",
        "if i take it, is it safe",
        "do i get it from food or does my body make it",  # one question with two choices
        "what is glutamine? also",  # "also" and nothing: no second part
    ],
)
def test_one_question_is_not_split(message: str) -> None:
    assert question_parts(message) == []
