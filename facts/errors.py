"""Errors raised by the fact store and the checker; adapters translate them at the edge.

    FactbotError                 base of everything raised on purpose
     ├── StoreUnavailable        the database path cannot be opened or created
     │    └── StoreBusy          another process holds the write lock past the wait: try again
     ├── InvalidSeeds            the seed folder is missing, or its files cannot be read
     ├── InvalidClaim            the claim is empty, or too long to check
     ├── ValidationError         moderator input refused; `.fields` maps each bad field to why
     ├── UnknownFact             no fact with that id
     ├── UnknownSource           no source with that id
     ├── UnknownChange           no history entry with that id
     ├── UnknownCheck            no logged check with that id (or it was purged)
     ├── UnknownQueueItem        no queue item with that id
     ├── QueueItemClosed         the queue item was already answered or dismissed
     └── NotAnAnswer             the named fact does not bear on the queued question

Anything else escaping the core is a bug: adapters log it and show a fixed apology.
"""

from __future__ import annotations

__all__ = [
    "FactbotError",
    "InvalidClaim",
    "InvalidSeeds",
    "NotAnAnswer",
    "QueueItemClosed",
    "StoreBusy",
    "StoreUnavailable",
    "UnknownChange",
    "UnknownCheck",
    "UnknownFact",
    "UnknownQueueItem",
    "UnknownSource",
    "ValidationError",
]


class FactbotError(Exception):
    """Base of every error the core raises on purpose; its message is safe to show a user."""


class StoreUnavailable(FactbotError):
    """The database at the configured path cannot be opened or created."""


class StoreBusy(StoreUnavailable):
    """Another process (e.g. a long import) kept the store's write lock past the wait."""


class InvalidSeeds(FactbotError):
    """The seed folder the store builds itself from is missing or unreadable."""


class InvalidClaim(FactbotError):
    """The claim cannot be checked (empty, or longer than the limit)."""


class ValidationError(FactbotError):
    """Moderator input was refused; `fields` maps each offending field to a reason."""

    def __init__(self, fields: dict[str, str]):
        self.fields = dict(fields)
        detail = "; ".join(f"{name}: {why}" for name, why in self.fields.items())
        super().__init__(f"invalid input — {detail}")


class UnknownFact(FactbotError):
    """No fact has the given id."""


class UnknownSource(FactbotError):
    """No source has the given id."""


class UnknownChange(FactbotError):
    """No history entry has the given id."""


class UnknownCheck(FactbotError):
    """No logged check has the given id (it may have been purged)."""


class UnknownQueueItem(FactbotError):
    """No queue item has the given id."""


class QueueItemClosed(FactbotError):
    """The queue item was already answered or dismissed: nothing is posted twice."""


class NotAnAnswer(FactbotError):
    """The fact a moderator named does not bear on the queued question; the item stays open."""
