"""Candidate facts for a claim without scanning the store.

Only the claim's rarer terms are looked up (a term held by most facts says little and costs a
long posting list), each term's posting list is capped, and facts are ranked by the summed
inverse document frequency of the terms they share with the claim. A claim word the index does
not know is matched to close index terms with the same first letters (typos, transliterations).
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Iterable
from operator import itemgetter

from rapidfuzz import fuzz, process

from facts.aliases import AliasIndex
from facts.store import FactStore
from facts.tuning import RETRIEVAL_FUZZY_CUTOFF, RETRIEVAL_FUZZY_MIN_LENGTH


def expand_unknown_terms(store: FactStore, terms: Iterable[str]) -> dict[str, str]:
    """Map each claim term absent from the index to its closest index term, where one is close."""
    replacements = {}
    frequencies = store.document_frequencies(terms)
    for term, df in frequencies.items():
        if df or len(term) < RETRIEVAL_FUZZY_MIN_LENGTH:
            continue
        vocabulary = store.terms_with_prefix(term[:2])
        best = process.extractOne(
            term, vocabulary, scorer=fuzz.ratio, processor=None, score_cutoff=RETRIEVAL_FUZZY_CUTOFF
        )
        if best is not None:
            replacements[term] = best[0]
    return replacements


def expand_partial_names(store: FactStore, terms: Iterable[str], aliases: AliasIndex) -> dict[str, str]:
    """Map each claim term the index does not know to the one entity whose name holds it: "the
    Shaheen drone unit" speaks of the Shaheen Brigades."""
    replacements = {}
    for term, df in store.document_frequencies(terms).items():
        key = None if df else aliases.entity_with_word(term)
        if key is not None:
            replacements[term] = key
    return replacements


def candidate_ids(
    store: FactStore,
    terms: Iterable[str],
    *,
    max_terms: int = 8,
    per_term: int = 400,
    limit: int = 40,
    rescored: int = 400,
) -> list[int]:
    """Ids of the facts sharing the most (rarest) terms with the claim, best first.

    The rarest `max_terms` terms are candidates' keys. A term held by at most `per_term` facts is
    read whole. A term held by more is not read (its posting list is long and says little on its
    own): when fewer than two key terms are rare, facts holding two of the rarest terms together
    are found by the index intersecting their lists. The `rescored` best facts then get the
    weight of each common term they hold.
    """
    frequencies = {t: df for t, df in store.document_frequencies(terms).items() if df}
    if not frequencies:
        return []
    total = max(store.count_facts(), 1)
    chosen = sorted(frequencies, key=lambda t: (frequencies[t], t))[:max_terms]
    weight = {t: math.log((total + 1) / frequencies[t]) for t in chosen}
    rare = [t for t in chosen if frequencies[t] <= per_term]
    scores: dict[int, float] = {}
    for term in rare:
        for fact_id in store.fact_ids_with_term(term, limit=per_term):
            scores[fact_id] = scores.get(fact_id, 0.0) + weight[term]
    common = [t for t in chosen if t not in rare]
    promise = dict(scores)  # what ranks facts for rescoring: their rare terms, or a common pair
    if len(rare) < 2:
        for a, b in itertools.combinations(common[:PAIRED_TERMS], 2):
            for fact_id in store.fact_ids_with_all_terms([a, b], limit=per_term):
                scores.setdefault(fact_id, 0.0)
                promise[fact_id] = max(promise.get(fact_id, 0.0), scores[fact_id] + weight[a] + weight[b])
    if not scores:  # a single common term: its first facts are all there is to go on
        for term in chosen:
            for fact_id in store.fact_ids_with_term(term, limit=per_term):
                scores[fact_id] = promise[fact_id] = scores.get(fact_id, 0.0)
    if common:
        for fact_id, tokens in store.index_tokens(_best(promise, rescored)).items():
            scores[fact_id] += sum([weight[t] for t in common if t in tokens])  # a list sums faster
    return _best(scores, limit)


PAIRED_TERMS = 3


def _best(scores: dict[int, float], count: int) -> list[int]:
    """The `count` highest-scored ids; ties keep first-found order (as Counter.most_common)."""
    return [fact_id for fact_id, _ in heapq.nlargest(count, scores.items(), key=itemgetter(1))]
