"""Slack settings from the environment, the app manifest, and the docs that go with them."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from slack_fake import TOKEN

from adapters.slack.app import SlackFactbot, help_text
from adapters.slack.settings import (
    DEFAULT_API_URL,
    RedactingFilter,
    SettingsError,
    SlackSettings,
    redact,
)
from bot.ratelimit import RateLimit
from bot.service import Factbot
from facts.shared_state import SharedState

REPO = Path(__file__).resolve().parent.parent
MANIFEST = (REPO / "adapters" / "slack" / "manifest.yml").read_text(encoding="utf-8")
DOCS = (REPO / "docs" / "slack.md").read_text(encoding="utf-8")
APP_TOKEN = "xapp-1-A1-secretvalue"
SOCKET_ENV = {"SLACK_BOT_TOKEN": TOKEN, "SLACK_APP_TOKEN": APP_TOKEN}
ENV_VARS = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL", "FACTBOT_DB",
            "FACTBOT_SLACK_MODERATORS", "FACTBOT_SLACK_RATE_LIMIT")  # fmt: skip


def _problems(env: dict[str, str], **mode: bool) -> str:
    with pytest.raises(SettingsError) as caught:
        SlackSettings.from_env(env, **mode)
    return str(caught.value)


def test_a_full_environment_is_read_once_into_settings(tmp_path: Path) -> None:
    env = {**SOCKET_ENV, "SLACK_SIGNING_SECRET": "s3cret", "SLACK_API_URL": "https://slack-gov.com/api",
           "FACTBOT_DB": str(tmp_path / "f.db"), "FACTBOT_SLACK_MODERATORS": " U01AB , W02CD,",
           "FACTBOT_SLACK_RATE_LIMIT": "3"}  # fmt: skip

    settings = SlackSettings.from_env(env, http_mode=True)

    assert settings.api_url == "https://slack-gov.com/api/"
    assert settings.db_path == tmp_path / "f.db"
    assert settings.moderators == {"U01AB", "W02CD"}
    assert settings.rate_limit == RateLimit(3, 60.0) and settings.socket_mode


def test_defaults() -> None:
    settings = SlackSettings.from_env(SOCKET_ENV, http_mode=False)

    assert (settings.api_url, settings.moderators) == (DEFAULT_API_URL, frozenset())
    assert settings.rate_limit == RateLimit(10, 60.0)


def test_every_problem_is_reported_with_how_to_fix_it() -> None:
    message = _problems({"SLACK_API_URL": "slack.com", "FACTBOT_SLACK_MODERATORS": "U01AB,bob",
                         "FACTBOT_SLACK_RATE_LIMIT": "-1"}, http_mode=False)  # fmt: skip

    assert "SLACK_BOT_TOKEN is not set: install the app" in message and "OAuth & Permissions" in message
    assert "SLACK_APP_TOKEN is not set" in message and "--http" in message
    assert "SLACK_API_URL 'slack.com' is not an http(s) URL" in message
    assert "'bob', which is not a Slack user id" in message and "Copy member ID" in message
    assert "FACTBOT_SLACK_RATE_LIMIT '-1' is not a rate limit: write checks/seconds, e.g. 10/60" in message


@pytest.mark.parametrize("raw", ["²", "1.5", "ten", "-3", "5/", "5/0", "5/inf", "0/60", "1/²"])
def test_a_rate_limit_that_is_not_one_is_a_problem_not_a_crash(raw: str) -> None:
    message = _problems({**SOCKET_ENV, "FACTBOT_SLACK_RATE_LIMIT": raw})

    assert f"FACTBOT_SLACK_RATE_LIMIT {raw!r}" in message
    assert "is not a rate limit: write checks/seconds" in message or "write 0 alone" in message


@pytest.mark.parametrize(
    ("raw", "limit"),
    [
        ("3", RateLimit(3, 60.0)),
        ("3/30", RateLimit(3, 30.0)),
        ("0", RateLimit(0, 60.0)),
        (" 2/0.5 ", RateLimit(2, 0.5)),
    ],
)
def test_slack_and_discord_read_one_rate_limit_vocabulary(raw: str, limit: RateLimit) -> None:
    from adapters.discord import DiscordSettings

    slack = SlackSettings.from_env({**SOCKET_ENV, "FACTBOT_SLACK_RATE_LIMIT": raw})
    discord = DiscordSettings.from_env({"DISCORD_TOKEN": "t", "FACTBOT_DISCORD_COOLDOWN": raw})

    assert slack.rate_limit == discord.rate_limit == limit


def test_the_web_api_is_reached_over_https_except_on_this_machine() -> None:
    message = _problems({**SOCKET_ENV, "SLACK_API_URL": "http://proxy.example/api/"})

    assert "plain http to another machine" in message and "use https" in message
    for local in ("http://127.0.0.1:8080/api/", "http://localhost/api/", "http://[::1]:9/api/"):
        assert SlackSettings.from_env({**SOCKET_ENV, "SLACK_API_URL": local}).api_url == local


def test_http_mode_needs_the_signing_secret_and_not_the_app_token() -> None:
    message = _problems({"SLACK_BOT_TOKEN": TOKEN}, http_mode=True)

    assert "SLACK_SIGNING_SECRET is not set" in message and "Basic Information" in message
    assert "SLACK_APP_TOKEN" not in message


def test_tokens_of_the_wrong_kind_are_named_but_never_echoed() -> None:
    message = _problems({"SLACK_BOT_TOKEN": "xoxp-user-token-value", "SLACK_APP_TOKEN": "xoxb-not-app"})

    assert "SLACK_BOT_TOKEN does not start with xoxb-" in message
    assert "SLACK_APP_TOKEN does not start with xapp-" in message
    assert "user-token-value" not in message and "not-app" not in message


def test_secrets_stay_out_of_reprs_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    settings = SlackSettings.from_env({**SOCKET_ENV, "SLACK_SIGNING_SECRET": "s3cret-value"})
    assert TOKEN not in repr(settings) and APP_TOKEN not in repr(settings) and "s3cret" not in repr(settings)

    logger = logging.getLogger("factbot.test.redact")
    handler = caplog.handler
    handler.addFilter(RedactingFilter())
    try:
        with caplog.at_level(logging.INFO, logger="factbot.test.redact"):
            logger.info("token %s app %s sig %s", TOKEN, APP_TOKEN, "v0=" + "ab" * 32)
    finally:
        handler.removeFilter(handler.filters[-1])
    assert caplog.messages == ["token [redacted] app [redacted] sig [redacted]"]
    assert redact("nothing secret here") == "nothing secret here"


# -- the manifest and the docs ---------------------------------------------------------------
def _manifest_commands() -> dict[str, str]:
    pairs = re.findall(r"- command: (/\w+)\n\s+description: (.+)", MANIFEST)
    return dict(pairs)


def test_the_manifest_declares_what_the_app_listens_for() -> None:
    commands = _manifest_commands()

    assert set(commands) == {"/factcheck", "/factadd", "/fact"}
    assert "callback_id: factbot_check_message" in MANIFEST and "type: message" in MANIFEST
    assert re.search(r"bot_events:\n\s+- app_mention", MANIFEST)
    for scope in ("app_mentions:read", "chat:write", "commands"):
        assert f"- {scope} " in MANIFEST
    assert "socket_mode_enabled: true" in MANIFEST and "is_enabled: true" in MANIFEST


@pytest.mark.parametrize(
    ("command", "listener"),
    [
        ("/factcheck", SlackFactbot.on_factcheck),
        ("/factadd", SlackFactbot.on_factadd),
        ("/fact", SlackFactbot.on_fact),
    ],
)
def test_command_descriptions_come_from_the_handlers_docstrings(command: str, listener: object) -> None:
    summary = (listener.__doc__ or "").splitlines()[0].partition(": ")[2]

    assert _manifest_commands()[command] == summary[0].upper() + summary[1:]
    assert summary in help_text()


def test_the_docs_cover_every_setting_command_and_mode() -> None:
    for name in ENV_VARS:
        assert f"`{name}`" in DOCS
    for command in ("`/factcheck CLAIM`", "`/factadd`", "`/fact edit ID`", "`/fact retire ID",
                    "@Factbot CLAIM", "Fact-check this message", "factbot serve slack --http", "Socket Mode",
                    "HTTP mode", "adapters/slack/manifest.yml", "connections:write"):  # fmt: skip
        assert command in DOCS


# -- start-up --------------------------------------------------------------------------------
def test_create_app_reads_the_environment_when_given_no_settings(
    monkeypatch: pytest.MonkeyPatch, db_path: Path
) -> None:
    from slack_fake import FakeSlack
    from slack_sdk import WebClient

    from adapters.slack import create_app

    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("FACTBOT_DB", str(db_path))
    opened: list[Factbot] = []
    real_open = Factbot.open
    monkeypatch.setattr(
        Factbot, "open", lambda path, **kw: opened.append(real_open(path, **kw)) or opened[-1]
    )
    states: list[SharedState] = []
    real_state = SharedState.open
    monkeypatch.setattr(
        SharedState, "open", lambda path, **kw: states.append(real_state(path, **kw)) or states[-1]
    )
    with FakeSlack() as fake:
        app = create_app(client=WebClient(token=TOKEN, base_url=fake.api_url))
    (factbot,), (state,) = opened, states
    store_file = factbot.store.db.execute("PRAGMA database_list").fetchone()[2]
    factbot.close()  # the app's store lives as long as its process; this test's ends here
    state.close()

    assert store_file == str(db_path)
    assert app.client.token == TOKEN
    assert {c.path for c in fake.calls} == {"/api/auth.test"}  # bolt checks the token once, on our fake


def test_serve_refuses_to_start_with_a_message_that_says_how_to_fix_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from click.testing import CliRunner

    from adapters.cli import main

    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)

    result = CliRunner().invoke(main, ["serve", "slack"])

    assert result.exit_code == 1
    assert "SLACK_APP_TOKEN is not set" in result.output and "--http" in result.output
    assert TOKEN not in result.output


def test_socket_mode_connects_through_the_configured_web_api(factbot: Factbot) -> None:
    from slack_fake import SlackHarness

    from adapters.slack.app import socket_mode_handler

    with SlackHarness(factbot) as slack:
        handler = socket_mode_handler(slack.app, APP_TOKEN)
        try:
            assert handler.client.web_client.base_url == slack.fake.api_url
            assert handler.client.app_token == APP_TOKEN
        finally:
            handler.client.close()
