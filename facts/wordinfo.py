"""How much a word says in general English, from wordfreq's frequency lists (shipped with the
package, nothing downloaded): "happened" little, "helicopter" more, "Kuweires" most.

    >>> informativeness("happened") < informativeness("helicopter") <= 1.0
    True
"""

from __future__ import annotations

from functools import lru_cache

from wordfreq import freq_to_zipf, get_frequency_dict, zipf_frequency, zipf_to_freq

from facts.tuning import INFORMATIVENESS_FLOOR, UNKNOWN_WORD_MIN_LENGTH, ZIPF_COMMON, ZIPF_RARE

_LANGUAGE, _WORDLIST = "en", "best"
# What zipf_frequency gives a word its list lacks (its minimum frequency on the Zipf scale).
_UNSEEN_ZIPF = round(freq_to_zipf(zipf_to_freq(0.0)), 2)


@lru_cache(maxsize=100_000)
def informativeness(word: str) -> float:
    """1.0 for rare or unknown words, falling linearly to INFORMATIVENESS_FLOOR for common ones."""
    zipf = _zipf(word)
    if zipf <= ZIPF_RARE:
        return 1.0
    if zipf >= ZIPF_COMMON:
        return INFORMATIVENESS_FLOOR
    share = (zipf - ZIPF_RARE) / (ZIPF_COMMON - ZIPF_RARE)
    return 1.0 - share * (1.0 - INFORMATIVENESS_FLOOR)


def is_unknown_word(word: str) -> bool:
    """Not an English word at all (wordfreq has never seen it): a name, in a claim typed in lower
    case ("kataib", "kuweires") as much as in one with capitals."""
    return len(word) >= UNKNOWN_WORD_MIN_LENGTH and word.isalpha() and _zipf(word) == 0


def zipf(word: str) -> float:
    """How common the word is in general English, on wordfreq's Zipf scale (0 = never seen)."""
    return _zipf(word)


@lru_cache(maxsize=100_000)
def _zipf(word: str) -> float:
    """wordfreq's Zipf frequency of `word`. A plain lower-case word its list lacks (most names)
    is answered by one lookup: wordfreq would read it as one token, find nothing and give its
    minimum; its tokenizer is the cost of every new name's first sight."""
    if word.isascii() and word.isalpha() and word.islower() and word not in _frequencies():
        return _UNSEEN_ZIPF
    return zipf_frequency(word, _LANGUAGE, wordlist=_WORDLIST)


def _frequencies() -> dict[str, float]:
    # The very dict zipf_frequency reads (get_frequency_dict is cached by its arguments, given
    # positionally as wordfreq gives them): no second copy of the list.
    return get_frequency_dict(_LANGUAGE, _WORDLIST)
