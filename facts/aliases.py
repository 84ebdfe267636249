"""Canonical names and their spellings: "Hay'et Tahrir al-Sham", "Hayat Tahrir al-Sham" and "HTS"
all become one entity key before anything is indexed or compared."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from facts.text import words

MAX_ALIAS_WORDS = 7


def entity_key(canonical: str) -> str:
    """The single index token standing for an entity: "Hayat Tahrir al-Sham" -> "hayattahriralsham"."""
    return "".join(words(canonical))


@dataclass
class AliasIndex:
    """Greedy longest-match replacement of alias word runs by their entity key."""

    _by_words: dict[tuple[str, ...], str] = field(default_factory=dict)
    _names: dict[str, str] = field(default_factory=dict)
    _longest: dict[str, int] = field(default_factory=dict)  # first word -> longest alias run

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]]) -> AliasIndex:
        """Build from (alias, canonical) pairs; every canonical name is its own alias too."""
        index = cls()
        for alias, canonical in pairs:
            index.add(alias, canonical)
        return index

    def add(self, alias: str, canonical: str) -> None:
        key = entity_key(canonical)
        self._names.setdefault(key, canonical)
        for spelling in (canonical, alias):
            run = tuple(words(spelling))
            if run and len(run) <= MAX_ALIAS_WORDS:
                self._by_words[run] = key
                self._longest[run[0]] = max(self._longest.get(run[0], 0), len(run))

    def name_of(self, key: str) -> str | None:
        """The canonical display name of an entity key, if it is one."""
        return self._names.get(key)

    def spells_with(self, word: str) -> bool:
        """Whether some alias or canonical name holds this word ("atarib" in "al-Atarib")."""
        return any(word in run for run in self._by_words)

    def is_entity(self, key: str) -> bool:
        return key in self._names

    def entity_with_word(self, word: str) -> str | None:
        """The one entity whose canonical name holds this word ("shaheen" -> Shaheen Brigades),
        None when no name or several do: a short mention of a long name."""
        keys = {key for key, name in self._names.items() if word in words(name)}
        return keys.pop() if len(keys) == 1 else None

    def canonicalize(self, tokens: Sequence[str]) -> list[tuple[str, bool]]:
        """Each token or alias run as (token, is_entity_key), runs replaced by their key."""
        out: list[tuple[str, bool]] = []
        i = 0
        while i < len(tokens):
            for size in range(min(self._longest.get(tokens[i], 0), len(tokens) - i), 0, -1):
                key = self._by_words.get(tuple(tokens[i : i + size]))
                if key is not None:
                    out.append((key, True))
                    i += size
                    break
            else:
                out.append((tokens[i], False))
                i += 1
        return out
