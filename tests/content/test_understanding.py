"""What a question is about: exclusions, other subjects, treat/cure, repaired words, one path."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core import ReplyKind, Responder
from bot.core.evaluation import load_cases
from bot.core.model import Reason

ROOT = Path(__file__).resolve().parents[2]
LABELLED = sorted([*(ROOT / "tests/data").glob("questions_h*.yaml")]) + sorted(
    (ROOT / "content/training").glob("questions_*.yaml")
)


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("what is it good for besides the gut", "body_functions"),
        ("I don't eat meat, where else can I get it", "food_sources"),
        ("I'd rather get it from food than powder", "food_sources"),
        ("I'm not pregnant, how much should I take", "dosage"),
        ("skip the dosage part, what are the side effects", "side_effects"),
        ("skip the author bio stuff, how much do i take", "dosage"),  # a compound excluded
        ("not the author bit, has the fda evaluated this", "fda_statement"),
        ("apart from autoimmune disease, what else can leaky gut lead to", "leaky_gut_conditions"),
        # A trigger's words the content does not know are no other subject either.
        ("i dont fancy capsules, which foods have it", "food_sources"),
        ("never mind the science, who is the author", "author"),
    ],
)
def test_an_exclusion_or_a_denial_leaves_the_intended_question(
    responder: Responder, question: str, entry: str
) -> None:
    """What is excluded ("besides the gut", "don't eat meat") is not what is answered."""
    assert responder.reply(question).entry_id == entry


@pytest.mark.parametrize(
    "question", ["which whey is best for bulking", "is cabbage good for weight loss"]
)
def test_another_use_of_a_food_the_article_names_is_not_covered(
    responder: Responder, question: str
) -> None:
    """The article names whey as a source; bulking with it is another use it does not cover."""
    assert responder.reply(question).rule == "other_uses"


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("is there iron in spinach", "iron"),
        ("how much zinc should i take", "zinc"),
        ("is glutamine better than creatine", "creatine"),
        ("is keto good for gut health", "keto"),
        ("is msg bad for you", "msg"),
        # Without glutamine or leaky gut, a name that is no English word is the subject.
        ("does kombucha help digestion", "kombucha"),
    ],
)
def test_another_subject_that_shares_a_keyword_is_refused_by_name(
    responder: Responder, question: str, subject: str
) -> None:
    """ "Iron in spinach": the article names spinach, not iron; the reply says so."""
    reply = responder.reply(question)
    assert (reply.kind, reply.reason) == (ReplyKind.FALLBACK, Reason.OTHER_SUBJECT)
    assert f"nothing about {subject}" in reply.body


@pytest.mark.parametrize(
    "question",
    ["how do I treat leaky gut", "how to heal leaky gut", "can glutamine cure disease"],
)
def test_treat_and_cure_questions_get_what_the_article_says(
    responder: Responder, question: str
) -> None:
    """The author uses L-glutamine for gut conditions; the FDA sentence is not an answer."""
    assert responder.reply(question).entry_id == "gut_conditions"


@pytest.mark.parametrize("question", ["is this fda approved", "has anyone evaluated these claims"])
def test_the_fda_entry_answers_questions_about_the_fda_and_claims(
    responder: Responder, question: str
) -> None:
    """Evaluation and claims are what the FDA statement is about."""
    assert responder.reply(question).entry_id == "fda_statement"


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("el glue tamine what is it", "what_is_glutamine"),
        ("leaky got syndrome", "what_is_leaky_gut"),
        ("leakygut", "what_is_leaky_gut"),
        ("glutamineside effects", "side_effects"),
        ("any glutamine in par slee", "food_parsley"),
        ("glutamine in cab bage", "food_cabbage"),  # "bage" is no "bake" once joined
        ("any side defects from glutamine", "side_effects"),  # two letters off "effects"
        ("what does the f d a say about it", "fda_statement"),  # spelt out letter by letter
    ],
)
def test_split_merged_and_misheard_words_are_repaired(
    responder: Responder, question: str, entry: str
) -> None:
    """Speech-to-text slips are read against the content's own vocabulary."""
    assert responder.reply(question).entry_id == entry


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("i drink two glasses of milk every day, is there glutamine in it", "food_dairy"),
        ("we eat fish twice a week, does fish have glutamine", "food_fish"),
        ("i have 2 eggs every morning, does that get me any glutamine", "food_eggs"),
        # What any food entry asks ("a good source"), asked of one food eaten as a habit.
        ("i have spinach in a shake every morning, is it a decent source", "food_spinach"),
    ],
)
def test_a_food_eaten_as_a_habit_is_a_question_about_that_food(
    responder: Responder, question: str, entry: str
) -> None:
    """ "every morning" beside a food is how often it is eaten, not when to take glutamine."""
    assert responder.reply(question).entry_id == entry


@pytest.mark.parametrize(
    ("question", "rule"),
    [
        ("i take glutamine every morning with eggs", "timing"),
        ("how much glutamine is in the eggs i eat every day", "food_details"),
        ("does cooking destroy the glutamine in spinach", "food_details"),
    ],
)
def test_a_habit_beside_taking_or_an_amount_stays_not_covered(
    responder: Responder, question: str, rule: str
) -> None:
    """Taking the supplement, an amount in a food, cooking: the article does not say."""
    assert responder.reply(question).rule == rule


def test_an_age_is_not_a_dose(responder: Responder) -> None:
    """ "my son is 26" does not ask about more than 10 g a day."""
    assert responder.reply("my son is 26, can he take glutamine").rule != "high_dose"
    assert responder.reply("can i take 20 g a day").rule == "high_dose"
    # Nor a distance or a body weight.
    assert responder.reply("i cycle 80 km a week, does that lower glutamine").rule != "high_dose"
    assert responder.reply("i weigh 95 kg, how much glutamine to start").entry_id == "dosage"
    # A person, then a bare number ("retired, 70, ..."), is an age.
    assert responder.reply("retired, 72, keen gardener. is glutamine an amino acid").rule != (
        "high_dose"
    )


def test_inline_offers_only_what_chat_would_answer_for_every_labelled_question(
    responder: Responder,
) -> None:
    """One decision path: inline mode passes the same gates as a chat message."""
    disagree = []
    for path in LABELLED:
        for case in load_cases(path):
            chat = responder.reply(case.question)
            offered = {r.entry_id or r.rule for r in responder.candidates(case.question)}
            allowed = {chat.entry_id or chat.rule} if chat.kind in ("answer", "safety") else set()
            if chat.kind == ReplyKind.CLARIFY:
                allowed = {s.entry_id for s in chat.suggestions}
            if not offered <= allowed:
                disagree.append((case.question, sorted(map(str, offered - allowed))))
    assert disagree == []


def test_the_learned_ranker_carries_a_topic_question_only_when_it_agrees(
    responder: Responder,
) -> None:
    """Short of the lexical bar, an answer needs the learned ranker's same pick."""
    agreed = responder.reply("heard glutamine is non essential so is supplementing pointless")
    assert (agreed.entry_id, agreed.reason) == ("essential_or_not", Reason.AGREED)
    # The two disagree (or the model is unsure): the honest "not about this" stands.
    assert responder.reply("is glutamine sold at walmart").kind != ReplyKind.ANSWER
    assert responder.reply("is glutamine a chemical").kind != ReplyKind.ANSWER


def test_cured_for_good_is_not_covered(responder: Responder) -> None:
    """The article gives no prognosis: "for good" is not what the author uses it for."""
    assert responder.reply("is leaky gut something you can get rid of for good").rule == (
        "prognosis"
    )


@pytest.mark.parametrize(
    "question", ["whats the best whey shake recipe for bulking", "recipe for cabbage soup diet"]
)
def test_a_food_question_about_something_else_is_not_answered(
    responder: Responder, question: str
) -> None:
    """No "glutamine", a word the content does not know: a higher bar, and no answer."""
    assert responder.reply(question).kind != ReplyKind.ANSWER


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("what is the highest dose he goes up to", "dosage"),
        ("whats the target dose once im ramping up", "dosage"),
        ("whats the disclaimer at the bottom for", "fda_statement"),
    ],
)
def test_words_for_the_top_of_the_range_and_the_disclaimer_are_read(
    responder: Responder, question: str, entry: str
) -> None:
    """ "highest", "target dose", "at the bottom" are the dose range and the disclaimer."""
    assert responder.reply(question).entry_id == entry


def test_a_question_after_a_comma_is_the_focus_unless_it_points_back(
    responder: Responder,
) -> None:
    """Context, then ", does ..." asks the last clause; ", how does that work" leans on it."""
    context = "my grandma swore spinach was good for your stomach, does spinach have glutamine"
    assert responder.reply(context).entry_id == "food_spinach"
    leaning = "i read leaky gut can set off autoimmune problems, how does that work"
    assert responder.reply(leaning).entry_id != "how_it_helps"


def test_what_the_article_does_not_cover_in_the_context_does_not_hide_the_question(
    responder: Responder,
) -> None:
    """An uncovered topic only the context names (cycling: how long to take it) is no reply."""
    message = (
        "im 64 and still cycle every day and fit as a fiddle. read about glutamine in a"
        " magazine this morning - what sort of substance is it?"
    )
    assert responder.reply(message).entry_id == "what_is_glutamine"
    # The question itself asks it: still not covered.
    assert responder.reply("i cycle to work. how long should i take glutamine?").rule == "duration"


def test_an_everyday_word_is_not_heard_as_a_safety_word(responder: Responder) -> None:
    """ "main" sounds like "mania" to Metaphone; it is no bipolar referral."""
    reply = responder.reply("what are the main jobs glutamine does in the body")
    assert reply.kind == ReplyKind.ANSWER


@pytest.mark.parametrize(
    ("question", "kept"),
    [
        ("my brother supplements with glutamine", "brother"),
        ("i go walking out daily, is glutamine ok", "walking"),
        ("can i take it at eight", "eight"),
        ("i have a general question about glutamine", "general"),
        ("why powder and not tablets", "why"),
    ],
)
def test_a_real_word_beside_a_form_is_read_as_written(
    responder: Responder, question: str, kept: str
) -> None:
    """Only a second hearing, kept if it earns an answer, reads a word as a form's word."""
    assert kept in responder.analyze(question).corrected.split()


@pytest.mark.parametrize(
    "question",
    [
        "who wrote harry potter",
        "does beer make the gut leak into the blood",
        "does wine make stuff leak from the gut into the blood",
    ],
)
def test_an_everyday_word_that_may_be_the_subject_is_not_answered_around(
    responder: Responder, question: str
) -> None:
    """The learned ranker is sure of these; the unknown word may be the real subject."""
    assert responder.reply(question).kind != ReplyKind.ANSWER


@pytest.mark.parametrize(
    ("question", "spelt"),
    [
        ("what does the f d a say", True),
        ("f d a approved?", True),
        ("x x x x x f d a", False),  # a run longer than any acronym is left alone
        ("a b c f d a", False),
    ],
)
def test_only_a_short_run_of_single_letters_is_read_as_an_acronym(
    responder: Responder, question: str, spelt: bool
) -> None:
    assert ("fda" in responder.analyze(question).corrected.split()) == spelt
