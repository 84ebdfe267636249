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

__all__ = ["fold", "squash_spaces", "stem", "stems", "unify_marks", "words"]

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
# A token is a number with thousands commas ("1,200", read as 1200), a decimal ("2.5"; never part
# of a dotted run like "27.11.2024" or "3.5.1"), a number glued to a unit ("10km" -> "10", "km";
# ordinals "29th" and decades "1990s" stay whole) or a run of letters and digits.
_WORD = re.compile(
    r"(?<![\d.,])\d+(?:,\d{3})+(?:\.\d+)?(?![.,]?\d)"
    r"|(?<![\d.])\d+\.\d+(?!\.?\d)"
    r"|\d+(?=[a-z])(?!(?:st|nd|rd|th|s)\b)"
    r"|[a-z0-9]+"
)
# Signs read as the words they stand for: "30%" -> "30 percent", "40°C" -> "40 degrees c".
_SIGN_WORDS = str.maketrans({"%": " percent ", "\u00b0": " degrees "})
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
    """Folded word tokens: possessives dropped, inner apostrophes closed ("Hay'et's" -> "hayet"),
    thousands commas dropped, decimals kept whole: "Syria's 1,200 at 2.5%" -> syria 1200 at 2.5 percent."""
    cleaned = _INNER_APOSTROPHE.sub("", _POSSESSIVE.sub("", fold(text).translate(_SIGN_WORDS)))
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
