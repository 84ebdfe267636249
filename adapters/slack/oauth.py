"""Installing Factbot to many workspaces: bolt's OAuth flow with slack_sdk's SQLite stores, kept in
the fact store's own file so every worker sees every installation.

    GET /slack/install          a page with "Add to Slack" (a fresh OAuth state, also in a cookie)
    GET /slack/oauth_redirect   Slack sends the user back here: the state is checked and consumed,
                                the code exchanged for the workspace's bot token (oauth.v2.access),
                                the installation saved

slack_sdk's stores create their tables (slack_installations, slack_bots, oauth_states) on first
use; the subclasses below only make that safe when several workers start at once, wait for a
busy file instead of failing at once, and delete expired OAuth states.

The store file then holds every workspace's bot token: keep it (and its volume) private.
"""

from __future__ import annotations

import sqlite3
import time
from sqlite3 import Connection
from typing import Literal

from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.oauth.installation_store.sqlite3 import SQLite3InstallationStore
from slack_sdk.oauth.state_store.sqlite3 import SQLite3OAuthStateStore

from adapters.slack.settings import BOT_SCOPES, SlackSettings

__all__ = ["InstallationStore", "StateStore", "oauth_settings"]

STATE_SECONDS = 600  # how long an install link stays good
BUSY_SECONDS = 10.0


class _ClosingConnection(sqlite3.Connection):
    """A connection that `with` also closes: slack_sdk's stores open one per call as
    `with self.connect() as conn`, which in sqlite3 only commits and leaves it open."""

    def __exit__(self, *exc: object) -> Literal[False]:
        try:
            return super().__exit__(*exc)  # type: ignore[arg-type]
        finally:
            self.close()


class _SharedFileStores:
    """Mixin: a busy timeout on every connection, and table creation that tolerates a sibling
    process creating the same tables at the same moment."""

    database: str
    init_called: bool

    def connect(self) -> Connection:
        if not self.init_called:
            self.init()
        return sqlite3.connect(database=self.database, timeout=BUSY_SECONDS, factory=_ClosingConnection)

    def create_tables(self) -> None:
        try:
            super().create_tables()  # type: ignore[misc]
        except sqlite3.OperationalError as error:
            if "already exists" not in str(error):
                raise


class InstallationStore(_SharedFileStores, SQLite3InstallationStore):
    """Installations (bot token per workspace) in the store file."""


class StateStore(_SharedFileStores, SQLite3OAuthStateStore):
    """OAuth states in the store file; expired ones are deleted whenever a new one is issued."""

    def issue(self, *args: object, **kwargs: object) -> str:
        with self.connect() as conn:
            conn.execute("DELETE FROM oauth_states WHERE expire_at <= ?", [time.time()])
        return super().issue(*args, **kwargs)


def oauth_settings(settings: SlackSettings) -> OAuthSettings:
    """bolt's OAuth settings for `settings` (client id and secret, the manifest's bot scopes)."""
    database = str(settings.db_path)
    installations = InstallationStore(database=database, client_id=settings.client_id)
    states = StateStore(database=database, expiration_seconds=STATE_SECONDS)
    installations.init()
    states.init()
    return OAuthSettings(
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        scopes=list(BOT_SCOPES),
        authorization_url=settings.authorize_url,
        installation_store=installations,
        installation_store_bot_only=True,
        state_store=states,
        state_expiration_seconds=STATE_SECONDS,
    )
