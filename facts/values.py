"""The values a claim states and how a fact's values bear on each: agree, conflict or silent.

Each value kind is one function from (claim, fact) analyses to a `Comparison`, or None when the
claim states no value of that kind. `VALUE_KINDS` lists them; the verifier (facts/verify.py)
decides, separately, whether the fact is about the claim's event at all, and only then lets a
conflict contradict.

    >>> compare_all(claim, fact)
    [Comparison(kind='quantity', agreement=<Agreement.CONFLICT: 'conflict'>, reason='number differs: ...')]
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from facts.analysis import DENIAL, Analysis, Quantity
from facts.lexicon import VALUE_RANK_SCALES


class Agreement(enum.StrEnum):
    """How a fact bears on one value the claim states."""

    AGREE = "agree"  # the fact states the same value
    CONFLICT = "conflict"  # the fact states another value of the same thing
    SILENT = "silent"  # the fact states nothing about it: it cannot confirm the claim


@dataclass(frozen=True)
class Comparison:
    kind: str
    agreement: Agreement
    reason: str = ""


T = TypeVar("T")
Comparator = Callable[[Analysis, Analysis], "Comparison | None"]


def _agree(kind: str) -> Comparison:
    return Comparison(kind, Agreement.AGREE)


def _silent(kind: str) -> Comparison:
    return Comparison(kind, Agreement.SILENT)


def compare_quantity(claim: Analysis, fact: Analysis) -> Comparison | None:
    """Each number the claim states against the fact's numbers that count the same thing."""
    stated = claim.stated_quantities
    if not stated:
        return None
    confirmed = True
    for said in stated:
        counted = [q for q in fact.quantities if said.counts_same_thing(q)]
        counted = [q for q in counted if not q.implicit] or counted  # a written number first
        if counted and not any(said.compatible(q) for q in counted):
            reason = f"number differs: claim says {said.phrase}, source says {_phrases(counted)}"
            return Comparison("quantity", Agreement.CONFLICT, reason)
        confirmed = confirmed and bool(counted)
    return _agree("quantity") if confirmed else _silent("quantity")


def _phrases(quantities: list[Quantity]) -> str:
    return " / ".join(dict.fromkeys(q.phrase for q in quantities))


def compare_period(claim: Analysis, fact: Analysis) -> Comparison | None:
    """Years bounding a period ("since 2016"): against the fact's bounds, or its event years."""
    if not claim.period_years:
        return None
    if claim.period_years <= fact.period_years | fact.years:
        return _agree("year")
    if fact.period_years and not claim.period_years & fact.period_years:
        said, source = _join(claim.period_years), _join(fact.period_years)
        return Comparison(
            "year", Agreement.CONFLICT, f"year differs: claim says since {said}, source says since {source}"
        )
    return _silent("year")


def compare_year(claim: Analysis, fact: Analysis) -> Comparison | None:
    """The year the event happened."""
    return _compare_sets("year", claim.years, fact.years, _join)


_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def compare_date(claim: Analysis, fact: Analysis) -> Comparison | None:
    """Weekdays and calendar days (month, day) of the event."""
    if not (claim.weekdays or claim.monthdays):
        return None
    if claim.weekdays and fact.weekdays and not claim.weekdays & fact.weekdays:
        said, source = _day_names(claim.weekdays), _day_names(fact.weekdays)
        return Comparison("date", Agreement.CONFLICT, f"day differs: claim says {said}, source says {source}")
    if claim.monthdays and fact.monthdays and not claim.monthdays & fact.monthdays:
        reason = f"date differs: claim says {_md(claim.monthdays)}, source says {_md(fact.monthdays)}"
        return Comparison("date", Agreement.CONFLICT, reason)
    if claim.weekdays & fact.weekdays or claim.monthdays & fact.monthdays:
        return _agree("date")
    return _silent("date")


def compare_spoken_date(claim: Analysis, fact: Analysis) -> Comparison | None:
    """The day the words were said ("officials said on 3 September"): compared only when both
    give it, since a fact read from an article is often dated by the article, not in its text."""
    days = _same_or_other(claim.spoken_monthdays, fact.spoken_monthdays, _md)
    return days or _same_or_other(claim.spoken_weekdays, fact.spoken_weekdays, _day_names)


def _same_or_other(
    said: frozenset[T], source: frozenset[T], shown: Callable[[frozenset[T]], str]
) -> Comparison | None:
    """A day both give: the same one agrees, another conflicts; None when either is silent."""
    if not (said and source):
        return None
    if said & source:
        return _agree("statement date")
    reason = f"said on another day: claim says {shown(said)}, source says {shown(source)}"
    return Comparison("statement date", Agreement.CONFLICT, reason)


def _day_names(weekdays: frozenset[int]) -> str:
    return "/".join(_DAY_NAMES[d] for d in sorted(weekdays))


def _md(monthdays: frozenset[tuple[int, int]]) -> str:
    return ", ".join(f"{m:02d}-{d:02d}" for m, d in sorted(monthdays))


_DIRECTION_NAMES = {"n": "north", "s": "south", "e": "east", "w": "west", "c": "centre"}


def compare_direction(claim: Analysis, fact: Analysis) -> Comparison | None:
    return _compare_sets("direction", claim.directions, fact.directions, _direction_names)


def _direction_names(directions: frozenset[str]) -> str:
    return "/".join(_DIRECTION_NAMES[d] for d in sorted(directions))


def _compare_sets(
    kind: str, said: frozenset[T], source: frozenset[T], shown: Callable[[frozenset[T]], str]
) -> Comparison | None:
    """A value both may state as a set (years, compass directions): any one in common agrees."""
    if not said:
        return None
    if not source:
        return _silent(kind)
    if said & source:
        return _agree(kind)
    reason = f"{kind} differs: claim says {shown(said)}, source says {shown(source)}"
    return Comparison(kind, Agreement.CONFLICT, reason)


def compare_stance(claim: Analysis, fact: Analysis) -> Comparison | None:
    """Ends of meaning axes: confirmed/denied, escalated/scaled back, planned/improvised ..."""
    if not claim.polarity:
        return None
    for axis, sign in sorted(claim.polarity):
        if (axis, -sign) in fact.polarity and (axis, sign) not in fact.polarity:
            reason = f"meaning reversed: the claim and the source take opposite sides on {axis}"
            return Comparison("stance", Agreement.CONFLICT, reason)
    return _agree("stance") if claim.polarity <= fact.polarity else _silent("stance")


def _one_denial(claim: Analysis, fact: Analysis) -> bool:
    """Each denies a word standing beside the other's denied word: one denial, two scopes."""
    return any(
        y in _beside(claim.concepts, x) or x in _beside(fact.concepts, y)
        for x in claim.negated
        for y in fact.negated
    )


def _beside(concepts: tuple[str, ...], concept: str) -> set[str]:
    return {
        concepts[j]
        for i, c in enumerate(concepts)
        if c == concept
        for j in (i - 1, i + 1)
        if 0 <= j < len(concepts)
    }


_DENIES_SOURCE = "negation differs: the claim denies what the source states"
_DENIES_CLAIM = "negation differs: the source denies what the claim states"


def compare_negation(claim: Analysis, fact: Analysis) -> Comparison | None:
    """ "No troops were sent" against "troops were sent"."""
    fact_held = fact.concept_set | fact.entities
    # Both deny something of the other's words: one denial read with two scopes ("sent no
    # troops" / "did not send troops"), not a disagreement.
    same_denial = _one_denial(claim, fact)
    for concept in sorted(claim.negated):
        if concept in fact_held and concept not in fact.negated and not same_denial:
            return Comparison("negation", Agreement.CONFLICT, _DENIES_SOURCE)
    for concept in sorted(fact.negated):
        if concept in claim.concept_set and concept not in claim.negated and not same_denial:
            return Comparison("negation", Agreement.CONFLICT, _DENIES_CLAIM)
    if not claim.negated:
        return None
    objects = claim.negated - {DENIAL}
    confirmed = (objects <= fact.negated or same_denial) and (
        DENIAL not in claim.negated or bool(fact.negated)
    )
    return _agree("negation") if confirmed else _silent("negation")


_RANK_NAMES = {1: "the top", -1: "the bottom", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}


def compare_rank(claim: Analysis, fact: Analysis) -> Comparison | None:
    """Superlatives and ordinals on one scale: "biggest" against "second-biggest"."""
    if not claim.ranks:
        return None
    for scale, position, ranked in sorted(claim.ranks):
        theirs = {p for s, p, r in fact.ranks if s == scale and r == ranked}
        if theirs and position not in theirs:
            said, source = _RANK_NAMES.get(position, str(position)), _RANK_NAMES.get(min(theirs), "")
            reason = f"rank differs: claim puts it at {said} on {scale}, source at {source}"
            return Comparison("rank", Agreement.CONFLICT, reason)
    held = {(s, p) for s, p, _ in fact.ranks}
    stated = [(s, p) for s, p, _ in claim.ranks if s in VALUE_RANK_SCALES]
    if not stated:
        return None
    return _agree("rank") if all(r in held for r in stated) else _silent("rank")


def _join(values: frozenset[int]) -> str:
    return ", ".join(str(v) for v in sorted(values))


# Value kinds compared on the analyses alone, in the order their reasons are preferred. Names
# (actor, place) and quotes need the store's aliases and the fact's fields: facts/verify.py.
VALUE_KINDS: tuple[Comparator, ...] = (
    compare_quantity,
    compare_year,
    compare_period,
    compare_date,
    compare_spoken_date,
    compare_direction,
    compare_rank,
    compare_stance,
    compare_negation,
)


# How each kind is named in a reason a reader sees: "matches the source (number, date agree)".
KIND_LABELS = {"quantity": "number", "direction": "direction", "stance": "stance"}


def label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def compare_all(claim: Analysis, fact: Analysis) -> list[Comparison]:
    """Every value kind the claim states (or the fact reverses), compared."""
    return [c for kind in VALUE_KINDS if (c := kind(claim, fact)) is not None]
