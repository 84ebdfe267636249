"""Two processes checking claims while a third imports facts into the same small store: every
check is answered (no "database is locked" reaches a user) and the import completes."""

from __future__ import annotations

import json
import multiprocessing
import time
from pathlib import Path
from typing import Any

from bench import data as bench_data
from bench import run as bench
from bot.service import Factbot
from facts.store import FactStore

BEFORE = 300
IMPORTED = 12_000  # several batches, so the import's worker process takes part too


def _checker(db: str, claims: list[str], stop_file: str, results: Any) -> None:
    bot = Factbot.open(db)
    answered, errors, during = 0, [], 0
    started = time.monotonic()
    while not Path(stop_file).exists() and time.monotonic() - started < 120:
        for claim in claims:
            try:
                reply = bot.check(claim)
                answered += 1
                during += not Path(stop_file).exists()
                assert reply.verdict is not None
            except Exception as error:  # anything at all would reach a user
                errors.append(repr(error))
    results.put({"answered": answered, "during_import": during, "errors": errors})


def _importer(db: str, records_file: str, stop_file: str, results: Any) -> None:
    try:
        with open(records_file, encoding="utf-8") as lines:
            count = Factbot.open(db).import_facts((json.loads(line) for line in lines), actor="importer")
        results.put({"imported": count.imported})
    except Exception as error:
        results.put({"imported": 0, "error": repr(error)})
    finally:
        Path(stop_file).touch()


def test_checks_keep_answering_while_another_process_imports(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    bench.add_sources(db)
    stream = [f.record for f in bench_data.facts(BEFORE + IMPORTED)]
    with Factbot(FactStore.open(db)) as setup:
        setup.import_facts(stream[:BEFORE], actor="setup")
    records_file = tmp_path / "more.jsonl"
    records_file.write_text("".join(json.dumps(r) + "\n" for r in stream[BEFORE:]))
    claims = [c.text for c in bench_data.claims(BEFORE, 20)]
    stop_file = str(tmp_path / "import-finished")

    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    checkers = [
        context.Process(target=_checker, args=(str(db), claims, stop_file, results)) for _ in range(2)
    ]
    for process in checkers:
        process.start()
    time.sleep(1.0)  # let the checkers get going before the write lock is taken
    importer = context.Process(target=_importer, args=(str(db), str(records_file), stop_file, results))
    importer.start()
    reports = [results.get(timeout=180) for _ in range(3)]
    for process in [*checkers, importer]:
        process.join(timeout=30)
        assert process.exitcode == 0

    imported = next(r for r in reports if "imported" in r)
    assert imported == {"imported": IMPORTED}
    checks = [r for r in reports if "answered" in r]
    assert all(r["errors"] == [] for r in checks), checks
    assert all(r["during_import"] > 0 for r in checks), "checks went on while the import ran"
    store = FactStore.open(db)
    assert store.count_facts() == BEFORE + IMPORTED
    store.close()
