"""Feedback in Telegram: 👍/👎 under answers, "Send this question to the authors", /forget.

How a consented question reaches the authors without the bot keeping it before consent:
a reply that offers the button is sent as a reply to the user's message, so the button's
callback query carries the bot's message and, in its `reply_to_message`, the user's own
words. Nothing is held in memory or storage until the button is pressed (docs/authors.md).
Payloads: "v:+:<entry id>" and "v:-:<entry id>" vote, "send" and "send:none" consent.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot.core.model import Reply, ReplyKind
from bot.storage.feedback import MISS_KINDS
from bot.tg import render
from bot.tg.audience import question_of
from bot.tg.context import BotContext
from bot.tg.journal import logged
from bot.tg.keyboards import fits
from bot.tg.outcome import IGNORED, Outcome

VOTE = "v:"
UP, DOWN = "+", "-"
SEND = "send"
SEND_AFTER_NONE = "send:none"  # pressed under "None of these": the user refused every option
VOTE_PATTERN = r"^v:[+-]:"
SEND_PATTERN = r"^send(:none)?$"
UP_LABEL, DOWN_LABEL = "👍", "👎"
SEND_LABEL = "Send this question to the authors"
THANKS = "Thanks for the feedback!"
SENT = "Sent to the authors, thank you. /forget deletes it."
NOT_SENT = "Only the person who asked can send this question."
NOTHING_TO_SEND = "There is no question here to send."


def offers_send(reply: Reply) -> bool:
    """Say whether the bot could not answer, so the user may send the question on."""
    return reply.kind in MISS_KINDS


def feedback_keyboard(
    reply: Reply, keyboard: InlineKeyboardMarkup | None
) -> InlineKeyboardMarkup | None:
    """Return keyboard with a vote row under an answer, or the send button under a miss."""
    rows: list[Sequence[InlineKeyboardButton]] = []
    if keyboard is not None:
        rows += keyboard.inline_keyboard
    if reply.kind is ReplyKind.ANSWER and reply.entry_id and fits(f"{VOTE}{UP}:{reply.entry_id}"):
        rows.append(
            [
                InlineKeyboardButton(UP_LABEL, callback_data=f"{VOTE}{UP}:{reply.entry_id}"),
                InlineKeyboardButton(DOWN_LABEL, callback_data=f"{VOTE}{DOWN}:{reply.entry_id}"),
            ]
        )
    elif offers_send(reply):
        rows.append([InlineKeyboardButton(SEND_LABEL, callback_data=SEND)])
    return InlineKeyboardMarkup(rows) if rows else None


def send_keyboard(keyboard: InlineKeyboardMarkup) -> InlineKeyboardMarkup:
    """Return keyboard with the send button first (under "None of these")."""
    send = [InlineKeyboardButton(SEND_LABEL, callback_data=SEND_AFTER_NONE)]
    return InlineKeyboardMarkup([send, *keyboard.inline_keyboard])


@logged
async def vote(update: Update, context: BotContext) -> Outcome:
    """Store a 👍 or 👎 on the entry the answer came from; a second vote replaces the first."""
    query, feedback = update.callback_query, context.bot_data.feedback
    if query is None or feedback is None or not isinstance(query.data, str):
        return IGNORED
    sign, _, entry_id = query.data.removeprefix(VOTE).partition(":")
    if context.knowledge_base.entry(entry_id) is None:  # forged, or an entry since removed
        await query.answer(context.knowledge_base.texts.stale_button[:200])
        return Outcome("stale_button")
    feedback.vote(query.from_user.id, entry_id, up=sign == UP)
    await query.answer(THANKS)
    return Outcome("vote_up" if sign == UP else "vote_down", entry_id)


@logged
async def send_question(update: Update, context: BotContext) -> Outcome:
    """Store the question this button is under, now that its author asked for it."""
    query, feedback = update.callback_query, context.bot_data.feedback
    if query is None or feedback is None:
        return IGNORED
    message = query.message if isinstance(query.message, Message) else None
    asked = message.reply_to_message if message is not None else None
    if asked is None or asked.text is None or asked.from_user is None:
        await query.answer(NOTHING_TO_SEND)
        return Outcome("send_refused")
    if asked.from_user.id != query.from_user.id:  # in a group: someone else's question
        await query.answer(NOT_SENT)
        return Outcome("send_refused")
    question = question_of(asked)
    # The reply is decided again from the words themselves: a forged or edited payload
    # cannot get a safety-routed or answered message stored.
    reply = context.core.reply(question)
    if not feedback.send_miss(
        query.from_user.id, question, reply, none_of_these=query.data == SEND_AFTER_NONE
    ):
        await query.answer(NOTHING_TO_SEND)
        return Outcome("send_refused", rule=reply.rule)
    await query.answer(SENT)
    await _drop_send_button(message)
    return Outcome("send_question")


@logged
async def forget(update: Update, context: BotContext) -> Outcome:
    """Delete the user's votes and sent questions, and this chat's conversation memory."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return IGNORED
    await context.bot_data.memory.forget(message.chat_id)
    feedback = context.bot_data.feedback
    done = True if feedback is None else await feedback.forget(user.id)
    texts = context.knowledge_base.texts
    await context.outbox.send(
        message, render.render_page(texts.forgotten if done else texts.forget_failed)
    )
    return Outcome("forget" if done else "forget_failed")


async def _drop_send_button(message: Message | None) -> None:
    """Take the send button away once pressed (best effort: the row is stored once anyway)."""
    if message is None or message.reply_markup is None:
        return
    rows = [
        row
        for row in message.reply_markup.inline_keyboard
        if not any(b.callback_data in {SEND, SEND_AFTER_NONE} for b in row)
    ]
    try:
        await message.edit_reply_markup(InlineKeyboardMarkup(rows))
    except BadRequest:  # too old to edit, or already edited
        return
