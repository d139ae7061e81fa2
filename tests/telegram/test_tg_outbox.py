"""Which failed sends the outbox sends again: only those Telegram cannot have acted on."""

from __future__ import annotations

import httpx
import pytest
from telegram.error import NetworkError, TelegramError, TimedOut

from bot.tg.faults import describe
from bot.tg.outbox import Delivery, never_sent
from bot.tg.render import plain_text


def raised_from(error: NetworkError, cause: BaseException | None) -> NetworkError:
    """Return error with its cause set, as PTB raises it (`raise ... from cause`)."""
    error.__cause__ = cause
    return error


# As PTB's HTTPXRequest and BaseRequest raise them (telegram/request/, v22.8).
FAILURES = {
    "5xx from Telegram": (raised_from(NetworkError("Bad Gateway"), None), True),
    "5xx page that is not JSON": (
        raised_from(NetworkError("Bad Gateway (502)"), TelegramError("Invalid server response")),
        True,
    ),
    "connection refused": (
        raised_from(NetworkError("httpx.ConnectError: refused"), httpx.ConnectError("x")),
        True,
    ),
    "connect timeout": (raised_from(TimedOut(), httpx.ConnectTimeout("x")), True),
    "no free connection in the pool": (raised_from(TimedOut(), httpx.PoolTimeout("x")), True),
    "request not fully written": (
        raised_from(NetworkError("httpx.WriteError: reset"), httpx.WriteError("x")),
        True,
    ),
    "write timeout": (raised_from(TimedOut(), httpx.WriteTimeout("x")), True),
    "answer too slow": (raised_from(TimedOut(), httpx.ReadTimeout("x")), False),
    "connection dropped before the answer": (
        raised_from(NetworkError("httpx.RemoteProtocolError"), httpx.RemoteProtocolError("x")),
        False,
    ),
    "connection reset while reading": (
        raised_from(NetworkError("httpx.ReadError: reset"), httpx.ReadError("x")),
        False,
    ),
    "anything else in the HTTP client": (
        raised_from(NetworkError("Unknown error in HTTP implementation"), ValueError("x")),
        False,
    ),
    "a timeout without its cause": (raised_from(TimedOut(), None), False),
}


@pytest.mark.parametrize(("error", "expected"), FAILURES.values(), ids=FAILURES.keys())
def test_a_page_is_sent_again_only_when_the_failure_proves_it_was_not_sent(
    error: NetworkError, expected: bool
) -> None:
    """Error status or never left: send again. Sent, answer lost: Telegram may have it."""
    assert expected == never_sent(error)


def test_a_failure_is_described_by_its_http_error_or_the_servers_words() -> None:
    """Log lines name the failure without any message text from the user."""
    assert describe(raised_from(TimedOut(), httpx.ReadTimeout("x"))) == "ReadTimeout"
    assert describe(raised_from(NetworkError("Bad Gateway"), None)) == "'Bad Gateway'"


def test_a_response_body_is_never_quoted_in_a_failure() -> None:
    """PTB puts a body it cannot parse into its message: the reason keeps what comes before."""
    page = "Bad Gateway (502). Parsing the server response b'<html>okapi-9931</html>' failed"
    error = raised_from(NetworkError(page), TelegramError("Invalid server response"))

    assert describe(error) == "'Bad Gateway (502)' (body not JSON, not shown)"


def test_the_backoff_doubles_from_the_first_pause() -> None:
    """0.5 s, 1 s, 2 s: three attempts take at most 1.5 s of waiting by default."""
    delivery = Delivery()

    assert [delivery.pause(n) for n in (1, 2, 3)] == [0.5, 1.0, 2.0]


def test_plain_text_shows_the_words_of_a_rendered_message() -> None:
    """Tags go, entities are decoded: what a user reads when the HTML is refused."""
    page = "<b>Dose &amp; timing</b>\n\n<i>1 &lt; 2</i> <blockquote>quote</blockquote>"

    assert plain_text(page) == "Dose & timing\n\n1 < 2 quote"
