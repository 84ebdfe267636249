"""The benchmark's generator and measurements on a tiny store: deterministic data, claims that
point at the right facts, recall computed as defined. No timing is asserted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adapters import bench, bench_data
from bot.service import Factbot
from facts.store import FactStore

SIZE = 300


def test_the_stream_is_deterministic_and_sizes_are_prefixes() -> None:
    small = [f.record for f in bench_data.facts(50)]
    again = [f.record for f in bench_data.facts(50)]
    larger = [f.record for f in bench_data.facts(120)]
    assert small == again
    assert larger[:50] == small


def test_facts_look_like_conflict_news() -> None:
    facts = list(bench_data.facts(2000))
    assert all(10 <= len(f.text.split()) <= 40 for f in facts)
    assert {f.event.kind for f in facts} == {
        "capture", "killed", "displaced", "quote", "convoy", "ceasefire", "swap",
    }  # fmt: skip
    by_event: dict[int, list[str]] = {}
    for f in facts:
        by_event.setdefault(f.event.number, []).append(f.record["source"])
    reported_twice = [s for s in by_event.values() if len(s) >= 2]
    assert len(reported_twice) > len(by_event) * 0.9
    assert all(len(set(s)) == len(s) for s in by_event.values()), "one report per outlet"
    source_ids = {s["id"] for s in bench_data.sources()}
    assert {f.record["source"] for f in facts} <= source_ids


def test_claims_are_half_paraphrases_of_stored_facts() -> None:
    claims = bench_data.claims(SIZE, 40)
    assert claims == bench_data.claims(SIZE, 40)
    paraphrases = [c for c in claims if c.fact_index is not None]
    assert len(paraphrases) == 20
    stored = {f.index: f for f in bench_data.facts(SIZE)}
    for claim in paraphrases:
        assert claim.perturbations, claim
        assert claim.text != stored[claim.fact_index].text  # type: ignore[index]
    unseen = [c.text for c in claims if c.fact_index is None]
    assert not set(unseen) & {f.text for f in stored.values()}


def test_perturbations_do_what_they_say() -> None:
    import random

    fact = next(f for f in bench_data.facts(200) if f.event.kind == "killed")
    rng = random.Random(1)
    changed = bench_data._change_number(fact.text, [], rng)
    assert (
        changed != fact.text
        and changed.split()[0:1] != []
        and str(fact.event.count) not in changed.split()[:3]
    )
    typo = bench_data._typo(fact.text, [], rng)
    assert len(typo.split()) == len(fact.text.split()) and typo != fact.text


def test_recall_counts_the_source_fact_in_the_first_ten() -> None:
    assert bench.hit([5, 7, 9], 9)
    assert not bench.hit(list(range(100, 110)) + [3], 3)
    timing = bench.Timing.of([1.0, 2.0, 3.0, 4.0], [True, False, True, True])
    assert (timing.recall, timing.paraphrases, timing.p50, timing.p99) == (0.75, 4, 2.0, 4.0)
    assert timing.per_second == pytest.approx(400.0)


def test_a_tiny_size_end_to_end(tmp_path: Path) -> None:
    result = bench.measure_size(SIZE, 20, tmp_path, baseline_sample=10)
    assert result.factbot.claims == 20 and result.factbot.paraphrases == 10
    assert result.baseline.claims == 10 and result.factbot_on_sample.claims == 10
    assert 0.0 <= result.factbot.recall <= 1.0 and 0.0 <= result.baseline.recall <= 1.0
    # Paraphrases of a 300-fact store are easy: both find most sources.
    assert result.factbot.recall >= 0.7 and result.baseline.recall >= 0.7
    store = FactStore.open(tmp_path / f"store-{SIZE}" / "factbot.db")
    assert store.count_facts() == SIZE
    first = store.get_fact(1)
    assert first.statement == next(iter(bench_data.facts(1))).text
    assert len(store.history(1)) == 1, "every imported fact has its history entry"
    store.close()
    table = bench.render([result], minutes=0.1)
    assert f"| {SIZE} | Factbot whole check | 20 |" in table
    assert "baseline retrieval (sample)" in table


def test_the_imported_store_matches_the_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "facts.jsonl"
    bench.write_store(100, 10, path)
    records = [json.loads(line) for line in path.read_text().splitlines()]
    assert records == [f.record for f in bench_data.facts(100)]
    db = tmp_path / "f.db"
    bench.add_sources(db)
    bot = Factbot(FactStore.open(db))
    assert bot.import_facts(records, actor="test") == 100
    assert [f.statement for f in bot.list_facts()] == [r["text"] for r in records]
    bot.close()
