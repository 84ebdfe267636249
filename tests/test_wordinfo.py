"""The compact word table (facts/wordinfo.py) answers exactly as wordfreq does."""

from __future__ import annotations

import gzip

import pytest
from wordfreq import zipf_frequency

from facts import wordinfo


def test_the_table_file_is_what_the_pinned_wordfreq_gives() -> None:
    assert gzip.decompress(wordinfo.build_table()) == gzip.decompress(wordinfo.TABLE.read_bytes())


@pytest.mark.parametrize(
    "word",
    ["the", "happened", "helicopter", "aleppo", "kuweires", "zzzqx", "a", "29th", "2nd", "1990s", "2.5",
     "it's", "hayat", "ḥaḍar", "سوريا", "Aleppo", "HTS"],
)  # fmt: skip
def test_zipf_is_wordfreqs(word: str) -> None:
    wordinfo._zipf.cache_clear()
    assert wordinfo._zipf(word) == zipf_frequency(word, "en", wordlist="best")


def test_rare_and_unknown_words() -> None:
    assert wordinfo.informativeness("happened") < wordinfo.informativeness("helicopter") <= 1.0
    assert wordinfo.informativeness("kuweires") == 1.0
    assert wordinfo.is_unknown_word("kuweires") and not wordinfo.is_unknown_word("helicopter")
