"""The Telegram adapter: python-telegram-bot over the pure core, and nothing else."""
