"""`factbot serve slack --http` as a real process (gunicorn), its Web API pointed at a FakeSlack.

>>> with FakeSlack() as fake, SlackServer(db_path, fake) as server:
...     status, body = server.post(*signed(command_body("/factcheck", "help")))
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from slack_fake import SECRET, TOKEN, FakeSlack, form_body, sign

REPO = Path(__file__).resolve().parent.parent
CLI = "import sys; from adapters.cli import main; sys.exit(main())"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class SlackServer:
    """One `factbot --db DB serve slack --http` process; `env` adds to or overrides its environment
    (a value of None removes a variable)."""

    def __init__(
        self,
        db: Path,
        fake: FakeSlack,
        *,
        workers: int = 1,
        env: dict[str, str | None] | None = None,
        log: Path | None = None,
    ):
        self.db, self.fake, self.workers = db, fake, workers
        self.port = free_port()
        self.log = log or db.parent / f"server-{self.port}.log"
        base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "FACTBOT_"))}
        extra = {
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": fake.api_url,
            "FACTBOT_SLACK_MODERATORS": "UMOD",
            **(env or {}),
        }
        self.env = {**base, **{k: v for k, v in extra.items() if v is not None}}
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> SlackServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        self.launch()
        self.wait_ready()

    def launch(self) -> None:
        command = [
            sys.executable,
            "-c",
            CLI,
            "--db",
            str(self.db),
            "serve",
            "slack",
            "--http",
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
        ]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(command, cwd=REPO, env=self.env, stdout=log, stderr=log)

    def wait_ready(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the server exited with {self.process.returncode}:\n{self.output()}")
            try:
                if self.get("/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise AssertionError(f"the server did not answer /healthz within 30 s:\n{self.output()}")

    def terminate(self) -> int:
        """SIGTERM, then the exit code (a graceful stop)."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=60)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, str, dict[str, str]]:
        request = urllib.request.Request(self.url + path, headers=headers or {})
        return _send(request)

    def post(self, body: str, headers: dict[str, str], path: str = "/slack/events") -> tuple[int, str]:
        request = urllib.request.Request(self.url + path, data=body.encode(), headers=headers, method="POST")
        status, text, _ = _send(request)
        return status, text


@contextmanager
def server_pair(
    db: Path, fake: FakeSlack, *, env: dict[str, str | None]
) -> Iterator[tuple[SlackServer, ...]]:
    """Two server processes on one store file, as two workers behind one address (started together)."""
    first, second = SlackServer(db, fake, env=env), SlackServer(db, fake, env=env)
    try:
        first.launch()
        second.launch()
        first.wait_ready()
        second.wait_ready()
        yield first, second
    finally:
        first.stop()
        second.stop()


def copy_of(template: Path, folder: Path) -> Path:
    """A private copy of the seeded store in `folder`."""
    target = folder / "factbot.db"
    shutil.copy(template, target)
    return target


def _send(request: urllib.request.Request) -> tuple[int, str, dict[str, str]]:
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return (
                response.status,
                response.read().decode(),
                {k.lower(): v for k, v in response.headers.items()},
            )
    except urllib.error.HTTPError as error:
        with error:
            return (
                error.code,
                error.read().decode(errors="replace"),
                {k.lower(): v for k, v in error.headers.items()},
            )


def signed_form(fields: dict[str, str]) -> tuple[str, dict[str, str]]:
    """A form body (slash command) and Slack's headers, signed now."""
    body, headers = form_body(fields)
    return body, {**headers, **sign(body)}


def signed_payload(payload: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """An interactive payload (button, form submission) and Slack's headers, signed now."""
    return signed_form({"payload": json.dumps(payload)})


def signed_event(event: dict[str, Any], **headers: str) -> tuple[str, dict[str, str]]:
    body = json.dumps(event)
    return body, {"content-type": "application/json", **sign(body), **headers}
