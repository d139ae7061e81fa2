"""Values every test and benchmark run shares: a fake token, a webhook secret, fast delivery."""

from __future__ import annotations

from bot.tg.outbox import Delivery

# The right shape for a token, and obviously not a real one.
TOKEN = "123456789:TEST-token_0123456789abcdefghijABCDEFGHIJ"  # noqa: S105
SECRET = "webhook-secret_0123456789"  # noqa: S105 - a test value for WEBHOOK_SECRET
# Production's policy with tiny waits and no overall pace (the fake has no flood control).
FAST = Delivery(backoff=0.01, messages_per_second=10_000)
