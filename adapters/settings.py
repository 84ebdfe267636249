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
