"""Misspelt English words in a claim read as the words meant.

A word general English has never seen is read as a name ("Kuweires", "kataib"), and a name the
store lacks makes a fact another story. A typed claim's typos are not names: "civiliasn" is
"civilians", "reportod" is "reported". A word is corrected only when it is written in lower case
(a capitalised unknown word is far likelier a name than a typo: "Atarib" is not "Atari"; months
and weekdays excepted, "Thusrday" is Thursday), English
hardly knows it and the store does not, and a far commoner English word lies a single edit (a
transposition counts as one) away, first letter kept:

    >>> corrected("At least 6 civiliasn died", store_knows=lambda word: False)
    'At least 6 civilian died'
    >>> corrected("Kuweires airbase, al-Atarib", store_knows=lambda word: False)
    'Kuweires airbase, al-Atarib'
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from functools import lru_cache

import jellyfish
from rapidfuzz import process
from rapidfuzz.distance import OSA

from facts.tuning import (
    NAME_VARIANT_MIN_KEY,
    NAME_VARIANT_SIMILARITY,
    SPELLING_MAX_EDITS,
    SPELLING_MIN_CALENDAR_LENGTH,
    SPELLING_MIN_LENGTH,
    SPELLING_RARE_ZIPF,
    SPELLING_VOCABULARY_ZIPF,
    SPELLING_ZIPF_GAP,
)
from facts.wordinfo import common_words, zipf

_WORD = re.compile(r"[^\W\d_]+")


def corrected(text: str, *, store_knows: Callable[[str], bool]) -> str:
    """`text` with each misspelt lower-case word replaced by the common English word meant.
    `store_knows(word)` keeps the store's own names as they are ("kuweires" typed in lower case)."""

    def replace(match: re.Match[str]) -> str:
        word = match.group(0)
        meant = correction(word) if word.islower() else calendar_correction(word)
        return word if meant is None or store_knows(word) else meant

    return _WORD.sub(replace, text)


@lru_cache(maxsize=20_000)
def correction(word: str) -> str | None:
    """The common English word a lower-case `word` misspells, or None (a known word, a name, or
    no single close word). Web text misspells common words often enough that wordfreq has seen
    "figthing": a rare word one edit from a far commoner one is a typo of it."""
    seen = zipf(word)
    if len(word) < SPELLING_MIN_LENGTH or not word.isalpha() or seen >= SPELLING_RARE_ZIPF:
        return None
    choices = _vocabulary().get((word[0], len(word)), ())
    best = process.extractOne(word, choices, scorer=OSA.distance, score_cutoff=SPELLING_MAX_EDITS)
    if best is None or zipf(best[0]) < seen + SPELLING_ZIPF_GAP:
        return None
    return str(best[0])


def warm() -> None:
    """Build the typo vocabulary now (it is built on the first typo otherwise, ~0.1-0.4 s)."""
    _vocabulary()


@lru_cache(maxsize=2_000)
def calendar_correction(word: str) -> str | None:
    """The month or weekday a capitalised word misspells ("Thusrday", "Aril"), or None: calendar
    words are written with a capital, so a capital says nothing about being a name."""
    if len(word) < SPELLING_MIN_CALENDAR_LENGTH or zipf(word.lower()) >= SPELLING_RARE_ZIPF:
        return None
    best = process.extractOne(
        word.lower(), _CALENDAR_WORDS, scorer=OSA.distance, score_cutoff=SPELLING_MAX_EDITS
    )
    return None if best is None else str(best[0]).capitalize()


_CALENDAR_WORDS = tuple(name.lower() for name in (*calendar.month_name[1:], *calendar.day_name))


def name_variants(word: str, others: frozenset[str]) -> bool:
    """Whether `others` holds another transliteration of the name `word` ("kweires" of
    "kuweires", "raysbifel" of "reisbifel"): a word English hardly knows, with the same Metaphone
    sound key (of at least NAME_VARIANT_MIN_KEY sounds; "deir" and "dair" are too short to
    tell) as a word of `others`, and close in Jaro-Winkler similarity. "hold"/"held" share a
    key, but English knows both."""
    if zipf(word) >= SPELLING_RARE_ZIPF:
        return False
    key = _sound_key(word)
    if len(key) < NAME_VARIANT_MIN_KEY:
        return False
    return any(
        _sound_key(other) == key and jellyfish.jaro_winkler_similarity(word, other) >= NAME_VARIANT_SIMILARITY
        for other in others
    )


@lru_cache(maxsize=50_000)
def _sound_key(word: str) -> str:
    return jellyfish.metaphone(word)


@lru_cache(maxsize=1)
def _vocabulary() -> dict[tuple[str, int], list[str]]:
    """Common English words by first letter and the lengths of the words they may be a typo of
    (theirs, one more, one less), most frequent first: of two words one edit away, the commoner
    is read."""
    buckets: dict[tuple[str, int], list[str]] = {}
    for word in common_words(SPELLING_VOCABULARY_ZIPF):  # plain lower-case words only
        for length in range(len(word) - SPELLING_MAX_EDITS, len(word) + SPELLING_MAX_EDITS + 1):
            buckets.setdefault((word[0], length), []).append(word)
    return buckets
