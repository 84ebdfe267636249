"""The platform-neutral entry point every adapter calls.

>>> bot = Factbot.open("factbot.db")          # builds itself from seeds/ on first use
>>> reply = bot.check("Rebels took about 20 villages on the first day")
>>> reply.verdict
<Verdict.CONTRADICTED: 'contradicted'>
"""

from __future__ import annotations

import functools
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.loop import Answer, Loop, Offer
from bot.reply import CheckReply, Verdict
from bot.verdict import decide, related_facts, summary
from facts.checker import Checker
from facts.errors import InvalidClaim
from facts.importer import FactImport, import_records
from facts.model import Change, ChangeAction, Fact, FactStatus, Source
from facts.newsroom import Asked, FollowUp, LoggedCheck, QueueItem, QueueStatus
from facts.seeds import DEFAULT_SEEDS_DIR, BuildReport, build
from facts.source_import import SourceImport, import_sources
from facts.store import FactStore
from facts.text import squash_spaces, unify_marks
from facts.validation import fact_changes, new_fact, new_source

__all__ = ["MAX_CLAIM_CHARS", "Factbot", "UndoPlan", "understand"]

MAX_CLAIM_CHARS = 2000
_PREAMBLE = re.compile(
    r"^(?:(?:fact[- ]?check|check|verify|claim)\s*[:\-]\s*|is it (?:true|correct|right)(?: that)?\s+|"
    r"(?:did|do|does)\s+(?=\w)|true or false\s*[:\-]?\s*|"
    # "@factbot, ..." or "@factbot is it true ...": the bot addressed, not part of the claim
    r"@\w+(?:[:,]\s*|\s+(?=(?:is|are|was|were|do|does|did|has|have|can|could)\b)))",
    re.IGNORECASE,
)


def _serialised(method):  # type: ignore[no-untyped-def]
    """One call at a time per instance: the SQLite connection is shared by the adapters' threads."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        with self._lock:
            return method(self, *args, **kwargs)

    return wrapper


class Factbot:
    """Checks claims and lets moderators curate the store. Safe to share between threads:
    calls on one instance run one at a time."""

    def __init__(self, store: FactStore):
        self.store = store
        self.checker = Checker(store)
        self.loop = Loop(store, self._judge)
        self._lock = threading.RLock()

    @classmethod
    def open(cls, db_path: str | Path, *, seeds_dir: Path = DEFAULT_SEEDS_DIR) -> Factbot:
        """Open the store at `db_path`, building it from `seeds_dir` if it holds no sources.
        Close it with `close()`, or use it as a context manager: `with Factbot.open(p) as bot:`."""
        store = FactStore.open(db_path)
        try:
            built = not store.list_sources()
            if built:
                build(store, seeds_dir)
            bot = cls(store)
            if built:
                bot.checker.store_analyses()
        except BaseException:
            store.close()
            raise
        return bot

    @_serialised
    def close(self) -> None:
        """Close the store once no call is using it: a chat adapter may still be answering on
        another thread, and closing SQLite under a running query crashes the process."""
        self.store.close()

    def __enter__(self) -> Factbot:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- checking --------------------------------------------------------------------------
    @_serialised
    def check(self, claim: str, *, asked: Asked | None = None) -> CheckReply:
        """Verdict and citations for one claim; raises InvalidClaim for empty or huge input.

        Facts that questions learned from moderators' answers ask for are judged too. With `asked`
        (where and by whom, from a chat adapter) the check is logged, a not-found one queued for
        moderators, and the reply carries its `check_id` for feedback buttons.
        """
        started = time.perf_counter()
        understood = understand(claim)
        reply = self._judge(claim, understood, self.loop.learned_for(understood), started=started)
        return reply if asked is None else self.loop.record(reply, asked)

    def _judge(
        self, claim: str, understood: str, also: Sequence[int] = (), *, started: float | None = None
    ) -> CheckReply:
        started = time.perf_counter() if started is None else started
        outcome = self.checker.judge_all(understood, also=also)
        verdict, citations = decide(outcome.findings)
        related = related_facts(outcome.related) if verdict is Verdict.NOT_FOUND else ()
        return CheckReply(
            claim=claim,
            understood=understood,
            verdict=verdict,
            summary=summary(verdict, citations),
            citations=citations,
            elapsed_ms=(time.perf_counter() - started) * 1000,
            related=related,
        )

    # -- the newsroom loop (bot/loop.py) ---------------------------------------------------
    @_serialised
    def set_reply_to(self, check_id: int, reply_to: str) -> None:
        """Where to answer a logged check, once the platform has given the answer message an id."""
        self.loop.records.set_reply_to(check_id, reply_to)

    @_serialised
    def feedback(self, check_id: int, *, helpful: bool, user: str, moderator: bool = False) -> bool:
        """👍 / 👎 on a verdict (👎 queues it); False if this user had already said."""
        return self.loop.feedback(check_id, helpful=helpful, user=user, moderator=moderator)

    @_serialised
    def queue(self, *, status: QueueStatus | None = QueueStatus.OPEN) -> list[QueueItem]:
        """Queued questions, the most asked first."""
        return self.loop.records.items(status=status)

    @_serialised
    def answer_queue_item(self, item_id: int, fact_id: int, *, actor: str) -> Answer:
        """Answer a queued question with a fact (see bot/loop.py); the bots post the follow-ups."""
        return self.loop.answer(item_id, fact_id, actor=actor)

    @_serialised
    def dismiss_queue_item(self, item_id: int, *, actor: str, note: str = "") -> QueueItem:
        return self.loop.dismiss(item_id, actor=actor, note=note)

    @_serialised
    def offers(self, fact_ids: Sequence[int]) -> list[Offer]:
        """Open queue items that these new facts now answer."""
        return self.loop.offers(fact_ids)

    @_serialised
    def pending_followups(self, platform: str, *, workspace: str | None = None) -> list[FollowUp]:
        """Follow-ups waiting to be posted on `platform` (only `workspace`'s when given)."""
        return self.loop.pending(platform, workspace=workspace)

    @_serialised
    def claim_followup(self, followup_id: int) -> bool:
        """Take a follow-up for posting; False if another bot process already did."""
        return self.loop.claim(followup_id)

    @_serialised
    def followup_done(self, followup: FollowUp, *, error: str = "") -> None:
        """Mark a follow-up posted, or (with `error`, logged) failed for good."""
        self.loop.finished(followup, error=error)

    @_serialised
    def claim_reviews(self, *, base_url: str, org_name: str) -> list[dict[str, Any]]:
        """The newsroom's reviews as schema.org ClaimReview JSON-LD (see bot/claimreview.py)."""
        from bot.claimreview import claim_reviews

        return claim_reviews(self.loop.records, base_url=base_url, org_name=org_name)

    @_serialised
    def logged_checks(self, *, limit: int = 0) -> list[LoggedCheck]:
        return self.loop.records.list_checks(limit=limit)

    @_serialised
    def purge_checks(self, *, days: int) -> int:
        """Delete check-log rows older than `days` (see facts/newsroom.py); returns checks deleted."""
        return self.loop.records.purge(days=days)

    # -- moderation ------------------------------------------------------------------------
    @_serialised
    def add_fact(self, fields: dict[str, Any], *, actor: str) -> Fact:
        """Validate and store a moderator's fact; raises ValidationError naming each bad field."""
        return self._analysed(self.store.add_fact(new_fact(fields, self.store), actor=actor))

    @_serialised
    def edit_fact(self, fact_id: int, fields: dict[str, Any], *, actor: str, note: str = "") -> Fact:
        changes = fact_changes(self.store.get_fact(fact_id), fields, self.store)
        return self._analysed(
            self.store.update_fact(fact_id, changes, actor=actor, action=ChangeAction.EDIT, note=note)
        )

    @_serialised
    def retire_fact(self, fact_id: int, *, actor: str, note: str = "") -> Fact:
        changes = {"status": FactStatus.RETIRED}
        return self.store.update_fact(fact_id, changes, actor=actor, action=ChangeAction.RETIRE, note=note)

    @_serialised
    def restore_fact(self, fact_id: int, *, actor: str, note: str = "") -> Fact:
        changes = {"status": FactStatus.ACTIVE}
        return self._analysed(
            self.store.update_fact(fact_id, changes, actor=actor, action=ChangeAction.RESTORE, note=note)
        )

    @_serialised
    def undo(self, change_id: int, *, actor: str) -> Fact:
        """Put a fact back as it was before the given change (itself recorded as a change)."""
        plan = self.undo_plan(change_id)
        return self._analysed(
            self.store.update_fact(
                plan.fact.id, plan.restored, actor=actor, action=plan.action,  # type: ignore[arg-type]
                note=f"undo of change {change_id}",
            )
        )  # fmt: skip

    @_serialised
    def undo_plan(self, change_id: int) -> UndoPlan:
        """What `undo(change_id)` would do, without doing it (to show before asking)."""
        change = self.store.change(change_id)
        current = self.store.get_fact(change.fact_id)
        if change.before is None:  # undoing an add retires the fact
            return UndoPlan(change, current, {"status": FactStatus.RETIRED}, ChangeAction.RETIRE)
        before = Fact.from_record(change.before)
        restored = {k: getattr(before, k) for k in _UNDOABLE if getattr(before, k) != getattr(current, k)}
        return UndoPlan(change, current, restored, _undo_action(current.status, before.status))

    def _analysed(self, fact: Fact) -> Fact:
        """`fact`, its analysis stored (if active) so checks load it rather than read its text."""
        if fact.id is not None:
            self.checker.store_analyses([fact.id])
        return fact

    @_serialised
    def last_fact_id(self) -> int:
        """The highest fact id in the store (0 when empty)."""
        return int(self.store.db.execute("SELECT coalesce(max(id), 0) FROM facts").fetchone()[0])

    @_serialised
    def last_change_id(self) -> int:
        """The newest history entry's id (0 when none): mark it, then ask `facts_added_since`."""
        return int(self.store.db.execute("SELECT coalesce(max(id), 0) FROM changes").fetchone()[0])

    @_serialised
    def facts_added_since(self, change_id: int, *, limit: int = 100_000) -> list[int]:
        """Ids of facts added after history entry `change_id` (at most `limit`), oldest first."""
        sql = "SELECT fact_id FROM changes WHERE id > ? AND action = 'add' ORDER BY id LIMIT ?"
        return [int(r[0]) for r in self.store.db.execute(sql, [change_id, limit])]

    def warm_up(self) -> None:
        """Load what checks load lazily (unit factors, word tables), so a serving process's first
        checks are as quick as the rest; a check is right without it."""
        self.checker.warm_up()

    @_serialised
    def get_fact(self, fact_id: int) -> Fact:
        return self.store.get_fact(fact_id)

    @_serialised
    def history(self, fact_id: int) -> list[Change]:
        return self.store.history(fact_id)

    def list_facts(self, *, status: FactStatus | None = None, source_id: str | None = None,
                   limit: int = 0) -> Iterator[Fact]:  # fmt: skip
        return self.store.list_facts(status=status, source_id=source_id, limit=limit)

    def import_facts(
        self,
        records: Iterable[dict[str, Any]],
        *,
        actor: str,
        progress: Callable[[int], None] | None = None,
    ) -> FactImport:
        """Add facts from records (numbered from 1 in errors): see `import_fact_lines`."""
        return self.import_fact_lines(enumerate(records, start=1), actor=actor, progress=progress)

    @_serialised
    def import_fact_lines(
        self,
        records: Iterable[tuple[int, Any]],
        *,
        actor: str,
        progress: Callable[[int], None] | None = None,
    ) -> FactImport:
        """Add facts from (line number, record) pairs — `facts.jsonl.numbered_values(file)` —
        all or none; a record whose id the store holds is not written but counted (unchanged, or
        differing). Raises ValidationError naming each bad line and field; `progress` hears the
        running count of records read after each batch.

        >>> bot.import_fact_lines(numbered_values(open("facts.jsonl", "rb")), actor="cli")
        FactImport(imported=12, unchanged=0, differing=0)
        """
        return import_records(self.store, records, actor=actor, progress=progress)

    @_serialised
    def get_source(self, source_id: str) -> Source:
        return self.store.get_source(source_id)

    @_serialised
    def list_sources(self) -> list[Source]:
        return self.store.list_sources()

    @_serialised
    def add_source(self, fields: dict[str, Any], *, actor: str) -> Source:
        source = new_source(fields, self.store)
        self.store.put_source(source)
        self.checker.forget_caches()
        return source

    @_serialised
    def import_sources(self, records: Iterable[tuple[int, Any]], *, actor: str) -> SourceImport:
        """Add sources from (line number, record) pairs — `facts.jsonl.numbered_values(file)`, or
        `enumerate(dicts, start=1)` — all or none; an id already stored with the same fields is
        skipped and counted. Raises ValidationError naming each bad line and field. Sources keep no
        history, so `actor` is not recorded (as with add_source).

        >>> bot.import_sources(numbered_values(open("sources.jsonl", "rb")), actor="cli")
        SourceImport(imported=12, present=0)
        """
        report = import_sources(self.store, records)
        self.checker.forget_caches()
        return report

    @_serialised
    def add_fact_with_source(
        self, fields: dict[str, Any], source_fields: dict[str, Any], *, actor: str
    ) -> Fact:
        """Add a new source and a fact citing it: if either is refused, neither is stored."""
        with self.store.transaction():
            source = self.add_source(source_fields, actor=actor)
            return self.add_fact({**fields, "source_id": source.id}, actor=actor)

    @_serialised
    def add_alias(self, alias: str, canonical: str, *, actor: str) -> None:
        from facts.validation import check_alias

        check_alias(alias, canonical)
        self.store.add_alias(alias, canonical, actor=actor)
        self.store.reindex_all()
        self.checker.forget_caches()

    @_serialised
    def list_aliases(self) -> list[tuple[str, str]]:
        return self.store.list_aliases()

    @_serialised
    def rebuild(self, seeds_dir: Path = DEFAULT_SEEDS_DIR) -> BuildReport:
        report = build(self.store, seeds_dir)
        self.checker.forget_caches()
        self.checker.store_analyses()
        return report

    @_serialised
    def store_analyses(self, *, workers: int = 1) -> int:
        """Read and store the analysis of every active fact whose stored one is missing or stale
        (after an import, an alias or an upgrade), with `workers` processes; returns how many were
        stored. Checks never need it — they read a fact afresh when its stored analysis is not
        current — it makes them quicker."""
        return self.checker.store_analyses(workers=workers)


@dataclass(frozen=True)
class UndoPlan:
    """An undo worked out: the change, the fact as it is now, and the fields it would put back."""

    change: Change
    fact: Fact
    restored: dict[str, Any]
    action: ChangeAction


_UNDOABLE = (
    "kind", "statement", "source_id", "evidence", "start", "end", "speaker", "quote", "subject",
    "value_low", "value_high", "unit", "qualifier", "event_date", "place", "status",
)  # fmt: skip


def _undo_action(current: FactStatus, before: FactStatus) -> ChangeAction:
    if current is FactStatus.RETIRED and before is FactStatus.ACTIVE:
        return ChangeAction.RESTORE
    if current is FactStatus.ACTIVE and before is FactStatus.RETIRED:
        return ChangeAction.RETIRE
    return ChangeAction.EDIT


def understand(claim: str) -> str:
    """The claim as checked: plain marks, no "is it true that" preamble, no trailing '?'."""
    if not isinstance(claim, str) or not any(ch.isalnum() for ch in claim):
        raise InvalidClaim("the claim is empty: write the statement you want checked")
    if len(claim) > MAX_CLAIM_CHARS:
        raise InvalidClaim(
            f"the claim is {len(claim):,} characters long; the limit is {MAX_CLAIM_CHARS:,}: "
            "send one statement at a time"
        )
    text = squash_spaces(unify_marks(claim))
    previous = None
    while previous != text:
        previous, text = text, _PREAMBLE.sub("", text).strip()
    return text.rstrip("?").strip() or squash_spaces(claim)
