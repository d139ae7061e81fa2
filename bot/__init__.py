"""A Telegram bot that answers questions about L-glutamine and leaky gut from one article."""

__version__ = "0.1.0"
