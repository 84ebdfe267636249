"""The store on real SQLite: history and undo, reseeding, migrations, atomic writes."""

from __future__ import annotations

import sqlite3

import pytest

from bot.service import Factbot
from facts.errors import StoreUnavailable, UnknownFact, ValidationError
from facts.importer import FactImport, import_records
from facts.migrations import SCHEMA_VERSION
from facts.model import ChangeAction, FactOrigin, FactStatus
from facts.seeds import build
from facts.store import FactStore

NEW_FACT = {"text": "Rebels reached the outskirts of Hama.", "source": "ap"}


def test_open_uses_wal_and_current_schema(db_path):
    with FactStore.open(db_path) as store:
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_older_file_is_migrated_on_open(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE unrelated (x)")  # a v0 file: no Factbot tables yet
    conn.commit()
    conn.close()
    with FactStore.open(path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.count_facts() == 0


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    with pytest.raises(StoreUnavailable, match="newer"):
        FactStore.open(path)


def test_bad_database_path_is_one_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreUnavailable, match="cannot open"):
        FactStore.open(blocker / "sub" / "factbot.db")


def test_not_a_database_is_refused(tmp_path):
    path = tmp_path / "garbage.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreUnavailable):
        FactStore.open(path)


def test_add_edit_retire_restore_are_all_recorded(factbot):
    fact = factbot.add_fact(NEW_FACT, actor="cli:alice")
    factbot.edit_fact(fact.id, {"text": "Rebels reached the edge of Hama."}, actor="slack:U1")
    factbot.retire_fact(fact.id, actor="discord:42", note="unconfirmed")
    factbot.restore_fact(fact.id, actor="cli:bob")
    history = factbot.history(fact.id)
    assert [(c.action, c.actor) for c in history] == [
        (ChangeAction.ADD, "cli:alice"),
        (ChangeAction.EDIT, "slack:U1"),
        (ChangeAction.RETIRE, "discord:42"),
        (ChangeAction.RESTORE, "cli:bob"),
    ]
    assert history[1].before["statement"] == NEW_FACT["text"]
    assert history[1].after["statement"] == "Rebels reached the edge of Hama."
    assert history[2].note == "unconfirmed"


def test_retired_facts_are_kept_but_never_cited(factbot):
    claim = "At least 15 regime officers and soldiers were killed on Wednesday evening."
    cited = [c.fact_id for c in factbot.check(claim).citations]
    assert cited
    for fact_id in cited:
        factbot.retire_fact(fact_id, actor="cli:test")
    assert factbot.store.get_fact(cited[0]).status is FactStatus.RETIRED
    assert not {c.fact_id for c in factbot.check(claim).citations} & set(cited)


def test_undo_puts_a_fact_back_and_is_itself_recorded(factbot):
    fact = factbot.add_fact(NEW_FACT, actor="cli:alice")
    factbot.edit_fact(fact.id, {"text": "Something else entirely."}, actor="cli:mallory")
    edit = factbot.history(fact.id)[-1]
    restored = factbot.undo(edit.id, actor="cli:alice")
    assert restored.statement == NEW_FACT["text"]
    retire = factbot.retire_fact(fact.id, actor="cli:mallory")
    assert retire.status is FactStatus.RETIRED
    back = factbot.undo(factbot.history(fact.id)[-1].id, actor="cli:alice")
    assert back.status is FactStatus.ACTIVE
    assert [c.action for c in factbot.history(fact.id)] == [
        ChangeAction.ADD, ChangeAction.EDIT, ChangeAction.EDIT, ChangeAction.RETIRE, ChangeAction.RESTORE,
    ]  # fmt: skip


def test_build_is_idempotent(factbot):
    report = factbot.rebuild()
    assert (report.added, report.updated, report.retired) == (0, 0, 0)


def test_rebuild_never_touches_moderator_facts_or_their_edits(factbot):
    mine = factbot.add_fact(NEW_FACT, actor="cli:alice")
    seed_fact = next(f for f in factbot.list_facts() if f.origin is FactOrigin.EXTRACTED)
    factbot.edit_fact(seed_fact.id, {"text": "A moderator's better wording."}, actor="cli:alice")
    factbot.rebuild()
    assert factbot.get_fact(mine.id).statement == NEW_FACT["text"]
    assert factbot.get_fact(seed_fact.id).statement == "A moderator's better wording."


def test_rebuild_retires_seed_facts_that_vanished(factbot, tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    from facts.seeds import DEFAULT_SEEDS_DIR

    for path in DEFAULT_SEEDS_DIR.iterdir():
        if path.is_file() and path.name != "002_6b30fb15d62829be.txt":
            (seeds / path.name).write_bytes(path.read_bytes())
    (seeds / "002_6b30fb15d62829be.txt").write_text("A much shorter Levant24 article.", encoding="utf-8")
    (seeds / "curated.toml").write_text(
        "\n".join(
            block
            for block in (DEFAULT_SEEDS_DIR / "curated.toml").read_text(encoding="utf-8").split("\n\n")
            if 'source = "levant24"' not in block
        ),
        encoding="utf-8",
    )
    report = build(factbot.store, seeds)
    assert report.retired > 0
    assert not list(factbot.list_facts(status=FactStatus.ACTIVE, source_id="levant24"))[1:]


def test_crash_mid_write_leaves_nothing(factbot):
    before = factbot.store.count_facts(status=None)
    with pytest.raises(RuntimeError):
        with factbot.store.transaction():
            factbot.store.add_fact(factbot_fact(factbot), actor="cli:alice")
            raise RuntimeError("power cut")
    assert factbot.store.count_facts(status=None) == before


def factbot_fact(factbot):
    from facts.validation import new_fact

    return new_fact(NEW_FACT, factbot.store)


def test_import_with_a_bad_record_halfway_writes_nothing(factbot):
    before = factbot.store.count_facts(status=None)
    records = [NEW_FACT, {"text": "x", "source": "nowhere"}, NEW_FACT]
    with pytest.raises(ValidationError) as error:
        import_records(factbot.store, enumerate(records, start=1), actor="cli:import")
    assert "line 2, source" in error.value.fields
    assert factbot.store.count_facts(status=None) == before


def test_unknown_fact(factbot):
    with pytest.raises(UnknownFact):
        factbot.get_fact(10**9)


def test_store_builds_itself_from_seeds_on_first_use(tmp_path):
    with Factbot.open(tmp_path / "fresh" / "factbot.db") as bot:
        assert {s.id for s in bot.list_sources()} == {"ap", "btimes", "levant24"}
        assert bot.store.count_facts() > 100


def test_export_import_round_trips_exactly_into_an_empty_store(factbot, tmp_path):
    factbot.add_fact(NEW_FACT, actor="cli:alice")
    factbot.retire_fact(factbot.add_fact(NEW_FACT, actor="cli:bob").id, actor="cli:bob")
    exported = [f.to_record() for f in factbot.list_facts()]
    with FactStore.open(tmp_path / "empty.db") as empty:
        for source in factbot.list_sources():
            empty.put_source(source)
        report = import_records(empty, enumerate(exported, start=1), actor="cli:import")
        assert report == FactImport(imported=len(exported))
        assert [f.to_record() for f in empty.list_facts()] == exported


def test_index_built_by_an_older_normalisation_is_rebuilt_on_open(db_path):
    store = FactStore.open(db_path)
    with store.transaction():
        store.db.execute("DELETE FROM facts_fts")  # as if indexed under other rules
        store.db.execute("UPDATE meta SET value = 'older' WHERE key = 'index_version'")
    store.close()
    with FactStore.open(db_path) as reopened:
        assert reopened.db.execute("SELECT count(*) FROM facts_fts").fetchone()[0] == reopened.count_facts()
