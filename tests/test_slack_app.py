"""Checking claims from Slack, through bolt's own dispatch, against a fake Slack on 127.0.0.1."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import replace

import pytest
from related_facts import RELATED_CLAIM
from slack_fake import BOT_ID, BOT_USER, TOKEN, SlackHarness, action_payload, mention_body, shortcut_payload

from adapters.related import RELATED_LABEL
from adapters.slack.app import APOLOGY, NOT_IN_CHANNEL
from adapters.slack.blocks import SHARE_ACTION, escape, render_reply
from bot.presentation import VERDICT_STYLE
from bot.reply import CheckReply
from bot.service import Factbot

CONTRADICTED = "Rebels took about 20 villages on the first day of the offensive."
NOT_FOUND = "Rebels captured the city of Hama."
INJECTION = (
    "<!channel> <!here> <@U999> <!subteam^S1|@team> <https://evil.example|trusted> "
    "&lt;!channel&gt; &lt;https://evil.example|trusted&gt; rebels took 20 villages"
)
LIVE_MARKUP = re.compile(r"<(?:!|@|#|https?:)")


def logged(reply: CheckReply, factbot: Factbot) -> CheckReply:
    """`reply` as the adapter sent it: carrying the id of the check it logged last."""
    return replace(reply, check_id=factbot.logged_checks()[-1].id)


@pytest.fixture
def slack(factbot: Factbot) -> Iterator[SlackHarness]:
    with SlackHarness(factbot) as harness:
        yield harness


def test_mention_answers_in_a_thread_under_the_message(slack: SlackHarness, factbot: Factbot) -> None:
    response = slack.event(mention_body(f"<@{BOT_USER}> {CONTRADICTED}", ts="1700000000.000100"))

    assert response.status == 200
    [post] = slack.fake.wait_for("/api/chat.postMessage")
    expected = factbot.check(CONTRADICTED)
    assert post.body["channel"] == "C1"
    assert post.body["thread_ts"] == "1700000000.000100"
    assert post.body["blocks"] == render_reply(logged(expected, factbot))["blocks"]
    assert VERDICT_STYLE[expected.verdict].label in post.body["blocks"][0]["text"]["text"]
    text = json.dumps(post.body["blocks"], ensure_ascii=False)
    assert expected.citations, "the claim should cite at least one source"
    for citation in expected.citations:
        assert citation.outlet in text and citation.quote[:60] in text and citation.reason in text
    assert "link_names" not in post.body and "parse" not in post.body


def test_a_not_found_answer_lists_related_facts_as_not_verified(
    slack: SlackHarness, factbot: Factbot
) -> None:
    slack.command("/factcheck", RELATED_CLAIM)

    [answer] = slack.fake.wait_for("/hooks/1")
    expected = factbot.check(RELATED_CLAIM)
    assert expected.related, "the claim should have related facts in the seed store"
    assert answer.body["blocks"] == render_reply(logged(expected, factbot), shareable=True)["blocks"]
    shown = json.dumps(answer.body["blocks"], ensure_ascii=False)
    assert f"*{RELATED_LABEL}*" in shown
    for fact in expected.related:
        assert f"{escape(fact.outlet)}, " in shown and f"fact #{fact.fact_id}" in shown
        assert escape(fact.quote)[:60] in shown and fact.url in shown
        assert f"fact #{fact.fact_id}" in answer.body["text"]
    assert answer.body["text"].startswith(VERDICT_STYLE[expected.verdict].emoji)


def test_mention_inside_a_thread_answers_in_that_thread(slack: SlackHarness) -> None:
    slack.event(
        mention_body(f"<@{BOT_USER}> {NOT_FOUND}", ts="1700000000.000300", thread_ts="1700000000.000001")
    )

    [post] = slack.fake.wait_for("/api/chat.postMessage")
    assert post.body["thread_ts"] == "1700000000.000001"


def test_the_same_event_delivered_twice_is_answered_once(slack: SlackHarness) -> None:
    body = mention_body(f"<@{BOT_USER}> {NOT_FOUND}", event_id="EvSame")
    first = slack.event(body)
    retry = slack.event(body, **{"x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout"})
    slack.event(mention_body(f"<@{BOT_USER}> {NOT_FOUND}", event_id="EvOther"))

    assert first.status == retry.status == 200
    slack.fake.wait_for("/api/chat.postMessage", count=2)
    slack.fake.settle()
    assert len(slack.fake.calls_to("/api/chat.postMessage")) == 2  # EvSame once, EvOther once


@pytest.mark.parametrize("author", [{"user": BOT_USER}, {"bot_id": BOT_ID}, {"bot_id": "BOTHER"}])
def test_the_bot_never_answers_bots_or_itself(slack: SlackHarness, author: dict[str, str]) -> None:
    slack.event(mention_body(f"<@{BOT_USER}> {NOT_FOUND}", **author))

    slack.fake.settle()
    assert slack.fake.calls_to("/api/chat.postMessage") == []


def test_factcheck_acks_at_once_then_answers_through_response_url(
    slack: SlackHarness, factbot: Factbot
) -> None:
    response = slack.command("/factcheck", CONTRADICTED)

    assert response.status == 200 and response.body == ""
    [answer] = slack.fake.wait_for("/hooks/1")
    assert answer.body["response_type"] == "ephemeral"
    expected = logged(factbot.check(CONTRADICTED), factbot)
    assert answer.body["blocks"] == render_reply(expected, shareable=True)["blocks"]
    [button] = answer.body["blocks"][-2]["elements"]
    assert button["action_id"] == SHARE_ACTION and button["value"] == CONTRADICTED


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_factcheck_gets_usage(slack: SlackHarness, text: str) -> None:
    response = slack.command("/factcheck", text)

    assert response.status == 200 and response.body.startswith("Usage: `/factcheck CLAIM`")
    slack.fake.settle(0.1)
    assert slack.fake.calls_to("/hooks/") == []


def test_factcheck_help_lists_every_way_in(slack: SlackHarness) -> None:
    response = slack.command("/factcheck", "help")

    help_text = json.loads(response.body)["blocks"][0]["text"]["text"]
    for way_in in ("@Factbot CLAIM", "/factcheck CLAIM", "Fact-check this message", "/factadd", "/fact "):
        assert way_in in help_text


def test_post_to_channel_shares_the_answer(slack: SlackHarness, factbot: Factbot) -> None:
    response = slack.payload(action_payload(SHARE_ACTION, CONTRADICTED, response_url=slack.fake.hook()))

    assert response.status == 200
    [post] = slack.fake.wait_for("/api/chat.postMessage")
    shared = render_reply(logged(factbot.check(CONTRADICTED), factbot), shared_by="U123")
    assert post.body["channel"] == "C1" and "thread_ts" not in post.body
    assert post.body["blocks"] == shared["blocks"]
    assert any("Shared by <@U123>" in json.dumps(b) for b in post.body["blocks"])
    [cleanup] = slack.fake.wait_for("/hooks/1")
    assert cleanup.body["delete_original"] is True


def test_post_to_channel_explains_when_the_bot_is_not_a_member(slack: SlackHarness) -> None:
    slack.fake.errors["chat.postMessage"] = "not_in_channel"

    slack.payload(action_payload(SHARE_ACTION, NOT_FOUND, response_url=slack.fake.hook()))

    [answer] = slack.fake.wait_for("/hooks/1")
    assert answer.body["text"] == NOT_IN_CHANNEL
    slack.fake.settle(0.1)
    assert len(slack.fake.calls_to("/hooks/1")) == 1  # the ephemeral answer is not deleted


def test_message_shortcut_answers_in_the_messages_thread(slack: SlackHarness, factbot: Factbot) -> None:
    message = {"type": "message", "user": "U777", "text": CONTRADICTED, "ts": "1700000000.000500"}

    response = slack.payload(shortcut_payload(message, response_url=slack.fake.hook()))

    assert response.status == 200
    [post] = slack.fake.wait_for("/api/chat.postMessage")
    assert post.body["thread_ts"] == "1700000000.000500"
    assert post.body["blocks"] == render_reply(logged(factbot.check(CONTRADICTED), factbot))["blocks"]


def test_message_shortcut_on_the_bots_own_answer_is_declined(slack: SlackHarness) -> None:
    message = {"type": "message", "user": BOT_USER, "bot_id": BOT_ID, "text": ":x: Contradicted", "ts": "1.2"}

    slack.payload(shortcut_payload(message, response_url=slack.fake.hook()))

    [answer] = slack.fake.wait_for("/hooks/1")
    assert "own answers" in answer.body["text"]
    assert slack.fake.calls_to("/api/chat.postMessage") == []


def _visible(node: object) -> str:
    """Every text Slack would render from a message (not button values, which are never shown)."""
    if isinstance(node, dict):
        return "\n".join(_visible(v) if k != "text" or not isinstance(v, str) else v
                         for k, v in node.items() if k != "value")  # fmt: skip
    if isinstance(node, list):
        return "\n".join(_visible(v) for v in node)
    return ""


def test_injection_in_a_mention_arrives_as_inert_text(slack: SlackHarness) -> None:
    slack.event(mention_body(f"<@{BOT_USER}> {INJECTION}"))

    [post] = slack.fake.wait_for("/api/chat.postMessage")
    shown = _visible(post.body)
    assert not LIVE_MARKUP.search(shown.replace("<https://", "<LINK"))  # only our own source links
    assert "&lt;!channel&gt;" in shown and "&lt;https://evil.example|trusted&gt;" in shown
    assert "<https://evil.example" not in shown
    assert "link_names" not in post.body and post.body.get("parse") != "full"


def test_injection_in_a_command_arrives_as_inert_text(slack: SlackHarness) -> None:
    slack.command("/factcheck", INJECTION)

    [answer] = slack.fake.wait_for("/hooks/1")
    shown = _visible(answer.body)
    for live in ("<!channel>", "<!here>", "<@U999>", "<!subteam^", "<https://evil.example"):
        assert live not in shown
    assert "&lt;!channel&gt;" in shown and "@channel" in shown


def test_rate_limit_answers_kindly(factbot: Factbot) -> None:
    with SlackHarness(factbot, rate_limit=2) as slack:
        for _ in range(3):
            slack.command("/factcheck", NOT_FOUND)
        answers = slack.fake.wait_for("/hooks/1", count=3)

    texts = sorted(a.body["text"] for a in answers)
    assert sum("You've checked 2 claims in the last minute. Please wait" in t for t in texts) == 1
    assert sum("Not found" in t for t in texts) == 2


def test_core_errors_are_explained(slack: SlackHarness) -> None:
    slack.command("/factcheck", "word " * 500)

    [answer] = slack.fake.wait_for("/hooks/1")
    assert "the limit is 2,000" in answer.body["text"]


def test_unexpected_errors_are_logged_and_the_user_gets_an_apology(
    slack: SlackHarness, factbot: Factbot, caplog: pytest.LogCaptureFixture
) -> None:
    factbot.close()  # a real failure: the store's connection is gone

    with caplog.at_level(logging.DEBUG):
        slack.command("/factcheck", NOT_FOUND)
        [answer] = slack.fake.wait_for("/hooks/1")

    assert answer.body["text"] == APOLOGY
    errors = [r for r in caplog.records if r.name == "factbot.slack" and r.exc_info]
    assert errors and "closed database" in caplog.text  # the traceback is in the log ...
    assert "closed" not in json.dumps(answer.body)  # ... and not in front of the user
    assert TOKEN not in caplog.text


@pytest.mark.parametrize("kind", ["app_uninstalled", "tokens_revoked"])
def test_one_workspace_uninstalling_is_logged_with_what_to_do(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture, kind: str
) -> None:
    body = {**mention_body("x", event_id=f"Ev-{kind}"), "event": {"type": kind}}

    with caplog.at_level(logging.WARNING, logger="factbot.slack"):
        assert slack.event(body).status == 200
        slack.fake.settle(0.3)

    assert f"uninstalled from workspace T0001 or its tokens revoked ({kind})" in caplog.text
    assert TOKEN not in caplog.text
