"""The value model row by row, on made-up sentences (no seed article): each value kind agrees,
conflicts, is silent or is not stated; then `Verifier.judge` on small made-up facts.

A row is (claim, fact, expected): the agreement of the kind's comparison, or None when the claim
states no value of that kind. Claims are read as the checker reads them (no reference date); facts
against the date of their article, `PUBLISHED`. A row the code gets wrong is marked `broken`
(a strict xfail naming the cause), never loosened.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import pytest

from facts.aliases import AliasIndex
from facts.analysis import Analyzer
from facts.index_terms import index_terms
from facts.model import Fact, FactKind, Relation
from facts.stored_values import with_stored_values
from facts.values import (
    Agreement,
    Comparator,
    compare_all,
    compare_date,
    compare_direction,
    compare_negation,
    compare_period,
    compare_quantity,
    compare_rank,
    compare_spoken_date,
    compare_stance,
    compare_year,
)
from facts.verify import Verifier, term_weights

AGREE, CONFLICT, SILENT = Agreement.AGREE, Agreement.CONFLICT, Agreement.SILENT
SUPPORTS, CONTRADICTS = Relation.SUPPORTS, Relation.CONTRADICTS
PUBLISHED = date(2024, 11, 29)  # a Friday: "Wednesday" in a fact is November 27


def broken(*values: Any, reason: str) -> Any:
    """A row the code gets wrong today: a strict xfail, so fixing the code shows up."""
    return pytest.param(*values, marks=pytest.mark.xfail(reason=reason, strict=True))


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer(
        AliasIndex.from_pairs(
            [("HTS", "Hayat Tahrir al-Sham"), ("Hay'at Tahrir al-Sham", "Hayat Tahrir al-Sham")]
        )
    )


QUANTITY = [
    ("Rebels took 32 villages", "Rebels took 32 villages", AGREE),
    ("Rebels took dozens of villages", "Rebels took 32 villages", AGREE),
    ("At least 15 soldiers were killed", "20 soldiers were killed", AGREE),
    ("More than 70,000 people fled", "Over 80,000 people fled", AGREE),
    ("About 30 villages were taken", "32 villages were taken", AGREE),
    ("Hundreds of families fled", "300 families fled", AGREE),
    ("A dozen villages fell", "12 villages fell", AGREE),
    ("Two soldiers died", "2 soldiers died", AGREE),
    ("Rebels took 32 villages", "Rebels took 32 villages and killed 20 soldiers", AGREE),
    ("Rebels took about 20 villages", "Rebels took 32 villages", CONFLICT),
    # "about 20" (16-24) and "dozens" (24 and up) touch: they share no plausible value
    ("Rebels took about 20 villages", "Rebels took dozens of villages", CONFLICT),
    ("At least 15 soldiers were killed", "10 soldiers were killed", CONFLICT),
    ("Fewer than 10 civilians died", "12 civilians died", CONFLICT),
    ("Hundreds of families fled", "50 families fled", CONFLICT),
    ("A handful of fighters stayed", "Dozens of fighters stayed", CONFLICT),
    ("Zero soldiers died", "15 soldiers died", CONFLICT),
    ("Zero soldiers died", "Zero soldiers died", AGREE),
    # numbers counting different things are not compared
    ("Rebels took 32 villages", "Rebels killed 20 soldiers", SILENT),
    ("Rebels took 32 villages", "Rebels took villages", SILENT),
    ("Rebels took 32 villages and killed 20 soldiers", "Rebels took 32 villages", SILENT),
    ("Rebels took villages", "Rebels took 32 villages", None),
    # numbers in words and units of measure read as figures in base units
    ("Thirty-two villages fell", "32 villages fell", AGREE),
    ("The convoy travelled 10 miles", "The convoy travelled 16 km", AGREE),
    ("The convoy travelled 10 miles", "The convoy travelled 30 km", CONFLICT),
    ("Rebels took 100 sq km", "Rebels took 39 square miles", AGREE),
    ("Half a million people fled", "500,000 people fled", AGREE),
    ("Fuel prices rose 30%", "Fuel prices rose 25 percent", CONFLICT),
    ("Rebels took 245 square kilometres", "Rebels took 245 km of road", SILENT),
]

YEAR = [
    ("The offensive began in 2024", "The offensive began in 2024", AGREE),
    ("The city fell in 2016", "The city fell in 2016, and was retaken in 2024", AGREE),
    ("The offensive began in 2016", "The offensive began in 2024", CONFLICT),
    ("The offensive began in 2024", "The offensive began last week", SILENT),
    ("Rebels took Idlib in 2016", "Rebels have held Idlib since 2016", SILENT),
    ("The offensive began last week", "The offensive began in 2024", None),
    ("Rebels have held Idlib since 2016", "Rebels attacked Idlib in 2024", None),
    # the year written in a calendar date is the event's year
    ("The offensive began on November 27, 2023", "The offensive began on November 27, 2024", CONFLICT),
]

PERIOD = [
    ("Rebels have held Idlib since 2016", "Rebels have held Idlib since 2016", AGREE),
    ("Rebels have held Idlib since 2016", "Rebels took Idlib in 2016", AGREE),
    ("Rebels have held Idlib since 2016", "Rebels have held Idlib since 2015", CONFLICT),
    ("The truce held until 2020", "The truce held until 2019", CONFLICT),
    # an event year inside the period is no other bound
    ("Rebels have held Idlib since 2016", "Rebels attacked Idlib in 2024", SILENT),
    ("Rebels have held Idlib since 2016", "Rebels have held Idlib for years", SILENT),
    ("Rebels took Idlib in 2016", "Rebels have held Idlib since 2016", None),
]

DATE = [
    ("The offensive began on Wednesday", "The offensive began on Wednesday", AGREE),
    # the fact's weekday is resolved against its article's date: Wednesday is November 27
    ("The offensive began on November 27", "The offensive began on Wednesday", AGREE),
    ("The offensive began on 27 November", "The offensive began on November 27", AGREE),
    ("The offensive began on 2024-11-27", "The offensive began on November 27, 2024", AGREE),
    ("The offensive began on Thursday", "The offensive began on Wednesday", CONFLICT),
    ("The offensive began on November 28", "The offensive began on Wednesday", CONFLICT),
    ("The offensive began on November 27", "The offensive began on November 26", CONFLICT),
    ("The offensive began on Nov. 27", "The offensive began on November 27", AGREE),
    ("The offensive began on 27/11/2024", "The offensive began on November 28, 2024", CONFLICT),
    # "the 27th" in a fact takes its month from the article's date
    ("The offensive began on November 27", "The offensive began on the 27th", AGREE),
    ("The offensive began on November 26", "The offensive began on the 27th", CONFLICT),
    ("The offensive began on November 27", "The offensive began last week", SILENT),
    # "said Thursday" dates the speaking, not the event
    ("The offensive began on Wednesday", "Officials said Thursday that the offensive began", SILENT),
    ("The offensive began last week", "The offensive began on November 27", None),
    (
        "The offensive began on Thursday",
        "The offensive began on November 27",
        CONFLICT,
    ),
]

SPOKEN_DATE = [
    ("Aid workers said on 3 September that 40 fled", "Aid workers said on 3 September that 40 fled", AGREE),
    ("Aid workers said on 15 July that 40 fled", "Aid workers said on 29 July that 40 fled", CONFLICT),
    ("40 fled, aid workers said on 3 September", "40 fled, aid workers said on 2 September", CONFLICT),
    # the fact's speech weekday is resolved against its article's date: Thursday is November 28
    ("Officials said on Thursday that it began", "Officials said Thursday that it began", AGREE),
    ("Officials said on Friday that it began", "Officials said Thursday that it began", CONFLICT),
    ("Officials said on November 28 that it began", "Officials said Thursday that it began", AGREE),
    # a fact that does not say when the words were said is dated by its article: not compared
    ("Officials said on Friday that it began", "Officials said that it began", None),
    # the event's day is another value (compare_date)
    ("The offensive began on Wednesday", "Officials said Thursday that it began", None),
    ("Officials said Thursday that it began", "The offensive began on Wednesday", None),
]  # fmt: skip

DIRECTION = [
    ("Rebels advanced north of Aleppo", "Rebels advanced north of Aleppo", AGREE),
    ("Rebels advanced into northern Aleppo", "Rebels advanced north of Aleppo", AGREE),
    ("Rebels advanced SE of Aleppo", "Rebels advanced southeast of Aleppo", AGREE),
    ("Rebels advanced in north-western Syria", "Rebels advanced in NW Syria", AGREE),
    ("Rebels advanced north of Aleppo", "Rebels advanced south of Aleppo", CONFLICT),
    ("Rebels advanced east of Aleppo", "Rebels advanced west of Aleppo", CONFLICT),
    ("Rebels advanced SE of Aleppo", "Rebels advanced north of Aleppo", CONFLICT),
    ("Rebels advanced in central Syria", "Rebels advanced in eastern Syria", CONFLICT),
    ("Rebels advanced north of Aleppo", "Rebels advanced toward Aleppo", SILENT),
    ("Rebels advanced toward Aleppo", "Rebels advanced north of Aleppo", None),
    (
        "Western governments condemned the offensive",
        "Rebels advanced in eastern Syria",
        None,
    ),
]

RANK = [
    ("Aleppo is Syria's largest city", "Aleppo is Syria's largest city", AGREE),
    ("Aleppo is Syria's biggest city", "Aleppo is Syria's largest city", AGREE),
    ("Aleppo is Syria's second largest city", "Aleppo is Syria's second-largest city", AGREE),
    ("Aleppo is Syria's largest city", "Aleppo is Syria's second-largest city", CONFLICT),
    ("Aleppo is Syria's largest city", "Aleppo is Syria's smallest city", CONFLICT),
    ("The offensive was the largest since 2016", "The offensive was the third-largest since 2016", CONFLICT),
    ("It was the first attack on the city", "It was the last attack on the city", CONFLICT),
    ("It was the last attack on the city", "It was the first attack on the city", CONFLICT),
    ("Aleppo is Syria's largest city", "Aleppo is a city in Syria", SILENT),
    # "first" and "last" also date things ("the first day"): they only ever conflict
    ("It was the first attack on the city", "It was the first attack on the city", None),
    ("Aleppo is a city in Syria", "Aleppo is Syria's largest city", None),
    broken(
        "Aleppo is Syria's largest city",
        "Damascus is Syria's largest prison",
        SILENT,
        reason="facts/values.py compare_rank agrees on (scale, position) alone, whatever is "
        "ranked: the largest prison confirms the largest city",
    ),
]

STANCE = [
    ("The ministry confirmed the strike", "The ministry confirmed the strike", AGREE),
    ("The ministry confirmed the strike", "The ministry acknowledged the strike", AGREE),
    ("The ministry confirmed the strike", "The ministry denied the strike", CONFLICT),
    ("The ministry did not deny the strike", "The ministry confirmed the strike", AGREE),
    ("The ministry confirmed the strike", "The ministry reported the strike", SILENT),
    ("Turkey welcomed the deal", "Turkey praised the deal", AGREE),
    ("Turkey welcomed the deal", "Turkey condemned the deal", CONFLICT),
    ("Turkey welcomed the deal", "Turkey signed the deal", SILENT),
    ("The city was calm", "The city was quiet", AGREE),
    ("The city was calm", "There was no violence in the city", AGREE),
    ("The city was calm", "There was violence in the city", CONFLICT),
    ("The rebels are abiding by the ceasefire", "The rebels are respecting the ceasefire", AGREE),
    ("The rebels are abiding by the ceasefire", "The rebels are not violating the ceasefire", AGREE),
    ("The rebels are abiding by the ceasefire", "The rebels are violating the ceasefire", CONFLICT),
    ("The report was accurate", "The report was factual", AGREE),
    ("The report was false", "The report was not accurate", AGREE),
    ("The report was accurate", "The report was false", CONFLICT),
    ("The report was accurate", "The report was published", SILENT),
    ("The rebels took the city", "The rebels denied taking the city", None),
]

NEGATION = [
    ("Turkey sent no troops", "Turkey sent no troops", AGREE),
    ("Turkey has no troops in Syria", "Turkey has no soldiers in Syria", AGREE),
    ("Turkey sent no troops", "Turkey sent troops", CONFLICT),
    ("Turkey sent troops", "Turkey sent no troops", CONFLICT),
    ("Russian troops aren't in Aleppo", "Russian troops are in Aleppo", CONFLICT),
    ("The army hasn't retreated", "The army retreated from Aleppo", CONFLICT),
    ("Rebels couldn't capture the airbase", "Rebels captured the airbase", CONFLICT),
    ("Rebels couldn\u2019t capture the airbase", "Rebels captured the airbase", CONFLICT),
    ("Russia won't intervene", "Russia will intervene", CONFLICT),
    ("HTS did not take Aleppo", "Hay'at Tahrir al-Sham took Aleppo", CONFLICT),
    ("Rebels failed to capture the airbase", "Rebels captured the airbase", CONFLICT),
    ("Rebels did not capture the airbase", "Rebels failed to capture the airbase", AGREE),
    # near-negators deny as "no" does
    ("The army met hardly any resistance", "The army met no sign of resistance", AGREE),
    ("The army met hardly any resistance", "The army met fierce resistance", CONFLICT),
    ("The army barely resisted", "The army resisted fiercely", CONFLICT),
    ("Turkey sent no troops", "Turkey sent weapons to the rebels", SILENT),
    # a denial with no readable object: only a denying fact confirms it
    ("There is simply no evidence that it is", "Rebels captured the airbase", SILENT),
    ("That is simply not true", "Rebels captured the airbase", SILENT),
    ("That is simply not true", "Rebels did not capture the airbase", AGREE),
    ("Turkey sent troops", "Turkey sent troops", None),
    (
        "Turkey sent no troops",
        "Turkey did not send troops",
        AGREE,
    ),
]

TABLES: dict[Comparator, list[Any]] = {
    compare_quantity: QUANTITY,
    compare_year: YEAR,
    compare_period: PERIOD,
    compare_date: DATE,
    compare_spoken_date: SPOKEN_DATE,
    compare_direction: DIRECTION,
    compare_rank: RANK,
    compare_stance: STANCE,
    compare_negation: NEGATION,
}


def _named(row: Any, *before: Any, prefix: str = "") -> Any:
    """A row (a tuple or a `broken` one) as a param named by its claim and, for values, its fact."""
    values, marks = (row.values, row.marks) if hasattr(row, "marks") else (row, ())
    name = f"{prefix}{values[0]} / {values[1]}" if prefix else values[0]
    return pytest.param(*before, *values, marks=marks, id=name)


def _rows(tables: dict[Comparator, list[Any]]) -> list[Any]:
    """Every table's rows with their comparator, named "kind: claim / fact"."""
    return [
        _named(row, comparator, prefix=f"{comparator.__name__.removeprefix('compare_')}: ")
        for comparator, table in tables.items()
        for row in table
    ]


@pytest.mark.parametrize(("comparator", "claim", "fact", "expected"), _rows(TABLES))
def test_value_kind(analyzer, comparator, claim, fact, expected):
    compared = comparator(analyzer.analyze(claim), analyzer.analyze(fact, reference=PUBLISHED))
    assert (compared.agreement if compared else None) == expected, compared


def test_compare_all_lists_each_stated_kind_in_preference_order(analyzer):
    claim = analyzer.analyze("Rebels took about 20 villages north of Aleppo on Thursday")
    fact = analyzer.analyze("Rebels took 32 villages north of Aleppo on Wednesday", reference=PUBLISHED)
    assert [(c.kind, c.agreement) for c in compare_all(claim, fact)] == [
        ("quantity", CONFLICT),
        ("date", CONFLICT),
        ("direction", AGREE),
    ]
    assert compare_all(analyzer.analyze("Rebels took villages"), fact) == []


# -- Verifier.judge ------------------------------------------------------------------------------
# The made-up store the claim's words are weighed against: "Russia", "Turkey" and "Iran" are common
# (no supporting fact need name them), "Astana" and "Kuweires" rare, "Kafr Halab" unknown.
BACKGROUND = (
    "Russia carried out airstrikes on rebel positions near Idlib.",
    "Russia and Turkey held talks in Moscow on the fighting.",
    "Russia sent more warplanes to its base in Latakia.",
    "Russia said the situation in Aleppo was under control.",
    "Turkey has backed Syrian opposition groups for years.",
    "Turkey closed a border crossing near Idlib.",
    "Turkey and Iran traded accusations over the offensive.",
    "Iran has sent military advisers to support the Syrian government.",
    "Iran said its consulate in Aleppo was not harmed.",
    "Iran's foreign minister flew to Damascus for talks.",
    "The Astana talks were suspended last year.",
    "Rebels shelled the Kuweires airbase east of Aleppo.",
    "Government forces shelled towns in Idlib province.",
    "The United Nations said thousands of civilians fled the fighting.",
    "Residents said the city was quiet on Thursday.",
    "Drone strikes hit a market in a town south of Aleppo.",
    "Opposition fighters entered the western districts of the city.",
    "Hospitals in the region were overwhelmed with the wounded.",
    "Aid agencies warned of a humanitarian crisis in the north.",
    "The army said it was redeploying troops around the city.",
    "Officials in Damascus said the offensive would be repelled.",
)


def fact(text: str, *, speaker: str | None = None, quote: str | None = None) -> Fact:
    kind = FactKind.QUOTE if quote else FactKind.EVENT
    return Fact(
        kind=kind, statement=text, source_id="made-up", evidence=text, speaker=speaker, quote=quote, id=1
    )


def document_frequencies(texts: Sequence[str], aliases: AliasIndex) -> dict[str, int]:
    """How many texts hold each index term: what the store's `fact_terms` table counts."""
    found: dict[str, int] = {}
    for text in texts:
        for term in index_terms(text, aliases):
            found[term] = found.get(term, 0) + 1
    return found


def test_background_makes_the_table_names_common_rare_or_unknown(analyzer):
    claim = analyzer.analyze("Iran, Russia and Turkey met in Astana near Kuweires and Kafr Halab")
    weights = term_weights(claim, document_frequencies(BACKGROUND, analyzer.aliases), len(BACKGROUND))
    assert weights.required_names == {"astana", "kuweir"}
    assert weights.unknown_names == {"kafr", "halab"}


QUOTED = "we urge Syria's authorities to restore order"

JUDGED = [
    # values, once the fact is about the claim's event
    (
        "Rebels took about 20 villages on the first day of the offensive",
        fact("Rebels captured 32 villages on the first day of the offensive"),
        (CONTRADICTS, "quantity"),
    ),
    (
        "Rebels took dozens of villages on the first day of the offensive",
        fact("Rebels captured 32 villages on the first day of the offensive"),
        (SUPPORTS, "coverage"),
    ),
    # a swapped actor, anchored by a rare name both hold
    (
        "The Astana deal was brokered by Iran and Russia",
        fact("The Astana deal was brokered by Turkey and Russia"),
        (CONTRADICTS, "actor"),
    ),
    (
        "The Astana deal was brokered by Turkey and Russia",
        fact("The Astana deal was brokered by Turkey and Russia"),
        (SUPPORTS, "coverage"),
    ),
    # ... with only common names shared nothing shows it is one deal
    ("The deal was brokered by Iran and Russia", fact("The deal was brokered by Turkey and Russia"), None),
    # a swapped side
    (
        "Government forces were ousted from the Kuweires airbase",
        fact("Opposition forces were ousted from the Kuweires airbase"),
        (CONTRADICTS, "side"),
    ),
    (
        "Government forces were ousted from the Kuweires airbase",
        fact("Opposition forces were ousted from a base near Hama"),
        None,
    ),
    # a place swap
    (
        "A helicopter was destroyed at an airbase in Hama",
        fact("A helicopter was destroyed at an airbase in Idlib"),
        (CONTRADICTS, "place"),
    ),
    ("A helicopter was destroyed at an airbase in Hama", fact("Rebels shelled an airbase in Idlib"), None),
    # quotes: verbatim, altered, misattributed
    (
        f'Lavrov said "{QUOTED}"',
        fact(f'Lavrov said "{QUOTED}"', speaker="Sergei Lavrov", quote=QUOTED),
        (SUPPORTS, "quote"),
    ),
    (
        'Lavrov said "we urge Syria\'s authorities to reassert control"',
        fact(f'Lavrov said "{QUOTED}"', speaker="Sergei Lavrov", quote=QUOTED),
        (CONTRADICTS, "quote"),
    ),
    (
        f'Peskov said "{QUOTED}"',
        fact(f'Lavrov said "{QUOTED}"', speaker="Sergei Lavrov", quote=QUOTED),
        (CONTRADICTS, "misattributed"),
    ),
    (
        'Fighters chanted "we will lose" as they entered the city',
        fact('Fighters chanted "we will win" as they entered the city', quote="we will win"),
        (CONTRADICTS, "quote"),
    ),
    (
        'Fighters chanted "God is greater" as they entered the city',
        fact('Fighters chanted "God is great" as they entered the city', quote="God is great"),
        (CONTRADICTS, "quote"),
    ),
    (
        'Fighters chanted "God is great" as they entered the city',
        fact('Fighters chanted "God is greater" as they entered the city', quote="God is greater"),
        (CONTRADICTS, "quote"),
    ),
    # a question asserts nothing
    ("Polar bear populations are increasing", fact("Are polar bear populations increasing?"), None),
    ("Polar bear populations are decreasing", fact("Are polar bear populations increasing?"), None),
    (
        "Rebels took 20 villages on the first day",
        fact("Did rebels take 32 villages on the first day?"),
        None,
    ),
    # another event: the fact lacks the claim's rare (here unknown) name
    (
        "Rebels took 40 villages near Kafr Halab on the first day",
        fact("Rebels took 32 villages on the first day"),
        None,
    ),
    (
        "Rebels shelled the Kuweires airbase in 2023",
        fact("Rebels shelled an airbase east of Aleppo in 2024"),
        None,
    ),
    # the year of a calendar date; a denial
    (
        "Rebels launched the Aleppo offensive on November 27, 2023",
        fact("Rebels launched the Aleppo offensive on November 27, 2024"),
        (CONTRADICTS, "year"),
    ),
    ("Turkey sent no troops to Aleppo", fact("Turkey sent troops to Aleppo"), (CONTRADICTS, "negation")),
    (
        "Turkey sent no troops to Aleppo",
        fact("Turkey did not send troops to Aleppo"),
        (SUPPORTS, "coverage"),
    ),
]


@pytest.mark.parametrize(("claim", "judged", "expected"), [_named(row) for row in JUDGED])
def test_judge(analyzer, claim, judged, expected):
    read = analyzer.analyze(claim)
    frequencies = document_frequencies([judged.match_text(), *BACKGROUND], analyzer.aliases)
    weights = term_weights(read, frequencies, len(BACKGROUND) + 1)
    analysis = with_stored_values(
        analyzer.analyze(judged.match_text(), reference=PUBLISHED), judged, analyzer
    )
    judgement = Verifier(analyzer).judge(read, judged, analysis, weights)
    found = (judgement.relation, judgement.basis) if judgement.relation else None
    assert found == expected, judgement.reason
