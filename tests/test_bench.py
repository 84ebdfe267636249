"""The benchmark's generator and measurements on a tiny store: deterministic data, claims that
point at the right facts and carry true meaning labels, recall and "cited" computed as defined.
No timing is asserted."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from bench import data as bench_data
from bench import run as bench
from bench.data import Claim, Meaning
from bot.reply import CheckReply, Citation, Verdict
from bot.service import Factbot
from facts.model import Relation
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


def test_meaning_labels_are_deterministic_and_true() -> None:
    claims = bench_data.claims(2000, 400)
    assert [c.meaning for c in claims] == [c.meaning for c in bench_data.claims(2000, 400)]
    stored = {f.index: f for f in bench_data.facts(2000)}
    paraphrases = [c for c in claims if c.fact_index is not None]
    assert {c.meaning for c in paraphrases} == set(Meaning)
    assert all(c.meaning is None for c in claims if c.fact_index is None)
    for claim in paraphrases:
        fact = stored[claim.fact_index]  # type: ignore[index]
        assert _quoted(claim.text) == _quoted(fact.text), "quotes are retold verbatim"
        changed = _changed_numbers(fact.text, claim.text)
        if claim.meaning is Meaning.KEPT:
            assert changed == [], claim
        else:
            [(before, after)] = changed
            assert before != after and 1 <= int(after)
            bound = re.search(rf"(at least|more than) {before}\b", fact.text, re.IGNORECASE)
            assert not bound, f"a bound, which another number may still satisfy: {claim}"


def _quoted(text: str) -> list[str]:
    return re.findall(r'"[^"]*"', text)


def _changed_numbers(fact: str, claim: str) -> list[tuple[str, str]]:
    """(fact's, claim's) for each number that differs; every paraphrase keeps the count of numbers."""
    before, after = re.findall(r"\b\d+\b", fact), re.findall(r"\b\d+\b", claim)
    assert len(before) == len(after)
    return [(b, a) for b, a in zip(before, after, strict=True) if b != a]


def test_a_changed_day_of_the_month_stays_a_day() -> None:
    import random

    text = "The truce began on 27 March 2020, mediators said."
    days = {bench_data._change_number(text, [], random.Random(k)) for k in range(40)}
    assert len(days) > 3
    assert all(1 <= int(re.findall(r"\d+", d)[0]) <= 28 and "2020" in d for d in days)
    assert bench_data._change_number("At least 20 people died.", [], random.Random(1)).startswith(
        "At least 20"
    )


def test_recall_counts_the_source_fact_in_the_first_ten() -> None:
    assert bench.hit([5, 7, 9], 9)
    assert not bench.hit(list(range(100, 110)) + [3], 3)
    timing = bench.Timing.of([1.0, 2.0, 3.0, 4.0], [True, False, True, True])
    assert (timing.recall, timing.paraphrases, timing.p50, timing.p99) == (0.75, 4, 2.0, 4.0)
    assert timing.per_second == pytest.approx(400.0)


def _citation(fact_id: int, quote: str, relation: Relation = Relation.SUPPORTS) -> Citation:
    return Citation(relation, fact_id, "src", "Outlet", date(2020, 1, 1), False, "https://x", quote, 0.9, "")


def _reply(*citations: Citation, verdict: Verdict = Verdict.SUPPORTED) -> CheckReply:
    return CheckReply("claim", "claim", verdict, "", citations)


def test_cited_means_the_answer_cites_the_fact_or_its_sentence() -> None:
    sentence = "Air strikes on Kafr Zeet killed 12 people."
    assert bench.cites(_reply(_citation(7, "another sentence")), 7, sentence)
    assert bench.cites(_reply(_citation(9, sentence)), 7, sentence), "same sentence, other fact"
    against = _reply(_citation(7, sentence, Relation.CONTRADICTS), verdict=Verdict.CONTRADICTED)
    assert bench.cites(against, 7, sentence), "whatever the relation"
    assert not bench.cites(_reply(_citation(8, "another sentence")), 7, sentence)
    assert not bench.cites(_reply(verdict=Verdict.NOT_FOUND), 7, sentence)


def test_answer_scores_per_meaning() -> None:
    kept, changed = Meaning.KEPT, Meaning.CHANGED_NUMBER
    answers = bench.Answers.of(
        [
            bench.Answer(kept, Verdict.SUPPORTED, cited=True),
            bench.Answer(kept, Verdict.SUPPORTED, cited=True),
            bench.Answer(kept, Verdict.NOT_FOUND, cited=False),
            bench.Answer(kept, Verdict.MIXED, cited=True),
            bench.Answer(changed, Verdict.CONTRADICTED, cited=True),
            bench.Answer(changed, Verdict.SUPPORTED, cited=False),
        ]
    )
    assert (answers.paraphrases, answers.cited) == (6, pytest.approx(4 / 6))
    assert answers.counts == {"kept": 4, "changed number": 2}
    assert answers.expected == {"kept": 0.5, "changed number": 0.5}
    assert answers.verdicts["kept"] == {"supported": 2, "mixed": 1, "not_found": 1}
    assert bench.Answers.of([]).cited == 0.0


def test_a_stored_fact_checked_verbatim_is_cited(tmp_path: Path) -> None:
    path, db = tmp_path / "facts.jsonl", tmp_path / "f.db"
    bench.write_store(SIZE, 10, path)
    bench.add_sources(db)
    bot = Factbot(FactStore.open(db))
    bot.import_facts([json.loads(line) for line in path.read_text().splitlines()], actor="test")
    bot.close()
    facts = list(bench_data.facts(SIZE))[::60]
    claims = [Claim(f.text, f.index, ()) for f in facts]
    checked = bench.check_with_factbot(db, claims, first_id=1)
    answers = checked.answers_on(len(claims))
    assert (answers.paraphrases, answers.counts["kept"]) == (len(facts), len(facts))
    assert answers.cited == 1.0


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
    answers = result.answers
    assert answers.paraphrases == 10 and sum(answers.counts.values()) == 10
    assert result.answers_on_sample.paraphrases == result.factbot_on_sample.paraphrases
    assert 0.0 <= answers.cited <= 1.0
    assert sum(sum(v.values()) for v in answers.verdicts.values()) == 10
    table = bench.render([result], minutes=0.1)
    assert f"| {SIZE} | Factbot whole check | 20 |" in table
    assert "| cited | supported (kept) | contradicted (changed number) |" in table
    assert f"| {answers.cited:.3f} (10) |" in table
    assert "baseline retrieval (sample)" in table
    assert f"{SIZE} facts, verdicts of the paraphrases — kept: " in table


def test_the_imported_store_matches_the_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "facts.jsonl"
    bench.write_store(100, 10, path)
    records = [json.loads(line) for line in path.read_text().splitlines()]
    assert records == [f.record for f in bench_data.facts(100)]
    db = tmp_path / "f.db"
    bench.add_sources(db)
    bot = Factbot(FactStore.open(db))
    assert bot.import_facts(records, actor="test").imported == 100
    assert [f.statement for f in bot.list_facts()] == [r["text"] for r in records]
    bot.close()
