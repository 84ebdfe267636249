"""Checking a claim end to end: analyse, retrieve candidates, judge each, cite every source."""

from __future__ import annotations

import multiprocessing
import os
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, replace
from datetime import date
from typing import TypeVar

from facts import spelling, wordinfo
from facts.aliases import AliasIndex
from facts.analysis import Analysis, Analyzer
from facts.index_terms import index_terms
from facts.model import Fact, FactStatus, Source
from facts.numbers import warm_units
from facts.processes import die_with_parent
from facts.retrieve import candidate_ids, expand_partial_names, expand_unknown_terms
from facts.store import FactStore
from facts.stored_analysis import VALUE_FIELDS, aliases_version, decode, encode, fingerprint
from facts.stored_values import with_stored_values
from facts.text import fold, stem
from facts.tuning import MAX_JUDGED_TEXTS, MAX_RELATED, PREFILTER_COVERAGE, RELATED_COVERAGE
from facts.verify import ClaimWeights, Judgement, Verifier, held_coverage, term_weights

__all__ = ["Checker", "Finding", "Outcome"]

ANALYSIS_CACHE_SIZE = 5_000  # about 8 KB each: bounded memory in long batches
READING_CACHE_SIZE = 1_000  # texts read, before stored fields are laid over them
FIELD_CACHE_SIZE = 2_000  # short field texts read: subjects, units, places


T = TypeVar("T")


@dataclass(frozen=True)
class Finding:
    """A judged fact with its source, for citation."""

    judgement: Judgement
    source: Source


STORE_BATCH = 2_000  # facts analysed per transaction when storing analyses


@dataclass(frozen=True)
class Outcome:
    """A claim's analysis, the facts bearing on it (best first), and the closest facts that do
    not (shown as "related, not verified" when nothing bears on it)."""

    claim: Analysis
    findings: list[Finding]
    related: list[Finding]


def _best_first(finding: Finding) -> tuple[float, int]:
    return -finding.judgement.score, finding.judgement.fact.id or 0


def _one_per_evidence(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, str]] = set()
    kept = []
    for finding in findings:
        key = (finding.source.id, finding.judgement.fact.evidence)
        if key not in seen:
            seen.add(key)
            kept.append(finding)
    return kept


class Checker:
    """Finds and judges the facts bearing on a claim."""

    def __init__(self, store: FactStore):
        self.store = store
        self._analyses = _Recent(ANALYSIS_CACHE_SIZE)
        self._readings = _Recent(READING_CACHE_SIZE)
        self._field_reader: _RememberingAnalyzer | None = None
        self._aliases_version = ""
        self._sources: dict[str, Source] = {}

    @property
    def analyzer(self) -> Analyzer:
        return Analyzer(self.store.alias_index())

    def retrieve(self, claim_text: str, *, analyzer: Analyzer | None = None) -> tuple[Analysis, list[int]]:
        """The claim's analysis (unknown words read as their closest index terms) and the ids of
        the candidate facts to judge, most promising first."""
        analyzer = analyzer or self.analyzer
        claim = analyzer.analyze(spelling.corrected(claim_text, store_knows=self._store_knows))
        terms = set(claim.concepts) | claim.entities
        replacements = expand_partial_names(self.store, terms, analyzer.aliases)
        replacements.update(expand_unknown_terms(self.store, set(terms) - set(replacements)))
        claim = _with_replacements(claim, replacements)
        terms = set(claim.concepts) | claim.entities
        return claim, candidate_ids(self.store, terms)

    def warm_up(self) -> None:
        """Load now the tables a check would otherwise load on first need: unit factors, the
        word-frequency table, the typo vocabulary (a serving process does this once, at start)."""
        warm_units()
        wordinfo.warm()
        spelling.warm()

    def _store_knows(self, word: str) -> bool:
        """Whether some active fact or alias holds `word` (a name of the store's is not a typo)."""
        folded = fold(word)
        if self.store.alias_index().spells_with(folded):
            return True
        term = stem(folded)
        return self.store.document_frequencies([term])[term] > 0

    def findings(self, claim_text: str) -> tuple[Analysis, list[Finding]]:
        """The claim's analysis and every fact that supports or contradicts it, best first."""
        outcome = self.judge_all(claim_text)
        return outcome.claim, outcome.findings

    def judge_all(self, claim_text: str, *, also: Sequence[int] = ()) -> Outcome:
        """Every candidate judged: the facts that bear on the claim and the closest others.

        `also` are facts judged whatever retrieval thinks of them (a fact a moderator named as the
        answer, or one a learned question asks for); judged like any other, and only if active.
        """
        analyzer = self.analyzer
        claim, ids = self.retrieve(claim_text, analyzer=analyzer)
        frequencies = self.store.document_frequencies(claim.concepts)
        weights = term_weights(claim, frequencies, max(self.store.count_facts(), 1))
        verifier = Verifier(analyzer)
        found: list[Finding] = []
        unrelated: list[Finding] = []
        chosen = self._promising(claim, ids, weights)
        chosen += [i for i in dict.fromkeys(also) if i not in chosen]
        facts = [f for f in self.store.facts_by_ids(chosen) if f.status is FactStatus.ACTIVE]
        self._load_stored(facts, analyzer)
        for fact in facts:
            judgement = verifier.judge(claim, fact, self._analysis(fact, analyzer), weights)
            finding = Finding(judgement, self._source(fact.source_id))
            (found if judgement.relation is not None else unrelated).append(finding)
        found.sort(key=_best_first)
        related = sorted((f for f in unrelated if f.judgement.score >= RELATED_COVERAGE), key=_best_first)
        return Outcome(claim, found, _one_per_evidence(related)[:MAX_RELATED])

    def _promising(self, claim: Analysis, ids: list[int], weights: ClaimWeights) -> list[int]:
        """Candidates worth analysing, best covering first; facts with the same index terms (one
        sentence read as several kinds of fact) count once towards the cap. A fact holding most of
        a claim's quoted words counts as covering it: a quote can match on its own."""
        held = {i: frozenset(t) for i, t in self.store.index_tokens(ids).items()}
        term_sets = set(held.values())  # each set of index terms is scored once
        plain_of = {t: held_coverage(claim, t, weights)[0] for t in term_sets}
        plain = {i: plain_of[held[i]] for i in held}
        covered = dict(plain)
        aliases = self.store.alias_index()
        for quoted in (set(index_terms(q, aliases)) for q in claim.quotes):
            for i in held:
                if quoted and len(quoted & held[i]) >= len(quoted) / 2:
                    covered[i] = max(covered[i], 1.0)
        for name in claim.named_quotes:  # a claim naming something: judged on the rest of it
            named = set(index_terms(name, aliases))
            rest = replace(claim, concepts=tuple(c for c in claim.concepts if c not in named))
            rest_of = {t: held_coverage(rest, t, weights)[0] for t in term_sets}
            for i in held:
                covered[i] = max(covered[i], rest_of[held[i]])
        promising = (i for i in covered if covered[i] >= PREFILTER_COVERAGE)
        ranked = sorted(promising, key=lambda i: (-covered[i], -plain[i], i))
        texts: set[frozenset[str]] = set()
        kept = []
        for i in ranked:
            if held[i] not in texts and len(texts) == MAX_JUDGED_TEXTS:
                continue
            texts.add(held[i])
            kept.append(i)
        return kept

    def _analysis(self, fact: Fact, analyzer: Analyzer) -> Analysis:
        """The fact's text read, with its stored fields laid over it. A text is read once per
        reference date (one sentence stored as several kinds of fact is read once), a field's
        text ("aid trucks", a place) once."""
        fields = self._fields_reader(analyzer)
        text = fact.match_text()

        def analysed() -> Analysis:
            reference = self._source(fact.source_id).published
            read = self._readings.get_or_make(
                (text, reference), lambda: analyzer.analyze(text, reference=reference)
            )
            return with_stored_values(read, fact, fields)

        return self._analyses.get_or_make(_cache_key(fact), analysed)

    def _load_stored(self, facts: Sequence[Fact], analyzer: Analyzer) -> None:
        """Remember the stored analyses of these facts that are current (their fingerprint is the
        one the fact gets now); the others are read afresh when judged."""
        self._fields_reader(analyzer)
        wanted = {f.id: f for f in facts if f.id is not None and _cache_key(f) not in self._analyses}
        for fact_id, (mark, data) in self.store.stored_analyses(list(wanted)).items():
            fact = wanted[fact_id]
            if mark == self._fingerprint(fact):
                self._analyses.get_or_make(_cache_key(fact), lambda: decode(data))  # noqa: B023

    def _fingerprint(self, fact: Fact) -> str:
        return fingerprint(fact, self._source(fact.source_id).published, self._aliases_version)

    def store_analyses(self, fact_ids: Iterable[int] | None = None, *, workers: int = 1) -> int:
        """Read and store the analysis of each of these active facts (of every active fact with
        None) whose stored one is missing or stale; returns how many were stored. With `workers`
        above one, batches after the first are read by that many processes (a store in a file)."""
        analyzer = self.analyzer
        self._fields_reader(analyzer)
        stored = 0
        pool = _reader_pool(self.store.path(), workers)
        with pool or nullcontext():
            pending: deque[Future[list[_Row]]] = deque()
            for number, batch in enumerate(_batches(self._active_facts(fact_ids), STORE_BATCH)):
                current = self.store.analysis_fingerprints([f.id for f in batch if f.id is not None])
                stale = [f for f in batch if f.id is not None and current.get(f.id) != self._fingerprint(f)]
                if number and pool is not None:
                    pending.append(pool.submit(_read_analyses, [f.id or 0 for f in stale]))
                else:
                    self.store.put_analyses(self.analysed_rows(stale))
                    stored += len(stale)
                while pending and (len(pending) > 2 * workers or pending[0].done()):
                    stored += self._put(pending.popleft().result())
            while pending:
                stored += self._put(pending.popleft().result())
        return stored

    def analysed_rows(self, facts: Sequence[Fact]) -> list[_Row]:
        """(fact id, fingerprint, encoded analysis) of each fact, as the store keeps them."""
        analyzer = self.analyzer
        self._fields_reader(analyzer)
        return [(f.id or 0, self._fingerprint(f), encode(self._analysis(f, analyzer))) for f in facts]

    def _put(self, rows: list[_Row]) -> int:
        self.store.put_analyses(rows)
        return len(rows)

    def _active_facts(self, fact_ids: Iterable[int] | None) -> Iterator[Fact]:
        if fact_ids is None:
            yield from self.store.list_facts(status=FactStatus.ACTIVE)
            return
        for batch in _batches(fact_ids, STORE_BATCH):
            yield from (f for f in self.store.facts_by_ids(batch) if f.status is FactStatus.ACTIVE)

    def _fields_reader(self, analyzer: Analyzer) -> Analyzer:
        """The analyzer that reads fact fields, remembering them. Readings depend on the alias
        index: a new one (an alias added) starts every cached analysis afresh."""
        if self._field_reader is None or self._field_reader.aliases is not analyzer.aliases:
            self._analyses.clear()
            self._readings.clear()
            self._field_reader = _RememberingAnalyzer(analyzer.aliases)
            self._aliases_version = aliases_version(self.store.list_aliases())
        return self._field_reader

    def _source(self, source_id: str) -> Source:
        if source_id not in self._sources:
            self._sources[source_id] = self.store.get_source(source_id)
        return self._sources[source_id]

    def forget_caches(self) -> None:
        """Drop cached analyses and sources (after aliases or sources change)."""
        self._analyses.clear()
        self._readings.clear()
        self._field_reader = None
        self._sources.clear()


class _Recent(OrderedDict[Hashable, Analysis]):
    """The last `size` analyses made, by key; the oldest is forgotten first."""

    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def get_or_make(self, key: Hashable, make: Callable[[], Analysis]) -> Analysis:
        found = self.get(key)
        if found is None:
            found = self[key] = make()
            if len(self) > self.size:
                self.popitem(last=False)
        return found


class _RememberingAnalyzer(Analyzer):
    """An analyzer remembering its readings of undated texts: the subjects, units and places of
    fact fields ("prisoners released", "aid trucks") recur across many facts."""

    def __init__(self, aliases: AliasIndex):
        super().__init__(aliases)
        self._read = _Recent(FIELD_CACHE_SIZE)

    def analyze(self, text: str, *, reference: date | None = None) -> Analysis:
        if reference is not None:
            return super().analyze(text, reference=reference)
        return self._read.get_or_make(text, lambda: super(_RememberingAnalyzer, self).analyze(text))


_Row = tuple[int, str, bytes]


def _reader_pool(path: str, workers: int) -> ProcessPoolExecutor | None:
    """Processes reading fact analyses for `store_analyses`, each with its own connection to the
    store's file and its own checker (the very code a check runs); None for one process."""
    if workers <= 1 or not path:
        return None
    # spawn: never fork a process holding a SQLite connection and the adapters' threads.
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(workers, context, initializer=_start_reader, initargs=(path, os.getpid()))


_reader: Checker | None = None


def _start_reader(path: str, parent: int) -> None:
    global _reader
    die_with_parent(parent)  # a reader never outlives the process that started it (kill -9 too)
    _reader = Checker(FactStore.open(path))


def _read_analyses(fact_ids: list[int]) -> list[_Row]:
    assert _reader is not None
    return _reader.analysed_rows(_reader.store.facts_by_ids(fact_ids))


def _cache_key(fact: Fact) -> Hashable:
    return (fact.id or 0, fact.match_text(), *(getattr(fact, f) for f in VALUE_FIELDS))


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _with_replacements(claim: Analysis, replacements: dict[str, str]) -> Analysis:
    if not replacements:
        return claim
    concepts = tuple(replacements.get(c, c) for c in claim.concepts)
    capitalized = frozenset(replacements.get(c, c) for c in claim.capitalized)
    return replace(claim, concepts=concepts, capitalized=capitalized)
