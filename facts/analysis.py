"""What a sentence asserts, in comparable form: its content concepts, names, negations, polarity,
quantities, dates, directions, quoted words and speakers.

The same `Analyzer` reads claims and fact evidence, so both sides are compared like for like:

    >>> analyzer.analyze("Rebels took about 20 villages on Wednesday").quantities[0].low
    16.0
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TypeVar

from facts import lexicon
from facts.aliases import AliasIndex
from facts.dates import last_date, spell_dates
from facts.index_terms import MAX_PHRASE, Unit, read
from facts.numbers import UnitReading, spell_numbers, unit_at
from facts.text import stem, stems, unify_marks, words
from facts.tuning import UNIT_TOLERANCE
from facts.wordinfo import informativeness, is_unknown_word

_DOUBLE_QUOTED = re.compile(r'"([^"]{2,600})"')
_SINGLE_QUOTED = re.compile(r"(?:^|(?<=[\s(\[:]))'(.{2,300}?)'(?=[\s.,;:!?)\]]|$)")
_COLON_SPEAKER = re.compile(r"(?:^|[.!?]\s+)([^\"':.!?]{2,60}):\s*[\"']")
_QUESTION = re.compile(r"\?[\s\"')\].]*$")
_CAPITALIZED = re.compile(r"(?<![\w'-])([A-Z][A-Za-z']*)")  # "Kurdish-led": only "Kurdish"
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"(\[]\s*|\n\s*)$")
# Role words that name no particular speaker ("Officials said ...").
_GENERIC_SPEAKERS = frozenset(
    stems(
        "officials official witnesses witness sources source residents analysts experts reports "
        "media he she they it we activists observers diplomats critics locals people"
    )
)


V = TypeVar("V")


@dataclass(frozen=True)
class Quantity:
    """A number as a range, with the concepts of what it counts: "at least 15 soldiers"."""

    low: float
    high: float
    phrase: str
    nouns: frozenset[str]
    head: str | None = None  # the first of them: what is counted ("fighters" in "dozens of fighters")
    unit: UnitReading | None = None  # a unit of measure: "10 miles", "245 square kilometres", "30%"
    implicit: bool = False  # "a helicopter": one, though no number is written (never a claim's value)

    def counts_same_thing(self, other: Quantity) -> bool:
        """Whether both count one thing: measures of one dimension (miles and km), else one's
        head is among the other's nouns."""
        if self.unit is not None and other.unit is not None:
            return self.unit.dimension == other.unit.dimension
        return (self.head in other.nouns) or (other.head in self.nouns)

    def compatible(self, other: Quantity) -> bool:
        """Whether both can be true: their ranges (in base units when both are measures) share a
        value. Two ranges that only touch ("about 20", 16-24, and "dozens", 24 and up) share no
        plausible one; a converted measure is allowed its rounding ("10 miles" is "16 km")."""
        (a_low, a_high), (b_low, b_high) = (self.low, self.high), (other.low, other.high)
        if self.unit is not None and other.unit is not None:  # both measures: compare in base units
            (a_low, a_high), (b_low, b_high) = self._base_range(), other._base_range()
            if self.unit.name != other.unit.name:
                a_low, a_high = a_low * (1 - UNIT_TOLERANCE), a_high * (1 + UNIT_TOLERANCE)
        low, high = max(a_low, b_low), min(a_high, b_high)
        if a_low < a_high and b_low < b_high:
            return low < high
        return low <= high

    def _base_range(self) -> tuple[float, float]:
        assert self.unit is not None
        high = self.high if _unbounded(self.high) else self.unit.to_base(self.high)
        return self.unit.to_base(self.low), high


def _unbounded(value: float) -> bool:
    return value == lexicon.INF


@dataclass(frozen=True)
class Analysis:
    """Everything the verifier compares between a claim and a fact."""

    concepts: tuple[str, ...]
    entities: frozenset[str]
    capitalized: frozenset[str]
    negated: frozenset[str]
    polarity: frozenset[tuple[str, int]]
    quantities: tuple[Quantity, ...]
    years: frozenset[int]  # when the event happened
    weekdays: frozenset[int]
    monthdays: frozenset[tuple[int, int]]
    directions: frozenset[str]
    quotes: tuple[str, ...]
    named_quotes: tuple[str, ...]  # quoted names in title case: 'Dawn of Freedom'
    located_in: frozenset[str]  # names right after in/at/near: where something happened
    speakers: frozenset[str]
    cue_concepts: frozenset[str] = field(default=frozenset())
    period_years: frozenset[int] = field(default=frozenset())  # bounds of a period: "since 2016"
    # Superlatives and ordinals as (scale, position, what they rank): ("magnitude", 2, "citi").
    ranks: frozenset[tuple[str, int, str]] = field(default=frozenset())
    # The words of the names an entity key stands for: "Shaheen" is part of "Shaheen Brigades".
    name_words: frozenset[str] = field(default=frozenset())
    is_question: bool = False  # "Are polar bear populations increasing?": asks, asserts nothing
    # The day the words were said ("aid workers said on 3 September"), apart from the event's.
    spoken_weekdays: frozenset[int] = field(default=frozenset())
    spoken_monthdays: frozenset[tuple[int, int]] = field(default=frozenset())
    # How much each concept says in general English (1.0 names and rare words, less for "let").
    informativeness: dict[str, float] = field(default_factory=dict, compare=False)

    @property
    def stated_quantities(self) -> tuple[Quantity, ...]:
        """The numbers the text writes ("32 villages", "dozens"), not the one in "a helicopter"."""
        return tuple(q for q in self.quantities if not q.implicit)

    @property
    def concept_set(self) -> frozenset[str]:
        return frozenset(self.concepts)


@dataclass
class Analyzer:
    """Turns text into an `Analysis`, resolving aliases and relative weekdays."""

    aliases: AliasIndex

    def analyze(self, text: str, *, reference: date | None = None) -> Analysis:
        plain = spell_dates(spell_numbers(unify_marks(text)), reference)
        reading = read(plain, self.aliases)
        tokens, raw, units = reading.tokens, reading.raw, reading.units
        spans = _number_spans(raw)
        slots = _slot_stems(raw) | {i for span in spans for i in range(span.start, span.end)}
        content = [u for u in units if _is_content(u, slots)]
        polarity, cue_idx = _polarity(raw)
        ranks, rank_idx = _ranks(raw)
        cue_idx |= rank_idx
        counted = frozenset(id(u) for u in content)
        quantities, stated_years, period_years = _quantities(spans, tokens, units, counted)
        weekdays, monthdays = _dates(raw, reference, spoken=False)
        spoken_weekdays, spoken_monthdays = _dates(raw, reference, spoken=True)
        capitalized = self._capitalized(plain) | _unknown_words(content, tokens)
        cue_concepts = frozenset(u.concept for u in content if u.start in cue_idx)
        return Analysis(
            concepts=tuple(u.concept for u in content),
            entities=frozenset(u.concept for u in units if u.is_entity),
            capitalized=capitalized,
            negated=_negated(raw, units, rank_idx),
            polarity=polarity,
            quantities=quantities,
            years=stated_years | _calendar_years(raw),
            period_years=period_years,
            weekdays=weekdays,
            monthdays=monthdays,
            directions=_directions(raw),
            quotes=_quotes(plain),
            named_quotes=_named_quotes(plain),
            located_in=_located_in(units, capitalized),
            speakers=self._speakers(plain, units, capitalized),
            cue_concepts=cue_concepts,
            ranks=ranks,
            is_question=_QUESTION.search(plain) is not None,
            spoken_weekdays=spoken_weekdays,
            spoken_monthdays=spoken_monthdays,
            name_words=self._name_words(units),
            informativeness=_informativeness(content, tokens),
        )

    def _capitalized(self, plain: str) -> frozenset[str]:
        """Concepts of words written with a capital away from a sentence start, and of acronyms
        anywhere (names)."""
        found: set[str] = set()
        for match in _CAPITALIZED.finditer(plain):
            acronym = len(match.group(1)) > 1 and match.group(1).isupper()  # "BBC", even first
            if not acronym and _SENTENCE_START.search(plain[: match.start()]):
                continue
            for tok, is_entity in self.aliases.canonicalize(words(match.group(1))):
                found.add(tok if is_entity else stem(tok))
        return frozenset(found - lexicon.STOPWORDS)

    def _speakers(self, plain: str, units: list[Unit], capitalized: frozenset[str]) -> frozenset[str]:
        """Names attributed speech: "Peskov said", "said Peskov", "Resul Serdar: '...'"."""
        found: set[str] = set()
        for match in _COLON_SPEAKER.finditer(plain):
            found.update(self._name_concepts(match.group(1)))
        for i, unit in enumerate(units):
            if unit.concept not in lexicon.SPEECH_VERBS:
                continue
            for j in (i - 1, i + 1):
                neighbour = units[j] if 0 <= j < len(units) else None
                if neighbour is None or neighbour.concept in lexicon.STOPWORDS:
                    continue
                if neighbour.is_entity or neighbour.concept in capitalized or j == 0:
                    found.add(neighbour.concept)
                    found.update(_person_of(units, j, capitalized) if j < i else ())
        return frozenset(found - _GENERIC_SPEAKERS)

    def _name_words(self, units: list[Unit]) -> frozenset[str]:
        found: set[str] = set()
        for unit in units:
            name = self.aliases.name_of(unit.concept) if unit.is_entity else None
            if name:
                found.update(stem(w) for w in words(name) if len(w) > 2)
        return frozenset(found - lexicon.STOPWORDS)

    def _name_concepts(self, name: str) -> set[str]:
        return {
            tok if is_entity else stem(tok) for tok, is_entity in self.aliases.canonicalize(words(name))
        } - lexicon.STOPWORDS

    def speaker_concepts(self, name: str) -> frozenset[str]:
        """Concepts of a speaker's name, for comparing with a claim's `speakers`."""
        return frozenset(self._name_concepts(name))


def _slot_stems(raw: list[str]) -> set[int]:
    """Positions of words compared as values (numbers, dates, directions), not as content."""
    slots = set()
    for i, tok in enumerate(raw):
        if _is_figure(tok) or tok in lexicon.WEEKDAYS or tok in lexicon.MONTHS:
            slots.add(i)
        elif tok in lexicon.NUMBER_WORDS or (tok,) in lexicon.DIRECTIONS:
            slots.add(i)
    return slots


def _is_content(unit: Unit, slot_stems: set[int]) -> bool:
    if unit.is_entity:
        return True
    if unit.start in slot_stems and unit.end - unit.start == 1:
        return False
    return unit.concept not in lexicon.STOPWORDS and unit.concept not in lexicon.NEGATION_CUES


_FIRST_WORDS: dict[int, frozenset[str]] = {}


def _first_words(table: dict[tuple[str, ...], V]) -> frozenset[str]:
    """The words a phrase of `table` can start with (the lexicon's tables never change)."""
    found = _FIRST_WORDS.get(id(table))
    if found is None:
        found = _FIRST_WORDS[id(table)] = frozenset(key[0] for key in table)
    return found


def _phrase_at(raw: list[str], i: int, table: dict[tuple[str, ...], V]) -> tuple[tuple[str, ...], V] | None:
    if raw[i] not in _first_words(table):
        return None
    for size in range(min(MAX_PHRASE, len(raw) - i), 0, -1):
        key = tuple(raw[i : i + size])
        if key in table:
            return key, table[key]
    return None


def _negation_starts(raw: list[str]) -> list[int]:
    """Indexes just past each negation cue ("not", "none", "rather than", "hadn't")."""
    starts = []
    for i, tok in enumerate(raw):
        if tok in lexicon.NEGATION_CUES:
            starts.append(i + 1)
        if tok not in _NEGATION_PHRASE_STARTS:
            continue
        for phrase in lexicon.NEGATION_PHRASES:
            if tuple(raw[i : i + len(phrase)]) == phrase:
                starts.append(i + len(phrase))
    return starts


_NEGATION_PHRASE_STARTS = frozenset(phrase[0] for phrase in lexicon.NEGATION_PHRASES)
_POLARITY_BY_FIRST: dict[str, list[tuple[tuple[str, ...], tuple[str, int]]]] = {}
for _cue, _end in lexicon.POLARITY_PHRASES.items():
    _POLARITY_BY_FIRST.setdefault(_cue[0], []).append((_cue, _end))


# What `negated` holds for a negation whose object is not found: only a denial can confirm it.
DENIAL = "<denial>"


def _negated(raw: list[str], units: list[Unit], ranked: set[int]) -> frozenset[str]:
    """The first content concept after each negation cue: "no troops" negates "troop". A cue that
    is part of a rank ("no bigger breach") denies nothing."""
    by_start = {u.start: u for u in units}
    negated = set()
    for start in _negation_starts(raw):
        if start in ranked or start - 1 in ranked:
            continue
        for j in range(start, min(start + 5, len(raw))):
            unit = by_start.get(j)
            if unit is None or unit.concept in lexicon.AUXILIARIES:
                continue
            if unit.concept in lexicon.STOPWORDS or unit.concept in lexicon.NEGATION_CUES:
                continue
            negated.add(unit.concept)
            break
        else:  # "there is simply no evidence that it is": a denial whose object we cannot read
            negated.add(DENIAL)
    return frozenset(negated)


def _polarity(raw: list[str]) -> tuple[frozenset[tuple[str, int]], set[int]]:
    """Ends of meaning axes the text takes, flipped by a negation just before the cue."""
    negation_ends = _negation_starts(raw)
    found: set[tuple[str, int]] = set()
    cue_positions: set[int] = set()
    present = set(raw)
    cues = [c for word in sorted(present & _POLARITY_BY_FIRST.keys()) for c in _POLARITY_BY_FIRST[word]]
    for cue, (axis, sign) in cues:
        if not present.issuperset(cue):
            continue
        for positions in _gapped_matches(raw, cue):
            flipped = any(0 <= positions[0] - end <= 3 for end in negation_ends)
            found.add((axis, -sign if flipped else sign))
            cue_positions.update(positions)
    return frozenset(found), cue_positions


def _ranks(raw: list[str]) -> tuple[frozenset[tuple[str, int, str]], set[int]]:
    """Superlatives and ordinals as (scale, position, the next content word): "second-largest
    city" -> ("magnitude", 2, "citi")."""
    found: set[tuple[str, int, str]] = set()
    positions: set[int] = set()
    for i, key, (scale, position) in _phrase_hits(raw, lexicon.RANK_PHRASES):
        ordinal = lexicon.ORDINALS.get(raw[i - 1]) if i else None
        start = i - 1 if ordinal and position == 1 else i
        position = ordinal if ordinal and position == 1 else position
        found.add((scale, position, _next_content(raw, i + len(key))))
        if scale in lexicon.VALUE_RANK_SCALES:  # a stated value: its words are no content
            positions.update(range(start, i + len(key)))
    return frozenset(found), positions


def _next_content(raw: list[str], start: int) -> str:
    """The first word after `start` that is no stopword ('' if none within three)."""
    return next((t for t in raw[start : start + 3] if t not in lexicon.STOPWORDS), "")


def _unknown_words(content: list[Unit], tokens: list[str]) -> frozenset[str]:
    """Concepts of words general English does not know: names, whatever their case."""
    return frozenset(
        u.concept
        for u in content
        if not u.is_entity and u.end - u.start == 1 and is_unknown_word(tokens[u.start])
    )


def _informativeness(content: list[Unit], tokens: list[str]) -> dict[str, float]:
    """Each content concept's weight in general English: names 1.0, "happened" little."""
    return {
        u.concept: 1.0 if u.is_entity else max(informativeness(t) for t in tokens[u.start : u.end])
        for u in content
    }


def _gapped_matches(raw: list[str], cue: tuple[str, ...], gap: int = 4) -> list[list[int]]:
    """Word positions where the cue's words occur in order, each within `gap` of the last
    (three-word cues must be contiguous): "treated the prisoners well" matches "treated well"."""
    matches = []
    for i, tok in enumerate(raw):
        if tok != cue[0]:
            continue
        positions = [i]
        for word in cue[1:]:
            window = raw[positions[-1] + 1 : positions[-1] + 1 + (1 if len(cue) > 2 else gap)]
            if word not in window:
                break
            positions.append(positions[-1] + 1 + window.index(word))
        else:
            matches.append(positions)
    return matches


@dataclass(frozen=True)
class _NumberSpan:
    low: float
    high: float
    start: int  # where its qualifier starts
    end: int
    is_year: bool
    is_bound: bool = False  # a year bounding a period ("since 2016"), not when the event happened
    implicit: bool = False  # "a helicopter"


def _is_figure(token: str) -> bool:
    """ "32", "2.5" (words() keeps a decimal whole)."""
    return token.isdigit() or (token.count(".") == 1 and token.replace(".", "").isdigit())


def _iso_dates(raw: list[str]) -> list[int]:
    """Where "2024-11-27" (read as the words 2024 11 27) starts."""
    return [
        i
        for i in range(len(raw) - 2)
        if len(raw[i]) == 4
        and raw[i].isdigit()
        and raw[i + 1].isdigit()
        and raw[i + 2].isdigit()
        and 1 <= int(raw[i + 1]) <= 12
        and 1 <= int(raw[i + 2]) <= 31
        and len(raw[i + 1]) <= 2
        and len(raw[i + 2]) <= 2
    ]


def _calendar_positions(raw: list[str]) -> set[int]:
    """Day and year numbers written with a month ("November 27, 2024"): parts of a date."""
    positions: set[int] = set()
    for i in _iso_dates(raw):
        positions.update((i, i + 1, i + 2))
    for i, tok in enumerate(raw):
        if tok not in lexicon.MONTHS or _day_near(raw, i) is None:
            continue
        for j in range(max(i - 1, 0), min(i + 3, len(raw))):
            if raw[j].isdigit():
                positions.add(j)
    return positions


_PERIOD_BOUNDS = frozenset(stems("since until till before after"))


def _calendar_years(raw: list[str]) -> frozenset[int]:
    """Years written inside calendar dates ("November 27, 2024", "2024-11-27")."""
    years = {int(raw[i]) for i in _iso_dates(raw)}
    for i, tok in enumerate(raw):
        if tok in lexicon.MONTHS and _day_near(raw, i) is not None:
            years.update(int(t) for t in raw[i + 1 : i + 3] if len(t) == 4 and t.isdigit())
    return frozenset(years)


_ARTICLES = frozenset(("a", "an"))


def _is_singular_article(raw: list[str], i: int) -> bool:
    following = raw[i + 1] if i + 1 < len(raw) else ""
    return raw[i] in _ARTICLES and following.isalpha() and following not in lexicon.STOPWORDS


def _number_spans(raw: list[str]) -> list[_NumberSpan]:
    """Every number, vague quantity or year with its qualifier, as word spans."""
    spans = []
    calendar = _calendar_positions(raw)
    i = 0
    while i < len(raw):
        if i in calendar:
            i += 1
            continue
        parsed = _number_at(raw, i)
        if parsed is None:
            if _is_singular_article(raw, i):  # "a helicopter": one, said without a number
                spans.append(_NumberSpan(1.0, 1.0, i, i + 1, False, implicit=True))
            i += 1
            continue
        low, high, end, is_year = parsed
        qualifier, start = (None, i) if is_year else _qualifier_before(raw, i)
        low, high = _apply_qualifier(qualifier, low, high)
        is_bound = is_year and i > 0 and raw[i - 1] in _PERIOD_BOUNDS
        spans.append(_NumberSpan(low, high, start, end, is_year, is_bound))
        i = end
    return spans


def _quantities(
    spans: list[_NumberSpan], tokens: list[str], units: list[Unit], content: frozenset[int]
) -> tuple[tuple[Quantity, ...], frozenset[int], frozenset[int]]:
    years = frozenset(int(span.low) for span in spans if span.is_year and not span.is_bound)
    bounds = frozenset(int(span.low) for span in spans if span.is_bound)
    found = []
    starts = [span.start for span in spans]
    for n, span in enumerate(spans):
        if span.is_year:
            continue
        unit = unit_at(tokens, span.end)
        phrase = " ".join(tokens[span.start : unit.end if unit else span.end + span.implicit])
        following = starts[n + 1] if n + 1 < len(starts) else len(tokens)  # "six kids and nine women"
        reach = 2 if span.implicit else 4
        nouns, head = _counted(units, content, span.end, reach=reach, stop=following)
        found.append(Quantity(span.low, span.high, phrase, nouns, head, unit, span.implicit))
    return tuple(found), years, bounds


_NOT_ALONE = frozenset(stems("one hundred thousand million"))  # "one of", "hundreds of" ...


def _number_at(raw: list[str], i: int) -> tuple[float, float, int, bool] | None:
    """(low, high, end index, is_year) of a number starting at i, or None."""
    vague = _phrase_at(raw, i, lexicon.VAGUE_QUANTITIES)
    if vague is not None:
        key, (low_bound, high_bound) = vague
        return float(low_bound), float(high_bound), i + len(key), False
    tok = raw[i]
    if _is_figure(tok):
        value = float(tok)
        nxt = raw[i + 1] if i + 1 < len(raw) else ""
        if nxt in lexicon.SCALE_WORDS:
            return value * lexicon.SCALE_WORDS[nxt], value * lexicon.SCALE_WORDS[nxt], i + 2, False
        is_year = 1900 <= value <= 2100 and len(tok) == 4
        return value, value, i + 1, is_year
    if tok in lexicon.NUMBER_WORDS and tok not in _NOT_ALONE:
        value = float(lexicon.NUMBER_WORDS[tok])
        return value, value, i + 1, False
    return None


def _qualifier_before(raw: list[str], i: int) -> tuple[str | None, int]:
    for size in (3, 2, 1):
        start = i - size
        if start >= 0 and tuple(raw[start:i]) in lexicon.QUALIFIERS:
            return lexicon.QUALIFIERS[tuple(raw[start:i])], start
    return None, i


def _apply_qualifier(qualifier: str | None, low: float, high: float) -> tuple[float, float]:
    if qualifier == "at_least":
        return low, lexicon.INF
    if qualifier == "at_most":
        return 0.0, high
    if qualifier == "about":
        return low * 0.8, high * 1.2
    return low, high


_PHRASE_ENDS = frozenset(
    stems(
        "including in at from on with by among near across during after before to for since "
        "through into over against toward towards via under around"
    )
)


def _counted(
    units: list[Unit], content: frozenset[int], end: int, *, reach: int = 4, stop: int | None = None
) -> tuple[frozenset[str], str | None]:
    """The noun phrase after a number — up to four content concepts, ending at a preposition —
    and its head: the first of them that is no name and no side ("regime soldiers" -> soldier)."""
    phrase: list[Unit] = []
    for unit in units:
        if unit.start < end:
            continue
        if (
            unit.concept in _PHRASE_ENDS
            or len(phrase) == reach
            or unit.start >= min(end + 8, stop or end + 8)
        ):
            break
        if id(unit) in content:
            phrase.append(unit)
    heads = (u.concept for u in phrase if not u.is_entity and u.concept not in lexicon.COUNT_MODIFIERS)
    return frozenset(u.concept for u in phrase), next(heads, None)


def _dates(
    raw: list[str], reference: date | None, *, spoken: bool
) -> tuple[frozenset[int], frozenset[tuple[int, int]]]:
    """The weekdays and calendar days of the event, or (`spoken`) of the speaking."""
    weekdays: set[int] = set()
    monthdays: set[tuple[int, int]] = {
        (int(raw[i + 1]), int(raw[i + 2])) for i in _iso_dates(raw) if _speech_date(raw, i, reach=3) == spoken
    }
    for i, tok in enumerate(raw):
        if _speech_date(raw, i) != spoken:
            continue
        if tok in lexicon.WEEKDAYS:
            weekday = lexicon.WEEKDAYS[tok]
            weekdays.add(weekday)
            if reference is not None:
                resolved = _last_weekday(reference, weekday)
                monthdays.add((resolved.month, resolved.day))
        elif tok in lexicon.MONTHS:
            day = _day_near(raw, i)
            if day is not None:
                monthdays.add((lexicon.MONTHS[tok], day))
    if reference is not None:  # a calendar day read against the article's date has its weekday
        weekdays.update(d.weekday() for d in (last_date(reference, m, d) for m, d in monthdays) if d)
    return frozenset(weekdays), frozenset(monthdays)


def _speech_date(raw: list[str], i: int, *, reach: int = 2) -> bool:
    """Whether the day at i dates the speaking, not the event: "officials said Thursday that",
    "said on Thursday, November 28" (a weekday before the date is part of it)."""
    while i > 0 and raw[i - 1] in lexicon.WEEKDAYS:
        i -= 1
    return any(raw[j] in lexicon.SPEECH_VERBS for j in range(max(i - reach, 0), i))


def _person_of(units: list[Unit], end: int, capitalized: frozenset[str]) -> set[str]:
    """The person in "Rehdheer Dirshimfeel of Saraya Dubjeh said": the name before "of" when the
    name ending at `end` (the organisation) follows it, so the speaker is not only the group."""
    k = end
    while k >= 0 and _is_name(units[k], capitalized):
        k -= 1
    while k >= 1 and units[k].concept == "the":
        k -= 1
    if k < 1 or units[k].concept != "of" or not _is_name(units[k - 1], capitalized):
        return set()
    return {units[k - 1].concept}


def _is_name(unit: Unit, capitalized: frozenset[str]) -> bool:
    return unit.is_entity or unit.concept in capitalized


def _last_weekday(reference: date, weekday: int) -> date:
    """The latest date on or before `reference` falling on `weekday` (news reports the past)."""
    return reference - timedelta(days=(reference.weekday() - weekday) % 7)


def resolve_weekday(reference: date, weekday_name: str) -> date:
    """ "Wednesday" in an article of Friday 2024-11-29 -> 2024-11-27."""
    return _last_weekday(reference, lexicon.WEEKDAYS[stem(weekday_name.lower())])


def _day_near(raw: list[str], i: int) -> int | None:
    for j in (i + 1, i - 1):
        if 0 <= j < len(raw) and raw[j].isdigit() and 1 <= int(raw[j]) <= 31:
            return int(raw[j])
    return None


def _directions(raw: list[str]) -> frozenset[str]:
    found: set[str] = set()
    for i, key, dirs in _phrase_hits(raw, lexicon.DIRECTIONS):
        if raw[i + len(key) : i + len(key) + 1] and raw[i + len(key)] in lexicon.NOT_COMPASS_AFTER:
            continue  # "Western governments": the political West, not a compass direction
        found.update(dirs)
    return frozenset(found)


def _phrase_hits(raw: list[str], table: dict[tuple[str, ...], V]) -> Iterator[tuple[int, tuple[str, ...], V]]:
    """Each longest phrase of `table` in `raw`, left to right, with where it starts."""
    i = 0
    while i < len(raw):
        hit = _phrase_at(raw, i, table)
        if hit is None:
            i += 1
            continue
        yield i, hit[0], hit[1]
        i += len(hit[0])


_LOCATIVES = frozenset(("in", "at", "near"))


def _located_in(units: list[Unit], capitalized: frozenset[str]) -> frozenset[str]:
    """Names following "in", "at" or "near" (a "the" between allowed): "an airbase in Idlib"."""
    found = set()
    for i, unit in enumerate(units[:-1]):
        if unit.concept not in _LOCATIVES:
            continue
        nxt = units[i + 2] if units[i + 1].concept == "the" and i + 2 < len(units) else units[i + 1]
        if nxt.is_entity or nxt.concept in capitalized:
            found.add(nxt.concept)
    return frozenset(found)


def _quoted_spans(plain: str) -> list[str]:
    spans = [m.group(1) for m in _DOUBLE_QUOTED.finditer(plain)]
    return spans + [m.group(1) for m in _SINGLE_QUOTED.finditer(plain)]


def _quotes(plain: str) -> tuple[str, ...]:
    return tuple(" ".join(words(s)) for s in _quoted_spans(plain) if len(words(s)) >= 2)


_NAME_WORD = re.compile(r"^(?:[A-Z0-9][\w'-]*|of|the|and|for|al-\w+|to)$")


def _named_quotes(plain: str) -> tuple[str, ...]:
    """Quoted spans that are names (every word capitalised but small ones): 'Dawn of Freedom'."""
    names = []
    for span in _quoted_spans(plain):
        tokens = span.strip(" .,").split()
        if 1 <= len(tokens) <= 6 and tokens[0][:1].isupper() and all(_NAME_WORD.match(t) for t in tokens):
            names.append(" ".join(words(span)))
    return tuple(names)
