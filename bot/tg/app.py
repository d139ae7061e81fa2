"""The composition root: build the Application from settings and the core.

Production (`bot.tg.serve.run_bot`) and the end-to-end tests both use `build_application`.
"""

from __future__ import annotations

import logging
import os
from typing import TypedDict
from urllib.parse import urlsplit

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.config import Settings, SettingsError
from bot.privacy import privacy_text
from bot.state.setup import SharedState, open_state
from bot.storage.feedback import Feedback
from bot.tg import feedback, handlers, render
from bot.tg.audience import ADDRESSED_TO_BOT
from bot.tg.commands import menu
from bot.tg.context import BotApplication, BotContext, BotData, Core
from bot.tg.health import Health
from bot.tg.logs import guard_library_logs
from bot.tg.outbox import Delivery, Outbox
from bot.tg.shared_ledger import update_ledger
from bot.tg.transport import WatchedRequest

logger = logging.getLogger(__name__)
# Retry a send after Telegram's flood control (429) a few times before giving up.
RATE_LIMIT_RETRIES = 3
TIMEOUTS = ("connect_timeout", "read_timeout", "write_timeout", "pool_timeout")
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY]
DEFAULTS = Defaults(
    parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
)
NEW_MESSAGE = filters.UpdateType.MESSAGE  # edits are not new questions: never answer twice
NOT_TEXT = (
    filters.Sticker.ALL | filters.PHOTO | filters.VOICE | filters.AUDIO | filters.VIDEO
    | filters.VIDEO_NOTE | filters.ANIMATION | filters.Document.ALL | filters.LOCATION
    | filters.VENUE | filters.CONTACT | filters.POLL | filters.Dice.ALL
)  # fmt: skip
PRIVATE = filters.ChatType.PRIVATE & NEW_MESSAGE
GROUPS = filters.ChatType.GROUPS & NEW_MESSAGE


class WebhookOptions(TypedDict):
    """Arguments for run_webhook / Updater.start_webhook."""

    listen: str
    port: int
    url_path: str
    webhook_url: str
    secret_token: str


def build_application(
    settings: Settings,
    responder: Core,
    delivery: Delivery | None = None,
    state: SharedState | None = None,
    feedback_store: Feedback | None = None,
) -> BotApplication:
    """Return the Application: settings, rate limiting, timeouts, typed context, handlers.

    Without feedback_store no feedback buttons are shown and nothing is stored.
    """
    # Opt in to PTB 23's timedelta time periods now: otherwise PTB itself emits a
    # deprecation warning for every 429 it turns into RetryAfter.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    guard_library_logs()  # whoever configures logging, token URLs and user text stay out
    delivery = delivery or Delivery()
    limiter = AIORateLimiter(
        overall_max_rate=delivery.messages_per_second, max_retries=RATE_LIMIT_RETRIES
    )
    health = Health(webhook=settings.webhook_url is not None)
    # Every Bot API call but getUpdates (polling.py has its own client). PTB's pool size.
    timeouts = dict.fromkeys(TIMEOUTS, delivery.timeout)
    application = (
        ApplicationBuilder()
        .token(settings.require_token())
        .base_url(settings.base_url)
        .defaults(DEFAULTS)
        .rate_limiter(limiter)
        .request(WatchedRequest(health, connection_pool_size=256, **timeouts))
        .updater(None)  # bot/tg/polling.py fetches: Telegram keeps the backlog, not memory
        .concurrent_updates(True)
        .context_types(ContextTypes(context=BotContext, bot_data=BotData))
        .job_queue(None)
        .post_init(set_command_menu)
        .build()
    )
    data = application.bot_data
    data.core, data.knowledge_base, data.settings = responder, responder.kb, settings
    state = state or open_state(settings)
    data.flood, data.memory, data.feedback = state.flood, state.memory, feedback_store
    data.ledger = update_ledger(state)
    data.outbox = Outbox(render.plain_text, delivery)
    data.health = health
    add_handlers(application)
    return application


def add_handlers(application: BotApplication) -> None:
    """Register every handler; in group 0 the first match wins, so order matters."""
    application.add_handler(TypeHandler(Update, handlers.limit_flood), group=-1)
    settings = application.bot_data.settings
    pages = {
        "help": render.help_page,
        "about": render.about_page,
        "disclaimer": render.disclaimer_page,
        "privacy": lambda kb: render.render_page(privacy_text(kb.texts.privacy, settings)),
    }
    application.add_handlers(
        [
            CommandHandler("start", handlers.start, NEW_MESSAGE),
            CommandHandler("topics", handlers.topics, NEW_MESSAGE),
            CommandHandler("forget", feedback.forget, NEW_MESSAGE),
            *(CommandHandler(n, handlers.page(n, p), NEW_MESSAGE) for n, p in pages.items()),
            MessageHandler(PRIVATE & filters.TEXT & ~filters.COMMAND, handlers.question),
            MessageHandler(
                GROUPS & filters.TEXT & ~filters.COMMAND & ADDRESSED_TO_BOT, handlers.question
            ),
            # After the known commands: any other command in a private chat gets /help.
            MessageHandler(PRIVATE & filters.COMMAND, handlers.page("unknown", render.help_page)),
            MessageHandler(PRIVATE & NOT_TEXT, handlers.page("not_text", render.not_text_page)),
            # Before the generic button handler: feedback payloads have their own.
            CallbackQueryHandler(feedback.vote, pattern=feedback.VOTE_PATTERN),
            CallbackQueryHandler(feedback.send_question, pattern=feedback.SEND_PATTERN),
            CallbackQueryHandler(handlers.button),
            InlineQueryHandler(handlers.inline_query),
            TypeHandler(Update, handlers.ignore),  # last: everything else, logged once
        ]
    )
    application.add_error_handler(handlers.on_error)


async def set_command_menu(application: BotApplication) -> None:
    """Publish the command menu; a failure is logged, not fatal."""
    try:
        await application.bot.set_my_commands(menu())
    except TelegramError as error:
        logger.warning("could not set the command menu: %s", type(error).__name__)


def webhook_options(settings: Settings) -> WebhookOptions:
    """Return the webhook arguments; the local path is the path of WEBHOOK_URL."""
    if settings.webhook_url is None or settings.webhook_secret is None:
        raise SettingsError("webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET")
    return WebhookOptions(
        listen=settings.webhook_listen,
        port=settings.webhook_port,
        url_path=urlsplit(settings.webhook_url).path.strip("/"),
        webhook_url=settings.webhook_url,
        secret_token=settings.webhook_secret,
    )
