"""The bot's content, shipped as package data: read it through `bot.core.loader`."""
