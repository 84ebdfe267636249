"""Numbers written in words, and the units of measure that follow numbers.

Spelled numbers become digits with text2num, scales included, so both sides of a comparison read
the same figure:

    >>> spell_numbers("forty-five villages, 3.5 million people, one of them")
    '45 villages, 3500000 people, one of them'

A unit is read from `facts.text.words` tokens, and two amounts are compared in base units with
pint's conversion factors, as `pint_conversions` wrote them to `unit_factors.toml` (a test keeps
them equal to pint's; pint itself, 14 MB and half a second, is not loaded at run time):

    >>> reading = unit_at(["10", "miles"], 1)
    >>> same_quantity(10, reading, 16, unit_at(["16", "km"], 1))
    <QuantityMatch.AGREE: 'agree'>

Decisions, each a place where text is ambiguous:

- Isolated number words up to `SPELLED_KEPT_UP_TO` stay words ("one of them", "two thirds", "the
  third day"): the lexicon reads small numbers, and these words are often idioms.
- A number word written with a capital away from a sentence start is a name ("World War Two",
  "Ocean's Eleven") and stays. A lone scale word ("several million", "hundreds") stays: it is a
  vague quantity, read elsewhere; "a million" and "half a million" are numbers.
- "m" and "k" after a number are million and thousand only straight after a currency sign ("$5m");
  elsewhere "m" is the metre ("a 100m stretch").
- "pounds" alone is not read (mass or sterling?); "lb"/"lbs" are mass, "pounds sterling"/"gbp"
  currency. "tons" is read as the metric tonne, as news often uses it loosely. "gallons" are US
  gallons. "dollars" are US dollars. Bare "degrees" (temperature or angle, Celsius or Fahrenheit?)
  is not read. Durations (hours, days, weeks, months, years) are units of time.
- Currencies are each a dimension of their own ("currency:USD"): amounts in two currencies are not
  comparable, as exchange rates change.
"""

from __future__ import annotations

import enum
import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from text_to_num import alpha2digit

SPELLED_KEPT_UP_TO = 10  # text2num's threshold: isolated number words up to ten stay words

# Converted figures are usually rounded to two significant digits ("10 miles (16 km)"): half a
# unit in the second digit is at most 5% of the value, so a conversion within 5% is a rounding.
CONVERSION_TOLERANCE = 0.05
# The same unit on both sides leaves nothing to round: the figures must match.
SAME_UNIT_TOLERANCE = 1e-9
# Temperatures are compared on an absolute scale: rounding either side to a whole degree moves it
# by at most half a degree Celsius (0.28 K for Fahrenheit); a kelvin covers both.
TEMPERATURE_TOLERANCE_K = 1.0

# -- spelled numbers -------------------------------------------------------------------------------

_SCALES = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
    "bn": 1_000_000_000,
    "bln": 1_000_000_000,
    "mn": 1_000_000,
    "mln": 1_000_000,
}
_CURRENCY_SCALES = {"k": 1_000, "m": 1_000_000, "b": 1_000_000_000}
_SMALL = "one two three four five six seven eight nine ten".split()
_CARDINALS = (
    _SMALL
    + "eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
    + "twenty thirty forty fifty sixty seventy eighty ninety".split()
)
_ORDINALS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
    "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth thirtieth fortieth "
    "fiftieth sixtieth seventieth eightieth ninetieth hundredth thousandth millionth billionth"
).split()
_SCALE_WORDS = "hundred thousand million billion trillion".split()
_NUMBER_WORD = "|".join(sorted(_CARDINALS + _ORDINALS + _SCALE_WORDS, key=len, reverse=True))
# A run of number words joined by spaces, hyphens or "and": "one hundred and twenty-five".
_WORD_RUN = re.compile(
    rf"\b(?:{_NUMBER_WORD})\b(?:(?:[ \t]+and[ \t]+|[ \t]*-[ \t]*|[ \t]+)(?:{_NUMBER_WORD})\b)*",
    re.IGNORECASE,
)
_FIGURE = r"\d+(?:,\d{3})*(?:\.\d+)?"
# "3.5 million", "1.2bn", "2-billion"; "$5m", "£50k" (m, k and b only after a currency sign).
_FIGURE_SCALE = re.compile(
    rf"(?<![\w.,])(?P<figure>{_FIGURE})[ \t]*-?[ \t]*(?P<scale>{'|'.join(_SCALES)})\b"
    rf"|(?<=[$\u00a3\u20ac])(?P<money>{_FIGURE})(?P<suffix>[kmb])\b",
    re.IGNORECASE,
)
# "half a million", "two and a half million", "2 and a half billion".
_FRACTION_SCALE = re.compile(
    rf"\b(?:(?P<whole>\d+|{'|'.join(_SMALL)})[ \t]+and[ \t]+a[ \t]+half|half[ \t]+an?)"
    rf"[ \t]+(?P<scale>{'|'.join(_SCALE_WORDS)})\b",
    re.IGNORECASE,
)
_ARTICLE_BEFORE = re.compile(r"\ban?[ \t]+$", re.IGNORECASE)  # "a hundred and fifty"
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"'(\[\n]\s*)$")


@dataclass(frozen=True)
class Spelling:
    """A number phrase of a text and its digits: text[start:end] reads as `digits`."""

    start: int
    end: int
    digits: str


def spell_numbers(text: str) -> str:
    """`text` with English number words and scales written as digits; all else untouched.

    >>> spell_numbers("two million people and forty-five villages")
    '2000000 people and 45 villages'
    """
    parts: list[str] = []
    done = 0
    for spelling in spelled_spans(text):
        parts.append(text[done : spelling.start])
        parts.append(spelling.digits)
        done = spelling.end
    parts.append(text[done:])
    return "".join(parts)


def spelled_spans(text: str) -> list[Spelling]:
    """Every number phrase `spell_numbers` rewrites, in order, with its character span: what a
    caller needs to map offsets of the rewritten text back to `text`."""
    found: list[Spelling] = []
    taken: list[tuple[int, int]] = []
    for spelling in _scaled_figures(text) + _fractions(text) + _word_runs(text):
        if not any(spelling.start < end and start < spelling.end for start, end in taken):
            found.append(spelling)
            taken.append((spelling.start, spelling.end))
    return sorted(found, key=lambda s: s.start)


def _scaled_figures(text: str) -> list[Spelling]:
    found = []
    for match in _FIGURE_SCALE.finditer(text):
        if match.group("figure") is not None:
            figure, scale = match.group("figure"), _SCALES[match.group("scale").lower()]
        else:
            figure, scale = match.group("money"), _CURRENCY_SCALES[match.group("suffix").lower()]
        found.append(Spelling(match.start(), match.end(), _digits(Decimal(figure.replace(",", "")) * scale)))
    return found


def _fractions(text: str) -> list[Spelling]:
    found = []
    for match in _FRACTION_SCALE.finditer(text):
        scale = _SCALES[match.group("scale").lower()]
        whole = match.group("whole")
        if whole is None:
            value = Decimal("0.5")
        else:
            value = (_SMALL.index(whole.lower()) + 1 if whole.isalpha() else Decimal(whole)) + Decimal("0.5")
        found.append(Spelling(match.start(), match.end(), _digits(value * scale)))
    return found


def _word_runs(text: str) -> list[Spelling]:
    """Runs of number words text2num turns into one number; names stay, and so does a scale word
    with no number before it ("several million") unless the number is "a" ("a hundred")."""
    found = []
    for match in _WORD_RUN.finditer(text):
        start = match.start()
        if _is_name(text, start):
            continue
        if match.group().split()[0].split("-")[0].lower() in _SCALE_WORDS:
            article = _ARTICLE_BEFORE.search(text, 0, start)
            if article is None:
                continue
            digits = alpha2digit("one " + match.group(), "en", threshold=SPELLED_KEPT_UP_TO)
            if _ONE_NUMBER.fullmatch(digits):
                found.append(Spelling(article.start(), match.end(), digits))
            continue
        found.extend(_spell_run(text, start, match.end()))
    return found


_ONE_NUMBER = re.compile(r"\d+(?:st|nd|rd|th)?")
_AND = re.compile(r"[ \t]+and[ \t]+", re.IGNORECASE)


def _spell_run(text: str, start: int, end: int) -> list[Spelling]:
    """The run text[start:end] as one number ("one hundred and five"), else each part between its
    "and"s ("twenty and thirty"); a part that reads as several numbers ("nineteen ninety") stays."""
    run = text[start:end]
    digits = alpha2digit(run, "en", threshold=SPELLED_KEPT_UP_TO)
    if _ONE_NUMBER.fullmatch(digits):
        return [Spelling(start, end, digits)]
    joins = list(_AND.finditer(run))
    if not joins:
        return []
    bounds = [0, *(i for j in joins for i in j.span()), len(run)]
    return [
        part
        for a, b in zip(bounds[::2], bounds[1::2], strict=True)
        for part in _spell_run(text, start + a, start + b)
    ]


def _is_name(text: str, start: int) -> bool:
    """A number word in title case away from a sentence start: "World War Two"."""
    word = re.match(r"[A-Za-z]+", text[start:])
    title = word is not None and word.group().istitle()
    return title and not _SENTENCE_START.search(text[:start])


def _digits(value: Decimal) -> str:
    """A value as plain digits: 3500000, or 2.5 where it is no whole number."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


# -- units -----------------------------------------------------------------------------------------

# Canonical name -> (dimension, pint expression or None for currencies, spellings as words() tokens).
_UNITS: dict[str, tuple[str, str | None, str]] = {
    "kilometre": ("length", "kilometer", "km|kms|kilometre|kilometres|kilometer|kilometers"),
    "metre": ("length", "meter", "m|metre|metres|meter|meters"),
    "centimetre": ("length", "centimeter", "cm|centimetre|centimetres|centimeter|centimeters"),
    "millimetre": ("length", "millimeter", "mm|millimetre|millimetres|millimeter|millimeters"),
    "mile": ("length", "mile", "mi|mile|miles"),
    "nautical mile": ("length", "nautical_mile", "nmi|nautical mile|nautical miles"),
    "foot": ("length", "foot", "ft|foot|feet"),
    "inch": ("length", "inch", "inch|inches"),
    "yard": ("length", "yard", "yd|yds|yard|yards"),
    "square kilometre": (
        "area",
        "kilometer ** 2",
        "km2|sq km|sqkm|square km|square kilometre|square kilometres|square kilometer|square kilometers",
    ),
    "square metre": ("area", "meter ** 2", "m2|sq m|square metre|square metres|square meter|square meters"),
    "square mile": ("area", "mile ** 2", "sq mi|sq mile|sq miles|square mile|square miles"),
    "hectare": ("area", "hectare", "ha|hectare|hectares"),
    "acre": ("area", "acre", "acre|acres"),
    "kilogram": ("mass", "kilogram", "kg|kgs|kilo|kilos|kilogram|kilograms|kilogramme|kilogrammes"),
    "gram": ("mass", "gram", "gram|grams|gramme|grammes"),
    "tonne": ("mass", "metric_ton", "tonne|tonnes|metric ton|metric tons|ton|tons"),
    "pound": ("mass", "pound", "lb|lbs"),
    "litre": ("volume", "liter", "litre|litres|liter|liters"),
    "cubic metre": ("volume", "meter ** 3", "m3|cubic metre|cubic metres|cubic meter|cubic meters"),
    "gallon": ("volume", "gallon", "gallon|gallons"),
    "barrel": ("volume", "oil_barrel", "barrel|barrels"),
    "second": ("time", "second", "second|seconds|sec|secs"),
    "minute": ("time", "minute", "minute|minutes|min|mins"),
    "hour": ("time", "hour", "hour|hours|hr|hrs"),
    "day": ("time", "day", "day|days"),
    "week": ("time", "week", "week|weeks"),
    "month": ("time", "month", "month|months"),
    "year": ("time", "year", "year|years|yr|yrs"),
    "kilometre per hour": (
        "speed",
        "kilometer / hour",
        "kph|kmh|km h|km per hour|km an hour|kilometres per hour|kilometers per hour"
        "|kilometres an hour|kilometers an hour",
    ),
    "mile per hour": ("speed", "mile / hour", "mph|miles per hour|miles an hour"),
    "knot": ("speed", "knot", "knot|knots"),
    "degree celsius": (
        "temperature",
        "degC",
        "celsius|centigrade|degrees celsius|degree celsius|degrees centigrade|degrees c",
    ),
    "degree fahrenheit": ("temperature", "degF", "fahrenheit|degrees fahrenheit|degree fahrenheit|degrees f"),
    "kelvin": ("temperature", "kelvin", "kelvin|kelvins"),
    "percent": ("percent", "percent", "percent|per cent|pct"),
    "percentage point": ("percentage point", None, "percentage point|percentage points"),
    "US dollar": ("currency:USD", None, "dollar|dollars|usd|us dollars"),
    "euro": ("currency:EUR", None, "euro|euros|eur"),
    "pound sterling": ("currency:GBP", None, "pounds sterling|pound sterling|sterling|gbp"),
    "yen": ("currency:JPY", None, "yen|jpy"),
    "yuan": ("currency:CNY", None, "yuan|renminbi|cny|rmb"),
    "rouble": ("currency:RUB", None, "rouble|roubles|ruble|rubles"),
    "Syrian pound": ("currency:SYP", None, "syrian pound|syrian pounds|syp"),
    "Turkish lira": ("currency:TRY", None, "turkish lira|turkish liras|turkish lire"),
}
_SPELLINGS = {
    tuple(spelling.split()): name
    for name, (_, _, spellings) in _UNITS.items()
    for spelling in spellings.split("|")
}
_LONGEST_SPELLING = max(len(key) for key in _SPELLINGS)


@dataclass(frozen=True)
class UnitReading:
    """A unit of measure read at a token: tokens[i:end] name `name`, of `dimension`.

    `dimension` is one of length, area, mass, volume, time, speed, temperature, percent,
    "percentage point" or "currency:<ISO code>".
    """

    name: str
    dimension: str
    end: int

    def to_base(self, value: float) -> float:
        """`value` of this unit in its dimension's base unit (metre, square metre, kilogram, cubic
        metre, second, metre per second, kelvin, fraction of one; a currency stays itself)."""
        factor, offset = _conversions()[self.name]
        return value * factor + offset


def unit_at(tokens: list[str], i: int) -> UnitReading | None:
    """The unit of measure whose words start at tokens[i], longest spelling first, or None.

    >>> unit_at(["400", "square", "kilometres", "of", "land"], 1)
    UnitReading(name='square kilometre', dimension='area', end=3)
    """
    for size in range(min(_LONGEST_SPELLING, len(tokens) - i), 0, -1):
        name = _SPELLINGS.get(tuple(tokens[i : i + size]))
        if name is not None:
            return UnitReading(name, _UNITS[name][0], i + size)
    return None


def unit_named(name: str) -> UnitReading | None:
    """The unit with canonical `name` ("kilometre"), as `UnitReading.name` gives it, or None."""
    if name not in _UNITS:
        return None
    return UnitReading(name, _UNITS[name][0], 0)


class QuantityMatch(enum.StrEnum):
    """How two amounts with units bear on each other."""

    AGREE = "agree"  # the same amount, within the tolerance (after converting units)
    CONFLICT = "conflict"  # comparable units and different amounts
    NOT_COMPARABLE = "not_comparable"  # a unit missing, or units of different dimensions


def same_quantity(
    a_value: float,
    a_unit: UnitReading | None,
    b_value: float,
    b_unit: UnitReading | None,
    *,
    tolerance: float | None = None,
) -> QuantityMatch:
    """Whether "a_value a_unit" and "b_value b_unit" are the same amount.

    Both are compared in base units, within a relative `tolerance`: by default
    `SAME_UNIT_TOLERANCE` for the same unit and `CONVERSION_TOLERANCE` for two units (a converted
    figure is rounded). Temperatures are compared within `TEMPERATURE_TOLERANCE_K` kelvin when
    their units differ.
    """
    if a_unit is None or b_unit is None or a_unit.dimension != b_unit.dimension:
        return QuantityMatch.NOT_COMPARABLE
    a_base, b_base = a_unit.to_base(a_value), b_unit.to_base(b_value)
    same_unit = a_unit.name == b_unit.name
    if tolerance is None:
        tolerance = SAME_UNIT_TOLERANCE if same_unit else CONVERSION_TOLERANCE
        if a_unit.dimension == "temperature" and not same_unit:
            return _verdict(abs(a_base - b_base) <= TEMPERATURE_TOLERANCE_K)
    return _verdict(abs(a_base - b_base) <= tolerance * max(abs(a_base), abs(b_base)))


def _verdict(agree: bool) -> QuantityMatch:
    return QuantityMatch.AGREE if agree else QuantityMatch.CONFLICT


_PINT_DIMENSIONS = {
    "length": "[length]",
    "area": "[length] ** 2",
    "volume": "[length] ** 3",
    "mass": "[mass]",
    "time": "[time]",
    "speed": "[length] / [time]",
    "temperature": "[temperature]",
    "percent": "dimensionless",
}


FACTORS = Path(__file__).with_name("unit_factors.toml")


@cache
def _conversions() -> dict[str, tuple[float, float]]:
    """Canonical name -> (factor, offset) to base units, read on first use."""
    table = tomllib.loads(FACTORS.read_text(encoding="utf-8"))["unit"]
    return {name: (float(factor), float(offset)) for name, (factor, offset) in table.items()}


def pint_conversions() -> dict[str, tuple[float, float]]:
    """Canonical name -> (factor, offset) to base units, from pint (what `unit_factors.toml` holds)."""
    import pint

    registry: Any = pint.UnitRegistry()
    table = {}
    for name, (dimension, expression, _) in _UNITS.items():
        if expression is None:
            table[name] = (1.0, 0.0)
            continue
        if str(registry.Quantity(1, expression).dimensionality) != _PINT_DIMENSIONS[dimension]:
            raise AssertionError(f"unit table: {name} is no {dimension} for pint")
        zero = _base_magnitude(registry.Quantity(0, expression))
        table[name] = (_base_magnitude(registry.Quantity(1, expression)) - zero, zero)
    return table


def factors_file() -> str:
    """`unit_factors.toml` as `pint_conversions` gives it (floats written to read back exactly)."""
    header = "# Written by `python -m facts.numbers` from pint: name = [factor, offset] to base units."
    rows = [f'"{name}" = [{f!r}, {o!r}]' for name, (f, o) in pint_conversions().items()]
    return "\n".join([header, "[unit]", *rows]) + "\n"


def _base_magnitude(quantity: Any) -> float:
    return float(quantity.to_base_units().magnitude)


def unit_names() -> tuple[str, ...]:
    """Every canonical unit name `unit_named` knows, in table order."""
    return tuple(_UNITS)


__all__ = [
    "CONVERSION_TOLERANCE",
    "SAME_UNIT_TOLERANCE",
    "SPELLED_KEPT_UP_TO",
    "TEMPERATURE_TOLERANCE_K",
    "QuantityMatch",
    "Spelling",
    "UnitReading",
    "same_quantity",
    "spell_numbers",
    "spelled_spans",
    "unit_at",
    "unit_named",
    "unit_names",
    "warm_units",
]


def warm_units() -> None:
    """Load the unit conversion table now (it loads on the first conversion otherwise)."""
    _conversions()


if __name__ == "__main__":  # python -m facts.numbers: rewrite unit_factors.toml (after a pint upgrade)
    FACTORS.write_text(factors_file(), encoding="utf-8")
