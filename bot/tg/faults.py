"""Expected faults of the Bot API and the network, each said in one short line.

Timeouts, dropped connections, 5xx and flood control are the network's weather, not bugs:
they are logged as one line with the reason and no traceback. A reason never quotes a
response body: PTB puts a body it could not parse (an nginx error page, anything a proxy
returns) into the exception's message, so only the part before it is kept.
"""

from __future__ import annotations

from telegram.error import NetworkError, RetryAfter, TelegramError

_BODY_QUOTE = ". Parsing the server response"  # PTB appends the raw body after this
MAX_REASON = 80


def expected(error: BaseException | None) -> bool:
    """Say whether an error is the network's or Telegram's weather rather than a bug."""
    return isinstance(error, NetworkError | RetryAfter)


def describe(error: BaseException) -> str:
    """Return a failure as a short reason: the network error, or what the server said."""
    cause = error.__cause__
    if isinstance(error, NetworkError) and not isinstance(cause, TelegramError | None):
        return type(cause).__name__  # httpx's: ReadTimeout, ConnectError, ...
    if isinstance(error, TelegramError):
        message, _, body = error.message.partition(_BODY_QUOTE)
        shown = repr(message[:MAX_REASON])
        return f"{shown} (body not JSON, not shown)" if body else shown
    return type(error).__name__
