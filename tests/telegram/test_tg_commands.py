"""Every command is in /help, in the command menu, and in README.md's command table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.core import Responder
from bot.privacy import privacy_text
from bot.testing.harness import Harness
from bot.tg.commands import COMMANDS

README = Path(__file__).resolve().parents[2] / "README.md"
# A row of the README's command table: | `/name` | what it does |
README_ROW = re.compile(r"^\|\s*`?/([a-z0-9_]+)`?\s*\|", re.MULTILINE)


def readme_commands(text: str) -> set[str]:
    """Return the commands listed in a Markdown table of the README."""
    return set(README_ROW.findall(text))


def test_commands_are_valid_for_the_bot_api() -> None:
    """1-32 of a-z0-9_, a description of 1-256 characters, names unique."""
    names = [command.name for command in COMMANDS]
    assert len(names) == len(set(names))
    for command in COMMANDS:
        assert re.fullmatch(r"[a-z0-9_]{1,32}", command.name)
        assert 1 <= len(command.description) <= 256


async def test_every_command_is_in_help_and_in_the_menu_set_at_start_up(bot: Harness) -> None:
    """setMyCommands (sent at start-up) and /help both list exactly COMMANDS."""
    [menu] = bot.fake.calls_to("setMyCommands")
    expected = [(c.name, c.description) for c in COMMANDS]
    assert expected == [(c["command"], c["description"]) for c in menu.params["commands"]]

    shown = await bot.ask("/help")
    assert {c.name for c in COMMANDS} == set(re.findall(r"^/([a-z0-9_]+) - ", shown.text, re.M))


def test_every_command_is_in_the_readme() -> None:
    """README.md's command table lists exactly the bot's commands."""
    assert {c.name for c in COMMANDS} == readme_commands(README.read_text(encoding="utf-8"))


def test_the_readme_table_parser_reads_a_command_table() -> None:
    """The parser above finds `/name` rows and ignores the header and prose."""
    table = "Use /start.\n\n| Command | Does |\n|---|---|\n| `/start` | Hi |\n| /help | Help |\n"
    assert {"start", "help"} == readme_commands(table)


@pytest.mark.parametrize("command", ["about", "disclaimer", "privacy"])
async def test_each_information_command_shows_its_text(
    bot: Harness, responder: Responder, command: str
) -> None:
    """/about cites the article; /disclaimer and /privacy show their texts."""
    kb = responder.kb
    article = kb.article
    expected = {
        "about": [article.title, article.author, article.publisher, str(article.year)],
        "disclaimer": [kb.texts.disclaimer],
        "privacy": [privacy_text(kb.texts.privacy, bot.application.bot_data.settings)],
    }[command]

    exchange = await bot.ask(f"/{command}")

    assert exchange.outcome["kind"] == command
    assert all(part in exchange.text for part in expected)
