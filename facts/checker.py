"""Checking a claim end to end: analyse, retrieve candidates, judge each, cite every source."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from facts.analysis import Analysis, Analyzer
from facts.model import Fact, Relation, Source
from facts.retrieve import candidate_ids, expand_unknown_terms
from facts.store import FactStore
from facts.verify import Judgement, Verifier, term_weights

ANALYSIS_CACHE_SIZE = 50_000


@dataclass(frozen=True)
class Finding:
    """A judged fact with its source, for citation."""

    judgement: Judgement
    source: Source


class Checker:
    """Finds and judges the facts bearing on a claim."""

    def __init__(self, store: FactStore):
        self.store = store
        self._analyses: OrderedDict[tuple[int, str], Analysis] = OrderedDict()
        self._sources: dict[str, Source] = {}

    @property
    def analyzer(self) -> Analyzer:
        return Analyzer(self.store.alias_index())

    def retrieve(self, claim_text: str, *, analyzer: Analyzer | None = None) -> tuple[Analysis, list[int]]:
        """The claim's analysis (unknown words read as their closest index terms) and the ids of
        the candidate facts to judge, most promising first."""
        analyzer = analyzer or self.analyzer
        claim = analyzer.analyze(claim_text)
        terms = set(claim.concepts) | claim.entities
        replacements = expand_unknown_terms(self.store, terms)
        claim = _with_replacements(claim, replacements)
        terms = set(claim.concepts) | claim.entities
        return claim, candidate_ids(self.store, terms)

    def findings(self, claim_text: str) -> tuple[Analysis, list[Finding]]:
        """The claim's analysis and every fact that supports or contradicts it, best first."""
        analyzer = self.analyzer
        claim, ids = self.retrieve(claim_text, analyzer=analyzer)
        frequencies = self.store.document_frequencies(claim.concepts)
        weights = term_weights(claim, frequencies, max(self.store.count_facts(), 1))
        verifier = Verifier(analyzer)
        found = []
        for fact in self.store.facts_by_ids(ids):
            judgement = verifier.judge(claim, fact, self._analysis(fact, analyzer), weights)
            if judgement.relation is not None:
                found.append(Finding(judgement, self._source(fact.source_id)))
        found.sort(key=lambda f: (-f.judgement.score, f.judgement.fact.id or 0))
        return claim, found

    def _analysis(self, fact: Fact, analyzer: Analyzer) -> Analysis:
        key = (fact.id or 0, fact.match_text())
        cached = self._analyses.get(key)
        if cached is None:
            reference = self._source(fact.source_id).published
            cached = analyzer.analyze(fact.match_text(), reference=reference)
            self._analyses[key] = cached
            if len(self._analyses) > ANALYSIS_CACHE_SIZE:
                self._analyses.popitem(last=False)
        return cached

    def _source(self, source_id: str) -> Source:
        if source_id not in self._sources:
            self._sources[source_id] = self.store.get_source(source_id)
        return self._sources[source_id]

    def forget_caches(self) -> None:
        """Drop cached analyses and sources (after aliases or sources change)."""
        self._analyses.clear()
        self._sources.clear()


def _with_replacements(claim: Analysis, replacements: dict[str, str]) -> Analysis:
    if not replacements:
        return claim
    from dataclasses import replace

    concepts = tuple(replacements.get(c, c) for c in claim.concepts)
    capitalized = frozenset(replacements.get(c, c) for c in claim.capitalized)
    return replace(claim, concepts=concepts, capitalized=capitalized)


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
        decided[source_id] = (
            Relation.SUPPORTS
            if support > contradict + 0.15
            else (Relation.CONTRADICTS if contradict else Relation.SUPPORTS)
        )
    return decided
