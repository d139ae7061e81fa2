"""`python -m bot report`: votes per entry, clustered questions, the YAML export."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import yaml

from bot.core import Responder
from bot.storage.clusters import cluster, common_words
from bot.storage.report import build_report, export_yaml
from bot.storage.store import Miss, Store

ROOT = Path(__file__).resolve().parents[2]
TODAY = date.today()
VEGAN = ["is glutamine vegan", "is l glutamine vegan friendly", "is glutamine vegan"]


def report_cli(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot report ARGS` against the database at db_url."""
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": "", "DATABASE_URL": db_url, "PYTHONUTF8": "1"}
    env["FEEDBACK_SECRET"] = "a-test-secret-of-32-characters!!"  # noqa: S105 - a test key
    return subprocess.run(  # noqa: S603 - our own interpreter running our own module
        [sys.executable, "-m", "bot", "report", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def fill(store: Store) -> None:
    """Store votes and misses as users would leave them."""
    store.vote("a", "dosage", up=True, today=TODAY)
    store.vote("b", "dosage", up=False, today=TODAY)
    store.vote("c", "side_effects", up=False, today=TODAY)
    for n, question in enumerate(VEGAN):
        store.add_miss(f"p{n}", question, "fallback", ["supplement_form"], TODAY)
    store.add_miss("p9", "is glutamine halal", "clarify", ["supplement_form"], TODAY)
    store.add_miss("old", "an expired question", "fallback", [], TODAY - timedelta(days=31))


def test_report_json_counts_votes_per_entry_and_clusters_misses(
    store: Store, db_url: str, responder: Responder
) -> None:
    """One object: every entry with its votes; the vegan questions together, halal apart."""
    fill(store)

    done = report_cli(db_url, "--json")

    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    entries = {e["id"]: (e["up"], e["down"]) for e in report["entries"]}
    assert set(entries) == {e.id for e in responder.kb.entries}
    assert (entries["dosage"], entries["side_effects"], entries["food_sources"]) == (
        (1, 1),
        (0, 1),
        (0, 0),
    )
    [vegan, halal] = report["misses"]
    assert (vegan["count"], vegan["nearest"]) == (3, "supplement_form")
    assert sorted(vegan["examples"]) == sorted(set(VEGAN))
    assert (halal["count"], halal["examples"]) == (1, ["is glutamine halal"])


def test_report_deletes_misses_past_retention_before_reporting(store: Store, db_url: str) -> None:
    """The expired question is neither shown nor kept."""
    fill(store)

    done = report_cli(db_url, "--json")

    shown = [q for c in json.loads(done.stdout)["misses"] for q in c["examples"]]
    assert "an expired question" not in shown
    assert "an expired question" not in [m.question for m in store.misses()]


def test_the_yaml_export_is_valid_yaml_with_the_suggested_phrasing_first(
    store: Store, responder: Responder
) -> None:
    """Each block parses and lists the cluster's phrasings, the most central one first."""
    fill(store)
    report = build_report(store, responder.kb)

    blocks = export_yaml(report, TODAY).split("\n\n")[1:]

    parsed = [yaml.safe_load(block) for block in blocks]
    assert parsed[0]["phrasings"][0] == report.misses[0].suggestion == "is glutamine vegan"
    assert set(parsed[0]["phrasings"]) == set(VEGAN)
    assert blocks[0].startswith("# asked 3x; nearest entry: supplement_form")


def test_the_text_report_runs_on_an_empty_database(db_url: str) -> None:
    """No votes or questions yet: says so, exit 0."""
    done = report_cli(db_url)

    assert done.returncode == 0, done.stderr
    assert done.stdout.count("none yet") == 2


def test_clusters_keep_different_questions_apart(responder: Responder) -> None:
    """Shared words such as glutamine do not merge vegan with halal or pregnancy."""
    questions = [
        "is glutamine vegan",
        "is glutamine vegan friendly",
        "is glutamine halal",
        "can i take glutamine when pregnant",
        "is glutamine safe when pregnant",
        "glutamine",
    ]
    misses = [Miss(q, "fallback", (), TODAY) for q in questions]

    clusters = cluster(misses, common_words(responder.kb.lexicon))

    grouped = sorted(sorted(c.examples) for c in clusters)
    assert grouped == sorted(
        [
            ["is glutamine vegan", "is glutamine vegan friendly"],
            ["is glutamine halal"],
            ["can i take glutamine when pregnant", "is glutamine safe when pregnant"],
            ["glutamine"],
        ]
    )
