"""The accuracy floors of issue 2, on the labelled question sets in tests/data/."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core import Responder
from bot.core.evaluation import FLOORS, evaluate, load_cases, load_floors

DATA = Path(__file__).resolve().parents[1] / "data"
TRAINING = Path(__file__).resolve().parents[2] / "content" / "training"
SETS = ("dev", "tune")


@pytest.mark.parametrize("name", ["dev", "dev2", "dev3", "tune"])
def test_tuning_questions_stay_above_their_regression_floors(
    responder: Responder, name: str
) -> None:
    """The tuning sets hold deliberately hard probes; their own floors catch regressions."""
    path = TRAINING / f"questions_{name}.yaml"
    report = evaluate(responder, load_cases(path))
    assert report.below_floor(load_floors(path)) == [], "\n".join(report.lines())


def test_held_out_questions_meet_the_accuracy_floors(responder: Responder) -> None:
    """At least 95% of in-scope questions answered right, 95% of out-of-scope not answered,
    every emergency and referral routed to safety, 90% of small talk recognised, on
    questions never used for tuning. On failure only the totals are
    shown, so that reading a failure does not turn held-out questions into tuning data;
    `python -m bot eval tests/data/questions_holdout.yaml` shows each miss."""
    path = DATA / "questions_holdout.yaml"
    report = evaluate(responder, load_cases(path))
    assert load_floors(path) == FLOORS
    assert report.below_floor() == []


def test_the_labelled_sets_are_big_and_varied() -> None:
    """At least 300 questions in all, every kind of expectation in each set."""
    sets = [load_cases(DATA / "questions_holdout.yaml")]
    sets += [load_cases(TRAINING / f"questions_{name}.yaml") for name in SETS]
    assert sum(len(cases) for cases in sets) >= 300
    for cases in sets:
        assert {case.expect for case in cases} == set(FLOORS)
