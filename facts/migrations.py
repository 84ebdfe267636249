"""Schema migrations: each step takes the file from version N-1 to N, so later versions of Factbot
open files written by earlier ones. `PRAGMA user_version` holds the version."""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

from facts.errors import StoreUnavailable


def _v1(db: sqlite_utils.Database) -> None:
    db.execute(
        "CREATE TABLE sources (id TEXT PRIMARY KEY, outlet TEXT NOT NULL, title TEXT, "
        "url TEXT NOT NULL, published TEXT, published_approximate INTEGER NOT NULL DEFAULT 0, "
        "text TEXT)"
    )
    db.execute(
        "CREATE TABLE facts (id INTEGER PRIMARY KEY, key TEXT UNIQUE, kind TEXT NOT NULL, "
        "statement TEXT NOT NULL, source_id TEXT NOT NULL REFERENCES sources(id), "
        'evidence TEXT NOT NULL, start INTEGER, "end" INTEGER, speaker TEXT, quote TEXT, '
        "subject TEXT, value_low REAL, value_high REAL, unit TEXT, qualifier TEXT, "
        "event_date TEXT, place TEXT, origin TEXT NOT NULL, status TEXT NOT NULL, "
        "added_by TEXT NOT NULL, added_at TEXT NOT NULL)"
    )
    db.execute("CREATE INDEX facts_source ON facts(source_id)")
    db.execute(
        "CREATE TABLE changes (id INTEGER PRIMARY KEY, fact_id INTEGER NOT NULL, "
        "action TEXT NOT NULL, actor TEXT NOT NULL, at TEXT NOT NULL, before TEXT, after TEXT, "
        "note TEXT)"
    )
    db.execute("CREATE INDEX changes_fact ON changes(fact_id)")
    db.execute(
        "CREATE TABLE aliases (alias TEXT PRIMARY KEY, canonical TEXT NOT NULL, "
        "added_by TEXT NOT NULL, added_at TEXT NOT NULL)"
    )
    # Index terms only (no positions): retrieval needs membership, not phrases.
    db.execute("CREATE VIRTUAL TABLE facts_fts USING fts5(terms, detail=none)")
    db.execute("CREATE VIRTUAL TABLE facts_vocab USING fts5vocab(facts_fts, 'row')")


MIGRATIONS: tuple[Callable[[sqlite_utils.Database], None], ...] = (_v1,)
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(db: sqlite_utils.Database) -> None:
    """Bring the file up to `SCHEMA_VERSION`, one committed step at a time."""
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise StoreUnavailable(
            f"database schema v{version} is newer than this Factbot (v{SCHEMA_VERSION}): upgrade"
        )
    for number, step in enumerate(MIGRATIONS[version:], start=version + 1):
        with db.conn:
            step(db)
            db.execute(f"PRAGMA user_version = {number}")
