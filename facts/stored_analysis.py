"""A fact's analysis as the store keeps it: read once when the fact is written, loaded at check
time instead of read again (reading one fact's text costs about a millisecond, loading it a few
microseconds).

Each stored analysis carries a fingerprint of everything that made it: the analysis code and its
data (`ANALYSIS_VERSION`: the source of the modules that read text, the lexicon, the versions of
the libraries they call), the alias table, the fact's text, its source's publication date and the
fields laid over the text. A stored analysis whose fingerprint differs from the one the fact would
get now is stale and never used: the checker reads the text afresh, as it would without a stored
one. So an edit, an alias, a corrected publication date or an upgrade can never leave a check
reading an old analysis, whoever wrote the file.

    >>> decode(encode(analysis)) == analysis
    True
"""

from __future__ import annotations

import hashlib
import marshal
from dataclasses import astuple, fields
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any

from facts.analysis import Analysis, Quantity
from facts.model import Fact
from facts.numbers import UnitReading

_FACTS = Path(__file__).parent
# Everything that decides what a fact's analysis holds (checker.py puts the reading and the
# fields together; tests/test_stored_analysis.py checks that every module they import is here).
# An edit to any of these files is a new version: stored analyses are read afresh, not trusted.
_SOURCES = (
    "analysis.py", "aliases.py", "checker.py", "dates.py", "index_terms.py", "lexicon.py",
    "lexicon.toml", "model.py", "numbers.py", "spelling.py", "stored_analysis.py", "stored_values.py",
    "text.py", "tuning.py", "wordinfo.py", "wordfreq_en.txt.gz",
)  # fmt: skip
_LIBRARIES = ("pint", "python-dateutil", "snowballstemmer", "text2num", "wordfreq")
# Fields of a fact laid over its text (facts/stored_values.py): an edit to any is a new analysis.
VALUE_FIELDS = ("value_low", "value_high", "unit", "subject", "event_date", "place", "speaker")


def _analysis_version() -> str:
    digest = hashlib.blake2b(digest_size=16)
    for name in _SOURCES:
        digest.update(name.encode() + b"\0" + (_FACTS / name).read_bytes() + b"\0")
    for library in _LIBRARIES:
        digest.update(f"{library}=={metadata.version(library)}\0".encode())
    return digest.hexdigest()


ANALYSIS_VERSION = _analysis_version()


def aliases_version(pairs: list[tuple[str, str]]) -> str:
    """Fingerprint of the alias table (alias, canonical pairs): an alias changes readings."""
    return hashlib.blake2b(repr(sorted(pairs)).encode(), digest_size=16).hexdigest()


def fingerprint(fact: Fact, reference: date | None, aliases: str) -> str:
    """What the stored analysis of `fact` must carry to be used: changes with the code, the alias
    table (`aliases`, from `aliases_version`), the text, the reference date and the value fields."""
    made_of = (
        ANALYSIS_VERSION,
        aliases,
        fact.match_text(),
        reference,
        *(getattr(fact, f) for f in VALUE_FIELDS),
    )
    return hashlib.blake2b(repr(made_of).encode(), digest_size=16).hexdigest()


def encode(analysis: Analysis) -> bytes:
    """The analysis as bytes of plain values (marshal: no code is ever loaded from the file)."""
    values = list(astuple_shallow(analysis))
    values[_QUANTITIES] = tuple(_quantity_values(q) for q in analysis.quantities)
    return marshal.dumps(tuple(values))


def decode(data: bytes) -> Analysis:
    """The analysis `encode` wrote."""
    values = list(marshal.loads(data))
    values[_QUANTITIES] = tuple(_quantity(v) for v in values[_QUANTITIES])
    return Analysis(*values)


def astuple_shallow(analysis: Analysis) -> tuple[Any, ...]:
    """The analysis's field values in order, not copied (dataclasses.astuple copies deeply)."""
    return tuple(getattr(analysis, f.name) for f in fields(Analysis))


_QUANTITIES = [f.name for f in fields(Analysis)].index("quantities")


def _quantity_values(quantity: Quantity) -> tuple[Any, ...]:
    unit = astuple(quantity.unit) if quantity.unit is not None else None
    return (*(getattr(quantity, f.name) for f in fields(Quantity) if f.name != "unit"), unit)


def _quantity(values: tuple[Any, ...]) -> Quantity:
    *plain, unit = values
    names = [f.name for f in fields(Quantity) if f.name != "unit"]
    return Quantity(**dict(zip(names, plain, strict=True)), unit=UnitReading(*unit) if unit else None)
