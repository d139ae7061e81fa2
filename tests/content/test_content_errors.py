"""Malformed content is refused with one ContentError naming the file, line and entry.

Every case copies the shipped `content/` to a scratch directory and makes one targeted
text edit, so each test shows exactly which mistake an editor might make and what the
loader says about it. Lines are found by searching the edited file, never hard-coded.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.core import DEFAULT_CONTENT_DIR, ContentError, load_knowledge_base
from bot.core.errors import Problem

# The first entry's folded `answer:` block: the key line and its indented continuation.
ANSWER_BLOCK = re.compile(r"^    answer: >-\n(?:      .*\n)+", re.MULTILINE)
Where = tuple[str, int | None, str | None]


def copy_content(tmp_path: Path) -> Path:
    """Copy the shipped content/ to a scratch directory and return the copy."""
    root = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, root)
    return root


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in the file with `new`, failing loudly when `old` is gone."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}: update this test to the content"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, text: str, *, after: str | None = None, nth: int = 1) -> int:
    """Return the 1-based line of the nth line holding `text`, searching from `after`'s line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = 0 if after is None else next(i for i, line in enumerate(lines) if after in line)
    found = [i for i, line in enumerate(lines) if i >= start and text in line]
    return found[nth - 1] + 1


def load_problems(root: Path) -> tuple[Problem, ...]:
    """Load the content at `root` and return the problems of the ContentError it must raise."""
    with pytest.raises(ContentError) as caught:
        load_knowledge_base(root)
    return caught.value.problems


def where(problems: tuple[Problem, ...], fragment: str) -> list[Where]:
    """Return (file name, line, entry) of every problem whose message holds `fragment`."""
    return [(p.path.name, p.line, p.entry) for p in problems if fragment in p.message]


@dataclass(frozen=True)
class Mistake:
    """One edit to one content file, and where the loader must say the problem is."""

    file: str
    old: str
    new: str
    message: str  # a fragment of the expected problem's message
    line_text: str  # the text on the reported line, searched in the edited file
    entry: str | None
    after: str | None = None  # search for `line_text` from the line holding this
    nth: int = 1


def _first_answer_block() -> str:
    """Return the first entry's answer block, so a case can delete it."""
    match = ANSWER_BLOCK.search((DEFAULT_CONTENT_DIR / "knowledge.yaml").read_text("utf-8"))
    assert match is not None, "knowledge.yaml has no folded answer block to delete"
    return match[0]


MISTAKES = {
    "a habit concept that no synonym defines is reported at habit_concepts": Mistake(
        "lexicon.yaml",
        "habit_concepts: [timing, daily, mix]",
        "habit_concepts: [timing, dialy, mix]",
        "habit_concepts item is not a synonyms concept",
        "habit_concepts: [timing",
        "dialy",
    ),
    "a missing answer is reported at its entry": Mistake(
        "knowledge.yaml",
        _first_answer_block(),
        "",
        "'answer' must be a non-empty string",
        "- id: what_is_glutamine",
        "what_is_glutamine",
    ),
    "a duplicate id in the same file is reported at the second id": Mistake(
        "knowledge.yaml",
        "- id: body_functions",
        "- id: what_is_glutamine",
        "duplicate id",
        "- id: what_is_glutamine",
        "what_is_glutamine",
        nth=2,
    ),
    "a small-talk id reusing an entry id is reported in smalltalk.yaml": Mistake(
        "smalltalk.yaml",
        "- id: greeting",
        "- id: what_is_glutamine",
        "duplicate id (also in knowledge.yaml)",
        "- id: what_is_glutamine",
        "what_is_glutamine",
    ),
    "a cited sentence the article does not hold is reported at sources": Mistake(
        "knowledge.yaml",
        "from high school biology.",
        "from middle school biology.",
        "source not in the article: 'You may remember the amino acid L-glutamine from middle",
        "    sources:",
        "what_is_glutamine",
        after="- id: what_is_glutamine",
    ),
    "a follow-up to an unknown id is reported at follow_ups": Mistake(
        "knowledge.yaml",
        "follow_ups: [body_functions, essential_or_not,",
        "follow_ups: [body_functions, essential_or_nott,",
        "'follow_ups' points at unknown entry 'essential_or_nott'",
        "essential_or_nott",
        "what_is_glutamine",
    ),
    "a phrasing under two entries is reported at the second one": Mistake(
        "knowledge.yaml",
        "      - glutamine function\n",
        "      - define glutamine\n",
        "phrasing 'define glutamine' also under 'what_is_glutamine'",
        "    phrasings:",
        "body_functions",
        after="- id: body_functions",
    ),
    "a small-talk phrasing that is also a question is reported in smalltalk.yaml": Mistake(
        "smalltalk.yaml",
        "phrasings: [gm, mornin, morning, hi, hello,",
        "phrasings: [hi, what is glutamine,",
        "phrasing 'what is glutamine' also under 'what_is_glutamine'",
        "what is glutamine",
        "greeting",
    ),
    "an invalid safety pattern is reported at patterns": Mistake(
        "safety.yaml",
        "      - '\\boverdos",
        "      - '(unclosed'\n      - '\\boverdos",
        "invalid pattern '(unclosed'",
        "    patterns:",
        "overdose",
        after="- id: overdose",
    ),
    "an unknown topic is reported at topic": Mistake(
        "knowledge.yaml",
        "    topic: basics\n",
        "    topic: basic\n",
        "unknown topic 'basic'",
        "    topic: basic",
        "what_is_glutamine",
    ),
    "an unknown safety level is reported at level": Mistake(
        "safety.yaml",
        "level: referral",
        "level: urgent",
        "'level' must be one of emergency, referral",
        "level: urgent",
        "pregnancy",
    ),
    "an unquoted no in a phrasings list is reported, not crashed on": Mistake(
        "knowledge.yaml",
        "      - glutamine function\n",
        "      - no\n",
        "'phrasings' must be a non-empty list of strings",
        "    phrasings:",
        "body_functions",
        after="- id: body_functions",
    ),
    "an unquoted no in a flow list of phrasings is reported, not crashed on": Mistake(
        "smalltalk.yaml",
        "phrasings: [gm, mornin, morning, hi, hello,",
        "phrasings: [hi, no,",
        "'phrasings' must be a non-empty list of strings",
        "phrasings: [hi, no,",
        "greeting",
    ),
    "an unquoted yes as an id is reported as a bad id": Mistake(
        "smalltalk.yaml",
        "- id: greeting",
        "- id: yes",
        "'id' must match",
        "- id: yes",
        None,
    ),
    "a word that is a synonym and a soft word is reported at the later list": Mistake(
        "lexicon.yaml",
        "soft_words: [wait, mornin,",
        "soft_words: [wait, mornin, dosage,",
        "'dosage' is in soft_words and in synonyms of 'dose' (line",
        "soft_words: [wait, mornin, dosage,",
        None,
    ),
    "a foreign term listed as a stopword is reported at its own line of a long list": Mistake(
        "lexicon.yaml",
        "  a, about, actually,",
        "  a, about,\n  zinc, actually,",
        "'zinc' is in stopwords and in foreign_terms (line",
        "  zinc, actually,",
        None,
    ),
    "a form under two concepts is reported at the second concept": Mistake(
        "lexicon.yaml",
        "  spinach: [spinach]",
        "  spinach: [spinach, parsley]",
        "'parsley' is in synonyms of 'parsley' and in synonyms of 'spinach' (line",
        "  parsley: [parsley,",
        "parsley",
    ),
    "a filler phrase that is also a synonym is reported at the synonym": Mistake(
        "lexicon.yaml",
        "  enough: [enough,",
        "  enough: [real quick, enough,",
        "'real quick' is in synonyms of 'enough' and in filler_phrases (line",
        "  enough: [real quick, enough,",
        "enough",
    ),
    "a default suggestion of an unknown entry is reported at its line": Mistake(
        "knowledge.yaml",
        "default_suggestions: [what_is_glutamine, what_is_leaky_gut,",
        "default_suggestions: [what_is_glutamine,\n  what_is_leaky_gutt,",
        "'default_suggestions' points at unknown entry 'what_is_leaky_gutt'",
        "  what_is_leaky_gutt,",
        None,
    ),
    "missing default suggestions are reported": Mistake(
        "knowledge.yaml",
        "default_suggestions: [what_is_glutamine, what_is_leaky_gut,",
        "default_suggestions: []\nx: [what_is_leaky_gut,",
        "'default_suggestions' must be a non-empty list of strings",
        "default_suggestions: []",
        None,
    ),
    "a language word with an accent is reported at its line": Mistake(
        "languages.yaml",
        "      el, la, los,",
        "      él, la, los,",
        "word 'él' must be one lowercase word without accents",
        "      él, la, los,",
        "es",
    ),
    "a language word given twice is reported at the second": Mistake(
        "languages.yaml",
        "      el, la, los,",
        "      el, la, el, los,",
        "word 'el' given twice",
        "      el, la, el, los,",
        "es",
    ),
    "an unknown writing system is reported at script": Mistake(
        "languages.yaml",
        "script: Cyrillic",
        "script: Klingon",
        "'script' must be one of",
        "script: Klingon",
        "ru",
    ),
    "a year that is not a number is reported at year": Mistake(
        "article.yaml",
        "year: 2024",
        "year: twenty",
        "'year' must be a whole number",
        "year: twenty",
        None,
    ),
}


@pytest.mark.parametrize("mistake", MISTAKES.values(), ids=MISTAKES.keys())
def test_a_content_mistake_is_reported_with_file_line_and_entry(
    tmp_path: Path, mistake: Mistake
) -> None:
    """One edit yields a problem naming the edited file, the offending line and the entry."""
    root = copy_content(tmp_path)
    path = root / mistake.file
    edit(path, mistake.old, mistake.new)

    line = line_of(path, mistake.line_text, after=mistake.after, nth=mistake.nth)
    expected = [(mistake.file, line, mistake.entry)]
    assert expected == where(load_problems(root), mistake.message)


SYNTAX_ERRORS = {
    "bad indentation": ("knowledge.yaml", "    topic: basics\n", "   topic: basics\n"),
    "a tab for indentation": ("knowledge.yaml", "    topic: basics\n", "\ttopic: basics\n"),
    "a colon inside a plain value": (
        "knowledge.yaml",
        "    title: What is L-glutamine?\n",
        "    title: What is: L-glutamine?\n",
    ),
}


@pytest.mark.parametrize(("file", "old", "new"), SYNTAX_ERRORS.values(), ids=SYNTAX_ERRORS.keys())
def test_invalid_yaml_is_reported_at_the_broken_line(
    tmp_path: Path, file: str, old: str, new: str
) -> None:
    """A YAML syntax error names its file and the line of the broken text, with no entry."""
    root = copy_content(tmp_path)
    edit(root / file, old, new)

    expected = [(file, line_of(root / file, new.strip("\n")), None)]
    assert expected == where(load_problems(root), "invalid YAML")


def test_an_unclosed_quote_is_reported_with_a_line_number(tmp_path: Path) -> None:
    """An unclosed quote is invalid YAML at a line at or after the opening quote."""
    root = copy_content(tmp_path)
    edit(root / "article.yaml", "title: Benefits", 'title: "Benefits')
    opened = line_of(root / "article.yaml", 'title: "Benefits')

    [problem] = load_problems(root)
    expected = ("article.yaml", None)
    assert expected == (problem.path.name, problem.entry)
    assert problem.line is not None
    assert opened <= problem.line


def test_an_unclosed_quote_is_reported_at_the_line_that_opens_it(tmp_path: Path) -> None:
    """The reported line is where the unclosed quote opens, not the end of the file."""
    root = copy_content(tmp_path)
    edit(root / "article.yaml", "title: Benefits", 'title: "Benefits')

    expected = [("article.yaml", line_of(root / "article.yaml", 'title: "Benefits'), None)]
    assert expected == where(load_problems(root), "invalid YAML")


CONTENT_FILES = sorted(
    p.name for p in DEFAULT_CONTENT_DIR.iterdir() if p.suffix in {".yaml", ".txt"}
)


@pytest.mark.parametrize("name", CONTENT_FILES)
def test_a_missing_content_file_is_reported_by_name(tmp_path: Path, name: str) -> None:
    """Deleting any one content file yields exactly one 'cannot read file' problem for it."""
    root = copy_content(tmp_path)
    (root / name).unlink()

    expected = [(name, None, None)]
    assert expected == where(load_problems(root), "cannot read file")


def test_problems_in_several_files_are_reported_together(tmp_path: Path) -> None:
    """The loader collects every problem before raising, across files."""
    root = copy_content(tmp_path)
    edit(root / "knowledge.yaml", "    topic: basics\n", "    topic: basic\n")
    edit(root / "safety.yaml", "level: referral", "level: urgent")

    expected = {"knowledge.yaml", "safety.yaml"}
    assert expected == {p.path.name for p in load_problems(root)}


def test_the_shipped_content_loads() -> None:
    """The real content/ loads into a knowledge base with entries, rules and texts."""
    kb = load_knowledge_base()

    assert kb.entries
    assert kb.safety
    assert kb.texts.disclaimer


def test_an_unedited_copy_loads_like_the_shipped_content(tmp_path: Path) -> None:
    """Copying content/ changes nothing, so every failure above comes from its one edit."""
    expected = load_knowledge_base()
    assert expected == load_knowledge_base(copy_content(tmp_path))


def test_the_error_message_reads_file_line_entry(tmp_path: Path) -> None:
    """str(ContentError) holds 'file:line: entry 'id':' for each problem."""
    root = copy_content(tmp_path)
    path = root / "knowledge.yaml"
    edit(path, "    topic: basics\n", "    topic: basic\n")
    line = line_of(path, "    topic: basic")

    with pytest.raises(ContentError) as caught:
        load_knowledge_base(root)

    assert f"{path}:{line}: entry 'what_is_glutamine': unknown topic 'basic'" in str(caught.value)


def test_an_unquoted_no_as_a_texts_key_is_reported_not_crashed_on(tmp_path: Path) -> None:
    """`no:` (a YAML 1.1 boolean) beside another unknown texts.yaml key is reported at its line."""
    root = copy_content(tmp_path)
    path = root / "texts.yaml"
    edit(path, "clarify: ", "no: x\nextra: y\nclarify: ")

    expected = {
        ("texts.yaml", line_of(path, "no: x"), None),
        ("texts.yaml", line_of(path, "extra: y"), None),
    }
    assert expected == set(where(load_problems(root), "unknown field"))


def test_a_key_given_twice_in_one_entry_is_reported(tmp_path: Path) -> None:
    """A second `answer:` in one entry silently replacing the first must be refused."""
    root = copy_content(tmp_path)
    edit(root / "knowledge.yaml", "    topic: basics\n", "    topic: basics\n    answer: Other.\n")

    load_problems(root)


def test_a_misspelt_key_in_an_entry_is_reported(tmp_path: Path) -> None:
    """`folow_ups:` (a typo) must be refused, not silently dropped with its links."""
    root = copy_content(tmp_path)
    edit(
        root / "knowledge.yaml",
        "    follow_ups: [body_functions,",
        "    folow_ups: [body_functions,",
    )

    load_problems(root)


def test_an_unknown_top_level_key_of_the_knowledge_base_is_reported(tmp_path: Path) -> None:
    """`default_suggestion:` (a typo) is reported at its line, not silently ignored."""
    root = copy_content(tmp_path)
    path = root / "knowledge.yaml"
    edit(path, "default_suggestions:", "default_suggestion: [dosage]\ndefault_suggestions:")

    expected = [("knowledge.yaml", line_of(path, "default_suggestion: [dosage]"), None)]
    assert expected == where(load_problems(root), "unknown field 'default_suggestion'")
