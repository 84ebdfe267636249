"""Shared fixtures: a real SQLite store built from seeds/ once per session, copied per test."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from adapters.cli import main
from bot.service import Factbot
from facts.store import FactStore

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built from seeds/ once; tests get copies of it."""
    path = tmp_path_factory.mktemp("template") / "factbot.db"
    bot = Factbot.open(path)
    bot.store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    bot.close()
    return path


@pytest.fixture
def db_path(seeded_template: Path, tmp_path: Path) -> Path:
    """Path of a private, already seeded database file."""
    target = tmp_path / "factbot.db"
    shutil.copy(seeded_template, target)
    return target


@pytest.fixture
def run(db_path: Path) -> Callable[..., Result]:
    """`factbot --db <private seeded store> ARGS...` through click's runner; stdin as text or bytes."""
    runner = CliRunner()

    def invoke(*args: str, stdin: str | bytes | None = None) -> Result:
        return runner.invoke(main, ["--db", str(db_path), *args], input=stdin, catch_exceptions=False)

    return invoke


@pytest.fixture
def factbot(db_path: Path) -> Iterator[Factbot]:
    """A Factbot over a private seeded store."""
    bot = Factbot.open(db_path)
    yield bot
    bot.close()


@pytest.fixture
def store(factbot: Factbot) -> FactStore:
    return factbot.store
