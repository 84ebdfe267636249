"""A fake Discord HTTP API on 127.0.0.1 and raw gateway payloads, for driving discord.py offline.

The recipe is ../shared/docs/platform-testing.md: `Route.BASE` points at the fake, `client.login()`
runs against it, and raw INTERACTION_CREATE payloads go through discord.py's own parser table.
"""

from __future__ import annotations

import warnings

with warnings.catch_warnings():  # discord.py 2.7 imports audioop, deprecated since Python 3.11
    warnings.filterwarnings("ignore", "'audioop' is deprecated", DeprecationWarning)
    import discord

import asyncio
import itertools
import json
import sqlite3
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

APP_ID = "900000000000000001"
BOT_USER_ID = "900000000000000002"
GUILD_ID = "900000000000000003"
CHANNEL_ID = "900000000000000004"
MEMBER_ID = "900000000000000005"
OTHER_USER_ID = "900000000000000006"
MANAGE_MESSAGES = str(1 << 13)  # 8192
NO_PERMISSIONS = "0"
USER_PERMISSIONS = str((1 << 10) | (1 << 11))  # view channel, send messages

_ids = itertools.count(1_000_000_000_000_000_000)


def snowflake() -> str:
    return str(next(_ids))


@dataclass
class Call:
    """One request the fake received."""

    method: str
    path: str
    body: Any

    @property
    def interaction_id(self) -> str:
        return self.path.split("/")[-3] if self.path.endswith("/callback") else ""


@dataclass
class FakeDiscord:
    """Records every request; answers what login, interaction responses, follow-ups and sync need."""

    calls: list[Call] = field(default_factory=list)
    expired_tokens: set[str] = field(default_factory=set)
    # path prefix -> (HTTP status, Discord error code): e.g. a channel deleted or the bot removed
    failures: dict[str, tuple[int, int]] = field(default_factory=dict)
    port: int = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    async def handle(self, request: web.Request) -> web.Response:
        raw = await request.read()
        body = json.loads(raw) if raw and request.content_type == "application/json" else raw.decode()
        path = request.path.removeprefix("/api/v10")
        self.calls.append(Call(request.method, path, body))
        if self.expired_tokens.intersection(path.split("/")):
            return _json({"message": "Unknown interaction", "code": 10062}, status=404)
        for prefix, (status, code) in self.failures.items():
            if path.startswith(prefix):
                return _json({"message": f"error {code}", "code": code}, status=status)
        return _json(self.answer(request.method, path, body))

    def answer(self, method: str, path: str, body: Any) -> Any:
        if path == "/users/@me":
            return _user(BOT_USER_ID, "factbot", bot=True)
        if path == "/oauth2/applications/@me":
            return _application()
        if path.endswith("/callback"):
            interaction_id = path.split("/")[2]
            # A message's id comes back as Discord sends it with ?with_response=1.
            sent = {"response_message_id": snowflake()} if body["type"] == 4 else {}
            return {
                "interaction": {"id": interaction_id, "type": 2, **sent},
                "resource": {"type": body["type"]},
            }
        if path == "/users/@me/channels":
            return {"id": snowflake(), "type": 1, "recipients": [_user(str(body["recipient_id"]), "alice")]}
        if path.startswith("/channels/") and path.endswith("/messages") and method == "POST":
            return message_payload(content=(body or {}).get("content") or "", author=_user(APP_ID, "factbot"))
        if path.endswith("/commands") and method == "PUT":
            return [
                {"description": "", **command, "id": snowflake(), "application_id": APP_ID, "version": "1"}
                for command in body
            ]
        if path.startswith("/webhooks/"):
            return message_payload(content=(body or {}).get("content") or "", author=_user(APP_ID, "factbot"))
        return {}

    def posts_to(self, prefix: str) -> list[Call]:
        """POSTs whose path starts with `prefix` (e.g. "/channels/" for messages the bot sent)."""
        return [c for c in self.calls if c.method == "POST" and c.path.startswith(prefix)]

    def callbacks(self) -> list[Call]:
        return [c for c in self.calls if c.path.endswith("/callback")]

    def responses_to(self, interaction: dict[str, Any]) -> list[Call]:
        """Callback, follow-ups and edits for one interaction, in order."""
        return [c for c in self.calls if interaction["token"] in c.path.split("/")]

    async def wait_for(self, predicate: Callable[[FakeDiscord], Any], *, timeout: float = 5.0) -> Any:
        """Poll until `predicate(self)` is truthy; returns its value."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate(self)
            if value:
                return value
            await asyncio.sleep(0.01)
        raise AssertionError(f"timed out; the fake received: {[(c.method, c.path) for c in self.calls]}")


def _json(data: Any, status: int = 200) -> web.Response:
    # discord.py parses JSON only when the Content-Type is exactly application/json.
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"}
    )


@asynccontextmanager
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    """A running fake on 127.0.0.1 (port 0), shut down cleanly on exit."""
    fake = FakeDiscord()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", fake.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    fake.port = runner.addresses[0][1]
    try:
        yield fake
    finally:
        await runner.cleanup()


# -- payloads --------------------------------------------------------------------------------
def _user(user_id: str, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {
        "id": user_id,
        "username": name,
        "global_name": name,
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
    }


def _application() -> dict[str, Any]:
    return {
        "id": APP_ID,
        "name": "Factbot",
        "description": "",
        "icon": None,
        "bot_public": True,
        "bot_require_code_grant": False,
        "owner": _user(OTHER_USER_ID, "owner"),
        "verify_key": "0" * 64,
        "flags": 0,
    }


def member(
    permissions: str = USER_PERMISSIONS, roles: tuple[str, ...] = (), user_id: str = MEMBER_ID
) -> dict[str, Any]:
    return {
        "user": _user(user_id, "alice"),
        "roles": list(roles),
        "permissions": permissions,
        "joined_at": "2024-01-01T00:00:00+00:00",
        "deaf": False,
        "mute": False,
        "flags": 0,
    }


def _interaction(kind: int, data: dict[str, Any], who: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": snowflake(),
        "application_id": APP_ID,
        "type": kind,
        "token": f"token-{snowflake()}",
        "version": 1,
        "attachment_size_limit": 8 * 1024 * 1024,
        "guild_id": GUILD_ID,
        "channel_id": CHANNEL_ID,
        "channel": {"id": CHANNEL_ID, "type": 0, "guild_id": GUILD_ID, "name": "general", "position": 0},
        "member": who,
        "app_permissions": str((1 << 11) | (1 << 14)),
        "locale": "en-US",
        "guild_locale": "en-US",
        "entitlements": [],
        "authorizing_integration_owners": {"0": GUILD_ID},
        "context": 0,
        "data": data,
    }


def slash(
    name: str,
    options: dict[str, Any] | None = None,
    *,
    who: dict[str, Any] | None = None,
    group: str | None = None,
) -> dict[str, Any]:
    """A slash command; with `group`, `name` is the subcommand of that group."""
    typed = [{"name": k, "type": _option_type(v), "value": v} for k, v in (options or {}).items()]
    if group:
        data = {
            "id": snowflake(),
            "name": group,
            "type": 1,
            "options": [{"name": name, "type": 1, "options": typed}],
        }
    else:
        data = {"id": snowflake(), "name": name, "type": 1, "options": typed}
    return _interaction(2, data, who or member())


def _option_type(value: Any) -> int:
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return 4
    return 3


def message_payload(
    content: str, author: dict[str, Any] | None = None, message_id: str | None = None
) -> dict[str, Any]:
    return {
        "id": message_id or snowflake(),
        "channel_id": CHANNEL_ID,
        "type": 0,
        "content": content,
        "author": author or _user(OTHER_USER_ID, "bob"),
        "attachments": [],
        "embeds": [],
        "mentions": [],
        "mention_roles": [],
        "mention_everyone": False,
        "pinned": False,
        "tts": False,
        "timestamp": "2024-12-01T10:00:00+00:00",
        "edited_timestamp": None,
        "flags": 0,
        "components": [],
    }


def message_command(
    name: str, message: dict[str, Any], *, who: dict[str, Any] | None = None
) -> dict[str, Any]:
    data = {
        "id": snowflake(),
        "name": name,
        "type": 3,
        "target_id": message["id"],
        "resolved": {"messages": {message["id"]: message}},
    }
    return _interaction(2, data, who or member())


def modal_submit(
    custom_id: str, values: dict[str, str], *, who: dict[str, Any] | None = None
) -> dict[str, Any]:
    rows = [{"type": 1, "components": [{"type": 4, "custom_id": k, "value": v}]} for k, v in values.items()]
    return _interaction(5, {"custom_id": custom_id, "components": rows}, who or member())


def button_click(custom_id: str, *, who: dict[str, Any] | None = None) -> dict[str, Any]:
    """A click on a button of one of the bot's messages (a message component interaction)."""
    payload = _interaction(3, {"custom_id": custom_id, "component_type": 2}, who or member())
    message = message_payload("", author=_user(APP_ID, "factbot"))
    # The message carries its buttons, as Discord sends it: discord.py finds the clicked one there.
    button = {"type": 2, "style": 2, "label": "button", "custom_id": custom_id}
    message["components"] = [{"type": 1, "components": [button]}]
    payload["message"] = message
    return payload


def feed(client: discord.Client, payload: dict[str, Any]) -> None:
    """Hand a raw gateway dispatch to discord.py's own parser, as the websocket would."""
    client._connection.parsers["INTERACTION_CREATE"](payload)


def modal_inputs(modal: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The text inputs of a modal (the `data` of a type 9 response)."""
    for row in modal["components"]:
        yield from row["components"]


# -- a client wired to the fake --------------------------------------------------------------
class Harness:
    """A logged-in Factbot Discord client talking to a fake Discord; records the tree's errors."""

    def __init__(self, client: Any, fake: FakeDiscord):
        self.client, self.fake = client, fake
        self.errors: list[BaseException] = []
        handler = client.tree.on_error

        async def recording(interaction: discord.Interaction, error: Exception) -> None:
            self.errors.append(getattr(error, "original", error))
            await handler(interaction, error)

        client.tree.on_error = recording

    def unexpected_errors(self) -> list[BaseException]:
        from discord.app_commands import CheckFailure

        from facts.errors import FactbotError

        return [e for e in self.errors if not isinstance(e, FactbotError | CheckFailure)]

    async def send(
        self, payload: dict[str, Any], count: int = 1, *, crash_expected: bool = False
    ) -> list[Call]:
        """Feed one interaction and wait for `count` responses to it; fail at once on a crash."""
        feed(self.client, payload)
        return await self.responses(payload, count, crash_expected=crash_expected)

    async def responses(
        self, payload: dict[str, Any], count: int = 1, *, crash_expected: bool = False
    ) -> list[Call]:
        """Wait for `count` responses to an interaction already sent."""

        def answered(fake: FakeDiscord) -> list[Call] | None:
            if self.unexpected_errors() and not crash_expected:
                raise AssertionError(f"the command crashed: {self.unexpected_errors()!r}")
            responses = fake.responses_to(payload)
            return responses if len(responses) >= count else None

        return await self.fake.wait_for(answered)


@asynccontextmanager
async def discord_harness(monkeypatch: Any, factbot: Any, **settings: Any) -> AsyncIterator[Harness]:
    """Fake API up, Route.BASE pointed at it, client created and logged in (which syncs commands)."""
    from pathlib import Path

    from adapters.discord import DiscordSettings, create_client
    from facts.shared_state import SharedState

    async with fake_discord() as fake:
        monkeypatch.setattr(discord.http.Route, "BASE", fake.base)
        options: dict[str, Any] = {
            "token": "test-token",
            "db_path": Path("unused.db"),
            "guild_id": int(GUILD_ID),
            "followup_poll": 0.0,  # tests post follow-ups with client.deliver_followups() when they mean to
        }
        try:  # rate limits and the command-sync hash in the store, as `factbot serve discord` keeps them
            state: SharedState | None = SharedState.open(
                factbot.store.db.conn.execute("PRAGMA database_list").fetchone()[2]
            )
        except sqlite3.ProgrammingError:  # the test closed the store on purpose
            state = None
        client = create_client(DiscordSettings(**(options | settings)), factbot=factbot, state=state)
        harness = Harness(client, fake)
        try:
            await client.login("test-token")
            yield harness
        finally:
            await client.close()
            if state is not None:
                state.close()


def scenario_runner(monkeypatch: Any, factbot: Any) -> Callable[..., None]:
    """run(scenario, **settings): the scenario gets a logged-in client wired to a fresh fake."""

    def run(scenario: Callable[[Harness], Any], **settings: Any) -> None:
        async def main() -> None:
            async with discord_harness(monkeypatch, factbot, **settings) as harness:
                await scenario(harness)

        asyncio.run(main())

    return run
