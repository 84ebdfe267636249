"""Installing Factbot to many workspaces (issue 9): two `factbot serve slack --http` processes in OAuth
mode on one store, a fake Slack that answers oauth.v2.access. A workspace installed through one
worker is answered by the other with its own token; uninstalling deletes its tokens."""

from __future__ import annotations

import html
import json
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from slack_fake import FakeSlack, mention_body, sign
from slack_server import SlackServer, copy_of, server_pair

from adapters.slack.settings import SettingsError, SlackSettings
from bot.service import Factbot

CLIENT_ID = "1111.2222"
CLIENT_SECRET = "client-secret-0123456789abcdef"
TEAM_TWO, TOKEN_TWO = "T0002", "xoxb-team-two-token-0123456789"
OAUTH_ENV: dict[str, str | None] = {
    "SLACK_BOT_TOKEN": None,
    "SLACK_CLIENT_ID": CLIENT_ID,
    "SLACK_CLIENT_SECRET": CLIENT_SECRET,
    "FACTBOT_SLACK_MODERATORS": f"{TEAM_TWO}:UMOD2",
}


@pytest.fixture(scope="module")
def pair(
    seeded_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[SlackServer, ...]]:
    db = copy_of(seeded_template, tmp_path_factory.mktemp("oauth"))
    with FakeSlack() as fake:
        fake.answers["oauth.v2.access"] = {
            "ok": True,
            "app_id": "A1",
            "authed_user": {"id": "UINSTALLER"},
            "scope": "commands,chat:write",
            "token_type": "bot",
            "access_token": TOKEN_TWO,
            "bot_user_id": "UBOT2",
            "team": {"id": TEAM_TWO, "name": "Two"},
            "enterprise": None,
            "is_enterprise_install": False,
        }
        with server_pair(db, fake, env=OAUTH_ENV) as servers:
            yield servers


def _install(start: SlackServer, finish: SlackServer) -> tuple[int, str]:
    """A browser's trip: the install page on one worker, Slack's redirect back to the other."""
    status, page, headers = start.get("/slack/install")
    assert status == 200
    link = _authorize_link(page)
    query = parse_qs(urlsplit(link).query)
    assert query["client_id"] == [CLIENT_ID] and "commands" in query["scope"][0]
    assert urlsplit(link).netloc == urlsplit(start.fake.base).netloc, "the authorize page sits beside the API"
    state = query["state"][0]
    cookie = headers["set-cookie"].split(";")[0]
    assert cookie == f"slack-app-oauth-state={state}"
    status, text, _ = finish.get(f"/slack/oauth_redirect?code=code-1&state={state}", {"Cookie": cookie})
    return status, text


def _authorize_link(page: str) -> str:
    """The "Add to Slack" link of the install page."""
    found = re.search(r'href="([^"]*oauth/v2/authorize[^"]*)"', page)
    assert found, page
    return html.unescape(found.group(1))


def _mention(
    team: str, event_id: str, ts: str, claim: str = "Rebels captured the city of Hama."
) -> tuple[str, dict[str, str]]:
    event = mention_body(f"<@UBOT2> {claim}", event_id=event_id, ts=ts)
    event["team_id"] = team
    event["authorizations"][0]["team_id"] = team
    body = json.dumps(event)
    return body, {"content-type": "application/json", **sign(body)}


def _posts(fake: FakeSlack, ts: str) -> list[Any]:
    return [c for c in fake.calls_to("/api/chat.postMessage") if c.body.get("thread_ts") == ts]


def _wait(condition: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_workspace_installed_through_one_worker_is_answered_by_the_other_with_its_token(
    pair: tuple[SlackServer, ...],
) -> None:
    a, b = pair
    assert _install(a, b)[0] == 200
    [exchange] = a.fake.calls_to("/api/oauth.v2.access")
    assert exchange.body["code"] == "code-1"

    a.post(*_mention(TEAM_TWO, "EvT2", "1700000400.000001"))
    _wait(lambda: _posts(a.fake, "1700000400.000001"))
    [answer] = _posts(a.fake, "1700000400.000001")
    assert answer.headers["authorization"] == f"Bearer {TOKEN_TWO}"
    with closing(sqlite3.connect(a.db)) as conn:
        assert conn.execute("SELECT team_id FROM slack_bots").fetchall() == [(TEAM_TWO,)]

    for server in pair:  # neither the token nor the client secret reaches a log
        assert TOKEN_TWO not in server.output() and CLIENT_SECRET not in server.output()


def test_an_install_link_works_once(pair: tuple[SlackServer, ...]) -> None:
    a, b = pair
    status, page, headers = a.get("/slack/install")
    state = parse_qs(urlsplit(_authorize_link(page)).query)["state"][0]
    cookie = {"Cookie": f"slack-app-oauth-state={state}"}

    assert b.get(f"/slack/oauth_redirect?code=c2&state={state}", cookie)[0] == 200
    assert a.get(f"/slack/oauth_redirect?code=c3&state={state}", cookie)[0] != 200
    assert (
        b.get("/slack/oauth_redirect?code=c4&state=made-up", {"Cookie": "slack-app-oauth-state=made-up"})[0]
        != 200
    )


def test_a_workspace_that_never_installed_gets_no_answer(pair: tuple[SlackServer, ...]) -> None:
    a, _ = pair
    a.post(*_mention("T0404", "EvT404", "1700000500.000001"))
    time.sleep(0.5)
    assert not _posts(a.fake, "1700000500.000001")


def test_uninstalling_deletes_the_workspaces_tokens(pair: tuple[SlackServer, ...]) -> None:
    a, b = pair
    _install(b, a)
    event = {
        "token": "legacy",
        "team_id": TEAM_TWO,
        "api_app_id": "A1",
        "type": "event_callback",
        "event_id": "EvUninstall",
        "event_time": 1700000600,
        "event": {"type": "app_uninstalled"},
        "authorizations": [{"team_id": TEAM_TWO, "user_id": "UBOT2", "is_bot": True}],
    }
    body = json.dumps(event)

    assert b.post(body, {"content-type": "application/json", **sign(body)})[0] == 200

    def gone() -> bool:
        with closing(sqlite3.connect(a.db)) as conn:
            bots = conn.execute("SELECT count(*) FROM slack_bots WHERE team_id = ?", [TEAM_TWO]).fetchone()[0]
            installs = conn.execute("SELECT count(*) FROM slack_installations WHERE team_id = ?", [TEAM_TWO])
            return bots == 0 and installs.fetchone()[0] == 0

    _wait(gone)
    a.post(*_mention(TEAM_TWO, "EvAfter", "1700000700.000001"))
    time.sleep(0.5)
    assert not _posts(a.fake, "1700000700.000001")


# -- settings --------------------------------------------------------------------------------
def test_oauth_settings_need_both_credentials_http_mode_and_no_bot_token() -> None:
    base = {"SLACK_SIGNING_SECRET": "s", "SLACK_CLIENT_ID": CLIENT_ID, "SLACK_CLIENT_SECRET": CLIENT_SECRET}

    settings = SlackSettings.from_env(base, http_mode=True)

    assert settings.oauth and not settings.bot_token
    assert settings.authorize_url == "https://slack.com/oauth/v2/authorize"
    assert CLIENT_SECRET not in repr(settings)
    for env, mode, problem in [
        ({**base, "SLACK_BOT_TOKEN": "xoxb-1"}, True, "SLACK_BOT_TOKEN and SLACK_CLIENT_ID are both set"),
        ({"SLACK_SIGNING_SECRET": "s", "SLACK_CLIENT_ID": CLIENT_ID}, True, "SLACK_CLIENT_SECRET is not set"),
        (base, False, "needs HTTP mode"),
        ({"SLACK_CLIENT_ID": CLIENT_ID, "SLACK_CLIENT_SECRET": CLIENT_SECRET}, True, "SLACK_SIGNING_SECRET"),
    ]:
        with pytest.raises(SettingsError) as caught:
            SlackSettings.from_env(env, http_mode=mode)
        assert problem in str(caught.value) and CLIENT_SECRET not in str(caught.value)


def test_moderators_may_be_named_per_workspace() -> None:
    env = {"SLACK_BOT_TOKEN": "xoxb-1", "FACTBOT_SLACK_MODERATORS": "U0ANY, T0002:U0TWO"}
    settings = SlackSettings.from_env(env)

    assert settings.is_moderator("T0001", "U0ANY") and settings.is_moderator("T0002", "U0ANY")
    assert settings.is_moderator("T0002", "U0TWO") and not settings.is_moderator("T0001", "U0TWO")
    with pytest.raises(SettingsError, match="T0123ABCD:U0123ABCD"):
        SlackSettings.from_env({"SLACK_BOT_TOKEN": "xoxb-1", "FACTBOT_SLACK_MODERATORS": "team:U0TWO"})


def test_an_answer_recorded_by_the_cli_is_posted_with_the_askers_workspace_token(
    pair: tuple[SlackServer, ...],
) -> None:
    """Many workspaces: `factbot queue answer` only records the answer; the running servers' timer
    posts it in the thread it was asked in, with that workspace's own token."""
    a, b = pair
    assert _install(a, b)[0] == 200
    ts = "1700000800.000001"
    # bolt asks auth.test who the bot is in this workspace, so that "<@UBOT2>" is left out of the claim
    a.fake.answers["auth.test"] = {"ok": True, "user_id": "UBOT2", "bot_id": "B2", "team_id": TEAM_TWO}
    try:
        a.post(*_mention(TEAM_TWO, "EvQueued", ts, claim="Rebels captured the city of Homs."))
        _wait(lambda: _posts(a.fake, ts))  # "not found", and the question is queued
    finally:
        del a.fake.answers["auth.test"]

    with Factbot.open(a.db) as factbot:
        [item] = [i for i in factbot.queue() if i.claim == "Rebels captured the city of Homs."]
        source = factbot.list_sources()[0].id
        fact = factbot.add_fact({"statement": "Rebels captured the city of Homs on Thursday.",
                                 "source_id": source}, actor="cli")  # fmt: skip
        assert fact.id is not None
        factbot.answer_queue_item(item.id, fact.id, actor="cli")

    _wait(lambda: len(_posts(a.fake, ts)) == 2, timeout=30)
    answer = _posts(a.fake, ts)[1]
    assert answer.headers["authorization"] == f"Bearer {TOKEN_TWO}"
    assert "Supported" in json.dumps(answer.body)
