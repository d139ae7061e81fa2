"""Settings: read from .env and the environment, validated, the token never shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import DEFAULT_BASE_URL, Settings, SettingsError, load_settings
from bot.testing.constants import TOKEN

SECRET_PART = TOKEN.split(":")[1]


def test_defaults_need_nothing_but_allow_no_token() -> None:
    """An empty environment loads; the token is optional until the bot runs."""
    settings = load_settings({}, None)

    assert settings == Settings()
    assert settings.base_url == DEFAULT_BASE_URL
    assert (settings.webhook_listen, settings.webhook_port) == ("127.0.0.1", 8443)
    assert (settings.log_level, settings.log_user_text) == ("INFO", False)
    assert not settings.has_token
    with pytest.raises(SettingsError, match="TELEGRAM_BOT_TOKEN is not set"):
        settings.require_token()


def test_the_environment_wins_over_the_env_file(tmp_path: Path) -> None:
    """.env fills in; a variable set in the environment overrides it."""
    env_file = tmp_path / ".env"
    env_file.write_text(f"TELEGRAM_BOT_TOKEN={TOKEN}\nLOG_LEVEL=debug\nWEBHOOK_PORT=\n")

    settings = load_settings({"LOG_LEVEL": "WARNING"}, env_file)

    assert settings.require_token() == TOKEN
    assert settings.log_level == "WARNING"
    assert settings.webhook_port == 8443  # empty in .env means "not set"


def test_a_missing_env_file_is_fine() -> None:
    """No .env: the environment alone."""
    assert load_settings({"LOG_LEVEL": "ERROR"}, Path("/nonexistent/.env")).log_level == "ERROR"


@pytest.mark.parametrize(
    "token",
    [
        "abc",
        "123456:short",
        f"{TOKEN}!",
        f"bot{TOKEN}",
        TOKEN.replace(":", ""),
        f" {SECRET_PART}:123",
    ],
)
def test_a_malformed_token_is_one_line_that_never_echoes_it(token: str) -> None:
    """The error names the variable and the expected shape, not the value."""
    with pytest.raises(SettingsError) as caught:
        load_settings({"TELEGRAM_BOT_TOKEN": token}, None)

    message = str(caught.value)
    assert message.startswith("TELEGRAM_BOT_TOKEN is malformed")
    assert "\n" not in message
    assert token.strip() not in message
    assert caught.value.__cause__ is None


def test_repr_and_str_mask_the_token_and_the_webhook_secret() -> None:
    """Printing settings (a log line, a traceback) shows only the bot id."""
    settings = load_settings(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "WEBHOOK_URL": "https://bot.example.com/hook",
            "WEBHOOK_SECRET": "s3cret-value",
        },
        None,
    )

    for shown in (repr(settings), str(settings), f"{settings}"):
        assert SECRET_PART not in shown
        assert "s3cret-value" not in shown
        assert "123456789:***" in shown


@pytest.mark.parametrize(
    ("environ", "error"),
    [
        ({"WEBHOOK_URL": "https://bot.example.com/hook"}, "WEBHOOK_SECRET is required"),
        ({"WEBHOOK_URL": "http://bot.example.com/hook", "WEBHOOK_SECRET": "x"}, "https://"),
        ({"WEBHOOK_URL": "https://x.org/h", "WEBHOOK_SECRET": "has space"}, "WEBHOOK_SECRET"),
        ({"WEBHOOK_URL": "https://x.org/h", "WEBHOOK_SECRET": "a:b"}, "WEBHOOK_SECRET"),
        ({"WEBHOOK_URL": "https://x.org/h", "WEBHOOK_SECRET": "a" * 257}, "WEBHOOK_SECRET"),
        ({"WEBHOOK_PORT": "eighty"}, "WEBHOOK_PORT must be a whole number"),
        ({"WEBHOOK_PORT": "70000"}, "WEBHOOK_PORT must be between"),
        ({"TELEGRAM_BASE_URL": "ftp://example.org/bot"}, "TELEGRAM_BASE_URL"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL must be one of"),
        ({"LOG_USER_TEXT": "maybe"}, "LOG_USER_TEXT must be true or false"),
        ({"CONTENT_DIR": "/nonexistent/content"}, "CONTENT_DIR is not a directory"),
        ({"FLOOD_MAX_MESSAGES": "0"}, "FLOOD_MAX_MESSAGES must be between"),
        ({"FLOOD_WINDOW_SECONDS": "-1"}, "FLOOD_WINDOW_SECONDS must be between"),
        ({"FLOOD_WINDOW_SECONDS": "soon"}, "FLOOD_WINDOW_SECONDS must be a number"),
    ],
)
def test_invalid_settings_stop_with_one_clear_line(environ: dict[str, str], error: str) -> None:
    """Each problem is a SettingsError naming the variable, on one line."""
    with pytest.raises(SettingsError, match=error) as caught:
        load_settings(environ, None)

    assert "\n" not in str(caught.value)


def test_a_complete_webhook_configuration_loads(tmp_path: Path) -> None:
    """All the webhook and tuning settings, parsed."""
    settings = load_settings(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_BASE_URL": "http://127.0.0.1:8081/bot",
            "WEBHOOK_URL": "https://bot.example.com/telegram/hook",
            "WEBHOOK_SECRET": "A-z_0-9",
            "WEBHOOK_LISTEN": "0.0.0.0",  # noqa: S104 - a value under test, nothing binds
            "WEBHOOK_PORT": "88",
            "LOG_LEVEL": "debug",
            "LOG_USER_TEXT": "yes",
            "CONTENT_DIR": str(tmp_path),
            "FLOOD_MAX_MESSAGES": "5",
            "FLOOD_WINDOW_SECONDS": "2.5",
        },
        None,
    )

    assert settings.base_url == "http://127.0.0.1:8081/bot"
    assert (settings.webhook_secret, settings.webhook_port) == ("A-z_0-9", 88)
    assert (settings.log_level, settings.log_user_text) == ("DEBUG", True)
    assert settings.content_dir == tmp_path
    assert (settings.flood_max_messages, settings.flood_window_seconds) == (5, 2.5)


def test_every_setting_is_documented_in_env_example() -> None:
    """Each variable load_settings reads has a line in .env.example, and nothing more."""
    import ast  # noqa: PLC0415 - only this test reads source
    from pathlib import Path  # noqa: PLC0415

    root = Path(__file__).resolve().parents[2]
    tree = ast.parse((root / "bot" / "config.py").read_text(encoding="utf-8"))
    read = {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "get"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }
    lines = (root / ".env.example").read_text(encoding="utf-8").splitlines()
    documented = {line.split("=", 1)[0] for line in lines if line and not line.startswith("#")}
    assert read == documented
