"""HTTP mode over a real socket on 127.0.0.1: bolt verifies Slack's request signatures."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from slack_fake import SlackHarness, command_body, form_body, sign

from adapters.slack.app import make_http_server
from bot.service import Factbot


@pytest.fixture
def served(factbot: Factbot) -> Iterator[tuple[str, SlackHarness]]:
    with SlackHarness(factbot) as slack:
        server = make_http_server(slack.app, "127.0.0.1", 0)
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_port}/slack/events", slack
        finally:
            server.shutdown()
            server.server_close()
            thread.join()


@pytest.fixture
def server_url(served: tuple[str, SlackHarness]) -> str:
    return served[0]


def _post(url: str, body: str, headers: dict[str, str]) -> int:
    return _exchange(url, body, headers)[0]


def _exchange(url: str, body: str, headers: dict[str, str]) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        error.close()
        return error.code, ""


def _help_command() -> tuple[str, dict[str, str]]:
    return form_body(command_body("/factcheck", "help"))


def test_a_correctly_signed_request_is_answered(server_url: str) -> None:
    body, headers = _help_command()

    status, answer = _exchange(server_url, body, {**headers, **sign(body)})

    assert status == 200 and "/factcheck CLAIM" in answer


def test_a_claim_over_http_is_acked_then_answered(served: tuple[str, SlackHarness]) -> None:
    url, slack = served
    body, headers = form_body(command_body("/factcheck", "Rebels captured the city of Hama.",
                                           response_url=slack.fake.hook()))  # fmt: skip

    status, answer = _exchange(url, body, {**headers, **sign(body)})

    assert (status, answer) == (200, "")
    [reply] = slack.fake.wait_for("/hooks/1")
    assert reply.body["blocks"][0]["type"] == "header"


def test_a_request_signed_with_another_secret_is_refused(server_url: str) -> None:
    body, headers = _help_command()

    assert _post(server_url, body, {**headers, **sign(body, secret="not-the-secret")}) == 401


def test_a_body_changed_after_signing_is_refused(server_url: str) -> None:
    body, headers = _help_command()
    signature = sign(body)

    assert _post(server_url, body.replace("help", "hel"), {**headers, **signature}) == 401


def test_a_replayed_request_older_than_five_minutes_is_refused(server_url: str) -> None:
    body, headers = _help_command()
    stale = sign(body, timestamp=int(time.time()) - 301)

    assert _post(server_url, body, {**headers, **stale}) == 401


def test_an_unsigned_request_is_refused(server_url: str) -> None:
    body, headers = _help_command()

    assert _post(server_url, body, headers) == 401
