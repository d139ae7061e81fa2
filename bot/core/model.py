"""Immutable content and reply types shared by every layer."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field

from bot.core.learned import Models


class ReplyKind(enum.StrEnum):
    """What kind of reply the core chose for a question."""

    ANSWER = "answer"
    CLARIFY = "clarify"
    FALLBACK = "fallback"
    SAFETY = "safety"
    SMALLTALK = "smalltalk"


@dataclass(frozen=True, slots=True)
class Article:
    """The clean copy of the source article."""

    title: str
    author: str
    publisher: str
    year: int
    text: str
    sentences: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Entry:
    """One question the article answers: phrasings, answer and the sentences it rests on."""

    id: str
    title: str
    topic: str
    phrasings: tuple[str, ...]
    answer: str
    sources: tuple[str, ...]
    follow_ups: tuple[str, ...] = ()
    subject: str = ""  # what "it" or "that" refers to in a follow-up to this answer


@dataclass(frozen=True, slots=True)
class Uncovered:
    """A near-topic question the article does not answer, with an honest reply."""

    id: str
    phrasings: tuple[str, ...]
    reply: str
    suggest: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SmallTalk:
    """Greetings, thanks and questions about the bot itself."""

    id: str
    phrasings: tuple[str, ...]
    reply: str


class Reason(enum.StrEnum):
    """Why a reply is of its kind (shown in `ask --json` and in `eval`'s confusions)."""

    UNSET = ""
    SAFETY_RULE = "safety_rule"  # a safety pattern matched
    SAFETY_NET = "safety_net"  # the learned net escalated a message no rule caught
    ACUTE_REFERRAL = "acute_referral"  # a referral with acute language: urgent care instead
    MATCHED = "matched"  # an entry matched well and clearly
    AGREED = "agreed"  # short of the bar, but the learned ranker picks the same entry
    MULTI_PART = "multi_part"  # several questions in one message, each answered
    BUTTON = "button"  # an entry chosen by id (button, deep link, topic pick)
    FOLLOW_UP = "follow_up"  # resolved against the conversation's last answer
    AMBIGUOUS = "ambiguous"  # several entries are close: "did you mean"
    NOT_COVERED = "not_covered"  # a near-topic question the article does not answer
    OTHER_SUBJECT = "other_subject"  # about something else that shares a keyword
    LOW_SCORE = "low_score"  # nothing matched well enough
    EMPTY = "empty"  # nothing readable
    SMALLTALK = "smalltalk"
    OTHER_LANGUAGE = "other_language"


class SafetyLevel(enum.StrEnum):
    """How urgent a safety reply is; every emergency is checked before any referral."""

    EMERGENCY = "emergency"  # urgent care first: emergency number, crisis line, poison control
    REFERRAL = "referral"  # the article's adult dosing was not written for this person


@dataclass(frozen=True, slots=True)
class SafetyRule:
    """A pattern that routes a message to urgent-care or clinician guidance first."""

    id: str
    level: SafetyLevel
    patterns: tuple[re.Pattern[str], ...]
    reply: str
    # Read once at load (bot/core/prefilter.py): per pattern, the literals one of which any
    # match needs (None: no sound screen, always search; empty tuple: none computed).
    screens: tuple[frozenset[str] | None, ...] = ()


class Direction(enum.StrEnum):
    """Which side of its trigger a context modifier reaches."""

    FORWARD = "forward"  # "not pregnant": the words after the trigger
    BACKWARD = "backward"  # "kidney problems years ago": the words before it
    BOTH = "both"


@dataclass(frozen=True, slots=True)
class ContextModifier:
    """A ConText-style modifier: a referral match in its scope is not about this person now."""

    id: str
    direction: Direction
    scope: int  # in words
    triggers: re.Pattern[str]
    rules: frozenset[str] = frozenset()  # referral rules it applies to; empty: every one
    inside: bool = False  # also when the trigger is part of the match ("my 26 year old")


@dataclass(frozen=True, slots=True)
class SafetyContext:
    """What surrounds a safety match: modifiers, masked phrases, acute language."""

    modifiers: tuple[ContextModifier, ...] = ()
    terminators: re.Pattern[str] | None = None
    masks: re.Pattern[str] | None = None  # jobs and places ("I work in an ER"), blanked first
    # Each mask pattern's source and the literals one of which its matches need
    # (bot/core/prefilter.py; None: always try): only those a message could match are run.
    mask_parts: tuple[tuple[str, frozenset[str] | None], ...] = ()
    acute: re.Pattern[str] | None = None  # "now", "won't stop", "not responding"
    acute_rule: str = ""  # the emergency reply for an acute referral when no better one is known
    escalate: tuple[tuple[str, str], ...] = ()  # referral rule -> its acute emergency rule


@dataclass(frozen=True, slots=True)
class Texts:
    """The bot's own texts."""

    welcome: str
    help: str
    fallback: str
    clarify: str
    none_of_these: str
    disclaimer: str
    privacy: str
    not_text: str
    stale_button: str
    slow_down: str
    error: str
    empty: str
    can_answer: str
    safety_note: str
    not_english: str
    forgotten: str
    forget_failed: str
    other_subject: str  # "{subject}" is replaced by what the question is about


@dataclass(frozen=True, slots=True)
class FollowUpWords:
    """The lexicon's words for follow-ups (bot/core/conversation.py)."""

    pointers: frozenset[str] = frozenset()  # it, that, he, she, they, this, there
    openers: tuple[str, ...] = ()  # and, what about, how about, also, so
    more: frozenset[str] = frozenset()  # tell me more, go on, more (the whole message)
    people: frozenset[str] = frozenset()  # he, she, his, her: pointers at a person
    courtesy: frozenset[str] = frozenset()  # ok, cool, thanks: before an opener, still leaning
    # like what, tldr, in plain english: the last answer again (it is all the article says)
    again: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Words the matcher needs: synonyms, stopwords and near-domain terms never to correct."""

    synonyms: dict[str, tuple[str, ...]]
    stopwords: frozenset[str]
    soft_words: frozenset[str]
    foreign_terms: frozenset[str]
    topic_concepts: frozenset[str] = frozenset()
    filler_phrases: frozenset[str] = frozenset()
    safety_words: frozenset[str] = frozenset()
    english: frozenset[str] = frozenset()
    non_nouns: frozenset[str] = frozenset()  # English words never nouns: never a subject
    exclusions: frozenset[str] = frozenset()  # "besides", "rather than": what follows is not asked
    exclusions_after: frozenset[str] = frozenset()  # "aside", "is out": what precedes is not asked
    intake_words: frozenset[str] = frozenset()  # take, taking, use: about taking a supplement
    habit_concepts: frozenset[str] = frozenset()  # timing, daily: how often one eats a food
    # other uses, other remedies: asked, they are the question unless the entry phrases them
    uncovered_concepts: frozenset[str] = frozenset()
    follow_ups: FollowUpWords = FollowUpWords()


@dataclass(frozen=True, slots=True)
class Language:
    """A language the bot recognises only to say, in it too, that it reads English."""

    code: str
    name: str
    notice: str  # "I can only read English" in this language ("": the English text only)
    words: frozenset[str] = frozenset()  # its common words, as normalize() writes them
    script: str | None = None  # a writing system only this language uses here


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    """Everything loaded from `content/`, validated once."""

    article: Article
    entries: tuple[Entry, ...]
    uncovered: tuple[Uncovered, ...]
    smalltalk: tuple[SmallTalk, ...]
    safety: tuple[SafetyRule, ...]
    texts: Texts
    lexicon: Lexicon
    topics: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())
    safety_context: SafetyContext = field(default=SafetyContext())
    default_suggestions: tuple[str, ...] = ()  # entry ids offered when nothing matched
    languages: tuple[Language, ...] = ()
    # The learned models (bot/core/learned.py), loaded beside the content files.
    models: Models = field(default=Models())

    @property
    def matchable(self) -> tuple[Entry | Uncovered, ...]:
        """Return everything the matcher indexes: entries, then uncovered topics."""
        return (*self.entries, *self.uncovered)

    def entry(self, entry_id: str) -> Entry | None:
        """Return the entry with this id, or None."""
        for entry in self.entries:
            if entry.id == entry_id:
                return entry
        return None


@dataclass(frozen=True, slots=True)
class Suggestion:
    """An entry offered to the user: its id and the question it answers."""

    entry_id: str
    title: str


@dataclass(frozen=True, slots=True)
class Reply:
    """The core's reply to one question, independent of how it is shown."""

    kind: ReplyKind
    body: str
    entry_id: str | None = None
    score: float = 0.0
    suggestions: tuple[Suggestion, ...] = ()
    suggestions_heading: str = ""
    sources: tuple[str, ...] = ()
    disclaimer: str = ""
    rule: str | None = None
    reason: Reason = Reason.UNSET
    entries: tuple[str, ...] = ()  # every entry answered (several for a multi-part question)

    @property
    def remember(self) -> str | None:
        """Return the entry a conversation remembers after this reply (None: keep the last)."""
        return self.entry_id if self.kind == ReplyKind.ANSWER else None

    @property
    def text(self) -> str:
        """Return the reply as the user reads it in plain text, disclaimer included."""
        parts = [self.body]
        if self.suggestions:
            lines = [f"• {s.title}" for s in self.suggestions]
            parts.append(
                "\n".join([self.suggestions_heading, *lines] if self.suggestions_heading else lines)
            )
        if self.disclaimer:
            parts.append(self.disclaimer)
        return "\n\n".join(parts)
