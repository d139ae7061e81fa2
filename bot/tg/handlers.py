"""Thin handlers: narrow PTB's Optionals, make one core call, render, send."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Awaitable, Callable

from telegram import (
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    Message,
    Update,
)
from telegram.constants import ChatType
from telegram.error import Forbidden, InvalidToken, TelegramError
from telegram.ext import ApplicationHandlerStop

from bot import metrics
from bot.core.model import KnowledgeBase, Reply
from bot.state.flood import Verdict
from bot.tg import feedback, render
from bot.tg.audience import question_of
from bot.tg.context import BotContext
from bot.tg.faults import describe, expected
from bot.tg.journal import Callback, log_update, logged
from bot.tg.keyboards import (
    Choice,
    ChooseEntry,
    ChooseTopic,
    NoneOfThese,
    ShowTopics,
    parse_callback,
    reply_keyboard,
    topic_keyboard,
    topics_keyboard,
)
from bot.tg.logs import scrubbed_traceback
from bot.tg.outcome import IGNORED, Outcome

logger = logging.getLogger(__name__)
INLINE_RESULTS = 10  # Telegram allows 50; a few good answers are easier to pick from
INLINE_CACHE_SECONDS = 300  # answers change only when the content does
ANSWER_TEXT_LIMIT = 200  # answerCallbackQuery text
ASK_PRIVATELY = InlineQueryResultsButton("Ask me in a private chat", start_parameter="inline")
Plan = tuple[Outcome, Callable[[], Awaitable[object]]]


async def send_reply(
    context: BotContext, message: Message, reply: Reply, quote: bool = True
) -> Outcome:
    """Render a core reply with its buttons (and feedback buttons, when on) and send it."""
    keyboard, as_reply = reply_keyboard(reply), False
    if context.bot_data.feedback is not None:
        keyboard = feedback.feedback_keyboard(reply, keyboard)
        # Only a reply to a question the user typed can carry it to the authors.
        as_reply = quote and feedback.offers_send(reply)
    pages = render.render_reply(reply)
    await context.outbox.send(message, pages, keyboard, quote, as_reply=as_reply)
    return Outcome.of(reply)


@logged
async def start(update: Update, context: BotContext) -> Outcome:
    """Welcome the user, or answer the entry a deep link (/start <entry id>) names."""
    message = update.effective_message
    if message is None:
        return IGNORED
    if context.args and (reply := context.core.reply_to_entry(context.args[0])) is not None:
        await remember(context, message, reply)
        return await send_reply(context, message, reply)
    knowledge_base = context.knowledge_base
    pages = render.welcome_page(knowledge_base)
    await context.outbox.send(message, pages, topics_keyboard(knowledge_base))
    return Outcome("welcome")


def page(kind: str, content: Callable[[KnowledgeBase], list[str]]) -> Callback:
    """Return a handler that sends one fixed page, such as /help or /privacy."""

    @logged
    async def send_page(update: Update, context: BotContext) -> Outcome:
        message = update.effective_message
        if message is None:
            return IGNORED
        await context.outbox.send(message, content(context.knowledge_base))
        return Outcome(kind)

    return send_page


@logged
async def topics(update: Update, context: BotContext) -> Outcome:
    """List the topics as buttons."""
    message = update.effective_message
    if message is None:
        return IGNORED
    keyboard = topics_keyboard(context.knowledge_base)
    await context.outbox.send(message, [render.TOPICS_PROMPT], keyboard)
    return Outcome("topics")


@logged
async def question(update: Update, context: BotContext) -> Outcome:
    """Answer a question: whatever text the user sent (minus mentions of the bot)."""
    message = update.effective_message
    if message is None or message.text is None:
        return IGNORED
    last = await context.memory.last_entry(message.chat_id)
    reply = context.core.reply(question_of(message), last)
    await remember(context, message, reply)
    return await send_reply(context, message, reply)


async def remember(context: BotContext, message: Message, reply: Reply) -> None:
    """Keep the answered entry (its id, never text) as the chat's context for follow-ups."""
    if reply.remember is not None:
        await context.memory.remember(message.chat_id, reply.remember)


@logged
async def button(update: Update, context: BotContext) -> Outcome:
    """Act on a tapped button; a forged or stale payload gets a polite notice."""
    query = update.callback_query
    if query is None:
        return IGNORED
    message = query.message if isinstance(query.message, Message) else None
    plan = None if message is None else _plan(parse_callback(query.data), message, context)
    if plan is None:
        await query.answer(context.knowledge_base.texts.stale_button[:ANSWER_TEXT_LIMIT])
        return Outcome("stale_button")
    outcome, act = plan
    await query.answer()  # first, so the client stops its spinner
    await act()
    return outcome


def _plan(choice: Choice, message: Message, context: BotContext) -> Plan | None:
    """Return what a choice leads to and how to carry it out; None if it leads nowhere."""
    knowledge_base, outbox = context.knowledge_base, context.outbox
    match choice:
        case ChooseEntry(entry_id) if reply := context.core.reply_to_entry(entry_id):

            async def answer() -> Outcome:
                await remember(context, message, reply)
                return await send_reply(context, message, reply, quote=False)

            return Outcome.of(reply), answer
        case ChooseTopic(index) if questions := topic_keyboard(knowledge_base, index):
            text = render.topic_page(knowledge_base, index)
            return Outcome("topic"), lambda: outbox.edit(message, text, questions)
        case ShowTopics():
            keyboard = topics_keyboard(knowledge_base)
            return Outcome("topics"), lambda: outbox.edit(message, render.TOPICS_PROMPT, keyboard)
        case NoneOfThese():
            pages = render.render_page(knowledge_base.texts.none_of_these)
            keyboard = topics_keyboard(knowledge_base)
            asked = message.reply_to_message
            if context.bot_data.feedback is not None and asked is not None:
                # A reply to the user's question again, so "send" below can read it.
                keyboard = feedback.send_keyboard(keyboard)
                reply_to = asked
                return Outcome("none_of_these"), lambda: outbox.send(
                    reply_to, pages, keyboard, as_reply=True
                )
            send = outbox.send
            return Outcome("none_of_these"), lambda: send(message, pages, keyboard, quote=False)
    return None


@logged
async def inline_query(update: Update, context: BotContext) -> Outcome:
    """Offer answers to share in any chat (`@bot question`), each with the disclaimer."""
    query = update.inline_query
    if query is None:
        return IGNORED
    asked = query.query.strip()
    replies = context.core.candidates(asked, limit=INLINE_RESULTS) if asked else ()
    results = [_inline_result(str(n), r, context.knowledge_base) for n, r in enumerate(replies)]
    await query.answer(results, cache_time=INLINE_CACHE_SECONDS, button=ASK_PRIVATELY)
    return Outcome("inline", replies[0].entry_id if replies else None)


def _inline_result(
    result_id: str, reply: Reply, knowledge_base: KnowledgeBase
) -> InlineQueryResultArticle:
    entry = knowledge_base.entry(reply.entry_id or "")
    title = entry.title if entry is not None else reply.body.split("\n", 1)[0][:100]
    return InlineQueryResultArticle(
        result_id,
        title,
        InputTextMessageContent(render.render_single(reply)),
        description=reply.body[:120],
    )


@logged
async def ignore(update: Update, context: BotContext) -> Outcome:
    """Log an update no other handler wanted (group chatter, edits, service messages)."""
    return IGNORED


async def limit_flood(update: Update, context: BotContext) -> None:
    """Stop a private chat's messages over the per-user limit; say so once."""
    started = time.perf_counter()
    message, user = update.message, update.effective_user
    if message is None or user is None or message.chat.type != ChatType.PRIVATE:
        return
    verdict = await context.bot_data.flood.check(user.id)
    if verdict is Verdict.ALLOW:
        return
    metrics.FLOOD_DROPS.inc()
    if verdict is Verdict.WARN:
        slow_down = render.render_page(context.knowledge_base.texts.slow_down)
        await context.outbox.send(message, slow_down)
    log_update(update, Outcome(f"flood_{verdict.value}"), started, with_text=False)
    raise ApplicationHandlerStop


async def on_error(update: object, context: BotContext) -> None:
    """Log an error (never the user's text) and apologise to the user when there is one."""
    error = context.error
    reason = "-" if error is None else f"{type(error).__name__}: {describe(error)}"
    if not isinstance(update, Update):
        logger.warning("Bot API problem: %s", reason)
        return
    if isinstance(error, InvalidToken):
        return  # the transport saw the 401 and stops the bot, with one line of its own
    if isinstance(error, Forbidden):
        logger.info("update=%s chat unreachable (blocked or kicked); skipped", update.update_id)
        return
    if expected(error):  # the network's weather: one line, no traceback
        logger.error("update=%s failed: %s", update.update_id, reason)
    else:  # a bug: the frames, with every message withheld (it can quote the user)
        trace = scrubbed_traceback(error) if error is not None else "-"
        logger.error("update=%s failed: %s\n%s", update.update_id, type(error).__name__, trace)
    apology = render.render_page(context.knowledge_base.texts.error)[0]
    if update.callback_query is not None:
        with contextlib.suppress(TelegramError):  # it may have been answered already
            await update.callback_query.answer()
    if update.effective_chat is not None:
        with contextlib.suppress(TelegramError):
            await update.effective_chat.send_message(apology)
