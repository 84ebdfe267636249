"""JSON Lines read as numbered values, with every unreadable line kept as an `Unreadable`.

Callers validate whole files before writing anything, so a bad line does not stop the reading:
it becomes an `Unreadable` saying why, and the caller names it with its line number.

    >>> list(numbered_values([b'{"id": "r1"}\\n', b"\\n", b"{oops\\n"]))[1]
    (3, Unreadable(why='not JSON (Expecting property name enclosed in double quotes at column 2)'))
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

__all__ = ["Unreadable", "kind_of", "numbered_values", "text_lines"]

_UTF16_32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(frozen=True)
class Unreadable:
    """A non-blank line that holds no JSON value; `why` is safe to show a user."""

    why: str


def numbered_values(lines: Iterable[bytes]) -> Iterator[tuple[int, Any]]:
    """(line number, decoded value or Unreadable) for each non-blank line of a UTF-8 stream.

    A UTF-8 byte-order mark is dropped; a UTF-16 or UTF-32 file is one Unreadable (line 1).
    """
    for number, text in text_lines(lines):
        if isinstance(text, Unreadable):
            yield number, text
        elif text.strip():
            yield number, _decoded(text)


def text_lines(lines: Iterable[bytes]) -> Iterator[tuple[int, str | Unreadable]]:
    """(line number, text without its line end, or Unreadable) for every line of a UTF-8 stream.

    A UTF-8 byte-order mark is dropped; a UTF-16 or UTF-32 file is one Unreadable (line 1).
    """
    for number, raw in enumerate(lines, start=1):
        if number == 1:
            if raw.startswith(_UTF16_32_BOMS):
                yield 1, Unreadable("the file is UTF-16 or UTF-32: save it as UTF-8")
                return
            raw = raw.removeprefix(codecs.BOM_UTF8)
        yield number, _text(raw)


def _text(raw: bytes) -> str | Unreadable:
    if b"\x00" in raw:
        return Unreadable("holds NUL bytes (is the file UTF-16?): save it as UTF-8")
    try:
        return raw.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError as error:
        return Unreadable(f"not UTF-8 text (byte 0x{raw[error.start]:02x} at column {error.start + 1})")


def _decoded(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        array = " — one JSON array? write one object per line" if text.lstrip().startswith("[") else ""
        return Unreadable(f"not JSON ({error.msg} at column {error.pos + 1}){array}")
    except RecursionError:
        return Unreadable("not JSON that can be read: nested too deeply")
    except ValueError:  # an integer beyond Python's digit limit
        return Unreadable("not JSON that can be read: a number with too many digits")


def kind_of(value: Any) -> str:
    """How a JSON value that is not the expected one is named in a message: "an array"."""
    names = {list: "an array", str: "a string", bool: "true or false", type(None): "null"}
    return names.get(type(value), "a number" if isinstance(value, int | float) else "an object")


MAX_SHOWN = 20  # problems named in an import's error; the rest are counted


def shape_problems(record: Any, *, what: str, fields: Collection[str], unknown: str) -> dict[str, str]:
    """What is wrong with a record's shape, by field ("" for the record): unreadable, not an
    object (one `what` object per line), or holding names not in `fields` (each is `unknown`)."""
    if isinstance(record, Unreadable):
        return {"": record.why}
    if not isinstance(record, dict):
        return {"": f"{kind_of(record)}, not a JSON object: write one {what} object per line"}
    return {shortened(repr(name)): unknown for name in record if name not in fields}


def shortened(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def shown_problems(errors: dict[tuple[int, str], str]) -> dict[str, str]:
    """The first MAX_SHOWN problems in line order as "line 3, url": why (each shortened, as values
    are echoed), and how many more there are — for a ValidationError."""
    first = sorted(errors.items(), key=lambda item: item[0][0])[:MAX_SHOWN]
    shown = {
        f"line {line}" + (f", {name}" if name else ""): shortened(why, 200) for (line, name), why in first
    }
    if len(errors) > MAX_SHOWN:
        shown["more"] = f"{len(errors) - MAX_SHOWN:,} problems not shown"
    return shown
