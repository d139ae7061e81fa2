"""Whether the bot is receiving updates: what /healthz reports, and what ends the process.

The polling loop and the webhook server tell a `Health` what happens (getUpdates answered,
server listening, webhook registered); the transport tells it when the Bot API rejects the
token. It holds no Telegram objects, so either side's code can call it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

TOKEN_REJECTED = "the Bot API rejected TELEGRAM_BOT_TOKEN: check it with @BotFather"  # noqa: S105
NOT_BOT_API = "TELEGRAM_BASE_URL answered 404 without JSON: it is not a Bot API server"
# The poller long-polls 10 s and the request may take its 5 s timeout on top: a healthy
# poller succeeds every 15 s at worst. Four missed polls in a row is trouble, not a blip.
POLL_STALE_SECONDS = 60.0


@dataclass
class Health:
    """What the running bot reports; `status()` turns it into /healthz's answer."""

    webhook: bool = False
    stale_after: float = POLL_STALE_SECONDS
    clock: Callable[[], float] = time.monotonic
    last_poll: float | None = None  # when a getUpdates last succeeded (clock time)
    poll_error: str | None = None  # why the last getUpdates failed, if it did
    server_up: bool = False
    webhook_registered: bool = False
    fatal: str | None = None  # why the bot must stop (the token was rejected)
    on_fatal: Callable[[], None] = field(default=lambda: None, repr=False)

    def polled(self) -> None:
        """Record a getUpdates that succeeded."""
        self.last_poll, self.poll_error = self.clock(), None

    def poll_failed(self, reason: str) -> None:
        """Record a getUpdates that failed, with a short reason (no response body)."""
        self.poll_error = reason

    def poll_fault(self, reason: str, fatal: bool) -> None:
        """Record a failed getUpdates; a fatal one (token rejected) stops the bot."""
        self.poll_failed(reason)
        if fatal:
            self.stop_for(TOKEN_REJECTED)

    def stop_for(self, reason: str) -> None:
        """Record a reason the bot cannot go on (the first one) and ask the run to stop."""
        if self.fatal is None:
            self.fatal = reason
            self.on_fatal()

    def status(self) -> tuple[bool, str]:
        """Return (healthy, reason): the body of /healthz, 200 when healthy else 503."""
        if self.fatal is not None:
            return False, self.fatal
        return self._webhook_status() if self.webhook else self._polling_status()

    def _webhook_status(self) -> tuple[bool, str]:
        if not self.server_up:
            return False, "the webhook server is not listening"
        if not self.webhook_registered:
            return False, "the webhook is not registered with the Bot API"
        return True, "ok: webhook server up and registered"

    def _polling_status(self) -> tuple[bool, str]:
        if self.last_poll is None:
            return False, self._with_error("no getUpdates has succeeded yet")
        age = self.clock() - self.last_poll
        if age > self.stale_after:
            return False, self._with_error(f"no getUpdates has succeeded for {age:.0f} s")
        return True, f"ok: last getUpdates {age:.0f} s ago"

    def _with_error(self, text: str) -> str:
        return text if self.poll_error is None else f"{text}; last error: {self.poll_error}"
