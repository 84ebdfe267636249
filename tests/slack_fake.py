"""A fake Slack Web API on 127.0.0.1 that records every call, and helpers to sign requests as Slack.

See ../shared/docs/platform-testing.md: bolt's real dispatch runs; only the network edge is fake.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

BOT_USER = "UBOT"
BOT_ID = "BBOT"
TEAM = "T0001"
SECRET = "test-signing-secret"
TOKEN = "xoxb-test-token-0123456789"


@dataclass
class Call:
    """One request the fake received."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]


class FakeSlack:
    """Start with `with FakeSlack() as fake:`; point a WebClient at `fake.api_url`."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.errors: dict[str, str] = {}  # method -> Slack error code to answer with
        self.answers: dict[str, dict[str, Any]] = {}  # method -> the whole answer (e.g. oauth.v2.access)
        self.hook_delay = 0.0  # seconds a response_url post takes (a slow Slack)
        self._changed = threading.Condition()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05})

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    @property
    def api_url(self) -> str:
        return self.base + "/api/"

    def hook(self, name: str = "1") -> str:
        """A response_url that lands in this fake."""
        return f"{self.base}/hooks/{name}"

    def __enter__(self) -> FakeSlack:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def record(self, call: Call) -> None:
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    def calls_to(self, path: str) -> list[Call]:
        return [c for c in self.calls if c.path == path or (path.endswith("/") and c.path.startswith(path))]

    def wait_for(self, path: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """The calls to `path` once there are `count` of them; fails after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.calls_to(path)) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [c.path for c in self.calls]
                    raise AssertionError(f"expected {count} call(s) to {path}; the fake saw {seen}")
                self._changed.wait(left)
            return self.calls_to(path)

    def settle(self, seconds: float = 0.3) -> None:
        """Give background listeners time to make calls that should *not* happen."""
        time.sleep(seconds)

    def answer(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        method = path.removeprefix("/api/")
        if method in self.errors:
            return {"ok": False, "error": self.errors[method]}
        if method in self.answers:
            return self.answers[method]
        if method == "auth.test":
            return {"ok": True, "user_id": BOT_USER, "bot_id": BOT_ID, "team_id": TEAM, "user": "factbot"}
        if method == "chat.postMessage":
            return {"ok": True, "channel": body.get("channel"), "ts": f"{time.time():.6f}", "message": {}}
        if method == "views.open":
            return {"ok": True, "view": {"id": "V1", **body.get("view", {})}}
        return {"ok": True}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
                raw = self.rfile.read(int(self.headers.get("content-length") or 0))
                path = urlsplit(self.path).path
                if path.startswith("/hooks/") and fake.hook_delay:
                    time.sleep(fake.hook_delay)
                body = _parse(raw, self.headers.get("content-type", ""))
                fake.record(Call(path, {k.lower(): v for k, v in self.headers.items()}, body))
                answer = json.dumps(fake.answer(path, body) if path.startswith("/api/") else {"ok": True})
                data = answer.encode() if path.startswith("/api/") else b"ok"
                self.send_response(200)
                self.send_header(
                    "content-type", "application/json" if path.startswith("/api/") else "text/plain"
                )
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        return Handler


def _parse(raw: bytes, content_type: str) -> dict[str, Any]:
    text = raw.decode("utf-8")
    if "json" in content_type:
        return json.loads(text or "{}")
    return {k: v[0] for k, v in parse_qs(text).items()}


# -- requests as Slack sends them ------------------------------------------------------------
def sign(body: str, *, secret: str = SECRET, timestamp: int | None = None) -> dict[str, str]:
    """Slack's request headers for `body`: v0 HMAC-SHA256 over "v0:{timestamp}:{body}"."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"x-slack-request-timestamp": ts, "x-slack-signature": f"v0={digest}"}


def form_body(fields: dict[str, str]) -> tuple[str, dict[str, str]]:
    return urlencode(fields), {"content-type": "application/x-www-form-urlencoded"}


def command_body(command: str, text: str, *, user: str = "U123", response_url: str = "",
                 trigger_id: str = "trigger-1", team: str = TEAM) -> dict[str, str]:  # fmt: skip
    return {
        "token": "legacy",
        "team_id": team,
        "channel_id": "C1",
        "channel_name": "general",
        "user_id": user,
        "user_name": user.lower(),
        "command": command,
        "text": text,
        "api_app_id": "A1",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }


def mention_body(text: str, *, event_id: str = "Ev1", user: str = "U123", ts: str = "1700000000.000100",
                 thread_ts: str | None = None, bot_id: str | None = None) -> dict[str, Any]:  # fmt: skip
    event: dict[str, Any] = {"type": "app_mention", "user": user, "text": text, "ts": ts, "channel": "C1",
                             "event_ts": ts}  # fmt: skip
    if thread_ts:
        event["thread_ts"] = thread_ts
    if bot_id:
        event["bot_id"] = bot_id
    return {
        "token": "legacy",
        "team_id": TEAM,
        "api_app_id": "A1",
        "type": "event_callback",
        "event_id": event_id,
        "event_time": 1700000000,
        "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
        "event": event,
    }


def shortcut_payload(
    message: dict[str, Any], *, user: str = "U123", response_url: str = ""
) -> dict[str, Any]:
    return {
        "type": "message_action",
        "callback_id": "factbot_check_message",
        "trigger_id": "trigger-2",
        "team": {"id": TEAM},
        "user": {"id": user, "team_id": TEAM},
        "channel": {"id": "C1", "name": "general"},
        "message_ts": message["ts"],
        "message": message,
        "response_url": response_url,
        "api_app_id": "A1",
        "token": "legacy",
    }


def action_payload(action_id: str, value: str, *, user: str = "U123", response_url: str = "",
                   message_ts: str = "1700000000.000200") -> dict[str, Any]:  # fmt: skip
    return {
        "type": "block_actions",
        "team": {"id": TEAM},
        "user": {"id": user, "team_id": TEAM},
        "api_app_id": "A1",
        "token": "legacy",
        "trigger_id": "trigger-3",
        "container": {"type": "message", "message_ts": message_ts, "channel_id": "C1", "is_ephemeral": True},
        "channel": {"id": "C1", "name": "general"},
        "response_url": response_url,
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "b",
                "value": value,
                "action_ts": "1700000001.0",
            }
        ],  # fmt: skip
    }


def view_submission(view: dict[str, Any], values: dict[str, Any], *, user: str = "U123") -> dict[str, Any]:
    """The payload Slack sends when `view` (as we opened it) is submitted with `values`.

    `values` maps block id to a value: str for text, number and url inputs, or
    {"selected_option": ...} / {"selected_date": ...} dicts for selects and date pickers.
    """
    state = {}
    for block_id, value in values.items():
        state[block_id] = {"value": value if isinstance(value, dict) else {"type": "x", "value": value}}
    submitted = {**view, "id": "V1", "state": {"values": state}}
    return {
        "type": "view_submission",
        "team": {"id": TEAM},
        "user": {"id": user, "team_id": TEAM},
        "api_app_id": "A1",
        "token": "legacy",
        "trigger_id": "trigger-4",
        "view": submitted,
    }


# -- the app under test ----------------------------------------------------------------------
class SlackHarness:
    """A real bolt App from `create_app`, its WebClient pointed at a FakeSlack; requests go through
    `app.dispatch` signed as Slack signs them.

    >>> with SlackHarness(factbot) as slack:
    ...     slack.command("/factcheck", "Rebels captured the city of Hama.")
    """

    def __init__(self, factbot: Any, *, moderators: tuple[str, ...] = ("UMOD",), rate_limit: int = 10):
        from adapters.slack.settings import SlackSettings
        from bot.ratelimit import RateLimit

        self.fake = FakeSlack()
        self.factbot = factbot
        self.commands = 0
        self.settings = SlackSettings(
            bot_token=TOKEN,
            signing_secret=SECRET,
            api_url=self.fake.api_url,
            db_path=Path(factbot.store.db.conn.execute("PRAGMA database_list").fetchone()[2]),
            moderators=frozenset(moderators),
            rate_limit=RateLimit(rate_limit, 60.0),
        )

    def __enter__(self) -> SlackHarness:
        from slack_sdk import WebClient

        from adapters.slack import create_app
        from facts.shared_state import SharedState

        self.fake.__enter__()
        client = WebClient(token=TOKEN, base_url=self.fake.api_url)
        self.state = SharedState.open(self.settings.db_path)
        self.app = create_app(self.settings, client=client, factbot=self.factbot, state=self.state)
        return self

    def __exit__(self, *exc: object) -> None:
        self.fake.__exit__(*exc)
        self.state.close()

    def send(self, raw: str, content_type: str, **headers: str) -> Any:
        """Dispatch a signed request through bolt; returns the BoltResponse (the ack)."""
        from slack_bolt.request import BoltRequest

        signed = {"content-type": content_type, **sign(raw), **headers}
        return self.app.dispatch(BoltRequest(body=raw, headers=signed))

    def event(self, body: dict[str, Any], **headers: str) -> Any:
        return self.send(json.dumps(body), "application/json", **headers)

    def command(self, command: str, text: str, *, user: str = "U123") -> Any:
        """Each command gets its own trigger id, as Slack gives (trigger-1, trigger-2 ...)."""
        self.commands += 1
        raw, headers = form_body(command_body(command, text, user=user, response_url=self.fake.hook(),
                                              trigger_id=f"trigger-{self.commands}"))  # fmt: skip
        return self.send(raw, headers["content-type"])

    def payload(self, payload: dict[str, Any]) -> Any:
        raw, headers = form_body({"payload": json.dumps(payload)})
        return self.send(raw, headers["content-type"])
