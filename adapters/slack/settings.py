"""The Slack adapter's settings: read from the environment once, at start-up, and validated.

Every problem is reported at once, each with how to fix it; token values never appear in a
message, a repr or a log line.

One workspace: SLACK_BOT_TOKEN. Many workspaces (OAuth install, HTTP mode only): SLACK_CLIENT_ID
and SLACK_CLIENT_SECRET, no SLACK_BOT_TOKEN.

>>> settings = SlackSettings.from_env({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"})
>>> str(settings.rate_limit)
'10/60'
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlparse

from adapters.logs import RedactingFilter, redact
from adapters.settings import (
    DEFAULT_CHECK_LOG_DAYS,
    SettingsError,
    default_db_path,
    read_check_log_days,
    read_rate_limit,
)
from bot.ratelimit import RateLimit

DEFAULT_API_URL = "https://slack.com/api/"
DEFAULT_RATE_LIMIT = RateLimit(10, 60.0)  # checks per user per minute
__all__ = ["BOT_SCOPES", "DEFAULT_API_URL", "RedactingFilter", "SettingsError", "SlackSettings", "redact"]
BOT_SCOPES = ("app_mentions:read", "chat:write", "chat:write.public", "commands")  # as in manifest.yml
_LOOPBACK = ("localhost", "127.0.0.1", "::1")
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
_TEAM_ID = re.compile(r"^[TE][A-Z0-9]{2,}$")


@dataclass(frozen=True)
class SlackSettings:
    """What the Slack adapter needs to run; build it with `from_env` (or directly in tests)."""

    bot_token: str = field(default="", repr=False)  # one workspace; empty with OAuth
    signing_secret: str = field(default="", repr=False)
    app_token: str = field(default="", repr=False)
    api_url: str = DEFAULT_API_URL
    db_path: Path = field(default_factory=default_db_path)
    moderators: frozenset[str] = frozenset()  # "U0123" (any workspace) or "T0123:U0123"
    rate_limit: RateLimit = DEFAULT_RATE_LIMIT
    client_id: str = ""  # many workspaces (OAuth): the app's Client ID ...
    client_secret: str = field(default="", repr=False)  # ... and Client Secret
    check_log_days: int = DEFAULT_CHECK_LOG_DAYS  # FACTBOT_CHECK_LOG_DAYS

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)

    @property
    def oauth(self) -> bool:
        """Installed to many workspaces through /slack/install, each answered with its own token."""
        return bool(self.client_id) and not self.bot_token

    @property
    def authorize_url(self) -> str:
        """Slack's install consent page beside the Web API: https://slack.com/oauth/v2/authorize."""
        return urljoin(self.api_url, "../oauth/v2/authorize")

    def is_moderator(self, team: str | None, user: str) -> bool:
        """Whether `user` of workspace `team` may curate facts: listed bare, or as TEAM:USER."""
        return user in self.moderators or f"{team}:{user}" in self.moderators

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, *, http_mode: bool | None = None
    ) -> SlackSettings:
        """Settings from `env` (default os.environ); raises SettingsError listing every problem.

        `http_mode` True requires the signing secret, False the app-level token (Socket Mode);
        None (building an app without running it) requires neither.
        """
        env = os.environ if env is None else env
        problems: list[str] = []
        client_id, client_secret = _oauth_credentials(env, problems)
        oauth = bool(client_id and client_secret) and not env.get("SLACK_BOT_TOKEN", "").strip()
        if oauth and http_mode is False:
            problems.append(
                "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET install Factbot to many workspaces, which "
                "needs HTTP mode: run `factbot serve slack --http` (or set SLACK_BOT_TOKEN instead "
                "for one workspace in Socket Mode)"
            )
        settings = cls(
            bot_token=""
            if oauth
            else _bot_token(env, problems, oauth_half_set=bool(client_id or client_secret)),
            signing_secret=_signing_secret(env, problems, required=http_mode is True or oauth),
            app_token="" if oauth else _app_token(env, problems, required=http_mode is False),
            api_url=_api_url(env, problems),
            db_path=default_db_path(env),
            moderators=_moderators(env, problems),
            rate_limit=read_rate_limit(env, "FACTBOT_SLACK_RATE_LIMIT", DEFAULT_RATE_LIMIT, problems),
            client_id=client_id if oauth else "",
            client_secret=client_secret if oauth else "",
            check_log_days=read_check_log_days(env, problems),
        )
        if problems:
            raise SettingsError("the Slack settings need fixing:\n  - " + "\n  - ".join(problems))
        return settings


def _oauth_credentials(env: Mapping[str, str], problems: list[str]) -> tuple[str, str]:
    client_id = env.get("SLACK_CLIENT_ID", "").strip()
    client_secret = env.get("SLACK_CLIENT_SECRET", "").strip()
    if bool(client_id) != bool(client_secret):
        missing = "SLACK_CLIENT_SECRET" if client_id else "SLACK_CLIENT_ID"
        problems.append(
            f"{missing} is not set: installing to many workspaces needs both the Client ID and the "
            "Client Secret (Basic Information → App Credentials)"
        )
    if client_id and client_secret and env.get("SLACK_BOT_TOKEN", "").strip():
        problems.append(
            "SLACK_BOT_TOKEN and SLACK_CLIENT_ID are both set: set SLACK_BOT_TOKEN alone for one "
            "workspace, or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET alone to install to many"
        )
    return client_id, client_secret


def _bot_token(env: Mapping[str, str], problems: list[str], *, oauth_half_set: bool = False) -> str:
    token = env.get("SLACK_BOT_TOKEN", "").strip()
    if not token and not oauth_half_set:
        problems.append(
            "SLACK_BOT_TOKEN is not set: install the app to your workspace, then copy the "
            "Bot User OAuth Token (xoxb-...) from the app's OAuth & Permissions page (or, to "
            "install to many workspaces, set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET instead)"
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
    bad = [i for i in ids if not _moderator_id(i)]
    if bad:
        problems.append(
            f"FACTBOT_SLACK_MODERATORS has {', '.join(map(repr, bad))}, which "
            f"{'is not a Slack user id' if len(bad) == 1 else 'are not Slack user ids'}: list member ids "
            "separated by commas, e.g. U0123ABCD,U0456EFGH (profile → ⋮ → Copy member ID); with "
            "several workspaces write TEAM:USER, e.g. T0123ABCD:U0123ABCD"
        )
    return frozenset(i for i in ids if _moderator_id(i))


def _moderator_id(text: str) -> bool:
    """U0123 (a member of any workspace this Factbot serves) or T0123:U0123 (of that workspace)."""
    team, colon, user = text.rpartition(":")
    return bool(_USER_ID.match(user)) and (not colon or bool(_TEAM_ID.match(team)))
