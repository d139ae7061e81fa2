"""Prometheus metrics: one module every part of the bot imports its counters from.

Names follow Prometheus conventions with the `glutamine_bot_` prefix (counters get
`_total` from the client). Labels are closed sets (update types, reply kinds, rule ids,
Bot API method names, exception class names, HTTP statuses): never what a user wrote.
Other parts add their own metrics here (storage and Redis outages, say), in the same
registry, so one scrape sees everything.
"""

from __future__ import annotations

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)

# No *_created series: they double the page and nobody graphs them.
disable_created_metrics()  # type: ignore[no-untyped-call]
PREFIX = "glutamine_bot_"
CONTENT_TYPE = CONTENT_TYPE_LATEST
# Replies take ~1-20 ms in the core and a Bot API round trip on top (docs/benchmarks.md);
# the upper buckets catch retries after a 429 or a slow network.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

UPDATES = Counter(
    f"{PREFIX}updates", "Updates handled, by type (message, callback_query, ...).", ["type"]
)
REPLIES = Counter(
    f"{PREFIX}replies",
    "Updates answered, by reply kind and the safety rule that routed it ('-' for none).",
    ["kind", "rule"],
)
REPLY_LATENCY = Histogram(
    f"{PREFIX}reply_latency_seconds",
    "Time from the handler's start to its reply sent.",
    buckets=LATENCY_BUCKETS,
)
SEND_FAILURES = Counter(
    f"{PREFIX}send_failures",
    "Bot API calls (not getUpdates) that failed, by method and reason (status or error class).",
    ["method", "reason"],
)
POLL_FAILURES = Counter(
    f"{PREFIX}poll_failures", "getUpdates calls that failed, by reason.", ["reason"]
)
DELIVERIES_UNKNOWN = Counter(
    f"{PREFIX}deliveries_unknown",
    "Messages whose request went out but whose answer was lost: maybe delivered, not resent.",
)
FLOOD_DROPS = Counter(
    f"{PREFIX}flood_drops", "Private messages over the per-user flood limit, not answered."
)
CONTENT_RELOADS = Counter(
    f"{PREFIX}content_reloads", "Content reloads on SIGHUP, by result (ok, invalid).", ["result"]
)
OPS_ALERTS = Counter(
    f"{PREFIX}ops_alerts",
    "Error alerts for OPS_CHAT_ID, by fate (sent, suppressed, failed).",
    ["fate"],
)

BACKEND_UP = Gauge(
    f"{PREFIX}backend_up",
    "Whether a backing service (redis, database) is usable now (1) or not (0).",
    ["service"],
)
BACKEND_OUTAGES = Counter(
    f"{PREFIX}backend_outages",
    "Times a backing service went from usable to not (one log line each).",
    ["service"],
)
BACKEND_FALLBACKS = Counter(
    f"{PREFIX}backend_fallbacks",
    "Calls made without a backing service because it was down: no context, local flood "
    "windows, a vote or question dropped.",
    ["service"],
)
STORAGE_DROPPED = Counter(
    f"{PREFIX}storage_dropped",
    "Votes or questions dropped because the storage queue was full.",
)
FEEDBACK = Counter(
    f"{PREFIX}feedback",
    "Feedback accepted for storage, by kind (vote_up, vote_down, question).",
    ["kind"],
)


def exposition() -> bytes:
    """Return every registered metric in the Prometheus text format."""
    return bytes(generate_latest(REGISTRY))
