"""JSONL import: every record validated, then all written in one transaction — or none.

Records exported by `factbot facts export` carry ids and bookkeeping and round-trip exactly; the
minimal record is {"text": "...", "source": "<source id>"}.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from facts.errors import ValidationError
from facts.model import Fact, FactOrigin, FactStatus
from facts.store import FactStore
from facts.validation import new_fact

_KEPT = ("id", "key", "origin", "status", "added_by", "added_at")
BATCH = 2000


def import_records(
    store: FactStore,
    records: Iterable[dict[str, Any]],
    *,
    actor: str,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Import records, streaming; on any bad record nothing is kept and the error says which."""
    count = 0
    with store.transaction():
        batch: list[Fact] = []
        for number, record in enumerate(records, start=1):
            batch.append(_fact(record, store, number))
            if len(batch) >= BATCH:
                count += _write(store, batch, actor)
                batch = []
                if progress:
                    progress(count)
        count += _write(store, batch, actor)
        if progress:
            progress(count)
    return count


def _fact(record: dict[str, Any], store: FactStore, number: int) -> Fact:
    if not isinstance(record, dict):
        raise ValidationError({f"record {number}": "not a JSON object"})
    try:
        fact = new_fact({k: v for k, v in record.items() if k not in _KEPT}, store)
    except ValidationError as error:
        raise ValidationError({f"record {number}.{k}": v for k, v in error.fields.items()}) from None
    kept = {k: record[k] for k in _KEPT if record.get(k) is not None}
    if "origin" in kept:
        kept["origin"] = FactOrigin(kept["origin"])
    if "status" in kept:
        kept["status"] = FactStatus(kept["status"])
    for name in ("start", "end"):
        if record.get(name) is not None:
            kept[name] = record[name]
    return fact.with_changes(**kept)


def _write(store: FactStore, batch: list[Fact], actor: str) -> int:
    fresh = [f for f in batch if f.id is None or not _exists(store, f.id)]
    store.add_facts(fresh, actor=actor, note="import")
    return len(batch)


def _exists(store: FactStore, fact_id: int) -> bool:
    return bool(store.db.execute("SELECT 1 FROM facts WHERE id = ?", [fact_id]).fetchone())
