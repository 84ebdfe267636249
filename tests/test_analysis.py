"""The analyser reads values the same way from claims and from seed sentences."""

from __future__ import annotations

import math
from datetime import date

import pytest

from facts.aliases import AliasIndex
from facts.analysis import Analyzer, resolve_weekday
from facts.text import fold, stem, words


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer(
        AliasIndex.from_pairs(
            [
                ("HTS", "Hayat Tahrir al-Sham"),
                ("Hay'et Tahrir al-Sham", "Hayat Tahrir al-Sham"),
                ("Saraqib", "Saraqeb"),
                ("Peskov", "Dmitry Peskov"),
            ]
        )  # fmt: skip
    )


def test_fold_removes_diacritics_case_and_curly_quotes():
    assert fold("Ṭaḥrīr “Limited” Hay’et") == 'tahrir "limited" hay\'et'


def test_words_drop_possessives_and_keep_thousands_together():
    assert words("Syria’s 70,000 people") == ["syria", "70000", "people"]


def test_british_and_american_spellings_share_a_stem():
    assert stem("mobilising") == stem("mobilizing")


def test_aliases_become_one_entity(analyzer):
    one = analyzer.analyze("Hay'et Tahrir al-Sham fighters took Saraqib")
    other = analyzer.analyze("HTS fighters took Saraqeb")
    assert one.entities == other.entities == {"hayattahriralsham", "saraqeb"}


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("capturing 32 villages", 32, 32),
        ("about 20 villages", 16, 24),
        ("at least 15 soldiers", 15, math.inf),
        ("over 70,000 people", 70000, math.inf),
        ("dozens of fighters", 24, 199),
        ("only a handful of fighters", 2, 6),
        ("just six towns", 6, 6),
    ],
)
def test_quantities_with_qualifiers_and_vague_words(analyzer, text, low, high):
    (quantity,) = analyzer.analyze(text).quantities
    assert (quantity.low, quantity.high) == (low, high)


def test_quantity_knows_what_it_counts(analyzer):
    (quantity,) = analyzer.analyze("the deaths of at least 15 Assad regime officers and soldiers").quantities
    assert stem("soldiers") in quantity.nouns


def test_years_and_calendar_dates_are_not_counts(analyzer):
    result = analyzer.analyze("The offensive began on November 27, 2024, not in 2016.")
    assert result.quantities == ()
    assert result.years == {2016, 2024}  # the year written in the date is a year too
    assert result.monthdays == {(11, 27)}


def test_weekdays_resolve_against_publication_date(analyzer):
    assert resolve_weekday(date(2024, 11, 29), "Wednesday") == date(2024, 11, 27)
    assert resolve_weekday(date(2024, 11, 29), "Friday") == date(2024, 11, 29)
    result = analyzer.analyze("launched Wednesday", reference=date(2024, 11, 30))
    assert result.monthdays == {(11, 27)}


def test_directions_including_compounds(analyzer):
    assert analyzer.analyze("north-western Syria").directions == {"n", "w"}
    assert analyzer.analyze("south of Aleppo").directions == {"s"}


def test_negation_scope_and_polarity(analyzer):
    result = analyzer.analyze("Turkey has no troops on the ground")
    assert result.negated == {"soldier"}  # "troops" reads as the soldier synonym group
    planned = analyzer.analyze("thrown together at the last minute rather than planned in advance")
    assert ("planning", -1) in planned.polarity


def test_quotes_and_speakers(analyzer):
    result = analyzer.analyze("Peskov said 'we urge Syria's authorities to reassert control'")
    assert result.quotes == ("we urge syria authorities to reassert control",)
    assert "dmitrypeskov" in result.speakers
    colon = analyzer.analyze('Resul Serdar: "That this happened in just two weeks is unbelievable."')
    assert {"resul", "serdar"} & colon.speakers


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        ('Peskov said "x"', {"dmitrypeskov"}),
        # "X of ORG said": the person speaks, the group is named too
        ('Rehdheer Dirshimfeel of Saraya Dubjeh said "x"', {"dirshimfeel", "dubjeh"}),
        ('Resul Serdar of the Kremlin said "x"', {"serdar", "russia"}),
        ('A spokesman of Hezbollah said "x"', {"hezbollah"}),  # no name before "of"
        ('Officials in Aleppo said "x"', {"aleppo"}),  # "in" is no "of"
    ],
)
def test_speakers(analyzer, text, speakers):
    assert analyzer.analyze(text).speakers == speakers
