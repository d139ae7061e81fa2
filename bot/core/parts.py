"""Split a message that asks several questions into its parts.

"What is leaky gut exactly and how would glutamine help?" asks two things; so do "What is
it? How much should I take?" A part is a question: it ends in "?" or starts with a question
word. Chatty context ("I eat steak every day.") is not a part: the focus rule reads it.
"""

from __future__ import annotations

import re

_QUESTION_WORDS = (
    "what|whats|how|hows|is|are|does|do|did|can|could|should|which|where|wheres|who|whos|why"
    "|will|would|wat|wot|wht|hw"  # and how people text them
    "|has|have|was|were|any|tell|explain|describe"
)
# A part may open with joining or filler words and a label ("...? also what form should I
# get", "ok so what is it", "two things: is it...", "q2 what foods"): read past them.
_OPENER = re.compile(
    r"^(?:(?:and|also|plus|but|so|then|ok|okay|well|right|um|hmm|q\d+)\b[\s,]*|\d+[.)]\s*"
    r"|[^\W\d][\w ]{0,24}:\s*)+",
    re.IGNORECASE,
)
# A comma straight before one of these begins a new question ("what is it, how much...").
_CLAUSE_WORDS = "what|whats|how|which|who|why|where|does|do|is|are|can"
CLAUSE_SPLIT = re.compile(rf",\s*(?=(?:{_CLAUSE_WORDS})\b)", re.IGNORECASE)
# A new question begins after "and", "also", "plus" or a comma when a question word follows.
_JOINED = re.compile(
    r"(?:,\s*|\s+)(?:and|n|also|plus|&|\+|but|then)\s+(?:also\s+)?"
    rf"(?=(?:{_QUESTION_WORDS})\b)"
    # A comma straight before a question word: "what is it, what does it do, and the dose".
    rf"|,\s*(?=(?:{_CLAUSE_WORDS})\b)"
    # Numbered questions in one line: "q1 what is it q2 how much".
    rf"|\s+(?:q\d+|\d+[.)])\s+(?=(?:{_QUESTION_WORDS})\b)"
    # A numbered item is a part of its own, question word or not: "1) foods 2) powder or pills".
    r"|\s+(?=\d[.)]\s)"
    # "and also" adds a part with or without a question word ("...and also for the lining").
    r"|\s+and\s+(?=also\s)",
    re.IGNORECASE,
)
_AND = re.compile(r"\b(?:and|n|plus)\b|[&+]", re.IGNORECASE)
_SENTENCES = re.compile(r"(?<=[?!.])\s+|\n+")
_QUESTION_START = re.compile(
    rf"^(?:{_QUESTION_WORDS})\b",
    re.IGNORECASE,
)
# A short topic before one of these still asks: "tight junctions what are they".
_ASKS_WITHIN = re.compile(
    r"^(?:\S+\s+){1,3}(?:what|whats|how|which|where|who|why)\b", re.IGNORECASE
)
# After "also" or "plus" a new part needs no question word: "...? also powder or capsules".
_ADDS = re.compile(r"^(?:(?:ok|okay|and|so)\s+)?(?:also\b|plus\b|\d[.)]\s)", re.IGNORECASE)
# More parts than this is a list, not a question; the whole message is matched instead.
MAX_PARTS = 3
MIN_PART_WORDS = 2
# A piece this short that asks nothing is the topic of the question after it.
MAX_TOPIC_WORDS = 3


def question_parts(message: str) -> list[str]:
    """Return the questions a message asks, when it asks more than one; else []."""
    parts: list[tuple[str, bool]] = []  # (part, follows "also" or "plus")
    for sentence in _SENTENCES.split(message.strip()):
        topic = ""  # a short topic before a question: "tight junctions, what are they"
        for piece, and_after in _pieces(sentence):
            text = piece.strip()
            if not text:
                continue
            text = f"{topic} {text}" if topic else text
            # "powder or tablets and how many grams": what "and" joins to a question is one.
            adds = bool(_ADDS.match(piece.strip())) or (
                and_after and len(text.split()) >= MIN_PART_WORDS
            )
            topic = ""
            if len(text.split()) <= MAX_TOPIC_WORDS and not _is_question(text, adds):
                topic = text
                continue
            if part := _OPENER.sub("", text).strip():  # "...? also" adds nothing
                parts.append((part, adds))
        if topic:
            parts.append((_OPENER.sub("", topic), False))
    asked = [p for p, adds in parts if _is_question(p, adds)]
    # One word and "?" ("is spinach a source? parsley?") asks the same again of a new thing.
    full = [p for p in asked if len(p.split()) >= MIN_PART_WORDS]
    if len(full) < 1 or len(asked) < 2 or len(asked) > MAX_PARTS:
        return []
    return asked


def _pieces(sentence: str) -> list[tuple[str, bool]]:
    """Return a sentence's pieces, each with whether "and" (or "plus", "&") follows it."""
    pieces, start = [], 0
    for joint in _JOINED.finditer(sentence):
        pieces.append((sentence[start : joint.start()], bool(_AND.search(joint.group(0)))))
        start = joint.end()
    return [*pieces, (sentence[start:], False)]


def _is_question(part: str, adds: bool = False) -> bool:
    """Tell whether a part asks something: a question word, "?", or "also" before it."""
    if len(part.split()) < MIN_PART_WORDS:
        # "does fish have it? also cheese": "also" asks the same of one more thing.
        return adds or (part.endswith("?") and len(part) > 2)
    if adds or part.endswith("?") or _QUESTION_START.match(part):
        return True
    return bool(_ASKS_WITHIN.match(part))
