"""`python -m bot report`: votes per entry and the questions users sent, for the authors.

Nothing here changes the content: the YAML export is a suggestion an author reviews and
pastes into content/ by hand (docs/authors.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bot.config import Settings
from bot.core.model import KnowledgeBase
from bot.storage.clusters import Cluster, cluster, common_words
from bot.storage.database import database_url, open_engine
from bot.storage.store import Store, VoteCount


@dataclass(frozen=True, slots=True)
class Report:
    """Votes of every entry (content order, then ids no longer in the content) and clusters."""

    entries: tuple[VoteCount, ...]
    misses: tuple[Cluster, ...]

    def as_json(self) -> dict[str, Any]:
        """Return the report as one JSON-ready object."""
        return {
            "entries": [{"id": e.entry_id, "up": e.up, "down": e.down} for e in self.entries],
            "misses": [
                {
                    "count": c.count,
                    "examples": list(c.examples),
                    "nearest": c.nearest,
                    "suggestion": c.suggestion,
                    "kinds": dict(c.kinds),
                }
                for c in self.misses
            ],
        }


def build_report(store: Store, kb: KnowledgeBase) -> Report:
    """Return the report over what the store holds."""
    counted = {c.entry_id: c for c in store.vote_counts()}
    entries = [counted.pop(e.id, VoteCount(e.id, 0, 0)) for e in kb.entries]
    entries += sorted(counted.values(), key=lambda c: c.entry_id)  # entries since removed
    clusters = cluster(store.misses(), common_words(kb.lexicon))
    return Report(tuple(entries), tuple(clusters))


def render_text(report: Report) -> str:
    """Return the report for a terminal: the least liked answers, then what people asked."""
    voted = sorted((e for e in report.entries if e.up or e.down), key=lambda e: (-e.down, e.up))
    lines = ["Votes per entry (most 👎 first):"]
    lines += [f"  {e.entry_id}: {e.up} up, {e.down} down" for e in voted] or ["  none yet"]
    lines += ["", "Questions sent to the authors, grouped (most asked first):"]
    for number, miss in enumerate(report.misses, 1):
        kinds = ", ".join(f"{kind} {n}" for kind, n in miss.kinds)
        lines.append(f"  {number}. asked {miss.count}x ({kinds}); nearest: {miss.nearest or '-'}")
        lines.append(f"     suggested phrasing: {miss.suggestion}")
        lines += [f"     - {example}" for example in miss.examples]
    if not report.misses:
        lines.append("  none yet")
    return "\n".join(lines)


def export_yaml(report: Report, today: date) -> str:
    """Return a YAML snippet of suggested phrasings, one block per cluster, for review."""
    blocks = [
        f"# `python -m bot report --export-yaml`, {today.isoformat()}: questions users chose to\n"
        "# send. Nothing here is used until an author checks that the article answers it and\n"
        "# pastes the phrasings under that entry's `phrasings:` in content/knowledge.yaml (or\n"
        "# writes an uncovered topic in content/uncovered.yaml); then `python -m bot check`."
    ]
    for miss in report.misses:
        body = yaml.safe_dump(
            {"phrasings": list(dict.fromkeys([miss.suggestion, *miss.examples]))},
            allow_unicode=True,
            sort_keys=False,
        )
        head = f"# asked {miss.count}x; nearest entry: {miss.nearest or 'none'}"
        blocks.append(f"{head}\n{body.rstrip()}")
    return "\n\n".join(blocks) + "\n"


def run_report(settings: Settings, kb: KnowledgeBase, *, as_json: bool, as_yaml: bool) -> str:
    """Open the configured database, apply retention, and return the report as asked."""
    url = database_url(settings.database_url, settings.state_dir)
    if _missing_sqlite(url):
        report = Report(tuple(VoteCount(e.id, 0, 0) for e in kb.entries), ())
    else:
        engine = open_engine(url)
        store = Store(engine)
        store.migrate()
        store.purge(settings.misses_retention_days, date.today())
        report = build_report(store, kb)
        engine.dispose()
    if as_json:
        return json.dumps(report.as_json(), ensure_ascii=False)
    return export_yaml(report, date.today()) if as_yaml else render_text(report)


def _missing_sqlite(url: str) -> bool:
    """Say whether the URL is a SQLite file that does not exist (nothing stored yet)."""
    prefix = "sqlite:///"
    return url.startswith(prefix) and not Path(url.removeprefix(prefix)).exists()
