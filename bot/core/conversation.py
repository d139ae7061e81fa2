"""Follow-ups: messages that lean on the last answer ("and after that?", "is he a real doctor?").

A conversation remembers only the id of the last entry it answered (never any text). A
message leans on it when it points back (it, that, he...) or continues ("and", "what about",
"tell me more"). The words of the lexicon's `follow_ups` section say which is which.
"""

from __future__ import annotations

import enum

from bot.core.model import FollowUpWords
from bot.core.text import normalize

# A message asking for the last answer again is short: "tldr", "simpler please?".
AGAIN_MAX_WORDS = 8
# Words beside an "again" phrase that ask nothing more: "sorry, simpler please?".
_AGAIN_ASIDES = frozenset(
    {"pls", "plz", "please", "sorry", "lol", "mate", "again", "then", "a", "bit", "that", "it"}
    | {"this", "version", "so", "but", "just", "me", "for", "the", "in", "maybe", "one"}
)


class Lean(enum.Enum):
    """How a message leans on the conversation's last answer."""

    NONE = enum.auto()  # stands alone: a new question
    POINTS_BACK = enum.auto()  # "is he a real doctor?": read it with the last subject
    CONTINUES = enum.auto()  # "what about fish?": alone if it answers, else with the subject
    MORE = enum.auto()  # "tell me more": the last answer's first related question
    REST = enum.auto()  # "anything else apart from the muscle stuff?": the last answer again


def lean(message: str, words: FollowUpWords, exclusions: frozenset[str] = frozenset()) -> Lean:
    """Tell how a message leans on the last answer.

    `exclusions` are the lexicon's ("apart from", "besides"): "more" followed by one asks
    for the rest of what the last answer lists.
    """
    text = normalize(message)
    if _asks_again(text, words.again, words.courtesy):
        return Lean.REST  # "like what?", "tldr": the last answer is all the article says
    if text in words.more:
        return Lean.MORE
    for more in words.more:
        rest = text[len(more) + 1 :] if text.startswith(more + " ") else ""
        if rest and any(rest == e or rest.startswith(e + " ") for e in exclusions):
            return Lean.REST
    tokens = text.split()
    if any(t in words.pointers for t in tokens):
        return Lean.POINTS_BACK
    if any(text == o or text.startswith(o + " ") for o in words.openers):
        return Lean.CONTINUES
    return Lean.NONE


def _asks_again(text: str, again: frozenset[str], courtesy: frozenset[str]) -> bool:
    """Tell whether a short message asks for the last answer again, simpler or by example.

    "like what?", "tldr", "sorry, simpler please?": one of the lexicon's `again` phrases
    in a message of at most AGAIN_MAX_WORDS words, beside nothing but courtesy and asides.
    """
    words = text.split()
    if not words or len(words) > AGAIN_MAX_WORDS:
        return False
    padded = f" {text} "
    for phrase in again:
        if f" {phrase} " in padded:
            # Nothing else may be asked: "like what foods have it" is a question of its own.
            rest = padded.replace(f" {phrase} ", " ", 1).split()
            return all(w in courtesy or w in _AGAIN_ASIDES for w in rest)
    return False


def continues_after_courtesy(message: str, words: FollowUpWords) -> bool:
    """Tell whether a message is courtesy words, then an opener and more ("ok and after that?").

    Small talk on its own ("ok", "got it, cheers") stands alone; "ok and once I'm used to
    it?" continues the last answer.
    """
    tokens = normalize(message).split()
    start = 0
    while start < len(tokens) and tokens[start] in words.courtesy:
        start += 1
    rest = " ".join(tokens[start:])
    if not start or not rest:
        return False
    return any(rest.startswith(o + " ") for o in words.openers)


def with_subject(message: str, subject: str, pointers: frozenset[str]) -> str:
    """Return the message read with the last answer's subject in place of its pointer.

    "what might that cause" after "what is leaky gut" reads "what might leaky gut cause";
    a message with no pointer ("and after that?" has one, "what about fish?" none) gets the
    subject at its end.
    """
    words = normalize(message).split()
    for i, word in enumerate(words):
        if word in pointers:
            return " ".join([*words[:i], subject, *words[i + 1 :]])
    return " ".join([*words, subject])
