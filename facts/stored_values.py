"""A fact's stored fields are its values: what extraction filled in and moderators correct.

The verifier compares a claim with the fact's analysis; here the fields are laid over the
analysis of the fact's text, so that a moderator's correction of a value, date, place or speaker
changes verdicts at once (moderator edits that contradict the statement are refused earlier, in
facts/validation.py):

- value_low / value_high (with subject and unit): the number, replacing any number in the text
  that counts the same thing;
- event_date: the calendar day and its weekday (its year where the text states none);
- place: a place the event happened in (and a name the fact holds);
- speaker: a name the words are attributed to.
"""

from __future__ import annotations

from dataclasses import replace

from facts.analysis import Analysis, Analyzer, Quantity
from facts.model import Fact
from facts.numbers import unit_named


def with_stored_values(analysis: Analysis, fact: Fact, analyzer: Analyzer) -> Analysis:
    """`analysis` (of the fact's text) with the fact's fields as its values."""
    analysis = _with_quantity(analysis, fact, analyzer)
    analysis = _with_event_date(analysis, fact)
    analysis = _with_place(analysis, fact, analyzer)
    if fact.speaker:
        analysis = replace(analysis, speakers=analysis.speakers | analyzer.speaker_concepts(fact.speaker))
    return analysis


def _with_quantity(analysis: Analysis, fact: Fact, analyzer: Analyzer) -> Analysis:
    low = fact.value_low if fact.value_low is not None else fact.value_high
    high = fact.value_high if fact.value_high is not None else fact.value_low
    if low is None or high is None:
        return analysis
    counted = analyzer.analyze(" ".join(t for t in (fact.subject, fact.unit) if t))
    nouns = counted.concept_set | counted.entities
    head = counted.concepts[0] if counted.concepts else None
    phrase = _number(low) if low == high else f"{_number(low)}-{_number(high)}"
    unit = unit_named(fact.unit) if fact.unit else None
    stored = Quantity(low, high, " ".join(p for p in (phrase, fact.unit or "") if p), nouns, head, unit)
    if any(q.compatible(stored) for q in analysis.stated_quantities):
        return analysis  # the text states the stored number: its own reading says what it counts
    if not nouns:  # a bare corrected number: it stands for what the text's numbers count
        return replace(
            analysis, quantities=tuple(replace(q, low=low, high=high) for q in analysis.stated_quantities)
        )
    others = tuple(q for q in analysis.quantities if not q.counts_same_thing(stored))
    return replace(analysis, quantities=(stored, *others))


def _number(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,}"


def _with_event_date(analysis: Analysis, fact: Fact) -> Analysis:
    day = fact.event_date
    if day is None:
        return analysis
    # The day and weekday are the event's; its year only where the text gives none (a text's
    # "since 2016" is not the event's year, and neither is 2024 the year it looks back to).
    years = analysis.years or frozenset({day.year})
    return replace(
        analysis,
        monthdays=frozenset({(day.month, day.day)}),
        weekdays=frozenset({day.weekday()}),
        years=years,
    )


def _with_place(analysis: Analysis, fact: Fact, analyzer: Analyzer) -> Analysis:
    if not fact.place:
        return analysis
    place = analyzer.analyze(fact.place)
    keys = place.entities or frozenset(place.concepts)
    return replace(
        analysis,
        concepts=analysis.concepts + tuple(c for c in place.concepts if c not in analysis.concept_set),
        located_in=analysis.located_in | keys,
        entities=analysis.entities | place.entities,
        capitalized=analysis.capitalized | keys,
    )
