"""Bots the end-to-end benchmark runs as child processes, beside `python -m bot run`.

Usage: python bench/bots.py echo | echo-limited | bot-unlimited
  echo           a bare python-telegram-bot echo bot, the yardstick: same base_url, same
                 concurrent_updates as the real bot, one MessageHandler, nothing else
  echo-limited   the same echo bot with the real bot's rate limiter (AIORateLimiter: at
                 most 30 messages a second overall, Telegram's limit)
  bot-unlimited  the real bot exactly as `python -m bot run` starts it, except that its
                 Delivery allows 0 messages per second overall, which AIORateLimiter reads
                 as "no rate limiting": the figure shows what the bot itself can process
Settings come from the environment (TELEGRAM_BOT_TOKEN, TELEGRAM_BASE_URL, ...).
"""

from __future__ import annotations

import dataclasses
import os
import sys

from telegram import Update
from telegram.ext import AIORateLimiter, ApplicationBuilder, ContextTypes, MessageHandler, filters

from bot import cli
from bot.config import Settings
from bot.state.setup import SharedState
from bot.storage.feedback import Feedback
from bot.tg import app as tg_app
from bot.tg import serve as tg_serve
from bot.tg.app import build_application
from bot.tg.context import BotApplication, Core
from bot.tg.outbox import Delivery


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send the text back."""
    if update.message is not None and update.message.text is not None:
        await update.message.reply_text(update.message.text)


def run_echo(*, limited: bool) -> int:
    """Run the echo bot until SIGTERM."""
    builder = (
        ApplicationBuilder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(os.environ["TELEGRAM_BASE_URL"])
        .concurrent_updates(True)  # as build_application does
    )
    if limited:
        limiter = AIORateLimiter(  # as build_application builds it
            overall_max_rate=Delivery().messages_per_second, max_retries=tg_app.RATE_LIMIT_RETRIES
        )
        builder = builder.rate_limiter(limiter)  # type: ignore[arg-type]  # PTB's generics
    application = builder.build()
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    application.run_polling(allowed_updates=tg_app.ALLOWED_UPDATES)
    return 0


def run_unlimited_bot() -> int:
    """Run `python -m bot run` with the overall rate limit switched off."""
    build = build_application

    def unlimited(
        settings: Settings,
        responder: Core,
        delivery: Delivery | None = None,
        state: SharedState | None = None,
        feedback_store: Feedback | None = None,
    ) -> BotApplication:
        delivery = dataclasses.replace(delivery or Delivery(), messages_per_second=0)
        return build(settings, responder, delivery, state, feedback_store)

    tg_serve.build_application = unlimited  # type: ignore[attr-defined]  # run_bot looks it up in its module when called
    return cli.main(["run"])


def main(mode: str) -> int:
    """Run one bot by name."""
    if mode == "echo":
        return run_echo(limited=False)
    if mode == "echo-limited":
        return run_echo(limited=True)
    if mode == "bot-unlimited":
        return run_unlimited_bot()
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1] if len(sys.argv) > 1 else ""))
