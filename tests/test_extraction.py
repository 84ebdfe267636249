"""Extraction from the seed articles: verbatim evidence at its offsets, and thorough coverage."""

from __future__ import annotations

import re

from facts.extract import sentences
from facts.model import FactKind, FactStatus
from facts.seeds import DEFAULT_SEEDS_DIR, load_sources


def test_sentences_keep_offsets():
    for source in load_sources(DEFAULT_SEEDS_DIR):
        for sentence in sentences(source.text or ""):
            assert source.text[sentence.start : sentence.end] == sentence.text  # type: ignore[index]


def test_every_seed_fact_evidence_is_verbatim_at_its_offsets(store):
    texts = {s.id: s.text for s in store.list_sources()}
    facts = list(store.list_facts())
    assert len(facts) > 100
    for fact in facts:
        assert fact.start is not None and fact.end is not None, fact
        assert texts[fact.source_id][fact.start : fact.end] == fact.evidence


def _active(store, kind):
    return [f for f in store.list_facts(status=FactStatus.ACTIVE) if f.kind is kind]


def test_every_quoted_statement_has_a_quote_fact_with_a_speaker(store):
    quote_facts = _active(store, FactKind.QUOTE)
    for source in store.list_sources():
        quoted = re.findall(r"[\"“]([^\"“”]{12,})[\"”]", source.text)
        held = [f.quote for f in quote_facts if f.source_id == source.id]
        for words in quoted:
            assert any(words.strip() in (q or "") or (q or "") in words for q in held), words
    assert all(f.speaker for f in quote_facts)


def test_speakers_found_including_he_added(store):
    speakers = {(f.source_id, f.speaker) for f in _active(store, FactKind.QUOTE)}
    assert ("ap", "Dmitry Peskov") in speakers  # "He added: ..." after "Dmitry Peskov said"
    assert ("btimes", "Dmitry Peskov") in speakers
    assert ("btimes", "James Dorsey") in speakers  # "..., he said." after "James Dorsey ... told"
    assert ("btimes", "Resul Serdar") in speakers


def test_every_number_in_the_articles_is_a_number_fact(store):
    numbers = _active(store, FactKind.NUMBER)
    evidence = {f.evidence for f in numbers}
    for source in store.list_sources():
        for sentence in sentences(source.text):
            counted = re.search(r"\b\d[\d,]*\b(?!th)", sentence.text)
            is_year_only = counted and re.fullmatch(r"(19|20)\d\d", counted.group(0))
            if counted and not is_year_only:
                assert sentence.text in evidence, sentence.text
    values = {(f.source_id, f.value_low, f.qualifier) for f in numbers}
    assert ("levant24", 32.0, None) in values
    assert ("levant24", 15.0, "at least") in values
    assert ("levant24", 70000.0, "over") in values


def test_relative_weekdays_resolve_against_each_source(store):
    dates = {(f.source_id, f.event_date.isoformat()) for f in _active(store, FactKind.DATE)}
    assert ("ap", "2024-11-27") in dates  # "Wednesday" in an article of Friday 29th
    assert ("ap", "2024-11-28") in dates  # "Thursday"
    assert ("levant24", "2024-11-27") in dates


def test_named_places_are_place_facts(store):
    places = {f.place for f in _active(store, FactKind.PLACE)}
    for name in ("Saraqeb", "Talhiya", "Idlib", "Nayrab Airbase", "Aleppo"):
        assert name in places
