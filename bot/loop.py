"""The newsroom loop (issue 8): every check remembered, unanswered and disputed questions queued for
moderators, their answers sent back to everyone who asked, and the question learned.

    ask ──► log the check ──► not found? ──► queue (same question again: joins its item, asked + 1)
    👎 on a verdict ─────────────────────► queue (reason feedback)
    moderator answers item with fact F ──► re-check the claim with F among the candidates
        F cited?  no ──► NotAnAnswer, the item stays open
                  yes ─► close the item, one follow-up per place it was asked (the bots post them),
                         remember the wording as a way of asking for F
    a fact lands ──► open items it now answers are offered to the moderator who added it

`Factbot` (bot/service.py) owns one `Loop` and exposes it; adapters never call this module directly.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from bot.reply import CheckReply, Verdict
from facts.errors import NotAnAnswer, QueueItemClosed
from facts.model import FactStatus
from facts.newsroom import Asked, FollowUp, LoggedCheck, Newsroom, QueueItem, QueueReason, QueueStatus
from facts.questions import Terms, all_close, closest, question_terms
from facts.store import FactStore

__all__ = ["Answer", "Loop", "Offer"]

log = logging.getLogger("factbot.loop")
Judge = Callable[[str, str, Sequence[int]], CheckReply]  # (claim, understood, also) -> reply
MAX_LEARNED_CANDIDATES = 5  # facts a learned question adds to a check's candidates
MAX_OFFERED_ITEMS = 200  # open items (the most asked first) re-checked when a fact lands
MAX_NAMED_IN_OFFERS = 20  # more new facts than this (an import): retrieval finds them on its own


@dataclass(frozen=True)
class Answer:
    """A queue item answered: the verdict the moderator is told, and how many follow-ups wait."""

    item: QueueItem
    reply: CheckReply
    followups: int


@dataclass(frozen=True)
class Offer:
    """An open question a newly landed fact now answers (one click posts it)."""

    item: QueueItem
    fact_id: int
    verdict: Verdict


class Loop:
    """The loop over one store. `judge` is the checker's plain judgement (no logging, no learning)."""

    def __init__(self, store: FactStore, judge: Judge):
        self.store, self.judge = store, judge
        self.records = Newsroom(store)
        self._learned: tuple[tuple[int, int], dict[int, Terms]] | None = None

    def terms(self, text: str) -> Terms:
        return question_terms(text, self.store.alias_index())

    # -- asking ----------------------------------------------------------------------------
    def learned_for(self, understood: str) -> list[int]:
        """Facts that learned questions close to this one ask for."""
        learned = self._learned_terms()
        if not learned:
            return []
        rows = all_close(self.terms(understood), learned)
        return self.records.learned_facts(rows)[:MAX_LEARNED_CANDIDATES]

    def _learned_terms(self) -> dict[int, Terms]:
        """Learned wordings, cached until a row is added (by this process or another)."""
        stamp = self.store.db.execute(
            "SELECT count(*), coalesce(max(id), 0) FROM learned_questions"
        ).fetchone()
        key = (int(stamp[0]), int(stamp[1]))
        if self._learned is None or self._learned[0] != key:
            self._learned = (key, self.records.learned_terms() if key[0] else {})
        return self._learned[1]

    def record(self, reply: CheckReply, asked: Asked) -> CheckReply:
        """Log the check (a not-found one joins the queue); the reply now carries its check id."""
        fact_ids = [c.fact_id for c in reply.citations]
        check_id = self.records.log_check(reply.claim, reply.understood, str(reply.verdict), fact_ids, asked)
        if reply.verdict is Verdict.NOT_FOUND:
            self._queue(self.records.check(check_id), QueueReason.NOT_FOUND)
        return replace(reply, check_id=check_id)

    def _queue(self, check: LoggedCheck, reason: QueueReason) -> int:
        """Put the check's question in the queue: into the open item asking it, else a new one."""
        terms = self.terms(check.understood)
        with self.store.transaction():
            item_id = self.records.open_item_with_text(check.understood)
            if item_id is None:
                match = closest(terms, self.records.open_terms())
                item_id = match[0] if match else None
            if item_id is None:
                return self.records.enqueue(check, terms, reason)
            self.records.join(item_id, check)
            return item_id

    def feedback(self, check_id: int, *, helpful: bool, user: str, moderator: bool) -> bool:
        """Record 👍 / 👎 on a check; 👎 queues it (reason feedback) unless an open item already
        holds it. Returns whether this was the person's first feedback on it."""
        check = self.records.check(check_id)
        with self.store.transaction():
            first = self.records.add_feedback(check, helpful=helpful, user=user, moderator=moderator)
            if first and not helpful and not self._in_open_item(check):
                self._queue(check, QueueReason.FEEDBACK)
        return first

    def _in_open_item(self, check: LoggedCheck) -> bool:
        return check.queue_id is not None and self.records.item(check.queue_id).status is QueueStatus.OPEN

    # -- moderating the queue --------------------------------------------------------------
    def answer(self, item_id: int, fact_id: int, *, actor: str) -> Answer:
        """Answer an open item with a fact: judged like any other candidate, so a fact that
        contradicts the claim yields "contradicted". Raises NotAnAnswer if the fact does not bear on
        the question (nothing changes), QueueItemClosed if the item is no longer open."""
        item = self._open(item_id)
        fact = self.store.get_fact(fact_id)
        if fact.status is not FactStatus.ACTIVE:
            raise NotAnAnswer(f"fact #{fact_id} is retired: restore it first, or name another")
        reply = self.judge(item.claim, item.understood, [fact_id])
        cited = list(dict.fromkeys(c.fact_id for c in reply.citations))
        if fact_id not in cited:
            found = ", ".join(f"#{i}" for i in cited[:5])
            now = (
                f"{reply.verdict.value} from other facts ({found}): name one of those"
                if cited
                else "still not found"
            )
            raise NotAnAnswer(
                f"fact #{fact_id} does not bear on queue item #{item_id} (checked with it, the answer is "
                f"{now}); the item stays open"
            )
        with self.store.transaction():
            if not self.records.close(item_id, QueueStatus.ANSWERED, actor=actor, fact_id=fact_id,
                                      verdict=str(reply.verdict), answer=reply.to_record()):  # fmt: skip
                raise QueueItemClosed(f"queue item #{item_id} was closed meanwhile; nothing was posted")
            checks = self.records.checks_of(item_id)
            posted = sum(
                self.records.add_followup(item_id, c, reply.to_record()) for c in _one_per_place(checks)
            )
            for wording in dict.fromkeys([item.understood, *(c.understood for c in checks)]):
                self.records.learn(fact_id, wording, self.terms(wording), item_id=item_id, actor=actor)
        return Answer(self.records.item(item_id), reply, posted)

    def dismiss(self, item_id: int, *, actor: str, note: str = "") -> QueueItem:
        """Close an open item without an answer: nothing is posted, nothing learned."""
        self._open(item_id)
        with self.store.transaction():
            if not self.records.close(item_id, QueueStatus.DISMISSED, actor=actor, note=note):
                raise QueueItemClosed(f"queue item #{item_id} was closed meanwhile")
        return self.records.item(item_id)

    def _open(self, item_id: int) -> QueueItem:
        item = self.records.item(item_id)
        if item.status is not QueueStatus.OPEN:
            by = f" by {item.closed_by}" if item.closed_by else ""
            raise QueueItemClosed(
                f"queue item #{item_id} was already {item.status.value}{by}; nothing was posted"
            )
        return item

    def offers(self, fact_ids: Sequence[int]) -> list[Offer]:
        """Open items these newly landed facts now answer (each re-checked: a fact is offered only
        where the checker cites it)."""
        wanted = set(fact_ids)
        if not wanted:
            return []
        named = list(fact_ids) if len(wanted) <= MAX_NAMED_IN_OFFERS else []
        found = []
        for item in self.records.items(status=QueueStatus.OPEN)[:MAX_OFFERED_ITEMS]:
            reply = self.judge(item.claim, item.understood, named)
            cited = [c.fact_id for c in reply.citations if c.fact_id in wanted]
            if cited:
                found.append(Offer(item, cited[0], reply.verdict))
        return found

    # -- follow-ups ------------------------------------------------------------------------
    def pending(self, platform: str, *, workspace: str | None = None) -> list[FollowUp]:
        return self.records.pending_followups(platform, workspace=workspace)

    def claim(self, followup_id: int) -> bool:
        return self.records.claim_followup(followup_id)

    def finished(self, followup: FollowUp, *, error: str = "") -> None:
        if error:
            log.warning("follow-up %d for queue item #%d could not be posted to %s channel %s: %s",
                        followup.id, followup.queue_id, followup.where.platform, followup.where.channel,
                        error)  # fmt: skip
        self.records.finish_followup(followup.id, error=error)


def _one_per_place(checks: list[LoggedCheck]) -> list[LoggedCheck]:
    """The checks to answer: one per place a bot can post to (one thread asked twice gets one post)."""
    seen, kept = set(), []
    for check in checks:
        where = check.asked
        place = (where.platform, where.workspace, where.channel, where.reply_to, where.private,
                 where.asker if where.private else "")  # fmt: skip
        if where.reachable and place not in seen:
            seen.add(place)
            kept.append(check)
    return kept
