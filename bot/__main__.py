"""`python -m bot`: load settings and content, then run the chosen command."""

from bot.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
