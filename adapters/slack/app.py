"""The Slack adapter: Slack requests in, `bot.Factbot` calls, Block Kit replies out.

No fact-checking happens here: listeners acknowledge Slack at once (its 3-second deadline), then
call the core and render its answer. Core errors become short ephemeral messages; anything else
is logged with its traceback and the user gets a fixed apology.

What several workers must agree on (events already answered, replayed requests, double clicks,
rate limits) is kept in the store through `facts.shared_state.SharedState`, so any number of
processes serving one app answer as one bot.

>>> app = create_app()                  # settings from the environment (see adapters/slack/settings.py)
>>> serve(http_mode=False)              # Socket Mode with SLACK_APP_TOKEN; HTTP: adapters/slack/server.py
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.webhook import WebhookClient

from adapters.logs import configure_logging
from adapters.slack.blocks import (
    EDIT_ACTION,
    HELPFUL_ACTION,
    POST_ANSWER_ACTION,
    RESTORE_ACTION,
    RETIRE_ACTION,
    SHARE_ACTION,
    WRONG_ACTION,
    escape,
    fit,
    notice,
    plain_text,
    render_answered,
    render_fact,
    render_history,
    render_offers,
    render_queue,
    render_reply,
)
from adapters.slack.forms import (
    ADD_CALLBACK,
    EDIT_CALLBACK,
    changed_fields,
    fact_form,
    form_values,
    initial_values,
    modal_errors,
    read_submission,
)
from adapters.slack.settings import SlackSettings
from bot.presentation import THANKS_HELPFUL, THANKS_WRONG
from bot.ratelimit import RateLimiter, too_many
from bot.reply import CheckReply
from bot.service import Factbot
from facts.errors import FactbotError, ValidationError
from facts.model import Fact
from facts.newsroom import Asked, FollowUp
from facts.shared_state import SharedState

log = logging.getLogger("factbot.slack")
SHORTCUT_CALLBACK = "factbot_check_message"
APOLOGY = "Sorry, something went wrong inside Factbot. The error has been logged."
NOT_A_MODERATOR = (
    "Sorry, only Factbot moderators can add or change facts. If you should be one, ask whoever "
    "runs Factbot to add your member ID to FACTBOT_SLACK_MODERATORS."
)
FACTCHECK_USAGE = (
    "Usage: `/factcheck CLAIM`, e.g. `/factcheck Rebels took 32 villages on the first day`. "
    "`/factcheck help` for more."
)
MENTION_USAGE = "Mention me with a claim to check, e.g. `@Factbot Rebels took 32 villages on the first day`."
NOT_IN_CHANNEL = (
    "I can only post in channels I'm a member of: add me with `/invite @Factbot`, then try again."
)
FACT_USAGE = (
    "Usage: `/fact show ID`, `/fact history ID`, `/fact edit ID`, `/fact retire ID [why]`, "
    "`/fact restore ID`; moderators: `/fact queue`, `/fact answer QUEUE_ID FACT_ID`, "
    "`/fact dismiss QUEUE_ID [why]`"
)
_MODERATOR_VERBS = {"edit", "retire", "restore", "queue", "answer", "dismiss"}
PURGE_EVERY = 24 * 3600.0  # seconds between purges of the check log by a running bot
FOLLOWUP_POLL = 5.0  # seconds between looks for follow-ups recorded by the CLI
CONFIRMATION_ECHO = 500  # characters of the new fact's statement in the confirmation (sections hold 3,000)
# How long a handled key is remembered. Slack retries an event for about 5 minutes and refuses a
# request signed more than 300 s ago (bolt checks), so an hour and 10 minutes leave a margin.
EVENT_MEMORY = 3600.0
REPLAY_MEMORY = 600.0
CLICK_MEMORY = 3600.0
LISTENER_THREADS = 8  # per process: checks run here after the ack


class SlackFactbot:
    """The listeners; one instance per app, shared by bolt's worker threads."""

    def __init__(self, bot: Factbot, settings: SlackSettings, state: SharedState):
        self.bot, self.settings, self.state = bot, settings, state
        self.limiter = RateLimiter(settings.rate_limit, state)

    def register(self, app: App) -> None:
        app.use(self.refuse_replays)
        app.event("app_mention")(self.on_mention)
        app.command("/factcheck")(self.on_factcheck)
        app.shortcut(SHORTCUT_CALLBACK)(self.on_message_shortcut)
        app.action(SHARE_ACTION)(self.on_share)
        app.command("/factadd")(self.on_factadd)
        app.command("/fact")(self.on_fact)
        app.view(ADD_CALLBACK)(self.on_add_submitted)
        app.view(EDIT_CALLBACK)(self.on_edit_submitted)
        app.action(EDIT_ACTION)(self.on_edit_button)
        app.action(RETIRE_ACTION)(self.on_retire_button)
        app.action(RESTORE_ACTION)(self.on_restore_button)
        app.action(HELPFUL_ACTION)(self.on_feedback)
        app.action(WRONG_ACTION)(self.on_feedback)
        app.action(POST_ANSWER_ACTION)(self.on_post_answer)

    # -- checking ----------------------------------------------------------------------------
    def on_mention(
        self, body: dict[str, Any], event: dict[str, Any], client: WebClient, context: Any
    ) -> None:
        """@Factbot CLAIM: the verdict in a thread under your message."""
        user = event.get("user")
        if event.get("bot_id") or not user or user == context.bot_user_id:
            return  # never answer a bot, least of all ourselves
        if not self.state.first(f"slack:event:{body.get('event_id') or event.get('ts')}", ttl=EVENT_MEMORY):
            return  # Slack redelivered an event that this or another worker has already answered
        channel, thread = event["channel"], event.get("thread_ts") or event["ts"]
        claim = plain_text(_without_mentions_of(context.bot_user_id, event.get("text", "")))

        def tell(text: str) -> None:
            client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread, **notice(text))

        with _answering_errors(tell):
            if not claim:
                tell(MENTION_USAGE)
                return
            asked = Asked("slack", _team(body), channel, thread, user)
            reply = self._check(user, claim, tell, asked)
            if reply:
                _post(client, channel=channel, thread_ts=thread, **render_reply(reply))

    def on_factcheck(self, ack: Any, command: dict[str, Any], respond: Any) -> None:
        """/factcheck CLAIM: check a claim; only you see the answer, with a button to share it."""
        claim = plain_text(command.get("text", ""))
        if not claim:
            ack(text=FACTCHECK_USAGE)
            return
        if claim.lower() in ("help", "-h", "--help", "?"):
            ack(**notice(help_text()))
            return
        ack()
        tell = _teller(respond)
        user = command["user_id"]
        with _answering_errors(tell):
            asked = Asked(
                "slack", command.get("team_id", ""), command.get("channel_id", ""), "", user, private=True
            )
            reply = self._check(user, claim, tell, asked)
            if reply:
                respond(response_type="ephemeral", **render_reply(reply, shareable=True))

    def on_message_shortcut(self, ack: Any, shortcut: dict[str, Any], client: WebClient, respond: Any,
                            context: Any) -> None:  # fmt: skip
        """Fact-check this message (message shortcut): the verdict in that message's thread."""
        ack()
        message, user = shortcut.get("message", {}), shortcut["user"]["id"]
        tell = _teller(respond)
        with _answering_errors(tell):
            if _is_own(message, context):
                tell("That is one of my own answers; pick the message with the claim itself.")
                return
            claim = plain_text(message.get("text", ""))
            if not claim:
                tell("That message has no text I can check.")
                return
            thread, channel = message.get("thread_ts") or message["ts"], shortcut["channel"]["id"]
            reply = self._check(user, claim, tell, Asked("slack", _team(shortcut), channel, thread, user))
            if reply:
                _post_or_explain(client, tell, channel=channel, thread_ts=thread, **render_reply(reply))

    def on_share(self, ack: Any, body: dict[str, Any], action: dict[str, Any], client: WebClient,
                 respond: Any) -> None:  # fmt: skip
        """The "Post to channel" button under a /factcheck answer: share it with the channel."""
        ack()
        user = body["user"]["id"]
        clicked = f"slack:share:{_team(body)}:{body.get('container', {}).get('message_ts')}:{user}"
        if not self.state.first(clicked, ttl=CLICK_MEMORY):
            return  # a double click, whichever worker got the first one
        channel = (body.get("channel") or {}).get("id") or body.get("container", {}).get("channel_id")
        tell = _teller(respond, replace_original=False)
        with _answering_errors(tell):
            reply = self._check(
                user, action.get("value", ""), tell, Asked("slack", _team(body), channel, "", user)
            )
            posted = reply and _post_or_explain(
                client, tell, channel=channel, **render_reply(reply, shared_by=user)
            )
            if reply and posted:
                if reply.check_id is not None and posted.get("ts"):
                    self.bot.set_reply_to(reply.check_id, posted["ts"])  # later answers go in its thread
                respond(delete_original=True)

    def _check(self, user: str, claim: str, tell: Callable[[str], None], asked: Asked) -> CheckReply | None:
        """The core's answer (the check logged), or None (after telling the user) when they are over
        the rate limit, which counts this user's checks on every worker."""
        wait = self.limiter.wait(f"slack:{asked.workspace}:{user}")
        if wait:
            tell(too_many(self.limiter.limit, wait))
            return None
        return self.bot.check(claim, asked=asked)

    # -- the newsroom loop: feedback, follow-ups ---------------------------------------------
    def on_feedback(self, ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any) -> None:
        """👍 Helpful / 👎 Wrong verdict under an answer: thanks only the clicker sees; 👎 queues it."""
        ack()
        user, helpful = body["user"]["id"], action["action_id"] == HELPFUL_ACTION
        tell = _teller(respond, replace_original=False)
        with _answering_errors(tell):
            self.bot.feedback(int(action["value"]), helpful=helpful, user=f"slack:{user}",
                              moderator=self.is_moderator(body, user))  # fmt: skip
            tell(THANKS_HELPFUL if helpful else THANKS_WRONG)

    # -- replays -----------------------------------------------------------------------------
    def refuse_replays(
        self, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        """A signed request seen before (by any worker) is acknowledged and dropped: a slash command
        or form submission replayed inside Slack's 300-second window does nothing twice. Runs after
        bolt has verified the signature; Socket Mode requests carry none and pass."""
        signature = (req.headers.get("x-slack-signature") or [""])[0]
        if signature:
            key = "slack:request:" + hashlib.sha256(signature.encode()).hexdigest()
            if not self.state.first(key, ttl=REPLAY_MEMORY):
                log.warning("dropped a replayed Slack request (same signature seen before)")
                return BoltResponse(status=200, body="")
        return next()

    # -- moderation --------------------------------------------------------------------------
    def is_moderator(self, body: dict[str, Any], user: str) -> bool:
        """Whether `user`, in the workspace the request `body` came from, may curate facts."""
        return self.settings.is_moderator(_team(body), user)

    def on_factadd(self, ack: Any, command: dict[str, Any], client: WebClient, respond: Any) -> None:
        """/factadd: add a fact to the store (moderators); opens a form."""
        if not self.is_moderator(command, command["user_id"]):
            ack(text=NOT_A_MODERATOR)
            return
        ack()
        metadata = {"response_url": command.get("response_url", "")}
        with _answering_errors(_teller(respond)):
            form = fact_form(self.bot.list_sources(), callback_id=ADD_CALLBACK, title="Add a fact",
                             metadata=metadata)  # fmt: skip
            client.views_open(trigger_id=command["trigger_id"], view=form)

    def on_add_submitted(self, ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        """The add form was submitted: store the fact, or show each problem under its input."""
        user, reply_to = body["user"]["id"], _metadata(view).get("response_url", "")
        if not self.is_moderator(body, user):
            ack()
            _send(reply_to, NOT_A_MODERATOR)
            return
        values = form_values(view)
        errors = _source_choice_errors(values)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        fact = self._submit(ack, view, lambda: self._add(values, actor=f"slack:{user}"))
        if fact:
            _send(reply_to, f"Added fact #{fact.id}: {fit(fact.statement, CONFIRMATION_ECHO)}")
            self._offer(reply_to, fact)

    def _add(self, values: dict[str, str], *, actor: str) -> Fact:
        taken = {s.id for s in self.bot.list_sources()}
        submission = read_submission(values, taken)
        if submission.new_source is None:
            return self.bot.add_fact(submission.fact, actor=actor)
        return self.bot.add_fact_with_source(submission.fact, submission.new_source, actor=actor)

    def _submit(self, ack: Any, view: dict[str, Any], store: Callable[[], Fact]) -> Fact | None:
        """Run a form's store call inside the view_submission ack: errors go back into the form."""
        try:
            fact = store()
        except ValidationError as error:
            ack(response_action="errors", errors=modal_errors(error.fields, view))
            return None
        except FactbotError as error:
            ack(response_action="errors", errors={"statement": str(error)[:150]})
            return None
        except Exception:
            log.exception("unexpected error while saving a fact from Slack")
            ack(response_action="errors", errors={"statement": APOLOGY})
            return None
        ack()
        return fact

    def on_fact(self, ack: Any, command: dict[str, Any], client: WebClient, respond: Any) -> None:
        """/fact show|history|edit|retire|restore ID, queue|answer|dismiss: look at a fact or the queue.

        Moderators change facts and answer or dismiss the questions in the queue."""
        verb, fact_id, note = _parse_fact_command(command.get("text", ""))
        user = command["user_id"]
        if fact_id is None and verb != "queue":
            ack(text=FACT_USAGE)
            return
        if verb in _MODERATOR_VERBS and not self.is_moderator(command, user):
            ack(text=NOT_A_MODERATOR)
            return
        ack()
        with _answering_errors(_teller(respond)):
            if verb in ("queue", "answer", "dismiss"):
                respond(response_type="ephemeral", **self._queue_command(verb, fact_id, note, user, client,
                                                                         _team(command)))  # fmt: skip
            elif verb == "edit":
                self._open_edit_form(client, command["trigger_id"], fact_id, command.get("response_url", ""))
            elif verb == "history":
                respond(response_type="ephemeral", **render_history(self.bot.get_fact(fact_id),
                                                                    self.bot.history(fact_id)))  # fmt: skip
            else:
                fact = self._set_status(verb, fact_id, actor=f"slack:{user}", note=note)
                respond(response_type="ephemeral", **self._fact_view(fact, command, user))
                if verb == "restore":
                    self._offer(command.get("response_url", ""), fact)

    def _queue_command(self, verb: str, item_id: int | None, rest: str, user: str, client: WebClient,
                       workspace: str | None) -> dict[str, Any]:  # fmt: skip
        if verb == "queue":
            return render_queue(self.bot.queue())
        assert item_id is not None
        if verb == "dismiss":
            self.bot.dismiss_queue_item(item_id, actor=f"slack:{user}", note=rest)
            return notice(f"Dismissed queue item #{item_id}: nothing is posted or learned.")
        fact_id = _fact_number(rest.split()[0]) if rest.split() else None
        if fact_id is None:
            return notice("Usage: `/fact answer QUEUE_ID FACT_ID`, e.g. `/fact answer 3 157`")
        return self._answer(item_id, fact_id, user, client, workspace)

    def _answer(self, item_id: int, fact_id: int, user: str, client: WebClient,
                workspace: str | None) -> dict[str, Any]:  # fmt: skip
        """Answer a queued question, tell the moderator the verdict, post the follow-ups at once:
        those asked in this workspace (with many workspaces, `client` holds only its token)."""
        answer = self.bot.answer_queue_item(item_id, fact_id, actor=f"slack:{user}")
        deliver_followups(self.bot, client, workspace=workspace if self.settings.oauth else None)
        return render_answered(answer)

    def on_post_answer(self, ack: Any, body: dict[str, Any], action: dict[str, Any], client: WebClient,
                       respond: Any) -> None:  # fmt: skip
        """The "Post answer" button offered when a new fact answers a queued question."""
        user, tell = self._moderator_clicked(ack, body, respond)
        if user is None:
            return
        with _answering_errors(tell):
            item_id, _, fact_id = str(action.get("value", "")).partition(":")
            respond(response_type="ephemeral", replace_original=False,
                    **self._answer(int(item_id), int(fact_id), user, client, _team(body)))  # fmt: skip

    def _offer(self, reply_to: str, fact: Fact) -> None:
        """Offer the open questions a new or changed fact now answers, each with "Post answer"."""
        if fact.id is None:
            return
        offers = self.bot.offers([fact.id])
        if offers:
            _send_message(reply_to, render_offers(fact.id, offers))

    def _set_status(self, verb: str, fact_id: int, *, actor: str, note: str) -> Fact:
        if verb == "retire":
            return self.bot.retire_fact(fact_id, actor=actor, note=note)
        if verb == "restore":
            return self.bot.restore_fact(fact_id, actor=actor, note=note)
        return self.bot.get_fact(fact_id)

    def _fact_view(self, fact: Fact, body: dict[str, Any], user: str) -> dict[str, Any]:
        moderator = self.is_moderator(body, user)
        return render_fact(fact, self.bot.get_source(fact.source_id), moderator=moderator)

    def _open_edit_form(self, client: WebClient, trigger_id: str, fact_id: int, response_url: str) -> None:
        fact = self.bot.get_fact(fact_id)
        form = fact_form(self.bot.list_sources(), callback_id=EDIT_CALLBACK, title=f"Edit fact #{fact_id}",
                         metadata={"fact_id": fact_id, "response_url": response_url},
                         initial=initial_values(fact))  # fmt: skip
        client.views_open(trigger_id=trigger_id, view=form)

    def on_edit_submitted(self, ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        """The edit form was submitted: record the changed fields in the fact's history."""
        user, metadata = body["user"]["id"], _metadata(view)
        reply_to, fact_id = metadata.get("response_url", ""), int(metadata["fact_id"])
        if not self.is_moderator(body, user):
            ack()
            _send(reply_to, NOT_A_MODERATOR)
            return
        values = form_values(view)
        try:
            changes = changed_fields(values, initial_values(self.bot.get_fact(fact_id)))
        except FactbotError:
            changes = {}  # the fact is gone; the edit below reports it in the form
        if not changes:
            ack()
            _send(reply_to, f"Nothing changed in fact #{fact_id}.")
            return
        note = values.get("note", "")
        edit = functools.partial(self.bot.edit_fact, fact_id, changes, actor=f"slack:{user}", note=note)
        fact = self._submit(ack, view, edit)
        if fact:
            _send(reply_to, f"Edited fact #{fact_id}: {escape(', '.join(changes))} changed.")
            self._offer(reply_to, fact)

    def on_edit_button(self, ack: Any, body: dict[str, Any], action: dict[str, Any], client: WebClient,
                       respond: Any) -> None:  # fmt: skip
        """The Edit button on a fact's view."""
        ack()
        tell = _teller(respond, replace_original=False)
        if not self.is_moderator(body, body["user"]["id"]):
            tell(NOT_A_MODERATOR)
            return
        with _answering_errors(tell):
            self._open_edit_form(
                client, body["trigger_id"], int(action["value"]), body.get("response_url", "")
            )

    def on_retire_button(self, ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any) -> None:
        """The Retire button on a fact's view."""
        self._status_button("retire", ack, body, action, respond)

    def on_restore_button(self, ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any) -> None:
        """The Restore button on a fact's view."""
        self._status_button("restore", ack, body, action, respond)

    def _moderator_clicked(self, ack: Any, body: dict[str, Any],
                           respond: Any) -> tuple[str | None, Callable[[str], None]]:  # fmt: skip
        """Acknowledge a button; the clicker's id if a moderator (else None, after telling them)."""
        ack()
        user, tell = body["user"]["id"], _teller(respond, replace_original=False)
        if not self.is_moderator(body, user):
            tell(NOT_A_MODERATOR)
            return None, tell
        return user, tell

    def _status_button(self, verb: str, ack: Any, body: dict[str, Any], action: dict[str, Any],
                       respond: Any) -> None:  # fmt: skip
        user, tell = self._moderator_clicked(ack, body, respond)
        if user is None:
            return
        with _answering_errors(tell):
            fact = self._set_status(verb, int(action["value"]), actor=f"slack:{user}", note="")
            respond(replace_original=True, **self._fact_view(fact, body, user))
            if verb == "restore":
                self._offer(body.get("response_url", ""), fact)


# -- follow-ups: answers to queued questions, posted where they were asked --------------------
def deliver_followups(bot: Factbot, client: WebClient, *, workspace: str | None = None) -> int:
    """Post every pending Slack follow-up (only `workspace`'s when given: `client` holds that
    workspace's token); returns how many were taken. Each is taken once, even with several bot
    processes on one store; one that cannot be posted is logged and marked failed."""
    taken = 0
    for followup in bot.pending_followups("slack", workspace=workspace):
        if bot.claim_followup(followup.id):
            taken += 1
            bot.followup_done(followup, error=_post_followup(client, followup))
    return taken


def _post_followup(client: WebClient, followup: FollowUp) -> str:
    """Post one follow-up (in the thread asked in; privately to a private asker); returns "" or why
    it could not be posted (a deleted thread, a channel the bot has left ...)."""
    where = followup.where
    reply = replace(CheckReply.from_record(followup.reply), check_id=followup.check_id)
    message = render_reply(reply, followup=True)
    try:
        if where.private:
            client.chat_postEphemeral(channel=where.channel, user=where.asker, **message)
        else:
            _post(client, channel=where.channel, thread_ts=where.reply_to or None, **message)
    except SlackApiError as error:
        return str(error.response.get("error") or "slack_error")
    except Exception:
        log.exception("unexpected error posting follow-up %d", followup.id)
        return "unexpected error (logged)"
    return ""


class FollowUpPoster(threading.Thread):
    """The running bot's timer: posts follow-ups recorded by another process (`factbot queue
    answer`) every `every` seconds, and purges the check log at start and once a day. `client` is
    the one workspace's client, or (many workspaces) a function giving each workspace's client from
    its installation, None for a workspace that has uninstalled the app."""

    def __init__(
        self,
        bot: Factbot,
        client: WebClient | Callable[[str], WebClient | None],
        *,
        every: float = 5.0,
        log_days: int = 90,
    ):
        super().__init__(name="factbot-followups", daemon=True)
        self.bot, self.every, self.log_days = bot, every, log_days
        self.client_for = (lambda _workspace: client) if isinstance(client, WebClient) else client
        self.stopped = threading.Event()
        self._next_purge = 0.0

    def run(self) -> None:
        while True:
            self.tick()
            if self.stopped.wait(self.every):
                return

    def tick(self) -> None:
        try:
            self._deliver_per_workspace()
            if time.monotonic() >= self._next_purge:
                self._next_purge = time.monotonic() + PURGE_EVERY
                purged = self.bot.purge_checks(days=self.log_days)
                log.info("purged %d checks older than %d days", purged, self.log_days)
        except Exception:
            log.exception("could not post follow-ups or purge the check log")

    def _deliver_per_workspace(self) -> None:
        """Each workspace's follow-ups with its own token; a workspace that has uninstalled the app
        has its follow-ups marked failed (logged), never posted with another's token."""
        for workspace in sorted({f.where.workspace for f in self.bot.pending_followups("slack")}):
            client = self.client_for(workspace)
            if client is not None:
                deliver_followups(self.bot, client, workspace=workspace)
                continue
            for followup in self.bot.pending_followups("slack", workspace=workspace):
                if self.bot.claim_followup(followup.id):
                    self.bot.followup_done(followup, error="the workspace has no installation of the app")

    def stop(self) -> None:
        self.stopped.set()
        self.join()


# -- helpers ---------------------------------------------------------------------------------
@contextmanager
def _answering_errors(tell: Callable[[str], None]) -> Iterator[None]:
    """Core errors are told to the user (their messages are safe); anything else is an apology."""
    try:
        yield
    except FactbotError as error:
        _tell_safely(tell, escape(str(error)))
    except Exception:
        log.exception("unexpected error while handling a Slack request")
        _tell_safely(tell, APOLOGY)


def _teller(respond: Any, **options: Any) -> Callable[[str], None]:
    """A function that tells the user `text` ephemerally through bolt's `respond`."""

    def tell(text: str) -> None:
        respond(response_type="ephemeral", **options, **notice(text))

    return tell


def _tell_safely(tell: Callable[[str], None], text: str) -> None:
    try:
        tell(text)
    except Exception:
        log.exception("could not tell the user about an error")


def _post(client: WebClient, **message: Any) -> Any:
    """chat.postMessage without link previews (citations carry links) and without link_names."""
    return client.chat_postMessage(unfurl_links=False, unfurl_media=False, **message)


def _post_or_explain(client: WebClient, tell: Callable[[str], None], **message: Any) -> Any:
    """Post (returning Slack's answer); if Slack says we are not in the channel, tell the user how to
    fix it and return None."""
    try:
        return _post(client, **message)
    except SlackApiError as error:
        if error.response.get("error") not in ("not_in_channel", "channel_not_found"):
            raise
        tell(NOT_IN_CHANNEL)
        return None


def _send(response_url: str, text: str) -> None:
    """An ephemeral note to whoever opened a form (via the response_url it was opened with)."""
    _send_message(response_url, notice(text))


def _send_message(response_url: str, message: dict[str, Any]) -> None:
    if not response_url:
        return
    try:
        WebhookClient(response_url).send(response_type="ephemeral", replace_original=False, **message)
    except Exception:
        log.exception("could not send a confirmation to Slack")


def _team(body: dict[str, Any]) -> str:
    """The workspace (team id) a request came from."""
    return str(body.get("team_id") or (body.get("team") or {}).get("id") or "")


def _metadata(view: dict[str, Any]) -> dict[str, Any]:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except json.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}


def _source_choice_errors(values: dict[str, str]) -> dict[str, str]:
    new = any(k in values for k in ("source_outlet", "source_url", "source_date"))
    if "source_id" in values and new:
        return {"source_id": "Pick a source from the list or describe a new one below, not both."}
    if "source_id" not in values and not new:
        return {"source_id": "Pick a source, or describe a new one below (outlet, URL and date)."}
    return {}


def _team(body: dict[str, Any]) -> str | None:
    """The workspace a request came from: events and slash commands say `team_id`, interactive
    payloads `team.id` (or the user's `team_id`)."""
    team = (
        body.get("team_id") or (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id")
    )
    return str(team) if team else None


def _is_own(message: dict[str, Any], context: Any) -> bool:
    """Whether a message was posted by this app."""
    bot_id = message.get("bot_id")
    return message.get("user") == context.bot_user_id or bool(bot_id and bot_id == context.bot_id)


def _without_mentions_of(bot_user_id: str | None, text: str) -> str:
    if not bot_user_id:
        return text
    return re.sub(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>", " ", text)


def _parse_fact_command(text: str) -> tuple[str, int | None, str]:
    """ "retire 12 outlet corrected it" → ("retire", 12, "outlet corrected it")."""
    parts = plain_text(text).split(maxsplit=2)
    if parts and parts[0].lower() == "queue":
        return "queue", None, ""
    if len(parts) < 2 or parts[0].lower() not in {"show", "history"} | _MODERATOR_VERBS:
        return "", None, ""
    number = _fact_number(parts[1])
    if number is None:
        return "", None, ""
    return parts[0].lower(), number, parts[2] if len(parts) > 2 else ""


def _fact_number(text: Any) -> int | None:
    """ "12" or "#12" as 12; None for anything else ("²".isdigit() is true, but int("²") raises)."""
    digits = str(text).strip().removeprefix("#")
    return int(digits) if re.fullmatch("[0-9]{1,30}", digits) else None


def help_text() -> str:
    """What Factbot does in Slack, one line per way in, from the listeners' docstrings."""
    entries = [
        SlackFactbot.on_mention,
        SlackFactbot.on_factcheck,
        SlackFactbot.on_message_shortcut,
        SlackFactbot.on_factadd,
        SlackFactbot.on_fact,
    ]
    lines = ["*Factbot* checks claims against a curated store of facts from news sources."]
    for listener in entries:
        usage, _, what = (listener.__doc__ or "").strip().splitlines()[0].partition(": ")
        lines.append(f"• *{escape(usage)}* — {escape(what)}")
    return "\n".join(lines)


# -- wiring ----------------------------------------------------------------------------------
def create_app(
    settings: SlackSettings | None = None,
    *,
    client: WebClient | None = None,
    factbot: Factbot | None = None,
    state: SharedState | None = None,
) -> App:
    """The configured bolt App. `settings` default to the environment's; `client` to a WebClient
    on `settings.api_url`; `factbot` and `state` to the store at `settings.db_path`.

    One workspace: every request is answered with SLACK_BOT_TOKEN. Many (`settings.oauth`): the app
    serves /slack/install and /slack/oauth_redirect, keeps installations in the store, answers each
    workspace with its own token and forgets a workspace's tokens when it uninstalls the app."""
    settings = settings or SlackSettings.from_env()
    client = client or _client(settings)
    options: dict[str, Any] = {}
    if settings.oauth:
        from adapters.slack.oauth import oauth_settings

        options["oauth_settings"] = oauth_settings(settings)
    # Our own pool, so that a stopping server can wait for the checks it has acknowledged.
    executor = ThreadPoolExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="factbot-slack")
    app = App(client=client, signing_secret=settings.signing_secret, ignoring_self_events_enabled=True,
              listener_executor=executor, **options)  # fmt: skip
    if settings.oauth:
        app.enable_token_revocation_listeners()  # forget that workspace's tokens
    else:
        app.event("app_uninstalled")(_token_gone)
        app.event("tokens_revoked")(_token_gone)
    state = state or SharedState.open(settings.db_path)
    SlackFactbot(factbot or Factbot.open(settings.db_path), settings, state).register(app)
    return app


def _token_gone(body: dict[str, Any]) -> None:
    """One workspace, and Slack says the app was removed or its tokens revoked: say what to do."""
    log.warning("Slack says Factbot was uninstalled from workspace %s or its tokens revoked (%s): "
                "SLACK_BOT_TOKEN no longer works; reinstall the app and set the new token",
                _team(body), body.get("event", {}).get("type"))  # fmt: skip


def _client(settings: SlackSettings, *, token: str = "") -> WebClient:
    """A Web API client on SLACK_API_URL with `token`, else SLACK_BOT_TOKEN; without a token with
    many workspaces (bolt gives each request its workspace's)."""
    return WebClient(token=token or settings.bot_token or None, base_url=settings.api_url,
                     retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)])  # fmt: skip


def create_app_with_followups(settings: SlackSettings) -> App:
    """`create_app` plus the timer that posts follow-ups recorded elsewhere (what a serving process
    runs; each HTTP worker runs its own, and each follow-up is still taken once). With many
    workspaces each is posted with its own workspace's token, from the installation store."""
    factbot, client = Factbot.open(settings.db_path), _client(settings)
    app = create_app(settings, client=client, factbot=factbot)
    poster = _installed_clients(settings, app) if settings.oauth else client
    FollowUpPoster(factbot, poster, every=FOLLOWUP_POLL, log_days=settings.check_log_days).start()
    return app


def _installed_clients(settings: SlackSettings, app: App) -> Callable[[str], WebClient | None]:
    """Each workspace's client, made with the bot token its installation holds (None when it has
    none: uninstalled, or never installed)."""
    installations = app.installation_store

    def client_for(team_id: str) -> WebClient | None:
        found = installations.find_bot(enterprise_id=None, team_id=team_id) if installations else None
        if found is None or not found.bot_token:
            return None
        return _client(settings, token=found.bot_token)

    return client_for


def finish_listeners(app: App) -> None:
    """Wait for every check this app has acknowledged to be answered (a stopping worker calls it)."""
    app.listener_runner.listener_executor.shutdown(wait=True)  # type: ignore[attr-defined]


def serve(*, http_mode: bool = False, port: int = 3000, host: str = "127.0.0.1", db_path: Path | None = None,
          workers: int = 1) -> None:  # fmt: skip
    """Run until stopped: Socket Mode (needs SLACK_APP_TOKEN) or, with `http_mode`, an HTTP server
    (adapters/slack/server.py). `db_path` (the CLI's --db) overrides FACTBOT_DB."""
    settings = SlackSettings.from_env(http_mode=http_mode)
    if db_path is not None:
        settings = dataclasses.replace(settings, db_path=db_path)
    _configure_logging(settings)
    if not settings.moderators:
        log.warning("FACTBOT_SLACK_MODERATORS is empty: nobody can add or change facts from Slack")
    if http_mode:
        from adapters.slack.server import serve_http

        serve_http(settings, host=host, port=port, workers=workers)
        return
    app = create_app_with_followups(settings)
    log.info("Factbot connecting to Slack in Socket Mode")
    socket_mode_handler(app, settings.app_token).start()


def socket_mode_handler(app: App, app_token: str) -> Any:
    """bolt's Socket Mode adapter; it opens its connection through `app.client` (SLACK_API_URL)."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    return SocketModeHandler(app, app_token, web_client=app.client)


def _configure_logging(settings: SlackSettings) -> None:
    from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped

    configure_logging(secrets=[settings.bot_token, settings.signing_secret, settings.app_token,
                               settings.client_secret])  # fmt: skip
    # bolt reads SLACK_BOT_TOKEN itself and warns that our client (which carries it) wins: noise.
    expected = warning_client_prioritized_and_token_skipped()
    logging.getLogger("slack_bolt.App").addFilter(lambda record: record.getMessage() != expected)
