"""Calendar dates in text: what is read, what is not, and how the reference date fills gaps."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from facts.dates import DateMention, date_mentions

FRIDAY = date(2024, 11, 29)  # the reference in most rows: a Friday


def _read(text: str, reference: date | None) -> list[tuple[int | None, int | None, int | None, str]]:
    return [(m.year, m.month, m.day, text[m.start : m.end]) for m in date_mentions(text, reference)]


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        ("on November 27, 2024", None, [(2024, 11, 27, "November 27, 2024")]),
        ("on 27 November 2024", None, [(2024, 11, 27, "27 November 2024")]),
        ("on the 27th of November", None, [(None, 11, 27, "27th of November")]),
        ("on Nov. 27", None, [(None, 11, 27, "Nov. 27")]),
        ("on Nov. 27", FRIDAY, [(2024, 11, 27, "Nov. 27")]),
        ("on Nov 27th,", FRIDAY, [(2024, 11, 27, "Nov 27th")]),
        ("on Sept. 3", FRIDAY, [(2024, 9, 3, "Sept. 3")]),
        ("on Dec. 2", FRIDAY, [(2023, 12, 2, "Dec. 2")]),  # the latest Dec. 2 on or before
        ("in November 2024", None, [(2024, 11, None, "November 2024")]),
        ("on 27/11/2024", None, [(2024, 11, 27, "27/11/2024")]),
        ("on 5/11/2024", None, [(2024, 11, 5, "5/11/2024")]),  # day first
        ("on 11/27/2024", None, [(2024, 11, 27, "11/27/2024")]),  # day first impossible
        ("on 27/11", None, [(None, 11, 27, "27/11")]),
        ("on 27/11", FRIDAY, [(2024, 11, 27, "27/11")]),
        ("on 27/11/24", None, [(2024, 11, 27, "27/11/24")]),
        ("on 27.11.2024", None, [(2024, 11, 27, "27.11.2024")]),
        ("on 2024-11-27", None, [(2024, 11, 27, "2024-11-27")]),
        ("on 2024-11-05", None, [(2024, 11, 5, "2024-11-05")]),  # ISO is never day first
        ("at 2024-11-27T10:00", None, [(2024, 11, 27, "2024-11-27")]),
        ("on the 29th", None, [(None, None, 29, "the 29th")]),
        ("on the 29th, rebels", FRIDAY, [(2024, 11, 29, "the 29th")]),
        ("on the 30th", FRIDAY, [(2024, 10, 30, "the 30th")]),  # no 30th yet this month
        ("from 29th to", FRIDAY, []),
        ("on 29th and", FRIDAY, [(2024, 11, 29, "29th")]),
        ("Feb 29", date(2025, 3, 1), [(2024, 2, 29, "Feb 29")]),
        ("In May 27 people", None, [(None, 5, 27, "May 27")]),
        ("Nov. 27 and Nov. 28", None, [(None, 11, 27, "Nov. 27"), (None, 11, 28, "Nov. 28")]),
    ],
)
def test_dates_read(text: str, reference: date | None, expected: list[tuple]) -> None:
    assert _read(text, reference) == expected


@pytest.mark.parametrize(
    "text",
    [
        "in 2016",  # a year alone: read elsewhere
        "the 2019 deal",
        "Route 5",
        "24/7",
        "9/11 attacks",
        "3/4 of them",
        "1/2",
        "the 29th brigade",
        "the 46th Regiment",
        "the 20th century",
        "3.5 million",
        "version 3.5.1",
        "they may 5",
        "march 5 miles",
        "Sep 31",
        "31/02/2024",
        "13/13/2024",
        "Wednesdays are quiet",
        "",
        "%%% ///",
    ],
)
def test_no_date_read(text: str) -> None:
    assert date_mentions(text, FRIDAY) == []


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        ("launched on Wednesday", FRIDAY, (2024, 11, 27, 2)),
        ("launched Wednesday", FRIDAY, (2024, 11, 27, 2)),
        ("launched on Friday", FRIDAY, (2024, 11, 29, 4)),  # on or before the reference
        ("launched on Saturday", FRIDAY, (2024, 11, 23, 5)),
        ("launched on Wednesday", None, (None, None, None, 2)),
        ("on Wednesday, Nov. 27", None, (None, 11, 27, 2)),
    ],
)
def test_weekdays(text: str, reference: date | None, expected: tuple) -> None:
    (mention,) = date_mentions(text, reference)
    assert (mention.year, mention.month, mention.day, mention.weekday) == expected


def test_a_weekday_before_a_date_is_one_mention() -> None:
    text = "on Wednesday, Nov. 27 rebels"
    (mention,) = date_mentions(text, None)
    assert text[mention.start : mention.end] == "Wednesday, Nov. 27"


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("officials said Thursday that rebels advanced", True),
        ("the ministry said on Nov. 28 that", True),
        ("he told reporters Thursday", True),
        ("Rebels launched the offensive on Wednesday", False),
        ("he told reporters on Thursday", False),  # three words away
        ("He said. On Thursday rebels advanced", False),  # another sentence
        ("Officials announced on the 29th that", True),
    ],
)
def test_spoken_dates(text: str, spoken: bool) -> None:
    (mention,) = date_mentions(text, FRIDAY)
    assert mention.spoken is spoken


def test_as_date() -> None:
    assert DateMention(2024, 11, 27, 0, 7, False).as_date() == date(2024, 11, 27)
    assert DateMention(None, 11, 27, 0, 7, False).as_date() is None


def test_dateutil_is_imported_only_when_a_date_is_parsed() -> None:
    script = (
        "import sys, facts.dates as d\n"
        "assert d.date_mentions('in 2016, 32 villages', None) == []\n"
        "assert 'dateutil.parser' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
