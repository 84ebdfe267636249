"""Numbers in words, decimal and percent tokens, units of measure and comparing amounts."""

from __future__ import annotations

import subprocess
import sys

import pytest

from facts import numbers
from facts.numbers import (
    CONVERSION_TOLERANCE,
    QuantityMatch,
    same_quantity,
    spell_numbers,
    spelled_spans,
    unit_at,
    unit_named,
    unit_names,
)
from facts.text import words


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("2.5", ["2.5"]),
        ("30%", ["30", "percent"]),
        ("30 %", ["30", "percent"]),
        ("1,200", ["1200"]),
        ("1,200.50", ["1200.50"]),
        ("12,000,000 people", ["12000000", "people"]),
        ("rose 2.5.", ["rose", "2.5"]),
        ("in 2024.", ["in", "2024"]),
        ("27.11.2024", ["27", "11", "2024"]),
        ("version 3.5.1", ["version", "3", "5", "1"]),
        ("a 10km road", ["a", "10", "km", "road"]),
        ("1.2bn", ["1.2", "bn"]),
        ("400 km²", ["400", "km2"]),
        ("40°C", ["40", "degrees", "c"]),
        ("the 29th", ["the", "29th"]),
        ("the 1990s", ["the", "1990s"]),
        ("Syria's 2.5% share", ["syria", "2.5", "percent", "share"]),
        ("1,2345", ["1", "2345"]),
    ],
)
def test_words_keeps_decimals_and_reads_signs(text: str, tokens: list[str]) -> None:
    assert words(text) == tokens


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("forty-five villages", "45 villages"),
        ("Forty-five villages", "45 villages"),
        ("two million people", "2000000 people"),
        ("3.5 million people", "3500000 people"),
        ("1.2bn dollars", "1200000000 dollars"),
        ("1.2 billion dollars", "1200000000 dollars"),
        ("a 2-billion deal", "a 2000000000 deal"),
        ("1,200 million", "1200000000"),
        ("$5m and £50k", "$5000000 and £50000"),
        ("half a million refugees", "500000 refugees"),
        ("two and a half million", "2500000"),
        ("a hundred and fifty fighters", "150 fighters"),
        ("one hundred and twenty-five", "125"),
        ("eleven soldiers", "11 soldiers"),
        ("between twenty and thirty", "between 20 and 30"),
        ("on the twenty-ninth", "on the 29th"),
        ("a twenty-one-year-old", "a 21-year-old"),
        ('he said "forty-five", not sixty', 'he said "45", not 60'),
        # not read: small isolated words, idioms, names, vague scales, digits already
        ("one of them", "one of them"),
        ("six or seven", "six or seven"),
        ("two thirds", "two thirds"),
        ("one-third of", "one-third of"),
        ("the first day", "the first day"),
        ("the third day", "the third day"),
        ("no one came", "no one came"),
        ("someone", "someone"),
        ("World War Two", "World War Two"),
        ("Ocean's Eleven", "Ocean's Eleven"),
        ("hundreds of people", "hundreds of people"),
        ("thousands fled", "thousands fled"),
        ("several million", "several million"),
        ("in nineteen ninety", "in nineteen ninety"),
        ("Route 5", "Route 5"),
        ("a 100m stretch", "a 100m stretch"),
        ("1,200 people", "1,200 people"),
        ("", ""),
    ],
)
def test_spell_numbers(text: str, expected: str) -> None:
    assert spell_numbers(text) == expected


def test_spell_numbers_leaves_untouched_text_byte_for_byte() -> None:
    text = "  Lavrov:\t'we urge'  -- forty-five\n\nvillages (one of them)  "
    assert spell_numbers(text) == text.replace("forty-five", "45")


@pytest.mark.parametrize(
    ("text", "phrases"),
    [
        (
            "took forty-five villages and 3.5 million people",
            [("forty-five", "45"), ("3.5 million", "3500000")],
        ),
        ("about a hundred", [("a hundred", "100")]),
        ("none here", []),
    ],
)
def test_spelled_spans_point_into_the_text(text: str, phrases: list[tuple[str, str]]) -> None:
    assert [(text[s.start : s.end], s.digits) for s in spelled_spans(text)] == phrases


@pytest.mark.parametrize(
    ("text", "i", "name", "end"),
    [
        ("400 km of road", 1, "kilometre", 2),
        ("400 kilometres", 1, "kilometre", 2),
        ("400 square kilometers", 1, "square kilometre", 3),
        ("400 sq km", 1, "square kilometre", 3),
        ("400 sq. km", 1, "square kilometre", 3),
        ("400 km2", 1, "square kilometre", 2),
        ("400 km²", 1, "square kilometre", 2),
        ("10 miles", 1, "mile", 2),
        ("10 mi", 1, "mile", 2),
        ("100 metres", 1, "metre", 2),
        ("a 100m stretch", 2, "metre", 3),
        ("180 cm", 1, "centimetre", 2),
        ("6 feet tall", 1, "foot", 2),
        ("6 ft", 1, "foot", 2),
        ("12 inches", 1, "inch", 2),
        ("5 kg", 1, "kilogram", 2),
        ("5 tonnes", 1, "tonne", 2),
        ("5 tons", 1, "tonne", 2),
        ("200 lbs", 1, "pound", 2),
        ("30 percent", 1, "percent", 2),
        ("30 per cent", 1, "percent", 3),
        ("30%", 1, "percent", 2),
        ("3 percentage points", 1, "percentage point", 3),
        ("40 degrees celsius", 1, "degree celsius", 3),
        ("40°C", 1, "degree celsius", 3),
        ("40 celsius", 1, "degree celsius", 2),
        ("104 fahrenheit", 1, "degree fahrenheit", 2),
        ("50 hectares", 1, "hectare", 2),
        ("50 acres", 1, "acre", 2),
        ("20 litres", 1, "litre", 2),
        ("20 gallons", 1, "gallon", 2),
        ("48 hours", 1, "hour", 2),
        ("3 days", 1, "day", 2),
        ("13 years", 1, "year", 2),
        ("60 mph", 1, "mile per hour", 2),
        ("100 km/h", 1, "kilometre per hour", 3),
        ("5 dollars", 1, "US dollar", 2),
        ("5 usd", 1, "US dollar", 2),
        ("5 euros", 1, "euro", 2),
        ("5 pounds sterling", 1, "pound sterling", 3),
        ("5,000 Syrian pounds", 1, "Syrian pound", 3),
    ],
)
def test_unit_at_reads_a_unit(text: str, i: int, name: str, end: int) -> None:
    reading = unit_at(words(text), i)
    assert reading is not None and (reading.name, reading.end) == (name, end)


@pytest.mark.parametrize(
    ("text", "i"),
    [
        ("32 villages", 1),
        ("5 pounds", 1),  # mass or sterling: not read
        ("40 degrees", 1),  # temperature or angle, which scale: not read
        ("5 in the morning", 1),  # "in" is no inch
        ("5g network", 1),
        ("grade c", 1),
        ("square one", 0),
        ("5 km", 2),  # past the end
    ],
)
def test_unit_at_reads_nothing(text: str, i: int) -> None:
    assert unit_at(words(text), i) is None


@pytest.mark.parametrize(
    ("name", "value", "base"),
    [
        ("mile", 1, 1609.344),
        ("kilometre", 2.5, 2500.0),
        ("square kilometre", 1, 1e6),
        ("hectare", 100, 1e6),
        ("foot", 1, 0.3048),
        ("tonne", 1, 1000.0),
        ("percent", 30, 0.3),
        ("degree celsius", 0, 273.15),
        ("degree fahrenheit", 212, 373.15),
        ("day", 1, 86400.0),
        ("US dollar", 5, 5.0),
    ],
)
def test_to_base(name: str, value: float, base: float) -> None:
    unit = unit_named(name)
    assert unit is not None and unit.to_base(value) == pytest.approx(base)


def test_the_factors_file_is_pints_conversions() -> None:
    # pint_conversions checks each hand-written dimension against pint's as it builds the table
    assert numbers.FACTORS.read_text(encoding="utf-8") == numbers.factors_file()
    assert numbers._conversions() == numbers.pint_conversions()


def test_every_unit_converts_and_has_pints_dimension() -> None:
    for name in unit_names():
        unit = unit_named(name)
        assert unit is not None and unit.to_base(1.0) > 0, name


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("10 miles", "16 km", QuantityMatch.AGREE),  # converted and rounded
        ("100 km", "62 miles", QuantityMatch.AGREE),
        ("6 feet", "183 cm", QuantityMatch.AGREE),
        ("154 square miles", "400 sq km", QuantityMatch.AGREE),
        ("100 hectares", "1 km2", QuantityMatch.AGREE),
        ("30%", "30 per cent", QuantityMatch.AGREE),
        ("40°C", "104 degrees fahrenheit", QuantityMatch.AGREE),
        ("7 days", "1 week", QuantityMatch.AGREE),
        ("60 mph", "97 km/h", QuantityMatch.AGREE),
        ("10 miles", "10 miles", QuantityMatch.AGREE),
        ("10 miles", "20 km", QuantityMatch.CONFLICT),
        ("10 miles", "10 km", QuantityMatch.CONFLICT),
        ("10 miles", "10.5 miles", QuantityMatch.CONFLICT),  # same unit: nothing was rounded
        ("400 km", "400 sq km", QuantityMatch.NOT_COMPARABLE),
        ("5 kg", "5 km", QuantityMatch.NOT_COMPARABLE),
        ("5 dollars", "5 euros", QuantityMatch.NOT_COMPARABLE),
        ("30 percent", "3 percentage points", QuantityMatch.NOT_COMPARABLE),
        ("40 celsius", "100 fahrenheit", QuantityMatch.CONFLICT),
    ],
)
def test_same_quantity(a: str, b: str, expected: QuantityMatch) -> None:
    a_tokens, b_tokens = words(a), words(b)
    result = same_quantity(float(a_tokens[0]), unit_at(a_tokens, 1), float(b_tokens[0]), unit_at(b_tokens, 1))
    assert result is expected


def test_same_quantity_without_a_unit_is_not_comparable() -> None:
    assert same_quantity(5, None, 5, unit_named("mile")) is QuantityMatch.NOT_COMPARABLE


def test_same_quantity_takes_an_explicit_tolerance() -> None:
    km = unit_named("kilometre")
    assert same_quantity(100, km, 104, km) is QuantityMatch.CONFLICT
    assert same_quantity(100, km, 104, km, tolerance=CONVERSION_TOLERANCE) is QuantityMatch.AGREE


def test_conversions_never_import_pint() -> None:
    script = (
        "import sys, facts.numbers as n\n"
        "n.spell_numbers('forty-five'); km = n.unit_at(['km'], 0)\n"
        "assert km.to_base(1.0) == 1000.0\n"
        "assert 'pint' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
