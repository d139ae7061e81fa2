"""The one decision path from a message to a reply, shared by Telegram, the console and `ask`.

Every caller (chat, inline, buttons, deep links, the console, `ask`) goes through `reply`,
so every one passes the same gates in the same order: safety on the whole message first;
then small talk, the parts of a multi-part question, another subject, the ranking and its
gates (bot/core/decision.py); last, a follow-up is read against the conversation's last
answer.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.core.analysis import Analysis, Analyzer
from bot.core.conversation import Lean, continues_after_courtesy, lean, with_subject
from bot.core.decision import Decider, Thresholds
from bot.core.language import LanguageDetector
from bot.core.matcher import Matcher, Weights, names_unknown, significant_unknown
from bot.core.model import Entry, FollowUpWords, KnowledgeBase, Reason, Reply, ReplyKind
from bot.core.parts import question_parts
from bot.core.replies import Replies
from bot.core.safety import SafetyCheck, SafetyNet
from bot.core.smalltalk import SmallTalkMatcher
from bot.core.text import normalize

__all__ = ["Responder", "Thresholds"]

# A reply the bot could not give a clear answer for gets a second hearing (`_reheard`). A
# near-topic question the article does not cover keeps its honest answer.
_REHEARD_WHEN = frozenset({Reason.OTHER_SUBJECT, Reason.LOW_SCORE, Reason.AMBIGUOUS})
# A message that does not lean on the last answer ("does ibs count?") is read against it
# only when it is this short: a longer one is a question of its own.
IN_CONTEXT_MAX_WORDS = 8
# An answer that says why ("because gram doses are needed") answers "why?" itself.
_BECAUSE = re.compile(r"\bbecause\b", re.IGNORECASE)
# In a short follow-up, an unknown word this long that is no English word is a new subject.
NEW_NAME_MIN_LETTERS = 4


class Responder:
    """Answer questions from one knowledge base. Pure and deterministic."""

    def __init__(
        self,
        kb: KnowledgeBase,
        thresholds: Thresholds | None = None,
        weights: Weights | None = None,
    ) -> None:
        self.kb = kb
        self.thresholds = thresholds or Thresholds()
        words = {w for item in kb.matchable for p in item.phrasings for w in normalize(p).split()}
        self._analyzer = Analyzer(kb.lexicon, words)
        self._matcher = Matcher(kb, self._analyzer, weights)
        self._smalltalk = SmallTalkMatcher(kb.smalltalk)
        self._languages = LanguageDetector(
            kb.languages, kb.lexicon.stopwords, self._analyzer.vocabulary
        )
        self._entries = {e.id: e for e in kb.entries}
        self._replies = Replies(kb)
        subjects = {
            e.id: frozenset(self._analyzer.analyze(e.subject, correct=False).concepts)
            for e in kb.entries
        }
        # Per entry and uncovered topic, the concepts its phrasings use (the index has them).
        phrased = self._matcher.phrased()
        self._decider = Decider(kb, self._replies, self.thresholds, subjects, phrased)
        self._subjects = subjects
        # Per entry, the concepts its answer itself says ("irritable bowel syndrome").
        self._answer_concepts = {
            e.id: frozenset(self._analyzer.analyze(e.answer, correct=False).concepts)
            for e in kb.entries
        }
        net = SafetyNet(kb.models.safety, kb.safety) if kb.models.safety else None
        self._safety_check = SafetyCheck(
            kb.safety,
            kb.safety_context,
            kb.lexicon.safety_words,
            net=net,
            vocabulary=self._analyzer.vocabulary,
            function_words=kb.lexicon.stopwords | kb.lexicon.soft_words,
        )

    def reply(self, question: str, context: str | None = None) -> Reply:
        """Return the reply to one message; `context` is the conversation's last answered entry."""
        analysis = self._analyzer.analyze(question)
        decision = self._safety_check.check(analysis)
        if decision is not None:
            return self._replies.safety(decision)
        alone = self._respond(question, analysis)
        last = self._entries.get(context) if context else None
        return self._follow_up(question, analysis, alone, last) if last else alone

    def reply_to_entry(self, entry_id: str) -> Reply | None:
        """Return the answer of one entry (a button or deep link), or None if unknown."""
        entry = self._entries.get(entry_id)
        return self._replies.answer(entry, 1.0, Reason.BUTTON) if entry else None

    def candidates(
        self, question: str, limit: int = 5, context: str | None = None
    ) -> tuple[Reply, ...]:
        """Return what inline mode offers: exactly what chat would answer, or its choices."""
        reply = self.reply(question, context)
        if reply.kind in (ReplyKind.ANSWER, ReplyKind.SAFETY):
            return (reply,)
        if reply.kind == ReplyKind.CLARIFY:
            picked = (self.reply_to_entry(s.entry_id) for s in reply.suggestions[:limit])
            return tuple(replace(r, reason=Reason.AMBIGUOUS) for r in picked if r is not None)
        return ()

    def analyze(self, question: str) -> Analysis:
        """Expose the analysis of a question (for `eval` and debugging)."""
        return self._analyzer.analyze(question)

    def analyze_phrasing(self, phrasing: str) -> Analysis:
        """Analyse a content phrasing the way the index does (no typo correction)."""
        return self._analyzer.analyze(phrasing, correct=False)

    def _respond(
        self, question: str, analysis: Analysis, *, whole: bool = True, rehear: bool = True
    ) -> Reply:
        """Reply to one message on its own (safety already checked)."""
        analysis = self._matcher.unindexed_as_unknown(analysis)
        if analysis.is_empty:
            return self._replies.fallback(self.kb.texts.empty, [], Reason.EMPTY)
        language = self._languages.detect(question, analysis.normalized)
        if language is not None:
            return self._replies.not_english(language)
        smalltalk = self._smalltalk.match(analysis)
        if smalltalk is not None:
            return Reply(
                ReplyKind.SMALLTALK,
                smalltalk.reply,
                entry_id=smalltalk.id,
                score=1.0,
                reason=Reason.SMALLTALK,
            )
        if whole and (multi := self._multi_part(question, analysis)) is not None:
            return multi
        if analysis.foreign:
            # Another substance is named ("zinc", "glutamate"): the article covers only
            # L-glutamine, and says nothing about comparing or combining it with others.
            ranked = self._matcher.rank(analysis)
            return self._replies.other_subject(self._decider.subject(analysis), ranked)
        ranked = self._matcher.rank(analysis)
        message = analysis.normalized  # the whole message, whichever reading is decided
        focus = self._analyzer.focus(question, analysis)
        if focus is not None:
            focus = self._matcher.unindexed_as_unknown(focus)
            focused = self._matcher.rank(focus)
            if self._decider.prefer_focus(focus, focused, ranked):
                analysis, ranked = focus, focused
        reply = self._decider.decide(analysis, ranked, whole=message)
        second = (
            self._reheard(question, whole) if rehear and reply.reason in _REHEARD_WHEN else None
        )
        return second or reply

    def _reheard(self, question: str, whole: bool) -> Reply | None:
        """Answer the message with its unknown words heard as content words, or return None.

        "does meet contain glutamine" is answered as "does meat contain glutamine"; a second
        hearing that earns no answer is dropped, so the first reading's honest reply stands.
        """
        again = self._analyzer.reheard(question)
        if again is None:
            return None
        reply = self._respond(again.normalized, again, whole=whole, rehear=False)
        return reply if reply.kind == ReplyKind.ANSWER else None

    def _multi_part(self, question: str, analysis: Analysis) -> Reply | None:
        """Answer every part of a message that asks two or three questions, or return None."""
        parts = question_parts(question)
        if not parts:
            return None
        topics = [c for c in analysis.concepts if c in self.kb.lexicon.topic_concepts]
        # A part must ask something of its own: "why though?" only leans on the next one.
        read = [(p, a) for p in parts if (a := self._analyzer.analyze(p)).concepts]
        if len(read) < 2:
            return None
        replies: list[Reply] = []
        seen: set[str | None] = set()
        for part, part_analysis in read:
            # Every part must be answered or honestly not covered, each by a reply of its
            # own: the first part that fails ends the reading (the rest is not computed).
            reply = self._part(part, part_analysis, topics)
            if reply.kind != ReplyKind.ANSWER and reply.reason != Reason.NOT_COVERED:
                return None
            # Two parts one entry answers ("how much to start with, how high can i go") are
            # that entry once.
            key = reply.entry_id if reply.kind == ReplyKind.ANSWER else reply.rule
            if key not in seen:
                seen.add(key)
                replies.append(reply)
        if len(replies) < 2 or all(r.kind != ReplyKind.ANSWER for r in replies):
            return None
        return self._replies.combined(replies)

    def _part(self, part: str, analysis: Analysis, topics: list[str]) -> Reply:
        """Reply to one part, read with the whole message's topic ("... and how does it help").

        A part gets each topic it lacks that is rarer in the content than every topic it
        names: "how would glutamine help" in a message about leaky gut is about leaky gut.
        """
        own = [c for c in analysis.concepts if c in self.kb.lexicon.topic_concepts]
        weight = self._matcher.weight
        floor = max((weight(c) for c in own), default=0.0)
        missing = [t for t in topics if t not in own and weight(t) > floor]
        if missing:
            words = " ".join(t.replace("_", " ") for t in missing)
            pointers = self.kb.lexicon.follow_ups.pointers
            if pointers.intersection(analysis.normalized.split()):
                # "...and what diseases can it cause": "it" is the topic, read in its place
                # ("can leaky gut cause" is one form).
                read = with_subject(part, words, pointers)
                return self._respond(read, self._analyzer.analyze(read), whole=False)
            # The topic's words read as their concepts: no second analysis of the part.
            part = f"{part.rstrip(' ?!.')} {words}"
            analysis = replace(
                analysis,
                normalized=f"{analysis.normalized} {words}",
                corrected=f"{analysis.corrected} {words}",
                concepts=tuple(dict.fromkeys((*analysis.concepts, *missing))),
            )
        return self._respond(part, analysis, whole=False)

    def _follow_up(self, question: str, asked: Analysis, alone: Reply, last: Entry) -> Reply:
        """Read a message that leans on the last answer ("and after that?") with its subject.

        `asked` is the message's own analysis (before any other reading).
        """
        words = self.kb.lexicon.follow_ups
        how = lean(question, words, self.kb.lexicon.exclusions)
        settled = self._settled(asked, alone, last, how)
        rest = how is Lean.REST  # "anything else apart from the muscle stuff?"
        # An unknown everyday word beside a concept of the message's own is not a new
        # subject ("could that end up autoimmune"); a named other substance is ("zinc").
        unknown_only = alone.reason == Reason.OTHER_SUBJECT and self._asks_own(asked)
        # A message answered on its own that names L-glutamine or leaky gut, and every such
        # topic of the last answer's subject, is a new question, whatever "them" points at
        # ("different thing, which foods have glutamine in them" after the author). "how does
        # glutamine help with it" after what leaky gut is still points at leaky gut. One that
        # points only at a person and is answered alone asks that answer ("what dose does he
        # recommend" after the author).
        named = alone.reason == Reason.MATCHED and (
            self._names_topic(asked, last)
            or (alone.entry_id != last.id and self._of_a_person(asked))
        )
        alone_stands = named or (
            not unknown_only and self._stands_alone(question, alone, how, words)
        )
        if settled is None and not rest and (how is Lean.NONE or alone_stands):
            short = how is not Lean.NONE or len(question.split()) <= IN_CONTEXT_MAX_WORDS
            settled = (short and self._in_context(asked, alone, last)) or alone
        if settled is not None:
            return settled
        if how in (Lean.MORE, Lean.REST):
            # The rest of what the last answer lists is that answer again; so is "why?" after
            # an answer that gives its reason ("because gram doses are needed"); otherwise
            # "more" asks for the first related one.
            gives_reason = _BECAUSE.search(last.answer) is not None
            asks_why = "why" in asked.normalized.split()
            more = last.id if rest or (asks_why and gives_reason) else None
            more = more or next((i for i in last.follow_ups if i != last.id), last.id)
            return self._replies.answer(self._entries[more], 1.0, Reason.FOLLOW_UP)
        read = with_subject(question, last.subject, words.pointers)
        analysis = self._matcher.unindexed_as_unknown(self._analyzer.analyze(read))
        if analysis.foreign or (
            significant_unknown(analysis, self.kb.lexicon) and not self._asks_own(asked)
        ):
            return alone  # a word the content does not know is the new subject ("and apples?")
        resolved = self._respond(read, analysis)
        if (
            alone.reason == Reason.NOT_COVERED
            and resolved.entry_id == last.id
            and not self._about_entry(asked, last)
        ):
            return alone  # "can I mix it in coffee?": the subject alone is not an answer
        if resolved.kind == ReplyKind.ANSWER:
            return replace(resolved, reason=Reason.FOLLOW_UP)
        answered = alone.kind == ReplyKind.ANSWER
        chosen = resolved if resolved.reason == Reason.NOT_COVERED and not answered else alone
        return self._in_context(asked, chosen, last) or chosen

    def _settled(self, asked: Analysis, alone: Reply, last: Entry, how: Lean) -> Reply | None:
        """Return the reply of a follow-up its own words settle, or None.

        "but what causes leaky gut in the first place" after what it can cause is a whole
        question of its own, which the article does not answer. "what kind of doc" or "which
        way, up or down" (short, no word of their own) ask about the last answer.
        """
        if alone.reason == Reason.NOT_COVERED and self._names_topic(asked, last):
            return alone
        if alone.reason == Reason.OTHER_SUBJECT and self._of_a_person(asked):
            # "wheres his clinic", "is he related to frank sinatra": what the article does not
            # say about the person it names is another subject, whoever "he" is.
            return alone
        says_nothing = not (asked.concepts or asked.unknown or asked.foreign)
        if (
            how is Lean.NONE
            and alone.reason == Reason.LOW_SCORE
            and says_nothing
            and 2 <= len(asked.normalized.split()) <= IN_CONTEXT_MAX_WORDS
        ):
            return self._replies.answer(last, 1.0, Reason.FOLLOW_UP)
        return None

    def _in_context(self, analysis: Analysis, reply: Reply, last: Entry) -> Reply | None:
        """Answer a short message the last answer, or one related to it, covers; else None.

        "does ibs count?" after what leaky gut can lead to, "exercise?" after what lowers
        L-glutamine: every concept of the message's own is one that entry's answer says.
        A message naming another substance or a word that is not English ("and kefir?"),
        or with a concept no such entry has ("how is it diagnosed?"), keeps its reply.
        """
        if reply.kind in (ReplyKind.ANSWER, ReplyKind.SMALLTALK, ReplyKind.SAFETY):
            return None
        lexicon = self.kb.lexicon
        if analysis.foreign or names_unknown(analysis, lexicon, NEW_NAME_MIN_LETTERS):
            return None
        own = {c for c in analysis.concepts if c not in lexicon.topic_concepts}
        if not own or all(c.startswith("#") for c in own):  # a bare number ("2") is no question
            return None
        # An honest "the article doesn't say" gives way only to the last answer itself: "what
        # causes it?" after what leaky gut is, is not what leaky gut can cause.
        related = () if reply.reason == Reason.NOT_COVERED else last.follow_ups
        for entry_id in dict.fromkeys((last.id, *related)):
            entry = self._entries.get(entry_id)
            if entry is not None and own <= self._answer_concepts[entry_id]:
                return self._replies.answer(entry, 1.0, Reason.FOLLOW_UP)
        return None

    def _about_entry(self, analysis: Analysis, entry: Entry) -> bool:
        """Tell whether a follow-up's own concepts are all ones the entry's answer says.

        "how common is that" after the side effects asks what that answer says (they are
        rare); "can I mix it in coffee?" or "how many months should I stay on it" after the
        dose asks what it does not (the dose's phrasings may say "weeks"; its answer does not).
        """
        topics = self.kb.lexicon.topic_concepts
        own = {c for c in analysis.concepts if c not in topics}
        return bool(own) and own <= self._answer_concepts[entry.id]

    def _of_a_person(self, analysis: Analysis) -> bool:
        """Tell whether a message points back only at a person ("what dose does he give")."""
        words = self.kb.lexicon.follow_ups
        pointers = {w for w in analysis.normalized.split() if w in words.pointers}
        return bool(pointers) and pointers <= words.people

    def _names_topic(self, analysis: Analysis, last: Entry) -> bool:
        """Tell whether a message names a topic, every topic of the last subject, and more."""
        topics = self.kb.lexicon.topic_concepts
        named = topics.intersection(analysis.concepts)
        # It must ask something of its own besides the topic: "and how does glutamine affect
        # them" after tight junctions asks about them.
        own = set(analysis.concepts) - topics
        return bool(named and own) and self._subjects[last.id] & topics <= named

    def _asks_own(self, analysis: Analysis) -> bool:
        """Tell whether a follow-up names a concept of its own and no other substance.

        "could that end up as an autoimmune thing" asks about autoimmunity ("end" is only a
        word the content lacks); "and apples?" names nothing but its new subject.
        """
        topics = self.kb.lexicon.topic_concepts
        return not analysis.foreign and any(c not in topics for c in analysis.concepts)

    @staticmethod
    def _stands_alone(question: str, alone: Reply, how: Lean, words: FollowUpWords) -> bool:
        """Tell whether a message is read on its own despite the conversation."""
        if how is Lean.NONE:
            return True
        # Another subject ("and for zinc?") and small talk that does not continue ("got it,
        # cheers"; "and later on?" continues) are what they are.
        if alone.reason == Reason.OTHER_SUBJECT:
            return True
        if alone.reason == Reason.SMALLTALK and how is not Lean.CONTINUES:
            return not continues_after_courtesy(question, words)
        # "what about spinach?" answers itself.
        return how is Lean.CONTINUES and alone.reason in (Reason.MATCHED, Reason.MULTI_PART)
