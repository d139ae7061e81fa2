"""The shipped reverse-proxy examples, run for real: TLS terminated in front of the bot.

deploy/nginx/glutamine-bot.conf (under Debian's nginx) and deploy/caddy/Caddyfile (under
Debian's Caddy) are used as shipped, with only their ports, names, certificate paths and log
paths swapped for local ones; each swap must match, so a drifting example fails here. The
proxy listens on 127.0.0.1 with a self-signed certificate made by openssl; behind it the real
bot runs in webhook mode against the fake Bot API. `.ci/run` installs the three tools.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import ssl
import subprocess
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from bot.core import Responder, load_knowledge_base
from bot.testing import fake_updates
from bot.testing.constants import SECRET, TOKEN
from bot.testing.fake_bot_api import FakeBotApi
from bot.testing.html_checks import plain_text
from bot.testing.process import free_port
from bot.testing.webhook_abuse import webhook_bot

REPO = Path(__file__).resolve().parents[2]
QUESTION = "what is leaky gut?"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
NGINX_MAIN = """\
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log info;
events {{ worker_connections 64; }}
http {{
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/site.conf;
}}
"""
# Caddy's defaults would also bind :80 for redirects and :2019 for its admin API.
CADDY_GLOBAL = (
    "{{\n\tadmin off\n\tauto_https off\n}}\n\nhttps://127.0.0.1:{port} {{\n\ttls {cert} {key}"
)


@dataclass(frozen=True)
class Local:
    """Where the test runs a proxy: folder, ports and certificate."""

    tmp: Path
    port: int
    bot_port: int
    cert: Path
    key: Path


@dataclass(frozen=True)
class ProxyKind:
    """One shipped example: its file, the swaps that make it local, how to run it."""

    name: str
    example: Path
    swaps: Callable[[Local], dict[str, str]]
    command: Callable[[str, Local], list[str]]
    # (GET on the hook, POST elsewhere, plain HTTP on the TLS port)
    refusals: tuple[int, int, int]


def nginx_swaps(local: Local) -> dict[str, str]:
    """Return the nginx example's production values and their local stand-ins."""
    return {
        "server 127.0.0.1:8443;": f"server 127.0.0.1:{local.bot_port};",
        "listen 443 ssl;": f"listen 127.0.0.1:{local.port} ssl;",
        "listen [::]:443 ssl;": "",  # loopback only
        "/etc/letsencrypt/live/bot.example.com/fullchain.pem": str(local.cert),
        "/etc/letsencrypt/live/bot.example.com/privkey.pem": str(local.key),
        "/var/log/nginx/glutamine-bot.access.log": str(local.tmp / "access.log"),
    }


def nginx_command(binary: str, local: Local) -> list[str]:
    """Run nginx in the foreground with its own prefix, config and error log."""
    (local.tmp / "nginx.conf").write_text(NGINX_MAIN.format(tmp=local.tmp), encoding="utf-8")
    conf, log = local.tmp / "nginx.conf", local.tmp / "error.log"
    return [binary, "-p", str(local.tmp), "-c", str(conf), "-e", str(log)]


def caddy_swaps(local: Local) -> dict[str, str]:
    """Return the Caddyfile's production values and their local stand-ins."""
    site = CADDY_GLOBAL.format(port=local.port, cert=local.cert, key=local.key)
    return {
        "bot.example.com {": site,
        "reverse_proxy 127.0.0.1:8443": f"reverse_proxy 127.0.0.1:{local.bot_port}",
        "/var/log/caddy/glutamine-bot.access.log": str(local.tmp / "access.log"),
    }


def caddy_command(binary: str, local: Local) -> list[str]:
    """Run Caddy in the foreground on the local Caddyfile."""
    return [binary, "run", "--config", str(local.tmp / "site.conf"), "--adapter", "caddyfile"]


KINDS = {
    "nginx": ProxyKind(
        "nginx",
        REPO / "deploy/nginx/glutamine-bot.conf",
        nginx_swaps,
        nginx_command,
        (403, 404, 400),
    ),
    # Caddy's matcher takes only POST on the hook: anything else falls through to 404.
    "caddy": ProxyKind(
        "caddy", REPO / "deploy/caddy/Caddyfile", caddy_swaps, caddy_command, (404, 404, 400)
    ),
}


@dataclass(frozen=True)
class Proxy:
    """A running proxy in front of the bot: the webhook's https URL, how to trust it, logs."""

    kind: ProxyKind
    url: str
    tls: ssl.SSLContext
    tmp: Path

    def client(self) -> httpx.AsyncClient:
        """Return an HTTPS client that trusts only the test certificate."""
        return httpx.AsyncClient(verify=self.tls, timeout=30)

    def output(self) -> str:
        """Return what the proxy logged on its own (for failure messages)."""
        logs = [self.tmp / "error.log", self.tmp / "stdout.log"]
        return "\n".join(p.read_text(errors="replace")[-3000:] for p in logs if p.exists())


def tool(name: str, package: str | None = None) -> str:
    """Return the path of a system tool, or fail saying who installs it."""
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin")
    if found is None:
        pytest.fail(
            f"{name} is not installed: .ci/run installs it (apt-get install {package or name})"
        )
    return found


def certificate(tmp: Path) -> tuple[Path, Path]:
    """Make a self-signed certificate for 127.0.0.1; return (certificate, key)."""
    cert, key = tmp / "cert.pem", tmp / "key.pem"
    subprocess.run(  # noqa: S603 - openssl with fixed arguments
        [tool("openssl"), "req", "-x509", "-newkey", "ec", "-pkeyopt",
         "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


def local_config(kind: ProxyKind, local: Local) -> str:
    """Return the shipped example with each production value swapped for a local one."""
    text = kind.example.read_text(encoding="utf-8")
    for shipped, stand_in in kind.swaps(local).items():
        assert text.count(shipped) == 1, f"{kind.example.name} no longer has {shipped!r}"
        text = text.replace(shipped, stand_in)
    return text


@pytest.fixture
def fake() -> Iterator[FakeBotApi]:
    """Run a fake Bot API server on 127.0.0.1 for one test."""
    with FakeBotApi(TOKEN) as api:
        yield api


@pytest.fixture(scope="module")
def responder() -> Responder:
    """Return the real core over the shipped content."""
    return Responder(load_knowledge_base())


@pytest.fixture(params=sorted(KINDS))
async def proxy(
    request: pytest.FixtureRequest, fake: FakeBotApi, responder: Responder, tmp_path: Path
) -> AsyncIterator[Proxy]:
    """Run the bot in webhook mode and the proxy in front of it, both on 127.0.0.1."""
    kind = KINDS[request.param]
    binary = tool(kind.name)
    cert, key = certificate(tmp_path)
    async with webhook_bot(fake, responder) as local_url:
        hook = urlsplit(local_url)
        local = Local(tmp_path, free_port(), hook.port or 0, cert, key)
        (tmp_path / "site.conf").write_text(local_config(kind, local), encoding="utf-8")
        tls = ssl.create_default_context(cafile=cert)
        proxy = Proxy(kind, f"https://127.0.0.1:{local.port}{hook.path}", tls, tmp_path)
        process = start(kind.command(binary, local), tmp_path)
        try:
            await until_serving(proxy, process)
            yield proxy
        finally:
            process.terminate()
            process.wait(timeout=30)


def start(command: list[str], tmp: Path) -> subprocess.Popen[bytes]:
    """Start the proxy with its home and Caddy's data folders in tmp, output to a file."""
    env = {**os.environ, "HOME": str(tmp), "XDG_DATA_HOME": str(tmp / "data")}
    env["XDG_CONFIG_HOME"] = str(tmp / "config")
    with (tmp / "stdout.log").open("wb") as out:
        return subprocess.Popen(  # noqa: S603 - the proxy with our own config
            command, stdout=out, stderr=subprocess.STDOUT, env=env
        )


async def until_serving(proxy: Proxy, process: subprocess.Popen[bytes]) -> None:
    """Poll until the proxy answers over TLS; fail with its own log if it stops."""
    deadline = time.monotonic() + 30
    async with proxy.client() as client:
        while True:
            assert process.poll() is None, f"{proxy.kind.name} stopped:\n{proxy.output()}"
            try:
                await client.get(proxy.url.replace("/telegram/hook", "/"))
                return
            except httpx.TransportError:
                assert time.monotonic() < deadline, f"never served:\n{proxy.output()}"
                await asyncio.sleep(0.1)


async def post_update(proxy: Proxy, fake: FakeBotApi, text: str, secret: str | None) -> int:
    """POST an update as Telegram does; return the HTTP status."""
    update = {"update_id": fake.next_update_id(), "message": fake_updates.message(text)}
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[SECRET_HEADER] = secret
    async with proxy.client() as client:
        response = await client.post(proxy.url, content=json.dumps(update), headers=headers)
    return response.status_code


async def access_log(proxy: Proxy) -> str:
    """Poll until the proxy's access log has a line; return it all."""
    path, deadline = proxy.tmp / "access.log", time.monotonic() + 30
    while not (path.exists() and path.read_text(encoding="utf-8").strip()):
        assert time.monotonic() < deadline, "nothing reached the access log"
        await asyncio.sleep(0.1)
    return path.read_text(encoding="utf-8")


def words(text: str) -> str:
    """Return the text with every run of whitespace as one space."""
    return " ".join(text.split())


async def test_an_update_over_https_with_the_secret_is_answered(
    proxy: Proxy, fake: FakeBotApi, responder: Responder
) -> None:
    """Through the proxy's TLS the secret header reaches the bot; the question is answered."""
    status = await post_update(proxy, fake, QUESTION, SECRET)

    assert status == 200
    [reply, *_] = await fake.wait_for("sendMessage", seconds=30)
    assert words(responder.reply(QUESTION).body) in words(plain_text(reply.text))


@pytest.mark.parametrize("secret", [None, "wrong-secret"])
async def test_an_update_without_the_right_secret_is_refused(
    proxy: Proxy, fake: FakeBotApi, secret: str | None
) -> None:
    """Missing or wrong secret: 403 through the proxy, and only the next good update is sent."""
    refused = await post_update(proxy, fake, "how much glutamine should i take", secret)
    accepted = await post_update(proxy, fake, QUESTION, SECRET)

    assert (refused, accepted) == (403, 200)
    await fake.wait_for("sendMessage", seconds=30)
    await asyncio.sleep(0.5)  # a refused update answered late would show up by now
    assert len(fake.calls_to("sendMessage")) == 1


async def test_only_the_webhook_path_is_served_and_only_over_tls(proxy: Proxy) -> None:
    """GET on the hook and other paths are refused; plain HTTP on the TLS port is 400."""
    other = proxy.url.replace("/telegram/hook", "/metrics")
    async with proxy.client() as client:
        get_hook = (await client.get(proxy.url)).status_code
        post_other = (await client.post(other, content=b"{}")).status_code
    async with httpx.AsyncClient(timeout=30) as plain:
        plain_http = (await plain.post(proxy.url.replace("https:", "http:"))).status_code

    assert (get_hook, post_other, plain_http) == proxy.kind.refusals


async def test_the_access_log_never_holds_the_secret_or_the_message(
    proxy: Proxy, fake: FakeBotApi
) -> None:
    """The proxy logs the request, but neither the secret header nor what the user wrote."""
    assert await post_update(proxy, fake, QUESTION, SECRET) == 200
    await fake.wait_for("sendMessage", seconds=30)

    logged = await access_log(proxy)

    assert "/telegram/hook" in logged
    assert SECRET not in logged
    assert "leaky" not in logged.lower()
