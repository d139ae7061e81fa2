"""Read content/languages.yaml: the languages the bot recognises to say it reads English."""

from __future__ import annotations

import re

from bot.core import fields
from bot.core.article import squash
from bot.core.fields import Problems
from bot.core.language import SCRIPTS
from bot.core.model import Language
from bot.core.text import normalize
from bot.core.yaml_source import Located, LocatedList

LANGUAGE_FIELDS = frozenset({"code", "name", "notice", "words", "script"})
CODE = re.compile(r"^[a-z]{2}$")


def load_languages(data: Located, problems: Problems) -> tuple[Language, ...]:
    """Read every language, recording a problem for each malformed field or word."""
    languages: list[Language] = []
    for item in fields.items(data, "languages", problems):
        code = item.get("code")
        entry = code if isinstance(code, str) else None
        fields.known_keys(item, LANGUAGE_FIELDS, problems, entry)
        if not isinstance(code, str) or not CODE.match(code):
            problems.add(item.line_of("code"), None, f"'code' must match {CODE.pattern}")
        elif any(lang.code == code for lang in languages):
            problems.add(item.line_of("code"), code, "language given twice")
        script = item.get("script")
        if script is not None and script not in SCRIPTS:
            known = ", ".join(SCRIPTS)
            problems.add(item.line_of("script"), entry, f"'script' must be one of {known}")
        words = _words(item, problems, entry)
        if not words and script is None:
            problems.add(item.line, entry, "a language needs 'words' or a 'script'")
        languages.append(
            Language(
                code=entry or "",
                name=fields.text(item, "name", problems, entry),
                notice=squash(fields.text(item, "notice", problems, entry)),
                words=words,
                script=script if isinstance(script, str) else None,
            )
        )
    return tuple(languages)


def _words(item: Located, problems: Problems, entry: str | None) -> frozenset[str]:
    """Return the word list; each word must be one word as normalize() writes it, once."""
    value = item.get("words", [])
    if not isinstance(value, list):
        problems.add(item.line_of("words"), entry, "'words' must be a list")
        return frozenset()
    seen: set[str] = set()
    for index, word in enumerate(value):
        line = item.line_of("words")
        if isinstance(value, LocatedList):
            line = value.line_at(index, line)
        if not isinstance(word, str) or normalize(word) != word or " " in word:
            problems.add(line, entry, f"word {word!r} must be one lowercase word without accents")
        elif word in seen:
            problems.add(line, entry, f"word '{word}' given twice")
        else:
            seen.add(word)
    return frozenset(seen)
