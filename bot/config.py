"""Settings read once at the edge: `.env` (python-dotenv), then the environment, validated."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from dotenv import dotenv_values

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("text", "json")
# Telegram chat ids: users are positive, groups and channels negative (-100... for supergroups).
CHAT_ID_RANGE = (-(10**15), 10**15)
# The shape BotFather hands out: bot id, colon, a long secret part.
TOKEN_PATTERN = re.compile(r"^\d+:[A-Za-z0-9_-]{30,}$")
# What Telegram accepts as the X-Telegram-Bot-Api-Secret-Token header.
SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})
# Never shown by repr: secrets, and URLs that may carry a password.
_HIDDEN = frozenset({"token", "webhook_secret", "redis_url", "database_url", "feedback_secret"})

T = TypeVar("T")


class SettingsError(ValueError):
    """A setting is missing or invalid; the message is one line and never holds the token."""


def mask_token(token: str | None) -> str:
    """Return the token as safe to show: the bot id only."""
    if not token:
        return "<no token>"
    return f"{token.split(':', 1)[0]}:***"


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the bot reads from its environment, validated."""

    token: str | None = field(default=None, repr=False)
    base_url: str = DEFAULT_BASE_URL
    webhook_url: str | None = None
    webhook_secret: str | None = field(default=None, repr=False)
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    log_level: str = "INFO"
    log_user_text: bool = False
    content_dir: Path | None = None
    flood_max_messages: int = 8
    flood_window_seconds: float = 10.0
    redis_url: str | None = field(default=None, repr=False)
    context_ttl_seconds: float = 600.0
    database_url: str | None = field(default=None, repr=False)
    state_dir: Path = Path("state")
    feedback: bool = True
    feedback_secret: str | None = field(default=None, repr=False)
    misses_retention_days: int = 30
    log_format: str = "text"
    metrics_listen: str = "127.0.0.1"
    metrics_port: int | None = None
    ops_chat_id: int | None = None

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{name}={getattr(self, name)!r}"
            for name in self.__dataclass_fields__
            if name not in _HIDDEN
        )
        return f"Settings(token={mask_token(self.token)!r}, {shown})"

    @property
    def has_token(self) -> bool:
        """Say whether a bot token is configured."""
        return self.token is not None

    def require_token(self) -> str:
        """Return the token, or raise SettingsError when none is configured."""
        if self.token is None:
            raise SettingsError(
                "TELEGRAM_BOT_TOKEN is not set: put the token from @BotFather in .env"
            )
        return self.token


def load_settings(environ: Mapping[str, str], env_file: Path | None = None) -> Settings:
    """Read `.env` (when given and present), let the environment win, and validate."""
    values: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    values.update(environ)
    # An empty value (`WEBHOOK_URL=` in .env) means "not set".
    present = {k: v.strip() for k, v in values.items() if v.strip()}
    get = present.get
    webhook_url = _optional(get("WEBHOOK_URL"), _https_url("WEBHOOK_URL"))
    webhook_secret = _optional(get("WEBHOOK_SECRET"), _secret)
    if webhook_url is not None and webhook_secret is None:
        raise SettingsError("WEBHOOK_SECRET is required when WEBHOOK_URL is set")
    return Settings(
        token=_optional(get("TELEGRAM_BOT_TOKEN"), _token),
        base_url=_http_url("TELEGRAM_BASE_URL", get("TELEGRAM_BASE_URL", DEFAULT_BASE_URL)),
        webhook_url=webhook_url,
        webhook_secret=webhook_secret,
        webhook_listen=get("WEBHOOK_LISTEN", "127.0.0.1"),
        webhook_port=_int("WEBHOOK_PORT", get("WEBHOOK_PORT", "8443"), 1, 65535),
        log_level=_log_level(get("LOG_LEVEL", "INFO")),
        log_user_text=_bool("LOG_USER_TEXT", get("LOG_USER_TEXT", "false")),
        content_dir=_optional(get("CONTENT_DIR"), _directory),
        flood_max_messages=_int("FLOOD_MAX_MESSAGES", get("FLOOD_MAX_MESSAGES", "8"), 1, 10_000),
        flood_window_seconds=_seconds("FLOOD_WINDOW_SECONDS", get("FLOOD_WINDOW_SECONDS", "10")),
        log_format=_log_format(get("LOG_FORMAT", "text")),
        metrics_listen=get("METRICS_LISTEN", "127.0.0.1"),
        metrics_port=_optional(
            get("METRICS_PORT"), lambda raw: _int("METRICS_PORT", raw, 1, 65535)
        ),
        ops_chat_id=_optional(
            get("OPS_CHAT_ID"), lambda raw: _int("OPS_CHAT_ID", raw, *CHAT_ID_RANGE)
        ),
        **_shared_state(present, values),
    )


def _shared_state(present: dict[str, str], values: Mapping[str, str]) -> dict[str, Any]:
    """Read the settings of storage (votes, misses) and of state shared by replicas."""
    get = present.get
    database_url = _optional(get("DATABASE_URL"), _database_url)
    feedback_secret = get("FEEDBACK_SECRET")
    if feedback_secret is not None and len(feedback_secret) < 16:
        raise SettingsError("FEEDBACK_SECRET must be at least 16 characters")
    if feedback_secret is None and database_url and database_url.startswith("postgres"):
        raise SettingsError(
            "FEEDBACK_SECRET is required with a PostgreSQL DATABASE_URL: every replica "
            "must hash users with the same secret"
        )
    return {
        "redis_url": _optional(get("REDIS_URL"), _redis_url),
        "context_ttl_seconds": _seconds("CONTEXT_TTL_SECONDS", get("CONTEXT_TTL_SECONDS", "600")),
        "database_url": database_url,
        "state_dir": Path(get("STATE_DIR") or default_state_dir(values)).expanduser(),
        "feedback": _bool("FEEDBACK", get("FEEDBACK", "true")),
        "feedback_secret": feedback_secret,
        "misses_retention_days": _int(
            "MISSES_RETENTION_DAYS", get("MISSES_RETENTION_DAYS", "30"), 1, 3650
        ),
    }


def default_state_dir(environ: Mapping[str, str]) -> Path:
    """Return systemd's $STATE_DIRECTORY (StateDirectory=) when set, else ./state."""
    # systemd lists several directories separated by colons: the first is ours.
    first = environ.get("STATE_DIRECTORY", "").split(":")[0].strip()
    return Path(first) if first else Path("state")


def _redis_url(raw: str) -> str:
    if urlsplit(raw).scheme not in {"redis", "rediss", "unix"}:
        raise SettingsError("REDIS_URL must be a redis://, rediss:// or unix:// URL")
    return raw


def _database_url(raw: str) -> str:
    scheme = urlsplit(raw).scheme
    if not (scheme.startswith(("sqlite", "postgresql")) or scheme == "postgres"):
        raise SettingsError("DATABASE_URL must be a sqlite:/// or postgresql:// URL")
    return raw


def _optional(raw: str | None, parse: Callable[[str], T]) -> T | None:
    return None if raw is None else parse(raw)


def _token(raw: str) -> str:
    if not TOKEN_PATTERN.fullmatch(raw):
        # Never echo the value: a near-miss is still mostly a secret.
        raise SettingsError(
            "TELEGRAM_BOT_TOKEN is malformed: expected <digits>:<30+ of A-Za-z0-9_-> "
            "as given by @BotFather"
        )
    return raw


def _secret(raw: str) -> str:
    if not SECRET_PATTERN.fullmatch(raw):
        raise SettingsError("WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ or -")
    return raw


def _http_url(name: str, raw: str) -> str:
    parts = urlsplit(raw)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise SettingsError(f"{name} must be an http(s) URL")
    return raw


def _https_url(name: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        parts = urlsplit(raw)
        if parts.scheme != "https" or not parts.netloc:
            raise SettingsError(f"{name} must be an https:// URL (Telegram requires HTTPS)")
        return raw

    return parse


def _int(name: str, raw: str, low: int, high: int) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None
    if not low <= value <= high:
        raise SettingsError(f"{name} must be between {low} and {high}, got {value}")
    return value


def _seconds(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from None
    if not 0 < value <= 86_400:
        raise SettingsError(f"{name} must be between 0 and 86400, got {raw}")
    return value


def _bool(name: str, raw: str) -> bool:
    if raw.lower() in _TRUE:
        return True
    if raw.lower() in _FALSE:
        return False
    raise SettingsError(f"{name} must be true or false, got {raw!r}")


def _log_level(raw: str) -> str:
    if raw.upper() not in LOG_LEVELS:
        raise SettingsError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {raw!r}")
    return raw.upper()


def _log_format(raw: str) -> str:
    if raw.lower() not in LOG_FORMATS:
        raise SettingsError(f"LOG_FORMAT must be text or json, got {raw!r}")
    return raw.lower()


def _directory(raw: str) -> Path:
    path = Path(raw).expanduser()
    if not path.is_dir():
        raise SettingsError(f"CONTENT_DIR is not a directory: {raw}")
    return path
