"""Deciding how each candidate fact bears on a claim: supports, contradicts, or unrelated.

Text similarity alone endorses false claims ("about 20 villages" is textually close to "32
villages"), so after measuring how much of the claim a fact covers, the verifier compares the
*values* both assert: quoted words and their speaker, numbers with qualifiers, years, weekdays and
calendar dates, compass directions, negation, and meaning axes (planned/improvised, escalated/scaled
back, confirmed/denied ...). A fact that covers the claim and disagrees on a value contradicts it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache

from rapidfuzz import fuzz, process

from facts.analysis import Analysis, Analyzer, Quantity
from facts.model import Fact, Relation
from facts.text import words

# How much of the claim's weighted content a fact must cover.
SUPPORT_COVERAGE = 0.62
CONTRADICT_COVERAGE = 0.5
# Numbers, years and days belong to one event: a differing one contradicts only a fact clearly
# about the same event (and blocks support from a fact loosely about it).
VALUE_CONTRADICT_COVERAGE = 0.6
NAME_CONFLICT_COVERAGE = 0.6
PLACE_CONFLICT_COVERAGE = 0.75
_EVENT_VALUES = ("number", "year", "day", "date")
QUOTE_MATCH = 92.0  # similarity at which a claim's quote is the source's quote (typos allowed)
QUOTE_ALTERED = 55.0  # ... below that and above this, the source's quote with words changed
FUZZY_WORD = 86.0


@dataclass(frozen=True)
class Judgement:
    """One fact's bearing on the claim; `relation` None means unrelated."""

    fact: Fact
    relation: Relation | None
    score: float
    reason: str


@dataclass
class Verifier:
    """Compares a claim's analysis with each candidate fact's."""

    analyzer: Analyzer

    def judge(
        self, claim: Analysis, fact: Fact, facts_analysis: Analysis, weights: ClaimWeights
    ) -> Judgement:
        coverage, missing_name = _coverage(claim, facts_analysis, weights)
        quote_verdict = self._quote_conflict(claim, fact, coverage)
        if quote_verdict is not None:
            relation, reason, coverage = quote_verdict
            return Judgement(fact, relation, coverage, reason)
        renamed = self._name_conflict(claim, fact, facts_analysis, weights) or self._place_conflict(
            claim, facts_analysis, weights
        )
        if renamed:
            return Judgement(fact, Relation.CONTRADICTS, coverage, renamed)
        if coverage >= CONTRADICT_COVERAGE:
            conflict = value_conflict(claim, facts_analysis)
            if conflict.startswith(_EVENT_VALUES) and coverage < VALUE_CONTRADICT_COVERAGE:
                return Judgement(fact, None, coverage, "")  # too loosely related to judge the value
            if conflict:
                return Judgement(fact, Relation.CONTRADICTS, coverage, conflict)
        if coverage >= SUPPORT_COVERAGE and not missing_name and _confirms_values(claim, facts_analysis):
            return Judgement(fact, Relation.SUPPORTS, coverage, _support_reason(claim, facts_analysis))
        return Judgement(fact, None, coverage, "")

    def _quote_conflict(
        self, claim: Analysis, fact: Fact, coverage: float
    ) -> tuple[Relation, str, float] | None:
        """Misattributed or altered quotes; None when the claim quotes nothing of this fact."""
        source_quotes = _fact_quotes(fact)
        if not claim.quotes or not source_quotes:
            return None
        for quoted in claim.quotes:
            similarity, verbatim = max((_quote_similarity(quoted, q), q) for q in source_quotes)
            if similarity >= QUOTE_MATCH and len(quoted.split()) >= 3:
                return self._speaker_check(claim, fact, verbatim, max(coverage, similarity / 100))
            if similarity >= QUOTE_ALTERED and len(quoted.split()) >= 4 and coverage >= 0.4:
                original = fact.quote or verbatim
                reason = f"quote altered: the source's words are “{original}”"
                return Relation.CONTRADICTS, reason, similarity / 100
        return None

    def _name_conflict(
        self, claim: Analysis, fact: Fact, facts_analysis: Analysis, weights: ClaimWeights
    ) -> str:
        """The claim gives a quoted name ('Dawn of Freedom') the fact does not hold, while the fact
        covers the rest of the claim and names something else the claim does not mention."""
        text = " ".join(words(fact.match_text()))
        for name in claim.named_quotes:
            named = self.analyzer.analyze(name)
            if name in text or (named.entities and named.entities <= facts_analysis.entities):
                continue
            name_concepts = named.concept_set
            rest = replace(claim, concepts=tuple(c for c in claim.concepts if c not in name_concepts))
            coverage, _ = _coverage(rest, facts_analysis, weights)
            other_names = {
                called
                for key in facts_analysis.entities - claim.concept_set - claim.entities
                if len((called := self.analyzer.aliases.name_of(key) or key).split()) >= 2
            }  # a many-word proper name, like the one the claim gives
            if coverage >= NAME_CONFLICT_COVERAGE and other_names:
                called = ", ".join(f"“{n}”" for n in sorted(other_names))
                return f"name differs: the claim says “{name}”, the source names {called}"
        return ""

    def _place_conflict(self, claim: Analysis, fact: Analysis, weights: ClaimWeights) -> str:
        """The claim puts an event in one named place and the fact, otherwise about the same thing,
        in another: "an airbase in Hama" against "an airbase in Idlib"."""
        said, source = (
            claim.located_in - fact.concept_set - fact.entities,
            fact.located_in - claim.concept_set,
        )
        if not said or not source or claim.located_in & fact.located_in:
            return ""
        rest = replace(claim, concepts=tuple(c for c in claim.concepts if c not in said))
        if _coverage(rest, fact, weights)[0] < PLACE_CONFLICT_COVERAGE:
            return ""
        return f"place differs: claim says {self._names(said)}, source says {self._names(source)}"

    def _names(self, keys: frozenset[str]) -> str:
        return ", ".join(sorted(self.analyzer.aliases.name_of(k) or k.title() for k in keys))

    def _speaker_check(
        self, claim: Analysis, fact: Fact, verbatim: str, score: float
    ) -> tuple[Relation, str, float]:
        if fact.speaker and claim.speakers:
            said_by = self.analyzer.speaker_concepts(fact.speaker)
            if said_by and not (claim.speakers & said_by):
                reason = f"misattributed: the source attributes these words to {fact.speaker}"
                return Relation.CONTRADICTS, reason, score
        who = f" by {fact.speaker}" if fact.speaker else ""
        return Relation.SUPPORTS, f"quote matches the source's words{who}", score


def _quote_similarity(quoted: str, source: str) -> float:
    """100 for the source's words or a verbatim fragment of them; else how alike the two are,
    the claim's words compared with the stretch of the source's quote they align to."""
    if quoted in source:
        return 100.0
    whole = fuzz.ratio(quoted, source)
    if len(quoted) < len(source):
        return max(whole, min(fuzz.partial_ratio(quoted, source), QUOTE_MATCH - 1))
    return whole


@lru_cache(maxsize=4096)
def _normalised_quote(text: str) -> str:
    return " ".join(words(text))


def _fact_quotes(fact: Fact) -> list[str]:
    quotes = [fact.quote] if fact.quote else []
    return [_normalised_quote(q) for q in quotes]


@dataclass(frozen=True)
class ClaimWeights:
    """How much each claim concept matters, and which names a supporting fact must mention."""

    weights: dict[str, float]
    required_names: frozenset[str]  # names rare in the store: the claim is about them
    unknown_names: frozenset[str]  # names the store has never seen


def term_weights(claim: Analysis, frequencies: dict[str, int], total: int) -> ClaimWeights:
    """Inverse document frequency per claim concept. Names weigh more, names the store never saw
    most; ordinary words the store never saw weigh like rare ones, not more (paraphrases bring
    their own words)."""
    weights, required, unknown = {}, set(), set()
    names = claim.entities | claim.capitalized
    for concept in set(claim.concepts):
        df = frequencies.get(concept, 0)
        is_name = concept in names
        floor = 0 if is_name else UNSEEN_WORD_SHARE * total  # an unseen word weighs as a common-ish one
        weight = math.log((total + 1) / (max(df, floor) + 1)) + 1.0
        if is_name:
            weight *= 2.0 if df == 0 else 1.3
            if df == 0:
                unknown.add(concept)
            elif df / max(total, 1) < REQUIRED_NAME_SHARE:
                required.add(concept)
        weights[concept] = weight
    return ClaimWeights(weights, frozenset(required), frozenset(unknown))


REQUIRED_NAME_SHARE = 0.15
UNSEEN_WORD_SHARE = 0.05


def _coverage(claim: Analysis, fact: Analysis, weights: ClaimWeights) -> tuple[float, bool]:
    """Weighted share of the claim's concepts the fact holds, and whether the fact misses a name
    the claim is about (an unknown or rarely reported actor or place makes it another story)."""
    return held_coverage(claim, fact.concept_set | fact.entities | fact.speakers, weights)


def held_coverage(claim: Analysis, held: frozenset[str], weights: ClaimWeights) -> tuple[float, bool]:
    """`_coverage` against a plain set of concepts — the fact's index terms give an upper bound
    on its coverage without analysing it."""
    total = matched = 0.0
    missing_name = False
    for concept in set(claim.concepts) - claim.cue_concepts:
        weight = weights.weights.get(concept, 1.0)
        total += weight
        if concept in held or _fuzzy_member(concept, held):
            matched += weight
        elif concept in weights.required_names or concept in weights.unknown_names:
            missing_name = True
    return (matched / total if total else 0.0), missing_name


def _fuzzy_member(concept: str, held: frozenset[str]) -> bool:
    if len(concept) < 5:
        return False
    hit = process.extractOne(concept, held, scorer=fuzz.ratio, processor=None, score_cutoff=FUZZY_WORD)
    return hit is not None


def value_conflict(claim: Analysis, fact: Analysis) -> str:
    """The first value on which claim and fact disagree, as a short reason ('' if none)."""
    for check in (
        _number_conflict,
        _year_conflict,
        _date_conflict,
        _direction_conflict,
        _polarity_conflict,
        _negation_conflict,
    ):
        reason = check(claim, fact)
        if reason:
            return reason
    return ""


def _number_conflict(claim: Analysis, fact: Analysis) -> str:
    for said in claim.quantities:
        counted = [q for q in fact.quantities if said.counts_same_thing(q)]
        if counted and not any(said.compatible(q) for q in counted):
            return f"number differs: claim says {said.phrase}, source says {_phrases(counted)}"
    return ""


def _phrases(quantities: list[Quantity]) -> str:
    return " / ".join(dict.fromkeys(q.phrase for q in quantities))


def _year_conflict(claim: Analysis, fact: Analysis) -> str:
    if claim.years and fact.years and not claim.years & fact.years:
        return f"year differs: claim says {_join(claim.years)}, source says {_join(fact.years)}"
    return ""


_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _date_conflict(claim: Analysis, fact: Analysis) -> str:
    if claim.weekdays and fact.weekdays and not claim.weekdays & fact.weekdays:
        said = "/".join(_DAY_NAMES[d] for d in sorted(claim.weekdays))
        source = "/".join(_DAY_NAMES[d] for d in sorted(fact.weekdays))
        return f"day differs: claim says {said}, source says {source}"
    if claim.monthdays and fact.monthdays and not claim.monthdays & fact.monthdays:
        return "date differs: " + f"claim says {_md(claim.monthdays)}, source says {_md(fact.monthdays)}"
    return ""


def _md(monthdays: frozenset[tuple[int, int]]) -> str:
    return ", ".join(f"{m:02d}-{d:02d}" for m, d in sorted(monthdays))


_DIRECTION_NAMES = {"n": "north", "s": "south", "e": "east", "w": "west", "c": "centre"}


def _direction_conflict(claim: Analysis, fact: Analysis) -> str:
    if not claim.directions or not fact.directions or claim.directions & fact.directions:
        return ""
    said = "/".join(_DIRECTION_NAMES[d] for d in sorted(claim.directions))
    source = "/".join(_DIRECTION_NAMES[d] for d in sorted(fact.directions))
    return f"direction differs: claim says {said}, source says {source}"


def _polarity_conflict(claim: Analysis, fact: Analysis) -> str:
    for axis, sign in claim.polarity:
        if (axis, -sign) in fact.polarity and (axis, sign) not in fact.polarity:
            return f"meaning reversed: the claim and the source take opposite sides on {axis}"
    return ""


def _negation_conflict(claim: Analysis, fact: Analysis) -> str:
    fact_held = fact.concept_set | fact.entities
    for concept in claim.negated:
        if concept in fact_held and concept not in fact.negated:
            return "negation differs: the claim denies what the source states"
    for concept in fact.negated:
        if concept in claim.concept_set and concept not in claim.negated:
            return "negation differs: the source denies what the claim states"
    return ""


def _confirms_values(claim: Analysis, fact: Analysis) -> bool:
    """A fact silent on the number, year, date, direction, denial or stance (denied, escalated,
    treated well ...) a claim states cannot confirm it."""
    for said in claim.quantities:  # each number the claim states, agreed on by one counting the same
        if not any(said.counts_same_thing(q) and said.compatible(q) for q in fact.quantities):
            return False
    if claim.directions and not fact.directions:
        return False
    if claim.negated - fact.negated:
        return False  # "X did not happen" needs a source that says so
    if claim.polarity - fact.polarity:
        return False  # "Turkey denied ..." needs a source with a denial, not one silent on it
    if claim.years and not fact.years:
        return False
    return not (claim.weekdays or claim.monthdays) or bool(fact.weekdays or fact.monthdays)


def _support_reason(claim: Analysis, fact: Analysis) -> str:
    agreed = []
    if claim.quantities and fact.quantities:
        agreed.append("number")
    if claim.weekdays & fact.weekdays or claim.monthdays & fact.monthdays:
        agreed.append("date")
    if claim.years & fact.years:
        agreed.append("year")
    if claim.directions & fact.directions:
        agreed.append("place")
    return "matches the source" + (f" ({', '.join(agreed)} agree)" if agreed else "")


def _join(values: frozenset[int]) -> str:
    return ", ".join(str(v) for v in sorted(values))
