"""Settings read once, at the edge, from the environment. The core never reads os.environ."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


def default_db_path(env: Mapping[str, str] | None = None) -> Path:
    """$FACTBOT_DB, else $XDG_DATA_HOME/factbot/factbot.db, else ~/.local/share/factbot/factbot.db."""
    env = os.environ if env is None else env
    if env.get("FACTBOT_DB"):
        return Path(env["FACTBOT_DB"])
    data_home = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "factbot" / "factbot.db"


DEFAULT_CHECK_LOG_DAYS = 90


class SettingError(ValueError):
    """A setting in the environment cannot be used; the message says how to fix it."""


def check_log_days(env: Mapping[str, str] | None = None) -> int:
    """$FACTBOT_CHECK_LOG_DAYS: how many days logged checks are kept (default 90)."""
    env = os.environ if env is None else env
    raw = env.get("FACTBOT_CHECK_LOG_DAYS", "").strip()
    if not raw:
        return DEFAULT_CHECK_LOG_DAYS
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise SettingError(
            f"FACTBOT_CHECK_LOG_DAYS must be a whole number of days, at least 1, not {raw!r} "
            f"(unset it for the default, {DEFAULT_CHECK_LOG_DAYS})"
        )
    return int(raw)
