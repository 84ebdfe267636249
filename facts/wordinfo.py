"""How much a word says in general English, from wordfreq's frequency lists (shipped with the
package, nothing downloaded): "happened" little, "helicopter" more, "Kuweires" most.

    >>> informativeness("happened") < informativeness("helicopter") <= 1.0
    True
"""

from __future__ import annotations

from functools import lru_cache

from wordfreq import zipf_frequency

from facts.tuning import INFORMATIVENESS_FLOOR, UNKNOWN_WORD_MIN_LENGTH, ZIPF_COMMON, ZIPF_RARE


@lru_cache(maxsize=100_000)
def informativeness(word: str) -> float:
    """1.0 for rare or unknown words, falling linearly to INFORMATIVENESS_FLOOR for common ones."""
    zipf = zipf_frequency(word, "en", wordlist="best")
    if zipf <= ZIPF_RARE:
        return 1.0
    if zipf >= ZIPF_COMMON:
        return INFORMATIVENESS_FLOOR
    share = (zipf - ZIPF_RARE) / (ZIPF_COMMON - ZIPF_RARE)
    return 1.0 - share * (1.0 - INFORMATIVENESS_FLOOR)


def is_unknown_word(word: str) -> bool:
    """Not an English word at all (wordfreq has never seen it): a name, in a claim typed in lower
    case ("kataib", "kuweires") as much as in one with capitals."""
    return (
        len(word) >= UNKNOWN_WORD_MIN_LENGTH
        and word.isalpha()
        and zipf_frequency(word, "en", wordlist="best") == 0
    )
