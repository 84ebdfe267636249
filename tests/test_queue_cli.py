"""`factbot checks` and `factbot queue` through click, on a private seeded store."""

from __future__ import annotations

import json
from pathlib import Path

from bot.reply import CheckReply, Verdict
from bot.service import Factbot
from facts.newsroom import Asked

HAMA = "Rebels captured the city of Hama."


def seed_hama(db_path: Path) -> int:
    """Two chat asks of one question and a source for its answer; returns the queue item's id."""
    bot = Factbot.open(db_path)
    bot.check(HAMA, asked=Asked("slack", "T1", "C1", "1700000000.000100", "U1"))
    bot.check("Did rebels capture Hama?", asked=Asked("discord", "G1", "C2", "555", "u2"))
    source = {"id": "r1", "outlet": "Reuters", "url": "https://reuters.example/h", "published": "2024-12-06"}
    bot.add_source(source, actor="test")
    item_id = bot.queue()[0].id
    bot.close()
    return item_id


def test_queue_list_json_has_the_documented_fields(run, db_path):
    seed_hama(db_path)
    result = run("queue", "list", "--json")

    assert result.exit_code == 0
    [item] = [json.loads(line) for line in result.output.splitlines()]
    assert {"id", "claim", "reason", "asked", "first_asked", "last_asked"} <= set(item)
    assert (item["claim"], item["reason"], item["asked"], item["status"]) == (HAMA, "not_found", 2, "open")


def test_cli_check_is_logged_and_a_not_found_one_queued(run):
    assert run("check", HAMA).exit_code == 0
    [check] = [json.loads(line) for line in run("checks", "list").output.splitlines()]
    assert (check["claim"], check["verdict"], check["platform"]) == (HAMA, "not_found", "cli")
    assert HAMA in run("queue", "list").output


def test_adding_a_fact_offers_the_questions_it_answers_and_answer_records_follow_ups(run, db_path):
    item_id = seed_hama(db_path)

    added = run("facts", "add", "--text", "Rebels captured the city of Hama on Thursday.", "--source", "r1")
    fact_id = int(added.output.split("#")[1].split()[0])
    assert f"factbot queue answer {item_id} {fact_id}" in added.output
    answered = run("queue", "answer", str(item_id), str(fact_id))

    assert answered.exit_code == 0
    assert answered.output.startswith(f"answered queue item #{item_id}: SUPPORTED")
    assert "2 follow-up(s) queued" in answered.output
    bot = Factbot.open(db_path)
    posts = bot.pending_followups("slack") + bot.pending_followups("discord")
    assert [CheckReply.from_record(p.reply).verdict for p in posts] == [Verdict.SUPPORTED] * 2
    bot.close()
    assert run("queue", "list").output == ""
    again = run("queue", "answer", str(item_id), str(fact_id))
    assert again.exit_code == 1 and "already answered" in again.stderr


def test_answer_with_an_unrelated_fact_is_refused_and_the_item_stays_open(run, db_path):
    item_id = seed_hama(db_path)

    result = run("queue", "answer", str(item_id), "1")

    assert result.exit_code == 1 and "does not bear" in result.stderr and "stays open" in result.stderr
    assert HAMA in run("queue", "list").output


def test_dismiss_closes_with_a_note(run, db_path):
    item_id = seed_hama(db_path)

    assert run("queue", "dismiss", str(item_id), "--note", "opinion").exit_code == 0
    [item] = [
        json.loads(line) for line in run("queue", "list", "--status", "all", "--json").output.splitlines()
    ]
    assert (item["status"], item["note"]) == ("dismissed", "opinion")
    assert run("queue", "dismiss", "999").exit_code == 1


def test_checks_purge_uses_the_setting_and_refuses_a_bad_one(run, db_path, monkeypatch):
    seed_hama(db_path)
    monkeypatch.setenv("FACTBOT_CHECK_LOG_DAYS", "30")
    assert run("checks", "purge").output == "purged 0 checks older than 30 days\n"
    assert run("checks", "purge", "--days", "7").output == "purged 0 checks older than 7 days\n"
    monkeypatch.setenv("FACTBOT_CHECK_LOG_DAYS", "ninety")
    refused = run("checks", "purge")
    assert refused.exit_code == 2 and "FACTBOT_CHECK_LOG_DAYS must be a whole number" in refused.output


def test_the_bots_refuse_a_bad_retention_setting_at_start():
    import pytest

    from adapters.discord import DiscordSettings, SettingsError
    from adapters.slack.settings import SlackSettings

    with pytest.raises(SettingsError, match="FACTBOT_CHECK_LOG_DAYS must be a whole number"):
        SlackSettings.from_env({"SLACK_BOT_TOKEN": "xoxb-1", "FACTBOT_CHECK_LOG_DAYS": "-3"})
    with pytest.raises(SettingsError, match="FACTBOT_CHECK_LOG_DAYS must be a whole number"):
        DiscordSettings.from_env({"DISCORD_TOKEN": "t", "FACTBOT_CHECK_LOG_DAYS": "0"})
    assert (
        SlackSettings.from_env({"SLACK_BOT_TOKEN": "xoxb-1", "FACTBOT_CHECK_LOG_DAYS": "30"}).check_log_days
        == 30
    )
    assert DiscordSettings.from_env({"DISCORD_TOKEN": "t"}).check_log_days == 90


def test_importing_facts_offers_the_questions_they_answer(run, db_path, tmp_path):
    item_id = seed_hama(db_path)
    path = tmp_path / "new.jsonl"
    path.write_text(
        json.dumps({"text": "Rebels captured the city of Hama on Thursday.", "source": "r1"}) + "\n"
    )

    result = run("facts", "import", str(path))

    assert result.exit_code == 0 and result.output.startswith("imported 1 facts")
    assert f"factbot queue answer {item_id} " in result.output
