"""General English news vocabulary the checker reasons with, loaded from `lexicon.toml`.

The words live in data (`facts/lexicon.toml`); this module only turns them into lookup tables
keyed by *stems* (see `facts.text.stem`), so inflections meet: "seized", "seizing" and "seizes" all
look up "seiz". Every table is closed: a word not listed means nothing special.
"""

from __future__ import annotations

import math
import tomllib
from pathlib import Path
from typing import Any

from facts.text import stem, stems, words

LEXICON_FILE = Path(__file__).with_name("lexicon.toml")
INF = math.inf


def _load(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


_DATA = _load(LEXICON_FILE)


def _phrase_key(phrase: str) -> tuple[str, ...]:
    return tuple(stems(phrase))


def _words(value: str | list[str]) -> list[str]:
    return value.split() if isinstance(value, str) else list(value)


# Words that carry no claim content of their own.
STOPWORDS = frozenset(stems(_DATA["stopwords"])) - {stem("no"), stem("not")}

# Phrases meaning the same thing in news copy; each group collapses to its first member's stem.
SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = tuple(tuple(group) for group in _DATA["synonyms"])
SYNONYM_PHRASES: dict[tuple[str, ...], str] = {}
for _group in SYNONYM_GROUPS:
    _head = "_".join(_phrase_key(_group[0]))
    for _member in _group:
        SYNONYM_PHRASES.setdefault(_phrase_key(_member), _head)

# Capitals that stand for their governments unless a preposition makes them places.
METONYMS: dict[str, str] = dict(_DATA["metonyms"])
METONYM_ENTITIES = frozenset(v for v in METONYMS.values() if v != "govern")
PLACE_PREPOSITIONS = frozenset(
    "in at to from near of with into toward towards around outside between via on across through".split()
)

_NEGATION = _DATA["negation"]
NEGATION_CUES = frozenset(stem(w) for w in _NEGATION["cues"])
NEGATION_PHRASES = tuple(_phrase_key(p) for p in _NEGATION["phrases"])
# Words skipped when looking for what a negation applies to ("no sign of a significant pushback").
AUXILIARIES = frozenset(stems(_NEGATION["skipped"]))

# Axes of meaning with opposite ends: a claim at one end and a source at the other disagree.
POLARITY_AXES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    axis: (tuple(ends["plus"]), tuple(ends["minus"])) for axis, ends in _DATA["axes"].items()
}
POLARITY_PHRASES: dict[tuple[str, ...], tuple[str, int]] = {}
for _axis, (_plus, _minus) in POLARITY_AXES.items():
    for _sign, _cues in ((1, _plus), (-1, _minus)):
        for _cue in _cues:
            POLARITY_PHRASES[_phrase_key(_cue)] = (_axis, _sign)

NUMBER_WORDS = {stem(word): value for word, value in _DATA["numbers"].items()}
SCALE_WORDS = {stem(word): value for word, value in _DATA["scales"].items()}
# Vague quantities as the ranges a careful reader gives them.
VAGUE_QUANTITIES: dict[tuple[str, ...], tuple[float, float]] = {
    _phrase_key(phrase): (float(low), float(high))
    for phrase, (low, high) in _DATA["vague_quantities"].items()
}
# Qualifier phrases and how they turn a value v into a range.
QUALIFIERS: dict[tuple[str, ...], str] = {
    _phrase_key(phrase): kind for kind, phrases in _DATA["qualifiers"].items() for phrase in phrases
}

WEEKDAYS = {
    stem(d): i
    for i, d in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
}
MONTHS = {
    stem(m): i + 1
    for i, m in enumerate(
        ("january february march april may june july august september october november december").split()
    )
}

# Compass words and the directions they stand for.
DIRECTIONS: dict[tuple[str, ...], frozenset[str]] = {
    _phrase_key(word): frozenset(dirs) for word, dirs in _DATA["directions"].items()
}
for _a, _b in (("north", "west"), ("north", "east"), ("south", "west"), ("south", "east")):
    for _sa in (_a, _a + "ern"):
        for _sb in (_b, _b + "ern"):
            DIRECTIONS[_phrase_key(f"{_sa} {_sb}")] = frozenset(_a[0] + _b[0])

# After a compass word, these make it the political West or East ("Western governments").
NOT_COMPASS_AFTER = frozenset(stems(_DATA["not_compass_after"]))

# Words that say whose side counted people are on, not what they are ("regime soldiers").
COUNT_MODIFIERS = frozenset(_DATA["counting"]["side_words"])
SPEECH_VERBS = frozenset(stems(_DATA["speech"]["verbs"]))

# Superlatives and ordinals: (scale, position), 1 the top, -1 the bottom ("weakest").
RANK_PHRASES: dict[tuple[str, ...], tuple[str, int]] = {
    _phrase_key(phrase): (scale, 1 if end == "top" else -1)
    for scale, ends in _DATA["ranks"].items()
    for end, phrases in ends.items()
    for phrase in phrases
}
# Scales a claim states as a value a supporting fact must confirm ("the biggest"); on the others
# ("first", "last") a rank is also plain content ("the first day") and can only conflict.
VALUE_RANK_SCALES = frozenset(_DATA["rank_scales_stated"])
ORDINALS = {stem(word): position for word, position in _DATA["ordinals"].items()}


def _concept(word: str) -> str:
    """The concept a single word reads as: its synonym group's head, else its stem."""
    return SYNONYM_PHRASES.get(_phrase_key(word), stem(word))


# Which side of the conflict a concept names ("govern" -> "government"), and the other side's.
SIDE_OF: dict[str, str] = {_concept(w): side for side, words in _DATA["sides"].items() for w in words}
# Named actors' entity keys ("Bashar al-Assad" -> "basharalassad"): they show which side a text
# speaks of, but are never swapped for a side word.
SIDE_OF_NAMES: dict[str, str] = {
    "".join(words(name)): side for side, names in _DATA["side_names"].items() for name in names
}
OPPOSING_SIDES: dict[str, frozenset[str]] = {
    concept: frozenset(c for c, s in SIDE_OF.items() if s != side) for concept, side in SIDE_OF.items()
}
