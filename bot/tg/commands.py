"""The bot's commands: one list feeds the command menu (set_my_commands) and /help."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import BotCommand


@dataclass(frozen=True, slots=True)
class Command:
    """A command the bot answers, as it appears in the menu and in /help."""

    name: str
    description: str


COMMANDS: tuple[Command, ...] = (
    Command("start", "Welcome, what I can answer, and the topics"),
    Command("help", "How to ask, and the list of commands"),
    Command("topics", "Browse every question I can answer, by topic"),
    Command("about", "The article my answers come from"),
    Command("disclaimer", "Why my answers are not medical advice"),
    Command("privacy", "What I keep about you, and for how long"),
    Command("forget", "Delete my votes and the questions I sent"),
)


def menu() -> list[BotCommand]:
    """Return the commands for set_my_commands."""
    return [BotCommand(command.name, command.description) for command in COMMANDS]
