"""Measure the figures in docs/reliability.md: faults, restarts, flood, hostile input, webhook.

Usage (from the repository root): .venv/bin/python -m bench.reliability

Every figure is counted by running the scenario the tests run (bot/testing/: fault_run,
restart_run, webhook_abuse, hostile_inputs) against the fake Bot API on
127.0.0.1: what reached users is read from the fake server's record, what the bot did from
its logs. Nothing leaves the machine. Takes about 8 minutes (bench/backpressure.py's
full-size runs are most of it).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from bench import backpressure
from bot.config import load_settings
from bot.core import ReplyKind, Responder, load_knowledge_base
from bot.testing import fake_updates
from bot.testing.constants import FAST, TOKEN
from bot.testing.fake_bot_api import FakeBotApi
from bot.testing.fault_run import run_faults
from bot.testing.harness import Harness, polling
from bot.testing.hostile_inputs import SAME_AS, corpus, is_blank, stdin_lines
from bot.testing.hostile_inputs import ask_json as run_ask_json
from bot.testing.html_checks import assert_valid_html, utf16_length
from bot.testing.restart_run import RestartPlan, run_restarts
from bot.testing.traffic import recording_logs
from bot.testing.webhook_abuse import ABUSES, MARKER, WITH_SECRET, Abuse, send, webhook_bot
from bot.testing.webhook_attack import run_attack
from bot.testing.webhook_restart import WebhookRestartPlan, run_webhook_restarts
from bot.tg.app import build_application

ROOT = Path(__file__).resolve().parents[1]
PROPERTY_TESTS = ("tests/content/test_core_properties.py", "tests/telegram/test_tg_properties.py")


TWO_KILLS = RestartPlan(stops=(signal.SIGKILL, signal.SIGKILL), users=300)
WEBHOOK_RUN = WebhookRestartPlan(users=300)


def attack() -> list[str]:
    """The red-team's attack on the webhook: ulimit -n 128, 300 half-open connections."""
    with FakeBotApi(TOKEN) as fake:
        return run_attack(fake).lines()


def main() -> int:
    """Run every scenario and print its figures as Markdown."""
    responder = Responder(load_knowledge_base())
    started = time.monotonic()
    sections = [
        ("Faults from the Bot API", asyncio.run(run_faults(responder)).lines()),
        ("Restarts: SIGTERM mid-burst", run_restarts(responder).lines()),
        ("Restarts: two SIGKILLs mid-burst", run_restarts(responder, TWO_KILLS).lines()),
        ("Webhook restarts", run_webhook_restarts(responder, WEBHOOK_RUN).lines()),
        ("Webhook at its open-files limit", attack()),
        *backpressure.sections(responder),
        ("Flood from one user", asyncio.run(flood(responder))),
        ("Hostile input", hostile(responder) + asyncio.run(hostile_telegram(responder))),
        ("Property tests (hypothesis)", properties()),
        ("Webhook abuse", asyncio.run(webhook(responder))),
    ]
    for title, lines in sections:
        print(f"### {title}\n")
        print("\n".join(f"- {line}" for line in lines), end="\n\n")
    print(f"total: {time.monotonic() - started:.0f} s, python {sys.version.split()[0]}")
    return 0


async def flood(responder: Responder) -> list[str]:
    """One user sends 40 messages in one burst (limit 8 per 60 s); another user asks 5."""
    with FakeBotApi(TOKEN) as fake, recording_logs() as logs:
        environ = {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_BASE_URL": fake.base_url,
            "FLOOD_MAX_MESSAGES": "8",
            "FLOOD_WINDOW_SECONDS": "60",
        }
        application = build_application(load_settings(environ, None), responder, FAST)
        async with polling(application):
            bot = Harness(fake, logs, application)
            flooder = [
                fake_updates.message(f"what is leaky gut {n}", chat_id=61, user_id=61)
                for n in range(40)
            ]
            others = [
                fake_updates.message("what is leaky gut", chat_id=62, user_id=62) for _ in range(5)
            ]
            updates = [
                {"message": m} for pair in zip(flooder[::8], others, strict=True) for m in pair
            ]
            updates += [{"message": m} for n, m in enumerate(flooder) if n % 8]
            kinds = Counter(
                line["kind"] for line in await bot.outcomes([fake.push(u) for u in updates])
            )
        to_flooder = fake.delivered_to("sendMessage", chat_id=61)
        notices = sum(call.text == responder.kb.texts.slow_down for call in to_flooder)
        return [
            "40 messages from one user in one burst, limit 8 per 60 s: "
            f"{len(to_flooder) - notices} answered, {notices} slow-down notice, "
            f"{kinds['flood_drop']} dropped without a reply",
            f"another user, 5 questions during the burst: "
            f"{len(fake.delivered_to('sendMessage', chat_id=62))} answered",
        ]


def hostile(responder: Responder) -> list[str]:
    """Run the corpus through the core and through one `ask --json` process."""
    inputs = corpus()
    texts = responder.kb.texts
    raised, blank_ok, same_ok = [], 0, 0
    for hostile_input in inputs:
        try:
            reply = responder.reply(hostile_input.text)
        except Exception as error:  # any exception at all is what is being counted
            raised.append(type(error).__name__)
            continue
        blank_ok += is_blank(hostile_input.text) and (reply.kind, reply.body) == (
            ReplyKind.FALLBACK,
            texts.empty,
        )
        if hostile_input.text in SAME_AS:
            plain = responder.reply(SAME_AS[hostile_input.text])
            same_ok += (reply.kind, reply.entry_id, reply.rule) == (
                plain.kind,
                plain.entry_id,
                plain.rule,
            )
    categories = Counter(h.category for h in inputs)
    lines = [
        f"corpus: {len(inputs)} inputs in {len(categories)} categories, "
        f"{sum(len(h.text) > 4096 for h in inputs)} longer than 4096 characters",
        f"core: {len(inputs)} inputs, {len(raised)} raised; nothing readable -> 'I got nothing' "
        f"{blank_ok}/{sum(is_blank(h.text) for h in inputs)}; noise around a question -> the "
        f"question's reply {same_ok}/{len(SAME_AS)}",
    ]
    return lines + ask_json(responder, [h.text for h in inputs if h.utf8_safe], len(inputs))


def ask_json(responder: Responder, inputs: list[str], total: int) -> list[str]:
    """Feed the inputs to one `python -m bot ask --json`; compare with the core."""
    questions = [line for text in inputs for line in stdin_lines(text)]
    result = run_ask_json(inputs)
    replies = [json.loads(line) for line in result.stdout.splitlines()]
    same = sum(
        (reply["question"], reply["text"]) == (question, responder.reply(question).text)
        for reply, question in zip(replies, questions, strict=False)
    )
    return [
        f"`ask --json`: {len(inputs)} inputs ({total - len(inputs)} lone surrogates cannot be "
        f"written as UTF-8) = {len(questions)} stdin lines, one process: exit "
        f"{result.returncode}, {len(replies)} JSON lines, {same} identical to the core's reply, "
        f"stderr {len(result.stderr)} bytes"
    ]


async def hostile_telegram(responder: Responder) -> list[str]:
    """Send the corpus as messages (one user each), inline queries and button payloads."""
    inputs = [h.text for h in corpus()]
    with FakeBotApi(TOKEN) as fake, recording_logs() as logs:
        environ = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": fake.base_url}
        application = build_application(load_settings(environ, None), responder, FAST)
        async with polling(application):
            bot = Harness(fake, logs, application)
            users = range(30_000, 30_000 + len(inputs))
            messages = [
                fake_updates.message(t, chat_id=u, user_id=u)
                for t, u in zip(inputs, users, strict=True)
            ]
            kinds = Counter(
                line["kind"] for line in await bot.send_many([{"message": m} for m in messages])
            )
            queries = [{"inline_query": fake_updates.inline_query(t[:256])} for t in inputs]
            kinds += Counter(line["kind"] for line in await bot.send_many(queries))
            payloads = {
                t.encode("utf-8", "ignore")[:64].decode(errors="ignore") for t in inputs
            } - {""}
            taps = [
                {"callback_query": fake_updates.callback_query(p, bot.bot_user)}
                for p in sorted(payloads)
            ]
            kinds += Counter(line["kind"] for line in await bot.send_many(taps))
        sent = [call.text for call in fake.delivered_to("sendMessage")]
        results = [
            result["input_message_content"]["message_text"]
            for call in fake.calls_to("answerInlineQuery")
            for result in call.params["results"]
        ]
        answered = len({call.chat_id for call in fake.delivered_to("sendMessage")})
        leaked = logs.leaked([*inputs, TOKEN.split(":")[1]])
        errors = len(logs.messages(logging.ERROR))
    bad = [page for page in sent + results if not sendable(page)]
    return [
        f"Telegram: {len(inputs)} messages from {len(inputs)} users, answered: {answered} "
        f"(the empty text gets no reply; Telegram never delivers one); "
        f"{len(inputs)} inline queries, {len(fake.calls_to('answerInlineQuery'))} answered; "
        f"{len(taps)} forged button payloads, {len(fake.calls_to('answerCallbackQuery'))} answered",
        f"Telegram: {len(sent)} messages and {len(results)} inline results sent, "
        f"{len(bad)} not valid HTML within 4096 characters "
        f"(longest {max(map(utf16_length, sent + results))}); kinds logged: "
        + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())),
        f"Telegram: errors logged {errors}, user texts or token in the logs {len(leaked)}",
    ]


def sendable(text: str) -> bool:
    """Say whether a message is valid Telegram HTML within 4096 characters."""
    try:
        assert_valid_html(text)
    except AssertionError:
        return False
    return 0 < utf16_length(text) <= 4096


def properties() -> list[str]:
    """Run the hypothesis tests and report how many examples each passed."""
    result = subprocess.run(  # noqa: S603 - our own interpreter running pytest
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--hypothesis-show-statistics",
            *PROPERTY_TESTS,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    names = re.findall(r"::(test_\w+):$", result.stdout, re.MULTILINE)
    passing = re.findall(r"(\d+) passing, (\d+) failing", result.stdout)
    lines = [
        f"{name}: {ok} examples passed, {bad} failed"
        for name, (ok, bad) in zip(names, passing, strict=False)
    ]
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else "no output"
    return [*lines, f"pytest: {summary}"]


async def webhook(responder: Responder) -> list[str]:
    """Send every abusive request, then a good update: is it still answered?"""
    with FakeBotApi(TOKEN) as fake, recording_logs() as logs:
        async with webhook_bot(fake, responder) as url:
            statuses = {abuse.name: await send(url, abuse) for abuse in ABUSES}
            update = {
                "update_id": fake.next_update_id(),
                "message": fake_updates.message("what is leaky gut"),
            }
            good = await send_update(url, update)
            await fake.wait_for("sendMessage", seconds=30)
        leaked = logs.leaked([MARKER, TOKEN.split(":")[1]])
    lines = [f"{name}: {status}" for name, status in statuses.items()]
    lines.append(
        f"then a good update with the secret: {good}, answered: {bool(fake.delivered_to())}"
    )
    lines.append(f"user text, token or secret in the logs: {len(leaked)}")
    return lines


async def send_update(url: str, update: dict[str, object]) -> int:
    """POST a well-formed update with the secret, as Telegram does."""
    return await send(url, Abuse("good", 200, json.dumps(update).encode(), dict(WITH_SECRET)))


if __name__ == "__main__":
    raise SystemExit(main())
