"""The newsroom loop in the core (bot/loop.py, facts/newsroom.py) on a real seeded store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.reply import CheckReply, Verdict
from bot.service import Factbot
from facts.errors import NotAnAnswer, QueueItemClosed, UnknownCheck, UnknownQueueItem
from facts.newsroom import Asked, FollowUpStatus, QueueReason, QueueStatus

HAMA = "Rebels captured the city of Hama."
HAMA_AGAIN = "Did rebels capture Hama?"  # understood as "rebels capture Hama": close words
HOMS = "Rebels captured the city of Homs."
FORTY = "Rebels took 40 villages around Hama on Thursday."
SUPPORTED = "Rebels took 32 villages on the first day of the offensive."
THREAD = Asked("slack", "T1", "C1", "1700000000.000100", "U1")


def where(n: int, platform: str = "slack") -> Asked:
    return Asked(platform, "T1", f"C{n}", f"17000000{n:02d}.000100", f"U{n}")


@pytest.fixture
def bot(factbot: Factbot) -> Factbot:
    factbot.add_source(
        {"id": "r1", "outlet": "Reuters", "url": "https://reuters.example/hama", "published": "2024-12-06"},
        actor="test",
    )
    return factbot


def hama_fact(bot: Factbot, text: str = "Rebels captured the city of Hama on Thursday.") -> int:
    fact = bot.add_fact({"statement": text, "source_id": "r1"}, actor="slack:UMOD")
    assert fact.id is not None
    return fact.id


# -- 1. the check log ------------------------------------------------------------------------
def test_a_check_asked_in_chat_is_logged_with_where_and_who(bot: Factbot) -> None:
    reply = bot.check("Fact-check: " + SUPPORTED, asked=THREAD)

    assert reply.check_id is not None
    [logged] = bot.logged_checks()
    assert logged.id == reply.check_id
    assert (logged.claim, logged.understood) == ("Fact-check: " + SUPPORTED, SUPPORTED)
    assert logged.verdict == reply.verdict.value == "supported"
    assert logged.fact_ids == tuple(c.fact_id for c in reply.citations) and logged.fact_ids
    assert logged.asked == THREAD
    assert datetime.fromisoformat(logged.at) > datetime.now(UTC) - timedelta(minutes=1)
    assert logged.queue_id is None  # answered: nothing to queue


def test_a_check_without_a_place_is_not_logged(bot: Factbot) -> None:
    assert bot.check(HAMA).check_id is None  # eval, bench and --batch go this way
    assert bot.logged_checks() == [] and bot.queue() == []


def test_the_answer_message_can_be_set_after_posting(bot: Factbot) -> None:
    reply = bot.check(HAMA, asked=Asked("discord", "G", "C", "", "u"))
    bot.set_reply_to(reply.check_id, "12345")
    assert bot.logged_checks()[0].asked.reply_to == "12345"


# -- 2. the queue ----------------------------------------------------------------------------
def test_not_found_is_queued_and_the_same_question_joins_its_item(bot: Factbot) -> None:
    bot.check(HAMA, asked=where(1))
    bot.check(HAMA, asked=where(2, "discord"))
    bot.check(HAMA_AGAIN, asked=where(3))
    bot.check(HOMS, asked=where(4))  # another city: another question
    bot.check(SUPPORTED, asked=where(5))  # answered: not queued

    hama, homs = bot.queue()
    assert (hama.claim, hama.reason, hama.status, hama.asked) == (
        HAMA,
        QueueReason.NOT_FOUND,
        QueueStatus.OPEN,
        3,
    )
    assert hama.first_asked <= hama.last_asked
    assert (homs.claim, homs.asked) == (HOMS, 1)
    assert [c.queue_id for c in bot.logged_checks()] == [hama.id, hama.id, hama.id, homs.id, None]


def test_numbers_make_another_question(bot: Factbot) -> None:
    bot.check("Rebels took 40 villages around Hama on Thursday.", asked=where(1))
    bot.check("Rebels took 90 villages around Hama on Thursday.", asked=where(2))
    assert [item.asked for item in bot.queue()] == [1, 1]


def test_thumbs_down_queues_the_check_with_reason_feedback(bot: Factbot) -> None:
    reply = bot.check(SUPPORTED, asked=THREAD)

    assert bot.feedback(reply.check_id, helpful=True, user="U2") is True
    assert bot.queue() == []
    assert bot.feedback(reply.check_id, helpful=False, user="U3") is True
    assert bot.feedback(reply.check_id, helpful=False, user="U3") is False  # a double click
    bot.feedback(reply.check_id, helpful=False, user="U4")
    [item] = bot.queue()
    assert (item.claim, item.reason, item.asked) == (SUPPORTED, QueueReason.FEEDBACK, 1)


def test_feedback_on_an_unknown_check_is_refused(bot: Factbot) -> None:
    with pytest.raises(UnknownCheck):
        bot.feedback(999, helpful=False, user="U1")


# -- 4. answering ----------------------------------------------------------------------------
def test_answering_rechecks_closes_and_queues_one_follow_up_per_place(bot: Factbot) -> None:
    bot.check(HAMA, asked=where(1))
    bot.check(HAMA_AGAIN, asked=where(1))  # the same thread again: one post there
    bot.check(HAMA, asked=where(2, "discord"))
    bot.check(HAMA, asked=Asked("cli", asker="cli"))  # nowhere to post
    [item] = bot.queue()
    fact_id = hama_fact(bot)

    answer = bot.answer_queue_item(item.id, fact_id, actor="slack:UMOD")

    assert answer.reply.verdict is Verdict.SUPPORTED
    assert [c.fact_id for c in answer.reply.citations] == [fact_id]
    assert answer.item.status is QueueStatus.ANSWERED and answer.item.fact_id == fact_id
    assert answer.item.closed_by == "slack:UMOD" and answer.item.verdict == "supported"
    assert answer.followups == 2
    assert bot.queue() == []
    [slack] = bot.pending_followups("slack")
    [discord] = bot.pending_followups("discord")
    assert slack.where == where(1) and discord.where == where(2, "discord")
    assert CheckReply.from_record(slack.reply).to_record() == answer.reply.to_record()


def test_a_moderator_cannot_make_a_contradicting_fact_support_the_claim(bot: Factbot) -> None:
    bot.check(FORTY, asked=where(1))
    fact_id = hama_fact(bot, "Rebels took 12 villages around Hama on Thursday.")

    answer = bot.answer_queue_item(bot.queue()[0].id, fact_id, actor="cli")

    assert answer.reply.verdict is Verdict.CONTRADICTED
    assert "claim says 40, source says 12" in answer.reply.summary
    assert CheckReply.from_record(bot.pending_followups("slack")[0].reply).verdict is Verdict.CONTRADICTED


def test_a_fact_that_does_not_bear_on_the_question_is_refused_and_the_item_stays_open(bot: Factbot) -> None:
    bot.check(HOMS, asked=where(1))
    fact_id = hama_fact(bot)
    [item] = bot.queue()

    with pytest.raises(NotAnAnswer, match="does not bear"):
        bot.answer_queue_item(item.id, fact_id, actor="cli")
    assert bot.queue() == [item] and bot.pending_followups("slack") == []


def test_answering_twice_posts_once(bot: Factbot) -> None:
    bot.check(HAMA, asked=where(1))
    item_id, fact_id = bot.queue()[0].id, hama_fact(bot)
    bot.answer_queue_item(item_id, fact_id, actor="cli")

    with pytest.raises(QueueItemClosed, match="already answered by cli"):
        bot.answer_queue_item(item_id, fact_id, actor="slack:UMOD")
    with pytest.raises(QueueItemClosed):
        bot.dismiss_queue_item(item_id, actor="cli")
    assert len(bot.pending_followups("slack")) == 1


def test_a_follow_up_is_taken_by_one_poster_only_and_marked_done(bot: Factbot) -> None:
    bot.check(HAMA, asked=where(1))
    bot.answer_queue_item(bot.queue()[0].id, hama_fact(bot), actor="cli")
    [followup] = bot.pending_followups("slack")

    assert bot.claim_followup(followup.id) is True
    assert bot.claim_followup(followup.id) is False  # a second bot process
    assert bot.pending_followups("slack") == []
    bot.followup_done(followup, error="channel_not_found")
    [done] = bot.loop.records.followups()
    assert done.status is FollowUpStatus.FAILED


def test_unknown_queue_items_are_named(bot: Factbot) -> None:
    with pytest.raises(UnknownQueueItem, match="no queue item with id 42"):
        bot.answer_queue_item(42, 1, actor="cli")


# -- 5. learning ------------------------------------------------------------------------------
def test_an_answered_question_is_learned_and_a_dismissed_one_is_not(bot: Factbot) -> None:
    bot.check(HAMA, asked=where(1))
    bot.check(HOMS, asked=where(2))
    hama, homs = bot.queue()
    fact_id = hama_fact(bot)
    assert bot.loop.learned_for("rebels took the city of Hama") == []

    bot.answer_queue_item(hama.id, fact_id, actor="cli")
    bot.dismiss_queue_item(homs.id, actor="cli", note="not checkable")

    assert bot.loop.learned_for("rebels took the city of Hama") == [fact_id]
    assert bot.loop.learned_for("rebels capture Hama") == [fact_id]
    assert bot.loop.learned_for(HOMS) == []
    again = bot.check("Is it true that rebels took the city of Hama?", asked=where(3))
    assert again.verdict is Verdict.SUPPORTED and [c.fact_id for c in again.citations] == [fact_id]
    assert bot.queue() == []
    assert bot.queue(status=QueueStatus.DISMISSED)[0].note == "not checkable"


def test_a_learned_question_is_still_value_checked(bot: Factbot) -> None:
    bot.check("Rebels took 12 villages around Hama on Thursday.", asked=where(1))
    fact_id = hama_fact(bot, "Rebels took 12 villages around Hama on Thursday.")
    bot.answer_queue_item(bot.queue()[0].id, fact_id, actor="cli")

    reply = bot.check("Rebels took 40 villages around Hama on Thursday.", asked=where(2))
    assert reply.verdict is Verdict.CONTRADICTED


# -- 6. offers --------------------------------------------------------------------------------
def test_a_new_fact_is_offered_for_the_open_questions_it_answers(bot: Factbot) -> None:
    bot.check(HAMA, asked=where(1))
    bot.check(HOMS, asked=where(2))
    fact_id = hama_fact(bot)

    [offer] = bot.offers([fact_id])
    assert offer.item.claim == HAMA and offer.fact_id == fact_id and offer.verdict is Verdict.SUPPORTED
    assert bot.offers([1]) == []  # a seed fact about something else


# -- 1. retention -----------------------------------------------------------------------------
def test_purge_deletes_old_checks_but_not_facts_history_open_questions_or_confirmations(bot: Factbot) -> None:
    old = bot.check(SUPPORTED, asked=where(1))
    confirmed = bot.check(SUPPORTED, asked=where(2))
    bot.feedback(confirmed.check_id, helpful=True, user="UMOD", moderator=True)
    bot.feedback(old.check_id, helpful=True, user="U9")
    queued = bot.check(HAMA, asked=where(3))
    recent = bot.check(SUPPORTED, asked=where(4))
    db = bot.store.db
    long_ago = (datetime.now(UTC) - timedelta(days=91)).isoformat(timespec="seconds")
    db.execute("UPDATE checks SET at = ? WHERE id != ?", [long_ago, recent.check_id])
    db.conn.commit()
    facts_before = bot.last_fact_id(), db.execute("SELECT count(*) FROM changes").fetchone()

    assert bot.purge_checks(days=90) == 2

    assert [c.id for c in bot.logged_checks()] == [queued.check_id, recent.check_id]
    assert (bot.last_fact_id(), db.execute("SELECT count(*) FROM changes").fetchone()) == facts_before
    assert [c.claim for c in bot.loop.records.confirmations()] == [SUPPORTED]
    assert db.execute("SELECT count(*) FROM feedback WHERE moderator = 0").fetchone()[0] == 0


def test_naming_the_wrong_fact_for_an_answerable_question_names_the_right_ones(bot: Factbot) -> None:
    bot.check(HAMA, asked=where(1))
    fact_id = hama_fact(bot)

    with pytest.raises(NotAnAnswer, match=rf"supported from other facts \(#{fact_id}\): name one of those"):
        bot.answer_queue_item(bot.queue()[0].id, 1, actor="cli")


def test_follow_ups_can_be_taken_per_workspace(bot: Factbot) -> None:
    bot.check(HAMA, asked=Asked("slack", "T1", "C1", "1.1", "U1"))
    bot.check(HAMA, asked=Asked("slack", "T2", "C9", "2.2", "U2"))
    bot.answer_queue_item(bot.queue()[0].id, hama_fact(bot), actor="cli")

    assert [f.where.workspace for f in bot.pending_followups("slack", workspace="T2")] == ["T2"]
    assert [f.where.workspace for f in bot.pending_followups("slack")] == ["T1", "T2"]
