"""Deciding how each candidate fact bears on a claim: supports, contradicts, or unrelated.

The model, in order, for each candidate:
1. **Same event?** How much of the claim's idf- and informativeness-weighted content the fact
   holds (`coverage`), how many content concepts they share, and whether the fact names the rare
   actors and places the claim is about. Decided before, and apart from, any value.
2. **Values** (facts/values.py, plus names and quotes here): each value the claim states —
   quote and speaker, actor, place, quantity, year, date, direction, rank, stance, negation —
   agrees with the fact, conflicts with it, or the fact is silent on it.
3. **Relation.** A conflict contradicts only on a fact about the same event (each value kind has
   its own bar in facts/tuning.py); support needs the event covered and every stated value agreed.

Text similarity alone endorses false claims ("about 20 villages" is textually close to "32
villages"); values alone contradict facts about other events. The two steps keep both apart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from functools import lru_cache

from rapidfuzz import fuzz, process

from facts.analysis import Analysis, Analyzer
from facts.lexicon import OPPOSING_SIDES, SIDE_OF, SIDE_OF_NAMES
from facts.model import Fact, Relation
from facts.spelling import name_variants
from facts.text import words
from facts.tuning import (
    CONFLICTS_ON_SHARED_WORDS,
    FUZZY_MIN_LENGTH,
    FUZZY_WORD,
    MAX_MISSING_SHARE,
    MAX_SPREAD,
    MAX_SWAP_SPAN,
    MIN_SHARED_CONCEPTS,
    NAME_BOOST,
    NEEDS_OTHER_VALUES,
    PREDICATE_COVERAGE,
    QUOTE_ALTERED,
    QUOTE_ALTERED_COVERAGE,
    QUOTE_MATCH,
    QUOTE_MIN_WORDS,
    REQUIRED_NAME_SHARE,
    SAME_EVENT_COVERAGE,
    SAME_EVENT_COVERAGE_BY_KIND,
    SUPPORT_COVERAGE,
    UNSEEN_NAME_BOOST,
    UNSEEN_WORD_SHARE,
)
from facts.values import Agreement, Comparison, compare_all, label


@dataclass(frozen=True)
class Judgement:
    """One fact's bearing on the claim; `relation` None means unrelated."""

    fact: Fact
    relation: Relation | None
    score: float
    reason: str
    basis: str = ""  # what decided it: a value kind ("quantity", "actor" ...), "quote", "coverage"


@dataclass
class Verifier:
    """Compares a claim's analysis with each candidate fact's."""

    analyzer: Analyzer
    _quote_readings: dict[tuple[str, ...], set[str]] = field(default_factory=dict, repr=False)

    def judge(
        self, claim: Analysis, fact: Fact, facts_analysis: Analysis, weights: ClaimWeights
    ) -> Judgement:
        if facts_analysis.is_question:
            return Judgement(fact, None, 0.0, "")  # a question asserts nothing
        event = same_event(claim, facts_analysis, weights)
        quoted = self._quote_verdict(claim, fact, event.coverage)
        if quoted is not None:
            relation, reason, score, basis = quoted
            if relation is Relation.SUPPORTS:  # the words are the source's: is the rest of the claim?
                told = self._told_around_quote(claim, fact, facts_analysis, weights)
                if told is not None:
                    return Judgement(fact, Relation.CONTRADICTS, score, told.reason, told.kind)
            return Judgement(fact, relation, score, reason, basis)
        other_words = self._other_words(claim, fact, facts_analysis, weights)
        if other_words:
            return Judgement(fact, Relation.CONTRADICTS, event.coverage, other_words, "quote")
        renamed = self._name_conflict(claim, fact, facts_analysis, weights)
        if renamed is not None:
            return Judgement(fact, Relation.CONTRADICTS, event.coverage, renamed.reason, renamed.kind)
        comparisons = compare_all(claim, facts_analysis)
        conflict = _first_conflict(comparisons)
        if conflict is not None and conflict.kind in NEEDS_OTHER_VALUES and _any_silent(comparisons):
            return Judgement(fact, None, event.coverage, "")  # silent elsewhere: another event's denial
        if conflict is not None:
            if conflict.kind in CONFLICTS_ON_SHARED_WORDS:
                # "at Hama, not at Nayrab": the alternative the claim offers is no part of the event
                event = same_event(
                    _without(claim, _unheld_names(claim, facts_analysis)), facts_analysis, weights
                )
            if event.is_same_event(conflict.kind):
                return Judgement(fact, Relation.CONTRADICTS, event.coverage, conflict.reason, conflict.kind)
            return Judgement(fact, None, event.coverage, "")  # another event's value, or too loose
        agreed = all(c.agreement is Agreement.AGREE for c in comparisons) and self._quotes_held(
            claim, fact, facts_analysis
        )
        if event.supports and agreed and not _swapped(claim, facts_analysis):
            reason = _support_reason(comparisons)
            return Judgement(fact, Relation.SUPPORTS, event.coverage, reason, "coverage")
        return Judgement(fact, None, event.coverage, "")

    def _quote_verdict(
        self, claim: Analysis, fact: Fact, coverage: float
    ) -> tuple[Relation, str, float, str] | None:
        """Misattributed or altered quotes; None when the claim quotes nothing of this fact."""
        source_quotes = _fact_quotes(fact)
        if not claim.quotes or not source_quotes:
            return None
        for quoted in claim.quotes:
            similarity, verbatim = max((_quote_similarity(quoted, q), q) for q in source_quotes)
            size = len(quoted.split())
            if similarity >= QUOTE_MATCH and size >= 3:
                return self._speaker_check(claim, fact, verbatim, max(coverage, similarity / 100))
            altered_enough = size >= 4 or (size >= QUOTE_MIN_WORDS and _one_word_changed(quoted, verbatim))
            if similarity >= QUOTE_ALTERED and altered_enough and coverage >= QUOTE_ALTERED_COVERAGE:
                original = fact.quote or verbatim
                reason = f"quote altered: the source's words are “{original}”"
                return Relation.CONTRADICTS, reason, similarity / 100, "quote"
        return None

    def _other_words(
        self, claim: Analysis, fact: Fact, facts_analysis: Analysis, weights: ClaimWeights
    ) -> str:
        """The claim quotes words the fact does not hold, and the fact, otherwise reporting the
        same thing, quotes others: "described them as 'armed opposition groups'" against
        '... as "armed terrorist organizations"'."""
        theirs = [q for q in (fact.quote, *facts_analysis.quotes) if q]
        if not claim.quotes or not theirs or self._quotes_held(claim, fact, facts_analysis):
            return ""
        if not _rest_matches(_without(claim, self._quoted_concepts(claim)), facts_analysis, weights, "quote"):
            return ""
        return f"quote differs: the source's words are “{theirs[0]}”"

    def _quotes_held(self, claim: Analysis, fact: Fact, facts_analysis: Analysis) -> bool:
        """Every span the claim quotes stands, word for word, in the fact (a quoted name may be
        another spelling of an entity the fact names): a quote is a value too."""
        text = f" {_normalised_quote(fact.match_text())} "
        for quoted in claim.quotes:
            named = self.analyzer.analyze(quoted).entities if quoted in claim.named_quotes else frozenset()
            if f" {quoted} " not in text and not (named and named <= facts_analysis.entities):
                return False
        return True

    def _told_around_quote(
        self, claim: Analysis, fact: Fact, facts_analysis: Analysis, weights: ClaimWeights
    ) -> Comparison | None:
        """A conflict in what the claim says around a quote it gets right: "in the 'God is great'
        video the fighters waved the *government* flag" against "... an *opposition* flag"."""
        rest = replace(_without(claim, self._quoted_concepts(claim)), quotes=(), named_quotes=())
        if len(set(rest.concepts)) < MIN_SHARED_CONCEPTS:
            return None
        # The quote already ties the fact to the claim's event: a swap needs no more evidence of it.
        swap = _side_swap(rest, facts_analysis)
        if swap is not None:
            return Comparison("side", Agreement.CONFLICT, _sides_swapped(swap))
        conflict = _first_conflict(compare_all(rest, facts_analysis))
        return conflict if conflict is not None and conflict.kind != "negation" else None

    def _quoted_concepts(self, claim: Analysis) -> set[str]:
        """The concepts of the words the claim quotes, read once per claim."""
        key = claim.quotes
        if key not in self._quote_readings:
            self._quote_readings[key] = set().union(*(self.analyzer.analyze(q).concept_set for q in key))
        return self._quote_readings[key]

    def _name_conflict(
        self, claim: Analysis, fact: Fact, facts_analysis: Analysis, weights: ClaimWeights
    ) -> Comparison | None:
        """The first actor, side or place conflict (None if none): each checks on its own that the
        rest of the claim is about the fact's event."""
        checks = (
            ("actor", lambda: self._quoted_name_conflict(claim, fact, facts_analysis, weights)),
            ("place", lambda: self._place_conflict(claim, facts_analysis, weights)),
            ("actor", lambda: self._substituted_name(claim, facts_analysis, weights)),
            ("side", lambda: self._swapped_side(claim, facts_analysis, weights)),
        )
        for kind, check in checks:
            reason = check()
            if reason:
                return Comparison(kind, Agreement.CONFLICT, reason)
        return None

    def _quoted_name_conflict(
        self, claim: Analysis, fact: Fact, facts_analysis: Analysis, weights: ClaimWeights
    ) -> str:
        """The claim gives a quoted name ('Dawn of Freedom') the fact does not hold, while the fact
        covers the rest of the claim and names something else the claim does not mention."""
        text = " ".join(words(fact.match_text()))
        for name in claim.named_quotes:
            named = self.analyzer.analyze(name)
            if name in text or (named.entities and named.entities <= facts_analysis.entities):
                continue
            if not _rest_matches(_without(claim, set(named.concept_set)), facts_analysis, weights, "actor"):
                continue
            other_names = {
                called
                for key in sorted(facts_analysis.entities - claim.concept_set - claim.entities)
                if len((called := self.analyzer.aliases.name_of(key) or key).split()) >= 2
            }  # a many-word proper name, like the one the claim gives
            if other_names:
                called = ", ".join(f"“{n}”" for n in sorted(other_names))
                return f"name differs: the claim says “{name}”, the source names {called}"
        return ""

    def _substituted_name(self, claim: Analysis, fact: Analysis, weights: ClaimWeights) -> str:
        """A name in the claim standing where the fact, otherwise about the same thing, has another
        name: "brokered by Iran and Russia" against "brokered by Turkey and Russia". The two word
        sequences are aligned; a replaced stretch with a name on each side is a substitution."""
        held = _held(fact)
        said = {c for c in _names(claim) if c not in held and not _fuzzy_member(c, held, name=True)}
        if not said:
            return ""
        claim_held = _held(claim)
        other = {c for c in _names(fact) if c not in claim_held}
        anchors = [c for c in _names(claim) if c in held and c in weights.required_names]
        if not other or not anchors:
            return ""  # no rare name shared: nothing shows the two speak of one event
        swap = _aligned_swap(
            claim, fact, said, other, by_context=True
        )  # the anchors and the rest show one event
        if swap is None or not _rest_matches(_without(claim, said), fact, weights, "actor"):
            return ""
        return f"name differs: claim says {self._called(swap[0])}, source says {self._called(swap[1])}"

    def _swapped_side(self, claim: Analysis, fact: Analysis, weights: ClaimWeights) -> str:
        """The fact gives the claim's deed to the other side: "government forces were ousted"
        against "opposition forces ... were ousted"."""
        swap = _side_swap(claim, fact)
        if swap is None or not _rest_matches(_without(claim, set(swap[0])), fact, weights, "side"):
            return ""
        return _sides_swapped(swap)

    def _place_conflict(self, claim: Analysis, fact: Analysis, weights: ClaimWeights) -> str:
        """The claim puts an event in one named place and the fact, otherwise about the same thing,
        in another: "an airbase in Hama" against "an airbase in Idlib"."""
        unheld = claim.located_in - fact.concept_set - fact.entities
        said = frozenset(c for c in unheld if not _fuzzy_member(c, fact.located_in, name=True))
        source = fact.located_in - claim.concept_set
        if not said or not source or claim.located_in & fact.located_in:
            return ""
        if _coverage(_without(claim, set(said)), fact, weights)[0] < _same_event_bar("place"):
            return ""
        return f"place differs: claim says {self._called(said)}, source says {self._called(source)}"

    def _called(self, keys: frozenset[str]) -> str:
        """Entity keys as readers know them: "Hama, Idlib"."""
        return ", ".join(sorted(self.analyzer.aliases.name_of(k) or k.title() for k in keys))

    def _speaker_check(
        self, claim: Analysis, fact: Fact, verbatim: str, score: float
    ) -> tuple[Relation, str, float, str]:
        if fact.speaker and claim.speakers:
            said_by = self.analyzer.speaker_concepts(fact.speaker)
            if said_by and not any(s in said_by or name_variants(s, said_by) for s in claim.speakers):
                reason = f"misattributed: the source attributes these words to {fact.speaker}"
                return Relation.CONTRADICTS, reason, score, "misattributed"
        who = f" by {fact.speaker}" if fact.speaker else ""
        return Relation.SUPPORTS, f"quote matches the source's words{who}", score, "quote"


def _swapped(claim: Analysis, fact: Analysis) -> bool:
    """Whether the fact has another side or another name where the claim has one: even when
    nothing shows the two are one event (so no contradiction), such a fact cannot confirm it."""
    if _side_swap(claim, fact) is not None:
        return True
    claim_held = _held(claim)
    other = {c for c in _names(fact) if c not in claim_held}
    return _aligned_swap(claim, fact, _unheld_names(claim, fact), other) is not None


def _side_swap(claim: Analysis, fact: Analysis) -> tuple[frozenset[str], frozenset[str]] | None:
    """One side of the conflict in the claim where the fact has the other, aligned."""
    held, claim_held = _held(fact), _held(claim)
    sides = _sides(claim_held)
    if len(sides) != 1 or sides <= _sides(held):
        return None  # the claim speaks of both sides, or the fact of the claim's side too
    ours = {c for c in claim.concepts if c in OPPOSING_SIDES and c not in held}
    theirs = {c for c in fact.concepts if c in OPPOSING_SIDES and c not in claim_held}
    theirs = {c for c in theirs if any(c in OPPOSING_SIDES[o] for o in ours)}
    return _aligned_swap(claim, fact, ours, theirs, by_context=True)


def _aligned_swap(
    claim: Analysis, fact: Analysis, ours: set[str], theirs: set[str], *, by_context: bool = False
) -> tuple[frozenset[str], frozenset[str]] | None:
    """Concepts of `ours` (in the claim) and `theirs` (in the fact) standing in the same place:
    one replaced by the other when the two concept sequences are aligned, or (`by_context`, for
    the two sides of a conflict), where the word order differs, with the same word beside them
    ("the *government* flag" / "an *opposition* flag")."""
    if not ours or not theirs:
        return None
    matcher = SequenceMatcher(None, claim.concepts, fact.concepts, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "replace" or max(i2 - i1, j2 - j1) > MAX_SWAP_SPAN:
            continue  # a long replaced stretch is another sentence, not one name for another
        said = frozenset(c for c in claim.concepts[i1:i2] if c in ours)
        other = frozenset(c for c in fact.concepts[j1:j2] if c in theirs)
        if said and other:
            return said, other
    if not by_context:  # names are many and sentences long: a shared neighbour proves little
        return None
    return _swap_in_context(claim.concepts, fact.concepts, ours, theirs)


def _swap_in_context(
    claim: tuple[str, ...], fact: tuple[str, ...], ours: set[str], theirs: set[str]
) -> tuple[frozenset[str], frozenset[str]] | None:
    for x in sorted(ours):
        beside_x = _neighbours(claim, x, ours)
        for y in sorted(theirs):
            if beside_x & _neighbours(fact, y, theirs):
                return frozenset({x}), frozenset({y})
    return None


def _neighbours(concepts: tuple[str, ...], concept: str, skip: set[str]) -> set[str]:
    """The concepts just before and after each place `concept` stands (others of `skip` passed)."""
    found: set[str] = set()
    for i, c in enumerate(concepts):
        if c != concept:
            continue
        before = next((b for b in reversed(concepts[:i]) if b not in skip), None)
        after = next((a for a in concepts[i + 1 :] if a not in skip), None)
        found.update(n for n in (before, after) if n is not None)
    return found


def _rest_matches(rest: Analysis, fact: Analysis, weights: ClaimWeights, kind: str) -> bool:
    """Whether the claim, the swapped words set aside, is about the fact's event: its content and
    what it says of its names (the deed, not only the actors) both held."""
    event = same_event(rest, fact, weights)
    bar = _same_event_bar(kind)
    return event.coverage >= bar and event.predicate >= bar and event.shared >= MIN_SHARED_CONCEPTS


def _without(claim: Analysis, concepts: set[str]) -> Analysis:
    return replace(claim, concepts=tuple(c for c in claim.concepts if c not in concepts))


def _sides_swapped(swap: tuple[frozenset[str], frozenset[str]]) -> str:
    said, source = (" / ".join(sorted({f"the {SIDE_OF[c]} side" for c in side})) for side in swap)
    return f"sides swapped: the claim says {said}, the source {source}"


def _same_event_bar(kind: str) -> float:
    return SAME_EVENT_COVERAGE_BY_KIND.get(kind, SAME_EVENT_COVERAGE)


def _names(analysis: Analysis) -> list[str]:
    """The claim's content concepts that are names, in order."""
    names = analysis.entities | analysis.capitalized
    return [c for c in analysis.concepts if c in names]


def _sides(held: frozenset[str]) -> set[str]:
    return {side for c in held if (side := SIDE_OF.get(c) or SIDE_OF_NAMES.get(c))}


def _first_conflict(comparisons: list[Comparison]) -> Comparison | None:
    return next((c for c in comparisons if c.agreement is Agreement.CONFLICT), None)


def _any_silent(comparisons: list[Comparison]) -> bool:
    """A value of another kind the fact is silent on (a denial's own stance word aside)."""
    return any(
        c.agreement is Agreement.SILENT and c.kind not in NEEDS_OTHER_VALUES | {"stance"} for c in comparisons
    )


def _unheld_names(claim: Analysis, fact: Analysis) -> set[str]:
    held = _held(fact)
    return {c for c in _names(claim) if c not in held and not name_variants(c, held)}


def _held(analysis: Analysis) -> frozenset[str]:
    return analysis.concept_set | analysis.entities | analysis.speakers | analysis.name_words


def _one_word_changed(quoted: str, source: str) -> bool:
    """A short quote that is the source's words but for one: 'God is greater' / 'God is great'."""
    ours, theirs = quoted.split(), source.split()
    best = max(
        (
            sum(a == b for a, b in zip(ours, theirs[i : i + len(ours)], strict=False))
            for i in range(len(theirs))
        ),
        default=0,
    )
    return best >= len(ours) - 1 and f" {quoted} " not in f" {source} "


def _quote_similarity(quoted: str, source: str) -> float:
    """100 for the source's words or a verbatim fragment of them; else how alike the two are,
    the claim's words compared with the stretch of the source's quote they align to."""
    if f" {quoted} " in f" {source} ":  # whole words: "god is great" is not in "god is greater"
        return 100.0
    if len(quoted.split()) < 4:  # in a short quote every word counts: one changed is altered
        return min(fuzz.ratio(quoted, source), QUOTE_MATCH - 1)
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
    """Inverse document frequency per claim concept, scaled by how much the word says in general
    English. Names weigh more, names the store never saw most; ordinary words the store never saw
    weigh like rare ones, not more (paraphrases bring their own words)."""
    weights, required, unknown = {}, set(), set()
    names = claim.entities | claim.capitalized
    for concept in sorted(set(claim.concepts)):
        df = frequencies.get(concept, 0)
        is_name = concept in names
        floor = 0 if is_name else UNSEEN_WORD_SHARE * total  # an unseen word weighs as a common-ish one
        weight = math.log((total + 1) / (max(df, floor) + 1)) + 1.0
        if is_name:
            weight *= UNSEEN_NAME_BOOST if df == 0 else NAME_BOOST
            if df == 0:
                unknown.add(concept)
            elif df / max(total, 1) < REQUIRED_NAME_SHARE:
                required.add(concept)
        else:
            weight *= claim.informativeness.get(concept, 1.0)
        weights[concept] = weight
    return ClaimWeights(weights, frozenset(required), frozenset(unknown))


@dataclass(frozen=True)
class EventMatch:
    """How far a fact is about the claim's event, values aside."""

    coverage: float  # weighted share of the claim's content the fact holds
    shared: int  # how many of the claim's content concepts it holds
    missing_name: bool  # it lacks a rare or unknown name the claim is about
    predicate: float  # the share of what the claim says *about* its names that the fact holds
    spread: float = 0.0  # how far apart the claim's words lie in the fact, per claim word
    heaviest_missing: float = 0.0  # the largest share of the claim's weight one unheld word carries

    def is_same_event(self, kind: str) -> bool:
        """Whether a value of `kind` this fact states may contradict the claim's: it holds the
        claim's rare names (unless the conflict is itself about a word both hold, as a denial
        is), shares enough of its content, and covers it to the kind's bar."""
        names_ok = not self.missing_name or kind in CONFLICTS_ON_SHARED_WORDS
        bar = _same_event_bar(kind)
        return (
            names_ok
            and self.shared >= MIN_SHARED_CONCEPTS
            and self.coverage >= bar
            and self.predicate >= PREDICATE_COVERAGE
        )

    @property
    def supports(self) -> bool:
        return (
            self.coverage >= SUPPORT_COVERAGE
            and self.predicate >= PREDICATE_COVERAGE
            and self.spread <= MAX_SPREAD
            and self.heaviest_missing <= MAX_MISSING_SHARE
            and not self.missing_name
        )


def same_event(claim: Analysis, fact: Analysis, weights: ClaimWeights) -> EventMatch:
    held = _held(fact)
    concepts = sorted(set(claim.concepts) - claim.cue_concepts)  # sorted: the same float sums every run
    names = claim.entities | claim.capitalized
    # each word looked up once
    holds = {c: c in held or _fuzzy_member(c, held, name=c in names) for c in concepts}
    said = [c for c in concepts if c not in names]  # what the claim says about its names
    missing = any(
        not holds[c] and (c in weights.required_names or c in weights.unknown_names) for c in concepts
    )
    return EventMatch(
        coverage=_held_share(concepts, holds, weights),
        shared=sum(1 for c in concepts if c in held),
        missing_name=missing,
        # a claim of names alone says nothing more about them to miss
        predicate=_held_share(said, holds, weights) if set(claim.concepts) - names else 1.0,
        spread=_spread(claim, fact),
        # a missing name is judged as a name (required_names), not as the word the claim turns on
        heaviest_missing=_heaviest_missing(concepts, said, holds, weights),
    )


def _held_share(concepts: list[str], holds: dict[str, bool], weights: ClaimWeights) -> float:
    total = matched = 0.0
    for concept in concepts:
        weight = weights.weights.get(concept, 1.0)
        total += weight
        matched += weight if holds[concept] else 0.0
    return matched / total if total else 0.0


def _heaviest_missing(
    concepts: list[str], said: list[str], holds: dict[str, bool], weights: ClaimWeights
) -> float:
    """The share of the claim's weight carried by its heaviest word the fact lacks: a fact
    missing the one word a claim turns on ("losses are *overestimated*") does not say it."""
    total = sum(weights.weights.get(c, 1.0) for c in concepts)
    unheld = [weights.weights.get(c, 1.0) for c in said if not holds[c]]
    return max(unheld, default=0.0) / total if total else 0.0


def _spread(claim: Analysis, fact: Analysis) -> float:
    """The shortest stretch of the fact's concepts holding every claim concept it holds, per
    concept held: 1.0 when they stand together, large when they are scattered over a long
    sentence that speaks of other things ("renewable energy ... jobs ... investments")."""
    wanted = set(claim.concepts) - claim.cue_concepts
    positions = [(i, c) for i, c in enumerate(fact.concepts) if c in wanted]
    found = {c for _, c in positions}
    if len(found) < 2:
        return 1.0
    best, start = len(fact.concepts), 0
    counts: dict[str, int] = {}
    for i, c in positions:
        counts[c] = counts.get(c, 0) + 1
        while len(counts) == len(found):
            best = min(best, i - positions[start][0] + 1)
            first = positions[start][1]
            counts[first] -= 1
            if not counts[first]:
                del counts[first]
            start += 1
    return best / len(found)


def _coverage(claim: Analysis, fact: Analysis, weights: ClaimWeights) -> tuple[float, bool]:
    """Weighted share of the claim's concepts the fact holds, and whether the fact misses a name
    the claim is about (an unknown or rarely reported actor or place makes it another story)."""
    return held_coverage(claim, _held(fact), weights)


def held_coverage(claim: Analysis, held: frozenset[str], weights: ClaimWeights) -> tuple[float, bool]:
    """`_coverage` against a plain set of concepts — the fact's index terms give an upper bound
    on its coverage without analysing it. Summed in sorted order: the same floats every run."""
    total = matched = 0.0
    missing_name = False
    names = claim.entities | claim.capitalized
    for concept in sorted(set(claim.concepts) - claim.cue_concepts):
        weight = weights.weights.get(concept, 1.0)
        total += weight
        if concept in held or _fuzzy_member(concept, held, name=concept in names):
            matched += weight
        elif concept in weights.required_names or concept in weights.unknown_names:
            missing_name = True
    return (matched / total if total else 0.0), missing_name


def _fuzzy_member(concept: str, held: frozenset[str], *, name: bool = False) -> bool:
    """Whether `held` has `concept` misspelt or, for a `name`, in another transliteration (only
    names: stems are no words, and "retak" sounds like "retook")."""
    if name and name_variants(concept, held):
        return True
    if len(concept) < FUZZY_MIN_LENGTH:
        return False
    # Only whether some held word is close counts, not which: the set's order does not matter.
    hit = process.extractOne(concept, held, scorer=fuzz.ratio, processor=None, score_cutoff=FUZZY_WORD)
    return hit is not None


def _support_reason(comparisons: list[Comparison]) -> str:
    agreed = [label(c.kind) for c in comparisons if c.agreement is Agreement.AGREE]
    return "matches the source" + (f" ({', '.join(agreed)} agree)" if agreed else "")
