"""The language detector's mechanics, on two small languages made here (no shipped content)."""

from __future__ import annotations

import pytest

from bot.core.language import UNLISTED, LanguageDetector
from bot.core.model import Language
from bot.core.text import normalize

SPANISH = Language("es", "Spanish", "Solo leo inglés.", frozenset({"que", "es", "la", "el", "no"}))
GERMAN = Language("de", "German", "Nur Englisch.", frozenset({"ist", "was", "das", "und"}))
RUSSIAN = Language("ru", "Russian", "Только английский.", script="Cyrillic")
ENGLISH = frozenset({"what", "is", "the", "was", "no", "for", "it"})
GREEK = "".join(
    map(chr, (0x3C4, 0x3B9, 0x20, 0x3B5, 0x3AF, 0x3BD, 0x3B1, 0x3B9, 0x20, 0x3B7))
)  # "τι είναι η"
DETECTOR = LanguageDetector((SPANISH, GERMAN, RUSSIAN), ENGLISH)


def detect(text: str) -> Language | None:
    """Return what the detector says about one message."""
    return DETECTOR.detect(text, normalize(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("¿Qué es la glutamina?", SPANISH),
        ("Was ist das?", GERMAN),  # "was" is English too, "ist" and "das" are not
        ("Что такое глутамин?", RUSSIAN),
        (GREEK, UNLISTED),  # no listed language: the English notice only
    ],
)
def test_a_message_in_a_listed_language_or_script_is_recognised(
    text: str, expected: Language
) -> None:
    """Two listed words, or mostly letters of one writing system, say which language it is."""
    assert detect(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "que",  # one listed word is never enough
        "what is la glutamina",  # one listed word against two English ones
        "what is the que es thing for",  # two listed words, outnumbered by English twice over
        "was it no good",  # only words that are English as well
        "what is глутамин",  # a few letters of another script inside English
        "",
        "🙂🙂🙂",
    ],
)
def test_english_with_a_foreign_word_or_no_words_is_not_flagged(text: str) -> None:
    """The detector is conservative: only clearly foreign messages are flagged."""
    assert detect(text) is None


def test_japanese_kana_with_han_characters_reads_as_the_kana_language() -> None:
    """Japanese mixes kana and Han characters; any kana makes the message Japanese."""
    japanese = Language("ja", "Japanese", "英語のみ。", script="Kana")
    chinese = Language("zh", "Chinese", "只读英文。", script="Han")
    detector = LanguageDetector((japanese, chinese), ENGLISH)

    assert detector.detect("グルタミンとは何ですか", "") == japanese
    assert detector.detect("谷氨酰胺是什么", "") == chinese


def test_a_very_long_message_is_read_only_as_far_as_needed() -> None:
    """A hostile 4,096-character message is decided from its start, without error."""
    assert detect("que es " * 600) == SPANISH
    assert detect("глутамин " * 500) == RUSSIAN


def test_a_word_of_the_content_is_no_evidence_of_another_language() -> None:
    """German "gut" is the content's "gut": "will glutamine help the gut" stays English."""
    german = Language("de", "German", "Nur Englisch.", frozenset({"gut", "will", "ist"}))
    detector = LanguageDetector((german,), ENGLISH | {"will"}, vocabulary=frozenset({"gut"}))

    assert detector.detect("", "will glutamine relieve leaky gut") is None
    assert detector.detect("", "ist gut") is None
    assert detector.detect("", "ist will") == german
