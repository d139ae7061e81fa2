"""The gates between a ranking and a reply: answer, "did you mean", or an honest "no".

Like Rasa's fallback classifier, each gate states its reason: a score below the bar, an
ambiguity between close entries, a subject the content does not know.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.core.analysis import Analysis
from bot.core.matcher import ENTRY, UNCOVERED, Candidate, names_unknown, significant_unknown
from bot.core.model import KnowledgeBase, Reason, Reply
from bot.core.replies import Replies

# Thresholds on the matcher's 0..1 score, chosen with bench/tune.py on
# content/training/questions_tune.yaml (figures in docs/matching.md).
#
# answer_min: below this the bot never answers outright.
# answer_min_unknown: the bar when the question has a word the content does not know (it
#   may be the real subject: "can I give glutamine to my dog").
# answer_min_unknown_off_topic: the bar when, besides such a word, the question names neither
#   L-glutamine nor leaky gut: "recipe for cabbage soup" or "how do I cook lentils so they
#   don't go mushy" share a food and ask something else.
# min_evidence_unknown: with such a word, the matched phrasing must also share at least this
#   many specific concepts with the question: "does it help keep the lining strong" (help,
#   lining, strong) is still answered, "can I give glutamine to my dog" (glutamine) is not.
# answer_margin: the best entry must beat the next one by this much, or the bot asks
#   "did you mean".
# focus_rescue_below: a last sentence that only names the topic ("what is it?") replaces
#   the whole message when the whole matches an entry less well than this.
# clarify_min: below answer_min but at least this, ask "did you mean" with the top entries;
#   lower, say honestly that the article does not cover it.


@dataclass(frozen=True, slots=True)
class Thresholds:
    """When to answer, when to ask "did you mean", when to say "I don't know"."""

    answer_min: float = 0.6
    answer_min_unknown: float = 0.6
    answer_min_unknown_off_topic: float = 0.7
    min_evidence_unknown: int = 1
    answer_margin: float = 0.01
    focus_rescue_below: float = 0.7
    clarify_min: float = 0.4


# The learned ranker's least probability for its top entry to carry a lexical best that is
# short of the bar (`Decider._agreed`); measured in docs/matching.md, "The learned ranker".
AGREE_MIN = 0.5
# An unknown non-English word this long is taken for the name of something else.
NAME_MIN_LETTERS = 5
# The knowledge base's topic of food entries (content/knowledge.yaml).
FOOD_TOPIC = "foods"
# A clarify list offers entries within CLARIFY_SPREAD of the best.
CLARIFY_SPREAD = 0.2


class Decider:
    """Turn a ranking into a reply through the same gates for every caller."""

    def __init__(
        self,
        kb: KnowledgeBase,
        replies: Replies,
        thresholds: Thresholds,
        subjects: Mapping[str, frozenset[str]] | None = None,
        phrased: Mapping[str, frozenset[str]] | None = None,
    ) -> None:
        self.kb = kb
        self.thresholds = thresholds
        self._replies = replies
        self._entries = {e.id: e for e in kb.entries}
        # Per entry, the concepts of its subject ("l-glutamine in beans": glutamine, beans).
        self._subjects = subjects or {}
        # Per entry and uncovered topic, the concepts its phrasings use.
        self._phrased = phrased or {}
        # What any food entry's phrasings ask ("is it a good source"): a habit question may ask
        # it of one food.
        self._food_asks = frozenset().union(
            *(self._phrased.get(e.id, frozenset()) for e in kb.entries if e.topic == FOOD_TOPIC)
        )

    def decide(self, analysis: Analysis, ranked: list[Candidate], *, whole: str = "") -> Reply:
        """Return the reply the ranking earns; `whole` is the message when `analysis` is a part."""
        limits = self.thresholds
        best = ranked[0] if ranked else None
        if best is None or best.score < limits.clarify_min:
            return self._replies.fallback(self.kb.texts.fallback, ranked, Reason.LOW_SCORE)
        elsewhere = None if best.kind == UNCOVERED else self._elsewhere(analysis, best, ranked)
        if elsewhere is not None:
            ranked = [elsewhere, *(c for c in ranked if c is not elsewhere)]
        if best.kind == UNCOVERED or elsewhere is not None:
            return self._not_covered(analysis, ranked, whole or analysis.normalized)
        # A word the content does not know ("dog", "rice", "biotin") may be the real subject.
        unknown = significant_unknown(analysis, self.kb.lexicon)
        # Without "glutamine" or "leaky gut", a name that is not even an English word is the
        # subject ("does kombucha help digestion"): never answered, said so below.
        named_other = unknown and self._names_other(analysis)
        options = [c for c in ranked if c.kind == ENTRY and c.score >= best.score - CLARIFY_SPREAD]
        if not named_other and (answered := self._answered(analysis, ranked, unknown=unknown)):
            return self._chosen(analysis, options, *answered, unknown=unknown)
        # With an unknown subject "did you mean" would offer the nearest entry for it: say
        # honestly that the article does not cover it instead.
        if unknown:
            return self._replies.other_subject(self.subject(analysis), ranked)
        if not options:
            return self._replies.fallback(self.kb.texts.fallback, ranked, Reason.LOW_SCORE)
        return self._named_answer(analysis, options) or self._replies.clarify(options, best.score)

    def _chosen(
        self,
        analysis: Analysis,
        options: list[Candidate],
        chosen: Candidate,
        why: Reason,
        *,
        unknown: bool,
    ) -> Reply:
        """Answer the chosen entry, and every other close one the question names one by one.

        "cabbage and parsley, do they both have it" asks about both foods.
        """
        named = [] if unknown else self._named_each(analysis, options)
        if chosen in named:
            return self._combined(analysis, named)
        return self._replies.answer(self._entries[chosen.id], chosen.score, why)

    def _elsewhere(
        self, analysis: Analysis, best: Candidate, ranked: list[Candidate]
    ) -> Candidate | None:
        """Return the uncovered topic a question asks by naming one of its concepts, or None.

        "best whey for bulking" matches the whey entry on "whey", but bulking is another use
        of it, which the article does not cover; an entry whose phrasings name the concept
        itself ("is glutamine good for ibs" where IBS is a condition it lists) still answers.
        """
        asked = self.kb.lexicon.uncovered_concepts.intersection(analysis.concepts)
        if not asked or asked & self._phrased.get(best.id, frozenset()):
            return None
        return next(
            (
                c
                for c in ranked[1:]
                if c.kind == UNCOVERED and asked & self._phrased.get(c.id, frozenset())
            ),
            None,
        )

    def _not_covered(self, analysis: Analysis, ranked: list[Candidate], whole: str) -> Reply:
        """Say the article does not cover it, unless it asks about a food eaten as a habit."""
        food = self._food_habit(analysis, ranked, whole)
        if food is None:
            return self._replies.not_covered(ranked[0])
        return self._replies.answer(self._entries[food.id], food.score, Reason.MATCHED)

    def _food_habit(
        self, analysis: Analysis, ranked: list[Candidate], whole: str
    ) -> Candidate | None:
        """Return the food entry a habit question is about, or None.

        "I have 3 eggs every morning, any glutamine?" reads close to "take glutamine in the
        morning" (timing), but asks about eggs: a food entry names it, the uncovered topic
        never does, and the rest of the question is habit ("every morning") or what that
        entry's own phrasings say. "how much glutamine is in eggs" (its topic names eggs),
        "does cooking destroy it in vegetables" (cooking) and "can I take it with eggs in
        the morning" (taking a supplement) stay not covered.
        """
        lexicon = self.kb.lexicon
        if lexicon.intake_words.intersection(whole.split()):
            return None
        asked = set(analysis.concepts) - lexicon.topic_concepts
        uncovered = self._phrased.get(ranked[0].id, frozenset())
        for candidate in ranked[1:]:
            entry = self._entries.get(candidate.id)
            if candidate.kind != ENTRY or entry is None or entry.topic != FOOD_TOPIC:
                continue
            if candidate.score < self.thresholds.answer_min:
                return None
            food = self._subjects.get(entry.id, frozenset()) - lexicon.topic_concepts
            said = self._food_asks | lexicon.habit_concepts
            rest = {c for c in asked - food if not c.startswith("#")}  # "3 eggs": a count
            if food and food <= asked and not food & uncovered and rest <= said:
                return candidate
        return None

    def _answered(
        self, analysis: Analysis, ranked: list[Candidate], *, unknown: bool
    ) -> tuple[Candidate, Reason] | None:
        """Return the entry answered and why (the lexical bar, or both signals), or None."""
        if self._confident(analysis, ranked, unknown=unknown):
            return ranked[0], Reason.MATCHED
        agreed = self._agreed(analysis, ranked)
        return (agreed, Reason.AGREED) if agreed is not None else None

    def _agreed(self, analysis: Analysis, ranked: list[Candidate]) -> Candidate | None:
        """Return the lexical best (or tied best) entry the learned ranker picks too, or None.

        Two signals that fail differently: the lexical one knows no "substance" and falls
        short on "wat kind of substance is glutamine", the learned one answers off-topic
        questions made of content words. Only a question that names L-glutamine or leaky
        gut and no other substance, where both pick the same entry, is answered; between
        entries the lexical one cannot tell apart ("what does glutamine do for your gut"),
        the learned one chooses. Scored only for messages that would otherwise not be
        answered.
        """
        model = self.kb.models.questions
        topics = self.kb.lexicon.topic_concepts
        if model is None or analysis.foreign or not topics.intersection(analysis.concepts):
            return None
        tied = ranked[0].score - self.thresholds.answer_margin
        best = {c.id: c for c in ranked if c.kind == ENTRY and c.score >= tied}
        # Tied entries the question names one by one ("lentils and fish") are all answered.
        if not best or self._named_each(analysis, list(best.values())):
            return None
        top, probability = model.ranked(analysis.normalized)[0]
        return best.get(top) if probability >= AGREE_MIN else None

    def _names_other(self, analysis: Analysis) -> bool:
        lexicon = self.kb.lexicon
        if any(c in lexicon.topic_concepts for c in analysis.concepts):
            return False
        return names_unknown(analysis, lexicon, NAME_MIN_LETTERS)

    def _named_answer(self, analysis: Analysis, options: list[Candidate]) -> Reply | None:
        """Answer every close entry the question names one by one, or return None."""
        named = self._named_each(analysis, options)
        return self._combined(analysis, named) if named else None

    def _combined(self, analysis: Analysis, named: list[Candidate]) -> Reply:
        """Answer each named entry in one reply, in the order the question names them."""
        order = {c: i for i, c in enumerate(analysis.concepts)}
        last = len(order)

        def place(candidate: Candidate) -> int:  # "cabbage and parsley": cabbage first
            subject = self._subjects.get(candidate.id, frozenset())
            return min((order.get(c, last) for c in subject), default=last)

        ranked = sorted(named, key=place)
        parts = [self._replies.answer(self._entries[c.id], c.score, Reason.MATCHED) for c in ranked]
        return self._replies.combined(parts)

    def _named_each(self, analysis: Analysis, options: list[Candidate]) -> list[Candidate]:
        """Return the close entries the question names one by one ("lentils and beans?").

        An entry is named when the question has a concept of its subject that no other
        close entry's subject has. Two or more named: each is what is asked, not a choice.
        """
        topics = self.kb.lexicon.topic_concepts
        asked = set(analysis.concepts) - topics
        own = {c.id: self._subjects.get(c.id, frozenset()) - topics for c in options}
        named = []
        for option in options:
            others = frozenset().union(*(own[o.id] for o in options if o.id != option.id))
            if (own[option.id] - others) & asked:
                named.append(option)
        return named if len(named) >= 2 else []

    def _confident(self, analysis: Analysis, ranked: list[Candidate], *, unknown: bool) -> bool:
        limits = self.thresholds
        best = ranked[0]
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        # Without "glutamine" or "leaky gut" in the question the unknown word is more likely
        # its subject ("how much sugar is too much"): a higher bar, one more shared concept.
        about_topic = any(c in self.kb.lexicon.topic_concepts for c in analysis.concepts)
        bar = limits.answer_min
        if unknown:
            bar = limits.answer_min_unknown if about_topic else limits.answer_min_unknown_off_topic
        evidence = limits.min_evidence_unknown + (0 if about_topic else 1) if unknown else 0
        return (
            best.score >= bar
            and best.evidence >= evidence
            and best.score - runner_up >= limits.answer_margin
        )

    def subject(self, analysis: Analysis) -> str:
        """Return what the question seems to be about instead: its first unknown word."""
        if analysis.foreign:
            return analysis.foreign[0]
        lexicon = self.kb.lexicon
        words = [
            w
            for w in analysis.unknown
            if (len(w) >= 4 or w in lexicon.english) and w not in lexicon.non_nouns
        ]
        return (words or list(analysis.unknown) or ["that"])[0]

    def prefer_focus(
        self, focus: Analysis, focused: list[Candidate], ranked: list[Candidate]
    ) -> bool:
        """Tell whether the last sentence alone matches better than the whole message.

        A last sentence that asks something specific ("how many grams?") wins when it scores
        higher. One that only names the topic ("what is it?") is a rescue for messages the
        whole text does not answer: otherwise the context ("I eat steak every day. Am I
        getting glutamine?") says what is asked.
        """
        if not focused:
            return False
        if not ranked:
            return True
        whole = ranked[0]
        topics = self.kb.lexicon.topic_concepts
        if whole.kind != ENTRY and focused[0].kind == ENTRY:
            # "...still cycle every day. what sort of substance is it?": what the article does
            # not cover (how long to take it) came from the context, not from the question.
            asked = {*focus.concepts, *focus.unknown} - topics
            if asked and not asked & self._phrased.get(whole.id, frozenset()):
                return True
        if focused[0].score <= whole.score:
            return False
        specific = any(c not in topics for c in focus.concepts)
        return specific or whole.kind != ENTRY or whole.score < self.thresholds.focus_rescue_below
