"""Automatic extraction of facts from a seed article: quotes with their speakers, numbers with
their qualifiers, dates with relative weekdays resolved, places, and every other sentence as an
event. Each fact keeps the verbatim evidence and its character offsets in the article."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from facts import lexicon
from facts.analysis import Analyzer, resolve_weekday
from facts.model import Fact, FactKind, FactOrigin, Source
from facts.text import stems, words

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)\]]?\s+(?=[\"“A-Z0-9])|\n+")
_QUOTE = re.compile(r"[\"“]([^\"“”]{8,600})[\"”]")
_SPEECH = r"(?:said|says|stated|remarked|told|added|noted|declared|declaring|shouting|wrote|warned)"
_NAME = r"(?!(?:He|She|It|They|We)\b)[A-Z][\w'’.-]+(?:\s+(?:al-|bin\s|de\s)?[A-Z][\w'’-]+){0,3}"
_NAME_BEFORE_VERB = re.compile(rf"({_NAME})(?:,\s[^,]{{3,120}},)?\s+{_SPEECH}\b")
_ROLE_BEFORE_VERB = re.compile(rf"\b((?:[Aa]|[Aa]n|[Aa]nother|[Oo]ne)\s+[a-z]+(?:\s+[a-z]+)?)\s+{_SPEECH}\b")
_VERB_THEN_NAME = re.compile(rf"{_SPEECH}\s+({_NAME})")
_PRONOUN_SPEAKER = re.compile(rf"\b(?:he|she|He|She)\s+{_SPEECH}\b")
_WEEKDAY = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_PLACE = re.compile(
    r"\b(?:in|at|near|of|from|toward|towards|into|around|outside|including)\s+(?:the\s+)?"
    r"((?:[A-Z][\w'’-]+)(?:\s+(?:al-)?[A-Z][\w'’-]+){0,3})"
)
_NOT_PLACES = frozenset(
    "Syrian Friday Thursday Wednesday Al Jazeera CNN Anadolu Agency President Assad Hezbollah "
    "Iranian Russian Turkish The This It Some Footage Analysts Gaza".split()
)
_POSSESSIVE_PREFIX = re.compile(r"^.*[’']s\s+")
# A sentence that leans on the one before it ("that year", "It described ...", "He added").
_ANAPHORA = re.compile(
    r"\b(?:that|this|those|these|the same)\s+(?:year|day|week|month|town|city|highway|road|area|"
    r"base|offensive|attack|campaign|time|monitor)\b|^(?:He|She|It|They|The war monitor|The ministry)\b"
)
_NAME_RUN = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:al-|of\s+|for\s+)?[A-Z][\w'’-]*)*")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_NOT_NAMES = frozenset("The A An It He She They This That But And In On At As After Before".split())


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def sentences(text: str) -> list[Sentence]:
    """Sentences with their offsets in `text` (the slice text[start:end] equals `.text`)."""
    found: list[Sentence] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.start() + len(match.group(0).rstrip()) if match.group(0).strip() else match.start()
        _append(found, text, start, end)
        start = match.end()
    _append(found, text, start, len(text))
    return found


def _append(found: list[Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if stripped:
        offset = start + chunk.index(stripped)
        found.append(Sentence(offset, offset + len(stripped), stripped))


@dataclass
class Extractor:
    """Runs every extractor over one article."""

    analyzer: Analyzer

    def extract(self, source: Source, text: str) -> list[Fact]:
        facts: list[Fact] = []
        last_speaker: str | None = None
        previous: Sentence | None = None
        for sentence in sentences(text):
            quote_facts, last_speaker = self._quotes(source, text, sentence, previous, last_speaker)
            found = quote_facts + self._numbers(source, sentence)
            found += self._dates(source, sentence) + self._places(source, sentence)
            if not quote_facts:
                found.append(self._fact(source, sentence, FactKind.EVENT, sentence.text, "event"))
            note = context_note(sentence.text, previous.text if previous else "")
            facts += [f.with_changes(statement=f"{f.statement} {note}") if note else f for f in found]
            previous = sentence
        return facts

    def _fact(
        self, source: Source, span: Sentence, kind: FactKind, statement: str, tag: str, **fields
    ) -> Fact:
        return Fact(
            kind=kind,
            statement=statement,
            source_id=source.id,
            evidence=span.text,
            start=span.start,
            end=span.end,
            key=f"{source.id}:{span.start}-{span.end}:{kind}:{tag}",
            origin=FactOrigin.EXTRACTED,
            **fields,
        )

    def _quotes(
        self, source: Source, text: str, sentence: Sentence, previous: Sentence | None,
        last_speaker: str | None,
    ) -> tuple[list[Fact], str | None]:  # fmt: skip
        facts = []
        for n, match in enumerate(_QUOTE.finditer(sentence.text)):
            quote = match.group(1).strip().rstrip(",")
            if len(words(quote)) < 3:
                continue
            speaker, span = self._speaker(text, sentence, previous, last_speaker)
            last_speaker = speaker or last_speaker
            statement = f'{speaker or "Someone"} said: "{quote}"'
            facts.append(
                self._fact(source, span, FactKind.QUOTE, statement, f"quote{n}", speaker=speaker, quote=quote)
            )
        return facts, last_speaker

    def _speaker(
        self, text: str, sentence: Sentence, previous: Sentence | None, last_speaker: str | None
    ) -> tuple[str | None, Sentence]:
        outside = _QUOTE.sub(" ", sentence.text)
        for pattern in (_NAME_BEFORE_VERB, _VERB_THEN_NAME, _ROLE_BEFORE_VERB):
            match = pattern.search(outside)
            if match:
                return _POSSESSIVE_PREFIX.sub("", match.group(1)).strip(), sentence
        if previous is not None and (_PRONOUN_SPEAKER.search(outside) or outside.strip(" .:,") == ""):
            speaker = _last_speaker_in(previous.text) or last_speaker
            joined = Sentence(previous.start, sentence.end, text[previous.start : sentence.end])
            return speaker, joined
        if previous is not None and re.match(r"^(?:He|She) added", sentence.text):
            return last_speaker, sentence
        return last_speaker if outside.strip().startswith(("He", "She")) else None, sentence

    def _numbers(self, source: Source, sentence: Sentence) -> list[Fact]:
        analysis = self.analyzer.analyze(sentence.text, reference=source.published)
        facts = []
        for n, quantity in enumerate(analysis.stated_quantities):
            subject = " ".join(sorted(quantity.nouns))
            statement = sentence.text
            facts.append(
                self._fact(
                    source,
                    sentence,
                    FactKind.NUMBER,
                    statement,
                    f"number{n}",
                    subject=subject or None,
                    value_low=quantity.low,
                    value_high=None if quantity.high == float("inf") else quantity.high,
                    qualifier=_qualifier_word(quantity.phrase),
                    unit=next(iter(sorted(quantity.nouns)), None),
                )  # fmt: skip
            )
        return facts

    def _dates(self, source: Source, sentence: Sentence) -> list[Fact]:
        if source.published is None:
            return []
        facts = []
        weekdays = (m for m in _WEEKDAY.finditer(sentence.text) if not _dates_the_speaking(sentence.text, m))
        for n, match in enumerate(weekdays):
            when = resolve_weekday(source.published, match.group(1))
            statement = sentence.text
            facts.append(self._fact(source, sentence, FactKind.DATE, statement, f"date{n}", event_date=when))
        return facts

    def _places(self, source: Source, sentence: Sentence) -> list[Fact]:
        facts = []
        for n, place in enumerate(_place_names(sentence.text)):
            statement = sentence.text
            facts.append(self._fact(source, sentence, FactKind.PLACE, statement, f"place{n}", place=place))
        return facts


def _last_speaker_in(text: str) -> str | None:
    """The last person named as speaking in a sentence ("..., Dmitry Peskov said" wins over an
    earlier "the Kremlin said"; "X told Al Jazeera" names X, not Al Jazeera)."""
    found = list(_NAME_BEFORE_VERB.finditer(text)) or list(_VERB_THEN_NAME.finditer(text))
    if not found:
        return None
    last = max(found, key=lambda m: m.start(1))
    return _POSSESSIVE_PREFIX.sub("", last.group(1)).strip()


def context_note(sentence: str, previous: str) -> str:
    """For a sentence that refers back ("that year", "It said"), the years and names of the
    sentence before, so the fact can be matched on what it is about: "(context: 2016; Aleppo)"."""
    if not previous or not _ANAPHORA.search(sentence):
        return ""
    years = list(dict.fromkeys(_YEAR.findall(previous)))
    names = [
        n for n in dict.fromkeys(_NAME_RUN.findall(previous)) if n not in _NOT_NAMES and n not in sentence
    ]
    parts = [", ".join(years), ", ".join(names)]
    return f"(context: {'; '.join(p for p in parts if p)})" if any(parts) else ""


def _place_names(text: str) -> Iterator[str]:
    seen = set()
    for match in _PLACE.finditer(text):
        name = re.sub(r"[’']s$", "", match.group(1))
        if name.split()[0] in _NOT_PLACES or name in seen:
            continue
        seen.add(name)
        yield name


def _qualifier_word(phrase: str) -> str | None:
    head = phrase.rsplit(" ", 1)[0] if " " in phrase else ""
    return head or None


def _dates_the_speaking(text: str, match: re.Match[str]) -> bool:
    """ "Officials said Thursday that ...": the weekday dates the statement, not the event."""
    before = stems(text[: match.start()])[-2:]
    return any(word in lexicon.SPEECH_VERBS for word in before)
