"""A fake Telegram Bot API server: real HTTP on 127.0.0.1, a random port, in a thread.

It answers the methods the bot uses, records every request, hands out pushed updates
through getUpdates (long polling with offsets, like Telegram), and can inject faults per
method (429 with retry_after, 5xx, 403, 400, slow replies, dropped connections), queued
one by one or at random (`Chaos`), block chats (403), and hold calls until released.

`calls` records every request; `delivered` only the messages that took effect: those
answered normally, and those processed whose answer came late or never (slow, dropped).
Duplicates and losses are counted from `delivered`, as the user would see them.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import sys
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

from bot.testing import fake_updates as updates
from bot.testing.fake_faults import Call, Chaos, Fault

# Parameters PTB sends as JSON strings inside a form body.
JSON_PARAMS = frozenset(
    {
        "reply_markup",
        "results",
        "commands",
        "link_preview_options",
        "reply_parameters",
        "button",
        "allowed_updates",
        "scope",
        "entities",
    }
)
__all__ = ["Call", "Chaos", "FakeBotApi", "Fault"]

MAX_LONG_POLL = 2.0  # seconds a getUpdates may be held; PTB cancels it on stop anyway
MAX_HOLD = 30.0  # seconds a held call waits for release() before going through anyway
# Methods whose effect a user sees: what `delivered` records.
VISIBLE = frozenset({"sendMessage", "editMessageText"})


class FakeBotApi:
    """A Bot API server for one bot token; use as a context manager or start()/stop()."""

    def __init__(self, token: str, username: str = "glutamine_test_bot") -> None:
        self.token = token
        self.username = username
        self.bot_id = int(token.split(":", 1)[0])
        self.calls: list[Call] = []
        self.delivered: list[Call] = []
        self.faults_served: list[tuple[str, Fault]] = []  # (method, fault) in order
        self.webhook_url = ""
        self.revoked_at: float | None = None  # when the first 401 went out after revoke()
        self._revoked = False
        # (id, what getUpdates hands out): the payload may lack its id or carry a bad one.
        self._updates: deque[tuple[int, Any]] = deque()
        self._faults: dict[str, deque[Fault]] = defaultdict(deque)
        self._chaos: dict[str, Chaos] = {}
        self._blocked: set[int] = set()
        self._gates: dict[str, threading.Event] = {}
        self._held = 0
        self._handed_out = 0  # the highest update id any getUpdates answer carried
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._lock = threading.Condition()
        self._closed = False
        self._server = _Server(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def port(self) -> int:
        """Return the port the server listens on."""
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """Return the value for TELEGRAM_BASE_URL."""
        return f"http://127.0.0.1:{self.port}/bot"

    def start(self) -> FakeBotApi:
        """Start serving in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release any held long poll."""
        with self._lock:
            self._closed = True
            self._lock.notify_all()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeBotApi:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    # --- driving the bot -------------------------------------------------------------

    def push(self, update: dict[str, Any]) -> int:
        """Queue one update (an `update_id` is added) and return its id."""
        update_id = next(self._update_ids)
        with self._lock:
            self._updates.append((update_id, {"update_id": update_id, **update}))
            self._lock.notify_all()
        return update_id

    def push_raw(self, build: Callable[[int], Any]) -> int:
        """Queue build(id) exactly as it is (no update_id added) and return the id it holds.

        For updates PTB cannot read: a bad or missing `update_id`, a `date` as a string.
        """
        update_id = next(self._update_ids)
        with self._lock:
            self._updates.append((update_id, build(update_id)))
            self._lock.notify_all()
        return update_id

    def next_update_id(self) -> int:
        """Reserve an update id (for updates sent by webhook instead of getUpdates)."""
        return next(self._update_ids)

    def send_text(self, text: str, **kwargs: Any) -> int:
        """Push a text message (commands get their entity) and return the update id."""
        return self.push({"message": updates.message(text, **kwargs)})

    def revoke(self) -> None:
        """Reject the token from now on: every call gets 401, as after /revoke in BotFather."""
        with self._lock:
            self._revoked = True
            self._lock.notify_all()

    def rejects(self, path_prefix: str) -> bool:
        """Say whether a request path's token is refused; note the first refusal's time."""
        with self._lock:
            if path_prefix == f"/bot{self.token}" and not self._revoked:
                return False
            if self._revoked and self.revoked_at is None:
                self.revoked_at = time.monotonic()
            return True

    def inject(self, method: str, fault: Fault, times: int = 1) -> None:
        """Make the next `times` calls to `method` fail with `fault`."""
        with self._lock:
            self._faults[method].extend([fault] * times)

    def clear_faults(self, method: str) -> None:
        """Drop the faults still queued for `method`: it answers normally again."""
        with self._lock:
            self._faults[method].clear()

    def inject_chaos(self, method: str, chaos: Chaos) -> None:
        """Fail a share of the calls to `method` at random, as `chaos` decides."""
        with self._lock:
            self._chaos[method] = chaos

    def block(self, chat_id: int) -> None:
        """Answer every call to this chat with 403, as for a user who blocked the bot."""
        with self._lock:
            self._blocked.add(chat_id)

    def hold(self, method: str) -> None:
        """Make calls to `method` wait (unanswered, not yet acted on) until `release()`."""
        with self._lock:
            self._gates[method] = threading.Event()

    def release(self) -> None:
        """Let every held call go through, and stop holding."""
        with self._lock:
            gates, self._gates = list(self._gates.values()), {}
        for gate in gates:
            gate.set()

    def held(self) -> int:
        """Return how many calls are waiting at a hold right now."""
        with self._lock:
            return self._held

    def pending_updates(self) -> int:
        """Return how many pushed updates the bot has not confirmed yet."""
        with self._lock:
            return len(self._updates)

    def forget_updates(self) -> None:
        """Drop every update not yet confirmed, as if Telegram had expired them."""
        with self._lock:
            self._updates.clear()

    def pending_ids(self) -> list[int]:
        """Return the ids of the updates the bot has not confirmed yet."""
        with self._lock:
            return [update_id for update_id, _ in self._updates]

    def handed_out(self) -> int:
        """Return the highest update id a getUpdates answer has carried so far."""
        with self._lock:
            return self._handed_out

    # --- observing the bot -----------------------------------------------------------

    def calls_to(self, method: str, **match: Any) -> list[Call]:
        """Return the recorded calls to `method` whose params equal `match` (as strings)."""
        with self._lock:
            calls = list(self.calls)
        return [c for c in calls if c.method == method and _matches(c, match)]

    def delivered_to(self, method: str = "sendMessage", **match: Any) -> list[Call]:
        """Return the calls to `method` that took effect, whose params equal `match`."""
        with self._lock:
            calls = list(self.delivered)
        return [c for c in calls if c.method == method and _matches(c, match)]

    async def wait_for(
        self, method: str, count: int = 1, seconds: float = 5.0, **match: Any
    ) -> list[Call]:
        """Poll until `count` matching calls were recorded; fail after `seconds`."""
        deadline = time.monotonic() + seconds
        while len(found := self.calls_to(method, **match)) < count:
            if time.monotonic() > deadline:
                seen = [c.method for c in self.calls]
                raise AssertionError(f"no {count} x {method} {match} in {seconds}s; saw {seen}")
            await asyncio.sleep(0.005)
        return found

    def wait_for_sync(
        self, method: str, count: int = 1, seconds: float = 10.0, **match: Any
    ) -> list[Call]:
        """Blocking variant of `wait_for`, for a bot running in another process."""
        deadline = time.monotonic() + seconds
        while len(found := self.calls_to(method, **match)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"no {count} x {method} {match} in {seconds}s")
            time.sleep(0.01)
        return found

    # --- serving ---------------------------------------------------------------------

    def handle(self, method: str, params: dict[str, Any]) -> tuple[Fault | None, Any]:
        """Record a call; return the fault to apply, if any, and the normal result."""
        call = Call(method, params)
        with self._lock:
            self.calls.append(call)
            fault = self._fault_for(method, params)
            if fault is not None:
                self.faults_served.append((method, fault))
            gate = self._gates.get(method)
        if fault is not None and fault.status is not None:
            return fault, None
        if gate is not None:
            self._wait_at(gate)
        result = self._result(method, params)
        if method in VISIBLE:
            with self._lock:
                self.delivered.append(call)
        return fault, result

    def _fault_for(self, method: str, params: dict[str, Any]) -> Fault | None:
        """Return the fault for a call (the lock is held): blocked chat, queued, chaos."""
        chat_id = params.get("chat_id")
        if chat_id is not None and int(chat_id) in self._blocked:
            return Fault.blocked()
        if self._faults[method]:
            return self._faults[method].popleft()
        chaos = self._chaos.get(method)
        return None if chaos is None else chaos.pick(params)

    def _wait_at(self, gate: threading.Event) -> None:
        with self._lock:
            self._held += 1
        try:
            gate.wait(timeout=MAX_HOLD)
        finally:
            with self._lock:
                self._held -= 1

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return updates.bot_user(self.bot_id, self.username)
        if method == "getUpdates":
            return self._get_updates(params)
        if method in {"sendMessage", "editMessageText"}:
            return self._sent_message(params)
        if method == "setWebhook":
            self.webhook_url = str(params.get("url", ""))
        if method == "deleteWebhook":
            self.webhook_url = ""
        if method == "getWebhookInfo":
            return {
                "url": self.webhook_url,
                "has_custom_certificate": False,
                "pending_update_count": self.pending_updates(),
            }
        return True

    def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset", 0) or 0)
        limit = int(params.get("limit", 100) or 100)
        wait = min(float(params.get("timeout", 0) or 0), MAX_LONG_POLL)
        with self._lock:
            # Telegram forgets updates below the offset: that is how they get confirmed.
            while self._updates and self._updates[0][0] < offset:
                self._updates.popleft()
            self._lock.wait_for(lambda: self._updates or self._closed, timeout=wait)
            held = list(itertools.islice(self._updates, limit))
            batch = [payload for _, payload in held]
            if held:
                self._handed_out = max(self._handed_out, held[-1][0])
            return batch

    def _sent_message(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        if "inline_message_id" in params:
            return True
        message_id = params.get("message_id") or next(self._message_ids)
        chat_id = int(params["chat_id"])
        return {
            "message_id": int(message_id),
            "date": int(time.time()),
            "chat": updates.chat(chat_id),
            "from": updates.bot_user(self.bot_id, self.username),
            "text": str(params.get("text", "")),
        }


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024  # the default 5 drops connections when hundreds arrive at once

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Ignore clients that hang up (a bot shutting down mid long poll); report the rest."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _matches(call: Call, match: dict[str, Any]) -> bool:
    return all(str(call.params.get(k)) == str(v) for k, v in match.items())


def _decode(body: bytes, content_type: str) -> dict[str, Any]:
    if not body:
        return {}
    if content_type.startswith("application/json"):
        return dict(json.loads(body))
    params: dict[str, Any] = dict(parse_qsl(body.decode(), keep_blank_values=True))
    for key in JSON_PARAMS & params.keys():
        params[key] = json.loads(params[key])
    return params


def _handler_for(api: FakeBotApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # else headers and body wait on delayed ACKs (40 ms)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length)
            if len(body) < length:  # the client gave up mid-request: nothing to act on
                self.close_connection = True
                return
            prefix, _, method = self.path.rpartition("/")
            if api.rejects(prefix):
                self._reply(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
                return
            fault, result = api.handle(method, _decode(body, self.headers["Content-Type"] or ""))
            if fault is not None:
                time.sleep(fault.delay)
                if fault.drop:
                    self.close_connection = True
                    return
            if fault is not None and fault.status is not None and fault.page is not None:
                self._send(fault.status, fault.page.encode(), "text/html")
            elif fault is not None and fault.status is not None:
                self._reply(fault.status, _error(fault))
            else:
                self._reply(200, {"ok": True, "result": result})

        def _reply(self, status: int, payload: dict[str, Any]) -> None:
            self._send(status, json.dumps(payload).encode(), "application/json")

        def _send(self, status: int, data: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_: Any) -> None:
            """Stay quiet: request lines carry the token."""

    return Handler


def _error(fault: Fault) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "ok": False,
        "error_code": fault.status,
        "description": fault.description,
    }
    if fault.retry_after is not None:
        payload["parameters"] = {"retry_after": fault.retry_after}
    return payload
