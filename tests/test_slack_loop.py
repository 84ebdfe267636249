"""The newsroom loop in Slack, through bolt's own dispatch against a fake Slack on 127.0.0.1: checks
logged, feedback buttons, /fact queue|answer|dismiss, follow-ups in the original thread, offers."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest
from slack_fake import BOT_USER, TEAM, SlackHarness, action_payload, mention_body, view_submission
from slack_sdk import WebClient

from adapters.slack.app import NOT_A_MODERATOR, FollowUpPoster, deliver_followups
from adapters.slack.blocks import HELPFUL_ACTION, POST_ANSWER_ACTION, WRONG_ACTION
from bot.presentation import FOLLOWUP_NOTE, THANKS_HELPFUL, THANKS_WRONG
from bot.service import Factbot
from facts.newsroom import Asked, FollowUpStatus, QueueReason, QueueStatus

MOD = "UMOD"
HAMA = "Rebels captured the city of Hama."
HAMA_FACT = "Rebels captured the city of Hama on Thursday."
SUPPORTED = "Rebels took 32 villages on the first day of the offensive."
# As Slack delivers text a user typed: "<!channel>" typed literally arrives as "&lt;!channel&gt;".
INJECTION = "&lt;!channel&gt; Rebels captured the city of Hama &lt;!here&gt;"
LIVE_MARKUP = re.compile(r"<(?:!|@|#)")  # citations carry real <https:...|outlet> links
THREAD = "1700000000.000100"


@pytest.fixture
def slack(factbot: Factbot) -> Iterator[SlackHarness]:
    factbot.add_source(
        {"id": "r1", "outlet": "Reuters", "url": "https://reuters.example/hama", "published": "2024-12-06"},
        actor="test",
    )
    with SlackHarness(factbot, moderators=(MOD,)) as harness:
        yield harness


def ask(slack: SlackHarness, claim: str, *, ts: str = THREAD, event_id: str = "Ev1") -> dict[str, Any]:
    """@Factbot CLAIM in channel C1; returns the posted answer."""
    posted = len(slack.fake.calls_to("/api/chat.postMessage"))
    slack.event(mention_body(f"<@{BOT_USER}> {claim}", ts=ts, event_id=event_id))
    return slack.fake.wait_for("/api/chat.postMessage", count=posted + 1)[-1].body


def add_hama_fact(factbot: Factbot) -> int:
    fact = factbot.add_fact({"statement": HAMA_FACT, "source_id": "r1"}, actor="slack:UMOD")
    assert fact.id is not None
    return fact.id


def buttons(message: dict[str, Any], block_id: str) -> list[dict[str, Any]]:
    [block] = [b for b in message["blocks"] if b.get("block_id") == block_id]
    return block["elements"]


def hook_bodies(slack: SlackHarness) -> list[dict[str, Any]]:
    return [c.body for c in slack.fake.calls_to("/hooks/1")]


# -- 1. every check is logged ----------------------------------------------------------------
def test_a_mention_is_logged_with_workspace_channel_thread_and_asker(slack: SlackHarness, factbot: Factbot):
    ask(slack, SUPPORTED)

    [logged] = factbot.logged_checks()
    assert logged.asked == Asked("slack", TEAM, "C1", THREAD, "U123")
    assert (logged.claim, logged.verdict) == (SUPPORTED, "supported")


def test_a_private_factcheck_is_logged_as_private(slack: SlackHarness, factbot: Factbot):
    slack.command("/factcheck", HAMA)
    slack.fake.wait_for("/hooks/1")

    [logged] = factbot.logged_checks()
    assert logged.asked == Asked("slack", TEAM, "C1", "", "U123", private=True)


# -- 3. feedback ------------------------------------------------------------------------------
def test_every_verdict_has_the_two_feedback_buttons(slack: SlackHarness, factbot: Factbot):
    answer = ask(slack, SUPPORTED)

    helpful, wrong = buttons(answer, "factbot_feedback")
    check_id = str(factbot.logged_checks()[0].id)
    assert (helpful["text"]["text"], helpful["action_id"], helpful["value"]) == (
        "👍 Helpful",
        HELPFUL_ACTION,
        check_id,
    )
    assert (wrong["text"]["text"], wrong["action_id"], wrong["value"]) == (
        "👎 Wrong verdict",
        WRONG_ACTION,
        check_id,
    )


def test_thumbs_down_thanks_only_the_clicker_and_queues_the_check(slack: SlackHarness, factbot: Factbot):
    ask(slack, SUPPORTED)
    check_id = str(factbot.logged_checks()[0].id)

    slack.payload(action_payload(WRONG_ACTION, check_id, user="U555", response_url=slack.fake.hook()))

    [thanks] = slack.fake.wait_for("/hooks/1")
    assert thanks.body["response_type"] == "ephemeral" and thanks.body["replace_original"] is False
    assert thanks.body["text"] == THANKS_WRONG
    [item] = factbot.queue()
    assert (item.claim, item.reason) == (SUPPORTED, QueueReason.FEEDBACK)


def test_thumbs_up_thanks_and_queues_nothing(slack: SlackHarness, factbot: Factbot):
    ask(slack, SUPPORTED)

    slack.payload(
        action_payload(HELPFUL_ACTION, str(factbot.logged_checks()[0].id), response_url=slack.fake.hook())
    )

    [thanks] = slack.fake.wait_for("/hooks/1")
    assert thanks.body["text"] == THANKS_HELPFUL and thanks.body["response_type"] == "ephemeral"
    assert factbot.queue() == []


# -- 2. the queue, moderators only -------------------------------------------------------------
def test_fact_queue_is_for_moderators(slack: SlackHarness):
    for verb in ("queue", "answer 1 2", "dismiss 1"):
        response = slack.command("/fact", verb, user="U123")
        assert response.body == NOT_A_MODERATOR


def test_fact_queue_lists_open_questions_escaped(slack: SlackHarness, factbot: Factbot):
    ask(slack, INJECTION)
    ask(slack, INJECTION, ts="1700000000.000200", event_id="Ev2")

    slack.command("/fact", "queue", user=MOD)

    [listing] = slack.fake.wait_for("/hooks/1")
    text = json.dumps(listing.body["blocks"], ensure_ascii=False)
    assert listing.body["response_type"] == "ephemeral"
    assert f"*#{factbot.queue()[0].id}*" in text and "asked 2 times" in text and "not found" in text
    assert "&lt;!channel&gt;" in text and not LIVE_MARKUP.search(text)


def test_an_empty_queue_says_so(slack: SlackHarness):
    slack.command("/fact", "queue", user=MOD)
    [listing] = slack.fake.wait_for("/hooks/1")
    assert "The queue is empty" in listing.body["text"]


# -- 4. answering -----------------------------------------------------------------------------
def test_answer_tells_the_moderator_and_posts_in_the_original_thread_once(
    slack: SlackHarness, factbot: Factbot
):
    ask(slack, INJECTION)
    item_id, fact_id = factbot.queue()[0].id, add_hama_fact(factbot)

    slack.command("/fact", f"answer {item_id} {fact_id}", user=MOD)

    [told] = slack.fake.wait_for("/hooks/1")
    assert told.body["response_type"] == "ephemeral"
    assert f"Answered queue item *#{item_id}* with fact #{fact_id}" in json.dumps(told.body["blocks"])
    assert "Supported" in json.dumps(told.body["blocks"])
    question, followup = slack.fake.wait_for("/api/chat.postMessage", count=2)
    assert followup.body["channel"] == "C1" and followup.body["thread_ts"] == THREAD
    assert followup.body["blocks"][0]["elements"][0]["text"] == FOLLOWUP_NOTE
    text = json.dumps(followup.body, ensure_ascii=False)
    assert "Supported" in text and f"fact #{fact_id}" in text
    assert "&lt;!channel&gt;" in text and "&lt;!here&gt;" in text and not LIVE_MARKUP.search(text)
    assert "link_names" not in followup.body and "parse" not in followup.body
    assert factbot.queue() == [] and factbot.queue(status=QueueStatus.ANSWERED)[0].closed_by == "slack:UMOD"

    slack.command("/fact", f"answer {item_id} {fact_id}", user=MOD)  # twice: posts once
    again = slack.fake.wait_for("/hooks/1", count=2)[-1]
    assert "already answered" in again.body["text"]
    slack.fake.settle(0.2)
    assert len(slack.fake.calls_to("/api/chat.postMessage")) == 2


def test_answer_with_a_fact_that_does_not_bear_on_it_is_refused(slack: SlackHarness, factbot: Factbot):
    ask(slack, HAMA)

    slack.command("/fact", f"answer {factbot.queue()[0].id} 1", user=MOD)

    [told] = slack.fake.wait_for("/hooks/1")
    assert "does not bear" in told.body["text"] and "stays open" in told.body["text"]
    assert len(factbot.queue()) == 1


def test_a_follow_up_to_a_deleted_thread_is_logged_and_the_item_still_closes(
    slack: SlackHarness, factbot: Factbot, caplog: pytest.LogCaptureFixture
):
    ask(slack, HAMA)
    item_id, fact_id = factbot.queue()[0].id, add_hama_fact(factbot)
    slack.fake.errors["chat.postMessage"] = "channel_not_found"

    with caplog.at_level(logging.WARNING, logger="factbot.loop"):
        slack.command("/fact", f"answer {item_id} {fact_id}", user=MOD)
        slack.fake.wait_for("/hooks/1")

    [followup] = factbot.loop.records.followups(queue_id=item_id)
    assert followup.status is FollowUpStatus.FAILED
    assert any("channel_not_found" in r.getMessage() for r in caplog.records)
    assert factbot.queue(status=QueueStatus.ANSWERED)[0].id == item_id


def test_dismiss_closes_without_posting(slack: SlackHarness, factbot: Factbot):
    ask(slack, HAMA)

    slack.command("/fact", f"dismiss {factbot.queue()[0].id} an opinion", user=MOD)

    [told] = slack.fake.wait_for("/hooks/1")
    assert "Dismissed queue item" in told.body["text"]
    assert factbot.queue(status=QueueStatus.DISMISSED)[0].note == "an opinion"
    assert len(slack.fake.calls_to("/api/chat.postMessage")) == 1  # only the first answer


def test_an_answer_recorded_by_the_cli_is_posted_by_the_running_bot(slack: SlackHarness, factbot: Factbot):
    ask(slack, HAMA)
    item_id, fact_id = factbot.queue()[0].id, add_hama_fact(factbot)
    other_process = Factbot.open(factbot.store.db.conn.execute("PRAGMA database_list").fetchone()[2])
    other_process.answer_queue_item(item_id, fact_id, actor="cli")  # what `factbot queue answer` does
    other_process.close()
    poster = FollowUpPoster(factbot, WebClient(token="xoxb-t", base_url=slack.fake.api_url), every=0.05)

    poster.start()
    try:
        _, followup = slack.fake.wait_for("/api/chat.postMessage", count=2)
    finally:
        poster.stop()
    assert followup.body["thread_ts"] == THREAD and "Supported" in followup.body["text"]
    assert deliver_followups(factbot, WebClient(token="xoxb-t", base_url=slack.fake.api_url)) == 0


def test_a_private_ask_is_answered_privately(slack: SlackHarness, factbot: Factbot):
    slack.command("/factcheck", HAMA)
    slack.fake.wait_for("/hooks/1")

    slack.command("/fact", f"answer {factbot.queue()[0].id} {add_hama_fact(factbot)}", user=MOD)

    [private] = slack.fake.wait_for("/api/chat.postEphemeral")
    slack.fake.wait_for("/hooks/1", count=2)  # the moderator is told too
    assert private.body["channel"] == "C1" and private.body["user"] == "U123"
    assert slack.fake.calls_to("/api/chat.postMessage") == []


# -- 5. learning -------------------------------------------------------------------------------
def test_the_same_question_later_gets_the_answer(slack: SlackHarness, factbot: Factbot):
    ask(slack, HAMA)
    slack.command("/fact", f"answer {factbot.queue()[0].id} {add_hama_fact(factbot)}", user=MOD)
    slack.fake.wait_for("/api/chat.postMessage", count=2)
    slack.fake.wait_for("/hooks/1")

    later = ask(slack, "did rebels capture Hama?", ts="1700000000.000900", event_id="Ev9")

    assert later["blocks"][0]["text"]["text"].endswith("Supported")


# -- 6. offers ---------------------------------------------------------------------------------
def test_adding_a_fact_offers_the_questions_it_answers_with_one_click(slack: SlackHarness, factbot: Factbot):
    ask(slack, HAMA)
    slack.command("/factadd", "", user=MOD)
    [opened] = slack.fake.wait_for("/api/views.open")
    slack.payload(view_submission(
        opened.body["view"],
        {"statement": HAMA_FACT, "kind": {"type": "static_select", "selected_option": {"value": "event"}},
         "source_id": {"type": "static_select", "selected_option": {"value": "r1"}}},
        user=MOD,
    ))  # fmt: skip

    added, offered = slack.fake.wait_for("/hooks/1", count=2)
    assert added.body["text"].startswith("Added fact #")
    [section] = [b for b in offered.body["blocks"] if "accessory" in b]
    button = section["accessory"]
    assert button["action_id"] == POST_ANSWER_ACTION and offered.body["response_type"] == "ephemeral"
    item_id, fact_id = (int(x) for x in button["value"].split(":"))
    assert item_id == factbot.queue()[0].id and factbot.get_fact(fact_id).statement == HAMA_FACT

    slack.payload(
        action_payload(POST_ANSWER_ACTION, button["value"], user="U123", response_url=slack.fake.hook())
    )
    refused = slack.fake.wait_for("/hooks/1", count=3)[-1]
    assert refused.body["text"] == NOT_A_MODERATOR
    slack.payload(
        action_payload(POST_ANSWER_ACTION, button["value"], user=MOD, response_url=slack.fake.hook())
    )

    _, followup = slack.fake.wait_for("/api/chat.postMessage", count=2)
    assert followup.body["thread_ts"] == THREAD
    told = slack.fake.wait_for("/hooks/1", count=4)[-1]
    assert "Answered queue item" in told.body["text"]
    assert factbot.queue() == []


def test_restoring_a_fact_offers_the_questions_it_answers(slack: SlackHarness, factbot: Factbot):
    fact_id = add_hama_fact(factbot)
    factbot.retire_fact(fact_id, actor="test")
    ask(slack, HAMA)

    slack.command("/fact", f"restore {fact_id}", user=MOD)

    restored, offered = slack.fake.wait_for("/hooks/1", count=2)
    assert f"Fact #{fact_id}" in restored.body["text"]
    [section] = [b for b in offered.body["blocks"] if "accessory" in b]
    assert section["accessory"]["value"] == f"{factbot.queue()[0].id}:{fact_id}"


# -- the "done when", as a moderator would try it ---------------------------------------
def test_walkthrough_not_found_and_thumbs_down_queued_answered_in_thread_and_learned(
    slack: SlackHarness, factbot: Factbot
):
    ask(slack, HAMA)  # not found: queued
    disputed = ask(slack, SUPPORTED, ts="1700000000.000300", event_id="Ev3")
    [wrong] = [b for b in buttons(disputed, "factbot_feedback") if b["action_id"] == WRONG_ACTION]
    slack.payload(action_payload(WRONG_ACTION, wrong["value"], user="U777", response_url=slack.fake.hook()))
    slack.fake.wait_for("/hooks/1")

    slack.command("/fact", "queue", user=MOD)
    listing = json.dumps(slack.fake.wait_for("/hooks/1", count=2)[-1].body["blocks"], ensure_ascii=False)
    assert "not found" in listing and "disputed (👎)" in listing and HAMA in listing and SUPPORTED in listing

    hama = next(i for i in factbot.queue() if i.claim == HAMA)
    slack.command("/fact", f"answer {hama.id} {add_hama_fact(factbot)}", user=MOD)
    followup = slack.fake.wait_for("/api/chat.postMessage", count=3)[-1]
    assert followup.body["thread_ts"] == THREAD and "Supported" in followup.body["text"]
    assert [i.claim for i in factbot.queue()] == [SUPPORTED]

    again = ask(
        slack, "Is it true that rebels took the city of Hama?", ts="1700000000.000400", event_id="Ev4"
    )
    assert again["blocks"][0]["text"]["text"].endswith("Supported")
    slack.fake.wait_for("/hooks/1", count=3)


def test_with_many_workspaces_an_answer_posts_only_what_was_asked_in_the_moderators(
    slack: SlackHarness, factbot: Factbot
):
    ask(slack, HAMA)  # asked in TEAM
    factbot.check(HAMA, asked=Asked("slack", "T_OTHER", "C7", "1700000000.000700", "U7"))
    factbot.answer_queue_item(factbot.queue()[0].id, add_hama_fact(factbot), actor="cli")
    client = WebClient(token="xoxb-t", base_url=slack.fake.api_url)

    assert deliver_followups(factbot, client, workspace=TEAM) == 1
    [other] = factbot.pending_followups("slack")
    assert other.where.workspace == "T_OTHER"  # waits for a client with that workspace's token
