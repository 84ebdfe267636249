"""JSONL import: every record validated and staged, then written in one short transaction — or none.

Records exported by `factbot facts export` carry ids and bookkeeping and round-trip exactly; the
minimal record is {"text": "...", "source": "<source id>"}. An `id` is a fact number Factbot gave
(1 to MAX_FACT_ID); other ids ("syn0", 1.5) are refused: Factbot numbers facts itself, so a record
without one gets the next free number. A record whose id the store already holds is not written:
it is counted as unchanged, or as differing when its fields are not the stored fact's.

Reading, validating and working out index terms (most of the cost; a worker process does it for
large files) happen before the store's write lock is taken, into a staging SQLite file beside the
store. The lock is held only while the staged rows are copied in by a few INSERT … SELECT
statements, so other writers wait seconds rather than the whole import, and an interrupted import
leaves the store as it was.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sqlite3
import tempfile
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from facts.aliases import AliasIndex
from facts.errors import StoreBusy, ValidationError
from facts.index_terms import index_string
from facts.jsonl import MAX_SHOWN, kind_of, shape_problems, shortened, shown_problems
from facts.model import FACT_FIELDS, MAX_FACT_ID, Fact, FactOrigin, FactStatus, Source, is_fact_id
from facts.processes import die_with_parent
from facts.store import FACT_COLUMNS as _COLUMNS
from facts.store import FactStore, fts_tokens, now_iso
from facts.validation import new_fact, text_problem

__all__ = ["FactImport", "import_records"]

_KEPT = ("id", "key", "origin", "status", "added_by", "added_at")
_RECORD_FIELDS = frozenset(Fact.__dataclass_fields__) | {"text", "source"}
BATCH = 2000
SERIAL_BATCHES = 5  # a larger import hands the index terms to a worker process
IN_FLIGHT = 3  # batches queued for the worker: enough to keep it busy, memory stays flat


@dataclass(frozen=True)
class FactImport:
    """What an import did: facts written, and records whose id the store already held — with the
    same fields (unchanged) or with others (differing; the stored fact is kept as it is)."""

    imported: int
    unchanged: int = 0
    differing: int = 0


def import_records(
    store: FactStore,
    records: Iterable[tuple[int, Any]],
    *,
    actor: str,
    progress: Callable[[int], None] | None = None,
) -> FactImport:
    """Import (line number, record) pairs; on any bad record nothing is written and the error
    names every bad line and field (the first MAX_SHOWN of them)."""
    with tempfile.TemporaryDirectory(prefix="factbot-import-", dir=_folder_of(store)) as folder:
        staging = _Staging(Path(folder) / "staged.db", actor=actor)
        try:
            _stage(store, records, staging, progress)
        finally:
            staging.close()
        return staging.copy_into(store)


def _folder_of(store: FactStore) -> str | None:
    """The store's folder (the staged rows are as large as the import), or None for memory."""
    row = store.db.execute("PRAGMA database_list").fetchone()
    return str(Path(row[2]).parent) if row and row[2] else None


def _stage(
    store: FactStore, records: Iterable[tuple[int, Any]], staging: _Staging,
    progress: Callable[[int], None] | None,
) -> None:  # fmt: skip
    """Validate every record and stage the good ones with their index terms."""
    errors: dict[tuple[int, str], str] = {}
    count = 0
    with _TermWorker(store) as worker:
        pending: deque[tuple[list[tuple[int, Fact]], Future[list[str]] | list[str]]] = deque()
        for number, batch in enumerate(_batches(records, store, errors)):
            facts = [fact for _, fact in batch]
            pending.append((batch, worker.submit(facts) if number >= SERIAL_BATCHES else worker.here(facts)))
            while pending and (len(pending) > IN_FLIGHT or isinstance(pending[0][1], list)):
                count += staging.add(store, *_done(pending.popleft()), errors)
                if progress:
                    progress(count)
        while pending:
            count += staging.add(store, *_done(pending.popleft()), errors)
    errors.update(staging.repeated())
    if errors:
        raise ValidationError(shown_problems(errors))
    if progress:
        progress(count)


def _done(item: tuple[list[tuple[int, Fact]], Future[list[str]] | list[str]]) -> tuple[Any, list[str]]:
    batch, terms = item
    return batch, terms if isinstance(terms, list) else terms.result()


def _batches(
    records: Iterable[tuple[int, Any]], store: FactStore, errors: dict[tuple[int, str], str]
) -> Iterator[list[tuple[int, Fact]]]:
    remembered = _SourcesRemembered(store.db)
    batch: list[tuple[int, Fact]] = []
    for number, record in records:
        fact = _fact(record, remembered, number, errors)
        if fact is not None and not errors:  # after the first problem, only look for more
            batch.append((number, fact))
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


class _SourcesRemembered(FactStore):
    """The store, with each source looked up once (sources are never deleted), as validating a
    record asks for its source twice."""

    def __init__(self, db: sqlite_utils.Database):
        super().__init__(db)
        self._known: dict[str, Source] = {}

    def has_source(self, source_id: str) -> bool:
        return source_id in self._known or super().has_source(source_id)

    def get_source(self, source_id: str) -> Source:
        if source_id not in self._known:
            self._known[source_id] = super().get_source(source_id)
        return self._known[source_id]


# -- one record ----------------------------------------------------------------------------
def _fact(record: Any, store: FactStore, number: int, errors: dict[tuple[int, str], str]) -> Fact | None:
    """The record as a Fact, or None with every problem in `errors` under (line, field)."""
    problems = _shape_problems(record)
    if not problems:
        try:
            return _checked_fact(record, store)
        except ValidationError as error:  # named as the record names them ("text", not "statement")
            named = {"statement": "text" if "text" in record else "statement",
                     "source": "source_id" if "source_id" in record else "source"}  # fmt: skip
            problems = {named.get(name, name): why for name, why in error.fields.items()}
    errors.update(((number, name), why) for name, why in problems.items())
    return None


def _shape_problems(record: Any) -> dict[str, str]:
    """What is wrong with a record's shape and bookkeeping fields ("" names the record)."""
    unknown = "not a fact field (see `factbot facts export` for the fields)"
    problems = shape_problems(record, what="fact", fields=_RECORD_FIELDS, unknown=unknown)
    if not isinstance(record, dict):
        return problems
    for given, stored in (("text", "statement"), ("source", "source_id")):
        if given in record and stored in record:
            problems[given] = f"give {given} or {stored}, not both"
    if record.get("id") is not None and not is_fact_id(record["id"]):
        problems["id"] = _id_problem(record["id"])
    for name in ("start", "end"):
        value = record.get(name)
        if value is not None and not (is_fact_id(value) or (value == 0 and type(value) is int)):
            problems[name] = f"must be a character offset (a whole number from 0), not {_shown(value)}"
    start, end = record.get("start"), record.get("end")
    if not {"start", "end"} & set(problems) and start is not None and end is not None and start > end:
        problems["end"] = f"{end} is before start {start}"
    for name, vocabulary in (("origin", FactOrigin), ("status", FactStatus)):
        value = record.get(name)
        if value is not None and (not isinstance(value, str) or value not in {v.value for v in vocabulary}):
            allowed = ", ".join(v.value for v in vocabulary)
            problems[name] = f"must be one of {allowed} (lower case), not {_shown(value)}"
    for name in ("key", "added_by", "added_at"):
        why = text_problem(record.get(name))
        if why:
            problems[name] = why
    return problems


def _id_problem(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{shortened(str(value))} is out of range: a fact id runs from 1 to {MAX_FACT_ID:,}"
    return (
        f"must be a fact number Factbot gave (1 to {MAX_FACT_ID:,}), not {_shown(value)}: "
        "leave id out and the fact is numbered on import (other ids are not kept)"
    )


def _checked_fact(record: dict[str, Any], store: FactStore) -> Fact:
    fields = {k: v for k, v in record.items() if k not in _KEPT}
    if record.get("start") is None and record.get("evidence") == record.get("statement"):
        fields.pop("evidence", None)  # an exported bare statement: it is its own evidence
    fact = new_fact(fields, store, check_consistency=False)  # exports round-trip as they were
    kept = {k: record[k] for k in _KEPT if record.get(k) is not None}
    if "origin" in kept:
        kept["origin"] = FactOrigin(kept["origin"])
    if "status" in kept:
        kept["status"] = FactStatus(kept["status"])
    for name in ("start", "end"):
        if record.get(name) is not None:
            kept[name] = record[name]
    return fact.with_changes(**kept) if kept else fact


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return f"a string {shortened(repr(value), 40)}"
    if isinstance(value, list | dict | bool) or value is None:
        return kind_of(value)
    return shortened(repr(value))


# -- staging -------------------------------------------------------------------------------
class _Staging:
    """A private SQLite file holding the validated rows, their index terms and term counts."""

    def __init__(self, path: Path, *, actor: str):
        self.path, self.actor, self.at = path, actor, now_iso()
        self.conn = sqlite3.connect(path)
        self.conn.execute("PRAGMA journal_mode = OFF")
        self.conn.execute("PRAGMA synchronous = OFF")
        columns = ", ".join(f'"{c}"' for c in _COLUMNS)
        self.conn.execute(
            f"CREATE TABLE staged (line INTEGER PRIMARY KEY, fresh INTEGER, {columns}, terms TEXT, "
            "record TEXT NOT NULL, present INTEGER NOT NULL, same INTEGER NOT NULL)"
        )
        self.conn.execute("CREATE TABLE df (term TEXT PRIMARY KEY, n INTEGER NOT NULL)")
        self.fresh = 0
        self.df: Counter[str] = Counter()

    def add(self, store: FactStore, batch: list[tuple[int, Fact]], terms: list[str],
            errors: dict[tuple[int, str], str]) -> int:  # fmt: skip
        """Stage a batch; an id the store holds is marked present, a key it holds on another fact
        is an error. Returns how many records the batch had."""
        stored = {f.id: f for f in store.facts_by_ids([f.id for _, f in batch if f.id is not None])}
        keys = _stored_keys(store, [f.key for _, f in batch if f.key is not None])
        rows = []
        for (number, fact), fact_terms in zip(batch, terms, strict=True):
            if fact.key is not None and keys.get(fact.key, fact.id) != fact.id:
                errors[number, "key"] = f"{shortened(fact.key)!r} is the key of fact #{keys[fact.key]}"
            rows.append(self._row(number, fact, fact_terms, stored.get(fact.id)))
        self.conn.executemany(f"INSERT INTO staged VALUES ({', '.join('?' * (len(_COLUMNS) + 6))})", rows)
        return len(batch)

    def _row(self, number: int, fact: Fact, terms: str, stored: Fact | None) -> list[Any]:
        fresh = None
        if fact.id is None:
            self.fresh += 1
            fresh = self.fresh
        fact = fact.with_changes(added_by=fact.added_by or self.actor, added_at=fact.added_at or self.at)
        if stored is None and fact.status is FactStatus.ACTIVE:
            self.df.update(fts_tokens(terms))
        record = fact.to_record()
        same = stored is not None and all(getattr(stored, k) == getattr(fact, k) for k in _COMPARED)
        values = [record[c] for c in _COLUMNS]
        return [number, fresh, *values, terms, json.dumps(record), stored is not None, same]

    def repeated(self) -> dict[tuple[int, str], str]:
        """An id or key given on two lines of the file."""
        found = {}
        for name in ("id", "key"):
            sql = (f'SELECT "{name}", min(line), max(line) FROM staged WHERE "{name}" IS NOT NULL '
                   f'GROUP BY "{name}" HAVING count(*) > 1 LIMIT {MAX_SHOWN}')  # fmt: skip
            for value, first, line in self.conn.execute(sql):
                found[line, name] = f"{shortened(repr(value))} is also on line {first}: give each fact once"
        return found

    def close(self) -> None:
        self.conn.executemany("INSERT INTO df (term, n) VALUES (?, ?)", self.df.items())
        self.conn.commit()
        self.conn.close()

    def copy_into(self, store: FactStore) -> FactImport:
        """Copy the staged rows into the store in one write transaction."""
        conn = store.db.conn
        conn.execute("ATTACH DATABASE ? AS staging", [str(self.path)])
        try:
            counts = conn.execute(
                "SELECT count(*) FILTER (WHERE NOT present), count(*) FILTER (WHERE present AND same), "
                "count(*) FILTER (WHERE present AND NOT same) FROM staging.staged"
            ).fetchone()
            with store.transaction():
                _still_new(conn)  # so the counts still hold
                _insert(conn, _number_fresh(store, conn, self.fresh), self.actor, self.at)
            return FactImport(*counts)
        finally:
            conn.execute("DETACH DATABASE staging")


_COMPARED = (*FACT_FIELDS, "status")


def _stored_keys(store: FactStore, keys: list[str]) -> dict[str, int]:
    if not keys:
        return {}
    sql = f"SELECT key, id FROM facts WHERE key IN ({', '.join('?' * len(keys))})"
    return dict(store.db.execute(sql, keys).fetchall())


def _still_new(conn: sqlite3.Connection) -> None:
    """Ids and keys staged as new must still be free (another import may have taken them)."""
    taken = conn.execute(
        "SELECT count(*) FROM staging.staged s WHERE NOT s.present AND ("
        "EXISTS (SELECT 1 FROM main.facts f WHERE f.id = s.id) "
        "OR EXISTS (SELECT 1 FROM main.facts f WHERE f.key = s.key))"
    ).fetchone()[0]
    if taken:
        raise StoreBusy(f"{taken:,} ids or keys of this import were taken while it was read: run it again")


def _number_fresh(store: FactStore, conn: sqlite3.Connection, count: int) -> int:
    """The base the records without an id are numbered from (base + their `fresh` number): the
    store's next free numbers. Only when none are left under MAX_FACT_ID are gaps filled, through
    the staged rows (the staging file is written then, inside the transaction)."""
    top = conn.execute("SELECT coalesce(max(id), 0) FROM staging.staged WHERE NOT present").fetchone()[0]
    base = max(top, conn.execute("SELECT coalesce(max(id), 0) FROM main.facts").fetchone()[0])
    if base + count <= MAX_FACT_ID:
        return int(base)
    given = [r[0] for r in conn.execute("SELECT id FROM staging.staged WHERE NOT present AND fresh IS NULL")]
    numbered = zip(store.free_ids(count, taken_too=given), range(1, count + 1), strict=True)
    conn.executemany("UPDATE staging.staged SET id = ? WHERE fresh = ?", numbered)
    return 0


def _insert(conn: sqlite3.Connection, base: int, actor: str, at: str) -> None:
    columns = ", ".join(f'"{c}"' for c in _COLUMNS)
    chosen = columns.replace('"id"', "coalesce(id, :base + fresh)", 1)
    new = "FROM staging.staged WHERE NOT present ORDER BY line"
    conn.execute(f"INSERT INTO main.facts ({columns}) SELECT {chosen} {new}", {"base": base})
    conn.execute(
        "INSERT INTO main.facts_fts (rowid, terms) SELECT coalesce(id, :base + fresh), terms "
        "FROM staging.staged WHERE NOT present AND status = 'active' ORDER BY line",
        {"base": base},
    )
    conn.execute(
        "INSERT INTO main.changes (fact_id, action, actor, at, before, after, note) "
        "SELECT coalesce(id, :base + fresh), 'add', :actor, :at, NULL, "
        f"json_set(record, '$.id', coalesce(id, :base + fresh)), 'import' {new}",
        {"base": base, "actor": actor, "at": at},
    )
    conn.execute(
        "INSERT INTO main.fact_terms (term, df) SELECT term, n FROM staging.df WHERE true "
        "ON CONFLICT (term) DO UPDATE SET df = df + excluded.df"
    )


# -- index terms ---------------------------------------------------------------------------
class _TermWorker:
    """A process computing index strings for batches of facts, started on first use; it dies
    with this process (`die_with_parent`)."""

    def __init__(self, store: FactStore):
        self._aliases = store.list_aliases()
        self._here = store.alias_index()
        self._pool: ProcessPoolExecutor | None = None

    def here(self, batch: list[Fact]) -> list[str]:
        return [index_string(f.match_text(), self._here) for f in batch]

    def submit(self, batch: list[Fact]) -> Future[list[str]]:
        if self._pool is None:
            # spawn: never fork a process holding a SQLite connection and the adapters' threads.
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(
                1, context, initializer=_start_worker, initargs=(self._aliases, os.getpid())
            )
        return self._pool.submit(_index_strings, [f.match_text() for f in batch])

    def __enter__(self) -> _TermWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


_worker_aliases: AliasIndex | None = None


def _start_worker(pairs: list[tuple[str, str]], parent: int) -> None:
    global _worker_aliases
    die_with_parent(parent)
    _worker_aliases = AliasIndex.from_pairs(pairs)


def _index_strings(texts: list[str]) -> list[str]:
    assert _worker_aliases is not None
    return [index_string(text, _worker_aliases) for text in texts]
