"""Retrieval finds candidates through the index, tolerant of typos, aliases and transliteration."""

from __future__ import annotations

from facts.analysis import Analyzer
from facts.retrieve import candidate_ids, expand_unknown_terms


def _terms(store, claim):
    analysis = Analyzer(store.alias_index()).analyze(claim)
    terms = set(analysis.concepts) | analysis.entities
    replaced = expand_unknown_terms(store, terms)
    return {replaced.get(t, t) for t in terms}


def _evidence(store, ids):
    return [f.evidence for f in store.facts_by_ids(ids)]


def test_finds_the_fact_under_paraphrase(store):
    ids = candidate_ids(store, _terms(store, "authorities rerouted traffic from the highway on Thursday"))
    assert any("diverted traffic" in e for e in _evidence(store, ids[:5]))


def test_typos_are_matched_to_close_index_terms(store):
    ids = candidate_ids(store, _terms(store, "Shaheen Brigades destroied a helicoptr at the airbsae"))
    assert any("Shaheen Brigades" in e for e in _evidence(store, ids[:10]))


def test_transliterations_meet_through_aliases(store):
    for spelling in ("Saraqib", "Saraqeb", "Sarakeb"):
        ids = candidate_ids(store, _terms(store, f"insurgents seized {spelling}"))
        assert any("Saraqeb" in e for e in _evidence(store, ids[:5])), spelling


def test_candidates_are_bounded_and_unknown_words_find_nothing(store):
    assert len(candidate_ids(store, _terms(store, "Aleppo Syria rebels government forces"), limit=7)) <= 7
    assert candidate_ids(store, _terms(store, "Zorblax quintessential flibbertigibbet")) == []


def test_claim_text_never_reaches_fts_syntax(store):
    for hostile in ('"', "*", "NEAR(a b)", "terms:x", "a OR b", "'; DROP TABLE facts; --"):
        assert isinstance(store.fact_ids_with_term(hostile, limit=5), list)
    assert store.count_facts() > 100
