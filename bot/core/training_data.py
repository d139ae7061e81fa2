"""The labelled sets in content/training/: read, validated with file/line, kept immutable.

Two kinds of file, told apart by name:
- `safety_*.yaml`: cases `{q, expect: safety | not_safety, rule}`; `rule` names the safety
  rule a safety case must trigger (the emergency one when several would).
- `questions_*.yaml`: `floors` and cases `{q, expect, group, entry, rule}`: an answer names
  its knowledge `entry`; a not-answered question may name the uncovered topic it is about
  (`entry`, else it is off-topic); a safety case names its `rule`, whose level must agree
  with a `group` of emergency or referral.
Held-out sets live in tests/data/ and are never read here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.core import fields
from bot.core.errors import ContentError, Problem
from bot.core.fields import Problems
from bot.core.learned import OFF_TOPIC, ORDINARY
from bot.core.model import KnowledgeBase
from bot.core.text import normalize
from bot.core.yaml_source import Located, read_yaml

TRAINING_DIR = "training"
KINDS = ("safety", "questions")  # file name prefixes
_CASE_KEYS = {
    "safety": frozenset({"q", "expect", "rule"}),
    "questions": frozenset({"q", "expect", "entry", "group", "rule"}),
}
_FILE_KEYS = {"safety": frozenset({"cases"}), "questions": frozenset({"cases", "floors"})}
_EXPECT = {
    "safety": ("safety", "not_safety"),
    "questions": ("answer", "no_answer", "safety", "smalltalk"),
}


@dataclass(frozen=True, slots=True)
class LabelledCase:
    """One labelled message of a training file."""

    path: Path
    line: int
    question: str
    expect: str
    group: str | None = None
    entry: str | None = None
    rule: str | None = None


def load_training(kb: KnowledgeBase, content_dir: Path) -> tuple[LabelledCase, ...]:
    """Read and validate every training file; raise ContentError listing all problems."""
    found: list[Problem] = []
    cases: list[LabelledCase] = []
    for path in sorted((content_dir / TRAINING_DIR).glob("*.yaml")):
        problems = Problems(path)
        kind = next((k for k in KINDS if path.name.startswith(f"{k}_")), None)
        if kind is None:
            problems.add(None, None, "a training file is named safety_*.yaml or questions_*.yaml")
        else:
            try:
                cases += _read(read_yaml(path), kind, kb, problems)
            except ContentError as exc:
                found += exc.problems
        found += problems.found
    duplicates = _Duplicates()
    for case in cases:
        duplicates.see(case)
    found += duplicates.found
    if found:
        raise ContentError(found)
    return tuple(cases)


def _read(data: Located, kind: str, kb: KnowledgeBase, problems: Problems) -> list[LabelledCase]:
    fields.known_keys(data, _FILE_KEYS[kind], problems, None)
    if "floors" in data:
        _floors(data, problems)
    cases = []
    for item in fields.items(data, "cases", problems):
        fields.known_keys(item, _CASE_KEYS[kind], problems, None)
        question = fields.text(item, "q", problems, None)
        expect = item.get("expect")
        if expect not in _EXPECT[kind]:
            problems.add(item.line_of("expect"), None, f"'expect' must be one of {_EXPECT[kind]}")
            continue
        labels = {key: item.get(key) for key in ("group", "entry", "rule")}
        if not all(v is None or (isinstance(v, str) and v) for v in labels.values()):
            problems.add(item.line, None, "'group', 'entry' and 'rule' must be non-empty strings")
            continue
        case = LabelledCase(problems.path, item.line, question, str(expect), **labels)
        _labels(case, kb, problems)
        cases.append(case)
    return cases


def _labels(case: LabelledCase, kb: KnowledgeBase, problems: Problems) -> None:
    """Record a problem for every label the case must, may not, or cannot carry."""
    entries, uncovered = {e.id for e in kb.entries}, {u.id for u in kb.uncovered}
    levels = {r.id: r.level for r in kb.safety}
    add = problems.add
    if case.expect == "safety":
        if case.rule not in levels:
            add(case.line, case.rule, f"a safety case needs 'rule', one of {sorted(levels)}")
        elif case.group in set(levels.values()) - {levels[case.rule]}:
            add(case.line, case.rule, f"rule '{case.rule}' is not of level '{case.group}'")
    elif case.rule is not None:
        add(case.line, case.rule, "only a safety case names a 'rule'")
    if case.expect == "answer" and case.entry not in entries:
        add(case.line, case.entry, "an answer case needs 'entry', a knowledge entry id")
    elif case.expect == "no_answer" and case.entry is not None and case.entry not in uncovered:
        add(
            case.line, case.entry, f"'entry' of a no_answer case must be one of {sorted(uncovered)}"
        )
    elif case.expect not in ("answer", "no_answer") and case.entry is not None:
        add(case.line, case.entry, "only answer and no_answer cases name an 'entry'")


def _floors(data: Located, problems: Problems) -> None:
    floors = data.get("floors")
    good = isinstance(floors, Mapping) and all(
        k in _EXPECT["questions"] and type(v) in (int, float) and 0 <= v <= 1
        for k, v in floors.items()
    )
    if not good:
        problems.add(data.line_of("floors"), None, "'floors' maps expectations to 0..1")


class _Duplicates:
    """Find a question given twice in one file, or labelled two ways anywhere."""

    def __init__(self) -> None:
        self.first: dict[str, LabelledCase] = {}
        self.in_file: dict[tuple[Path, str], LabelledCase] = {}
        self.found: list[Problem] = []

    def see(self, case: LabelledCase) -> None:
        """Compare a case with earlier ones of the same normalised question."""
        key = normalize(case.question)
        same = self.in_file.setdefault((case.path, key), case)
        first = self.first.setdefault(key, case)
        if same is not case:
            message = f"question {case.question!r} given twice (also line {same.line})"
        elif _disagree(first, case):
            where = f"{first.path.name}:{first.line}"
            message = f"question {case.question!r} labelled otherwise in {where}"
        else:
            return
        self.found.append(Problem(case.path, case.line, None, message))


def _disagree(one: LabelledCase, other: LabelledCase) -> bool:
    if safety_label(one) != safety_label(other):
        return True
    labels = (question_label(one), question_label(other))
    return None not in labels and labels[0] != labels[1]


def safety_label(case: LabelledCase) -> str:
    """Return what the case teaches the safety model: its rule, or ORDINARY."""
    return case.rule if case.expect == "safety" and case.rule else ORDINARY


def question_label(case: LabelledCase) -> str | None:
    """Return what the case teaches the question model: its entry, OFF_TOPIC, or None."""
    if case.expect == "answer":
        return case.entry
    if case.expect == "no_answer":
        return case.entry or OFF_TOPIC
    return None
