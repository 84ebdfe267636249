"""`factbot sources import`: all or nothing, every bad line named, re-imports change nothing."""

from __future__ import annotations

import codecs
import json
import time

import pytest

from bot.service import Factbot
from facts.errors import ValidationError
from facts.jsonl import MAX_SHOWN
from facts.source_import import SourceImport

GOOD = {"id": "r1", "outlet": "Reuters", "url": "https://reuters.com/x", "published": "2024-11-30"}


def line(**fields: object) -> bytes:
    """One JSONL line: GOOD with `fields` changed (None drops a field)."""
    record = {k: v for k, v in {**GOOD, **fields}.items() if v is not None}
    return (json.dumps(record) + "\n").encode("utf-8")


@pytest.fixture
def source_ids(db_path):
    def ids() -> list[str]:
        bot = Factbot.open(db_path)
        try:
            return [s.id for s in bot.list_sources()]
        finally:
            bot.close()

    return ids


def import_bytes(run, tmp_path, content: bytes):
    path = tmp_path / "sources.jsonl"
    path.write_bytes(content)
    return run("sources", "import", str(path))


FIRST_GOOD = line(id="fine-1")  # every bad file starts with a good record: it must not be kept
UTF16 = FIRST_GOOD.decode().encode("utf-16-le")
DEEP = b"[" * 100_000 + b"]" * 100_000 + b"\n"

BAD_INPUTS = [
    ("bad JSON", FIRST_GOOD + b'{"id": "r1",\n', ["line 2: not JSON"]),
    ("missing field", FIRST_GOOD + line(published=None), ["line 2, published: required"]),
    ("missing url", FIRST_GOOD + line(url=None), ["line 2, url: required"]),
    ("bad date", FIRST_GOOD + line(published="2024-13-01"), ["line 2, published: not a date"]),
    ("date not ISO", FIRST_GOOD + line(published="30/11/2024"), ["line 2, published: not a date"]),
    ("not http", FIRST_GOOD + line(url="ftp://reuters.com/x"), ["line 2, url: not an http(s) URL"]),
    ("unparseable URL", FIRST_GOOD + line(url="http://[oops"), ["line 2, url: not a URL"]),
    ("non-string id", FIRST_GOOD + line(id=42), ["line 2, id: must be a string, not a number"]),
    ("id with spaces", FIRST_GOOD + line(id="r 1"), ["line 2, id: required: a short id without spaces"]),
    ("nested junk", FIRST_GOOD + line(outlet={"a": [1, {"b": None}]}), ["line 2, outlet: must be a string"]),
    ("boolean title", FIRST_GOOD + line(title=True), ["line 2, title: must be a string, not true or false"]),
    ("unknown field", FIRST_GOOD + line(publised="2024-11-30"), ["line 2, 'publised': not a source field"]),
    ("repeated id", FIRST_GOOD + line() + b"\n" + line(), ["line 4, id: 'r1' is also on line 2"]),
    ("stored id, other fields", FIRST_GOOD + line(id="ap"), ["line 2, id: 'ap' is already in the store"]),
    ("not an object", FIRST_GOOD + b'"r1"\n', ["line 2: a string, not a JSON object"]),
    ("JSON array on one line", b"[" + FIRST_GOOD.strip() + b"]\n", ["line 1: an array, not a JSON object"]),
    ("pretty JSON array", b"[\n  " + FIRST_GOOD.strip() + b"\n]\n", ["line 1: not JSON", "one JSON array?"]),
    ("UTF-16 with BOM", codecs.BOM_UTF16_LE + UTF16, ["line 1: the file is UTF-16"]),
    ("UTF-16 without BOM", UTF16, ["line 1: holds NUL bytes"]),
    ("invalid UTF-8", FIRST_GOOD + b'{"id": "r\xff1"}\n', ["line 2: not UTF-8 text (byte 0xff"]),
    ("deep nesting", FIRST_GOOD + DEEP, ["line 2: not JSON", "nested too deeply"]),
    ("huge number", FIRST_GOOD + b'{"id": ' + b"9" * 10_000 + b"}\n", ["line 2: not JSON", "digits"]),
    ("huge string", FIRST_GOOD + line(title="x" * 1_000_000), ["line 2, title: longer than 5,000"]),
    ("lone surrogate", FIRST_GOOD + b'{"id": "r\\ud8001"}\n', ["line 2, id: not valid Unicode"]),
    ("control character", FIRST_GOOD + line(outlet="Reu\u0007ters"), ["line 2, outlet: holds a control"]),
]  # fmt: skip


@pytest.mark.parametrize(("content", "expected"), [c[1:] for c in BAD_INPUTS], ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_is_refused_naming_line_and_field_and_nothing_is_written(
    run, tmp_path, source_ids, content, expected
):
    before = source_ids()
    result = import_bytes(run, tmp_path, content)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("error: invalid input — ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.output and "Sorry" not in result.stderr
    for text in expected:
        assert text in result.stderr
    assert source_ids() == before


def test_every_bad_line_is_named_in_line_order_and_a_long_list_is_cut(run, tmp_path):
    content = line(id="ap") + line(url="ftp://x") + b"\n" + line(id=7, published="soon")
    message = import_bytes(run, tmp_path, content).stderr
    named = ["line 1, id", "line 2, url", "line 4, id", "line 4, published"]
    assert all(name in message for name in named)
    assert sorted(named, key=message.index) == named
    many = b"".join(line(id=f"s{n}", url="nowhere") for n in range(MAX_SHOWN + 5))
    cut = import_bytes(run, tmp_path, many).stderr
    assert f"line {MAX_SHOWN}, url" in cut and f"line {MAX_SHOWN + 1}," not in cut
    assert "more: 5 problems not shown" in cut


def test_import_writes_every_source_and_they_can_be_cited(run, tmp_path, source_ids):
    content = line() + b"\n\n" + line(id="afp-1", outlet="AFP", url="https://afp.com/a", title="Aleppo falls")
    result = import_bytes(run, tmp_path, content)
    assert (result.exit_code, result.output) == (0, "imported 2 sources (0 already present)\n")
    assert {"r1", "afp-1"} <= set(source_ids())
    assert "afp-1\t2024-11-30\tAFP\thttps://afp.com/a" in run("sources", "list").output
    added = run("facts", "add", "--text", "Rebels entered Aleppo.", "--source", "afp-1")
    assert added.exit_code == 0, added.stderr


def test_reimport_is_idempotent_and_counts_what_was_present(run, tmp_path):
    first = line() + line(id="r2", title="Two")
    assert import_bytes(run, tmp_path, first).output == "imported 2 sources (0 already present)\n"
    assert import_bytes(run, tmp_path, first).output == "imported 0 sources (2 already present)\n"
    spaced = line(id="r2", title="  Two ") + line(id="r3")  # the same fields once cleaned, and a new one
    assert import_bytes(run, tmp_path, spaced).output == "imported 1 sources (1 already present)\n"


def test_a_seed_source_given_with_its_own_fields_is_present(factbot, db_path):
    ap = factbot.get_source("ap")
    record = {"id": "ap", "outlet": ap.outlet, "url": ap.url, "published": ap.published.isoformat(),
              "title": ap.title}  # fmt: skip
    assert factbot.import_sources(enumerate([record], start=1), actor="test") == SourceImport(0, 1)
    with pytest.raises(ValidationError) as refused:
        factbot.import_sources(enumerate([{**record, "title": "Another headline"}], start=1), actor="test")
    assert "another title" in str(refused.value)
    assert factbot.get_source("ap").title == ap.title


def test_stdin_a_utf8_bom_and_an_empty_file(run, tmp_path):
    assert run("sources", "import", "-", stdin=line()).output == "imported 1 sources (0 already present)\n"
    bom = import_bytes(run, tmp_path, codecs.BOM_UTF8 + line(id="r2"))
    assert bom.output == "imported 1 sources (0 already present)\n"
    for empty in (b"", b"\n  \n"):
        result = import_bytes(run, tmp_path, empty)
        assert (result.exit_code, result.output) == (0, "imported 0 sources (0 already present)\n")


def test_a_thousand_sources_import_fast(run, tmp_path, source_ids):
    content = b"".join(
        line(id=f"wiki-{n}", outlet="Wikipedia", url=f"https://en.wikipedia.org/wiki/Page_%28{n}%29",
             title=f"Page ({n})")
        for n in range(1000)
    )  # fmt: skip
    started = time.perf_counter()
    result = import_bytes(run, tmp_path, content)
    elapsed = time.perf_counter() - started
    assert result.output == "imported 1000 sources (0 already present)\n"
    assert elapsed < 5, elapsed  # about 0.2 s on a laptop
    assert len(source_ids()) == 1003
