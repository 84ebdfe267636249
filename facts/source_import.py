"""Many sources at once: every record checked, then all written in one transaction — or none.

A record holds the fields `factbot sources add` takes: id, outlet, url, published (YYYY-MM-DD)
and optionally title, each a string; they are validated by `facts.validation.new_source`. An id
the store already holds with the same fields is skipped and counted as present, so importing a
file twice changes nothing; with other fields it is refused, as is an id given twice in the input.
Every problem is named by its line and field ("line 3, url: not an http(s) URL: 'ftp://x'").

    >>> import_sources(store, enumerate([{"id": "r1", "outlet": "Reuters",
    ...     "url": "https://reuters.com/x", "published": "2024-11-30"}], start=1))
    SourceImport(imported=1, present=0)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from facts.errors import ValidationError
from facts.jsonl import shape_problems, shown_problems
from facts.model import Source
from facts.store import FactStore
from facts.text import squash_spaces
from facts.validation import new_source, text_problem

__all__ = ["SOURCE_FIELDS", "SourceImport", "import_sources"]

SOURCE_FIELDS = ("id", "outlet", "url", "published", "title")
_COMPARED = ("outlet", "url", "published", "title")  # what a record can say about a stored source


@dataclass(frozen=True)
class SourceImport:
    """What an import did: sources written, and records skipped because the store had them."""

    imported: int
    present: int


def import_sources(store: FactStore, records: Iterable[tuple[int, Any]]) -> SourceImport:
    """Add the sources of (line number, record) pairs; raises ValidationError naming every problem.

    The input is read and checked before the write lock is taken; the store is consulted and
    written inside one transaction.
    """
    errors: dict[tuple[int, str], str] = {}  # (line, field or "") -> why
    candidates = _checked(records, store, errors)
    with store.transaction():
        fresh = _not_stored(candidates, store, errors)
        if errors:
            raise ValidationError(shown_problems(errors))
        for source in fresh:
            store.put_source(source)
    return SourceImport(imported=len(fresh), present=len(candidates) - len(fresh))


def _checked(
    records: Iterable[tuple[int, Any]], store: FactStore, errors: dict[tuple[int, str], str]
) -> list[tuple[int, Source]]:
    """The well-formed records as sources; each problem goes into `errors`."""
    unstored = _AsIfEmpty(store.db)
    first_line: dict[str, int] = {}
    candidates = []
    for number, record in records:
        problems = _problems(record)
        source = _source(record, problems, unstored) if isinstance(record, dict) else None
        source_id = _given_id(record, problems)
        if source_id in first_line:
            problems["id"] = f"{source_id!r} is also on line {first_line[source_id]}: give each source once"
        elif source_id is not None:
            first_line[source_id] = number
        errors.update({(number, name): why for name, why in problems.items()})
        if source is not None and not problems:
            candidates.append((number, source))
    return candidates


def _given_id(record: Any, problems: dict[str, str]) -> str | None:
    """The record's id as `new_source` reads it, if it is a usable string (to find repeats)."""
    if "id" in problems or not isinstance(record, dict) or not isinstance(record.get("id"), str):
        return None
    return squash_spaces(record["id"])


def _problems(record: Any) -> dict[str, str]:
    """What is wrong with a record's shape and its fields' types, by field ("" for the record)."""
    unknown = f"not a source field (the fields are {', '.join(SOURCE_FIELDS)})"
    problems = shape_problems(record, what="source", fields=SOURCE_FIELDS, unknown=unknown)
    if not isinstance(record, dict):
        return problems
    for name in SOURCE_FIELDS:
        why = text_problem(record.get(name))
        if why:
            problems[name] = why
    return problems


def _source(record: dict[str, Any], problems: dict[str, str], unstored: FactStore) -> Source | None:
    """The record through `new_source`, its findings merged into `problems` (first finding wins)."""
    usable = {k: v for k, v in record.items() if k in SOURCE_FIELDS and k not in problems}
    try:
        return new_source(usable, unstored)
    except ValidationError as error:
        for name, why in error.fields.items():
            problems.setdefault(name, why)
        return None


class _AsIfEmpty(FactStore):
    """The store as `new_source` sees it here: holding no source, because an import judges ids
    already stored itself (the same fields are skipped, other fields refused)."""

    def has_source(self, source_id: str) -> bool:
        return False


def _not_stored(
    candidates: list[tuple[int, Source]], store: FactStore, errors: dict[tuple[int, str], str]
) -> list[Source]:
    """Sources the store lacks; an id it holds with other fields is an error."""
    fresh = []
    for number, source in candidates:
        if not store.has_source(source.id):
            fresh.append(source)
            continue
        stored = store.get_source(source.id)
        differing = [name for name in _COMPARED if getattr(stored, name) != getattr(source, name)]
        if differing:
            errors[number, "id"] = (
                f"{source.id!r} is already in the store with another {', '.join(differing)}: "
                "an import never changes a source"
            )
    return fresh
