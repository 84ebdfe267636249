"""HTTP mode on a production server: bolt's WSGI adapter under gunicorn (gthread workers).

Why gunicorn: it is the WSGI server bolt's own WSGI adapter documents; its master process gives
what production needs without code of ours — several worker processes on one port, a worker
that dies replaced, a graceful stop on SIGTERM (the listening socket closes, requests in flight
finish, exit 0); it has no dependencies. bolt's App is synchronous, so a threaded WSGI server fits
it better than uvicorn (an ASGI server would run the sync app in a thread pool anyway). waitress
would also do, but leaves worker processes and signal handling to us. gunicorn runs on Unix only,
which is what the Docker image and servers are.

Routes (nothing else is served; everything else is 404):

    POST /slack/events          events, commands, shortcuts, buttons, forms (signature checked by bolt)
    GET  /slack/install         with SLACK_CLIENT_ID: the install page (adapters/slack/oauth.py)
    GET  /slack/oauth_redirect  with SLACK_CLIENT_ID: where Slack sends the installing user back
    GET  /healthz               200 "ok" while the store answers, 503 when it does not

>>> serve_http(SlackSettings.from_env(http_mode=True), host="127.0.0.1", port=3000, workers=2)
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any
from urllib.error import URLError

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger as GunicornLogger
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from adapters.slack.settings import SettingsError, SlackSettings
from bot.service import Factbot
from facts.shared_state import store_answers

__all__ = ["FactbotServer", "FactbotWSGI", "bind_address", "check_token", "prepare_store", "serve_http"]

log = logging.getLogger("factbot.slack")
THREADS = 8  # requests served at once per worker; a request only acknowledges, checks run after
GRACEFUL_SECONDS = 30  # how long a stopping worker may take to finish what it has accepted


class FactbotWSGI:
    """The WSGI application: /healthz here, everything else to bolt's handler."""

    def __init__(self, app: App, settings: SlackSettings):
        self.app, self.settings = app, settings
        self.slack = SlackRequestHandler(app)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            return self.health(environ, start_response)
        return self.slack(environ, start_response)

    def health(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            start_response("405 Method Not Allowed", [("content-type", "text/plain"), ("allow", "GET")])
            return [b"method not allowed\n"]
        healthy = store_answers(self.settings.db_path)
        body = b"ok\n" if healthy else b"the fact store does not answer\n"
        start_response("200 OK" if healthy else "503 Service Unavailable",
                       [("content-type", "text/plain"), ("content-length", str(len(body)))])  # fmt: skip
        return [body]


def bind_address(host: str, port: int) -> str:
    """gunicorn's bind string; an IPv6 host in brackets."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


class _Logs(GunicornLogger):
    """gunicorn's messages through the root logger (so FACTBOT_LOG_FORMAT and the secret scrubbing
    apply to them too); no access log: a request line carries nothing an operator needs here."""

    def setup(self, cfg: Any) -> None:
        self.error_log.handlers.clear()
        self.error_log.propagate = True
        self.error_log.setLevel(logging.INFO)
        self.access_log.handlers.clear()
        self.access_log.propagate = False
        self.access_log.disabled = True


class FactbotServer(BaseApplication):  # type: ignore[misc]
    """gunicorn with our options; each worker builds its own App (its own store connections)."""

    def __init__(self, settings: SlackSettings, *, host: str, port: int, workers: int):
        self.settings = settings
        self.options = {
            "bind": bind_address(host, port),
            "workers": workers,
            "worker_class": "gthread",
            "threads": THREADS,
            "graceful_timeout": GRACEFUL_SECONDS,
            "timeout": 60,
            "keepalive": 5,
            "logger_class": _Logs,
            "errorlog": "-",
            "accesslog": None,
            "proc_name": "factbot-slack",
            "control_socket_disable": True,  # gunicorn's control socket: nothing here uses it
            "when_ready": self._ready,
            "worker_exit": self._worker_exit,
        }
        self.app: App | None = None
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> FactbotWSGI:
        from adapters.slack.app import create_app_with_followups

        self.app = create_app_with_followups(self.settings)
        return FactbotWSGI(self.app, self.settings)

    def _ready(self, arbiter: Any) -> None:
        log.info(
            "Factbot listening for Slack on http://%s/slack/events (%d worker%s)",
            self.options["bind"],
            self.options["workers"],
            "" if self.options["workers"] == 1 else "s",
        )
        if self.settings.oauth:
            log.info("install page: http://%s/slack/install", self.options["bind"])

    def _worker_exit(self, arbiter: Any, worker: Any) -> None:
        """In the stopping worker: answer every request it has acknowledged before it goes."""
        if self.app is not None:
            from adapters.slack.app import finish_listeners

            finish_listeners(self.app)


def serve_http(settings: SlackSettings, *, host: str, port: int, workers: int = 1) -> None:
    """Serve until SIGTERM or SIGINT; exits 0 after a graceful stop."""
    check_token(settings)
    prepare_store(settings)
    FactbotServer(settings, host=host, port=port, workers=workers).run()


def check_token(settings: SlackSettings) -> None:
    """Ask Slack about the bot token once, in the master: a refused token or an unreachable API is
    one clear SettingsError here, not a traceback from every worker that fails to boot."""
    if settings.oauth:
        return  # tokens come with each installation
    try:
        WebClient(token=settings.bot_token, base_url=settings.api_url, timeout=10).auth_test()
    except SlackApiError as error:
        raise SettingsError(
            f"Slack refused SLACK_BOT_TOKEN ({error.response.get('error')}): copy the Bot User OAuth "
            "Token (xoxb-...) again from your app's OAuth & Permissions page"
        ) from None
    except (OSError, URLError) as error:
        reason = getattr(error, "reason", error)
        raise SettingsError(
            f"cannot reach Slack's Web API at {settings.api_url} ({reason}): check SLACK_API_URL "
            "and this machine's network"
        ) from None


WARM_UP_CLAIM = "Rebels took 32 villages on the first day of the offensive."


def prepare_store(settings: SlackSettings) -> None:
    """In the master, before any worker opens the store: migrate it (and on first use build it),
    then check one claim, so the checker's lazily loaded modules and word lists are in memory
    before the fork and no worker's first checks compete with its acknowledgements for the CPU."""
    bot = Factbot.open(settings.db_path)
    try:
        bot.warm_up()
        bot.check(WARM_UP_CLAIM)
    finally:
        bot.close()
    if settings.oauth:
        from adapters.slack.oauth import oauth_settings

        oauth_settings(settings)  # creates the installation and OAuth state tables
