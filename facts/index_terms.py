"""How text becomes concepts: alias runs become entity keys, synonym phrases their group's head,
other words their stem. Indexing, retrieval and verification all read text through here."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from facts import lexicon
from facts.aliases import AliasIndex
from facts.text import stem, words

MAX_PHRASE = 4
_NORMALISATION_RULES = 2  # bump when the reading code changes what terms a text gets


def _index_version() -> str:
    """Fingerprint of everything that decides a text's index terms: when it differs from the one
    a database was indexed with, the store rebuilds its index on open."""
    tables = (
        _NORMALISATION_RULES,
        MAX_PHRASE,
        sorted(lexicon.SYNONYM_PHRASES.items()),
        sorted(lexicon.STOPWORDS),
        sorted(lexicon.METONYMS.items()),
        sorted(lexicon.PLACE_PREPOSITIONS),
    )
    return hashlib.sha256(repr(tables).encode()).hexdigest()[:16]


INDEX_VERSION = _index_version()


@dataclass(frozen=True)
class Unit:
    """One concept of a text: a stem, a synonym group or an entity key, with its word span."""

    concept: str
    start: int
    end: int
    is_entity: bool = False


@dataclass(frozen=True)
class Reading:
    """A text's folded words, their stems (entity keys kept whole) and its concept units."""

    tokens: list[str]
    raw: list[str]
    units: list[Unit]


# The longest synonym phrase (at most MAX_PHRASE words) starting with each word: most words start
# none, and are then looked up no further.
_LONGEST_PHRASE: dict[str, int] = {}
for _phrase in lexicon.SYNONYM_PHRASES:
    if _phrase and len(_phrase) <= MAX_PHRASE:
        _LONGEST_PHRASE[_phrase[0]] = max(_LONGEST_PHRASE.get(_phrase[0], 0), len(_phrase))


def read(text: str, aliases: AliasIndex) -> Reading:
    """Words -> aliases -> stems -> synonym groups."""
    items = aliases.canonicalize(words(text))
    tokens = [tok for tok, _ in items]
    raw = [tok if is_entity else stem(tok) for tok, is_entity in items]
    return Reading(tokens, raw, _collapse_synonyms(items, raw))


def _collapse_synonyms(items: list[tuple[str, bool]], raw: list[str]) -> list[Unit]:
    """Entity keys stay whole; a capital with no preposition before it stands for its government;
    the longest synonym phrase at each position becomes its group's head."""
    units: list[Unit] = []
    i = 0
    while i < len(raw):
        if items[i][1]:
            units.append(Unit(raw[i], i, i + 1, is_entity=True))
            i += 1
            continue
        metonym = lexicon.METONYMS.get(raw[i])
        if metonym and (i == 0 or items[i - 1][0] not in lexicon.PLACE_PREPOSITIONS):
            units.append(Unit(metonym, i, i + 1, is_entity=metonym in lexicon.METONYM_ENTITIES))
            i += 1
            continue
        for size in range(min(_LONGEST_PHRASE.get(raw[i], 0), len(raw) - i), 0, -1):
            head = lexicon.SYNONYM_PHRASES.get(tuple(raw[i : i + size]))
            if head is not None:
                units.append(Unit(head, i, i + size))
                i += size
                break
        else:
            units.append(Unit(raw[i], i, i + 1))
            i += 1
    return units


def index_terms(text: str, aliases: AliasIndex) -> list[str]:
    """Distinct content concepts of `text`, in first-seen order: what the index stores."""
    terms: dict[str, None] = {}
    for unit in read(text, aliases).units:
        if unit.is_entity or unit.concept not in lexicon.STOPWORDS:
            terms[unit.concept] = None
    return list(terms)


def index_string(text: str, aliases: AliasIndex) -> str:
    """What the full-text index stores for `text`: its `index_terms`, space-separated."""
    return " ".join(index_terms(text, aliases))
