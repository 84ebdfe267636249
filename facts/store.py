"""The fact store: sources, facts, their full change history and aliases, in one SQLite file.

Nothing is ever deleted: retiring a fact flips its status, and every add, edit, retire and restore
writes a `changes` row with the before/after records, so any change can be undone.

    >>> store = FactStore.open(":memory:")
    >>> fact = store.add_fact(Fact(kind=FactKind.EVENT, statement="...", source_id="ap",
    ...                            evidence="..."), actor="cli:alice")
"""

from __future__ import annotations

import heapq
import json
import re
import sqlite3
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from facts.aliases import AliasIndex
from facts.errors import StoreBusy, StoreUnavailable, UnknownChange, UnknownFact, UnknownSource
from facts.index_terms import INDEX_VERSION, index_string
from facts.migrations import migrate
from facts.model import (
    MAX_FACT_ID,
    Change,
    ChangeAction,
    Fact,
    FactOrigin,
    FactStatus,
    Source,
    is_fact_id,
)

FACT_COLUMNS = (
    "id", "key", "kind", "statement", "source_id", "evidence", "start", "end", "speaker", "quote",
    "subject", "value_low", "value_high", "unit", "qualifier", "event_date", "place", "origin",
    "status", "added_by", "added_at",
)  # fmt: skip


BUSY_SECONDS = 30  # how long a writer waits for another's write lock before it is told to retry
BUSY = "the store is busy (another process is writing to it, e.g. a long import): try again in a moment"


def is_busy(error: sqlite3.Error) -> bool:
    """Whether SQLite gave up waiting for another connection's lock."""
    return isinstance(error, sqlite3.OperationalError) and ("locked" in str(error) or "busy" in str(error))


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class FactStore:
    """A SQLite-backed store; open it with `FactStore.open(path)`."""

    def __init__(self, db: sqlite_utils.Database):
        self.db = db
        self._aliases: AliasIndex | None = None

    # -- opening ---------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path) -> FactStore:
        """Open (creating if needed) the store at `path`; ":memory:" gives a private one.
        Close it with `close()`, or use it as a context manager: `with FactStore.open(p) as store:`."""
        conn: sqlite3.Connection | None = None
        try:
            if str(path) != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path), timeout=BUSY_SECONDS, check_same_thread=False)
            db = sqlite_utils.Database(conn)
            db.execute(f"PRAGMA busy_timeout = {BUSY_SECONDS * 1000}")
            if str(path) != ":memory:":
                db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            migrate(db)
            store = cls(db)
            store._refresh_stale_index()
        except BaseException as error:
            if conn is not None:
                conn.close()  # a store that failed to open leaves no connection behind
            if isinstance(error, sqlite3.Error) and is_busy(error):
                raise StoreBusy(BUSY) from None
            if isinstance(error, sqlite3.Error | OSError):
                raise StoreUnavailable(f"cannot open the fact database at {path}: {error}") from None
            raise
        return store

    def _refresh_stale_index(self) -> None:
        """Rebuild the index if it was built by another normalisation (an upgraded lexicon)."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'index_version'").fetchone()
        if row is not None and row[0] == INDEX_VERSION:
            return
        if self.count_facts(status=None):
            self.reindex_all()
        else:
            with self.transaction():
                self._mark_index_current()

    def _mark_index_current(self) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('index_version', ?)", [INDEX_VERSION]
        )

    def path(self) -> str:
        """The database file's path ("" for a store in memory)."""
        return str(self.db.execute("PRAGMA database_list").fetchone()[2] or "")

    def close(self) -> None:
        self.db.conn.close()

    def __enter__(self) -> FactStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside commit together or not at all. Raises StoreBusy when another
        process holds the write lock for longer than BUSY_SECONDS."""
        conn = self.db.conn
        if conn.in_transaction:
            yield
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if is_busy(error):
                raise StoreBusy(BUSY) from None
            raise
        try:
            yield
        except BaseException:
            conn.rollback()
            raise
        conn.commit()

    # -- sources ---------------------------------------------------------------------------
    def put_source(self, source: Source) -> None:
        """Insert or replace a source (seeds and moderators use this)."""
        row = {
            "id": source.id,
            "outlet": source.outlet,
            "title": source.title,
            "url": source.url,
            "published": source.published.isoformat() if source.published else None,
            "published_approximate": int(source.published_approximate),
            "text": source.text,
        }
        with self.transaction():
            self.db.execute(
                "INSERT OR REPLACE INTO sources (id, outlet, title, url, published, "
                "published_approximate, text) VALUES (:id, :outlet, :title, :url, :published, "
                ":published_approximate, :text)",
                row,
            )

    def get_source(self, source_id: str) -> Source:
        rows = list(self.db.query("SELECT * FROM sources WHERE id = ?", [source_id]))
        if not rows:
            raise UnknownSource(f"no source with id {source_id!r}")
        return _source_from_row(rows[0])

    def has_source(self, source_id: str) -> bool:
        return bool(list(self.db.query("SELECT 1 FROM sources WHERE id = ?", [source_id])))

    def list_sources(self) -> list[Source]:
        return [_source_from_row(r) for r in self.db.query("SELECT * FROM sources ORDER BY id")]

    # -- facts -----------------------------------------------------------------------------
    def add_fact(self, fact: Fact, *, actor: str, note: str = "") -> Fact:
        """Store a new fact and its `add` history entry; returns it with id and bookkeeping."""
        return self._add([fact], actor=actor, note=note)[0]

    def add_facts(
        self, facts: Iterable[Fact], *, actor: str, note: str = "", index_strings: list[str] | None = None
    ) -> int:
        """Add many facts in the caller's transaction (or one of their own); returns the count.

        Written in bulk (one statement per table per call), each with its `add` history entry.
        `index_strings`, one per fact, are their `index_string`s when the caller already has them.
        """
        return len(self._add(facts, actor=actor, note=note, index_strings=index_strings))

    def _add(
        self, facts: Iterable[Fact], *, actor: str, note: str, index_strings: list[str] | None = None
    ) -> list[Fact]:
        """Facts numbered, stamped, indexed and recorded; returns them as stored."""
        with self.transaction():
            stored = self._numbered_and_stamped(facts, actor)
            records = [f.to_record() for f in stored]
            names = ", ".join(f'"{k}"' for k in FACT_COLUMNS)
            self.db.conn.executemany(
                f"INSERT INTO facts ({names}) VALUES ({', '.join('?' * len(FACT_COLUMNS))})",
                [[r[k] for k in FACT_COLUMNS] for r in records],
            )
            strings: list[str | None] = [None] * len(stored) if index_strings is None else [*index_strings]
            self._index_many(
                [f for f in stored if f.status is FactStatus.ACTIVE],
                [t for f, t in zip(stored, strings, strict=True) if f.status is FactStatus.ACTIVE],
            )
            at = now_iso()
            self.db.conn.executemany(
                "INSERT INTO changes (fact_id, action, actor, at, before, after, note) "
                "VALUES (?, ?, ?, ?, NULL, ?, ?)",
                [
                    (f.id, str(ChangeAction.ADD), actor, at, json.dumps(r), note)
                    for f, r in zip(stored, records, strict=True)
                ],
            )
        return stored

    def _numbered_and_stamped(self, facts: Iterable[Fact], actor: str) -> list[Fact]:
        """Facts with bookkeeping; fresh ones numbered after the ids given (inside the write
        transaction, so nobody else takes the same numbers)."""
        facts, at = list(facts), now_iso()
        given = [f.id for f in facts if f.id is not None]
        fresh = iter(self.free_ids(sum(f.id is None for f in facts), taken_too=given))
        return [
            fact.with_changes(id=next(fresh) if fact.id is None else fact.id,
                              added_by=fact.added_by or actor, added_at=fact.added_at or at)
            for fact in facts
        ]  # fmt: skip

    def free_ids(self, count: int, *, taken_too: Collection[int] = ()) -> list[int]:
        """`count` unused fact ids: the next ones after the highest id (of the store and of
        `taken_too`) while they fit under MAX_FACT_ID, else the lowest unused ones. Call it inside
        the write transaction. An imported id near the limit so never stops new facts being added."""
        top = int(self.db.execute("SELECT coalesce(max(id), 0) FROM facts").fetchone()[0])
        top = max(top, max(taken_too, default=0))
        if top + count <= MAX_FACT_ID:
            return list(range(top + 1, top + count + 1))
        stored = (row[0] for row in self.db.execute("SELECT id FROM facts ORDER BY id"))
        free: list[int] = []
        candidate = 1
        for fact_id in heapq.merge(stored, sorted(taken_too)):
            free += range(candidate, min(fact_id, candidate + count - len(free)))
            candidate = max(candidate, fact_id + 1)
            if len(free) >= count:
                return free
        free += range(candidate, min(MAX_FACT_ID + 1, candidate + count - len(free)))
        if len(free) < count:
            raise StoreUnavailable(f"the store has no room for {count:,} more facts")
        return free

    def get_fact(self, fact_id: int) -> Fact:
        if not is_fact_id(fact_id):  # SQLite cannot even bind an id beyond 2**63
            raise UnknownFact(f"no fact with id {_shown_id(fact_id)}")
        rows = list(self.db.query("SELECT * FROM facts WHERE id = ?", [fact_id]))
        if not rows:
            raise UnknownFact(f"no fact with id {fact_id}")
        return Fact.from_record(rows[0])

    def facts_by_ids(self, ids: Sequence[int]) -> list[Fact]:
        if not ids:
            return []
        marks = ", ".join("?" * len(ids))
        rows = self.db.query(f"SELECT * FROM facts WHERE id IN ({marks})", list(ids))
        by_id = {r["id"]: Fact.from_record(r) for r in rows}
        return [by_id[i] for i in ids if i in by_id]

    def list_facts(
        self, *, status: FactStatus | None = None, source_id: str | None = None, limit: int = 0
    ) -> Iterator[Fact]:
        """Facts in id order, optionally filtered; `limit=0` means all (streamed)."""
        where, params = [], []
        if status is not None:
            where.append("status = ?")
            params.append(str(status))
        if source_id is not None:
            where.append("source_id = ?")
            params.append(source_id)
        sql = "SELECT * FROM facts" + (" WHERE " + " AND ".join(where) if where else "")
        sql += " ORDER BY id" + (f" LIMIT {int(limit)}" if limit else "")
        for row in self.db.query(sql, params):
            yield Fact.from_record(row)

    def count_facts(self, *, status: FactStatus | None = FactStatus.ACTIVE) -> int:
        """Facts with `status` (all with None), from counts the schema keeps: no scan."""
        if status is None:
            return int(self.db.execute("SELECT coalesce(sum(n), 0) FROM fact_counts").fetchone()[0])
        row = self.db.execute("SELECT n FROM fact_counts WHERE status = ?", [str(status)]).fetchone()
        return int(row[0]) if row else 0

    def update_fact(
        self, fact_id: int, changes: dict[str, Any], *, actor: str, action: ChangeAction,
        note: str = "",
    ) -> Fact:  # fmt: skip
        """Apply field changes as one recorded change (edit, retire or restore); changes that
        leave the fact as it is are not recorded."""
        with self.transaction():
            before = self.get_fact(fact_id)
            after = before.with_changes(**changes)
            if after == before:
                return before
            row = _fact_row(after)
            row.pop("id")
            sets = ", ".join(f'"{k}" = ?' for k in row)
            self.db.execute(f"UPDATE facts SET {sets} WHERE id = ?", [*row.values(), fact_id])
            self._unindex(fact_id)
            if after.status is FactStatus.ACTIVE:
                self._index(after)
            self._record(fact_id, action, actor, before, after, note)
        return after

    def history(self, fact_id: int) -> list[Change]:
        self.get_fact(fact_id)
        rows = self.db.query("SELECT * FROM changes WHERE fact_id = ? ORDER BY id", [fact_id])
        return [Change.from_row(r) for r in rows]

    def change(self, change_id: int) -> Change:
        if not is_fact_id(change_id):
            raise UnknownChange(f"no change with id {_shown_id(change_id)}")
        rows = list(self.db.query("SELECT * FROM changes WHERE id = ?", [change_id]))
        if not rows:
            raise UnknownChange(f"no change with id {change_id}")
        return Change.from_row(rows[0])

    def has_human_changes(self, fact_id: int, *, builder: str) -> bool:
        """Whether anyone but the seed builder has touched this fact."""
        sql = "SELECT 1 FROM changes WHERE fact_id = ? AND actor != ? LIMIT 1"
        return bool(list(self.db.query(sql, [fact_id, builder])))

    def _record(
        self, fact_id: int, action: ChangeAction, actor: str, before: Fact | None,
        after: Fact | None, note: str,
    ) -> None:  # fmt: skip
        self.db.execute(
            "INSERT INTO changes (fact_id, action, actor, at, before, after, note) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                fact_id,
                str(action),
                actor,
                now_iso(),
                json.dumps(before.to_record()) if before else None,
                json.dumps(after.to_record()) if after else None,
                note,
            ],
        )

    def facts_with_keys(self) -> dict[str, Fact]:
        """Seed-built facts by their stable key."""
        rows = self.db.query("SELECT * FROM facts WHERE key IS NOT NULL")
        return {r["key"]: Fact.from_record(r) for r in rows}

    # -- stored analyses (facts/stored_analysis.py) ------------------------------------------
    def put_analyses(self, rows: Iterable[tuple[int, str, bytes]]) -> None:
        """Store (fact id, fingerprint, encoded analysis) rows, replacing a fact's earlier one."""
        with self.transaction():
            self.db.conn.executemany(
                "INSERT OR REPLACE INTO fact_analyses (fact_id, fingerprint, data) VALUES (?, ?, ?)", rows
            )

    def stored_analyses(self, fact_ids: Sequence[int]) -> dict[int, tuple[str, bytes]]:
        """The stored (fingerprint, encoded analysis) of each of these facts that has one."""
        if not fact_ids:
            return {}
        sql = f"SELECT fact_id, fingerprint, data FROM fact_analyses WHERE fact_id IN ({_marks(fact_ids)})"
        return {i: (mark, data) for i, mark, data in self.db.execute(sql, list(fact_ids))}

    def analysis_fingerprints(self, fact_ids: Sequence[int]) -> dict[int, str]:
        """The fingerprint of the stored analysis of each of these facts that has one."""
        if not fact_ids:
            return {}
        sql = f"SELECT fact_id, fingerprint FROM fact_analyses WHERE fact_id IN ({_marks(fact_ids)})"
        return dict(self.db.execute(sql, list(fact_ids)))

    # -- aliases ---------------------------------------------------------------------------
    def add_alias(self, alias: str, canonical: str, *, actor: str) -> None:
        with self.transaction():
            self.db.execute(
                "INSERT OR REPLACE INTO aliases (alias, canonical, added_by, added_at) VALUES (?, ?, ?, ?)",
                [alias, canonical, actor, now_iso()],
            )
        self._aliases = None

    def list_aliases(self) -> list[tuple[str, str]]:
        rows = self.db.query("SELECT alias, canonical FROM aliases ORDER BY canonical, alias")
        return [(r["alias"], r["canonical"]) for r in rows]

    def alias_index(self) -> AliasIndex:
        if self._aliases is None:
            self._aliases = AliasIndex.from_pairs(self.list_aliases())
        return self._aliases

    def reindex_all(self) -> None:
        """Rebuild the retrieval index (after alias changes alter how text is normalised)."""
        with self.transaction():
            self.db.execute("DELETE FROM facts_fts")
            self.db.execute("DELETE FROM fact_terms")
            batch: list[Fact] = []
            for fact in self.list_facts(status=FactStatus.ACTIVE):
                batch.append(fact)
                if len(batch) >= 2000:
                    self._index_many(batch)
                    batch = []
            self._index_many(batch)
            self._mark_index_current()

    # -- retrieval index -------------------------------------------------------------------
    def _index(self, fact: Fact) -> None:
        self._index_many([fact])

    def _index_many(self, facts: Sequence[Fact], strings: Sequence[str | None] = ()) -> None:
        """Index terms into FTS, and each token's document frequency into `fact_terms`."""
        aliases = self.alias_index()
        given = list(strings) or [None] * len(facts)
        rows = [
            (f.id, s if s is not None else index_string(f.match_text(), aliases))
            for f, s in zip(facts, given, strict=True)
        ]
        self.db.conn.executemany("INSERT INTO facts_fts (rowid, terms) VALUES (?, ?)", rows)
        self._count_tokens(Counter(t for _, terms in rows for t in fts_tokens(terms)), +1)

    def _unindex(self, fact_id: int) -> None:
        row = self.db.execute("SELECT terms FROM facts_fts WHERE rowid = ?", [fact_id]).fetchone()
        if row is None:
            return
        self.db.execute("DELETE FROM facts_fts WHERE rowid = ?", [fact_id])
        self._count_tokens(Counter(fts_tokens(row[0])), -1)

    def _count_tokens(self, counts: Counter[str], sign: int) -> None:
        self.db.conn.executemany(
            "INSERT INTO fact_terms (term, df) VALUES (?, ?) "
            "ON CONFLICT (term) DO UPDATE SET df = df + excluded.df",
            [(term, sign * n) for term, n in counts.items()],
        )

    def document_frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        """How many active facts hold each term (0 for unknown terms)."""
        wanted = sorted(set(terms))
        found = dict.fromkeys(wanted, 0)
        if wanted:
            sql = f"SELECT term, df FROM fact_terms WHERE term IN ({', '.join('?' * len(wanted))})"
            found.update((term, int(df)) for term, df in self.db.execute(sql, wanted))
        return found

    def terms_with_prefix(self, prefix: str, *, limit: int = 2000) -> list[str]:
        """Index terms starting with `prefix` (for typo-tolerant lookup)."""
        sql = "SELECT term FROM fact_terms WHERE term >= ? AND term < ? AND df > 0 ORDER BY term LIMIT ?"
        return [r[0] for r in self.db.execute(sql, [prefix, prefix + "\uffff", limit])]

    def index_tokens(self, fact_ids: Sequence[int]) -> dict[int, set[str]]:
        """The index tokens each of these facts holds (facts not indexed are left out)."""
        if not fact_ids:
            return {}
        # Read from FTS5's own content table (`facts_fts_content`, column c0: the index strings
        # as inserted): a plain rowid lookup, without a virtual-table cursor per id.
        sql = f"SELECT id, c0 FROM facts_fts_content WHERE id IN ({', '.join('?' * len(fact_ids))})"
        return {rowid: fts_tokens(terms) for rowid, terms in self.db.execute(sql, list(fact_ids))}

    def fact_ids_with_all_terms(self, terms: Sequence[str], *, limit: int) -> list[int]:
        """Ids of active facts whose index holds every one of `terms` (each quoted, ANDed)."""
        if not terms or not all(re.fullmatch(r"[a-z0-9]+", t) for t in terms):
            return []
        query = " AND ".join(f'"{t}"' for t in terms)
        sql = "SELECT rowid FROM facts_fts WHERE facts_fts MATCH ? LIMIT ?"
        return [r[0] for r in self.db.execute(sql, [query, limit])]

    def fact_ids_with_term(self, term: str, *, limit: int) -> list[int]:
        """Ids of active facts whose index holds `term` (quoted: never FTS syntax)."""
        if not re.fullmatch(r"[a-z0-9]+", term):
            return []  # index terms are single folded tokens; anything else matches nothing
        phrase = '"' + term + '"'
        sql = "SELECT rowid FROM facts_fts WHERE facts_fts MATCH ? LIMIT ?"
        return [r[0] for r in self.db.execute(sql, [phrase, limit])]


_FTS_TOKEN = re.compile(r"[^\W_]+")
_PLAIN = re.compile(r"[a-z0-9 ]*")


def fts_tokens(terms: str) -> set[str]:
    """The tokens FTS5's unicode61 tokenizer makes of an index string ("first_day" is two)."""
    spaced = terms.replace("_", " ")
    if _PLAIN.fullmatch(spaced):  # nearly every string: splitting is twice as quick as the regex
        return set(spaced.split())
    return set(_FTS_TOKEN.findall(terms.casefold()))


def _marks(values: Sequence[object]) -> str:
    return ", ".join("?" * len(values))


def _shown_id(value: object) -> str:
    text = str(value)
    return text if len(text) <= 30 else f"{text[:27]}..."


def _fact_row(fact: Fact) -> dict[str, Any]:
    record = fact.to_record()
    return {name: record[name] for name in FACT_COLUMNS}


def _source_from_row(row: dict[str, Any]) -> Source:
    return Source(
        id=row["id"],
        outlet=row["outlet"],
        title=row["title"] or "",
        url=row["url"],
        published=date.fromisoformat(row["published"]) if row["published"] else None,
        published_approximate=bool(row["published_approximate"]),
        text=row["text"],
    )


__all__ = ["FACT_COLUMNS", "BUSY", "FactStore", "FactOrigin", "fts_tokens", "is_busy", "now_iso"]
