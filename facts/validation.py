"""Moderator input in, valid records out — or a ValidationError naming every bad field.

Nothing is written until every field passes, so refused input never leaves half a fact behind.
The verifier treats a fact's fields as its values, so a moderator's fact whose fields disagree
with its own statement (value 30, "took 32 villages") is refused too; see `field_conflicts`.
"""

from __future__ import annotations

import calendar
import math
import re
import unicodedata
from collections.abc import Collection
from datetime import date
from typing import Any
from urllib.parse import urlparse

from facts.aliases import MAX_ALIAS_WORDS
from facts.analysis import Analysis, Analyzer
from facts.errors import ValidationError
from facts.jsonl import kind_of
from facts.model import FACT_FIELDS, Fact, FactKind, FactOrigin, Source
from facts.store import FactStore
from facts.text import squash_spaces, words

__all__ = ["MAX_TEXT", "check_alias", "fact_changes", "field_conflicts", "new_fact", "new_source"]

MAX_TEXT = 5000
_NUMBER_FIELDS = ("value_low", "value_high")
_TEXT_FIELDS = ("speaker", "quote", "subject", "unit", "qualifier", "place")
_ELLIPSIS = re.compile(r"\.\.\.|…")  # "We urge … control": each stretch is quoted


def new_fact(fields: dict[str, Any], store: FactStore, *, check_consistency: bool = True) -> Fact:
    """A moderator's fact from loose fields; `text` is accepted for `statement`.

    `check_consistency=False` skips `field_conflicts`: for imports, which restore records as they
    were exported (seed facts included) and must stay fast at a million records."""
    fields = dict(fields)
    if "text" in fields and "statement" not in fields:
        fields["statement"] = fields.pop("text")
    if "source" in fields and "source_id" not in fields:
        fields["source_id"] = fields.pop("source")
    errors: dict[str, str] = {}
    clean = _clean_fields(fields, store, errors)
    if check_consistency:
        errors.update(field_conflicts(clean, store, skip=set(errors)))
    if errors:
        raise ValidationError(errors)
    return Fact(origin=FactOrigin.MODERATOR, **clean)


def fact_changes(current: Fact, fields: dict[str, Any], store: FactStore) -> dict[str, Any]:
    """Validated changes to an existing fact (only the fields given)."""
    fields = {("statement" if k == "text" else "source_id" if k == "source" else k): v
              for k, v in fields.items()}  # fmt: skip
    merged = {name: getattr(current, name) for name in FACT_FIELDS}
    merged.update(fields)
    evidence_kept = "evidence" not in fields and "source_id" not in fields
    if evidence_kept:
        merged["evidence"] = None  # already validated when it was set
    errors: dict[str, str] = {}
    clean = _clean_fields(merged, store, errors)
    if evidence_kept:
        clean.update(evidence=current.evidence, start=current.start, end=current.end)
    # Only disagreements this edit could bring in: an old one in a field it leaves alone is no
    # reason to refuse it (undo, which restores history, does not come through here at all).
    touched = {k for k, v in clean.items() if getattr(current, k) != v}
    skip = set(errors).union(*(checked for checked, by in _COMPARED.items() if not touched & by))
    errors.update(field_conflicts(clean, store, skip=skip))
    unknown = set(fields) - set(FACT_FIELDS)
    for name in sorted(unknown):
        errors[name] = "not a fact field"
    if errors:
        raise ValidationError(errors)
    return {k: v for k, v in clean.items() if getattr(current, k) != v}


def _clean_fields(fields: dict[str, Any], store: FactStore, errors: dict[str, str]) -> dict[str, Any]:
    """Every fact field cleaned; each problem goes into `errors` under the field's name."""
    clean: dict[str, Any] = {}
    statement = _text(fields.get("statement"), "statement", errors)
    if not statement and "statement" not in errors:
        errors["statement"] = "required: the fact in one short sentence"
    clean["statement"] = statement
    clean["kind"] = _kind(fields.get("kind"), errors)
    source = _source(fields.get("source_id"), store, errors)
    clean["source_id"] = source.id if source else fields.get("source_id")
    given = _verbatim(fields.get("evidence"), "evidence", errors)
    evidence = given or statement
    clean["evidence"] = evidence
    # Evidence a moderator quotes must be in the source's text; a bare statement is its own evidence.
    clean["start"], clean["end"] = _offsets(source, given, errors) if source and given else (None, None)
    for name in _TEXT_FIELDS:
        clean[name] = _text(fields.get(name), name, errors) or None
    for name in _NUMBER_FIELDS:
        clean[name] = _number(fields.get(name), name, errors)
    low, high = clean["value_low"], clean["value_high"]
    if low is not None and high is not None and low > high:
        errors["value_high"] = (
            f"{_number_text(high)} is below the low end, {_number_text(low)}: a range runs from low to high"
        )
    clean["event_date"] = _date(fields.get("event_date"), "event_date", errors)
    if clean["kind"] is FactKind.QUOTE and not clean["speaker"]:
        errors["speaker"] = "required for a quote: who said it"
    if clean["kind"] is FactKind.NUMBER and clean["value_low"] is None and "value_low" not in errors:
        errors["value_low"] = "required for a number: the value (or the low end of a range)"
    if clean["kind"] is FactKind.DATE and clean["event_date"] is None and "event_date" not in errors:
        errors["event_date"] = "required for a date: YYYY-MM-DD"
    if clean["kind"] is FactKind.PLACE and not clean["place"]:
        errors["place"] = "required for a place: the place's name"
    if clean["kind"] is FactKind.QUOTE and not clean["quote"]:
        clean["quote"] = evidence
    return clean


# The fields compared with the statement, and the fields whose change can make them disagree.
_COMPARED = {
    ("value_low", "value_high"): {"statement", "value_low", "value_high"},
    ("event_date",): {"statement", "event_date"},
    ("speaker",): {"statement", "speaker"},
    ("quote",): {"statement", "evidence", "quote"},
}


def field_conflicts(clean: dict[str, Any], store: FactStore, *, skip: Collection[str] = ()) -> dict[str, str]:
    """Fields of a cleaned fact that disagree with its own statement, as the analyser reads it;
    fields in `skip` (already refused, or left alone by an edit) are not compared.

    A statement silent on a value (no number, no date, no named speaker) disagrees with nothing:
    {"statement": "Rebels took 32 villages.", "value_low": 30.0}
    -> {"value_low": "30 disagrees with the statement, which says 32"}
    """
    statement = clean.get("statement") or ""
    if not statement or "statement" in skip:
        return {}
    analyzer = Analyzer(store.alias_index())
    said = analyzer.analyze(statement)
    found: dict[str, str | None] = {}
    values = {k: clean[k] for k in ("value_low", "value_high") if clean.get(k) is not None}
    if values and not set(skip) & {"value_low", "value_high"}:  # named by the end given, low first
        found[next(iter(values))] = _value_conflict(min(values.values()), max(values.values()), said)
    found["event_date"] = _date_conflict(clean.get("event_date"), said)
    found["speaker"] = _speaker_conflict(clean.get("speaker"), said, analyzer)
    found["quote"] = _quote_conflict(clean.get("quote"), statement, clean.get("evidence") or "")
    return {name: why for name, why in found.items() if why and name not in skip}


def _value_conflict(low: float, high: float, said: Analysis) -> str | None:
    stated = said.stated_quantities
    if not stated or any(q.low <= high and low <= q.high for q in stated):
        return None
    given = _number_text(low) if low == high else f"the range {_number_text(low)} to {_number_text(high)}"
    return f"{given} disagrees with the statement, which says {', '.join(q.phrase for q in stated)}"


def _date_conflict(when: date | None, said: Analysis) -> str | None:
    if when is None:
        return None
    says = []
    if said.monthdays and (when.month, when.day) not in said.monthdays:
        says += [f"{calendar.month_name[m]} {d}" for m, d in sorted(said.monthdays)]
    if said.years and when.year not in said.years:
        says += [str(y) for y in sorted(said.years)]
    if not says:
        return None
    return f"{when.isoformat()} disagrees with the statement, which says {', '.join(says)}"


def _speaker_conflict(speaker: str | None, said: Analysis, analyzer: Analyzer) -> str | None:
    concepts = analyzer.speaker_concepts(speaker) if speaker else frozenset()
    if not concepts or not said.speakers or concepts & said.speakers:
        return None
    names = ", ".join(sorted(analyzer.aliases.name_of(k) or k for k in said.speakers))
    return f"{speaker!r} disagrees with the statement, which names {names} as the speaker"


def _quote_conflict(quote: str | None, statement: str, evidence: str) -> str | None:
    """The quote's words, each stretch between ellipses in order, must be in one of the texts."""
    parts = [" ".join(words(part)) for part in _ELLIPSIS.split(quote or "")]
    parts = [part for part in parts if part]
    if not quote or not parts or any(_in_order(parts, text) for text in (statement, evidence)):
        return None
    shown = quote if len(quote) <= 80 else f"{quote[:79]}…"
    return f"{shown!r} is not in the statement or the evidence (quote the words exactly)"


def _in_order(parts: list[str], text: str) -> bool:
    said, at = f" {' '.join(words(text))} ", 0
    for part in parts:
        at = said.find(f" {part} ", at)
        if at < 0:
            return False
        at += len(part) + 1
    return True


def _number_text(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)


def text_problem(value: Any) -> str | None:
    """Why a given value cannot be stored as text, or None (absence is for callers to judge).
    Nothing is ever cut: a text over MAX_TEXT is refused whole."""
    if value is None:
        return None
    if not isinstance(value, str):
        return f"must be a string, not {kind_of(value)}"
    if len(value) > MAX_TEXT:
        return f"longer than {MAX_TEXT:,} characters ({len(value):,}): shorten it (nothing is cut)"
    if any(unicodedata.category(ch) == "Cs" for ch in value):
        return "not valid Unicode: holds an unpaired surrogate"
    if any(unicodedata.category(ch) == "Cc" and not ch.isspace() for ch in value):
        return "holds a control character"
    return None


def _verbatim(value: Any, name: str, errors: dict[str, str]) -> str:
    """A text field as given (spacing kept), or "" with the problem in `errors`."""
    why = text_problem(value)
    if why:
        errors[name] = why
        return ""
    return (value or "").strip()


def _text(value: Any, name: str, errors: dict[str, str]) -> str:
    """A text field with its spaces squashed, or "" with the problem in `errors`."""
    return squash_spaces(_verbatim(value, name, errors))


def _kind(value: Any, errors: dict[str, str]) -> FactKind:
    try:
        return FactKind(value or "event")
    except ValueError:
        errors["kind"] = f"must be one of {', '.join(k.value for k in FactKind)}"
        return FactKind.EVENT


def _source(value: Any, store: FactStore, errors: dict[str, str]) -> Source | None:
    if not value:
        errors["source"] = "required: the id of the source (see `factbot sources list`)"
        return None
    if not isinstance(value, str):
        errors["source"] = f"must be a source id (a string), not {kind_of(value)}"
        return None
    if not store.has_source(str(value)):
        errors["source"] = f"unknown source {value!r}: add it first with `factbot sources add`"
        return None
    return store.get_source(str(value))


def _offsets(source: Source, evidence: str, errors: dict[str, str]) -> tuple[int | None, int | None]:
    if not source.text:
        return None, None
    start = source.text.find(evidence)
    if start < 0:
        errors["evidence"] = f"not found verbatim in the text of source {source.id!r}"
        return None, None
    return start, start + len(evidence)


# ASCII digits; commas only between groups of three ("12,500"); a decimal point; an exponent.
_NUMBER = re.compile(r"[+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?", re.ASCII | re.I)


def _number(value: Any, name: str, errors: dict[str, str]) -> float | None:
    """A number read strictly: "1,500" is 1500, but "2,5" and "1,2,3" are refused rather than
    guessed (2.5? 25? 123?) — a wrong number stored silently is worse than a retype."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        errors[name] = f"not a number: {kind_of(value)}"
        return None
    text = str(value).strip()
    if not _NUMBER.fullmatch(text):
        shown = text if len(text) <= 40 else f"{text[:39]}…"
        errors[name] = f"not a number: {shown!r}" + (
            " (a comma only groups thousands, as in 1,500; write a decimal with a point: 2.5)"
            if "," in text
            else ""
        )
        return None
    number = float(text.replace(",", ""))
    if not math.isfinite(number):
        errors[name] = "must be a finite number"
        return None
    return number


def _date(value: Any, name: str, errors: dict[str, str]) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        errors[name] = f"not a date: {value!r} (use YYYY-MM-DD)"
        return None


def new_source(fields: dict[str, Any], store: FactStore) -> Source:
    """A moderator's source: id, outlet, url (http/https) and published date are required."""
    errors: dict[str, str] = {}
    source_id = _text(fields.get("id"), "id", errors)
    if not source_id or not "".join(words(source_id)) or any(c.isspace() for c in source_id):
        errors.setdefault("id", "required: a short id without spaces, e.g. reuters-2024-11-30")
    elif store.has_source(source_id):
        errors["id"] = f"a source with id {source_id!r} already exists"
    outlet = _text(fields.get("outlet"), "outlet", errors)
    if not outlet and "outlet" not in errors:
        errors["outlet"] = "required: the outlet's name"
    url = _text(fields.get("url"), "url", errors)
    why = None if "url" in errors else url_problem(url)
    if why:
        errors["url"] = why
    title = _text(fields.get("title"), "title", errors)
    published = _date(fields.get("published"), "published", errors)
    if published is None and "published" not in errors:
        errors["published"] = "required: the publication date, YYYY-MM-DD"
    if errors:
        raise ValidationError(errors)
    return Source(
        id=source_id,
        outlet=outlet,
        url=url,
        published=published,
        title=title,
        published_approximate=bool(fields.get("published_approximate", False)),
        text=fields.get("text") or None,
    )


def url_problem(url: str) -> str | None:
    """Why `url` is not an article's http(s) link, or None."""
    if not url:
        return "required: the article's http(s) URL"
    shown = url if len(url) <= 80 else f"{url[:79]}…"
    try:
        parsed = urlparse(url)
        parsed.port  # noqa: B018 - raises on a port that is not a number
    except ValueError as error:  # "http://[x": an unclosed IPv6 address
        return f"not a URL ({error}): {shown!r}"
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        return f"not an http(s) URL: {shown!r}"
    return None


def check_alias(alias: str, canonical: str) -> None:
    """An alias and its canonical name, each 1 to MAX_ALIAS_WORDS words: the matcher reads no
    longer runs, so a longer spelling would be stored and never applied."""
    errors = {}
    for name, value, what in (("alias", alias, "the spelling to recognise"),
                              ("canonical", canonical, "the canonical name it stands for")):  # fmt: skip
        why = text_problem(value)
        count = len(words(value)) if not why else 0
        if why:
            errors[name] = why
        elif not count:
            errors[name] = f"required: {what}"
        elif count > MAX_ALIAS_WORDS:
            errors[name] = (
                f"{count} words; names are matched up to {MAX_ALIAS_WORDS} words, "
                "so a longer one would never be recognised"
            )
    if errors:
        raise ValidationError(errors)
