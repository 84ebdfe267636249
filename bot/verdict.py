"""The one place a verdict is decided: from every judged fact to supported, contradicted, mixed or
not found, with the citations behind it.

1. A conflict that may be about another event yields to a support of the same claim: a name,
   side or place swapped in a fact ("strikes hit Kafr Jeeshqous" against a claim about Kafr
   Shayhnir) is another event when some fact confirms the claim as it stands.
2. Each source takes the side of its strongest fact: a contradiction unless a support scores
   clearly higher (facts/tuning.py SUPPORT_MARGIN).
3. All sources supporting: supported; all contradicting: contradicted; both: mixed; none: not found.
"""

from __future__ import annotations

from bot.reply import Citation, RelatedFact, Verdict
from facts.checker import Finding
from facts.model import Relation
from facts.tuning import SUPPORT_MARGIN

# Bases of a contradiction that may come from another event reported in the same words.
YIELDING_CONFLICTS = frozenset({"actor", "side", "place", "misattributed"})


def _without_yielding_conflicts(findings: list[Finding]) -> list[Finding]:
    if not any(f.judgement.relation is Relation.SUPPORTS for f in findings):
        return findings
    return [
        f
        for f in findings
        if not (f.judgement.relation is Relation.CONTRADICTS and f.judgement.basis in YIELDING_CONFLICTS)
    ]


def strongest_relation_per_source(findings: list[Finding]) -> dict[str, Relation]:
    """Each source's side: contradiction wins unless a support scores clearly higher."""
    best: dict[str, dict[Relation, float]] = {}
    for finding in findings:
        sides = best.setdefault(finding.source.id, {})
        relation = finding.judgement.relation
        assert relation is not None
        sides[relation] = max(sides.get(relation, 0.0), finding.judgement.score)
    decided = {}
    for source_id, sides in best.items():
        support = sides.get(Relation.SUPPORTS, 0.0)
        contradict = sides.get(Relation.CONTRADICTS, 0.0)
        supported = support > contradict + SUPPORT_MARGIN or not contradict
        decided[source_id] = Relation.SUPPORTS if supported else Relation.CONTRADICTS
    return decided


def decide(findings: list[Finding]) -> tuple[Verdict, tuple[Citation, ...]]:
    """The verdict over every source, and the citations behind it (each source's side only)."""
    findings = _without_yielding_conflicts(findings)
    sides = strongest_relation_per_source(findings)
    relations = set(sides.values())
    if not relations:
        return Verdict.NOT_FOUND, ()
    if relations == {Relation.SUPPORTS}:
        verdict = Verdict.SUPPORTED
    elif relations == {Relation.CONTRADICTS}:
        verdict = Verdict.CONTRADICTED
    else:
        verdict = Verdict.MIXED
    cited = [f for f in findings if f.judgement.relation is sides[f.source.id]]
    return verdict, _citations(cited)


def _citations(findings: list[Finding]) -> tuple[Citation, ...]:
    seen: set[tuple[str, str]] = set()
    citations = []
    for finding in findings:
        fact, source = finding.judgement.fact, finding.source
        if (source.id, fact.evidence) in seen:
            continue
        seen.add((source.id, fact.evidence))
        citations.append(
            Citation(
                relation=finding.judgement.relation,  # type: ignore[arg-type]
                fact_id=fact.id,  # type: ignore[arg-type]
                source_id=source.id,
                outlet=source.outlet,
                published=source.published,
                published_approximate=source.published_approximate,
                url=source.url,
                quote=fact.evidence,
                score=finding.judgement.score,
                reason=finding.judgement.reason,
            )
        )
    return tuple(citations)


def related_facts(findings: list[Finding]) -> tuple[RelatedFact, ...]:
    return tuple(
        RelatedFact(
            fact_id=f.judgement.fact.id,  # type: ignore[arg-type]
            source_id=f.source.id,
            outlet=f.source.outlet,
            published=f.source.published,
            url=f.source.url,
            quote=f.judgement.fact.evidence,
            score=f.judgement.score,
        )
        for f in findings
    )


def summary(verdict: Verdict, citations: tuple[Citation, ...]) -> str:
    def outlets(relation: Relation) -> str:
        names = dict.fromkeys(c.outlet for c in citations if c.relation is relation)
        return ", ".join(names)

    if verdict is Verdict.SUPPORTED:
        return f"Supported by {outlets(Relation.SUPPORTS)}."
    if verdict is Verdict.CONTRADICTED:
        first = next(c for c in citations if c.relation is Relation.CONTRADICTS)
        return f"Contradicted by {outlets(Relation.CONTRADICTS)}: {first.reason}."
    if verdict is Verdict.MIXED:
        return (
            f"Sources disagree: supported by {outlets(Relation.SUPPORTS)}; "
            f"contradicted by {outlets(Relation.CONTRADICTS)}."
        )
    return "No fact in the store speaks to this claim."
