"""What the core answers: a verdict from a closed vocabulary, and the citations behind it."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from facts.model import Relation

__all__ = ["CheckReply", "Citation", "RelatedFact", "Relation", "Verdict"]


class Verdict(enum.StrEnum):
    """The answer to "is this claim true?" over every source in the store."""

    SUPPORTED = "supported"  # at least one source supports the claim and none contradicts it
    CONTRADICTED = "contradicted"  # at least one source contradicts the claim and none supports it
    MIXED = "mixed"  # the sources disagree: some support the claim, others contradict it
    NOT_FOUND = "not_found"  # no fact in the store speaks to the claim

    @property
    def description(self) -> str:
        return _VERDICT_DESCRIPTIONS[self]


_VERDICT_DESCRIPTIONS = {
    Verdict.SUPPORTED: "The sources support this claim.",
    Verdict.CONTRADICTED: "The sources contradict this claim.",
    Verdict.MIXED: "The sources disagree about this claim.",
    Verdict.NOT_FOUND: "Nothing in the fact store speaks to this claim.",
}


@dataclass(frozen=True)
class Citation:
    """One fact cited for or against the claim, with everything a reader needs to check it."""

    relation: Relation
    fact_id: int
    source_id: str
    outlet: str
    published: date | None
    published_approximate: bool
    url: str
    quote: str  # the verbatim evidence sentence
    score: float  # 0..1, how closely the fact matches the claim
    reason: str  # short and human: "number differs: claim says 20, source says 32"

    def to_json(self) -> dict[str, Any]:
        return {"relation": str(self.relation), **_cited_fact_json(self), "reason": self.reason}


@dataclass(frozen=True)
class RelatedFact:
    """A fact close to a claim the store could not decide: shown as "related, not verified"."""

    fact_id: int
    source_id: str
    outlet: str
    published: date | None
    url: str
    quote: str  # the verbatim evidence sentence
    score: float  # 0..1, how much of the claim's content the fact shares

    def to_json(self) -> dict[str, Any]:
        return _cited_fact_json(self)


def _cited_fact_json(fact: Citation | RelatedFact) -> dict[str, Any]:
    """The fields a citation and a related fact share, as JSON."""
    return {
        "fact_id": fact.fact_id,
        "source": fact.source_id,
        "outlet": fact.outlet,
        "published": fact.published.isoformat() if fact.published else None,
        "url": fact.url,
        "quote": fact.quote,
        "score": round(fact.score, 3),
    }


@dataclass(frozen=True)
class CheckReply:
    """The core's answer to one claim."""

    claim: str  # as the user wrote it
    understood: str  # as the checker read it (normalised)
    verdict: Verdict
    summary: str
    citations: tuple[Citation, ...] = field(default_factory=tuple)
    elapsed_ms: float = 0.0
    # Up to three closest facts when the verdict is not_found: related, not verified.
    related: tuple[RelatedFact, ...] = field(default_factory=tuple)
    # The check's row in the log when it was asked in chat: feedback buttons carry it.
    check_id: int | None = None

    @property
    def supporting(self) -> tuple[Citation, ...]:
        return tuple(c for c in self.citations if c.relation is Relation.SUPPORTS)

    @property
    def contradicting(self) -> tuple[Citation, ...]:
        return tuple(c for c in self.citations if c.relation is Relation.CONTRADICTS)

    @property
    def sources_disagree(self) -> bool:
        """True when some sources support the claim and others contradict it."""
        return self.verdict is Verdict.MIXED

    def to_json(self) -> dict[str, Any]:
        return {
            "claim": self.claim,
            "verdict": str(self.verdict),
            "summary": self.summary,
            "evidence": [c.to_json() for c in self.citations],
            "related": [r.to_json() for r in self.related],
            "elapsed_ms": round(self.elapsed_ms, 2),
        }

    def to_record(self) -> dict[str, Any]:
        """Everything needed to show this answer again later (a follow-up posted by a bot)."""
        return {
            "claim": self.claim,
            "understood": self.understood,
            "verdict": str(self.verdict),
            "summary": self.summary,
            "citations": [
                {**c.to_json(), "published_approximate": c.published_approximate} for c in self.citations
            ],
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> CheckReply:
        citations = tuple(
            Citation(
                relation=Relation(c["relation"]),
                fact_id=int(c["fact_id"]),
                source_id=c["source"],
                outlet=c["outlet"],
                published=date.fromisoformat(c["published"]) if c["published"] else None,
                published_approximate=bool(c.get("published_approximate")),
                url=c["url"],
                quote=c["quote"],
                score=float(c["score"]),
                reason=c["reason"],
            )
            for c in record.get("citations", ())
        )
        return cls(
            claim=record["claim"],
            understood=record["understood"],
            verdict=Verdict(record["verdict"]),
            summary=record["summary"],
            citations=citations,
        )
