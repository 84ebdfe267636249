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


def _v2(db: sqlite_utils.Database) -> None:
    """Counts kept as data change, so a check never scans: facts per status (kept by triggers,
    whoever writes) and, per index token, how many active facts hold it (kept by the store)."""
    db.execute("CREATE TABLE fact_counts (status TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID")
    db.execute("INSERT INTO fact_counts (status, n) SELECT status, count(*) FROM facts GROUP BY status")
    add_one = (
        "INSERT INTO fact_counts (status, n) VALUES (NEW.status, 1) "
        "ON CONFLICT (status) DO UPDATE SET n = n + 1;"
    )
    remove_one = "UPDATE fact_counts SET n = n - 1 WHERE status = OLD.status;"
    db.execute(f"CREATE TRIGGER facts_counted_insert AFTER INSERT ON facts BEGIN {add_one} END")
    db.execute(f"CREATE TRIGGER facts_counted_delete AFTER DELETE ON facts BEGIN {remove_one} END")
    db.execute(
        "CREATE TRIGGER facts_counted_status AFTER UPDATE OF status ON facts "
        f"WHEN OLD.status IS NOT NEW.status BEGIN {remove_one} {add_one} END"
    )
    # The same numbers fts5vocab computes by walking each term's whole posting list.
    db.execute("CREATE TABLE fact_terms (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID")
    db.execute("INSERT INTO fact_terms (term, df) SELECT term, doc FROM facts_vocab")


def _v3(db: sqlite_utils.Database) -> None:
    # Settings of the file itself, e.g. which normalisation built the retrieval index.
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID")


def _v4(db: sqlite_utils.Database) -> None:
    """Each fact's analysis, read once when the fact is written (facts/stored_analysis.py), with
    the fingerprint of what it was made from: checks load it instead of reading the text again."""
    db.execute(
        "CREATE TABLE fact_analyses (fact_id INTEGER PRIMARY KEY, fingerprint TEXT NOT NULL, "
        "data BLOB NOT NULL)"
    )


def _v5(db: sqlite_utils.Database) -> None:
    """The newsroom loop (issue 8): the check log, the queue of unanswered and disputed questions,
    feedback, the follow-ups the bots post, the questions learned from answers; and, for browsing
    the file in datasette, a full-text table over the facts and history linked to its fact."""
    db.execute(
        "CREATE TABLE queue (id INTEGER PRIMARY KEY, claim TEXT NOT NULL, understood TEXT NOT NULL, "
        "terms TEXT NOT NULL, reason TEXT NOT NULL, status TEXT NOT NULL, asked INTEGER NOT NULL, "
        "first_asked TEXT NOT NULL, last_asked TEXT NOT NULL, fact_id INTEGER REFERENCES facts(id), "
        "verdict TEXT, answer TEXT, closed_by TEXT, closed_at TEXT, note TEXT)"
    )
    db.execute("CREATE INDEX queue_status ON queue(status)")
    db.execute(
        "CREATE TABLE checks (id INTEGER PRIMARY KEY, claim TEXT NOT NULL, understood TEXT NOT NULL, "
        "verdict TEXT NOT NULL, fact_ids TEXT NOT NULL, platform TEXT NOT NULL, workspace TEXT NOT NULL, "
        "channel TEXT NOT NULL, reply_to TEXT NOT NULL, private INTEGER NOT NULL, asker TEXT NOT NULL, "
        "at TEXT NOT NULL, queue_id INTEGER REFERENCES queue(id))"
    )
    db.execute("CREATE INDEX checks_at ON checks(at)")
    db.execute("CREATE INDEX checks_queue ON checks(queue_id)")
    db.execute(
        "CREATE TABLE feedback (id INTEGER PRIMARY KEY, check_id INTEGER NOT NULL REFERENCES checks(id), "
        "helpful INTEGER NOT NULL, user TEXT NOT NULL, moderator INTEGER NOT NULL, at TEXT NOT NULL, "
        "claim TEXT NOT NULL, verdict TEXT NOT NULL, UNIQUE (check_id, user))"
    )
    db.execute(
        "CREATE TABLE followups (id INTEGER PRIMARY KEY, queue_id INTEGER NOT NULL REFERENCES queue(id), "
        "check_id INTEGER NOT NULL REFERENCES checks(id), platform TEXT NOT NULL, "
        "workspace TEXT NOT NULL, channel TEXT NOT NULL, reply_to TEXT NOT NULL, "
        "private INTEGER NOT NULL, asker TEXT NOT NULL, reply TEXT NOT NULL, status TEXT NOT NULL, "
        "created_at TEXT NOT NULL, sent_at TEXT, error TEXT, UNIQUE (queue_id, check_id))"
    )
    db.execute("CREATE INDEX followups_pending ON followups(platform, status)")
    db.execute(
        "CREATE TABLE learned_questions (id INTEGER PRIMARY KEY, "
        "fact_id INTEGER NOT NULL REFERENCES facts(id), wording TEXT NOT NULL, terms TEXT NOT NULL, "
        "queue_id INTEGER REFERENCES queue(id), added_by TEXT NOT NULL, added_at TEXT NOT NULL)"
    )
    # People search this one (datasette's search box); retrieval keeps its own index of terms.
    db.execute(
        "CREATE VIRTUAL TABLE facts_search USING fts5(statement, evidence, speaker, place, "
        'content="facts", content_rowid="id", tokenize="porter unicode61")'
    )
    db.execute("INSERT INTO facts_search (facts_search) VALUES ('rebuild')")
    row = "(rowid, statement, evidence, speaker, place)"
    new = "(NEW.id, NEW.statement, NEW.evidence, NEW.speaker, NEW.place)"
    old = "('delete', OLD.id, OLD.statement, OLD.evidence, OLD.speaker, OLD.place)"
    db.execute(f"CREATE TRIGGER facts_search_insert AFTER INSERT ON facts BEGIN "
               f"INSERT INTO facts_search {row} VALUES {new}; END")  # fmt: skip
    db.execute(f"CREATE TRIGGER facts_search_delete AFTER DELETE ON facts BEGIN "
               f"INSERT INTO facts_search (facts_search, {row[1:]} VALUES {old}; END")  # fmt: skip
    db.execute(
        "CREATE TRIGGER facts_search_update AFTER UPDATE OF statement, evidence, speaker, place "
        f"ON facts BEGIN INSERT INTO facts_search (facts_search, {row[1:]} VALUES {old}; "
        f"INSERT INTO facts_search {row} VALUES {new}; END"
    )
    # History linked to its fact (a declared foreign key, which datasette shows as a link): SQLite
    # adds one only by copying the table.
    db.execute(
        "CREATE TABLE changes_linked (id INTEGER PRIMARY KEY, "
        "fact_id INTEGER NOT NULL REFERENCES facts(id), action TEXT NOT NULL, actor TEXT NOT NULL, "
        "at TEXT NOT NULL, before TEXT, after TEXT, note TEXT)"
    )
    db.execute(
        "INSERT INTO changes_linked SELECT id, fact_id, action, actor, at, before, after, note FROM changes"
    )
    db.execute("DROP TABLE changes")
    db.execute("ALTER TABLE changes_linked RENAME TO changes")
    db.execute("CREATE INDEX changes_fact ON changes(fact_id)")


def _v6(db: sqlite_utils.Database) -> None:
    """State every worker serving one bot must agree on (facts/shared_state.py): keys already
    handled (Slack retries and replays, double clicks), recent checks per user (rate limits) and a
    few remembered values."""
    db.execute("CREATE TABLE seen_keys (key TEXT PRIMARY KEY, expires REAL NOT NULL) WITHOUT ROWID")
    db.execute("CREATE INDEX seen_keys_expires ON seen_keys(expires)")
    db.execute("CREATE TABLE rate_hits (key TEXT NOT NULL, at REAL NOT NULL, expires REAL NOT NULL)")
    db.execute("CREATE INDEX rate_hits_key ON rate_hits(key, at)")
    db.execute("CREATE INDEX rate_hits_expires ON rate_hits(expires)")
    # Remembered between runs, e.g. the hash of the Discord commands last published.
    db.execute("CREATE TABLE shared_values (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID")


MIGRATIONS: tuple[Callable[[sqlite_utils.Database], None], ...] = (_v1, _v2, _v3, _v4, _v5, _v6)
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(db: sqlite_utils.Database) -> None:
    """Bring the file up to `SCHEMA_VERSION`, one committed step at a time."""
    version = _version(db)
    if version > SCHEMA_VERSION:
        raise StoreUnavailable(
            f"database schema v{version} is newer than this Factbot (v{SCHEMA_VERSION}): upgrade"
        )
    for number, step in enumerate(MIGRATIONS, start=1):
        if number <= version:
            continue
        # Several workers may open one file at once: each step re-reads the version under the
        # write lock, so only one of them runs it.
        with db.conn:
            db.execute("BEGIN IMMEDIATE")
            if _version(db) < number:
                step(db)
                db.execute(f"PRAGMA user_version = {number}")


def _version(db: sqlite_utils.Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])
