"""Run the bot as a process: connect, serve updates (polling or webhook), stop, exit status.

A rejected token, at start or at any later call, ends the run with EXIT_CANNOT_RUN and one
line; so does a server that is unreachable or is not a Bot API. Ctrl-C or SIGTERM at any
moment stops cleanly.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

import httpx
from telegram.error import NetworkError, TelegramError, TimedOut

from bot.config import Settings, SettingsError
from bot.state.setup import SharedState, open_state
from bot.storage.setup import open_feedback
from bot.tg.app import ALLOWED_UPDATES, WebhookOptions, build_application, webhook_options
from bot.tg.context import BotApplication, Core
from bot.tg.health import Health
from bot.tg.logs import setup_logging
from bot.tg.polling import serve_polling
from bot.tg.running import LoadCore, interruptible, operated, poll_watcher
from bot.tg.webhook import WebhookLimits, webhook_server

logger = logging.getLogger(__name__)
EXIT_CANNOT_RUN = 2  # as for bad settings: a supervisor restarts, an operator must act


def run_bot(settings: Settings, responder: Core, load: LoadCore | None = None) -> int:
    """Run the bot until SIGINT/SIGTERM (polling, or a webhook when WEBHOOK_URL is set).

    Return the exit status: 0 when stopped, EXIT_CANNOT_RUN when the Bot API cannot be
    used. `load` builds a fresh core from the content on disk, for SIGHUP.
    """
    secrets = (settings.token, settings.webhook_secret)
    setup_logging(settings.log_level, secrets=secrets, fmt=settings.log_format)
    state, feedback_store = open_state(settings), open_feedback(settings)
    application = build_application(settings, responder, state=state, feedback_store=feedback_store)
    mode = "webhook" if settings.webhook_url else "polling"
    logger.info("starting in %s mode against %s", mode, urlsplit(settings.base_url).netloc)
    try:
        asyncio.run(serve_and_close(application, settings, load, state))
    except SettingsError as error:
        logger.error("%s", error)
        return EXIT_CANNOT_RUN
    finally:
        if feedback_store is not None:
            feedback_store.close()  # the queued votes are written before the process ends
    if (fatal := application.bot_data.health.fatal) is not None:
        logger.critical("%s; stopped", fatal)
        return EXIT_CANNOT_RUN
    logger.info("stopped")
    return 0


async def serve_and_close(
    application: BotApplication, settings: Settings, load: LoadCore | None, state: SharedState
) -> None:
    """Serve, then close the shared state's connections (Redis) on the same loop."""
    try:
        await serve(application, settings, load)
    finally:
        await state.aclose()


async def serve(application: BotApplication, settings: Settings, load: LoadCore | None) -> None:
    """Connect, then serve updates with the operations around them until a stop signal."""
    connected, _ = await interruptible(connect(application, settings))
    if not connected:
        logger.info("stopped while connecting")
        return
    health = application.bot_data.health
    async with operated(application, settings, load) as stop:
        if settings.webhook_url is not None:
            await serve_webhook(application, settings, stop)
            return
        try:
            watch = poll_watcher(health)
            await serve_polling(
                application, ALLOWED_UPDATES, stop, on_polled=health.polled, on_fault=watch
            )
        except SettingsError:
            if health.fatal is None:
                raise  # else run_bot says why, in the one line for every mid-run stop


async def serve_webhook(
    application: BotApplication, settings: Settings, stop: Awaitable[object]
) -> None:
    """Register the webhook, serve it until stop completes, then shut down cleanly."""
    async with application:
        if application.post_init is not None:
            await application.post_init(application)
        async with running_webhook(application, settings):
            await stop


@asynccontextmanager
async def running_webhook(
    application: BotApplication, settings: Settings, limits: WebhookLimits | None = None
) -> AsyncIterator[WebhookOptions]:
    """Set the webhook, start the application and serve it for the duration of the block."""
    options, limits = webhook_options(settings), limits or WebhookLimits()
    await application.bot.set_webhook(
        options["webhook_url"],
        secret_token=options["secret_token"],
        allowed_updates=ALLOWED_UPDATES,
        max_connections=limits.concurrency,  # never more in flight than that
    )
    application.bot_data.health.webhook_registered = True
    await application.start()
    try:
        async with webhook_server(
            application,
            options["listen"],
            options["port"],
            options["url_path"],
            options["secret_token"],
            limits=limits,
            ledger=application.bot_data.ledger,
        ):
            yield options
    finally:
        await application.stop()


async def connect(application: BotApplication, settings: Settings) -> None:
    """Initialise the application (getMe); turn what went wrong into one SettingsError line."""
    try:
        await application.initialize()
    except TelegramError as error:
        # PTB's messages can hold the token or a quoted page: name the cause, drop the chain.
        host = urlsplit(settings.base_url).netloc
        raise SettingsError(start_failure(error, application.bot_data.health, host)) from None


def start_failure(error: TelegramError, health: Health, host: str) -> str:
    """Return the real cause of a failed start: token, wrong server, or no server."""
    if health.fatal is not None:  # the transport read the answer: 401, or 404 with(out) JSON
        return health.fatal
    cause = error.__cause__
    if isinstance(cause, httpx.ConnectError):
        return f"cannot connect to {host} (refused or unreachable): check TELEGRAM_BASE_URL"
    if isinstance(error, TimedOut):
        return f"no answer from {host} in time: check TELEGRAM_BASE_URL and the network"
    if isinstance(error, NetworkError) and not isinstance(cause, httpx.HTTPError):
        status = error.message.split(".", 1)[0][:60]  # "Bad Gateway (502)", not the page
        return f"{host} answered {status!r}: check TELEGRAM_BASE_URL and the server"
    return f"{host} did not answer like a Bot API server: check TELEGRAM_BASE_URL"
