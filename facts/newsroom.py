"""The newsroom loop's records (issue 8), in the fact store's file: the check log, the queue of
questions the store could not answer or people disputed, feedback, the follow-ups the chat bots
post, and the questions learned from answers.

Plain reads and writes only; what they mean (when a check joins an item, what an answer posts) is
decided in `bot/loop.py`.

    checks              every check asked in chat (and `factbot check`): claim, verdict, where, who
    queue               one row per question; `asked` counts the checks that joined it
    feedback            👍 / 👎 on a verdict; a moderator's 👍 is a confirmed verdict
    followups           the outbox: one answer to post per place a queued question was asked
    learned_questions   an answered question's wording, remembered as a way of asking for its fact
"""

from __future__ import annotations

import enum
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from facts.errors import UnknownCheck, UnknownQueueItem
from facts.questions import Terms, decode, encode
from facts.store import FactStore, now_iso

__all__ = [
    "Asked",
    "Confirmation",
    "FollowUp",
    "FollowUpStatus",
    "LoggedCheck",
    "Newsroom",
    "QueueItem",
    "QueueReason",
    "QueueStatus",
]


class QueueReason(enum.StrEnum):
    """Why a question is in the queue."""

    NOT_FOUND = "not_found"  # the store had nothing on it
    FEEDBACK = "feedback"  # someone pressed "👎 Wrong verdict" under its answer


class QueueStatus(enum.StrEnum):
    OPEN = "open"  # waiting for a moderator
    ANSWERED = "answered"  # a moderator named the fact; the answer went to everyone who asked
    DISMISSED = "dismissed"  # closed without an answer; nothing learned


class FollowUpStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for the running bot to post it
    SENDING = "sending"  # claimed by one bot process (so two never post it twice)
    SENT = "sent"
    FAILED = "failed"  # the place is gone (deleted thread, channel left): logged, not retried


@dataclass(frozen=True)
class Asked:
    """Where and by whom a claim was asked, so a later answer can go back there.

    `reply_to` is the message to answer under: a Slack thread's ts, a Discord message id. A private
    ask (Slack /factcheck, Discord private:true) is answered privately to `asker`.
    """

    platform: str  # "slack", "discord" or "cli"
    workspace: str = ""  # Slack team id, Discord guild id
    channel: str = ""
    reply_to: str = ""
    asker: str = ""
    private: bool = False

    @property
    def reachable(self) -> bool:
        """Whether a bot can post there later (the CLI has no place to post to)."""
        return self.platform in ("slack", "discord") and bool(self.channel)


@dataclass(frozen=True)
class LoggedCheck:
    id: int
    claim: str
    understood: str
    verdict: str
    fact_ids: tuple[int, ...]
    asked: Asked
    at: str
    queue_id: int | None


@dataclass(frozen=True)
class QueueItem:
    """One queued question (`claim` as first asked)."""

    id: int
    claim: str
    understood: str
    reason: QueueReason
    status: QueueStatus
    asked: int
    first_asked: str
    last_asked: str
    fact_id: int | None = None
    verdict: str | None = None
    closed_by: str | None = None
    closed_at: str | None = None
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "claim": self.claim,
            "understood": self.understood,
            "reason": str(self.reason),
            "status": str(self.status),
            "asked": self.asked,
            "first_asked": self.first_asked,
            "last_asked": self.last_asked,
            "fact_id": self.fact_id,
            "verdict": self.verdict,
            "closed_by": self.closed_by,
            "closed_at": self.closed_at,
            "note": self.note,
        }


@dataclass(frozen=True)
class FollowUp:
    """One answer to post: `reply` is the answer's record (`bot.reply.CheckReply.to_record`)."""

    id: int
    queue_id: int
    check_id: int
    where: Asked
    reply: dict[str, Any]
    status: FollowUpStatus


@dataclass(frozen=True)
class Confirmation:
    """A verdict a moderator marked helpful: a review the newsroom stands behind."""

    check_id: int
    claim: str
    verdict: str
    user: str
    at: str


class Newsroom:
    """The loop's tables in `store`'s file; every write is one transaction."""

    def __init__(self, store: FactStore):
        self.store = store
        self.db = store.db

    # -- the check log ---------------------------------------------------------------------
    def log_check(
        self, claim: str, understood: str, verdict: str, fact_ids: Sequence[int], asked: Asked
    ) -> int:
        with self.store.transaction():
            cursor = self.db.execute(
                "INSERT INTO checks (claim, understood, verdict, fact_ids, platform, workspace, channel, "
                "reply_to, private, asker, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [claim, understood, verdict, json.dumps(list(fact_ids)), asked.platform, asked.workspace,
                 asked.channel, asked.reply_to, int(asked.private), asked.asker, now_iso()],
            )  # fmt: skip
            return int(cursor.lastrowid or 0)

    def set_reply_to(self, check_id: int, reply_to: str) -> None:
        """The message to answer under, once the platform has told us its id."""
        with self.store.transaction():
            self.db.execute("UPDATE checks SET reply_to = ? WHERE id = ?", [reply_to, check_id])

    def check(self, check_id: int) -> LoggedCheck:
        row = self.db.execute("SELECT * FROM checks WHERE id = ?", [check_id]).fetchone()
        if row is None:
            raise UnknownCheck(f"no check with id {check_id} (the log keeps checks for a limited time)")
        return _check(self._row("checks", row))

    def checks_of(self, queue_id: int) -> list[LoggedCheck]:
        rows = self.db.query("SELECT * FROM checks WHERE queue_id = ? ORDER BY id", [queue_id])
        return [_check(r) for r in rows]

    def list_checks(self, *, limit: int = 0) -> list[LoggedCheck]:
        sql = "SELECT * FROM checks ORDER BY id" + (f" LIMIT {int(limit)}" if limit else "")
        return [_check(r) for r in self.db.query(sql)]

    def purge(self, *, days: int, now: datetime | None = None) -> int:
        """Delete log rows older than `days`: checks (but those an open question or an unposted
        answer still needs), their feedback (but moderators' confirmations, which are reviews) and
        posted follow-ups. Facts, history and the queue are untouched. Returns checks deleted."""
        cutoff = ((now or datetime.now(UTC)) - timedelta(days=days)).isoformat(timespec="seconds")
        with self.store.transaction():
            self.db.execute(
                "DELETE FROM followups WHERE status IN ('sent', 'failed') AND created_at < ?", [cutoff]
            )
            old = (
                "SELECT id FROM checks WHERE at < ? AND (queue_id IS NULL OR queue_id NOT IN "
                "(SELECT id FROM queue WHERE status = 'open')) "
                "AND id NOT IN (SELECT check_id FROM followups)"
            )
            self.db.execute(f"DELETE FROM feedback WHERE moderator = 0 AND check_id IN ({old})", [cutoff])
            cursor = self.db.execute(f"DELETE FROM checks WHERE id IN ({old})", [cutoff])
            return int(cursor.rowcount)

    # -- feedback --------------------------------------------------------------------------
    def add_feedback(self, check: LoggedCheck, *, helpful: bool, user: str, moderator: bool) -> bool:
        """Record one person's feedback on a check; False if they had already given it."""
        with self.store.transaction():
            cursor = self.db.execute(
                "INSERT OR IGNORE INTO feedback (check_id, helpful, user, moderator, at, claim, verdict) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [check.id, int(helpful), user, int(moderator), now_iso(), check.understood, check.verdict],
            )
            return bool(cursor.rowcount)

    def confirmations(self) -> list[Confirmation]:
        """Verdicts moderators marked helpful, one per claim (the first), oldest first."""
        rows = self.db.query(
            "SELECT check_id, claim, verdict, user, min(at) AS at FROM feedback "
            "WHERE moderator = 1 AND helpful = 1 GROUP BY claim, verdict ORDER BY at, check_id"
        )
        return [Confirmation(r["check_id"], r["claim"], r["verdict"], r["user"], r["at"]) for r in rows]

    # -- the queue -------------------------------------------------------------------------
    def open_terms(self) -> dict[int, Terms]:
        """Each open item's question terms, by id (to find the item a new ask joins)."""
        rows = self.db.execute("SELECT id, terms FROM queue WHERE status = 'open'")
        return {int(i): decode(t) for i, t in rows}

    def open_item_with_text(self, understood: str) -> int | None:
        row = self.db.execute(
            "SELECT id FROM queue WHERE status = 'open' AND understood = ? ORDER BY id LIMIT 1", [understood]
        ).fetchone()
        return int(row[0]) if row else None

    def enqueue(self, check: LoggedCheck, terms: Terms, reason: QueueReason) -> int:
        """A new open item for this check's question."""
        with self.store.transaction():
            cursor = self.db.execute(
                "INSERT INTO queue (claim, understood, terms, reason, status, asked, first_asked, "
                "last_asked) VALUES (?, ?, ?, ?, 'open', 1, ?, ?)",
                [check.claim, check.understood, encode(terms), str(reason), check.at, check.at],
            )
            item_id = int(cursor.lastrowid or 0)
            self.db.execute("UPDATE checks SET queue_id = ? WHERE id = ?", [item_id, check.id])
            return item_id

    def join(self, item_id: int, check: LoggedCheck) -> None:
        """The check asks an open item's question again: one more ask."""
        with self.store.transaction():
            self.db.execute(
                "UPDATE queue SET asked = asked + 1, last_asked = max(last_asked, ?) WHERE id = ?",
                [check.at, item_id],
            )
            self.db.execute("UPDATE checks SET queue_id = ? WHERE id = ?", [item_id, check.id])

    def item(self, item_id: int) -> QueueItem:
        row = self.db.execute("SELECT * FROM queue WHERE id = ?", [item_id]).fetchone()
        if row is None:
            raise UnknownQueueItem(f"no queue item with id {item_id}")
        return _item(self._row("queue", row))

    def items(self, *, status: QueueStatus | None = QueueStatus.OPEN) -> list[QueueItem]:
        """Items with `status` (all with None): the most asked first, then the oldest."""
        where, params = ("WHERE status = ?", [str(status)]) if status else ("", [])
        sql = f"SELECT * FROM queue {where} ORDER BY asked DESC, first_asked, id"
        return [_item(r) for r in self.db.query(sql, params)]

    def close(self, item_id: int, status: QueueStatus, *, actor: str, note: str = "",
              fact_id: int | None = None, verdict: str | None = None,
              answer: dict[str, Any] | None = None) -> bool:  # fmt: skip
        """Close an open item; False if it was no longer open (someone closed it first)."""
        cursor = self.db.execute(
            "UPDATE queue SET status = ?, closed_by = ?, closed_at = ?, note = ?, fact_id = ?, verdict = ?, "
            "answer = ? WHERE id = ? AND status = 'open'",
            [str(status), actor, now_iso(), note, fact_id, verdict,
             json.dumps(answer) if answer is not None else None, item_id],
        )  # fmt: skip
        return bool(cursor.rowcount)

    def answered(self) -> list[tuple[QueueItem, dict[str, Any]]]:
        """Answered items with the answer's record, oldest answer first."""
        rows = self.db.query("SELECT * FROM queue WHERE status = 'answered' ORDER BY closed_at, id")
        return [(_item(r), json.loads(r["answer"] or "{}")) for r in rows]

    # -- follow-ups (the outbox the bots poll) ---------------------------------------------
    def add_followup(self, item_id: int, check: LoggedCheck, reply: dict[str, Any]) -> bool:
        """Queue one answer to post where `check` was asked; False if it already was (once only)."""
        where = check.asked
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO followups (queue_id, check_id, platform, workspace, channel, reply_to, "
            "private, asker, reply, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)",
            [item_id, check.id, where.platform, where.workspace, where.channel, where.reply_to,
             int(where.private), where.asker, json.dumps(reply), now_iso()],
        )  # fmt: skip
        return bool(cursor.rowcount)

    def pending_followups(
        self, platform: str, *, workspace: str | None = None, limit: int = 50
    ) -> list[FollowUp]:
        """The oldest pending follow-ups on `platform` (only `workspace`'s when given)."""
        where, params = ("AND workspace = ?", [workspace]) if workspace is not None else ("", [])
        rows = self.db.query(
            f"SELECT * FROM followups WHERE platform = ? AND status = 'pending' {where} ORDER BY id LIMIT ?",
            [platform, *params, limit],
        )
        return [_followup(r) for r in rows]

    def claim_followup(self, followup_id: int) -> bool:
        """Take a pending follow-up for posting; False if another process took it first."""
        with self.store.transaction():
            cursor = self.db.execute(
                "UPDATE followups SET status = 'sending' WHERE id = ? AND status = 'pending'", [followup_id]
            )
            return bool(cursor.rowcount)

    def finish_followup(self, followup_id: int, *, error: str = "") -> None:
        status = FollowUpStatus.FAILED if error else FollowUpStatus.SENT
        with self.store.transaction():
            self.db.execute(
                "UPDATE followups SET status = ?, sent_at = ?, error = ? WHERE id = ?",
                [str(status), now_iso(), error or None, followup_id],
            )

    def followups(self, *, queue_id: int | None = None) -> list[FollowUp]:
        where, params = ("WHERE queue_id = ?", [queue_id]) if queue_id is not None else ("", [])
        return [_followup(r) for r in self.db.query(f"SELECT * FROM followups {where} ORDER BY id", params)]

    # -- learned questions -----------------------------------------------------------------
    def learn(self, fact_id: int, wording: str, terms: Terms, *, item_id: int, actor: str) -> None:
        self.db.execute(
            "INSERT INTO learned_questions (fact_id, wording, terms, queue_id, added_by, added_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [fact_id, wording, encode(terms), item_id, actor, now_iso()],
        )

    def learned_terms(self) -> dict[int, Terms]:
        """Each learned wording's terms, by row id."""
        return {int(i): decode(t) for i, t in self.db.execute("SELECT id, terms FROM learned_questions")}

    def learned_facts(self, row_ids: Sequence[int]) -> list[int]:
        """The facts these learned wordings ask for, in the given order, without repeats."""
        if not row_ids:
            return []
        marks = ", ".join("?" * len(row_ids))
        by_row = dict(self.db.execute(f"SELECT id, fact_id FROM learned_questions WHERE id IN ({marks})",
                                      list(row_ids)).fetchall())  # fmt: skip
        return list(dict.fromkeys(int(by_row[r]) for r in row_ids if r in by_row))

    def _row(self, table: str, row: Sequence[Any]) -> dict[str, Any]:
        names = [c.name for c in self.db[table].columns]
        return dict(zip(names, row, strict=True))


def _asked(row: dict[str, Any]) -> Asked:
    return Asked(row["platform"], row["workspace"], row["channel"], row["reply_to"], row["asker"],
                 bool(row["private"]))  # fmt: skip


def _check(row: dict[str, Any]) -> LoggedCheck:
    fact_ids = tuple(json.loads(row["fact_ids"]))
    return LoggedCheck(row["id"], row["claim"], row["understood"], row["verdict"], fact_ids, _asked(row),
                       row["at"], row["queue_id"])  # fmt: skip


def _item(row: dict[str, Any]) -> QueueItem:
    return QueueItem(
        id=row["id"], claim=row["claim"], understood=row["understood"], reason=QueueReason(row["reason"]),
        status=QueueStatus(row["status"]), asked=row["asked"], first_asked=row["first_asked"],
        last_asked=row["last_asked"], fact_id=row["fact_id"], verdict=row["verdict"],
        closed_by=row["closed_by"], closed_at=row["closed_at"], note=row["note"],
    )  # fmt: skip


def _followup(row: dict[str, Any]) -> FollowUp:
    return FollowUp(row["id"], row["queue_id"], row["check_id"], _asked(row), json.loads(row["reply"]),
                    FollowUpStatus(row["status"]))  # fmt: skip
