"""What every worker serving one bot must agree on, kept in the store's own SQLite file.

Several processes (gunicorn workers, a second `factbot serve`) answer for one bot. They agree on
two things through tables of the store (migration v6), each row with an expiry:

    shared_values  a few remembered values, e.g. the hash of the commands last synced to Discord
    seen_keys   keys already handled: a Slack event id (Slack retries an event up to three
                times), a request signature (a replay inside Slack's 300 s window), a button's
                message (a double click). `first(key, ttl=...)` is true for exactly one caller.
    rate_hits   one row per allowed check: `take(key, limit=..., window=...)` allows at most
                `limit` per `window` seconds per key, whichever worker is asked.

Expired rows are deleted at most once a minute per process, by whichever call comes next.

It has its own connection with a short busy timeout: these calls sit on Slack's 3-second path, so
when the file stays locked (a long import) a call gives up after `busy_ms` and *fails open* —
a duplicate answer or an extra check is better than a lost request — and logs a warning.

>>> state = SharedState.open(":memory:")
>>> state.first("slack:event:Ev1", ttl=3600), state.first("slack:event:Ev1", ttl=3600)
(True, False)
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import sqlite_utils

from facts.errors import StoreUnavailable
from facts.migrations import migrate

__all__ = ["CLEAN_EVERY", "SharedState", "store_answers"]

log = logging.getLogger("factbot.state")
T = TypeVar("T")
CLEAN_EVERY = 60.0  # seconds between two deletions of expired rows (per process)


class SharedState:
    """Keys seen once and rate-limit hits shared by every process that opens the same file."""

    def __init__(self, conn: sqlite3.Connection, *, clock: Callable[[], float] = time.time):
        self.conn, self.clock = conn, clock
        self._lock = threading.Lock()
        self._cleaned = 0.0

    @classmethod
    def open(
        cls, path: str | Path, *, busy_ms: int = 2000, clock: Callable[[], float] = time.time
    ) -> SharedState:
        """Open the store file at `path` (migrating it if needed) for shared state."""
        try:
            conn = sqlite3.connect(str(path), timeout=busy_ms / 1000, check_same_thread=False,
                                   isolation_level=None)  # fmt: skip
            conn.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")
            if str(path) != ":memory:":
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            migrate(sqlite_utils.Database(conn))
        except sqlite3.Error as error:
            raise StoreUnavailable(f"cannot open the fact database at {path}: {error}") from None
        return cls(conn, clock=clock)

    def close(self) -> None:
        self.conn.close()

    def first(self, key: str, *, ttl: float) -> bool:
        """True for the first caller to claim `key` within `ttl` seconds, False for every later one."""
        self._clean_if_due()
        now = self.clock()

        def claim() -> bool:
            self.conn.execute("DELETE FROM seen_keys WHERE key = ? AND expires <= ?", [key, now])
            inserted = self.conn.execute(
                "INSERT OR IGNORE INTO seen_keys (key, expires) VALUES (?, ?)", [key, now + ttl]
            )
            return inserted.rowcount == 1

        return self._write(claim, failing_open=True, what="a seen key")

    def take(self, key: str, *, limit: int, window: float) -> float:
        """Record one use of `key` if fewer than `limit` happened in the last `window` seconds and
        return 0.0; otherwise record nothing and return the seconds until the next use is allowed."""
        self._clean_if_due()
        now = self.clock()

        def hit() -> float:
            self.conn.execute("DELETE FROM rate_hits WHERE key = ? AND at <= ?", [key, now - window])
            count, oldest = self.conn.execute(
                "SELECT count(*), min(at) FROM rate_hits WHERE key = ?", [key]
            ).fetchone()
            if count >= limit:
                return max(0.001, window - (now - oldest))
            self.conn.execute(
                "INSERT INTO rate_hits (key, at, expires) VALUES (?, ?, ?)", [key, now, now + window]
            )
            return 0.0

        return self._write(hit, failing_open=0.0, what="a rate-limit hit")

    def value(self, key: str) -> str | None:
        """A value remembered with `remember` (e.g. the hash of the last Discord command sync)."""
        with self._lock:
            row = self.conn.execute("SELECT value FROM shared_values WHERE key = ?", [key]).fetchone()
        return None if row is None else str(row[0])

    def remember(self, key: str, value: str) -> None:
        def put() -> None:
            self.conn.execute("INSERT OR REPLACE INTO shared_values (key, value) VALUES (?, ?)", [key, value])

        self._write(put, failing_open=None, what="a remembered value")

    def clean(self) -> int:
        """Delete every expired row now; returns how many went."""
        now = self.clock()

        def delete() -> int:
            gone = self.conn.execute("DELETE FROM seen_keys WHERE expires <= ?", [now]).rowcount
            return gone + self.conn.execute("DELETE FROM rate_hits WHERE expires <= ?", [now]).rowcount

        with self._lock:
            self._cleaned = now
        return self._write(delete, failing_open=0, what="expired rows")

    def _clean_if_due(self) -> None:
        if self.clock() - self._cleaned >= CLEAN_EVERY:
            self.clean()

    def _write(self, work: Callable[[], T], *, failing_open: T, what: str) -> T:
        """Run `work` in one write transaction; on a lock or I/O error log and return `failing_open`."""
        with self._lock:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                try:
                    result = work()
                except BaseException:
                    self.conn.execute("ROLLBACK")
                    raise
                self.conn.execute("COMMIT")
                return result
            except sqlite3.Error as error:
                log.warning("shared state unavailable while recording %s (%s): going on without it",
                            what, error)  # fmt: skip
                return failing_open


def store_answers(path: str | Path, *, timeout: float = 2.0) -> bool:
    """Whether the store file at `path` exists and answers a read within `timeout` seconds (a
    fresh read-only connection each time: a file deleted or corrupted under a running server counts)."""
    try:
        conn = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True, timeout=timeout)
        try:
            conn.execute("SELECT count(*) FROM sources").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return True
