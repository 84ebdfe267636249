"""When two questions are the same question: the one rapidfuzz wrapper for the newsroom loop.

A question is compared as its sorted index terms (`facts/index_terms.py`: stems, synonym groups,
alias-folded names), so "Did rebels capture Hama?" and "rebels captured the city of Hama" are close,
while "rebels captured Homs" is not: the names are different terms, however few letters differ.

>>> terms = question_terms("Rebels captured the city of Hama", aliases)
>>> closest(terms, {1: question_terms("rebels capture Hama", aliases)})
(1, 85.7)
"""

from __future__ import annotations

from collections.abc import Mapping

from rapidfuzz import fuzz, process

from facts.aliases import AliasIndex
from facts.index_terms import index_terms
from facts.tuning import SAME_QUESTION

__all__ = ["Terms", "all_close", "closeness", "closest", "decode", "encode", "question_terms"]

Terms = tuple[str, ...]


def question_terms(text: str, aliases: AliasIndex) -> Terms:
    """The question's distinct content terms, sorted: word order does not make another question."""
    return tuple(sorted(set(index_terms(text, aliases))))


def closeness(a: Terms, b: Terms) -> float:
    """0..100: how alike two term sequences are (Indel similarity over whole terms)."""
    return float(fuzz.ratio(a, b, processor=None))


def closest(
    terms: Terms, candidates: Mapping[int, Terms], *, cutoff: float = SAME_QUESTION
) -> tuple[int, float] | None:
    """The key of the candidate closest to `terms` with its score, if any reaches `cutoff`."""
    if not terms or not candidates:
        return None
    found = process.extractOne(terms, candidates, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff)
    if found is None:
        return None
    _, score, key = found
    return int(key), round(float(score), 1)


def all_close(terms: Terms, candidates: Mapping[int, Terms], *, cutoff: float = SAME_QUESTION) -> list[int]:
    """Keys of every candidate at least `cutoff` close to `terms`, closest first."""
    if not terms or not candidates:
        return []
    found = process.extract(terms, candidates, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff,
                            limit=None)  # fmt: skip
    return [int(key) for _, _, key in found]


def encode(terms: Terms) -> str:
    return " ".join(terms)


def decode(stored: str) -> Terms:
    return tuple(stored.split())
