"""Accept webhook connections up to a cap, and stay calm at the file-descriptor limit.

Tornado's accept loop lets an EMFILE ("too many open files") escape: the listening socket
stays readable, so the loop calls it again at once, and each call logs a traceback (100%
CPU, tens of thousands of lines, nobody answered). Here at most `cap` connections are
open (the cap fits under the open-files limit); a new one past it closes the oldest
connection that is not in the middle of a request (a client that never finished its
headers, or an idle keep-alive), so a flood of half-open connections cannot lock Telegram
out. Out of descriptors anyway, accepting pauses for half a second. Both are logged at
most once a minute, with a count.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import resource
import socket
import time
from collections import OrderedDict

import tornado.httpserver
from tornado.iostream import IOStream

logger = logging.getLogger(__name__)
# Out of descriptors or memory for one more socket: wait for some to be freed.
_EXHAUSTED = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM})
RESERVE_FDS = 64  # kept for the bot's own connections to the Bot API, logs and files
EXHAUSTED_PAUSE = 0.5  # seconds without accepting once the descriptors have run out
ACCEPTS_PER_WAKE = 128  # as tornado: let other work run between bursts of connections
WARN_EVERY = 60.0  # seconds between two warnings of one kind


def connection_cap(wanted: int) -> int:
    """Return wanted, lowered to what the open-files limit leaves after the reserve."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return wanted
    return max(1, min(wanted, soft - RESERVE_FDS))


class CappedServer(tornado.httpserver.HTTPServer):
    """Tornado's HTTPServer, telling its acceptor when a connection closes."""

    acceptor: Acceptor | None = None

    def on_close(self, server_conn: object) -> None:
        """Forget the connection, and let the acceptor take another."""
        super().on_close(server_conn)
        stream = getattr(server_conn, "stream", None)
        if self.acceptor is not None and isinstance(stream, IOStream):
            self.acceptor.closed(stream)


class Acceptor:
    """Accept connections on listening sockets for a server, at most `cap` open at once."""

    def __init__(self, server: CappedServer, sockets: list[socket.socket], cap: int) -> None:
        self.server, self.sockets, self.cap = server, sockets, cap
        self.open: OrderedDict[IOStream, None] = OrderedDict()  # oldest first
        self.busy: set[IOStream] = set()  # in the middle of a request: never closed for room
        self._loop = asyncio.get_running_loop()
        self._reading = False
        self._warnings = _Warnings()
        server.acceptor = self
        self._resume()

    def closed(self, stream: IOStream) -> None:
        """Forget a connection that closed."""
        self.open.pop(stream, None)
        self.busy.discard(stream)
        if not self._reading and self.sockets and len(self.open) < self.cap:
            self._resume()

    def working(self, stream: object, busy: bool) -> None:
        """Mark a connection as in a request (never closed to make room), or done with it."""
        if isinstance(stream, IOStream):
            (self.busy.add if busy else self.busy.discard)(stream)

    def close(self) -> None:
        """Stop accepting and close the listening sockets."""
        self._stop_reading()
        for sock in self.sockets:
            sock.close()
        self.sockets = []

    def _accept(self, sock: socket.socket) -> None:
        for _ in range(ACCEPTS_PER_WAKE):
            if len(self.open) >= self.cap and not self._make_room():
                self._stop_reading()  # every connection is mid-request: wait for one to end
                self._warnings.warn("every one of the %d connections is busy", self.cap)
                return
            try:
                connection, address = sock.accept()
            except BlockingIOError:
                return
            except ConnectionAbortedError:
                continue
            except OSError as error:
                if error.errno not in _EXHAUSTED:
                    raise
                self._stop_reading()
                self._loop.call_later(EXHAUSTED_PAUSE, self._resume)
                self._warnings.warn("out of file descriptors (%s)", errno.errorcode[error.errno])
                return
            self._serve(connection, address)

    def _serve(self, connection: socket.socket, address: object) -> None:
        connection.setblocking(False)
        stream = IOStream(
            connection,
            max_buffer_size=self.server.max_buffer_size,
            read_chunk_size=self.server.read_chunk_size,
        )
        self.open[stream] = None
        self.server.handle_stream(stream, address)  # type: ignore[arg-type]  # tornado's hint

    def _make_room(self) -> bool:
        """Close the oldest connection not in a request; say whether there was one."""
        oldest = next((s for s in self.open if s not in self.busy), None)
        if oldest is None:
            return False
        self.open.pop(oldest)
        oldest.close()
        self._warnings.warn("at the cap of %d connections: closing the oldest idle ones", self.cap)
        return True

    def _resume(self) -> None:
        if self._reading or not self.sockets:
            return
        for sock in self.sockets:
            self._loop.add_reader(sock.fileno(), self._accept, sock)
        self._reading = True

    def _stop_reading(self) -> None:
        if self._reading:
            for sock in self.sockets:
                self._loop.remove_reader(sock.fileno())
        self._reading = False


class _Warnings:
    """Log each kind of warning at most once per WARN_EVERY seconds, with a count."""

    def __init__(self) -> None:
        self._last: dict[str, tuple[float, int]] = {}

    def warn(self, template: str, value: object) -> None:
        """Log template % value unless it was logged less than WARN_EVERY seconds ago."""
        now = time.monotonic()
        at, count = self._last.get(template, (-WARN_EVERY, 0))
        if now - at < WARN_EVERY:
            self._last[template] = (at, count + 1)
            return
        again = f" ({count} more times since the last such line)" if count else ""
        logger.warning("webhook: %s%s", template % value, again)
        self._last[template] = (now, 0)
