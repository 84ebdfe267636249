"""Stored fact analyses (facts/stored_analysis.py) on a real SQLite store: loaded instead of read
again, never used once stale, refreshed by every write path, and answers identical to answers
from analyses read afresh."""

from __future__ import annotations

import ast
import json
import shutil
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from bot.reply import Verdict
from bot.service import Factbot
from facts import checker, stored_analysis
from facts.analysis import Analysis
from facts.checker import Checker
from facts.model import ChangeAction, FactStatus
from facts.store import FactStore
from facts.stored_analysis import decode, encode

REPO = Path(__file__).resolve().parent.parent
NEW_FACT = {"text": "Rebels shot down 3 helicopters near Hama on Friday.", "source": "ap"}


def _eval_claims() -> list[str]:
    claims = []
    for path in sorted((REPO / "eval").glob("*.jsonl")):
        claims += [json.loads(line)["claim"] for line in path.read_text().splitlines() if line.strip()]
    return claims


def _answers(bot: Factbot, claims: list[str]) -> list[dict[str, object]]:
    answers = []
    for claim in claims:
        answer = bot.check(claim).to_json()
        answer.pop("elapsed_ms")
        answers.append(answer)
    return answers


def _stored_rows(store: FactStore) -> dict[int, tuple[str, bytes]]:
    ids = [f.id for f in store.list_facts(status=FactStatus.ACTIVE) if f.id is not None]
    return store.stored_analyses(ids)


def _fresh_analysis(bot: Factbot, fact_id: int) -> Analysis:
    """The fact's analysis read from its text by a new checker (only a check loads stored ones)."""
    reader = Checker(bot.store)
    return reader._analysis(bot.store.get_fact(fact_id), reader.analyzer)


def test_every_active_fact_of_a_built_store_has_a_current_analysis(factbot: Factbot) -> None:
    rows = _stored_rows(factbot.store)
    assert len(rows) == factbot.store.count_facts() > 100
    assert factbot.store_analyses() == 0  # nothing missing, nothing stale


def test_an_analysis_round_trips_exactly(factbot: Factbot) -> None:
    reader = Checker(factbot.store)
    with_quantities = 0
    for fact in factbot.store.list_facts(status=FactStatus.ACTIVE):
        analysis = reader._analysis(fact, reader.analyzer)
        again = decode(encode(analysis))
        assert again == analysis and again.informativeness == analysis.informativeness
        with_quantities += bool(analysis.quantities)
    assert with_quantities > 20


def test_answers_from_stored_analyses_equal_answers_read_afresh(db_path: Path, tmp_path: Path) -> None:
    claims = _eval_claims()
    assert len(claims) > 200
    stored = Factbot.open(db_path)
    loaded: list[int] = []
    load = stored.store.stored_analyses

    def counted(ids: Sequence[int]) -> dict[int, tuple[str, bytes]]:
        rows = load(ids)
        loaded.append(len(rows))
        return rows

    stored.store.stored_analyses = counted  # type: ignore[method-assign]
    fresh_path = tmp_path / "fresh.db"
    shutil.copy(db_path, fresh_path)
    fresh = Factbot.open(fresh_path)
    fresh.store.db.execute("DELETE FROM fact_analyses")
    assert _answers(stored, claims) == _answers(fresh, claims)
    assert sum(loaded) > 100  # the stored ones were read, not only the cache
    stored.close()
    fresh.close()


def test_a_stored_analysis_is_what_a_check_reads(factbot: Factbot) -> None:
    claim = "Rebels took about 20 villages on the first day of the offensive."
    cited = factbot.check(claim).citations[0].fact_id
    mark, data = factbot.store.stored_analyses([cited])[cited]
    emptied = replace(decode(data), concepts=(), quantities=())
    factbot.store.put_analyses([(cited, mark, encode(emptied))])
    reopened = Factbot(factbot.store)
    assert cited not in [c.fact_id for c in reopened.check(claim).citations]


def test_a_stale_analysis_is_never_used(factbot: Factbot) -> None:
    claim = "Rebels took about 20 villages on the first day of the offensive."
    before = factbot.check(claim).to_json()
    cited = before["evidence"][0]["fact_id"]
    _, data = factbot.store.stored_analyses([cited])[cited]
    emptied = encode(replace(decode(data), concepts=(), quantities=()))
    factbot.store.put_analyses([(cited, "another fingerprint", emptied)])
    after = Factbot(factbot.store).check(claim).to_json()
    assert [e["fact_id"] for e in after["evidence"]] == [e["fact_id"] for e in before["evidence"]]


def _dated_fact(factbot: Factbot) -> int:
    fact = factbot.add_fact(
        {"statement": "Rebels entered the town of Khan Shaykhun.", "source_id": "ap", "kind": "event",
         "event_date": "2024-11-28"},
        actor="cli:mod",
    )  # fmt: skip
    assert fact.id is not None
    return fact.id


def test_an_edit_stores_the_new_analysis_at_once(factbot: Factbot) -> None:
    fact_id = _dated_fact(factbot)
    old_mark, _ = factbot.store.stored_analyses([fact_id])[fact_id]
    factbot.edit_fact(fact_id, {"event_date": "2024-11-30"}, actor="cli:mod")
    mark, data = factbot.store.stored_analyses([fact_id])[fact_id]
    assert mark != old_mark
    assert decode(data) == _fresh_analysis(factbot, fact_id)
    assert decode(data).monthdays == {(11, 30)}


def test_an_edit_written_elsewhere_changes_the_verdict_before_any_refresh(factbot: Factbot) -> None:
    fact_id = _dated_fact(factbot)
    claim = "Rebels entered Khan Shaykhun on November 28."
    assert factbot.check(claim).verdict is Verdict.SUPPORTED
    # Another process edits the row without storing a new analysis: the stored one is stale.
    factbot.store.update_fact(
        fact_id, {"event_date": date(2024, 11, 30)}, actor="cli:other", action=ChangeAction.EDIT
    )
    assert fact_id in factbot.store.stored_analyses([fact_id])
    assert Factbot(factbot.store).check(claim).verdict is Verdict.CONTRADICTED
    assert factbot.check(claim).verdict is Verdict.CONTRADICTED


def test_added_and_restored_facts_get_analyses(factbot: Factbot) -> None:
    added = factbot.add_fact(NEW_FACT, actor="cli:mod")
    assert added.id is not None
    _, data = factbot.store.stored_analyses([added.id])[added.id]
    assert decode(data) == _fresh_analysis(factbot, added.id)
    factbot.retire_fact(added.id, actor="cli:mod")
    factbot.store.db.execute("DELETE FROM fact_analyses WHERE fact_id = ?", [added.id])
    factbot.restore_fact(added.id, actor="cli:mod")
    assert added.id in factbot.store.stored_analyses([added.id])


def test_an_alias_makes_every_stored_analysis_stale_until_refreshed(factbot: Factbot) -> None:
    factbot.add_alias("the northern city", "Aleppo", actor="cli:mod")
    assert factbot.store_analyses() == factbot.store.count_facts()
    assert factbot.store_analyses() == 0


def test_imported_facts_are_analysed_by_facts_analyse(run, db_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    records = tmp_path / "new.jsonl"
    records.write_text(json.dumps(NEW_FACT) + "\n")
    assert run("facts", "import", str(records)).exit_code == 0
    assert run("facts", "analyse").output == "stored 1 fact analyses\n"
    assert run("facts", "analyse").output == "stored 0 fact analyses\n"


def test_the_version_changes_with_the_lexicon(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copied = tmp_path / "facts"
    shutil.copytree(REPO / "facts", copied)
    monkeypatch.setattr(stored_analysis, "_FACTS", copied)
    assert stored_analysis._analysis_version() == stored_analysis.ANALYSIS_VERSION
    lexicon = copied / "lexicon.toml"
    lexicon.write_text(lexicon.read_text() + "\n# one more line\n")
    assert stored_analysis._analysis_version() != stored_analysis.ANALYSIS_VERSION


def test_reading_processes_store_what_one_process_stores(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checker, "STORE_BATCH", 40)  # several batches: all but the first to workers
    parallel_path = tmp_path / "parallel.db"
    shutil.copy(db_path, parallel_path)
    serial, parallel = Factbot.open(db_path), Factbot.open(parallel_path)
    for bot in (serial, parallel):
        bot.store.db.execute("DELETE FROM fact_analyses")
    count = serial.store.count_facts()
    assert serial.store_analyses() == count == parallel.store_analyses(workers=2)
    one, two = _stored_rows(serial.store), _stored_rows(parallel.store)
    assert {i: m for i, (m, _) in one.items()} == {i: m for i, (m, _) in two.items()}
    assert all(decode(one[i][1]) == decode(two[i][1]) for i in one)
    serial.close()
    parallel.close()


def test_the_version_covers_every_module_an_analysis_is_made_by() -> None:
    """The facts modules the checker's reading of a fact imports, transitively, and their data."""
    # What the checker imports to retrieve and judge, not to read a fact: not followed.
    not_reading = {"retrieve", "store", "verify", "values", "errors", "processes"}
    seen: set[str] = set()
    todo = ["checker", "stored_values", "stored_analysis"]
    while todo:
        name = todo.pop()
        if name in seen or name in not_reading:
            continue
        seen.add(name)
        tree = ast.parse((REPO / "facts" / f"{name}.py").read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("facts"):
                parts = (node.module or "").split(".")
                todo += [parts[1]] if len(parts) > 1 else [a.name for a in node.names]
    assert {"analysis", "numbers", "dates", "wordinfo", "lexicon"} <= seen
    reading = {f"{name}.py" for name in seen}
    assert reading <= set(stored_analysis._SOURCES), reading - set(stored_analysis._SOURCES)
