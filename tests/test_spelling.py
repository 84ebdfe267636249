"""Typos in claims read as the words meant, names left alone: a table of made-up words, then the
whole check on a store whose facts the misspelt claims paraphrase."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.service import Factbot
from facts.spelling import corrected, correction, name_variants

EVAL = Path(__file__).resolve().parent.parent / "eval"


@pytest.mark.parametrize(
    ("word", "meant"),
    [
        ("civiliasn", "civilian"),  # transposed letters: one edit; the commoner word of two
        ("reportod", "reported"),  # one letter replaced
        ("fighterrs", "fighters"),  # one letter doubled
        ("norhern", "northern"),  # one letter dropped
        ("otehrs", "others"),
        ("civilians", None),  # an English word
        ("kuweires", None),  # a name: no English word one edit away
        ("zounbayh", None),
        ("nubl", None),  # too short to tell from a name
        ("wounded", None),
        ("kilometres", None),  # British spellings are English
        ("xvqzrt", None),
        ("rpoerted", None),  # two edits: too far to be sure
    ],
)
def test_correction(word, meant):
    assert correction(word) == meant


@pytest.mark.parametrize(
    ("text", "known", "expected"),
    [
        ("6 civiliasn died", set(), "6 civilian died"),
        ("Moveement fighters", set(), "Moveement fighters"),  # capitalised: read as a name
        ("the suwayda road", {"suwayda"}, "the suwayda road"),  # no English word near anyway
        ("the kataeb road", {"kataeb"}, "the kataeb road"),  # the store's own name is kept
        ("the kataeb road", set(), "the kataeb road"),
        ("troops in haama", {"haama"}, "troops in haama"),
        ("the comsander said", set(), "the commander said"),
        ("al-Atarib", set(), "al-Atarib"),
        ("on Thusrday, 8 Aril", set(), "on Thursday, 8 April"),  # calendar words despite capitals
        ("on 8 Apirl 2024", set(), "on 8 April 2024"),
        ("in Marhc", set(), "in March"),
        ("Mya", set(), "Mya"),  # too short
        ("Mars", set(), "Mars"),  # an English word
    ],
)
def test_corrected_text(text, known, expected):
    assert corrected(text, store_knows=lambda word: word.lower() in known) == expected


def test_a_name_the_store_holds_is_never_corrected(factbot: Factbot):
    """ "salvage" is English, "salvae" is one edit from "salvage": a store holding "salvae" as a
    name keeps it."""
    assert correction("salvae") == "salvage"
    assert not factbot.checker._store_knows("salvae")
    assert factbot.checker._store_knows("Aleppo") and factbot.checker._store_knows("tahrir")


def _with_typo(claim: str) -> str | None:
    """The claim with two inner letters of its longest lower-case word swapped, if it has one."""
    plain = [w for w in claim.split() if w.isalpha() and w.islower() and len(w) >= 6]
    if not plain:
        return None
    word = max(plain, key=len)
    middle = len(word) // 2
    typo = word[: middle - 1] + word[middle] + word[middle - 1] + word[middle + 1 :]
    return None if typo == word else claim.replace(word, typo, 1)


def test_a_typo_leaves_every_dev_claims_answer_as_it_was(factbot: Factbot):
    rows = [json.loads(line) for line in (EVAL / "dev_claims.jsonl").read_text().splitlines()]
    typed = [(row["claim"], _with_typo(row["claim"])) for row in rows]
    typed = [(clean, typo) for clean, typo in typed if typo is not None]
    assert len(typed) >= 30
    for clean, typo in typed:
        want, got = factbot.check(clean), factbot.check(typo)
        assert (got.verdict, _cited(got)) == (want.verdict, _cited(want)), typo


def _cited(reply) -> list[int]:
    return [c.fact_id for c in reply.citations]


@pytest.mark.parametrize(
    ("name", "others", "expected"),
    [
        ("kweires", {"kuweires"}, True),  # transliterations of one name
        ("reisbifel", {"raysbifel"}, True),
        ("zunbayh", {"hama", "zounbayh"}, True),
        ("hayyat", {"hayat"}, True),
        ("iraq", {"iran"}, False),  # English knows both: two countries
        ("turkmen", {"turkey"}, False),
        ("deir", {"dair"}, False),  # too short a sound key to tell
        ("dhirdikfun", {"dirshimfeel"}, False),  # another person
        ("retak", {"retook"}, True),  # why only names are compared this way: stems would meet
    ],
)
def test_name_variants(name, others, expected):
    assert name_variants(name, frozenset(others)) is expected
