"""Text normalisation shared by indexing, retrieval and verification.

Everything that compares words goes through `fold` (Unicode, case, quote marks, diacritics) and
`stem` (Snowball English, British spellings folded into American ones), so "Mobilising" and
"mobilized" meet as the same stem.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

_QUOTE_MARKS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "\u2032": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
    }
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_WORD = re.compile(r"\d+(?:,\d{3})+(?![0-9])|[a-z0-9]+")
_INNER_APOSTROPHE = re.compile(r"(?<=[a-z])'(?=[a-z])")
_POSSESSIVE = re.compile(r"(?<=[a-z])'s?\b")
_BRITISH = ((re.compile(r"is(e|ed|es|ing|ation|ations)$"), r"iz\1"), (re.compile(r"our$"), "or"))
_stemmer = snowballstemmer.stemmer("english")


def unify_marks(text: str) -> str:
    """Curly quotes, dashes and control characters replaced by plain ASCII forms."""
    return _CONTROL.sub(" ", text.translate(_QUOTE_MARKS))


def fold(text: str) -> str:
    """Lower-cased, diacritic-free text with plain quote marks: 'Hayʼat Ṭaḥrīr' -> "hay'at tahrir"."""
    plain = unify_marks(text)
    if plain.isascii():
        return plain.lower()
    decomposed = unicodedata.normalize("NFKD", plain)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


def words(text: str) -> list[str]:
    """Folded word tokens: possessives dropped, inner apostrophes closed ("Hay'et's" -> "hayet")."""
    cleaned = _INNER_APOSTROPHE.sub("", _POSSESSIVE.sub("", fold(text)))
    return [w.replace(",", "") for w in _WORD.findall(cleaned)]


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball stem of a folded word, British -ise/-our spellings first made American."""
    for pattern, replacement in _BRITISH:
        if len(word) > 5:
            word = pattern.sub(replacement, word)
    return str(_stemmer.stemWord(word))


def stems(text: str) -> list[str]:
    """`stem` of every word of `text`, in order."""
    return [stem(w) for w in words(text)]


def squash_spaces(text: str) -> str:
    """Runs of white space folded into one space, ends trimmed."""
    return " ".join(text.split())
