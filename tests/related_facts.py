"""Claims and hand-made replies for the "related, not verified" tests of every adapter."""

from __future__ import annotations

from datetime import date

from bot.reply import CheckReply, Citation, RelatedFact, Verdict
from facts.model import Relation

# Not found in the seed store, yet it shares content with at least one fact: the core lists it as related.
RELATED_CLAIM = "Russia keeps an air base and a naval facility in Syria"
# Claims the seed store decides, one per verdict that cites sources: they never carry related facts.
DECIDED_CLAIMS = (
    "Turkey has sent troops into parts of northwestern Syria.",
    "Turkey has no troops on the ground in Syria.",
    "Damascus hadn't commented on the insurgents breaching Aleppo's city limits.",
)
LONG_QUOTE = "A very long related sentence & <more> **markdown** @everyone. " * 160  # ~10,000 characters


def related_facts(count: int = 3, *, quote: str = "", outlet: str = "") -> tuple[RelatedFact, ...]:
    return tuple(
        RelatedFact(
            fact_id=100 + n,
            source_id=f"s{n}",
            outlet=outlet or f"Outlet {n}",
            published=date(2024, 11, 29) if n % 2 else None,
            url=f"https://news.example/related/{n}",
            quote=quote or f"Related sentence number {n}.",
            score=0.5,
        )
        for n in range(1, count + 1)
    )


_SIDES = {
    Verdict.NOT_FOUND: (),
    Verdict.SUPPORTED: (Relation.SUPPORTS,),
    Verdict.CONTRADICTED: (Relation.CONTRADICTS,),
    Verdict.MIXED: (Relation.SUPPORTS, Relation.CONTRADICTS),
}


def reply_with_related(
    verdict: Verdict, related: tuple[RelatedFact, ...], *, claim: str = "Russia keeps a naval base in Syria"
) -> CheckReply:
    """A reply carrying `related` and, unless it is not found, a citation for each side of its verdict."""
    citations = tuple(_citation(n, relation) for n, relation in enumerate(_SIDES[verdict], start=1))
    return CheckReply(claim=claim, understood=claim, verdict=verdict, summary="Summary.",
                      citations=citations, related=related)  # fmt: skip


def _citation(n: int, relation: Relation) -> Citation:
    return Citation(relation=relation, fact_id=n, source_id="ap", outlet="AP", published=date(2024, 11, 29),
                    published_approximate=False, url=f"https://news.example/{n}", quote="Cited sentence.",
                    score=0.9, reason="same statement")  # fmt: skip
