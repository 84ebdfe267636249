"""The Discord adapter through discord.py's own interaction path, against a fake Discord on 127.0.0.1.

Every test feeds raw INTERACTION_CREATE payloads to discord.py's parser and asserts what reaches the
fake API: the interaction callback, follow-ups, and the command sync.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from discord_fake import (
    APP_ID,
    CHANNEL_ID,
    GUILD_ID,
    MANAGE_MESSAGES,
    MEMBER_ID,
    NO_PERMISSIONS,
    Harness,
    discord,
    member,
    message_command,
    message_payload,
    modal_inputs,
    modal_submit,
    scenario_runner,
    slash,
)
from related_facts import RELATED_CLAIM

import adapters.discord.client as adapter
from adapters.discord.embeds import safe
from adapters.related import RELATED_LABEL, related_date
from bot.presentation import VERDICT_STYLE, citation_date, headline
from bot.ratelimit import RateLimit
from bot.reply import Verdict
from bot.service import Factbot
from facts.model import ChangeAction, FactStatus

CONTRADICTED = "Rebels took about 20 villages on the first day of the offensive."
NOT_FOUND = "Rebels captured the city of Hama."
EPHEMERAL = 64
CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, MODAL = 4, 5, 9
# A sentence that appears verbatim in the levant24 seed article.
LEVANT24_SENTENCE = (
    "On Wednesday evening, local sources confirmed the deaths of at least 15 Assad regime officers and "
    "soldiers during clashes at key sites, including the 46th Regiment base."
)
Scenario = Callable[[Harness], Awaitable[None]]


@pytest.fixture
def factbot(tmp_path: Path) -> Factbot:
    bot = Factbot.open(tmp_path / "f.db")
    yield bot
    bot.close()


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, factbot: Factbot) -> Callable[..., None]:
    return scenario_runner(monkeypatch, factbot)


def only_embed(call: Any) -> dict[str, Any]:
    data = call.body["data"] if "data" in call.body else call.body
    (embed,) = data["embeds"]
    return embed


def flags(call: Any) -> int:
    data = call.body.get("data", call.body)
    return int(data.get("flags") or 0)


# -- /factcheck ------------------------------------------------------------------------------
def test_factcheck_answers_publicly_with_the_cores_verdict_and_sources(run, factbot):
    expected = factbot.check(CONTRADICTED)
    assert expected.verdict is Verdict.CONTRADICTED

    async def scenario(h: Harness) -> None:
        (call,) = await h.send(slash("factcheck", {"claim": CONTRADICTED}))
        assert call.body["type"] == CHANNEL_MESSAGE
        assert flags(call) & EPHEMERAL == 0
        assert call.body["data"]["allowed_mentions"] == {"parse": []}
        embed = only_embed(call)
        assert embed["title"] == headline(expected)
        assert embed["color"] == VERDICT_STYLE[Verdict.CONTRADICTED].color
        assert f"**Claim:** {expected.understood}" in embed["description"]
        assert len(embed["fields"]) == len(expected.citations)
        field, citation = embed["fields"][0], expected.citations[0]
        assert f"fact #{citation.fact_id}" in field["name"]
        assert f"[{citation.outlet}, {citation_date(citation)}]({citation.url})" in field["value"]
        assert citation.quote in field["value"]
        assert f"**Why:** {safe(citation.reason)}" in field["value"]
        assert "claim says about 20" in citation.reason

    run(scenario)


def test_factcheck_of_a_not_found_claim_lists_related_facts_as_not_verified(run, factbot):
    expected = factbot.check(RELATED_CLAIM)
    assert expected.verdict is Verdict.NOT_FOUND and expected.related

    async def scenario(h: Harness) -> None:
        (call,) = await h.send(slash("factcheck", {"claim": RELATED_CLAIM}))
        assert call.body["data"]["allowed_mentions"] == {"parse": []}
        embed = only_embed(call)
        assert embed["title"] == headline(expected)
        assert len(embed["fields"]) == len(expected.related)
        for field, fact in zip(embed["fields"], expected.related, strict=True):
            assert field["name"] == f"{RELATED_LABEL}: {safe(fact.outlet)}"
            assert (
                f"[{fact.outlet}, {related_date(fact)}]({fact.url}) · fact #{fact.fact_id}" in field["value"]
            )
            assert fact.quote in field["value"]
        assert embed["footer"]["text"].startswith(RELATED_LABEL)

    run(scenario)


def test_factcheck_private_answers_ephemerally(run):
    async def scenario(h: Harness) -> None:
        (call,) = await h.send(slash("factcheck", {"claim": NOT_FOUND, "private": True}))
        assert call.body["type"] == CHANNEL_MESSAGE
        assert flags(call) & EPHEMERAL
        assert only_embed(call)["title"] == f"{VERDICT_STYLE[Verdict.NOT_FOUND].emoji} Not found"

    run(scenario)


def test_mentions_in_a_claim_never_ping_and_markdown_is_escaped(run):
    claim = (
        "@everyone @here <@123456789012345678> <@&234567890123456789> **Rebels** took ||about 20|| "
        "villages [trusted](https://evil.example) on the first day"
    )

    async def scenario(h: Harness) -> None:
        (call,) = await h.send(slash("factcheck", {"claim": claim}))
        assert call.body["data"]["allowed_mentions"] == {"parse": []}
        description = only_embed(call)["description"]
        assert re.search(r"@(everyone|here|&?\d)", description) is None
        assert "@\u200beveryone" in description and "<@\u200b&234567890123456789>" in description
        assert r"\*\*Rebels\*\*" in description and r"\|\|about 20\|\|" in description
        assert r"\[trusted](https://evil.example)" in description

    run(scenario)


def test_message_context_menu_checks_the_message_and_links_it(run, factbot):
    target = message_payload(CONTRADICTED, message_id="1100000000000000001")

    async def scenario(h: Harness) -> None:
        (call,) = await h.send(message_command("Fact-check this message", target))
        assert call.body["type"] == CHANNEL_MESSAGE
        embed = only_embed(call)
        assert embed["title"] == headline(factbot.check(CONTRADICTED))
        jump = f"https://discord.com/channels/{GUILD_ID}/{CHANNEL_ID}/1100000000000000001"
        assert embed["description"].startswith(f"Fact-check of [this message]({jump}) by bob")

    run(scenario)


def test_context_menu_on_a_message_without_text_explains_ephemerally(run):
    async def scenario(h: Harness) -> None:
        (call,) = await h.send(message_command("Fact-check this message", message_payload("")))
        assert flags(call) & EPHEMERAL
        assert "the claim is empty" in call.body["data"]["content"].lower()

    run(scenario)


def test_an_empty_message_is_refused_privately_even_when_the_store_is_busy(run, factbot):
    async def scenario(h: Harness) -> None:
        with factbot._lock:  # another check holds the store: a public deferral would come first
            (call,) = await h.send(message_command("Fact-check this message", message_payload("")))
        assert call.body["type"] == CHANNEL_MESSAGE, "no public 'thinking…' that the refusal would replace"
        assert flags(call) & EPHEMERAL and "the claim is empty" in call.body["data"]["content"].lower()

    run(scenario, defer_after=0.05)


def test_slow_check_is_deferred_then_followed_up(run, factbot):
    async def scenario(h: Harness) -> None:
        payload = slash("factcheck", {"claim": CONTRADICTED})
        # Another caller holds the store (checks run one at a time), so this one cannot answer in time.
        with factbot._lock:
            (deferral,) = await h.send(payload)
            assert deferral.body["type"] == DEFERRED_CHANNEL_MESSAGE
        deferral, follow_up = await h.responses(payload, count=2)
        assert follow_up.method == "POST" and follow_up.path.startswith(
            f"/webhooks/{APP_ID}/{payload['token']}"
        )
        assert follow_up.body["allowed_mentions"] == {"parse": []}
        assert only_embed(follow_up)["title"] == headline(factbot.check(CONTRADICTED))

    run(scenario, defer_after=0.05)


def test_cooldown_answers_with_a_friendly_ephemeral_message(run):
    async def scenario(h: Harness) -> None:
        (first,) = await h.send(slash("factcheck", {"claim": NOT_FOUND}))
        assert first.body["data"]["embeds"]
        (second,) = await h.send(slash("factcheck", {"claim": NOT_FOUND}))
        assert flags(second) & EPHEMERAL
        assert re.fullmatch(
            r"You've checked 1 claims in the last minute\. Please wait \d+ s and try again\.",
            second.body["data"]["content"],
        )
        other = slash("factcheck", {"claim": NOT_FOUND}, who=member(user_id="900000000000000099"))
        (third,) = await h.send(other)
        assert third.body["data"]["embeds"], "the cooldown is per user"

    run(scenario, rate_limit=RateLimit(1, 60.0))


# -- errors ----------------------------------------------------------------------------------
def test_unexpected_error_is_logged_and_the_user_gets_the_fixed_apology(run, factbot, caplog):
    factbot.store.close()  # a broken store: the core raises something that is not a FactbotError

    async def scenario(h: Harness) -> None:
        with caplog.at_level(logging.ERROR, logger="factbot.discord"):
            (call,) = await h.send(slash("factcheck", {"claim": NOT_FOUND}), crash_expected=True)
        assert flags(call) & EPHEMERAL
        assert call.body["data"]["content"] == adapter.APOLOGY
        (record,) = [r for r in caplog.records if r.name == "factbot.discord"]
        assert record.exc_info and "closed" in str(record.exc_info[1]).lower()

    run(scenario)


def test_expired_interaction_is_logged_not_crashed_on(run, caplog):
    async def scenario(h: Harness) -> None:
        expired = slash("factcheck", {"claim": NOT_FOUND})
        h.fake.expired_tokens.add(expired["token"])
        with caplog.at_level(logging.WARNING, logger="factbot.discord"):
            await h.send(expired, crash_expected=True)
            await h.fake.wait_for(lambda _: h.errors)
        (error,) = h.errors
        assert isinstance(error, discord.NotFound) and error.code == 10062
        assert any("10062" in r.getMessage() for r in caplog.records if r.name == "factbot.discord")
        assert len(h.fake.responses_to(expired)) == 1, "no apology is attempted on a dead interaction"
        h.errors.clear()
        (call,) = await h.send(slash("factcheck", {"claim": NOT_FOUND}))
        assert call.body["data"]["embeds"], "the client keeps answering"

    run(scenario)


# -- moderation ------------------------------------------------------------------------------
def test_fact_add_is_refused_to_a_member_without_rights(run, factbot):
    before = len(list(factbot.list_facts()))

    async def scenario(h: Harness) -> None:
        (call,) = await h.send(slash("add", {"kind": "place"}, group="fact", who=member(NO_PERMISSIONS)))
        assert call.body["type"] == CHANNEL_MESSAGE
        assert flags(call) & EPHEMERAL
        assert call.body["data"]["content"] == adapter.NOT_A_MODERATOR

    run(scenario)
    assert len(list(factbot.list_facts())) == before


async def open_add_modal(h: Harness, who: dict[str, Any], kind: str = "place") -> dict[str, Any]:
    (call,) = await h.send(slash("add", {"kind": kind}, group="fact", who=who))
    assert call.body["type"] == MODAL, call.body
    return call.body["data"]


def test_fact_add_with_manage_messages_opens_a_modal_whose_submit_stores_the_fact(run, factbot):
    async def scenario(h: Harness) -> None:
        modal = await open_add_modal(h, member(MANAGE_MESSAGES))
        inputs = list(modal_inputs(modal))
        assert len(inputs) <= 5 and len(modal["title"]) <= 45
        assert [i["custom_id"] for i in inputs] == ["statement", "source_id", "evidence", "place", "subject"]
        values = {
            "statement": "Rebels reached the 46th Regiment base",
            "source_id": "levant24",
            "evidence": LEVANT24_SENTENCE,
            "place": "46th Regiment base",
            "subject": "",
        }
        (call,) = await h.send(modal_submit(modal["custom_id"], values, who=member(MANAGE_MESSAGES)))
        assert flags(call) & EPHEMERAL
        fact_id = int(re.fullmatch(r"Added fact #(\d+)\.", call.body["data"]["content"]).group(1))
        fact = factbot.get_fact(fact_id)
        assert (fact.statement, fact.source_id, fact.place) == (
            values["statement"],
            "levant24",
            values["place"],
        )
        (change,) = factbot.history(fact_id)
        assert (change.action, change.actor) == (ChangeAction.ADD, f"discord:{MEMBER_ID}")
        assert only_embed(call)["title"] == f"Fact #{fact_id} · place · active"

    run(scenario)


def test_a_configured_moderator_role_is_enough(run):
    async def scenario(h: Harness) -> None:
        modal = await open_add_modal(h, member(NO_PERMISSIONS, roles=("777",)), kind="quote")
        assert [i["custom_id"] for i in modal_inputs(modal)][-2:] == ["speaker", "quote"]

    run(scenario, moderator_roles=frozenset({777}))


def test_submit_from_a_member_who_lost_the_right_is_refused(run, factbot):
    before = len(list(factbot.list_facts()))

    async def scenario(h: Harness) -> None:
        modal = await open_add_modal(h, member(MANAGE_MESSAGES), kind="event")
        values = {"statement": LEVANT24_SENTENCE, "source_id": "levant24", "evidence": ""}
        (call,) = await h.send(modal_submit(modal["custom_id"], values, who=member(NO_PERMISSIONS)))
        assert flags(call) & EPHEMERAL
        assert call.body["data"]["content"] == adapter.NOT_A_MODERATOR

    run(scenario)
    assert len(list(factbot.list_facts())) == before


def test_invalid_modal_input_is_refused_field_by_field(run, factbot):
    before = len(list(factbot.list_facts()))

    async def scenario(h: Harness) -> None:
        modal = await open_add_modal(h, member(MANAGE_MESSAGES), kind="event")
        values = {"statement": "Something happened", "source_id": "@everyone", "evidence": ""}
        (call,) = await h.send(modal_submit(modal["custom_id"], values, who=member(MANAGE_MESSAGES)))
        assert flags(call) & EPHEMERAL
        content = call.body["data"]["content"]
        assert content.startswith("Nothing was saved.") and "**Source id**: unknown source" in content
        assert "@everyone" not in content

    run(scenario)
    assert len(list(factbot.list_facts())) == before


def test_a_huge_invalid_value_is_refused_within_discords_2000_characters(run, factbot):
    before = len(list(factbot.list_facts()))

    async def scenario(h: Harness) -> None:
        modal = await open_add_modal(h, member(MANAGE_MESSAGES), kind="event")
        values = {
            "statement": "Rebels took many villages",
            "source_id": "no-such-source" * 280,
            "evidence": "",
        }
        (call,) = await h.send(modal_submit(modal["custom_id"], values, who=member(MANAGE_MESSAGES)))
        assert flags(call) & EPHEMERAL
        content = call.body["data"]["content"]
        assert len(content) <= adapter.CONTENT_LIMIT, "Discord refuses longer content: no answer at all"
        assert content.startswith("Nothing was saved.") and "**Source id**: unknown source" in content

    run(scenario)
    assert len(list(factbot.list_facts())) == before


def test_fact_edit_prefills_the_modal_and_records_the_change(run, factbot):
    fact = next(f for f in factbot.list_facts(source_id="levant24") if f.kind.value == "number")

    async def scenario(h: Harness) -> None:
        mod = member(MANAGE_MESSAGES)
        (call,) = await h.send(slash("edit", {"id": fact.id}, group="fact", who=mod))
        assert call.body["type"] == MODAL
        modal = call.body["data"]
        prefilled = {i["custom_id"]: i.get("value") for i in modal_inputs(modal)}
        assert prefilled["statement"] == fact.statement and prefilled["source_id"] == fact.source_id
        values = {i["custom_id"]: i.get("value") or "" for i in modal_inputs(modal)}
        values["statement"] = fact.statement + " (edited)"
        (saved,) = await h.send(modal_submit(modal["custom_id"], values, who=mod))
        assert saved.body["data"]["content"] == f"Saved fact #{fact.id}."

    run(scenario)
    assert factbot.get_fact(fact.id).statement == fact.statement + " (edited)"
    last = factbot.history(fact.id)[-1]
    assert (last.action, last.actor) == (ChangeAction.EDIT, f"discord:{MEMBER_ID}")


def test_fact_retire_restore_and_show(run, factbot):
    fact = next(iter(factbot.list_facts(status=FactStatus.ACTIVE)))

    async def scenario(h: Harness) -> None:
        mod = member(MANAGE_MESSAGES)
        (retired,) = await h.send(
            slash("retire", {"id": fact.id, "reason": "outlet corrected it"}, group="fact", who=mod)
        )
        assert flags(retired) & EPHEMERAL and retired.body["data"]["content"] == f"Retired fact #{fact.id}."
        assert factbot.get_fact(fact.id).status is FactStatus.RETIRED
        (shown,) = await h.send(slash("show", {"id": fact.id}, group="fact", who=mod))
        embed = only_embed(shown)
        assert embed["title"] == f"Fact #{fact.id} · {fact.kind.value} · retired"
        history = next(f for f in embed["fields"] if f["name"] == "History")["value"]
        assert f"retire by discord:{MEMBER_ID} — outlet corrected it" in history
        await h.send(slash("restore", {"id": fact.id}, group="fact", who=mod))
        (missing,) = await h.send(slash("show", {"id": 10**9}, group="fact", who=mod))
        assert flags(missing) & EPHEMERAL and missing.body["data"]["content"] == f"No fact with id {10**9}"

    run(scenario)
    assert factbot.get_fact(fact.id).status is FactStatus.ACTIVE


# -- publishing the commands -----------------------------------------------------------------
def synced(h: Harness) -> tuple[str, dict[str, dict[str, Any]]]:
    (put,) = [c for c in h.fake.calls if c.method == "PUT"]
    return put.path, {command["name"]: command for command in put.body}


def test_guild_sync_hides_fact_from_non_moderators_and_takes_descriptions_from_docstrings(run):
    async def scenario(h: Harness) -> None:
        path, commands = synced(h)
        assert path == f"/applications/{APP_ID}/guilds/{GUILD_ID}/commands"
        assert set(commands) == {"factcheck", "fact", "Fact-check this message"}
        assert int(commands["fact"]["default_member_permissions"]) == int(MANAGE_MESSAGES)
        assert commands["fact"]["dm_permission"] is False
        assert commands["factcheck"]["default_member_permissions"] is None
        assert commands["Fact-check this message"]["type"] == 3
        first_paragraph = inspect.getdoc(adapter.factcheck.callback).split("\n\n")[0]
        assert commands["factcheck"]["description"] == first_paragraph
        options = {o["name"]: o for o in commands["factcheck"]["options"]}
        assert options["claim"]["required"] and not options["private"]["required"]
        subcommands = {o["name"]: o for o in commands["fact"]["options"]}
        assert set(subcommands) == {"add", "edit", "retire", "restore", "show", "queue", "answer", "dismiss"}
        for name, sub in subcommands.items():
            handler = getattr(adapter.FactCommands, name).callback
            assert sub["description"] == inspect.getdoc(handler).split("\n\n")[0]

    run(scenario)


def test_commands_are_synced_again_only_when_they_changed(run, caplog):
    def puts(h: Harness) -> int:
        return len([c for c in h.fake.calls if c.method == "PUT"])

    async def first_start(h: Harness) -> None:
        assert puts(h) == 1

    async def restart(h: Harness) -> None:
        assert puts(h) == 0

    run(first_start)
    with caplog.at_level(logging.INFO, logger="factbot.discord"):
        run(restart)  # the same store remembers what was published
    assert "commands unchanged since the last sync" in caplog.text
    run(first_start, guild_id=None)  # global commands are their own publication


def test_the_command_digest_changes_with_the_commands(factbot):
    client = adapter.create_client(
        adapter.DiscordSettings(token="t", db_path=Path("unused.db")), factbot=factbot
    )
    before = adapter.command_digest(client.tree, None)
    assert adapter.command_digest(client.tree, None) == before

    client.tree.remove_command("fact")

    assert adapter.command_digest(client.tree, None) != before


def test_serve_discord_uses_the_global_db_option(tmp_path, seeded_template):
    db = tmp_path / "chosen.db"
    shutil.copy(seeded_template, db)
    script = (
        "import sys\n"
        "import adapters.discord.client as d\n"
        "from adapters.cli import main\n"
        "d.FactbotClient.run = lambda self, token, **kw: d.log.info('store %s', self.settings.db_path)\n"
        "sys.exit(main(['--db', sys.argv[1], 'serve', 'discord']))\n"
    )
    env = {**os.environ, "DISCORD_TOKEN": "t.secret-token.x", "FACTBOT_DB": str(tmp_path / "not-this.db")}
    result = subprocess.run(
        [sys.executable, "-c", script, str(db)], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert f"store {db}" in result.stderr and not (tmp_path / "not-this.db").exists()


def test_without_a_guild_id_commands_sync_globally(run):
    async def scenario(h: Harness) -> None:
        path, commands = synced(h)
        assert path == f"/applications/{APP_ID}/commands" and "fact" in commands

    run(scenario, guild_id=None)


# -- the client and its settings -------------------------------------------------------------
def test_client_mentions_nobody_and_asks_for_no_privileged_intent(factbot):
    settings = adapter.DiscordSettings(token="t", db_path=Path("unused.db"))
    client = adapter.create_client(settings, factbot=factbot)
    assert client.allowed_mentions is not None and client.allowed_mentions.to_dict() == {"parse": []}
    assert not (client.intents.members or client.intents.presences or client.intents.message_content)
    assert client.intents.value == 0
    assert isinstance(client.tree, discord.app_commands.CommandTree)


def test_create_client_reads_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("DISCORD_TOKEN", "abc.def.ghi")
    monkeypatch.setenv("DISCORD_GUILD_ID", GUILD_ID)
    monkeypatch.setenv("FACTBOT_DB", str(tmp_path / "env.db"))
    monkeypatch.setenv("FACTBOT_DISCORD_MODERATOR_ROLES", "11, 22")
    monkeypatch.setenv("FACTBOT_DISCORD_COOLDOWN", "3/30")
    client = adapter.create_client()
    try:
        settings = client.settings
        assert (settings.token, settings.guild_id, settings.db_path) == (
            "abc.def.ghi",
            int(GUILD_ID),
            tmp_path / "env.db",
        )
        assert settings.moderator_roles == {11, 22}
        assert client.limiter.limit == RateLimit(3, 30.0)
        assert client.factbot.list_sources(), "the store was built from the seeds"
    finally:
        asyncio.run(client.close())


@pytest.mark.parametrize(
    ("env", "hint"),
    [
        ({}, "DISCORD_TOKEN is not set"),
        ({"DISCORD_TOKEN": "t", "DISCORD_GUILD_ID": "my-server"}, "DISCORD_GUILD_ID must be a numeric"),
        ({"DISCORD_TOKEN": "t", "FACTBOT_DISCORD_MODERATOR_ROLES": "12,mods"}, "'mods' is not one"),
        ({"DISCORD_TOKEN": "t", "DISCORD_GUILD_ID": "²"}, "DISCORD_GUILD_ID must be a numeric"),
        ({"DISCORD_TOKEN": "t", "DISCORD_GUILD_ID": "0"}, "DISCORD_GUILD_ID must be a numeric"),
        ({"DISCORD_TOKEN": "t", "FACTBOT_DISCORD_MODERATOR_ROLES": "12,³"}, "'³' is not one"),
        ({"DISCORD_TOKEN": "t", "FACTBOT_DISCORD_COOLDOWN": "fast"}, "'fast' is not a rate limit: write"),
        ({"DISCORD_TOKEN": "t", "FACTBOT_DISCORD_COOLDOWN": "0/60"}, "write 0 alone to turn the limit off"),
    ],
)
def test_bad_settings_say_how_to_fix_them(env, hint):
    with pytest.raises(adapter.SettingsError, match=re.escape(hint)):
        adapter.DiscordSettings.from_env(env)


def test_settings_defaults_and_cooldown_off():
    settings = adapter.DiscordSettings.from_env({"DISCORD_TOKEN": "t", "FACTBOT_DISCORD_COOLDOWN": "0"})
    assert settings.guild_id is None and settings.moderator_roles == frozenset()
    assert settings.rate_limit.off


def test_serve_shows_factbots_info_lines(db_path):
    """`factbot serve discord` in a fresh process: what docs/discord.md says it logs reaches stderr."""
    script = (
        "import adapters.discord.client as d\n"
        "d.FactbotClient.run = lambda self, token, **kw: d.log.info('connected as %s', 'Factbot#0001')\n"
        "d.serve()\n"
    )
    env = {**os.environ, "DISCORD_TOKEN": "t.secret-token.x", "FACTBOT_DB": str(db_path)}
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "INFO factbot.discord: connected as Factbot#0001" in result.stderr
    assert "secret-token" not in result.stderr


def test_the_token_stays_out_of_the_settings_repr():
    settings = adapter.DiscordSettings.from_env({"DISCORD_TOKEN": "MTA.secret-token.value"})
    assert settings.token == "MTA.secret-token.value"
    assert "secret-token" not in repr(settings) and "secret-token" not in str(settings)


def test_adapters_discord_does_not_shadow_the_library():
    import adapters.discord.embeds

    assert adapter.discord is discord and adapters.discord.embeds.discord is discord
    assert Path(discord.__file__).parent.parent.name == "site-packages"
    assert discord.Client.__module__ == "discord.client"


def test_canary_discord_internals_the_tests_rely_on():
    """If this fails after a discord.py upgrade, re-check ../shared/docs/platform-testing.md."""
    assert discord.__version__ == "2.7.1"
    assert isinstance(discord.http.Route.BASE, str)
    assert discord.http.Route("GET", "/users/@me").url == discord.http.Route.BASE + "/users/@me"
    client = discord.Client(intents=discord.Intents.none())
    assert callable(client._connection.parsers["INTERACTION_CREATE"])
    # The adapter reads a member's role ids from the interaction payload through Member._roles.
    assert "_roles" in discord.Member.__slots__
    assert inspect.signature(discord.ui.view.ViewStore.dispatch_modal).parameters.keys() >= {"custom_id"}
