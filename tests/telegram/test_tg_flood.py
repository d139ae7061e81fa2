"""The per-user flood limit, with a clock the test controls."""

from __future__ import annotations

from bot.tg.flood import FloodGuard, Verdict


def test_a_user_over_the_limit_is_warned_once_then_dropped() -> None:
    """3 per 10 s: the 4th message gets the warning, the 5th and 6th are dropped."""
    guard = FloodGuard(max_messages=3, window=10)

    verdicts = [guard.check(1, now=0.1 * n) for n in range(6)]

    assert verdicts == [Verdict.ALLOW] * 3 + [Verdict.WARN, Verdict.DROP, Verdict.DROP]


def test_the_user_is_served_again_once_the_window_has_passed() -> None:
    """Dropped messages do not count: after the window, the user is back, and warnable."""
    guard = FloodGuard(max_messages=2, window=10)
    for n in range(4):
        guard.check(1, now=n)

    assert guard.check(1, now=10.5) is Verdict.ALLOW
    assert guard.check(1, now=11.5) is Verdict.ALLOW
    assert guard.check(1, now=11.6) is Verdict.WARN


def test_users_are_limited_independently() -> None:
    """One user's flood does not slow anyone else."""
    guard = FloodGuard(max_messages=1, window=10)
    guard.check(1, now=0)

    assert guard.check(1, now=1) is Verdict.WARN
    assert guard.check(2, now=1) is Verdict.ALLOW


def test_idle_users_are_forgotten_when_many_are_tracked() -> None:
    """Memory stays bounded: users idle past the window are pruned."""
    guard = FloodGuard(max_messages=1, window=1)
    for user in range(10_000):
        guard.check(user, now=0)

    guard.check(99_999, now=5)

    assert guard.check(0, now=5) is Verdict.ALLOW
    assert len(guard._senders) == 2
