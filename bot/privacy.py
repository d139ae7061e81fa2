"""The /privacy text with the figures the settings decide, so it never states a stale one."""

from __future__ import annotations

from bot.config import Settings

PLACEHOLDERS = ("{context_minutes}", "{retention_days}")


def privacy_text(template: str, settings: Settings) -> str:
    """Return the privacy text with the memory time and the retention period filled in."""
    minutes = settings.context_ttl_seconds / 60
    shown = f"{minutes:.0f}" if minutes >= 1 else f"{minutes:.1f}"
    return template.replace("{context_minutes}", shown).replace(
        "{retention_days}", str(settings.misses_retention_days)
    )
