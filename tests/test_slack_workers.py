"""Two `factbot serve slack --http` processes on one database act as one bot (issue 9): one reply
per event whichever worker gets each delivery, rate limits and replays hold across them, no
request is lost when one stops, and Slack's 3-second acknowledgement holds under a burst."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from slack_fake import FakeSlack, action_payload, command_body, mention_body, sign, view_submission
from slack_server import SlackServer, copy_of, server_pair, signed_form, signed_payload

from adapters.slack.blocks import SHARE_ACTION
from adapters.slack.forms import ADD_CALLBACK, fact_form
from bot.service import Factbot

CLAIM = "Rebels captured the city of Hama."
EVIDENCE = "capturing 32 villages and points in the western Aleppo countryside"
ACK_DEADLINE = 3.0  # Slack's


@pytest.fixture(scope="module")
def pair(
    seeded_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[SlackServer, ...]]:
    """Two server processes, one store file, one fake Slack; 3 checks per user per minute."""
    db = copy_of(seeded_template, tmp_path_factory.mktemp("workers"))
    with FakeSlack() as fake, server_pair(db, fake, env={"FACTBOT_SLACK_RATE_LIMIT": "3/60"}) as servers:
        yield servers


def _until(condition: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def _posts_in(fake: FakeSlack, thread_ts: str) -> list[Any]:
    return [c for c in fake.calls_to("/api/chat.postMessage") if c.body.get("thread_ts") == thread_ts]


def test_one_reply_per_event_whichever_worker_gets_each_delivery(pair: tuple[SlackServer, ...]) -> None:
    fake, rng = pair[0].fake, random.Random(9)
    events = [
        mention_body(f"<@UBOT> {CLAIM}", event_id=f"EvDup{n}", user=f"UDUP{n}", ts=f"1700000100.{n:06d}")
        for n in range(12)
    ]

    def deliver(event: dict[str, Any], attempt: int) -> int:
        body = json.dumps(event)
        # A retry is a new request (a later timestamp, so a new signature) with the same event id.
        headers = {
            "content-type": "application/json",
            **sign(body, timestamp=int(time.time()) - 10 + attempt),
        }
        if attempt:
            headers |= {"x-slack-retry-num": str(attempt), "x-slack-retry-reason": "http_timeout"}
        return rng.choice(pair).post(body, headers)[0]

    with ThreadPoolExecutor(max_workers=12) as pool:  # the original and its retries may overlap
        statuses = list(pool.map(deliver, [e for e in events for _ in range(3)], [0, 1, 2] * len(events)))

    assert statuses == [200] * 36
    _until(lambda: all(_posts_in(fake, e["event"]["ts"]) for e in events))
    time.sleep(0.5)  # a second answer, if any, would have come by now
    assert [len(_posts_in(fake, e["event"]["ts"])) for e in events] == [1] * 12


def test_the_rate_limit_counts_checks_on_every_worker(pair: tuple[SlackServer, ...]) -> None:
    fake = pair[0].fake
    for n in range(6):
        event = mention_body(
            f"<@UBOT> {CLAIM}", event_id=f"EvRate{n}", user="URATE", ts=f"1700000200.{n:06d}"
        )
        body = json.dumps(event)
        assert pair[n % 2].post(body, {"content-type": "application/json", **sign(body)})[0] == 200
        time.sleep(0.05)  # in order, so that the first three are the answered ones

    refusals = lambda: [c for c in fake.calls_to("/api/chat.postEphemeral") if c.body.get("user") == "URATE"]  # noqa: E731
    _until(lambda: len(refusals()) == 3)
    answered = [n for n in range(6) if _posts_in(fake, f"1700000200.{n:06d}")]
    assert answered == [0, 1, 2]
    assert all("You've checked 3 claims in the last minute" in c.body["text"] for c in refusals())


def test_a_replayed_slash_command_is_done_once_across_workers(pair: tuple[SlackServer, ...]) -> None:
    a, b = pair
    body, headers = signed_form(
        command_body(
            "/factcheck", CLAIM, user="UREPLAY", trigger_id="t-replay", response_url=a.fake.hook("replay")
        )
    )

    assert a.post(body, headers) == (200, "") and b.post(body, headers) == (200, "")
    assert a.post(body, headers) == (200, "")

    a.fake.wait_for("/hooks/replay")
    time.sleep(0.5)
    assert len(a.fake.calls_to("/hooks/replay")) == 1


def test_a_replayed_form_submission_stores_the_fact_once(pair: tuple[SlackServer, ...]) -> None:
    a, b = pair
    bot = Factbot.open(a.db)
    try:
        before = len(list(bot.list_facts()))
        view = fact_form(
            bot.list_sources(),
            callback_id=ADD_CALLBACK,
            title="Add a fact",
            metadata={"response_url": a.fake.hook("form-replay")},
        )
    finally:
        bot.close()
    values = {
        "statement": "Rebels captured 32 villages on their first day",
        "kind": _select("number"),
        "source_id": _select("levant24"),
        "evidence": EVIDENCE,
        "value_low": "32",
        "unit": "villages",
    }
    body, headers = signed_payload(view_submission(view, values, user="UMOD"))

    answers = [server.post(body, headers) for server in (a, b, a)]

    assert answers == [(200, "")] * 3
    with closing(sqlite3.connect(a.db)) as conn:
        assert conn.execute("SELECT count(*) FROM facts").fetchone()[0] == before + 1


def _factcheck(fake: FakeSlack, name: str) -> tuple[str, dict[str, str]]:
    """A signed /factcheck from its own user, with its own trigger id and response_url (/hooks/NAME)."""
    fields = command_body(
        "/factcheck", CLAIM, user=f"U{name.upper()}", trigger_id=f"t-{name}", response_url=fake.hook(name)
    )
    return signed_form(fields)


def _select(value: str) -> dict[str, Any]:
    return {"type": "static_select", "selected_option": {"value": value}}


def test_a_double_click_on_post_to_channel_posts_once_across_workers(pair: tuple[SlackServer, ...]) -> None:
    a, b = pair
    fake = a.fake
    clicks = []
    for n, server in enumerate((a, b)):
        payload = action_payload(SHARE_ACTION, CLAIM, user="UCLICK", message_ts="1700000300.000001")
        payload["actions"][0]["action_ts"] = f"1700000301.{n}"  # two clicks: two different requests
        clicks.append((server, *signed_payload(payload)))

    with ThreadPoolExecutor(max_workers=2) as pool:
        assert list(pool.map(lambda c: c[0].post(c[1], c[2])[0], clicks)) == [200, 200]

    shared = lambda: [c for c in fake.calls_to("/api/chat.postMessage") if "UCLICK" in json.dumps(c.body)]  # noqa: E731
    _until(lambda: len(shared()) >= 1)
    time.sleep(0.5)
    assert len(shared()) == 1


def test_the_3_second_ack_holds_under_a_burst_of_50_requests_to_two_workers(
    pair: tuple[SlackServer, ...],
) -> None:
    fake = pair[0].fake

    def one(n: int) -> float:
        body, headers = _factcheck(fake, f"burst-{n}")
        started = time.perf_counter()
        assert pair[n % 2].post(body, headers) == (200, "")
        return time.perf_counter() - started

    start = threading.Barrier(50)

    def at_once(n: int) -> float:
        start.wait()
        return one(n)

    with ThreadPoolExecutor(max_workers=50) as pool:
        acks = sorted(pool.map(at_once, range(50)))
    _until(lambda: all(fake.calls_to(f"/hooks/burst-{n}") for n in range(50)), timeout=60)

    p50, p95, worst = (round(seconds * 1000) for seconds in (statistics.median(acks), acks[47], acks[-1]))
    print(f"\nack latency, 50 simultaneous requests to 2 workers: p50 {p50} ms, p95 {p95} ms, max {worst} ms")
    assert acks[-1] < ACK_DEADLINE


def test_no_request_is_lost_when_one_worker_stops(db_path: Path) -> None:
    """A load balancer's view: each request goes to the next worker, and to the other one when
    that one refuses the connection. One worker gets SIGTERM halfway through."""
    with FakeSlack() as fake, server_pair(db_path, fake, env={}) as (a, b):
        fake.hook_delay = 0.3  # answers are in flight when the stop comes
        servers, stopped = [a, b], threading.Event()

        def balanced(n: int) -> int:
            body, headers = _factcheck(fake, f"lb-{n}")
            for server in (servers[n % 2], servers[(n + 1) % 2]):
                try:
                    return server.post(body, headers)[0]
                except OSError:
                    continue  # connection refused: the balancer tries the other worker
            return 0

        codes, slowest = [], 0.0
        for n in range(30):
            if n == 10:
                threading.Thread(target=lambda: stopped.set() if a.terminate() == 0 else None).start()
            started = time.perf_counter()
            codes.append(balanced(n))
            slowest = max(slowest, time.perf_counter() - started)
            time.sleep(0.02)
        _until(lambda: stopped.is_set(), timeout=30)
        print(
            f"\nslowest request while one of two servers stopped: {slowest * 1000:.0f} ms (retried if reset)"
        )

        assert codes == [200] * 30
        _until(lambda: all(fake.calls_to(f"/hooks/lb-{n}") for n in range(30)), timeout=30)
        assert [len(fake.calls_to(f"/hooks/lb-{n}")) for n in range(30)] == [1] * 30
        assert b.get("/healthz")[0] == 200


def test_no_request_is_lost_when_one_gunicorn_worker_stops(db_path: Path) -> None:
    """One server, two worker processes on one port: a worker that gets SIGTERM finishes what it
    has and goes, the other keeps accepting, and the master starts a replacement."""
    with FakeSlack() as fake, SlackServer(db_path, fake, workers=2) as server:
        assert server.process is not None
        pid = server.process.pid
        _until(lambda: len(_children(pid)) == 2, timeout=60)  # the master forks its workers in turn
        workers = _children(pid)
        codes = []
        for n in range(30):
            if n == 10:
                os.kill(workers[0], signal.SIGTERM)
            codes.append(server.post(*_factcheck(fake, f"w-{n}"))[0])
            time.sleep(0.02)

        assert codes == [200] * 30
        _until(lambda: all(fake.calls_to(f"/hooks/w-{n}") for n in range(30)), timeout=30)
        assert [len(fake.calls_to(f"/hooks/w-{n}")) for n in range(30)] == [1] * 30
        _until(lambda: len(_children(pid)) == 2 and workers[0] not in _children(pid), timeout=60)


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return sorted(found)
