"""Throwaway PostgreSQL and Redis servers for tests: Debian's binaries, a temporary folder,
a free port on 127.0.0.1, stopped at the end.

`.ci/run` installs the packages (postgresql, redis-server). Missing binaries fail the test
with the command that installs them; they are never skipped silently.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.storage.database import database_url
from bot.testing.process import free_port

START_SECONDS = 30.0
INSTALL_HINT = "apt-get install -y postgresql redis-server (as .ci/run does)"


def find_binary(name: str) -> str:
    """Return the path of a server binary, or fail the test saying how to install it."""
    found = shutil.which(name)
    if found is None:
        candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
        found = str(candidates[0]) if candidates else None
    if found is None:
        pytest.fail(f"{name} not found: these tests need real servers; {INSTALL_HINT}")
    return found


def launch(command: list[str], log: Path) -> subprocess.Popen[bytes]:
    """Start a server with its output in a log file (a pipe nobody reads could fill up)."""
    with log.open("ab") as output:
        return subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)  # noqa: S603 - our fixed server command


def wait_for_port(port: int, process: subprocess.Popen[bytes], what: str, log: Path) -> None:
    """Poll until something accepts connections on port, or fail with the server's output."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = log.read_text(errors="replace") if log.exists() else ""
            pytest.fail(f"{what} exited with {process.returncode}:\n{output[-2000:]}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.05)
    process.kill()
    pytest.fail(f"{what} did not accept connections within {START_SECONDS:.0f} s")


def stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    """Stop a server process and reap it."""
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class RedisServer:
    """A redis-server without persistence on a free port; stop() and start() again."""

    def __init__(self) -> None:
        self.binary = find_binary("redis-server")
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="test-redis-"))
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """Return the redis:// URL of this server."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start the server (again, on the same port) and wait until it accepts connections."""
        command = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.folder)]
        log = self.folder / "redis.log"
        self.process = launch(command, log)
        wait_for_port(self.port, self.process, "redis-server", log)

    def stop(self) -> None:
        """Stop the server."""
        if self.process is not None:
            stop(self.process)

    def __enter__(self) -> RedisServer:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


class PostgresServer:
    """A PostgreSQL cluster in a temporary folder, trusting local connections, on a free port.

    PostgreSQL refuses to run as root: as root, it runs as the `postgres` user (Debian's
    package creates it) or `nobody`.
    """

    def __init__(self) -> None:
        self.initdb, self.postgres = find_binary("initdb"), find_binary("postgres")
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="test-postgres-"))
        self.process: subprocess.Popen[bytes] | None = None
        self._user = _unprivileged_user() if os.geteuid() == 0 else None

    def url(self, database: str = "postgres") -> str:
        """Return the postgresql:// URL of a database on this server."""
        return f"postgresql://test@127.0.0.1:{self.port}/{database}"

    def __enter__(self) -> PostgresServer:
        data = self.folder / "data"
        if self._user is not None:
            os.chown(self.folder, self._user.pw_uid, self._user.pw_gid)
        self._run([self.initdb, "-D", str(data), "-U", "test", "--auth=trust", "--no-sync"])
        command = [self.postgres, "-D", str(data), "-p", str(self.port), "-k", str(self.folder)]
        command += ["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"]
        log = self.folder / "postgres.log"
        self.process = launch(self._as_user(command), log)
        wait_for_port(self.port, self.process, "postgres", log)
        self._wait_until_ready()
        return self

    def _wait_until_ready(self) -> None:
        """Poll until a query works: the port opens before recovery has finished."""
        import psycopg  # noqa: PLC0415 - only these tests need the driver directly

        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                with psycopg.connect(self.url(), connect_timeout=2) as connection:
                    connection.execute("SELECT 1")
                    return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def __exit__(self, *_: object) -> None:
        if self.process is not None:
            stop(self.process, signal.SIGINT)  # "fast" shutdown
        shutil.rmtree(self.folder, ignore_errors=True)

    def _as_user(self, command: list[str]) -> list[str]:
        if self._user is None:
            return command
        return ["setpriv", f"--reuid={self._user.pw_uid}", f"--regid={self._user.pw_gid}",
                "--clear-groups", *command]  # fmt: skip

    def _run(self, command: list[str]) -> None:
        done = subprocess.run(  # noqa: S603 - initdb with our own arguments
            self._as_user(command), capture_output=True, check=False, cwd=self.folder
        )
        if done.returncode != 0:
            pytest.fail(f"{command[0]} failed:\n{done.stdout.decode()}{done.stderr.decode()}")


def _unprivileged_user() -> pwd.struct_passwd:
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    pytest.fail("running as root, and neither a `postgres` nor a `nobody` user exists")


@contextlib.contextmanager
def postgres_database(server: PostgresServer, name: str) -> Iterator[str]:
    """Create an empty database on server; yield its URL; drop it afterwards."""
    import psycopg  # noqa: PLC0415 - only these tests need the driver directly

    with psycopg.connect(server.url(), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server.url(name)
    finally:
        with psycopg.connect(server.url(), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """Run one throwaway PostgreSQL for the whole session."""
    with PostgresServer() as server:
        yield server


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """Run one throwaway Redis for the whole session."""
    with RedisServer() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Yield the URL of an empty database: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield database_url(None, tmp_path / "state")
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    with postgres_database(server, f"t_{uuid.uuid4().hex[:12]}") as url:
        yield database_url(url, tmp_path)
