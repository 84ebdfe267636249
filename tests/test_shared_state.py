"""Shared state in the store file: keys seen once, rate-limit hits, expiry and clean-up, and what
happens when the file stays locked. Two SharedState objects on one file stand for two workers."""

from __future__ import annotations

import logging
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from bot.ratelimit import RateLimit, RateLimiter, too_many
from facts.shared_state import CLEAN_EVERY, SharedState, store_answers


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def workers(db_path: Path, clock: Clock):
    one, two = SharedState.open(db_path, clock=clock), SharedState.open(db_path, clock=clock)
    yield one, two
    one.close()
    two.close()


def _rows(db: Path) -> tuple[int, int]:
    with closing(sqlite3.connect(db)) as conn:
        seen = conn.execute("SELECT count(*) FROM seen_keys").fetchone()[0]
        return seen, conn.execute("SELECT count(*) FROM rate_hits").fetchone()[0]


def test_a_key_is_first_for_one_worker_only_until_it_expires(workers, clock: Clock) -> None:
    one, two = workers

    assert one.first("slack:event:Ev1", ttl=60) and not two.first("slack:event:Ev1", ttl=60)
    clock.now += 59
    assert not one.first("slack:event:Ev1", ttl=60)
    clock.now += 2
    assert two.first("slack:event:Ev1", ttl=60)


def test_a_rate_limit_counts_every_workers_checks(workers, clock: Clock) -> None:
    one, two = workers
    limit = RateLimit(3, 60.0)
    a, b = RateLimiter(limit, one), RateLimiter(limit, two)

    waits = [a.wait("slack:T1:U1"), b.wait("slack:T1:U1"), a.wait("slack:T1:U1"), b.wait("slack:T1:U1")]

    assert waits[:3] == [0.0, 0.0, 0.0] and waits[3] == pytest.approx(60.0)
    assert b.wait("slack:T1:U2") == 0.0, "per user"
    clock.now += 30
    assert a.wait("slack:T1:U1") == pytest.approx(30.0), "a refused check is not counted"
    clock.now += 30
    assert b.wait("slack:T1:U1") == 0.0
    assert (
        too_many(limit, 29.2) == "You've checked 3 claims in the last minute. Please wait 30 s and try again."
    )


def test_no_limit_counts_nothing(db_path: Path) -> None:
    state = SharedState.open(db_path)
    limiter = RateLimiter(RateLimit.parse("0"), state)
    assert all(limiter.wait("u") == 0.0 for _ in range(50))
    assert _rows(db_path)[1] == 0
    state.close()


def test_expired_rows_are_deleted(workers, clock: Clock, db_path: Path) -> None:
    one, two = workers
    for n in range(5):
        one.first(f"k{n}", ttl=10)
        one.take("u", limit=10, window=10)
    assert _rows(db_path) == (5, 5)

    clock.now += 11
    assert two.clean() == 10
    assert _rows(db_path) == (0, 0)


def test_clean_up_runs_by_itself_about_once_a_minute(workers, clock: Clock, db_path: Path) -> None:
    one, _ = workers
    one.first("old", ttl=1)
    clock.now += CLEAN_EVERY + 1

    one.first("new", ttl=1000)

    assert _rows(db_path)[0] == 1


def test_a_locked_store_fails_open_within_the_busy_timeout(db_path: Path, caplog) -> None:
    state = SharedState.open(db_path, busy_ms=100)
    blocker = sqlite3.connect(db_path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with caplog.at_level(logging.WARNING, logger="factbot.state"):
            assert state.first("k", ttl=60) and state.first("k", ttl=60)  # a duplicate beats a lost answer
            assert state.take("u", limit=1, window=60) == 0.0
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert "shared state unavailable" in caplog.text
    assert state.first("k", ttl=60) and not state.first("k", ttl=60)
    state.close()


def test_the_store_answers_only_while_its_file_is_a_readable_store(db_path: Path, tmp_path: Path) -> None:
    assert store_answers(db_path)
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database" * 100)
    assert not store_answers(garbage)
    assert not store_answers(tmp_path / "absent.db") and not (tmp_path / "absent.db").exists()


def test_remembered_values_are_shared(workers) -> None:
    one, two = workers
    assert one.value("discord:commands:1:global") is None
    one.remember("discord:commands:1:global", "abc")
    assert two.value("discord:commands:1:global") == "abc"
