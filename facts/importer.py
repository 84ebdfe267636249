"""JSONL import: every record validated, then all written in one transaction — or none.

Records exported by `factbot facts export` carry ids and bookkeeping and round-trip exactly; the
minimal record is {"text": "...", "source": "<source id>"}.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

import sqlite_utils

from facts.aliases import AliasIndex
from facts.errors import ValidationError
from facts.index_terms import index_string
from facts.model import Fact, FactOrigin, FactStatus, Source
from facts.store import FactStore
from facts.validation import new_fact

__all__ = ["import_records"]

_KEPT = ("id", "key", "origin", "status", "added_by", "added_at")
BATCH = 2000
SERIAL_BATCHES = 5  # a larger import hands the index terms to a worker process
IN_FLIGHT = 3  # batches queued for the worker: enough to keep it busy, memory stays flat


def import_records(
    store: FactStore,
    records: Iterable[dict[str, Any]],
    *,
    actor: str,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Import records, streaming; on any bad record nothing is kept and the error says which.

    Everything is written in one transaction, so an interrupted import leaves the store as it was.
    Working out index terms is most of the cost, so after a few batches a worker process does it
    while this one validates and writes.
    """
    count = 0
    with store.transaction(), _TermWorker(store) as worker:
        pending: deque[tuple[list[Fact], Future[list[str]] | None]] = deque()
        for number, batch in enumerate(_batches(records, store)):
            terms = worker.submit(batch) if number >= SERIAL_BATCHES else None
            pending.append((batch, terms))
            while pending and (len(pending) > IN_FLIGHT or pending[0][1] is None):
                count += _write(store, *pending.popleft(), actor)
                if progress:
                    progress(count)
        while pending:
            count += _write(store, *pending.popleft(), actor)
        if progress:
            progress(count)
    return count


def _batches(records: Iterable[dict[str, Any]], store: FactStore) -> Iterator[list[Fact]]:
    store = _SourcesRemembered(store.db)
    batch: list[Fact] = []
    for number, record in enumerate(records, start=1):
        batch.append(_fact(record, store, number))
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


class _SourcesRemembered(FactStore):
    """The store, with each source looked up once: nobody else can change them while the import
    holds the write lock, and validating a record asks for its source twice."""

    def __init__(self, db: sqlite_utils.Database):
        super().__init__(db)
        self._known: dict[str, Source] = {}

    def has_source(self, source_id: str) -> bool:
        return source_id in self._known or super().has_source(source_id)

    def get_source(self, source_id: str) -> Source:
        if source_id not in self._known:
            self._known[source_id] = super().get_source(source_id)
        return self._known[source_id]


class _TermWorker:
    """A process computing index strings for batches of facts, started on first use."""

    def __init__(self, store: FactStore):
        self._aliases = store.list_aliases()
        self._pool: ProcessPoolExecutor | None = None

    def submit(self, batch: list[Fact]) -> Future[list[str]]:
        if self._pool is None:
            # spawn: never fork a process holding a SQLite connection and the adapters' threads.
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(1, context, initializer=_start_worker, initargs=(self._aliases,))
        return self._pool.submit(_index_strings, [f.match_text() for f in batch])

    def __enter__(self) -> _TermWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


_worker_aliases: AliasIndex | None = None


def _start_worker(pairs: list[tuple[str, str]]) -> None:
    global _worker_aliases
    _worker_aliases = AliasIndex.from_pairs(pairs)


def _index_strings(texts: list[str]) -> list[str]:
    assert _worker_aliases is not None
    return [index_string(text, _worker_aliases) for text in texts]


def _fact(record: dict[str, Any], store: FactStore, number: int) -> Fact:
    if not isinstance(record, dict):
        raise ValidationError({f"record {number}": "not a JSON object"})
    fields = {k: v for k, v in record.items() if k not in _KEPT}
    if record.get("start") is None and record.get("evidence") == record.get("statement"):
        fields.pop("evidence", None)  # an exported bare statement: it is its own evidence
    try:
        fact = new_fact(fields, store, check_consistency=False)  # exports round-trip as they were
    except ValidationError as error:
        raise ValidationError({f"record {number}.{k}": v for k, v in error.fields.items()}) from None
    kept = {k: record[k] for k in _KEPT if record.get(k) is not None}
    if not kept and record.get("start") is None and record.get("end") is None:
        return fact
    if "origin" in kept:
        kept["origin"] = FactOrigin(kept["origin"])
    if "status" in kept:
        kept["status"] = FactStatus(kept["status"])
    for name in ("start", "end"):
        if record.get(name) is not None:
            kept[name] = record[name]
    return fact.with_changes(**kept)


def _write(store: FactStore, batch: list[Fact], terms: Future[list[str]] | None, actor: str) -> int:
    keep = [f.id is None or not _exists(store, f.id) for f in batch]
    fresh = [f for f, kept in zip(batch, keep, strict=True) if kept]
    strings = [t for t, kept in zip(terms.result(), keep, strict=True) if kept] if terms else None
    store.add_facts(fresh, actor=actor, note="import", index_strings=strings)
    return len(batch)


def _exists(store: FactStore, fact_id: int) -> bool:
    return bool(store.db.execute("SELECT 1 FROM facts WHERE id = ?", [fact_id]).fetchone())
