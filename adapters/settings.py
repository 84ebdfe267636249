"""Settings read once, at the edge, from the environment. The core never reads os.environ.

Both chat adapters build their settings object here-style: every problem collected, then one
`SettingsError` whose message says how to fix each (never a secret's value).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from bot.ratelimit import RateLimit
from facts.errors import FactbotError


class SettingsError(FactbotError):
    """The environment does not describe a runnable bot; the message says how to fix it.
    The one settings error of every adapter (Slack, Discord, the HTTP server)."""


def default_db_path(env: Mapping[str, str] | None = None) -> Path:
    """$FACTBOT_DB, else $XDG_DATA_HOME/factbot/factbot.db, else ~/.local/share/factbot/factbot.db."""
    env = os.environ if env is None else env
    if env.get("FACTBOT_DB"):
        return Path(env["FACTBOT_DB"])
    data_home = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "factbot" / "factbot.db"


def read_rate_limit(env: Mapping[str, str], name: str, default: RateLimit, problems: list[str]) -> RateLimit:
    """The rate limit in `env[name]` (see bot/ratelimit.py for the vocabulary), or `default`."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return RateLimit.parse(raw)
    except ValueError as error:
        problems.append(f"{name} {error} (default {default})")
        return default


DEFAULT_CHECK_LOG_DAYS = 90


def check_log_days(env: Mapping[str, str] | None = None) -> int:
    """$FACTBOT_CHECK_LOG_DAYS: how many days logged checks are kept (default 90)."""
    env = os.environ if env is None else env
    raw = env.get("FACTBOT_CHECK_LOG_DAYS", "").strip()
    if not raw:
        return DEFAULT_CHECK_LOG_DAYS
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise SettingsError(
            f"FACTBOT_CHECK_LOG_DAYS must be a whole number of days, at least 1, not {raw!r} "
            f"(unset it for the default, {DEFAULT_CHECK_LOG_DAYS})"
        )
    return int(raw)


def read_check_log_days(env: Mapping[str, str], problems: list[str]) -> int:
    """FACTBOT_CHECK_LOG_DAYS as `check_log_days` reads it, its problem added to `problems`."""
    try:
        return check_log_days(env)
    except SettingsError as error:
        problems.append(str(error))
        return DEFAULT_CHECK_LOG_DAYS
