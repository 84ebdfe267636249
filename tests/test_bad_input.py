"""Every bad input is refused with a message naming the problem (exit 1 or 2, never the internal
error's 4) and leaves the store exactly as it was: one table row per input, through the real CLI."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from facts.model import MAX_FACT_ID

TABLES = ("sources", "facts", "changes", "aliases", "fact_terms", "fact_counts", "meta", "facts_fts_content")
GOOD = {"text": "Rebels reached the outskirts of Hama.", "source": "ap"}
TOO_LONG = "x" * 5001
IMPORT = ("facts", "import", "{file}")  # the command of most rows: import the row's file


def snapshot(db: Path) -> str:
    """A digest of every row the store keeps."""
    conn = sqlite3.connect(db)
    digest = hashlib.sha256()
    for table in TABLES:
        for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1"):
            digest.update(repr(row).encode())
    conn.close()
    return digest.hexdigest()


def _fact_rows(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT count(*) FROM facts").fetchone()[0])
    finally:
        conn.close()


def line(**fields: Any) -> bytes:
    return json.dumps({**GOOD, **fields}).encode() + b"\n"


# (name, file content or None, arguments ("{file}" is the file's path), exit code, words the message holds)
CASES: list[tuple[str, bytes | None, tuple[str, ...], int, str]] = [
    ("string id", line(id="syn0"), IMPORT, 1, "line 1, id: must be a fact number"),
    ("float id", line(id=1.5), IMPORT, 1, "line 1, id: must be a fact number"),
    ("list id", line(id=[1]), IMPORT, 1, "line 1, id: must be a fact number"),
    ("boolean id", line(id=True), IMPORT, 1, "not true or false"),
    ("id of 2^63", line(id=2**63), IMPORT, 1, "is out of range"),
    ("id of 2^63-1", line(id=2**63 - 1), IMPORT, 1, "is out of range"),
    ("id 0", line(id=0), IMPORT, 1, "is out of range"),
    (
        "one new id twice",
        line(id=900) + line(id=900, text="Rebels reached Homs."),
        IMPORT,
        1,
        "line 2, id: 900 is also on line 1",
    ),  # fmt: skip
    (
        "status Active",
        line(status="Active"),
        IMPORT,
        1,
        "status: must be one of active, retired",
    ),  # fmt: skip
    ("unknown origin", line(origin="robot"), IMPORT, 1, "origin: must be one of"),
    ("UTF-16 file", line().decode().encode("utf-16"), IMPORT, 1, "UTF-16"),
    ("deeply nested", b"[" * 100_000 + b"\n", IMPORT, 1, "nested too deeply"),
    (
        "not UTF-8",
        line() + b'{"text": "\xff", "source": "ap"}\n',
        IMPORT,
        1,
        "line 2: not UTF-8",
    ),  # fmt: skip
    ("not JSON", line() + b"not json\n", IMPORT, 1, "line 2: not JSON"),
    ("an array", b"[1, 2]\n", IMPORT, 1, "an array, not a JSON object"),
    ("text not a string", line(text=["a"]), IMPORT, 1, "text: must be a string"),
    (
        "source not a string",
        line(source=["ap"]),
        IMPORT,
        1,
        "source: must be a source id",
    ),  # fmt: skip
    ("unknown field", line(txt="a"), IMPORT, 1, "'txt': not a fact field"),
    (
        "text and statement",
        line(statement="other"),
        IMPORT,
        1,
        "give text or statement, not both",
    ),  # fmt: skip
    (
        "statement too long",
        line(text=TOO_LONG),
        IMPORT,
        1,
        "text: longer than 5,000 characters",
    ),  # fmt: skip
    (
        "lone surrogate",
        b'{"text": "Rebels \\ud800 took", "source": "ap"}\n',
        IMPORT,
        1,
        "unpaired surrogate",
    ),  # fmt: skip
    (
        "control character",
        line(text="Rebels \x1b[2J took"),
        IMPORT,
        1,
        "holds a control character",
    ),  # fmt: skip
    ("offset beyond SQLite", line(end=10**40), IMPORT, 1, "end: must be a character"),
    ("offsets reversed", line(start=9, end=3), IMPORT, 1, "end: 3 is before start 9"),
    ("status not a string", line(status=[1]), IMPORT, 1, "status: must be one of"),
    ("bench sizes", None, ("bench", "--sizes", "1,x"), 2, "give store sizes as whole numbers"),
    ("undecodable argument", None, ("facts", "list", "--source", "ap\udcff"), 2, "not UTF-8 text"),
    (
        "negative offset",
        line(start=-1),
        IMPORT,
        1,
        "start: must be a character offset",
    ),
    (
        "comma decimal in import",
        line(kind="number", value_low="2,5"),
        IMPORT,
        1,
        "a comma only groups thousands",
    ),  # fmt: skip
    (
        "boolean value",
        line(kind="number", value_low=True),
        IMPORT,
        1,
        "value_low: not a number",
    ),  # fmt: skip
    (
        "range 10..5 in import",
        line(kind="number", value_low=10, value_high=5),
        IMPORT,
        1,
        "value_high: 5 is below the low end, 10",
    ),  # fmt: skip
    ("key of another fact", line(key="{seed key}"), IMPORT, 1, "is the key of fact #"),
    ("show 2^63", None, ("facts", "show", str(2**63)), 1, "no fact with id 9223372036854775808"),
    ("edit 2^63", None, ("facts", "edit", str(2**63), "--text", "x"), 1, "no fact with id"),
    ("retire 2^63", None, ("facts", "retire", str(2**63)), 1, "no fact with id"),
    ("restore 2^63", None, ("facts", "restore", str(2**63)), 1, "no fact with id"),
    ("history 10^25", None, ("facts", "history", str(10**25)), 1, "no fact with id"),
    ("undo 2^63", None, ("facts", "undo", "--yes", str(2**63)), 1, "no change with id"),
    ("show ²", None, ("facts", "show", "²"), 2, "is not a number"),
    ("queue answer 2^63", None, ("queue", "answer", str(2**63), "1"), 1, "no queue item with id"),
    ("queue dismiss 2^63", None, ("queue", "dismiss", str(2**63)), 1, "no queue item with id"),
    ("queue answer ²", None, ("queue", "answer", "²", "1"), 2, "is not a number"),
    ("show 5,000 digits", None, ("facts", "show", "9" * 5000), 2, "is not a number"),
    ("show Arabic-Indic 12", None, ("facts", "show", "١٢"), 2, "is not a number"),
    (
        "value 2,5",
        None,
        (
            "facts",
            "add",
            "--text",
            "Rebels took villages",
            "--source",
            "ap",
            "--kind",
            "number",
            "--value-low",
            "2,5",
        ),
        1,
        "value_low: not a number: '2,5'",
    ),  # fmt: skip
    (
        "value 1,2,3",
        None,
        (
            "facts",
            "add",
            "--text",
            "Rebels took villages",
            "--source",
            "ap",
            "--kind",
            "number",
            "--value-low",
            "1,2,3",
        ),
        1,
        "a comma only groups thousands",
    ),  # fmt: skip
    (
        "value 1_000",
        None,
        (
            "facts",
            "add",
            "--text",
            "Rebels took villages",
            "--source",
            "ap",
            "--kind",
            "number",
            "--value-low",
            "1_000",
        ),
        1,
        "not a number",
    ),  # fmt: skip
    (
        "range 10..5",
        None,
        (
            "facts",
            "add",
            "--text",
            "Rebels took villages",
            "--source",
            "ap",
            "--kind",
            "number",
            "--value-low",
            "10",
            "--value-high",
            "5",
        ),
        1,
        "value_high: 5 is below the low end, 10",
    ),  # fmt: skip
    (
        "edit to a range 2..1",
        None,
        ("facts", "edit", "{number fact}", "--value-high", "1"),
        1,
        "value_high: 1 is below the low end",
    ),  # fmt: skip
    (
        "statement too long",
        None,
        ("facts", "add", "--text", TOO_LONG, "--source", "ap"),
        1,
        "statement: longer than 5,000 characters (5,001)",
    ),  # fmt: skip
    (
        "evidence too long",
        None,
        ("facts", "add", "--text", "x y", "--source", "ap", "--evidence", TOO_LONG),
        1,
        "evidence: longer than 5,000",
    ),  # fmt: skip
    (
        "unclosed IPv6 URL",
        None,
        ("sources", "add", "--id", "r9", "--outlet", "R", "--url", "http://[x", "--published", "2024-11-30"),
        1,
        "url: not a URL",
    ),  # fmt: skip
    (
        "port not a number",
        None,
        (
            "sources",
            "add",
            "--id",
            "r9",
            "--outlet",
            "R",
            "--url",
            "http://x.org:http",
            "--published",
            "2024-11-30",
        ),
        1,
        "url: not a URL",
    ),  # fmt: skip
    (
        "URL too long",
        None,
        (
            "sources",
            "add",
            "--id",
            "r9",
            "--outlet",
            "R",
            "--url",
            "https://x.org/" + TOO_LONG,
            "--published",
            "2024-11-30",
        ),
        1,
        "url: longer than 5,000",
    ),  # fmt: skip
    (
        "source id too long",
        None,
        (
            "sources",
            "add",
            "--id",
            TOO_LONG,
            "--outlet",
            "R",
            "--url",
            "https://x.org/",
            "--published",
            "2024-11-30",
        ),
        1,
        "id: longer than 5,000",
    ),  # fmt: skip
    (
        "alias of 8 words",
        None,
        ("aliases", "add", "the one two three four five six seven", "Aleppo"),
        1,
        "alias: 8 words; names are matched up to 7 words",
    ),  # fmt: skip
    ("eval without labels", b'{"claim": "x"}\n', ("eval", "{file}"), 1, "line 1: `label` must be one of"),
    ("eval not UTF-8", b'{"claim": "\xff"}\n', ("eval", "{file}"), 1, "not UTF-8"),
    ("eval nested", b"[" * 100_000 + b"\n", ("eval", "{file}"), 1, "nested too deeply"),
    ("eval missing file", None, ("eval", "/nonexistent/claims.jsonl"), 2, "No such file"),
    ("undo refused at the prompt", None, ("facts", "undo", "3"), 1, "undoing it retires fact #3"),
]


@pytest.mark.parametrize(
    ("content", "args", "code", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_is_refused_and_writes_nothing(run, db_path, tmp_path, factbot, content, args, code, words):
    number_fact = next(f for f in factbot.list_facts() if (f.value_low or 0) > 1)
    seed_key = next(f.key for f in factbot.list_facts() if f.key)
    path = tmp_path / "input.jsonl"
    if content is not None:
        path.write_bytes(content.replace(b"{seed key}", seed_key.encode()))
    before = snapshot(db_path)

    names = {"{file}": str(path), "{number fact}": str(number_fact.id)}
    result = run(*(names.get(a, a) for a in args), stdin="n\n")

    assert result.exit_code == code, result.output
    assert words in result.output + result.stderr
    assert "Traceback" not in result.output + result.stderr and "Sorry" not in result.stderr
    assert snapshot(db_path) == before


def test_a_missing_seed_folder_or_sources_toml_is_named(tmp_path, run):
    from click.testing import CliRunner

    from adapters.cli import main

    (tmp_path / "empty").mkdir()
    for seeds, words in (
        (tmp_path / "nowhere", "does not exist"),
        (tmp_path / "empty", "has no sources.toml"),
    ):
        db = tmp_path / f"{seeds.name}.db"
        result = CliRunner().invoke(
            main, ["--db", str(db), "--seeds", str(seeds), "check", "Rebels took Aleppo"]
        )
        assert result.exit_code == 1 and words in result.stderr, result.output
        assert _fact_rows(db) == 0


def test_invalid_utf8_to_check_batch_is_answered_line_by_line(run, db_path):
    before = snapshot(db_path)
    result = run("check", "--batch", "-", stdin=b"Rebels captured the city of Hama.\n\xff\xfe oops\n\n")
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert result.exit_code == 0 and len(lines) == 3
    assert lines[0]["verdict"] == "not_found"
    assert lines[1] == {"claim": None, "error": "not UTF-8 text (byte 0xff at column 1)"}
    assert "empty" in lines[2]["error"]
    assert snapshot(db_path) == before


def test_reimporting_an_export_says_nothing_was_added(run, db_path, tmp_path):
    exported = tmp_path / "facts.jsonl"
    run("facts", "export", str(exported))
    count = len(exported.read_text(encoding="utf-8").splitlines())
    before = snapshot(db_path)

    result = run("facts", "import", str(exported))

    assert result.output == f"imported 0 facts ({count} already present, unchanged)\n"
    assert snapshot(db_path) == before
    record = json.loads(exported.read_text(encoding="utf-8").splitlines()[0])
    changed = tmp_path / "changed.jsonl"
    changed.write_text(json.dumps({**record, "statement": "Another text."}) + "\n" + json.dumps(GOOD) + "\n")
    result = run("facts", "import", str(changed))
    assert (
        result.output
        == "imported 1 facts (1 already present: 0 unchanged, 1 with other fields, kept as stored)\n"
    )


def test_an_edit_that_changes_nothing_is_not_recorded(run, db_path, factbot):
    fact = next(iter(factbot.list_facts()))
    before = snapshot(db_path)

    same = run("facts", "edit", str(fact.id), "--text", f"  {fact.statement} ")
    assert (same.exit_code, same.output) == (0, f"fact #{fact.id} already says that: nothing changed\n")
    run("facts", "retire", str(fact.id))
    again = run("facts", "retire", str(fact.id))
    assert again.output == f"fact #{fact.id} is already retired\n"
    assert [c.action.value for c in factbot.history(fact.id)][-2:] == ["add", "retire"]
    run("facts", "restore", str(fact.id))
    assert snapshot(db_path) != before  # the retire and restore are recorded, the no-ops are not


def test_undo_shows_what_it_reverts_and_needs_a_yes(run, factbot):
    added = run("facts", "add", "--text", "Rebels reached Hama's outskirts.", "--source", "ap")
    fact_id = int(added.output.split("#")[1])
    run("facts", "edit", str(fact_id), "--text", "Rebels neared Hama.")
    edit = factbot.history(fact_id)[-1]

    refused = run("facts", "undo", str(edit.id), stdin="n\n")
    assert refused.exit_code == 1
    assert f"change {edit.id}: edit of fact #{fact_id}" in refused.output
    assert "statement: 'Rebels neared Hama.' -> \"Rebels reached Hama's outskirts.\"" in refused.output
    assert factbot.get_fact(fact_id).statement == "Rebels neared Hama."

    confirmed = run("facts", "undo", str(edit.id), stdin="y\n")
    assert confirmed.exit_code == 0 and f"undid change {edit.id} on fact #{fact_id}" in confirmed.output
    assert factbot.get_fact(fact_id).statement == "Rebels reached Hama's outskirts."


def test_the_poison_id_leaves_room_for_new_facts_from_the_cli_and_chat(run, tmp_path, factbot):
    from slack_fake import SlackHarness, view_submission

    path = tmp_path / "high.jsonl"
    path.write_bytes(line(id=MAX_FACT_ID))
    assert run("facts", "import", str(path)).output == "imported 1 facts\n"
    added = run("facts", "add", "--text", "Rebels reached Homs.", "--source", "ap")
    assert added.exit_code == 0, added.output
    from_cli = int(added.output.split("#")[1])
    assert from_cli < MAX_FACT_ID

    with SlackHarness(factbot, moderators=("UMOD",)) as slack:
        slack.command("/factadd", "", user="UMOD")
        [opened] = slack.fake.wait_for("/api/views.open")
        values = {"statement": "Rebels reached Hama.", "source_id": {"type": "static_select",
                  "selected_option": {"value": "ap"}}}  # fmt: skip
        slack.payload(view_submission(opened.body["view"], values, user="UMOD"))
        [confirmation] = slack.fake.wait_for("/hooks/1")
    from_chat = int(confirmation.body["text"].split("#")[1].split(":")[0])
    assert (
        from_chat not in (from_cli, MAX_FACT_ID)
        and factbot.get_fact(from_chat).statement == "Rebels reached Hama."
    )
    assert run("facts", "export").output.count("\n") == len(list(factbot.list_facts()))


def test_terminal_sequences_from_the_store_are_printed_harmlessly(run, db_path):
    conn = sqlite3.connect(db_path)  # as an older Factbot, or a hand edit, could have left them
    conn.execute(
        "UPDATE facts SET statement = 'Rebels \x1b[2J\x1b]0;pwned\x07took \u202eAleppo' WHERE id = 1"
    )
    conn.execute("UPDATE sources SET outlet = 'AP\x1b[31m', url = 'https://x\x9b1m' WHERE id = 'ap'")
    conn.commit()
    conn.close()
    outputs = [run(*args).output for args in (("facts", "list"), ("facts", "show", "1"), ("sources", "list"),
                                              ("facts", "history", "1"), ("facts", "export"))]  # fmt: skip
    for output in outputs:
        assert not any(ch in output for ch in "\x1b\x07\x9b\u202e"), output
    assert "Rebels \\u001b[2J" in outputs[0]
    assert json.loads(outputs[1])["statement"].startswith("Rebels \x1b[2J")  # JSON: the same string, escaped


def test_a_busy_store_answers_busy_with_exit_3(run, db_path, monkeypatch):
    import facts.store

    monkeypatch.setattr(facts.store, "BUSY_SECONDS", 0.2)
    holder = sqlite3.connect(db_path)
    holder.execute("BEGIN IMMEDIATE")  # another process writing, e.g. a long import
    try:
        result = run("facts", "add", "--text", "Rebels reached Hama's outskirts.", "--source", "ap")
        alias = run("aliases", "add", "Sarakib", "Saraqeb")
    finally:
        holder.rollback()
        holder.close()
    for answer in (result, alias):
        assert answer.exit_code == 3, answer.output
        assert answer.stderr.startswith("error: the store is busy") and "try again" in answer.stderr


@pytest.mark.parametrize(
    ("text", "words"),
    [("show ²", "Usage: `/fact show ID`"), ("show ١٢", "Usage: `/fact show ID`"),
     (f"show {2**63}", "no fact with id 9223372036854775808"), (f"retire {10**25}", "no fact with id"),
     ("show " + "9" * 5000, "Usage: `/fact show ID`")],
)  # fmt: skip
def test_slack_fact_command_with_a_bad_id_answers(factbot, db_path, text, words):
    from slack_fake import SlackHarness

    before = snapshot(db_path)
    with SlackHarness(factbot, moderators=("UMOD",)) as slack:
        response = slack.command("/fact", text, user="UMOD")
        assert response.status == 200
        if "Usage" in words:
            assert words in response.body
        else:
            [answer] = slack.fake.wait_for("/hooks/1")
            assert words in answer.body["text"] and answer.body["response_type"] == "ephemeral"
    assert snapshot(db_path) == before


def test_discord_fact_show_with_an_id_beyond_sqlite_answers(monkeypatch, factbot):
    import asyncio

    from discord_fake import MANAGE_MESSAGES, discord_harness, member, slash

    async def scenario() -> None:
        async with discord_harness(monkeypatch, factbot) as h:
            for verb in ("show", "retire"):
                (call,) = await h.send(slash(verb, {"id": 2**63}, group="fact", who=member(MANAGE_MESSAGES)))
                assert call.body["data"]["content"] == f"No fact with id {2**63}"

    asyncio.run(scenario())


def _bench_records(tmp_path: Path, count: int) -> tuple[Path, Path]:
    from bench import data as bench_data
    from bench import run as bench

    db = tmp_path / "bench.db"
    bench.add_sources(db)
    records = tmp_path / "records.jsonl"
    records.write_text(
        "".join(json.dumps(f.record) + "\n" for f in bench_data.facts(count)), encoding="utf-8"
    )
    return db, records


def test_other_writers_are_not_locked_out_while_an_import_is_read(tmp_path):
    from bot.service import Factbot
    from facts.store import FactStore

    db, records = _bench_records(tmp_path, 5000)
    bot = Factbot(FactStore.open(db))
    writes = []

    def meanwhile(count: int) -> None:  # called between batches, while the import reads and stages
        other = sqlite3.connect(db, timeout=0)  # no waiting at all
        other.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('probe', ?)", [str(count)])
        other.commit()
        other.close()
        writes.append(count)

    lines = [json.loads(line) for line in records.read_text(encoding="utf-8").splitlines()]
    assert bot.import_facts(lines, actor="test", progress=meanwhile).imported == 5000
    assert writes[:2] == [2000, 4000]
    assert bot.store.count_facts() == 5000
    bot.close()


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc to find the worker")
def test_an_import_killed_by_sigkill_leaves_no_process_behind(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    db, records = _bench_records(tmp_path, 16_000)  # past the batches read before a worker starts
    command = [sys.executable, "-c", "from adapters.cli import main; main()", "--db", str(db)]
    importer = subprocess.Popen([*command, "facts", "import", str(records)], stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not (children := _children(importer.pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert children, "the import never started its worker"
    time.sleep(0.3)
    os.kill(importer.pid, signal.SIGKILL)
    importer.wait()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in children)
    assert _fact_rows(db) == 0  # all or nothing


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting for a parent that may never reap it (PID 1 in a container)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[0] not in ("Z", "X")


def test_slack_form_refuses_a_range_from_high_to_low_and_a_comma_decimal(factbot, db_path):
    from slack_fake import SlackHarness, view_submission

    before = snapshot(db_path)
    select = {"type": "static_select", "selected_option": {"value": "ap"}}
    number = {"type": "static_select", "selected_option": {"value": "number"}}
    with SlackHarness(factbot, moderators=("UMOD",)) as slack:
        slack.command("/factadd", "", user="UMOD")
        [opened] = slack.fake.wait_for("/api/views.open")
        cases = (("10", "5", "value_high", "5 is below the low end, 10"),
                 ("2,5", "", "value_low", "a comma only groups thousands"))  # fmt: skip
        for low, high, field, words in cases:
            values = {"statement": "Rebels took villages", "source_id": select, "kind": number,
                      "value_low": low, "value_high": high}  # fmt: skip
            response = slack.payload(view_submission(opened.body["view"], values, user="UMOD"))
            errors = json.loads(response.body)["errors"]
            assert words in errors[field], errors
    assert snapshot(db_path) == before


def test_discord_modal_refuses_a_range_from_high_to_low(monkeypatch, factbot, db_path):
    import asyncio

    from discord_fake import MANAGE_MESSAGES, discord_harness, member, modal_submit, slash

    before = snapshot(db_path)

    async def scenario() -> None:
        async with discord_harness(monkeypatch, factbot) as h:
            mod = member(MANAGE_MESSAGES)
            (opened,) = await h.send(slash("add", {"kind": "number"}, group="fact", who=mod))
            values = {"statement": "Rebels took villages", "source_id": "ap", "evidence": "",
                      "value_low": "10", "value_high": "5"}  # fmt: skip
            (call,) = await h.send(modal_submit(opened.body["data"]["custom_id"], values, who=mod))
            content = call.body["data"]["content"]
            assert content.startswith("Nothing was saved.") and "5 is below the low end, 10" in content

    asyncio.run(scenario())
    assert snapshot(db_path) == before
