"""The store is browsable in datasette: a full-text table over the facts (the search box), history
linked to its fact, the check log and the queue. Datasette itself is an optional extra; the test
that drives it runs where it is installed (`pip install -c constraints.txt -e '.[datasette]'`)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from bot.service import Factbot
from facts.newsroom import Asked


def search(factbot: Factbot, words: str) -> list[int]:
    sql = "SELECT rowid FROM facts_search WHERE facts_search MATCH ? ORDER BY rowid"
    return [r[0] for r in factbot.store.db.execute(sql, [words])]


def test_the_search_table_holds_the_facts_and_follows_every_change(factbot: Factbot) -> None:
    villages = search(factbot, "villages")
    assert villages and all("villag" in factbot.get_fact(i).match_text().lower() for i in villages)

    evidence = "capturing 32 villages and points in the western Aleppo countryside"
    fields = {"statement": "Rebels took 32 villages", "source_id": "levant24", "evidence": evidence}
    fact = factbot.add_fact(fields, actor="t")
    assert fact.id in search(factbot, "village")  # stemmed: "villages" is found as "village"
    factbot.edit_fact(fact.id, {"statement": "Rebels seized 32 hamlets"}, actor="t")
    assert fact.id in search(factbot, "hamlets")


def test_history_is_linked_to_its_fact(factbot: Factbot) -> None:
    keys = factbot.store.db["changes"].foreign_keys
    assert [(k.column, k.other_table, k.other_column) for k in keys] == [("fact_id", "facts", "id")]


def test_datasette_shows_facts_with_a_search_box_history_checks_and_queue(db_path: Path) -> None:
    """Datasette browses the file in a process of its own: it leaves SQLite connections of its
    own open (Python 3.13 reports each as a ResourceWarning), and those are not ours to close."""
    if importlib.util.find_spec("datasette") is None:  # not imported here: importing it opens connections
        pytest.skip("datasette is not installed (pip install -c constraints.txt -e '.[datasette]')")
    bot = Factbot.open(db_path)
    bot.check("Rebels captured the city of Hama.", asked=Asked("slack", "T1", "C1", "1.1", "U1"))
    bot.close()
    result = subprocess.run(
        [sys.executable, "-W", "ignore::ResourceWarning", "-c", _BROWSE, str(db_path)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["browsed", "facts", "changes", "checks", "queue"]


_BROWSE = """
import asyncio, sys
from pathlib import Path
from datasette.app import Datasette

path = Path(sys.argv[1])


async def browse():
    ds = Datasette([str(path)])
    db = ds.get_database(path.stem)
    assert await db.fts_table("facts") == "facts_search"
    page = await ds.client.get(f"/{path.stem}/facts")
    assert 'name="_search"' in page.text
    found = (await ds.client.get(f"/{path.stem}/facts.json?_search=villages&_shape=objects")).json()
    assert found["rows"] and all("villag" in (r["statement"] + r["evidence"]).lower() for r in found["rows"])
    print("browsed facts")
    links = await db.foreign_keys_for_table("changes")
    assert links == [{"column": "fact_id", "other_table": "facts", "other_column": "id"}], links
    print("changes")
    for table in ("checks", "queue"):
        rows = (await ds.client.get(f"/{path.stem}/{table}.json?_shape=objects")).json()["rows"]
        assert rows[0]["claim"] == "Rebels captured the city of Hama.", rows
        print(table)


asyncio.run(browse())
"""


def test_a_file_from_before_the_loop_keeps_its_history_and_becomes_searchable(tmp_path: Path) -> None:
    import sqlite3

    import sqlite_utils

    from facts.migrations import MIGRATIONS, SCHEMA_VERSION
    from facts.store import FactStore

    path = tmp_path / "v4.db"
    db = sqlite_utils.Database(sqlite3.connect(path))
    for number, step in enumerate(MIGRATIONS[:4], start=1):  # the schema before the newsroom loop
        step(db)
        db.execute(f"PRAGMA user_version = {number}")
    db.execute("INSERT INTO sources (id, outlet, url) VALUES ('ap', 'AP', 'https://apnews.example')")
    db.execute(
        "INSERT INTO facts (id, kind, statement, source_id, evidence, origin, status, added_by, added_at) "
        "VALUES (7, 'event', 'Rebels entered Aleppo', 'ap', 'Rebels entered Aleppo.', 'moderator', 'active', "
        "'cli', '2024-12-01')"
    )
    db.execute(
        "INSERT INTO changes (id, fact_id, action, actor, at, note) "
        "VALUES (3, 7, 'add', 'cli', '2024-12-01', 'n')"
    )
    db.conn.commit()
    db.conn.close()

    with FactStore.open(path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert [(c.id, c.fact_id, c.note) for c in store.history(7)] == [(3, 7, "n")]
        assert [k.other_table for k in store.db["changes"].foreign_keys] == ["facts"]
        found = store.db.execute("SELECT rowid FROM facts_search WHERE facts_search MATCH 'entering'")
        assert [r[0] for r in found] == [7]
        assert store.db["checks"].count == 0 and store.db["queue"].count == 0
