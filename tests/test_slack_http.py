"""HTTP mode as it runs in production: `factbot serve slack --http` (gunicorn) in its own process, on
127.0.0.1, against a fake Slack Web API. bolt verifies Slack's request signatures; /healthz
reports the store; SIGTERM stops it gracefully."""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from slack_fake import TOKEN, FakeSlack, command_body, form_body, sign
from slack_server import SlackServer, free_port, signed_form

from adapters.slack.server import bind_address
from facts.shared_state import store_answers


@pytest.fixture(scope="module")
def server(seeded_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SlackServer]:
    """One server for the tests that leave it as they found it."""
    db = tmp_path_factory.mktemp("http") / "factbot.db"
    shutil.copy(seeded_template, db)
    with FakeSlack() as fake, SlackServer(db, fake, workers=2) as running:
        yield running


def _help() -> tuple[str, dict[str, str]]:
    return form_body(command_body("/factcheck", "help"))


def test_a_correctly_signed_request_is_answered(server: SlackServer) -> None:
    body, headers = _help()

    status, answer = server.post(body, {**headers, **sign(body)})

    assert status == 200 and "/factcheck CLAIM" in answer


def test_a_claim_over_http_is_acked_then_answered(server: SlackServer) -> None:
    hook = server.fake.hook("claim-over-http")
    body, headers = signed_form(
        command_body(
            "/factcheck", "Rebels captured the city of Hama.", response_url=hook, trigger_id="t-claim"
        )
    )

    assert server.post(body, headers) == (200, "")
    [reply] = server.fake.wait_for("/hooks/claim-over-http")
    assert reply.body["blocks"][0]["type"] == "header"


def test_a_request_signed_with_another_secret_is_refused(server: SlackServer) -> None:
    body, headers = _help()

    assert server.post(body, {**headers, **sign(body, secret="not-the-secret")})[0] == 401


def test_a_body_changed_after_signing_is_refused(server: SlackServer) -> None:
    body, headers = _help()
    signature = sign(body)

    assert server.post(body.replace("help", "hel"), {**headers, **signature})[0] == 401


def test_a_replayed_request_older_than_five_minutes_is_refused(server: SlackServer) -> None:
    body, headers = _help()
    stale = sign(body, timestamp=int(time.time()) - 301)

    assert server.post(body, {**headers, **stale})[0] == 401


def test_an_unsigned_request_is_refused(server: SlackServer) -> None:
    body, headers = _help()

    assert server.post(body, headers)[0] == 401


def test_only_events_and_health_are_served(server: SlackServer) -> None:
    assert server.get("/healthz")[:2] == (200, "ok\n")
    for path in ("/", "/slack/install", "/slack/oauth_redirect?code=x&state=y", "/admin", "/slack/events"):
        assert server.get(path)[0] == 404, path  # GET /slack/events included: Slack only POSTs
    assert server.post("x", {}, path="/healthz")[0] == 405


def test_it_listens_on_this_machine_only_unless_told(server: SlackServer) -> None:
    assert f"Listening at: http://127.0.0.1:{server.port}" in server.output()
    assert bind_address("::", 3000) == "[::]:3000" and bind_address("0.0.0.0", 80) == "0.0.0.0:80"


def test_serve_uses_the_global_db_option(server: SlackServer) -> None:
    """The server was started with --db and no FACTBOT_DB: its shared state lands in that file."""
    assert "FACTBOT_DB" not in server.env
    body, headers = signed_form(command_body("/factcheck", "help", trigger_id="t-db"))
    server.post(body, headers)

    import sqlite3

    with closing(sqlite3.connect(server.db)) as conn:
        assert (
            conn.execute("SELECT count(*) FROM seen_keys WHERE key LIKE 'slack:request:%'").fetchone()[0] >= 1
        )


def test_health_is_503_when_the_store_does_not_answer(db_path: Path) -> None:
    with FakeSlack() as fake, SlackServer(db_path, fake) as server:
        assert server.get("/healthz")[0] == 200
        os.replace(db_path, db_path.with_suffix(".moved"))

        status, text, _ = server.get("/healthz")

        assert (status, text) == (503, "the fact store does not answer\n")
        os.replace(db_path.with_suffix(".moved"), db_path)
        assert server.get("/healthz")[0] == 200
    assert not store_answers(db_path.parent / "missing.db") and not (db_path.parent / "missing.db").exists()


def test_sigterm_lets_acknowledged_checks_finish_then_exits_0(db_path: Path) -> None:
    with FakeSlack() as fake:
        fake.hook_delay = 1.0  # each answer is still on its way when the stop comes
        server = SlackServer(db_path, fake, workers=2)
        with server:
            for n in range(4):
                body, headers = signed_form(
                    command_body(
                        "/factcheck",
                        "Rebels captured the city of Hama.",
                        response_url=fake.hook(f"s{n}"),
                        trigger_id=f"t{n}",
                    )
                )
                assert server.post(body, headers) == (200, "")
            started = time.monotonic()
            assert server.terminate() == 0
            assert time.monotonic() - started < 20
        for n in range(4):
            assert len(fake.calls_to(f"/hooks/s{n}")) == 1, server.output()
    assert re.search(r"Shutting down: Master", server.output())
    assert "Traceback" not in server.output()


@pytest.mark.parametrize(
    ("refusal", "message"),
    [
        ("invalid_auth", "Slack refused SLACK_BOT_TOKEN (invalid_auth)"),
        (None, "cannot reach Slack's Web API"),
    ],
)
def test_a_refused_token_or_unreachable_slack_is_one_clear_line(
    db_path: Path, refusal: str | None, message: str
) -> None:
    with FakeSlack() as fake:
        if refusal:
            fake.errors["auth.test"] = refusal
        server = SlackServer(
            db_path, fake, env={} if refusal else {"SLACK_API_URL": f"http://127.0.0.1:{free_port()}/api/"}
        )
        server.launch()
        assert server.process is not None and server.process.wait(timeout=60) == 1
    output = server.output()
    assert message in output and "Traceback" not in output and TOKEN not in output
