"""The Discord adapter: slash commands and a message context menu in, the core's answers out as embeds.

    /factcheck claim:<text> [private:<bool>]    anyone: check a claim (public unless private)
    Apps → Fact-check this message              anyone: check the text of a message
    /fact add|edit|retire|restore|show          moderators: curate the fact store
    /fact queue|answer|dismiss                  moderators: the queue of unanswered and disputed claims
    👍 Helpful / 👎 Wrong verdict               anyone: buttons under every verdict (👎 queues it)

`import discord` below is the library even though this package is `adapters.discord`: imports are
absolute, and nothing puts `adapters/` itself on `sys.path` (tests/test_discord_app.py checks it).

>>> client = create_client(DiscordSettings(token="...", db_path=Path("factbot.db")))
>>> client.run(client.settings.token)      # what `factbot serve discord` does
"""

from __future__ import annotations

import warnings

with warnings.catch_warnings():  # discord.py 2.7 imports audioop, deprecated since Python 3.11
    warnings.filterwarnings("ignore", "'audioop' is deprecated", DeprecationWarning)
    import discord

import asyncio
import dataclasses
import hashlib
import json
import logging
import os
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, cast

from discord import app_commands

from adapters.discord.embeds import (
    answered_text,
    clip,
    display_value,
    fact_embed,
    offers_text,
    queue_embed,
    reply_embed,
    safe,
)
from adapters.logs import configure_logging
from adapters.settings import (
    DEFAULT_CHECK_LOG_DAYS,
    SettingsError,
    default_db_path,
    read_check_log_days,
    read_rate_limit,
)
from bot.loop import Offer
from bot.presentation import HELPFUL_LABEL, THANKS_HELPFUL, THANKS_WRONG, WRONG_LABEL
from bot.ratelimit import RateLimit, RateLimiter, too_many
from bot.reply import CheckReply
from bot.service import MAX_CLAIM_CHARS, Factbot, understand
from facts.errors import FactbotError, UnknownSource, ValidationError
from facts.model import Fact, FactKind
from facts.newsroom import Asked, FollowUp
from facts.shared_state import SharedState

log = logging.getLogger("factbot.discord")

APOLOGY = "Sorry, something went wrong inside Factbot. The error has been logged."
FOLLOWUP_CONTEXT = "*Following up on a claim asked here earlier: a moderator has found the answer.*"
PURGE_EVERY = 24 * 3600.0  # seconds between purges of the check log by a running bot
NOT_A_MODERATOR = (
    "Only moderators can change facts: you need the Manage Messages permission "
    "or one of this server's Factbot moderator roles."
)
EXPIRED_INTERACTION = 10062  # Discord's "Unknown interaction": we answered after the 3 s window
MAX_OFFER_BUTTONS = 25  # a message holds 5 rows of 5 buttons
MODAL_TIMEOUT = 15 * 60.0  # an interaction token lasts 15 minutes; a modal cannot outlive it
CONTENT_LIMIT = 2000  # characters in a message's content; Discord refuses a longer one
ECHO_LIMIT = 200  # of a core error message, which may quote what the user typed


# -- settings --------------------------------------------------------------------------------
DEFAULT_RATE_LIMIT = RateLimit(5, 60.0)


@dataclass(frozen=True)
class DiscordSettings:
    """Everything the Discord bot reads from its environment, validated once at start-up."""

    token: str = field(repr=False)  # the bot's password: never in a repr, a log line or a traceback
    db_path: Path
    guild_id: int | None = None  # sync commands to this guild only (instant; for development)
    moderator_roles: frozenset[int] = frozenset()
    rate_limit: RateLimit = DEFAULT_RATE_LIMIT  # checks per user (bot/ratelimit.py); 0 turns it off
    defer_after: float = 2.0  # seconds to wait for the core before deferring (Discord allows 3)
    check_log_days: int = DEFAULT_CHECK_LOG_DAYS  # FACTBOT_CHECK_LOG_DAYS
    followup_poll: float = 5.0  # seconds between looks for answers recorded by the CLI (0: never)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> DiscordSettings:
        """Read DISCORD_TOKEN, DISCORD_GUILD_ID, FACTBOT_DB, FACTBOT_DISCORD_MODERATOR_ROLES and
        FACTBOT_DISCORD_COOLDOWN ("5/60": five checks per user per 60 seconds; "0": no limit).
        Raises SettingsError naming every problem."""
        env = os.environ if env is None else env
        problems: list[str] = []
        token = env.get("DISCORD_TOKEN", "").strip()
        if not token:
            problems.append(
                "DISCORD_TOKEN is not set: in the Discord Developer Portal open your application, "
                "then Bot → Reset Token, and export the token as DISCORD_TOKEN"
            )
        settings = cls(
            token=token,
            db_path=default_db_path(env),
            guild_id=_snowflake(env.get("DISCORD_GUILD_ID", ""), "DISCORD_GUILD_ID", problems),
            moderator_roles=_role_ids(env.get("FACTBOT_DISCORD_MODERATOR_ROLES", ""), problems),
            rate_limit=read_rate_limit(env, "FACTBOT_DISCORD_COOLDOWN", DEFAULT_RATE_LIMIT, problems),
            check_log_days=read_check_log_days(env, problems),
        )
        if problems:
            raise SettingsError("the Discord settings need fixing:\n  - " + "\n  - ".join(problems))
        return settings


_COPY_ID = "(turn on Developer Mode in Discord's settings, then right-click → Copy ID)"


def _snowflake(raw: str, name: str, problems: list[str]) -> int | None:
    raw = raw.strip()
    if not raw:
        return None
    if not _is_id(raw):
        problems.append(f"{name} must be a numeric Discord id, not {raw!r} {_COPY_ID}")
        return None
    return int(raw)


def _id_or_none(raw: str) -> int | None:
    return int(raw) if raw.isascii() and raw.isdigit() else None


def _is_id(raw: str) -> bool:
    """ASCII digits, not zero: "²".isdigit() is true, but int("²") raises."""
    return raw.isascii() and raw.isdigit() and int(raw) > 0


def _role_ids(raw: str, problems: list[str]) -> frozenset[int]:
    ids = [part.strip() for part in raw.split(",") if part.strip()]
    bad = [part for part in ids if not _is_id(part)]
    if bad:
        problems.append(
            f"FACTBOT_DISCORD_MODERATOR_ROLES must be role ids separated by commas; {bad[0]!r} is not "
            f"one {_COPY_ID} on the role in Server Settings → Roles"
        )
    return frozenset(int(part) for part in ids if _is_id(part))


# -- the client ------------------------------------------------------------------------------
class FactbotClient(discord.Client):
    """A discord.Client that answers Factbot's commands; its `tree` holds them."""

    def __init__(self, settings: DiscordSettings, factbot: Factbot, *, owns_factbot: bool = False,
                 state: SharedState | None = None):  # fmt: skip
        # Slash commands and context menus arrive as interactions, which need no gateway intent.
        super().__init__(intents=discord.Intents.none(), allowed_mentions=discord.AllowedMentions.none())
        self.settings = settings
        self.factbot = factbot
        self.owns_factbot = owns_factbot
        # Counted in the store, so that several processes serving the bot (shards) count together.
        self.state = state
        self.limiter = RateLimiter(settings.rate_limit, state)
        self.tree = FactbotTree(self)
        self.tree.add_command(factcheck)
        self.tree.add_command(factcheck_message)
        self.tree.add_command(FactCommands())
        self.add_dynamic_items(FeedbackButton, PostAnswerButton)
        self._poller: asyncio.Task[None] | None = None

    async def setup_hook(self) -> None:
        """Publish the commands: to one guild at once when DISCORD_GUILD_ID is set, else globally;
        only when they changed since the last sync recorded in the store (a restart re-syncs nothing,
        so many restarts or shards stay clear of Discord's rate limit on command updates); start
        posting follow-ups recorded elsewhere (the CLI) and purging the check log. The checker's
        lazily loaded tables are loaded first."""
        await asyncio.to_thread(self.factbot.warm_up)  # word tables now, not on someone's first check
        if self.settings.followup_poll > 0:
            self._poller = asyncio.create_task(self._poll_followups(), name="factbot-followups")
        guild = discord.Object(id=self.settings.guild_id) if self.settings.guild_id else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        scope = f"guild {self.settings.guild_id}" if guild else "global"
        key = f"discord:commands:{self.application_id}:{scope}"
        digest = command_digest(self.tree, guild)
        if self.state is not None and await asyncio.to_thread(self.state.value, key) == digest:
            log.info("commands unchanged since the last sync (%s): not syncing", scope)
            return
        synced = await self.tree.sync(guild=guild)
        if guild is not None:
            log.info("synced %d commands to guild %s", len(synced), self.settings.guild_id)
        else:
            log.info("synced %d global commands (Discord may take a while to show them)", len(synced))
        if self.state is not None:
            await asyncio.to_thread(self.state.remember, key, digest)

    async def on_ready(self) -> None:
        log.info("connected as %s", self.user)

    async def close(self) -> None:
        if self._poller is not None:
            self._poller.cancel()
        await super().close()
        if self.owns_factbot:
            self.factbot.close()
            if self.state is not None:
                self.state.close()

    # -- follow-ups: answers to queued questions, posted where they were asked ---------------
    async def _poll_followups(self) -> None:
        next_purge = 0.0
        while True:
            try:
                await self.deliver_followups()
                if time.monotonic() >= next_purge:
                    next_purge = time.monotonic() + PURGE_EVERY
                    days = self.settings.check_log_days
                    purged = await asyncio.to_thread(self.factbot.purge_checks, days=days)
                    log.info("purged %d checks older than %d days", purged, days)
            except Exception:
                log.exception("could not post follow-ups or purge the check log")
            await asyncio.sleep(self.settings.followup_poll)

    async def deliver_followups(self) -> int:
        """Post every pending Discord follow-up; returns how many were taken. Each is taken once,
        even with several bot processes on one store; one that cannot be posted (a deleted channel,
        one the bot has left) is logged and marked failed."""
        taken = 0
        for followup in await asyncio.to_thread(self.factbot.pending_followups, "discord"):
            if await asyncio.to_thread(self.factbot.claim_followup, followup.id):
                taken += 1
                error = await self._post_followup(followup)
                await asyncio.to_thread(self.factbot.followup_done, followup, error=error)
        return taken

    async def _post_followup(self, followup: FollowUp) -> str:
        """A reply to the original message (mentions off), or a direct message to a private asker."""
        where = followup.where
        reply = replace(CheckReply.from_record(followup.reply), check_id=followup.check_id)
        embed, view = reply_embed(reply, context=FOLLOWUP_CONTEXT), feedback_view(followup.check_id)
        try:
            if where.private:
                channel: Any = await self.create_dm(discord.Object(id=int(where.asker)))
                await channel.send(embed=embed, view=view, allowed_mentions=discord.AllowedMentions.none())
                return ""
            channel = self.get_partial_messageable(int(where.channel), guild_id=_id_or_none(where.workspace))
            reference = None
            if where.reply_to:
                reference = discord.MessageReference(
                    message_id=int(where.reply_to), channel_id=int(where.channel), fail_if_not_exists=False
                )
            await channel.send(embed=embed, view=view, reference=reference,
                               allowed_mentions=discord.AllowedMentions.none())  # fmt: skip
        except discord.HTTPException as error:
            return f"{error.status} {error.text or type(error).__name__}"
        except Exception:
            log.exception("unexpected error posting follow-up %d", followup.id)
            return "unexpected error (logged)"
        return ""

    def is_moderator(self, interaction: discord.Interaction) -> bool:
        """Manage Messages in the channel, or a configured moderator role. Read from the interaction
        itself, so a permission or role taken away counts at once."""
        member = interaction.user
        if not isinstance(member, discord.Member):
            return False
        permissions = interaction.permissions
        if permissions.manage_messages or permissions.administrator:
            return True
        # The payload's role ids; `member.roles` would need the guild cache (and the guilds intent).
        return any(role_id in self.settings.moderator_roles for role_id in member._roles)


class FactbotTree(app_commands.CommandTree[FactbotClient]):
    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        await report_error(interaction, error)


def client_of(interaction: discord.Interaction) -> FactbotClient:
    return cast(FactbotClient, interaction.client)


def actor(interaction: discord.Interaction) -> str:
    """How a Discord user appears in a fact's history: the stable user id, not the changeable name."""
    return f"discord:{interaction.user.id}"


def command_digest(tree: app_commands.CommandTree[Any], guild: discord.abc.Snowflake | None) -> str:
    """A hash of the command definitions `tree.sync(guild=guild)` would send to Discord."""
    payload = [command.to_dict(tree) for command in tree.get_commands(guild=guild)]
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def create_client(
    settings: DiscordSettings | None = None,
    *,
    factbot: Factbot | None = None,
    state: SharedState | None = None,
) -> FactbotClient:
    """The configured client (commands on `.tree`); settings from the environment when None.

    Opens the fact store (and its shared state) at `settings.db_path` unless a `factbot` is given
    (then the caller closes it, and `state` is whatever the caller passes)."""
    settings = DiscordSettings.from_env() if settings is None else settings
    if factbot is not None:
        return FactbotClient(settings, factbot, state=state)
    return FactbotClient(settings, Factbot.open(settings.db_path), owns_factbot=True,
                         state=state or SharedState.open(settings.db_path))  # fmt: skip


def serve(settings: DiscordSettings | None = None, *, db_path: Path | None = None) -> None:
    """Run the bot until interrupted (`factbot serve discord`); `db_path` (the CLI's --db) overrides
    FACTBOT_DB."""
    settings = DiscordSettings.from_env() if settings is None else settings
    if db_path is not None:
        settings = dataclasses.replace(settings, db_path=db_path)
    configure_logging(secrets=[settings.token])
    client = create_client(settings)
    try:
        client.run(settings.token, log_handler=None)
    except discord.LoginFailure:
        raise SettingsError(
            "Discord refused DISCORD_TOKEN: reset the token under Bot in the Developer Portal "
            "and export the new one"
        ) from None


# -- errors ----------------------------------------------------------------------------------
class NotModerator(app_commands.CheckFailure):
    """The member may not curate facts."""


class CoolingDown(app_commands.CheckFailure):
    """The member checked too many claims too quickly (bot/ratelimit.py)."""

    def __init__(self, limit: RateLimit, retry_after: float):
        self.limit, self.retry_after = limit, retry_after
        super().__init__(f"retry after {retry_after:.0f} s")


async def report_error(interaction: discord.Interaction, error: Exception) -> None:
    """Tell the user what went wrong, ephemerally: refusals and core errors in plain words, anything
    else as a fixed apology with the traceback in the log. An expired interaction is only logged."""
    original = getattr(error, "original", error)
    if _expired(original):
        log.warning("interaction %s expired before Factbot answered (error 10062)", interaction.id)
        return
    if isinstance(original, FactbotError | app_commands.CheckFailure):
        message = describe(original)
    else:
        log.error("unexpected error answering interaction %s", interaction.id, exc_info=original)
        message = APOLOGY
    try:
        await send(interaction, content=message, ephemeral=True)
    except discord.HTTPException as failure:
        log.warning("could not tell the user about an error (%s)", failure)


def _expired(error: BaseException) -> bool:
    return isinstance(error, discord.NotFound) and error.code == EXPIRED_INTERACTION


def describe(error: Exception) -> str:
    """The user-facing text for a refusal or a core error (escaped: it may echo input)."""
    if isinstance(error, NotModerator):
        return NOT_A_MODERATOR
    if isinstance(error, CoolingDown):
        return too_many(error.limit, error.retry_after)
    if isinstance(error, ValidationError):
        lines = [f"• **{_FIELD_LABELS.get(name, name)}**: {safe(clip(why, ECHO_LIMIT))}"
                 for name, why in error.fields.items()]  # fmt: skip
        return clip("Nothing was saved. Please fix:\n" + "\n".join(lines), CONTENT_LIMIT)
    if isinstance(error, FactbotError):
        text = str(error)
        return clip(safe(text[:1].upper() + text[1:]), CONTENT_LIMIT)
    return "You can't use this command here."


async def send(
    interaction: discord.Interaction,
    *,
    content: str | None = None,
    embed: discord.Embed | None = None,
    ephemeral: bool = False,
    view: discord.ui.View | None = None,
) -> int | None:
    """Answer the interaction, or follow up when it was already answered or deferred; returns the
    id of the message sent, when Discord says it."""
    kwargs: dict[str, Any] = {"ephemeral": ephemeral}
    if content is not None:
        kwargs["content"] = content
    if embed is not None:
        kwargs["embed"] = embed
    if view is not None:
        kwargs["view"] = view
    if interaction.response.is_done():
        message = await interaction.followup.send(wait=True, **kwargs)
        return message.id
    response = await interaction.response.send_message(**kwargs)
    return response.message_id


# -- checking claims -------------------------------------------------------------------------
async def within_cooldown(interaction: discord.Interaction) -> bool:
    limiter = client_of(interaction).limiter
    wait = await asyncio.to_thread(limiter.wait, actor(interaction))  # the store may be busy
    if wait:
        raise CoolingDown(limiter.limit, wait)
    return True


@app_commands.command(name="factcheck")
@app_commands.check(within_cooldown)
async def factcheck(
    interaction: discord.Interaction,
    claim: app_commands.Range[str, 1, MAX_CLAIM_CHARS],
    private: bool = False,
) -> None:
    """Check a claim against Factbot's fact store and show the sources.

    Parameters
    ----------
    claim
        The statement to check, e.g. "Rebels took 20 villages on the first day".
    private
        Only you see the answer (default: everyone in the channel does).
    """
    await answer_claim(interaction, claim, private=private)


@app_commands.context_menu(name="Fact-check this message")
@app_commands.check(within_cooldown)
async def factcheck_message(interaction: discord.Interaction, message: discord.Message) -> None:
    context = f"Fact-check of [this message]({message.jump_url}) by {safe(message.author.display_name)}"
    await answer_claim(interaction, message.content, private=False, context=context, reply_to=message.id)


def asked_at(interaction: discord.Interaction, *, private: bool, reply_to: int | None) -> Asked:
    """Where the claim was asked: guild, channel, the message to answer under, who asked."""
    return Asked("discord", str(interaction.guild_id or ""), str(interaction.channel_id or ""),
                 str(reply_to or ""), str(interaction.user.id), private=private)  # fmt: skip


async def answer_claim(
    interaction: discord.Interaction,
    claim: str,
    *,
    private: bool,
    context: str = "",
    reply_to: int | None = None,
) -> None:
    """Check in a worker thread; answer directly when quick, else defer and follow up.

    Input the core refuses is refused first, privately: after a public deferral the first follow-up
    replaces the public "thinking…" message and cannot be made ephemeral any more.
    """
    try:
        understand(claim)  # cheap, and needs no lock: a busy store must not delay the refusal
    except FactbotError as error:
        await send(interaction, content=describe(error), ephemeral=True)
        return
    client = client_of(interaction)
    asked = asked_at(interaction, private=private, reply_to=reply_to)
    checking = asyncio.ensure_future(asyncio.to_thread(client.factbot.check, claim, asked=asked))
    done, _ = await asyncio.wait({checking}, timeout=client.settings.defer_after)
    if not done:
        await interaction.response.defer(ephemeral=private, thinking=True)
    try:
        reply = await checking
    except FactbotError as error:
        await send(interaction, content=describe(error), ephemeral=True)
        return
    view = feedback_view(reply.check_id) if reply.check_id is not None else None
    sent = await send(interaction, embed=reply_embed(reply, context=context), ephemeral=private, view=view)
    if reply_to is None and not private and sent and reply.check_id is not None:
        # A later answer replies to this message: the slash command left no message of the asker's.
        await asyncio.to_thread(client.factbot.set_reply_to, reply.check_id, str(sent))


# -- feedback and one-click answers: buttons that outlive the process (custom ids carry the ids) ----
def feedback_view(check_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(FeedbackButton(check_id, helpful=True))
    view.add_item(FeedbackButton(check_id, helpful=False))
    return view


class FeedbackButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"factbot:feedback:(?P<kind>helpful|wrong):(?P<check>[0-9]{1,18})",
):
    """👍 Helpful / 👎 Wrong verdict under an answer: thanks only the clicker sees; 👎 queues it."""

    def __init__(self, check_id: int, *, helpful: bool):
        kind = "helpful" if helpful else "wrong"
        style = discord.ButtonStyle.secondary
        button: discord.ui.Button = discord.ui.Button(
            label=HELPFUL_LABEL if helpful else WRONG_LABEL,
            style=style,
            custom_id=f"factbot:feedback:{kind}:{check_id}",
        )
        super().__init__(button)
        self.check_id, self.helpful = check_id, helpful

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],  # type: ignore[override]
                             match: re.Match[str]) -> FeedbackButton:  # fmt: skip
        return cls(int(match["check"]), helpful=match["kind"] == "helpful")

    async def callback(self, interaction: discord.Interaction) -> None:  # type: ignore[override]
        client = client_of(interaction)
        try:
            moderator = client.is_moderator(interaction)
            await asyncio.to_thread(client.factbot.feedback, self.check_id, helpful=self.helpful,
                                    user=actor(interaction), moderator=moderator)  # fmt: skip
        except Exception as error:
            await report_error(interaction, error)
            return
        await send(interaction, content=THANKS_HELPFUL if self.helpful else THANKS_WRONG, ephemeral=True)


class PostAnswerButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"factbot:post:(?P<item>[0-9]{1,18}):(?P<fact>[0-9]{1,18})",
):
    """ "Post answer" on the offer a moderator gets when a new fact answers a queued question."""

    def __init__(self, item_id: int, fact_id: int):
        button: discord.ui.Button = discord.ui.Button(
            label=f"Post answer to #{item_id}",
            style=discord.ButtonStyle.primary,
            custom_id=f"factbot:post:{item_id}:{fact_id}",
        )
        super().__init__(button)
        self.item_id, self.fact_id = item_id, fact_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],  # type: ignore[override]
                             match: re.Match[str]) -> PostAnswerButton:  # fmt: skip
        return cls(int(match["item"]), int(match["fact"]))

    async def callback(self, interaction: discord.Interaction) -> None:  # type: ignore[override]
        try:
            if not client_of(interaction).is_moderator(interaction):
                raise NotModerator()
            await answer_queue_item(interaction, self.item_id, self.fact_id)
        except Exception as error:
            await report_error(interaction, error)


def offers_view(offers: list[Offer]) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for offer in offers[:MAX_OFFER_BUTTONS]:
        view.add_item(PostAnswerButton(offer.item.id, offer.fact_id))
    return view


async def answer_queue_item(interaction: discord.Interaction, item_id: int, fact_id: int) -> None:
    """Answer a queued question: tell the moderator the verdict, post the follow-ups at once."""
    client = client_of(interaction)
    answer = await asyncio.to_thread(
        client.factbot.answer_queue_item, item_id, fact_id, actor=actor(interaction)
    )
    await send(interaction, content=answered_text(answer), embed=reply_embed(answer.reply), ephemeral=True)
    await client.deliver_followups()


async def offer_answers(interaction: discord.Interaction, fact: Fact) -> None:
    """Offer the moderator who added or changed a fact the open questions it now answers."""
    client = client_of(interaction)
    if fact.id is None:
        return
    offers = await asyncio.to_thread(client.factbot.offers, [fact.id])
    if offers:
        await send(
            interaction, content=offers_text(fact.id, offers), view=offers_view(offers), ephemeral=True
        )


# -- moderation ------------------------------------------------------------------------------
@dataclass(frozen=True)
class FieldInput:
    """How one fact field is asked for in a modal (label ≤ 45, placeholder ≤ 100 characters)."""

    label: str
    placeholder: str
    long: bool = False
    required: bool = False


_INPUTS = {
    "statement": FieldInput("Statement", "The fact in one short sentence.", long=True, required=True),
    "source_id": FieldInput(
        "Source id", "e.g. levant24 (see /fact show, or `factbot sources list`)", required=True
    ),
    "evidence": FieldInput(
        "Evidence", "The sentence, verbatim from the source (empty: the statement).", long=True
    ),
    "speaker": FieldInput("Speaker", "Who said it.", required=True),
    "quote": FieldInput("Quote", "The exact words (empty: the evidence).", long=True),
    "value_low": FieldInput("Value", "The number, or the low end of a range, e.g. 32.", required=True),
    "value_high": FieldInput("Up to", "The high end of a range, if it is one."),
    "event_date": FieldInput("Date", "YYYY-MM-DD", required=True),
    "place": FieldInput("Place", "The place's name, e.g. Saraqeb.", required=True),
    "subject": FieldInput("Subject", "What happened, e.g. rebels entered the city."),
}
_FIELD_LABELS = {name: spec.label for name, spec in _INPUTS.items()} | {"source": "Source id"}
# At most 5 inputs a modal: the three every fact has, then its kind's own fields.
_COMMON_FIELDS = ("statement", "source_id", "evidence")
KIND_FIELDS: dict[FactKind, tuple[str, ...]] = {
    FactKind.EVENT: (),
    FactKind.QUOTE: ("speaker", "quote"),
    FactKind.NUMBER: ("value_low", "value_high"),
    FactKind.DATE: ("event_date", "subject"),
    FactKind.PLACE: ("place", "subject"),
}
TEXT_INPUT_LIMIT = 4000


class FactModal(discord.ui.Modal):
    """The form behind /fact add and /fact edit: one input per field of the fact's kind."""

    def __init__(self, *, title: str, custom_id: str, kind: FactKind, current: Fact | None = None):
        super().__init__(title=title[:45], custom_id=custom_id, timeout=MODAL_TIMEOUT)
        self.kind, self.current = kind, current
        self.inputs: dict[str, discord.ui.TextInput] = {}
        for name in _COMMON_FIELDS + KIND_FIELDS[kind]:
            spec = _INPUTS[name]
            text_input: discord.ui.TextInput = discord.ui.TextInput(
                label=spec.label,
                custom_id=name,
                placeholder=spec.placeholder,
                style=discord.TextStyle.paragraph if spec.long else discord.TextStyle.short,
                required=spec.required,
                default=self.prefill(name) or None,
                max_length=TEXT_INPUT_LIMIT,
            )
            self.inputs[name] = text_input
            self.add_item(text_input)

    def prefill(self, name: str) -> str:
        value = getattr(self.current, name, None) if self.current else None
        return "" if value is None else display_value(value)[:TEXT_INPUT_LIMIT]

    async def on_submit(self, interaction: discord.Interaction) -> None:  # type: ignore[override]
        client = client_of(interaction)
        if not client.is_moderator(interaction):  # rights may have gone since the modal opened
            raise NotModerator()
        fields = {name: text_input.value for name, text_input in self.inputs.items()}
        if self.current is None:
            fact = await asyncio.to_thread(
                client.factbot.add_fact, {"kind": self.kind, **fields}, actor=actor(interaction)
            )
            verb = "Added"
        else:
            changed = {name: value for name, value in fields.items() if value != self.prefill(name)}
            fact = await asyncio.to_thread(
                client.factbot.edit_fact, self.current.id, changed, actor=actor(interaction)
            )
            verb = "Saved" if changed else "Nothing changed in"
        await send(
            interaction,
            content=f"{verb} fact #{fact.id}.",
            embed=await _fact_view(client, fact),
            ephemeral=True,
        )
        await offer_answers(interaction, fact)

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:  # type: ignore[override]
        await report_error(interaction, error)


async def _fact_view(client: FactbotClient, fact: Fact) -> discord.Embed:
    def gather() -> discord.Embed:
        try:
            source = client.factbot.get_source(fact.source_id)
        except UnknownSource:
            source = None
        return fact_embed(fact, source, client.factbot.history(fact.id))  # type: ignore[arg-type]

    return await asyncio.to_thread(gather)


_KIND_CHOICES = [app_commands.Choice(name=kind.value, value=kind.value) for kind in FactKind]


class FactCommands(
    app_commands.Group,
    name="fact",
    guild_only=True,
    default_permissions=discord.Permissions(manage_messages=True),
):
    """Moderators: curate facts in Factbot's store and answer the queue of open questions."""

    @app_commands.command(name="queue")
    async def queue(self, interaction: discord.Interaction) -> None:
        """Show the open questions: claims the store could not answer or people marked wrong."""
        items = await asyncio.to_thread(client_of(interaction).factbot.queue)
        await send(interaction, embed=queue_embed(items), ephemeral=True)

    @app_commands.command(name="answer")
    async def answer(self, interaction: discord.Interaction, queue_id: int, fact_id: int) -> None:
        """Answer a queued question with a fact: re-checked with it, then posted where it was asked.

        Parameters
        ----------
        queue_id
            The question's number in /fact queue.
        fact_id
            The fact that answers it ("fact #12"); it is judged like any other.
        """
        await answer_queue_item(interaction, queue_id, fact_id)

    @app_commands.command(name="dismiss")
    async def dismiss(self, interaction: discord.Interaction, queue_id: int, reason: str = "") -> None:
        """Close a queued question without an answer: nothing is posted or learned.

        Parameters
        ----------
        queue_id
            The question's number in /fact queue.
        reason
            Why, for the record.
        """
        client = client_of(interaction)
        await asyncio.to_thread(
            client.factbot.dismiss_queue_item, queue_id, actor=actor(interaction), note=reason
        )
        await send(interaction, content=f"Dismissed queue item #{queue_id}: nothing is posted or learned.",
                   ephemeral=True)  # fmt: skip

    async def interaction_check(self, interaction: discord.Interaction) -> bool:  # type: ignore[override]
        # default_permissions only hides the commands; server admins can override it.
        if not client_of(interaction).is_moderator(interaction):
            raise NotModerator()
        return True

    @app_commands.command(name="add")
    @app_commands.choices(kind=_KIND_CHOICES)
    async def add(self, interaction: discord.Interaction, kind: str = FactKind.EVENT.value) -> None:
        """Add a fact: opens a form for the statement, its source, the evidence and the kind's fields.

        Parameters
        ----------
        kind
            What the fact asserts: quote, number, date, place or event (default).
        """
        fact_kind = FactKind(kind)
        modal = FactModal(
            title=f"Add a {fact_kind.value} fact", custom_id=f"factbot:add:{interaction.id}", kind=fact_kind
        )
        await interaction.response.send_modal(modal)

    @app_commands.command(name="edit")
    async def edit(self, interaction: discord.Interaction, id: int) -> None:
        """Edit a fact: opens a form holding its current text (the change goes into its history).

        Parameters
        ----------
        id
            The fact's number, as shown in answers ("fact #12").
        """
        fact = await asyncio.to_thread(client_of(interaction).factbot.get_fact, id)
        modal = FactModal(
            title=f"Edit fact #{fact.id}",
            custom_id=f"factbot:edit:{interaction.id}",
            kind=fact.kind,
            current=fact,
        )
        await interaction.response.send_modal(modal)

    @app_commands.command(name="retire")
    async def retire(self, interaction: discord.Interaction, id: int, reason: str = "") -> None:
        """Retire a fact: it stays in the store with its history but is never cited again.

        Parameters
        ----------
        id
            The fact's number, as shown in answers ("fact #12").
        reason
            Why, for the fact's history.
        """
        client = client_of(interaction)
        fact = await asyncio.to_thread(client.factbot.retire_fact, id, actor=actor(interaction), note=reason)
        await send(
            interaction,
            content=f"Retired fact #{fact.id}.",
            embed=await _fact_view(client, fact),
            ephemeral=True,
        )

    @app_commands.command(name="restore")
    async def restore(self, interaction: discord.Interaction, id: int) -> None:
        """Restore a retired fact so that answers cite it again.

        Parameters
        ----------
        id
            The fact's number, as shown in answers ("fact #12").
        """
        client = client_of(interaction)
        fact = await asyncio.to_thread(client.factbot.restore_fact, id, actor=actor(interaction))
        await send(
            interaction,
            content=f"Restored fact #{fact.id}.",
            embed=await _fact_view(client, fact),
            ephemeral=True,
        )
        await offer_answers(interaction, fact)

    @app_commands.command(name="show")
    async def show(self, interaction: discord.Interaction, id: int) -> None:
        """Show a fact: its statement, source, evidence, fields and recent history.

        Parameters
        ----------
        id
            The fact's number, as shown in answers ("fact #12").
        """
        client = client_of(interaction)
        fact = await asyncio.to_thread(client.factbot.get_fact, id)
        await send(interaction, embed=await _fact_view(client, fact), ephemeral=True)
