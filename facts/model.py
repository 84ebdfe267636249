"""The records the store keeps: sources, facts, changes and aliases, and their closed vocabularies."""

from __future__ import annotations

import dataclasses
import enum
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

__all__ = [
    "FACT_FIELDS",
    "Change",
    "ChangeAction",
    "Fact",
    "FactKind",
    "FactOrigin",
    "FactStatus",
    "Relation",
    "Source",
]


class FactKind(enum.StrEnum):
    """What a fact asserts; decides which structured fields it carries."""

    QUOTE = "quote"  # somebody said these exact words (speaker, quote)
    NUMBER = "number"  # a count or amount (subject, value_low/value_high, unit, qualifier)
    DATE = "date"  # an event on a calendar date (subject, event_date)
    PLACE = "place"  # something happened at a place (subject, place)
    EVENT = "event"  # any other statement the source makes


class FactStatus(enum.StrEnum):
    """Whether a fact takes part in checking."""

    ACTIVE = "active"  # used by the checker
    RETIRED = "retired"  # kept, with its history, but never cited


class FactOrigin(enum.StrEnum):
    """Who made a fact; `factbot build` only ever rewrites the first two."""

    EXTRACTED = "extracted"  # found by the automatic extractors in a seed article
    CURATED = "curated"  # from seeds/curated.toml (confirms, corrects or adds)
    MODERATOR = "moderator"  # added by a person from chat or the CLI


class Relation(enum.StrEnum):
    """How one fact bears on a claim."""

    SUPPORTS = "supports"  # the fact asserts what the claim asserts
    CONTRADICTS = "contradicts"  # the fact asserts something the claim cannot also be true with


class ChangeAction(enum.StrEnum):
    """What a history entry records."""

    ADD = "add"
    EDIT = "edit"
    RETIRE = "retire"
    RESTORE = "restore"


@dataclass(frozen=True)
class Source:
    """A published article that facts cite."""

    id: str
    outlet: str
    url: str
    published: date | None
    title: str = ""
    published_approximate: bool = False
    text: str | None = None  # the article's full text when we hold it (seeds do)


# The largest fact id: every id is exact in any JSON reader (JavaScript's too), and the store
# numbers new facts within 1..MAX_FACT_ID, so an imported high id never leaves it without room.
MAX_FACT_ID = 2**53 - 1


def is_fact_id(value: object) -> bool:
    """Whether `value` can be a fact's (or a change's) id: an int, not a bool, in 1..MAX_FACT_ID."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_FACT_ID


# Fields a moderator may set on a fact (everything but bookkeeping).
FACT_FIELDS = (
    "kind",
    "statement",
    "source_id",
    "evidence",
    "start",
    "end",
    "speaker",
    "quote",
    "subject",
    "value_low",
    "value_high",
    "unit",
    "qualifier",
    "event_date",
    "place",
)


@dataclass(frozen=True)
class Fact:
    """One checkable statement tied to the verbatim sentence of its source."""

    kind: FactKind
    statement: str
    source_id: str
    evidence: str
    start: int | None = None
    end: int | None = None
    speaker: str | None = None
    quote: str | None = None
    subject: str | None = None
    value_low: float | None = None
    value_high: float | None = None
    unit: str | None = None
    qualifier: str | None = None
    event_date: date | None = None
    place: str | None = None
    id: int | None = None
    key: str | None = None  # stable identity of a seed-built fact, None for moderators'
    origin: FactOrigin = FactOrigin.MODERATOR
    status: FactStatus = FactStatus.ACTIVE
    added_by: str = ""
    added_at: str = ""

    def to_record(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO strings, enums as their values). Every field is a
        scalar, so a plain read of each beats dataclasses.asdict's deep copies on bulk imports."""
        record = {name: getattr(self, name) for name in _FIELD_NAMES}
        record["event_date"] = self.event_date.isoformat() if self.event_date else None
        for name in ("kind", "origin", "status"):
            record[name] = str(record[name])
        return record

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Fact:
        """The inverse of `to_record` (also reads database rows)."""
        values: dict[str, Any] = {
            f.name: record.get(f.name) for f in dataclasses.fields(cls) if f.name in record
        }
        values["kind"] = FactKind(values["kind"])
        if values.get("origin"):
            values["origin"] = FactOrigin(values["origin"])
        if values.get("status"):
            values["status"] = FactStatus(values["status"])
        if isinstance(values.get("event_date"), str):
            values["event_date"] = date.fromisoformat(values["event_date"])
        return cls(**{k: v for k, v in values.items() if v is not None or k in _NULLABLE})

    def with_changes(self, **changes: Any) -> Fact:
        return dataclasses.replace(self, **changes)

    def match_text(self) -> str:
        """The text retrieval indexes: statement, evidence, the speaker and the place."""
        parts = [self.statement] if self.evidence in self.statement else [self.statement, self.evidence]
        for field_value in (self.speaker, self.place):  # fields the text may not name
            if field_value and field_value not in self.statement:
                parts.append(field_value)
        return " ".join(parts)


_NULLABLE = {f.name for f in dataclasses.fields(Fact) if f.default is None}
_FIELD_NAMES = tuple(f.name for f in dataclasses.fields(Fact))


@dataclass(frozen=True)
class Change:
    """One history entry: who changed which fact, when, and the before/after records."""

    id: int
    fact_id: int
    action: ChangeAction
    actor: str
    at: str
    before: dict[str, Any] | None = field(default=None)
    after: dict[str, Any] | None = field(default=None)
    note: str = ""

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Change:
        return cls(
            id=row["id"],
            fact_id=row["fact_id"],
            action=ChangeAction(row["action"]),
            actor=row["actor"],
            at=row["at"],
            before=json.loads(row["before"]) if row["before"] else None,
            after=json.loads(row["after"]) if row["after"] else None,
            note=row.get("note") or "",
        )
