"""Candidate facts for a claim without scanning the store.

Only the claim's rarer terms are looked up (a term held by most facts says little and costs a
long posting list), each term's posting list is capped, and facts are ranked by the summed
inverse document frequency of the terms they share with the claim. A claim word the index does
not know is matched to close index terms with the same first letters (typos, transliterations).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

from rapidfuzz import fuzz, process

from facts.store import FactStore

MIN_FUZZY_LENGTH = 4
FUZZY_CUTOFF = 80.0


def expand_unknown_terms(store: FactStore, terms: Iterable[str]) -> dict[str, str]:
    """Map each claim term absent from the index to its closest index term, where one is close."""
    replacements = {}
    frequencies = store.document_frequencies(terms)
    for term, df in frequencies.items():
        if df or len(term) < MIN_FUZZY_LENGTH:
            continue
        vocabulary = store.terms_with_prefix(term[:2])
        best = process.extractOne(
            term, vocabulary, scorer=fuzz.ratio, processor=None, score_cutoff=FUZZY_CUTOFF
        )
        if best is not None:
            replacements[term] = best[0]
    return replacements


def candidate_ids(
    store: FactStore, terms: Iterable[str], *, max_terms: int = 8, per_term: int = 400, limit: int = 40
) -> list[int]:
    """Ids of the facts sharing the most (rarest) terms with the claim, best first."""
    frequencies = {t: df for t, df in store.document_frequencies(terms).items() if df}
    if not frequencies:
        return []
    total = max(store.count_facts(), 1)
    chosen = sorted(frequencies, key=lambda t: (frequencies[t], t))[:max_terms]
    scores: Counter[int] = Counter()  # summed idf per fact id
    for term in chosen:
        weight = math.log((total + 1) / frequencies[term])
        for fact_id in store.fact_ids_with_term(term, limit=per_term):
            scores[fact_id] += weight  # type: ignore[assignment]
    return [fact_id for fact_id, _ in scores.most_common(limit)]
