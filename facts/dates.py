"""Calendar dates a text mentions, with their character spans.

Candidate spans are found with regular expressions, then each span alone is read (dateutil for
month names and numeric dates), so a stray number in a sentence is never taken for a date:

    >>> [(m.month, m.day) for m in date_mentions("Rebels entered Aleppo on Nov. 29", None)]
    [(11, 29)]

What is read, and how:

- "November 27, 2024", "Nov. 27", "Nov 27th", "27 November 2024", "27th of November",
  "November 2024" (no day), "2024-11-27" and "2024/11/27".
- "27/11/2024", "27/11", "27.11.2024": day first, as outlets outside the US write. A date is read
  month first ("11/27/2024") only when day first is impossible: the second number is over 12.
  Without a year both numbers must not be single digits ("3/4" is a fraction), and "24/7" and
  "9/11" are no dates. A two-digit year ("27/11/24") is read by dateutil (2024).
- "the 29th" or "on 29th", when nothing it could count follows ("the 29th brigade" is no date).
- A weekday, "on Wednesday" or "Wednesday", with `weekday` set; "Wednesday, Nov. 27" is one
  mention.
- A year alone ("in 2016", "the 2019 deal") is no date mention: years are read elsewhere.

A date without a year (or, for "the 29th", without a month; or a weekday) is resolved against the
`reference` date — an article's publication date — as the latest such date on or before it: news
reports the past. Without a reference those fields stay None.

`spoken` marks a date that dates the speaking rather than the event: a speech verb within two
words before it ("officials said Thursday that ...", "said on Nov. 28").
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

SPEECH_VERBS = frozenset(
    "said says say told tells announced announces stated added adds reported declared warned".split()
)
SPEECH_REACH = 2  # words between a speech verb and the date it dates
# Words after "the 29th" that show it names a day ("on the 29th, when ...") rather than counting
# something ("the 29th brigade").
_AFTER_DAY = frozenset(
    "and or when at in on as after before with to that but while until amid against".split()
)
_NOT_DATES = frozenset(("24/7", "9/11"))
_SENTINEL = datetime(2000, 1, 1)  # a leap year: "Feb 29" without a year is a date

_MONTH = (
    r"(?P<month>january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
)
_CAPITALS_ONLY = frozenset(("may", "march", "mar"))  # as verbs they are lower case
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?(?![\d%])"
_YEAR = r"(?:,?\s+(?P<year>\d{4})(?!\d))?"
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(rf"\b(?:{'|'.join(_WEEKDAYS)})\b", re.I)  # not "Wednesdays": no one day
_ISO = re.compile(r"(?<![\w/.-])(?P<year>\d{4})([-/])(?P<month>\d{1,2})\2(?P<day>\d{1,2})(?![\d/])")
_NUMERIC = re.compile(
    r"(?<![\w/.,-])\d{1,2}/\d{1,2}(?:/(?P<year>\d{4}|\d{2}))?(?![\d/]|\.\d)"
    r"|(?<![\w/.,-])\d{1,2}\.\d{1,2}\.(?P<dotted_year>\d{4})(?![\d.]\d)"
)
_MONTH_FIRST = re.compile(rf"\b{_MONTH}\s+{_DAY}{_YEAR}", re.I)
_DAY_FIRST = re.compile(rf"(?<![\w.,/]){_DAY}\s+(?:of\s+)?{_MONTH}(?!\w){_YEAR}", re.I)
_MONTH_YEAR = re.compile(rf"\b{_MONTH}\s+(?P<year>\d{{4}})(?!\d)", re.I)
_ORDINAL_DAY = re.compile(r"\b(?:the\s+|(?<=\bon\s))(?P<day>\d{1,2})(?:st|nd|rd|th)\b", re.I)
_NEXT_WORD = re.compile(r"\s*(?P<word>[A-Za-z]+)?")
_SPEECH_CONTEXT = re.compile(r"[\w']+|[.!?;:]")


@dataclass(frozen=True)
class DateMention:
    """A date in a text: text[start:end], with what it fixes of the calendar.

    Fields a text leaves open and the reference cannot fill are None; `weekday` is set for a
    named weekday (0 = Monday, as `date.weekday`).
    """

    year: int | None
    month: int | None
    day: int | None
    start: int
    end: int
    spoken: bool
    weekday: int | None = None

    def as_date(self) -> date | None:
        """The calendar date, when year, month and day are all known."""
        if self.year is None or self.month is None or self.day is None:
            return None
        return date(self.year, self.month, self.day)


def date_mentions(text: str, reference: date | None) -> list[DateMention]:
    """Every date `text` mentions, in order; never raises on odd input.

    >>> date_mentions("Officials said Thursday that the 27/11 raid", date(2024, 11, 29))[0].spoken
    True
    """
    found: list[DateMention] = []
    for reader in (_iso_dates, _numeric_dates, _named_month_dates, _ordinal_days):
        for mention in reader(text, reference):
            if not any(mention.start < m.end and m.start < mention.end for m in found):
                found.append(mention)
    found = _with_weekdays(text, sorted(found, key=lambda m: m.start), reference)
    return [replace(m, spoken=_spoken(text, m.start)) for m in found]


def _iso_dates(text: str, reference: date | None) -> list[DateMention]:
    found = []
    for match in _ISO.finditer(text):
        year, month, day = (int(match.group(g)) for g in ("year", "month", "day"))
        if _valid(year, month, day):
            found.append(DateMention(year, month, day, match.start(), match.end(), False))
    return found


def _numeric_dates(text: str, reference: date | None) -> list[DateMention]:
    found = []
    for match in _NUMERIC.finditer(text):
        span = match.group()
        first, second = (int(part) for part in re.split(r"[/.]", span)[:2])
        has_year = match.group("year") is not None or match.group("dotted_year") is not None
        if not has_year and (span in _NOT_DATES or max(first, second) < 10):
            continue
        parsed = _parse(span.replace(".", "/"))
        if parsed is not None:
            found.append(_resolved(parsed, has_year, match.start(), match.end(), reference))
    return found


def _named_month_dates(text: str, reference: date | None) -> list[DateMention]:
    """ "Nov. 27, 2024", "27th of November", "November 2024"."""
    found: list[DateMention] = []
    for pattern in (_MONTH_FIRST, _DAY_FIRST, _MONTH_YEAR):
        for match in pattern.finditer(text):
            month_word = match.group("month")
            if month_word.lower() in _CAPITALS_ONLY and not month_word[0].isupper():
                continue
            if any(match.start() < m.end and m.start < match.end() for m in found):
                continue
            mention = _named_month_date(match, reference)
            if mention is not None:
                found.append(mention)
    return found


def _named_month_date(match: re.Match[str], reference: date | None) -> DateMention | None:
    has_day = "day" in match.re.groupindex
    has_year = match.group("year") is not None
    parsed = _parse(match.group())
    if parsed is None:
        return None
    if not has_day:
        return DateMention(parsed.year, parsed.month, None, match.start(), match.end(), False)
    return _resolved(parsed, has_year, match.start(), match.end(), reference)


def _ordinal_days(text: str, reference: date | None) -> list[DateMention]:
    """ "the 29th", "on 29th": a day of the month, when no noun it could count follows."""
    found = []
    for match in _ORDINAL_DAY.finditer(text):
        day = int(match.group("day"))
        after = _NEXT_WORD.match(text, match.end())
        word = after.group("word") if after else None
        if not 1 <= day <= 31 or (word is not None and word.lower() not in _AFTER_DAY):
            continue
        resolved = _last_monthday(reference, day) if reference else None
        year, month = (resolved.year, resolved.month) if resolved else (None, None)
        found.append(DateMention(year, month, day, match.start(), match.end(), False))
    return found


def _with_weekdays(text: str, found: list[DateMention], reference: date | None) -> list[DateMention]:
    """Weekdays added: as their own mentions, or joined to a date right after ("Wednesday, Nov. 27")."""
    result = list(found)
    for match in _WEEKDAY.finditer(text):
        weekday = _WEEKDAYS.index(match.group().lower())
        if any(match.start() < m.end and m.start < match.end() for m in result):
            continue
        following = next((m for m in result if re.fullmatch(r",?\s+", text[match.end() : m.start])), None)
        if following is not None:
            result[result.index(following)] = replace(following, start=match.start(), weekday=weekday)
            continue
        day = _last_weekday(reference, weekday) if reference else None
        year, month, monthday = (day.year, day.month, day.day) if day else (None, None, None)
        result.append(DateMention(year, month, monthday, match.start(), match.end(), False, weekday))
    return sorted(result, key=lambda m: m.start)


def _resolved(parsed: datetime, has_year: bool, start: int, end: int, reference: date | None) -> DateMention:
    """A parsed date as a mention, a missing year taken from the reference (latest on or before)."""
    if has_year:
        return DateMention(parsed.year, parsed.month, parsed.day, start, end, False)
    resolved = last_date(reference, parsed.month, parsed.day) if reference else None
    return DateMention(resolved.year if resolved else None, parsed.month, parsed.day, start, end, False)


def _parse(span: str) -> datetime | None:
    """dateutil's reading of one date span, day first; None where it cannot read it."""
    from dateutil import parser  # 40 ms of imports: only once a candidate span is found

    try:
        return parser.parse(span, dayfirst=True, default=_SENTINEL)
    except (ValueError, OverflowError):
        return None


def _valid(year: int, month: int, day: int) -> bool:
    if not (1 <= year <= 9999 and 1 <= month <= 12):
        return False
    return 1 <= day <= calendar.monthrange(year, month)[1]


def last_date(reference: date, month: int, day: int) -> date | None:
    """The latest month/day on or before `reference` (Feb 29 looks back to a leap year)."""
    for year in range(reference.year, reference.year - 8, -1):
        if _valid(year, month, day) and date(year, month, day) <= reference:
            return date(year, month, day)
    return None


def _last_monthday(reference: date, day: int) -> date | None:
    """The latest day `day` of a month on or before `reference`."""
    year, month = reference.year, reference.month
    for _ in range(12):
        if _valid(year, month, day) and date(year, month, day) <= reference:
            return date(year, month, day)
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return None


def _last_weekday(reference: date, weekday: int) -> date | None:
    """The latest date on or before `reference` falling on `weekday` (None before year 1)."""
    days = (reference.weekday() - weekday) % 7
    return reference - timedelta(days=days) if reference.toordinal() > days else None


def _spoken(text: str, start: int) -> bool:
    """Whether a speech verb stands within `SPEECH_REACH` words before `start`, in one sentence."""
    before = _SPEECH_CONTEXT.findall(text[max(0, start - 80) : start])
    for token in reversed(before[-SPEECH_REACH:]):
        if not token[0].isalnum():
            return False
        if token.lower() in SPEECH_VERBS:
            return True
    return False


__all__ = ["SPEECH_REACH", "SPEECH_VERBS", "DateMention", "date_mentions"]


_MONTH_NAMES = tuple(calendar.month_name)  # "", "January", ...
_WRITTEN_YEAR = re.compile(r"\d{4}|\d{1,2}[/.]\d{1,2}[/.]\d{2}\b")


def spell_dates(text: str, reference: date | None) -> str:
    """The text with each calendar date written one way, "November 27, 2024" ("27/11/2024",
    "Nov. 27th", "2024-11-27", and "the 29th" when the reference gives its month), so that the
    analyser reads every spelling alike. A year is written only where the text gave one; bare
    weekdays and dates without a day are left as they are."""
    pieces, last = [], 0
    for mention in date_mentions(text, reference):
        if mention.month is None or mention.day is None or _is_bare_weekday(text, mention):
            continue
        span = text[mention.start : mention.end]
        written = f"{_MONTH_NAMES[mention.month]} {mention.day}"
        if mention.year is not None and _WRITTEN_YEAR.search(span):
            written += f", {mention.year}"
        weekday = _WEEKDAY.search(span)
        if weekday:
            written = f"{weekday.group(0)}, {written}"
        pieces += [text[last : mention.start], written]
        last = mention.end
    return "".join(pieces) + text[last:] if pieces else text


def _is_bare_weekday(text: str, mention: DateMention) -> bool:
    span = text[mention.start : mention.end]
    return mention.weekday is not None and _WEEKDAY.fullmatch(span.strip()) is not None
