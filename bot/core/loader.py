"""Load `content/` once into immutable objects; refuse malformed content with file/line/entry."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from importlib.resources import files
from pathlib import Path

from bot.core import fields
from bot.core.article import split_sentences, squash
from bot.core.errors import ContentError, Problem
from bot.core.fields import Problems
from bot.core.language_content import load_languages
from bot.core.learned import MODELS_DIR, OFF_TOPIC, ORDINARY, Models, load_models
from bot.core.model import (
    Article,
    Entry,
    FollowUpWords,
    KnowledgeBase,
    Lexicon,
    SmallTalk,
    Texts,
    Uncovered,
)
from bot.core.prefilter import SCREENS_FILE, read_screens
from bot.core.safety.load import load_safety
from bot.core.validation import cross_check
from bot.core.yaml_source import Located, read_yaml

CONTENT_PACKAGE = "bot.content"  # the top-level content/ folder, mapped in pyproject.toml


def shipped_content_dir() -> Path:
    """Return the folder of the content that ships with the package."""
    root = files(CONTENT_PACKAGE)
    # pip unpacks wheels onto the file system (and editable installs point at content/):
    # anything else, such as a zipped install, cannot be read as files.
    if not isinstance(root, Path):
        raise ContentError([Problem(Path(str(root)), None, None, "content is not a folder")])
    return root


DEFAULT_CONTENT_DIR = shipped_content_dir()
ENGLISH_WORDS = "english_words.txt"
ENGLISH_NON_NOUNS = "english_non_nouns.txt"  # generated: bot/train/word_classes.py
KNOWLEDGE_KEYS = frozenset({"topics", "default_suggestions", "entries"})
ENTRY_FIELDS = frozenset(
    {"id", "title", "topic", "subject", "answer", "sources", "follow_ups", "phrasings"}
)
UNCOVERED_FIELDS = frozenset({"id", "reply", "suggest", "phrasings"})
SMALLTALK_FIELDS = frozenset({"id", "reply", "phrasings"})
FILES = (
    "article",
    "knowledge",
    "uncovered",
    "smalltalk",
    "safety",
    "texts",
    "lexicon",
    "languages",
)


def load_knowledge_base(content_dir: Path | None = None, *, models: bool = True) -> KnowledgeBase:
    """Load and validate every content file; raise ContentError listing all problems.

    models=False leaves the learned models out (training, which writes them, needs that).
    """
    root = content_dir or DEFAULT_CONTENT_DIR
    found: list[Problem] = []
    data = {}
    for name in FILES:
        try:
            data[name] = read_yaml(root / f"{name}.yaml")
        except ContentError as exc:
            found.extend(exc.problems)
    if found:
        raise ContentError(found)
    checks = {name: Problems(root / f"{name}.yaml") for name in FILES}
    article = _article(data["article"], checks["article"])
    topics, entries = _entries(data["knowledge"], checks["knowledge"])
    cached = read_screens(root / MODELS_DIR / SCREENS_FILE)
    rules, safety_context = load_safety(data["safety"], checks["safety"], cached)
    kb = KnowledgeBase(
        article=article,
        entries=entries,
        uncovered=_uncovered(data["uncovered"], checks["uncovered"]),
        smalltalk=_smalltalk(data["smalltalk"], checks["smalltalk"]),
        safety=rules,
        texts=_texts(data["texts"], checks["texts"]),
        lexicon=replace(
            _lexicon(data["lexicon"], checks["lexicon"]),
            english=_english_words(root / ENGLISH_WORDS),
            non_nouns=_english_words(root / ENGLISH_NON_NOUNS),
        ),
        topics=topics,
        safety_context=safety_context,
        default_suggestions=fields.texts(
            data["knowledge"], "default_suggestions", checks["knowledge"], None
        ),
        languages=load_languages(data["languages"], checks["languages"]),
    )
    cross_check(kb, data, checks)
    found = [p for c in checks.values() for p in c.found]
    if found:
        raise ContentError(found)
    return replace(kb, models=_models(root, kb)) if models else kb


def _models(root: Path, kb: KnowledgeBase) -> Models:
    """Load the learned models; each may only name classes the content defines."""
    known = {
        "safety": frozenset({ORDINARY, *(r.id for r in kb.safety)}),
        "questions": frozenset({OFF_TOPIC, *(i.id for i in kb.matchable)}),
    }
    return load_models(root, known)


def _article(data: Located, problems: Problems) -> Article:
    year = data.get("year")
    if not isinstance(year, int):
        problems.add(data.line_of("year"), None, "'year' must be a whole number")
    body = fields.text(data, "text", problems, None)
    return Article(
        title=fields.text(data, "title", problems, None),
        author=fields.text(data, "author", problems, None),
        publisher=fields.text(data, "publisher", problems, None),
        year=year if isinstance(year, int) else 0,
        text=body,
        sentences=split_sentences(body),
    )


def _entries(
    data: Located, problems: Problems
) -> tuple[tuple[tuple[str, tuple[str, ...]], ...], tuple[Entry, ...]]:
    fields.known_keys(data, KNOWLEDGE_KEYS, problems, None)
    topic_titles: Mapping[str, object] = fields.mapping(data, "topics", problems) or {}
    entries = []
    for item in fields.items(data, "entries", problems):
        eid = fields.entry_id(item, problems)
        fields.known_keys(item, ENTRY_FIELDS, problems, eid)
        topic = fields.text(item, "topic", problems, eid)
        if topic and topic not in topic_titles:
            problems.add(item.line_of("topic"), eid, f"unknown topic '{topic}'")
        entries.append(
            Entry(
                id=eid,
                title=fields.text(item, "title", problems, eid),
                topic=topic,
                subject=fields.text(item, "subject", problems, eid),
                phrasings=fields.texts(item, "phrasings", problems, eid),
                answer=squash(fields.text(item, "answer", problems, eid)),
                sources=tuple(squash(s) for s in fields.texts(item, "sources", problems, eid)),
                follow_ups=fields.texts(item, "follow_ups", problems, eid, required=False),
            )
        )
    topics = tuple(
        (str(title), tuple(e.id for e in entries if e.topic == key))
        for key, title in topic_titles.items()
    )
    return topics, tuple(entries)


def _uncovered(data: Located, problems: Problems) -> tuple[Uncovered, ...]:
    return tuple(
        Uncovered(
            eid, phrasings, reply, fields.texts(item, "suggest", problems, eid, required=False)
        )
        for item, eid, phrasings, reply in _replies(data, "uncovered", UNCOVERED_FIELDS, problems)
    )


def _smalltalk(data: Located, problems: Problems) -> tuple[SmallTalk, ...]:
    return tuple(
        SmallTalk(eid, phrasings, reply)
        for _, eid, phrasings, reply in _replies(data, "smalltalk", SMALLTALK_FIELDS, problems)
    )


def _replies(
    data: Located, key: str, allowed: frozenset[str], problems: Problems
) -> list[tuple[Located, str, tuple[str, ...], str]]:
    """Read the items of `key` that have an id, phrasings and a reply."""
    found = []
    for item in fields.items(data, key, problems):
        eid = fields.entry_id(item, problems)
        fields.known_keys(item, allowed, problems, eid)
        phrasings = fields.texts(item, "phrasings", problems, eid)
        found.append((item, eid, phrasings, squash(fields.text(item, "reply", problems, eid))))
    return found


def _texts(data: Located, problems: Problems) -> Texts:
    names = Texts.__dataclass_fields__
    fields.known_keys(data, frozenset(names), problems, None)
    return Texts(**{name: squash(fields.text(data, name, problems, name)) for name in names})


def _lexicon(data: Located, problems: Problems) -> Lexicon:
    synonyms = fields.mapping(data, "synonyms", problems) or Located()
    parsed: dict[str, tuple[str, ...]] = {}
    for concept, forms in synonyms.items():
        if not isinstance(forms, list) or not all(isinstance(f, str) and f for f in forms):
            problems.add(synonyms.line_of(concept), concept, "synonyms must be a list of strings")
            continue
        parsed[str(concept)] = tuple(f.strip().lower() for f in forms)

    def words(key: str) -> frozenset[str]:
        return frozenset(w.lower() for w in fields.texts(data, key, problems, None))

    topics = words("topic_concepts")
    habits = words("habit_concepts")
    elsewhere = words("uncovered_concepts")
    for key, concepts in (
        ("topic_concepts", topics),
        ("habit_concepts", habits),
        ("uncovered_concepts", elsewhere),
    ):
        for concept in sorted(concepts - set(parsed)):
            problems.add(data.line_of(key), concept, f"{key} item is not a synonyms concept")
    return Lexicon(
        parsed,
        words("stopwords"),
        words("soft_words"),
        words("foreign_terms"),
        topics,
        words("filler_phrases"),
        words("safety_words"),
        exclusions=words("exclusions"),
        exclusions_after=words("exclusions_after"),
        intake_words=words("intake_words"),
        habit_concepts=habits,
        uncovered_concepts=elsewhere,
        follow_ups=_follow_up_words(data, problems),
    )


def _follow_up_words(data: Located, problems: Problems) -> FollowUpWords:
    section = fields.mapping(data, "follow_ups", problems) or Located()
    fields.known_keys(
        section,
        frozenset({"pointers", "openers", "more", "people", "courtesy", "again"}),
        problems,
        "follow_ups",
    )

    def words(key: str) -> tuple[str, ...]:
        return tuple(w.lower() for w in fields.texts(section, key, problems, "follow_ups"))

    openers = sorted(set(words("openers")), key=lambda o: (-len(o), o))
    return FollowUpWords(
        frozenset(words("pointers")),
        tuple(openers),
        frozenset(words("more")),
        frozenset(words("people")),
        frozenset(words("courtesy")),
        frozenset(words("again")),
    )


_COMMENT_LINE = re.compile(r"^#.*$", re.MULTILINE)


def _english_words(path: Path) -> frozenset[str]:
    """Read the plain word list (one word a line, '#' comments)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError([Problem(path, None, None, f"cannot read file: {exc}")]) from exc
    return frozenset(_COMMENT_LINE.sub("", text).split())  # C-level passes: 40,000 words
