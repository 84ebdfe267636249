"""How much a word says in general English, from wordfreq's frequency lists (shipped with the
package, nothing downloaded): "happened" little, "helicopter" more, "Kuweires" most.

    >>> informativeness("happened") < informativeness("helicopter") <= 1.0
    True

Nearly every word asked about is a plain lower-case ASCII word. Their Zipf frequencies are read
from `wordfreq_en.txt.gz`, a compact table made from wordfreq's own answers (`build_table`; a test
keeps it equal to the pinned wordfreq): about 3 MB in memory, where wordfreq's word list as a
dict takes some 45 MB with its imports. Any other word (digits, other scripts) is asked of wordfreq.
"""

from __future__ import annotations

import gzip
import sys
from array import array
from bisect import bisect_left
from functools import lru_cache
from pathlib import Path

from facts.tuning import INFORMATIVENESS_FLOOR, UNKNOWN_WORD_MIN_LENGTH, ZIPF_COMMON, ZIPF_RARE

_LANGUAGE, _WORDLIST = "en", "best"
TABLE = Path(__file__).with_name("wordfreq_en.txt.gz")
# What zipf_frequency gives a word its list lacks (its minimum frequency on the Zipf scale).
_UNSEEN_ZIPF = 0.0


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
    """wordfreq's Zipf frequency of `word`: from the table for a plain lower-case word (one the
    list lacks, most names, gets the minimum), else from wordfreq itself."""
    if _is_plain(word):
        return _table().get(word, _UNSEEN_ZIPF)
    from wordfreq import zipf_frequency  # its list and tokenizer load only for such a word

    return zipf_frequency(word, _LANGUAGE, wordlist=_WORDLIST)


def warm() -> None:
    """Load the word table now (it loads on the first word asked about otherwise)."""
    _table()


def common_words(minimum_zipf: float) -> list[str]:
    """The table's words at least this common, the commonest first (ties in alphabetical order)."""
    found = [
        (words.zipfs[i], words[i])
        for words in _table().by_length.values()
        for i in range(len(words))
        if words.zipfs[i] >= minimum_zipf * 100
    ]
    return [word for _, word in sorted(found, key=lambda pair: (-pair[0], pair[1]))]


def _is_plain(word: str) -> bool:
    return word.isascii() and word.isalpha() and word.islower()


class _Words:
    """The table's words of one length, sorted and run together, with their Zipf values in
    hundredths: a binary search finds a word without a Python object per word."""

    def __init__(self, length: int, run: str, zipfs: array[int]):
        self.length, self.run, self.zipfs = length, run, zipfs

    def __len__(self) -> int:
        return len(self.zipfs)

    def __getitem__(self, i: int) -> str:
        return self.run[i * self.length : (i + 1) * self.length]

    def zipf(self, word: str) -> float | None:
        i = bisect_left(self, word)
        return self.zipfs[i] / 100 if i < len(self) and self[i] == word else None


class _Table:
    def __init__(self, by_length: dict[int, _Words]):
        self.by_length = by_length

    def get(self, word: str, default: float) -> float:
        words = self.by_length.get(len(word))
        found = words.zipf(word) if words is not None else None
        return default if found is None else found


@lru_cache(maxsize=1)
def _table() -> _Table:
    """The table file: a line per word length, `length<TAB>the words run together<TAB>their Zipf
    values in hundredths as big-endian 16-bit hex`."""
    by_length = {}
    for line in gzip.decompress(TABLE.read_bytes()).decode("ascii").splitlines():
        length, run, hexed = line.split("\t")
        zipfs = array("H", bytes.fromhex(hexed))
        if sys.byteorder == "little":
            zipfs.byteswap()
        by_length[int(length)] = _Words(int(length), run, zipfs)
    return _Table(by_length)


def build_table() -> bytes:
    """The table file's bytes, from wordfreq: every plain lower-case word of its list with its
    `zipf_frequency`, which hundredths hold exactly (wordfreq rounds to two decimals)."""
    from wordfreq import freq_to_zipf, get_frequency_dict, zipf_frequency, zipf_to_freq

    assert round(freq_to_zipf(zipf_to_freq(0.0)), 2) == _UNSEEN_ZIPF
    by_length: dict[int, list[tuple[str, int]]] = {}
    for word in get_frequency_dict(_LANGUAGE, _WORDLIST):
        if _is_plain(word):
            zipf = zipf_frequency(word, _LANGUAGE, wordlist=_WORDLIST)
            assert round(zipf * 100) / 100 == zipf, (word, zipf)
            by_length.setdefault(len(word), []).append((word, round(zipf * 100)))
    lines = []
    for length, entries in sorted(by_length.items()):
        entries.sort()
        hexed = b"".join(z.to_bytes(2, "big") for _, z in entries).hex()
        lines.append(f"{length}\t{''.join(w for w, _ in entries)}\t{hexed}\n")
    return gzip.compress("".join(lines).encode("ascii"), mtime=0)


if __name__ == "__main__":  # python -m facts.wordinfo: rewrite the table (after a wordfreq upgrade)
    TABLE.write_bytes(build_table())
