"""The Slack adapter's settings: read from the environment once, at start-up, and validated.

Every problem is reported at once, each with how to fix it; token values never appear in a
message, a repr or a log line.

>>> settings = SlackSettings.from_env({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"})
>>> settings.rate_limit
10
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from adapters.settings import DEFAULT_CHECK_LOG_DAYS, SettingError, check_log_days, default_db_path
from facts.errors import FactbotError

DEFAULT_API_URL = "https://slack.com/api/"
DEFAULT_RATE_LIMIT = 10  # checks per user per minute
_LOOPBACK = ("localhost", "127.0.0.1", "::1")
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
_SECRETS = re.compile(r"\b(xox[a-z]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+|v0=[0-9a-f]{16,})")


class SlackSettingsError(FactbotError):
    """The environment does not describe a runnable Slack app; the message says how to fix it."""


@dataclass(frozen=True)
class SlackSettings:
    """What the Slack adapter needs to run; build it with `from_env` (or directly in tests)."""

    bot_token: str = field(repr=False)
    signing_secret: str = field(default="", repr=False)
    app_token: str = field(default="", repr=False)
    api_url: str = DEFAULT_API_URL
    db_path: Path = field(default_factory=default_db_path)
    moderators: frozenset[str] = frozenset()
    rate_limit: int = DEFAULT_RATE_LIMIT
    check_log_days: int = DEFAULT_CHECK_LOG_DAYS  # FACTBOT_CHECK_LOG_DAYS

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, *, http_mode: bool | None = None
    ) -> SlackSettings:
        """Settings from `env` (default os.environ); raises SlackSettingsError listing every problem.

        `http_mode` True requires the signing secret, False the app-level token (Socket Mode);
        None (building an app without running it) requires neither.
        """
        env = os.environ if env is None else env
        problems: list[str] = []
        settings = cls(
            bot_token=_bot_token(env, problems),
            signing_secret=_signing_secret(env, problems, required=http_mode is True),
            app_token=_app_token(env, problems, required=http_mode is False),
            api_url=_api_url(env, problems),
            db_path=default_db_path(env),
            moderators=_moderators(env, problems),
            rate_limit=_rate_limit(env, problems),
            check_log_days=_check_log_days(env, problems),
        )
        if problems:
            raise SlackSettingsError("the Slack settings need fixing:\n  - " + "\n  - ".join(problems))
        return settings


def _check_log_days(env: Mapping[str, str], problems: list[str]) -> int:
    try:
        return check_log_days(env)
    except SettingError as error:
        problems.append(str(error))
        return DEFAULT_CHECK_LOG_DAYS


def _bot_token(env: Mapping[str, str], problems: list[str]) -> str:
    token = env.get("SLACK_BOT_TOKEN", "").strip()
    if not token:
        problems.append(
            "SLACK_BOT_TOKEN is not set: install the app to your workspace, then copy the "
            "Bot User OAuth Token (xoxb-...) from the app's OAuth & Permissions page"
        )
    elif not token.startswith("xoxb-"):
        problems.append(
            "SLACK_BOT_TOKEN does not start with xoxb-: use the Bot User OAuth Token from "
            "OAuth & Permissions, not a user (xoxp-) or app-level (xapp-) token"
        )
    return token


def _signing_secret(env: Mapping[str, str], problems: list[str], *, required: bool) -> str:
    secret = env.get("SLACK_SIGNING_SECRET", "").strip()
    if required and not secret:
        problems.append(
            "SLACK_SIGNING_SECRET is not set: HTTP mode verifies every request with it; copy it "
            "from your app's Basic Information page (App Credentials → Signing Secret)"
        )
    return secret


def _app_token(env: Mapping[str, str], problems: list[str], *, required: bool) -> str:
    token = env.get("SLACK_APP_TOKEN", "").strip()
    if token and not token.startswith("xapp-"):
        problems.append(
            "SLACK_APP_TOKEN does not start with xapp-: generate an app-level token with the "
            "connections:write scope on Basic Information → App-Level Tokens"
        )
    elif required and not token:
        problems.append(
            "SLACK_APP_TOKEN is not set: Socket Mode needs an app-level token (xapp-...) with the "
            "connections:write scope (Basic Information → App-Level Tokens); or run "
            "`factbot serve slack --http` to use HTTP mode instead"
        )
    return token


def _api_url(env: Mapping[str, str], problems: list[str]) -> str:
    url = env.get("SLACK_API_URL", "").strip() or DEFAULT_API_URL
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        problems.append(
            f"SLACK_API_URL {url!r} is not an http(s) URL: leave it unset for Slack's "
            f"{DEFAULT_API_URL}, or give your Web API base, e.g. https://slack-gov.com/api/"
        )
    elif parsed.scheme == "http" and parsed.hostname not in _LOOPBACK:
        # Every Web API call carries the bot token in a header: never send it in clear text.
        problems.append(
            f"SLACK_API_URL {url!r} is plain http to another machine, which would send the bot "
            "token unencrypted: use https (plain http is accepted only for localhost)"
        )
    return url if url.endswith("/") else url + "/"


def _moderators(env: Mapping[str, str], problems: list[str]) -> frozenset[str]:
    ids = [part.strip() for part in env.get("FACTBOT_SLACK_MODERATORS", "").split(",") if part.strip()]
    bad = [i for i in ids if not _USER_ID.match(i)]
    if bad:
        problems.append(
            f"FACTBOT_SLACK_MODERATORS has {', '.join(map(repr, bad))}, which "
            f"{'is not a Slack user id' if len(bad) == 1 else 'are not Slack user ids'}: list member ids "
            "separated by commas, e.g. U0123ABCD,U0456EFGH (profile → ⋮ → Copy member ID)"
        )
    return frozenset(i for i in ids if _USER_ID.match(i))


def _rate_limit(env: Mapping[str, str], problems: list[str]) -> int:
    raw = env.get("FACTBOT_SLACK_RATE_LIMIT", "").strip()
    if not raw:
        return DEFAULT_RATE_LIMIT
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:  # "²".isdigit(), but int("²") fails
        problems.append(
            f"FACTBOT_SLACK_RATE_LIMIT {raw!r} is not a positive whole number: it is how many "
            f"claims one user may check per minute (default {DEFAULT_RATE_LIMIT})"
        )
        return DEFAULT_RATE_LIMIT
    return int(raw)


def redact(text: str) -> str:
    """`text` with anything shaped like a Slack token or request signature replaced."""
    return _SECRETS.sub("[redacted]", text)


class RedactingFilter(logging.Filter):
    """Scrubs tokens and signatures from every record a handler emits (libraries log too)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
