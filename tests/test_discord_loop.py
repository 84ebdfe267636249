"""The newsroom loop in Discord, through discord.py's own interaction path against a fake Discord on
127.0.0.1: checks logged, feedback buttons, /fact queue|answer|dismiss, follow-ups as replies."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from discord_fake import (
    CHANNEL_ID,
    GUILD_ID,
    MANAGE_MESSAGES,
    MEMBER_ID,
    Harness,
    button_click,
    member,
    message_command,
    message_payload,
    modal_submit,
    scenario_runner,
    slash,
)

import adapters.discord.client as adapter
from bot.presentation import THANKS_HELPFUL, THANKS_WRONG
from bot.service import Factbot
from facts.newsroom import FollowUpStatus, QueueReason, QueueStatus

EPHEMERAL = 64
HAMA = "Rebels captured the city of Hama."
HAMA_FACT = "Rebels captured the city of Hama on Thursday."
SUPPORTED = "Rebels took 32 villages on the first day of the offensive."
MOD = member(MANAGE_MESSAGES, user_id="900000000000000099")
Scenario = Callable[[Harness], Awaitable[None]]


@pytest.fixture
def factbot(tmp_path: Path) -> Factbot:
    bot = Factbot.open(tmp_path / "f.db")
    bot.add_source(
        {"id": "r1", "outlet": "Reuters", "url": "https://reuters.example/hama", "published": "2024-12-06"},
        actor="test",
    )
    yield bot
    bot.close()


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, factbot: Factbot) -> Callable[..., None]:
    return scenario_runner(monkeypatch, factbot)


def data(call: Any) -> dict[str, Any]:
    return call.body["data"] if isinstance(call.body, dict) and "data" in call.body else call.body


def custom_ids(call: Any) -> list[str]:
    return [c["custom_id"] for row in data(call).get("components", []) for c in row["components"]]


def add_hama_fact(factbot: Factbot) -> int:
    fact = factbot.add_fact({"statement": HAMA_FACT, "source_id": "r1"}, actor="discord:mod")
    assert fact.id is not None
    return fact.id


async def ask(h: Harness, claim: str, **options: Any) -> Any:
    """/factcheck CLAIM; a public ask returns once the adapter has stored the id of its answer
    message (it does so after sending the answer: the message to reply to later)."""
    (call,) = await h.send(slash("factcheck", {"claim": claim, **options}))
    if not options.get("private"):
        deadline = asyncio.get_running_loop().time() + 10
        while not all(c.asked.reply_to for c in h.client.factbot.logged_checks() if not c.asked.private):
            assert asyncio.get_running_loop().time() < deadline, "the answer's message id was not stored"
            await asyncio.sleep(0.02)
    return call


# -- 1 and 3: logged checks and feedback buttons -----------------------------------------------
def test_a_factcheck_is_logged_and_answered_with_feedback_buttons(run, factbot):
    async def scenario(h: Harness) -> None:
        call = await ask(h, SUPPORTED)
        [logged] = factbot.logged_checks()
        assert custom_ids(call) == [
            f"factbot:feedback:helpful:{logged.id}",
            f"factbot:feedback:wrong:{logged.id}",
        ]
        labels = [c["label"] for row in data(call)["components"] for c in row["components"]]
        assert labels == ["👍 Helpful", "👎 Wrong verdict"]
        assert logged.asked.platform == "discord" and logged.asked.workspace == GUILD_ID
        assert (logged.asked.channel, logged.asked.asker) == (CHANNEL_ID, MEMBER_ID)
        assert logged.asked.reply_to.isdigit()  # the answer message, to reply to later
        assert logged.verdict == "supported"

    run(scenario)


def test_the_context_menu_logs_the_message_to_reply_to(run, factbot):
    target = message_payload(HAMA, message_id="700000000000000001")

    async def scenario(h: Harness) -> None:
        await h.send(message_command("Fact-check this message", target))
        [logged] = factbot.logged_checks()
        assert logged.asked.reply_to == "700000000000000001"
        assert factbot.queue()[0].claim == HAMA

    run(scenario)


def test_thumbs_down_thanks_privately_and_queues(run, factbot):
    async def scenario(h: Harness) -> None:
        await ask(h, SUPPORTED)
        check_id = factbot.logged_checks()[0].id
        (thanks,) = await h.send(button_click(f"factbot:feedback:wrong:{check_id}"))
        assert data(thanks)["flags"] & EPHEMERAL and data(thanks)["content"] == THANKS_WRONG
        [item] = factbot.queue()
        assert (item.claim, item.reason) == (SUPPORTED, QueueReason.FEEDBACK)
        (up,) = await h.send(button_click(f"factbot:feedback:helpful:{check_id}", who=member(user_id="42")))
        assert data(up)["content"] == THANKS_HELPFUL and data(up)["flags"] & EPHEMERAL

    run(scenario)


# -- 2: the queue, moderators only ------------------------------------------------------------
@pytest.mark.parametrize("command", [("queue", {}), ("answer", {"queue_id": 1, "fact_id": 2}),
                                     ("dismiss", {"queue_id": 1})])  # fmt: skip
def test_queue_commands_are_for_moderators(run, factbot, command):
    name, options = command

    async def scenario(h: Harness) -> None:
        (call,) = await h.send(slash(name, options, group="fact"))
        assert data(call)["flags"] & EPHEMERAL and data(call)["content"] == adapter.NOT_A_MODERATOR

    run(scenario)


def test_fact_queue_lists_open_questions_escaped(run, factbot):
    async def scenario(h: Harness) -> None:
        await ask(h, "@everyone Rebels captured the city of **Hama**")
        await ask(h, "@everyone Rebels captured the city of **Hama**")
        (call,) = await h.send(slash("queue", group="fact", who=MOD))
        [embed] = data(call)["embeds"]
        assert data(call)["flags"] & EPHEMERAL and embed["title"] == "1 open question"
        [field] = embed["fields"]
        assert "asked 2 times" in field["name"] and "not found" in field["name"]
        assert "@\u200beveryone" in field["value"] and "\\*\\*Hama\\*\\*" in field["value"]

    run(scenario)


# -- 4: answering -----------------------------------------------------------------------------
def test_answer_tells_the_moderator_and_replies_to_the_original_message_once(run, factbot):
    target = message_payload(HAMA, message_id="700000000000000002")

    async def scenario(h: Harness) -> None:
        await h.send(message_command("Fact-check this message", target))
        item_id, fact_id = factbot.queue()[0].id, add_hama_fact(factbot)
        payload = slash("answer", {"queue_id": item_id, "fact_id": fact_id}, group="fact", who=MOD)
        (told,) = await h.send(payload)
        assert data(told)["flags"] & EPHEMERAL
        assert data(told)["content"].startswith(f"Answered queue item #{item_id} with fact #{fact_id}")
        assert data(told)["embeds"][0]["title"].endswith("Supported")
        [reply] = await h.fake.wait_for(lambda f: f.posts_to(f"/channels/{CHANNEL_ID}/messages"))
        body = reply.body
        assert str(body["message_reference"]["message_id"]) == "700000000000000002"
        assert body["message_reference"]["fail_if_not_exists"] is False
        assert body["allowed_mentions"] == {"parse": []}
        assert (
            body["embeds"][0]["title"].endswith("Supported")
            and "moderator has found" in body["embeds"][0]["description"]
        )
        assert factbot.queue() == [] and factbot.queue(status=QueueStatus.ANSWERED)[0].fact_id == fact_id

        (again,) = await h.send(
            slash("answer", {"queue_id": item_id, "fact_id": fact_id}, group="fact", who=MOD)
        )
        assert "already answered" in data(again)["content"]
        await asyncio.sleep(0.1)
        assert len(h.fake.posts_to(f"/channels/{CHANNEL_ID}/messages")) == 1

    run(scenario)


def test_a_slash_factcheck_is_answered_as_a_reply_to_the_bots_answer(run, factbot):
    async def scenario(h: Harness) -> None:
        await ask(h, HAMA)
        answer_message = factbot.logged_checks()[0].asked.reply_to
        await h.send(slash("answer", {"queue_id": factbot.queue()[0].id, "fact_id": add_hama_fact(factbot)},
                           group="fact", who=MOD))  # fmt: skip
        [reply] = await h.fake.wait_for(lambda f: f.posts_to(f"/channels/{CHANNEL_ID}/messages"))
        assert str(reply.body["message_reference"]["message_id"]) == answer_message

    run(scenario)


def test_a_private_ask_is_answered_by_direct_message(run, factbot):
    async def scenario(h: Harness) -> None:
        await ask(h, HAMA, private=True)
        await h.send(slash("answer", {"queue_id": factbot.queue()[0].id, "fact_id": add_hama_fact(factbot)},
                           group="fact", who=MOD))  # fmt: skip
        [dm] = await h.fake.wait_for(lambda f: f.posts_to("/users/@me/channels"))
        assert str(dm.body["recipient_id"]) == MEMBER_ID
        [sent] = await h.fake.wait_for(
            lambda f: [c for c in f.posts_to("/channels/") if c.path.endswith("/messages")]
        )
        assert f"/channels/{CHANNEL_ID}/" not in sent.path and sent.body["allowed_mentions"] == {"parse": []}

    run(scenario)


def test_a_follow_up_to_a_channel_the_bot_left_is_logged_and_the_item_closes(run, factbot, caplog):
    async def scenario(h: Harness) -> None:
        await ask(h, HAMA)
        h.fake.failures[f"/channels/{CHANNEL_ID}/messages"] = (403, 50001)  # Missing Access
        item_id = factbot.queue()[0].id
        with caplog.at_level(logging.WARNING, logger="factbot.loop"):
            options = {"queue_id": item_id, "fact_id": add_hama_fact(factbot)}
            await h.send(slash("answer", options, group="fact", who=MOD))
            await h.fake.wait_for(lambda f: f.posts_to(f"/channels/{CHANNEL_ID}/messages"))
            await asyncio.sleep(0.1)
        [followup] = factbot.loop.records.followups(queue_id=item_id)
        assert followup.status is FollowUpStatus.FAILED
        error = factbot.store.db.execute(
            "SELECT error FROM followups WHERE id = ?", [followup.id]
        ).fetchone()[0]
        assert error.startswith("403")
        assert any("could not be posted" in r.getMessage() for r in caplog.records)
        assert factbot.queue(status=QueueStatus.ANSWERED)[0].id == item_id

    run(scenario)


def test_an_answer_recorded_by_the_cli_is_posted_by_the_running_bot(run, factbot):
    async def scenario(h: Harness) -> None:
        await ask(h, HAMA)
        other_process = Factbot.open(factbot.store.db.conn.execute("PRAGMA database_list").fetchone()[2])
        other_process.answer_queue_item(other_process.queue()[0].id, add_hama_fact(factbot), actor="cli")
        other_process.close()
        [reply] = await h.fake.wait_for(lambda f: f.posts_to(f"/channels/{CHANNEL_ID}/messages"))
        assert reply.body["allowed_mentions"] == {"parse": []}
        assert await h.client.deliver_followups() == 0  # posted once

    run(scenario, followup_poll=0.05)


def test_dismiss_closes_without_posting(run, factbot):
    async def scenario(h: Harness) -> None:
        await ask(h, HAMA)
        (call,) = await h.send(slash("dismiss", {"queue_id": factbot.queue()[0].id, "reason": "opinion"},
                                     group="fact", who=MOD))  # fmt: skip
        assert "Dismissed queue item" in data(call)["content"]
        assert factbot.queue(status=QueueStatus.DISMISSED)[0].note == "opinion"
        assert h.fake.posts_to("/channels/") == []

    run(scenario)


# -- 5 and 6: learning and offers ---------------------------------------------------------------
def test_the_same_question_later_gets_the_answer(run, factbot):
    async def scenario(h: Harness) -> None:
        await ask(h, HAMA)
        await h.send(slash("answer", {"queue_id": factbot.queue()[0].id, "fact_id": add_hama_fact(factbot)},
                           group="fact", who=MOD))  # fmt: skip
        later = await ask(h, "did rebels capture Hama?")
        assert data(later)["embeds"][0]["title"].endswith("Supported")

    run(scenario)


def test_adding_a_fact_offers_the_open_questions_it_answers(run, factbot):
    async def scenario(h: Harness) -> None:
        await ask(h, HAMA)
        item_id = factbot.queue()[0].id
        (opened,) = await h.send(slash("add", {"kind": "event"}, group="fact", who=MOD))
        custom_id = opened.body["data"]["custom_id"]
        submit = modal_submit(custom_id, {"statement": HAMA_FACT, "source_id": "r1", "evidence": ""}, who=MOD)
        added, offered = await h.send(submit, count=2)
        assert data(offered)["flags"] & EPHEMERAL and f"#{item_id}" in data(offered)["content"]
        [button] = custom_ids(offered)
        assert button.startswith(f"factbot:post:{item_id}:")
        (refused,) = await h.send(button_click(button))
        assert data(refused)["content"] == adapter.NOT_A_MODERATOR
        (told,) = await h.send(button_click(button, who=MOD))
        assert data(told)["content"].startswith(f"Answered queue item #{item_id}")
        await h.fake.wait_for(lambda f: f.posts_to(f"/channels/{CHANNEL_ID}/messages"))
        assert factbot.queue() == []

    run(scenario)


# -- the "done when", as a moderator would try it ---------------------------------------
def test_walkthrough_not_found_and_thumbs_down_queued_answered_as_reply_and_learned(run, factbot):
    target = message_payload(HAMA, message_id="700000000000000003")

    async def scenario(h: Harness) -> None:
        await h.send(message_command("Fact-check this message", target))  # not found: queued
        await ask(h, SUPPORTED)
        disputed = factbot.logged_checks()[-1].id
        await h.send(button_click(f"factbot:feedback:wrong:{disputed}", who=member(user_id="77")))
        (listing,) = await h.send(slash("queue", group="fact", who=MOD))
        names = " ".join(f["name"] for f in data(listing)["embeds"][0]["fields"])
        assert "not found" in names and "disputed (👎)" in names

        hama = next(i for i in factbot.queue() if i.claim == HAMA)
        await h.send(
            slash("answer", {"queue_id": hama.id, "fact_id": add_hama_fact(factbot)}, group="fact", who=MOD)
        )
        [reply] = await h.fake.wait_for(lambda f: f.posts_to(f"/channels/{CHANNEL_ID}/messages"))
        assert str(reply.body["message_reference"]["message_id"]) == "700000000000000003"
        assert reply.body["allowed_mentions"] == {"parse": []}
        assert [i.claim for i in factbot.queue()] == [SUPPORTED]

        again = await ask(h, "Is it true that rebels took the city of Hama?")
        assert data(again)["embeds"][0]["title"].endswith("Supported")

    run(scenario)
