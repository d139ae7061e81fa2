"""The accuracy floors of issue 2, on the held-out and the tuning question sets."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core import Responder
from bot.core.evaluation import FLOORS, evaluate, load_cases

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.mark.parametrize("name", ["questions_holdout.yaml", "questions_tune.yaml"])
def test_labelled_questions_meet_the_accuracy_floors(responder: Responder, name: str) -> None:
    """At least 95% of in-scope questions answered right, 95% of out-of-scope not answered,
    every emergency and referral routed to safety."""
    report = evaluate(responder, load_cases(DATA / name))
    assert report.below_floor() == [], "\n".join(report.lines())


def test_the_labelled_set_is_big_and_varied() -> None:
    """At least 300 questions in all, with every kind of expectation in both sets."""
    sets = [load_cases(DATA / n) for n in ("questions_holdout.yaml", "questions_tune.yaml")]
    assert sum(len(s) for s in sets) >= 300
    for cases in sets:
        assert {c.expect for c in cases} == set(FLOORS)
