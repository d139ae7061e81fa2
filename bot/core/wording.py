"""Word-level repairs before concepts: split and merged words, sound-alikes, ages, exclusions.

Speech-to-text and fast typing break words apart ("el glue tamine", "gluta mean"), run them
together ("leakygut", "glutamineside") or write a real word that sounds right ("leaky got").
Each repair is checked against the content's own vocabulary, so only a word the content uses
can come out of one. Numbers that are ages or durations ("my son is 26", "for 3 weeks") are
not doses. An exclusion ("besides the gut", "I don't eat meat", "food rather than powder")
removes what it excludes, so the intended part is what gets matched.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

import jellyfish
from rapidfuzz.distance import OSA

from bot.core.caches import BoundedCache
from bot.core.phrases import Phrases
from bot.core.text import is_number

# Fewest letters a word built by joining or splitting may have: "gut" + "s" is not a repair.
MIN_JOINED = 5
# Real words join by sound only into a content word at least this long ("cab age").
MIN_HEARD_JOIN = 6
# A joined form heard as a content word differs from it in length by at most this.
MAX_JOIN_SLACK = 2
# A word this long may be two letters off the form's word it completes ("side defects").
MIN_SLIP_TWO = 7
# Most letters an acronym spelt out letter by letter has ("f d a", "i b s").
MAX_SPELT = 5
AGE_MARK = "#age"
EXCLUDED_MARK = "#excluded"
# Per word, for the join repair: real English, function word, content word, number, length.
_Facts = tuple[bool, bool, bool, bool, int]
# The middle of a two-word piece: real, no function word, in the content, no number, empty.
_NO_MIDDLE: _Facts = (True, False, True, False, 0)
# Distinct words whose facts are remembered (`Wording.joined`).
FACTS_KEPT = 16384
# Before an exclusion trigger, these ask how to do it: "how do I avoid the anxiety" is about
# the anxiety, not a question that leaves it out.
_HOW_TO = re.compile(r"\b(?:how (?:do|can|could|should|would|to) (?:i |you |we )?|ways? to )$")
_AGE_AFTER = frozenset(
    {"year", "years", "yr", "yrs", "yo", "old", "week", "weeks", "wk", "wks", "month", "months"}
    | {"mo", "day", "days", "hour", "hours", "hr", "hrs", "minute", "minutes", "min", "mins"}
    | {"time", "times", "s"}  # "the 90s": a decade
)
# Distances, body weights and sets at the gym are not doses either ("I run 60k a week"):
# the number and the unit are marked.
_MEASURES = frozenset(
    {"k", "km", "kms", "mile", "miles", "mi", "kilometres", "kilometers", "laps", "steps"}
    | {"kg", "kgs", "kilos", "lb", "lbs", "pounds", "stone", "reps", "sets"}
)
_AGE_BEFORE = frozenset(
    {"is", "aged", "age", "turned", "turns", "turning", "im", "hes", "shes"}
    # "retired, 70, still cycle": a person then a bare number is an age
    | {"retired", "male", "female", "woman", "man", "guy", "bloke", "lady", "myself"}
)
_DOSE_UNITS = frozenset({"g", "gm", "gr", "mg", "gram", "grams", "milligram", "milligrams"})
_JOINERS = frozenset({"and", "or", "nor"})
_NEGATORS = frozenset({"not", "no", "never", "dont", "isnt", "arent", "without", "nor", "neither"})


class Wording:
    """Repair words against the content's vocabulary (see the module docstring)."""

    def __init__(
        self,
        *,
        domain: frozenset[str],
        known: frozenset[str],
        english: frozenset[str],
        correct: Callable[[str], str],
        multi_forms: Iterable[str],
        exclusions: Iterable[str],
        stopwords: frozenset[str],
        exclusions_after: Iterable[str] = (),
        foreign: frozenset[str] = frozenset(),
        safety_words: frozenset[str] = frozenset(),
    ) -> None:
        self._domain = domain
        self._known = known
        self._english = english
        self._words = known | english
        self._facts: BoundedCache[str, _Facts] = BoundedCache(FACTS_KEPT)
        self._correct = correct
        self._stopwords = stopwords
        self._safety_words = safety_words
        # Another substance stays the subject: "better than creatine" is about creatine too.
        self._keep = stopwords | foreign
        # "leaky got" -> "leaky gut": a sound-alike is fixed only where it completes a
        # multi-word form the content uses, never on its own ("I got it").
        self._forms: dict[tuple[str, str], str] = {}
        # By the word beside it, for a slip one letter from the form's word ("side defects").
        self._beside: dict[str, list[str]] = {}
        for form in multi_forms:
            first, *rest = form.split()
            if len(rest) != 1:
                continue
            second = rest[0]
            self._forms.setdefault((f"{first} ?", jellyfish.metaphone(second)), second)
            self._forms.setdefault((f"? {second}", jellyfish.metaphone(first)), first)
            self._beside.setdefault(f"{first} ?", []).append(second)
            self._beside.setdefault(f"? {second}", []).append(first)
        # Long content words by sound, for words split apart by speech-to-text.
        self._sounds: dict[str, str] = {}
        for word in sorted(domain - stopwords, key=lambda w: (w in english, w)):
            if len(word) >= MIN_HEARD_JOIN and word.isalpha():
                self._sounds.setdefault(jellyfish.metaphone(word), word)
        # A sound-alike must share its first two letters: most joins fail this before any
        # Metaphone key is computed.
        self._sound_starts = frozenset(word[:2] for word in self._sounds.values())
        # Every content word by sound, for a second hearing of a message the bot could not
        # answer ("does meet contain glutamine"). Not function words: "mushy" heard as "much"
        # would drop what the question is really about.
        self._heard_index: dict[str, list[str]] = {}
        for word in sorted(domain - stopwords):
            if len(word) >= 3 and word.isalpha():
                self._heard_index.setdefault(jellyfish.metaphone(word), []).append(word)
        ordered = sorted(exclusions, key=lambda e: (-len(e), e))
        body = "|".join(re.escape(e) for e in ordered) or "(?!)"
        self._exclusion = re.compile(rf"(?<!\S)(?:{body})(?!\S)")
        after = sorted(exclusions_after, key=lambda e: (-len(e), e))
        body = "|".join(re.escape(e) for e in after) or "(?!)"
        self._exclusion_after = re.compile(rf"(?<!\S)(?:{body})(?!\S)")

    def repair(self, words: list[str]) -> list[str]:
        """Return the words with split, merged and sound-alike words repaired."""
        words = self.joined(words)
        words = [part for word in words for part in self._split(word)]
        return self._heard(words)

    def reheard(self, words: list[str]) -> list[str] | None:
        """Return the words with each one the content does not know heard as one it does.

        A plural becomes the content's singular ("bodies" -> "body"); another word becomes
        the content word of four letters or more that sounds the same, is spelt within one
        edit (two for a non-word of six letters or more), starts with the same letter and is
        at most one letter shorter ("meet" -> "meat", "rote" -> "wrote"); a word beside a
        form's other word may be a slip of the form's word ("side defects"). None when
        nothing changes. Only a second reading: the caller keeps it only if it earns an
        answer.
        """
        out = self._slipped([self._reheard_word(word) for word in words])
        return out if out != words else None

    def _reheard_word(self, word: str) -> str:
        if word in self._known or len(word) < 3 or not word.isalpha():
            return word
        for cut, tail in (("ies", "y"), ("es", ""), ("s", "")):
            if word.endswith(cut) and (singular := word[: -len(cut)] + tail) in self._domain:
                return singular
        sounds = self._heard_index.get(jellyfish.metaphone(word), [])
        # A real word ("meet") is one slip from the content word; neither may lose letters:
        # "legs" is not "lgs", "toastie" not "taste".
        budget = 1 if len(word) <= 5 or word in self._english else 2
        close = [
            (distance, heard)
            for heard in sounds
            if _silent(heard)[:1] == _silent(word)[:1]
            and len(heard) >= max(4, len(word) - 1)
            and (distance := OSA.distance(word, heard, score_cutoff=budget)) <= budget
        ]
        return min(close)[1] if close else word

    def ages(self, words: list[str]) -> list[str]:
        """Mark numbers that are ages, durations or measures: they are not doses."""
        marked = list(words)
        for i, word in enumerate(words):
            if not is_number(word):
                continue
            after = words[i + 1] if i + 1 < len(words) else ""
            before = words[i - 1] if i else ""
            # "is 26" is an age, "is 2.5 g" a dose: a unit after the number decides.
            bare = word.isdigit() and after not in _DOSE_UNITS
            if after in _MEASURES:
                marked[i] = marked[i + 1] = AGE_MARK
            elif after in _AGE_AFTER or (before in _AGE_BEFORE and bare):
                marked[i] = AGE_MARK
        return marked

    def denied(self, words: list[str]) -> list[str]:
        """Drop safety words a negation denies ("I'm not pregnant"): not what is asked.

        The safety check has read them first; for the matcher a denied situation is not
        another subject. A safety word that is not denied still counts ("medication").
        """
        marked = list(words)
        for i, word in enumerate(words):
            if word in self._safety_words and any(w in _NEGATORS for w in words[max(0, i - 3) : i]):
                marked[i] = EXCLUDED_MARK
        return marked

    def excluded(self, text: str, multi: Phrases) -> str:
        """Blank what an exclusion excludes: "besides the gut" keeps "besides", drops "gut".

        "dont fancy powders" drops "fancy" too: a trigger's words the content does not know
        are not what is asked."""
        for trigger in reversed(list(self._exclusion.finditer(text))):
            if _HOW_TO.search(text[: trigger.start()]):
                continue  # "how do I avoid that" asks about what it names
            # A trigger's words the content does not know are no subject either: "fancy" in
            # "dont fancy", "mind" in "never mind" (its other words stay: "avoid", "than").
            said = " ".join(
                w if w in self._known else EXCLUDED_MARK for w in trigger.group(0).split()
            )
            head = text[: trigger.start()] + said
            text = head + self._drop_object(text[trigger.end() :], multi)
        # "fish aside", "dairy is out": the words before the trigger are excluded.
        for trigger in reversed(list(self._exclusion_after.finditer(text))):
            text = self._drop_before(text[: trigger.start()]) + text[trigger.start() :]
        return text

    def _drop_before(self, head: str) -> str:
        """Drop the content word before an exclusion, and any joined to it by "and"/"or"."""
        words = head.split()
        i = len(words) - 1
        while i >= 0 and words[i] in self._stopwords and words[i] not in _JOINERS:
            i -= 1  # "the fish aside", "dairy is out"
        while i >= 0 and words[i] not in self._keep:
            words[i] = EXCLUDED_MARK
            if i >= 2 and words[i - 1] in _JOINERS:
                i -= 2
                continue
            break
        return " ".join(words) + " " if words else ""

    def _drop_object(self, rest: str, multi: Phrases) -> str:
        words = rest.split()
        out: list[str] = []
        i, dropping = 0, True
        while i < len(words):
            word = words[i]
            if dropping and (word in self._keep or " ".join(words[i : i + 2]) in self._keep):
                dropping = word in self._stopwords
            elif dropping:
                span = multi.match(" ".join(words[i:]))
                width = len(span.split()) if span else 1
                out += [EXCLUDED_MARK] * width
                i += width
                # "the fda disclaimer stuff": a compound goes with its first word; "and" or
                # "or" adds the next.
                follows = words[i] if i < len(words) else ""
                dropping = follows in _JOINERS or bool(follows and follows not in self._keep)
                continue
            out.append(word)
            i += 1
        return " " + " ".join(out) if out else ""

    def joined(self, words: list[str], *, pieces_only: bool = False) -> list[str]:
        """Return the words with pieces of one content word joined ("glue tamine").

        `pieces_only`: join only where a piece is no word at all ("cab bage"), the one join
        typo correction would spoil ("bage" -> "bake"); the rest waits for the later pass.
        """
        # Each word's facts once, not once per piece it is part of (a long message has many),
        # and remembered across messages: they depend on the word alone.
        known = self._facts
        facts = []
        for w in words:
            found = known.get(w)
            if found is None:
                found = known[w] = self._facts_of(w)
            facts.append(found)
        if pieces_only and all(f[0] for f in facts):
            return words  # every word is a word: nothing for this pass (most messages)
        out: list[str] = []
        i = 0
        while i < len(words):
            if facts[i][4] == 1 and (spelt := self._spelt(words, i)) is not None:
                out.append(spelt[0])
                i = spelt[1]
                continue
            for width in (3, 2):
                end = i + width
                if end > len(words) or (pieces_only and all(f[0] for f in facts[i:end])):
                    continue
                if self._joinable(words, facts, i, end):
                    joined = "".join(words[i:end])
                    out.append(self._heard_as(joined) or self._correct(joined))
                    i = end
                    break
            else:
                out.append(words[i])
                i += 1
        return out

    def _facts_of(self, w: str) -> _Facts:
        return (w in self._words, w in self._stopwords, w in self._domain, is_number(w), len(w))

    def _spelt(self, words: list[str], start: int) -> tuple[str, int] | None:
        """Return a content word spelt out letter by letter ("f d a", "i b s") and its end.

        Only a whole run of two to MAX_SPELT single letters, read from its start: a longer
        run is no acronym, and each run is looked at once ("x x x ..." stays linear).
        """
        if start and _letter(words[start - 1]):
            return None
        end = start
        while end < len(words) and end - start <= MAX_SPELT and _letter(words[end]):
            end += 1
        if not 2 <= end - start <= MAX_SPELT:
            return None
        joined = "".join(words[start:end])
        if joined in self._domain and joined not in self._stopwords:
            return joined, end
        return None

    def _joinable(self, words: list[str], facts: list[_Facts], start: int, end: int) -> bool:
        """Tell whether words[start:end] belong together as one content word ("glue tamine").

        A piece that is no word at all ("tamine") joins into any content word the typo
        corrector reaches. Real words join only into a longer content word that spells
        or sounds the same ("cab age" -> cabbage, "gluta mean" -> glutamine) and never
        from a function word: "a part" is not "apart", "do inside" is not "downside".
        A number never joins, nor do words the content already knows each on its own.
        `facts` holds, per word: real English, function word, content word, number, length.
        """
        # The cheap refusals first: most pieces of a long message are real words that start
        # or end with a function word. A piece is two or three words: no loops here.
        first, last = facts[start], facts[end - 1]
        middle = facts[start + 1] if end - start == 3 else _NO_MIDDLE
        size = first[4] + middle[4] + last[4]
        if size < MIN_JOINED:
            return False
        real = first[0] and middle[0] and last[0]
        if real and (first[1] or last[1] or size < MIN_HEARD_JOIN):
            return False
        if first[3] or middle[3] or last[3] or (first[2] and middle[2] and last[2]):
            return False
        joined = "".join(words[start:end])
        if not real:
            return self._heard_as(joined) is not None
        return self._sounded(joined) is not None

    def _heard_as(self, joined: str) -> str | None:
        """Return the content word a joined form spells (one typo) or sounds like."""
        corrected = self._correct(joined)
        if corrected in self._domain and corrected not in self._stopwords:
            return corrected
        return self._sounded(joined)

    def _sounded(self, joined: str) -> str | None:
        """Return the long content word a joined form sounds like (Metaphone), if any."""
        if joined[:2] not in self._sound_starts:
            return None
        heard = self._sounds.get(jellyfish.metaphone(joined))
        # Same start, and about as long: "leukaemia as a" is not "legumes".
        if heard and heard[:2] == joined[:2] and abs(len(heard) - len(joined)) <= MAX_JOIN_SLACK:
            return heard
        return None

    def _split(self, word: str) -> list[str]:
        if word in self._known or word in self._english or len(word) < 2 * 3 or is_number(word):
            return [word]  # a real word is not two: "forgot" is not "for got"
        for cut in range(3, len(word) - 2):
            head, tail = word[:cut], word[cut:]
            if head in self._domain and (tail in self._domain or tail in self._known):
                return [head, tail]
        return [word]

    def _heard(self, words: list[str]) -> list[str]:
        out = list(words)
        for i, word in enumerate(words):
            if word in self._domain or len(word) < 3:
                continue
            for pair in _beside(words, i):
                key = (pair, jellyfish.metaphone(word))
                if key in self._forms:
                    out[i] = self._forms[key]
                    break
        return out

    def _slipped(self, words: list[str]) -> list[str]:
        """Read a word beside a form's other word as the form's word it is a slip of.

        "side defects" -> "side effects": one letter off, two from seven letters, the
        closest form word. Only in a second hearing (`reheard`): "my brother supplements"
        stays "brother", never "other".
        """
        out = list(words)
        for i, word in enumerate(words):
            if word in self._known or len(word) < MIN_JOINED or not word.isalpha():
                continue
            budget = 1 if len(word) < MIN_SLIP_TWO else 2
            for pair in _beside(words, i):
                close = [
                    (distance, form_word)
                    for form_word in self._beside.get(pair, ())
                    if len(form_word) >= MIN_JOINED
                    and (distance := OSA.distance(word, form_word, score_cutoff=budget)) <= budget
                ]
                if close:
                    out[i] = min(close)[1]
                    break
        return out


def _beside(words: list[str], i: int) -> Iterator[str]:
    """Yield the keys of a word's neighbours in a two-word form: "side ?", then "? effects"."""
    if i > 0:
        yield f"{words[i - 1]} ?"
    if i + 1 < len(words):
        yield f"? {words[i + 1]}"


def _letter(word: str) -> bool:
    return len(word) == 1 and word.isalpha()


def _silent(word: str) -> str:
    """Drop a silent letter at the start: "wrote" sounds as "rote", "whey" as "wey"."""
    if word.startswith("wr"):
        return word[1:]
    return "w" + word[2:] if word.startswith("wh") else word
