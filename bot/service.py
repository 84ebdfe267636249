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
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from bot.reply import CheckReply, Verdict
from bot.verdict import decide, related_facts, summary
from facts.checker import Checker
from facts.errors import InvalidClaim
from facts.model import Change, ChangeAction, Fact, FactStatus, Source
from facts.seeds import DEFAULT_SEEDS_DIR, BuildReport, build
from facts.source_import import SourceImport, import_sources
from facts.store import FactStore
from facts.text import squash_spaces, unify_marks
from facts.validation import fact_changes, new_fact, new_source

__all__ = ["MAX_CLAIM_CHARS", "Factbot", "understand"]

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

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Factbot:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- checking --------------------------------------------------------------------------
    @_serialised
    def check(self, claim: str) -> CheckReply:
        """Verdict and citations for one claim; raises InvalidClaim for empty or huge input."""
        started = time.perf_counter()
        understood = understand(claim)
        outcome = self.checker.judge_all(understood)
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
        change = self.store.change(change_id)
        if change.before is None:
            return self.retire_fact(change.fact_id, actor=actor, note=f"undo of change {change_id}")
        before = Fact.from_record(change.before)
        current = self.store.get_fact(change.fact_id)
        restored = {k: getattr(before, k) for k in _UNDOABLE if getattr(before, k) != getattr(current, k)}
        action = _undo_action(current.status, before.status)
        return self._analysed(
            self.store.update_fact(
                change.fact_id, restored, actor=actor, action=action, note=f"undo of change {change_id}"
            )
        )

    def _analysed(self, fact: Fact) -> Fact:
        """`fact`, its analysis stored (if active) so checks load it rather than read its text."""
        if fact.id is not None:
            self.checker.store_analyses([fact.id])
        return fact

    @_serialised
    def get_fact(self, fact_id: int) -> Fact:
        return self.store.get_fact(fact_id)

    @_serialised
    def history(self, fact_id: int) -> list[Change]:
        return self.store.history(fact_id)

    def list_facts(self, *, status: FactStatus | None = None, source_id: str | None = None,
                   limit: int = 0) -> Iterator[Fact]:  # fmt: skip
        return self.store.list_facts(status=status, source_id=source_id, limit=limit)

    @_serialised
    def import_facts(
        self,
        records: Iterable[dict[str, Any]],
        *,
        actor: str,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Add facts from records, all or none (exported records whose ids exist are skipped);
        `progress` is called with the running count after each batch."""
        from facts.importer import import_records

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
