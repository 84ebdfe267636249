"""`factbot eval` over several labeled sets: one table, a row per set and an all-claims row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adapters.cli import render_eval
from bot.evaluation import ALL_CLAIMS, TABLE_HEADER, EvalReport, eval_table, evaluate

REPO = Path(__file__).resolve().parent.parent
SET_A = [
    {"id": "a1", "claim": "Rebels captured the city of Hama.", "label": "not_found", "sources": []},
    {"id": "a2", "claim": "Turkey has no troops in Syria.", "label": "supported", "sources": ["ap"]},
]
SET_B = [
    {"id": "b1", "claim": "Turkey has no troops in Syria.", "label": "contradicted", "sources": ["ap"]},
    {"id": "b2", "claim": "Government forces retook Aleppo in 2018.", "label": "contradicted", "sources": []},
    {"id": "b3", "claim": "Rebels took 32 villages.", "label": "supported", "sources": ["levant24"]},
]  # fmt: skip


@pytest.fixture
def sets(tmp_path) -> list[Path]:
    paths = []
    for name, records in (("a.jsonl", SET_A), ("b.jsonl", SET_B)):
        path = tmp_path / name
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        paths.append(path)
    return paths


def cells(table_line: str) -> list[str]:
    return [c.strip() for c in table_line.strip("|").split("|")]


def test_combined_report_is_the_report_over_all_claims(factbot):
    a, b = evaluate(factbot, SET_A), evaluate(factbot, SET_B)
    pooled = evaluate(factbot, SET_A + SET_B).summary()
    assert EvalReport.combined([a, b]).summary() == pooled
    assert EvalReport.combined([]).summary()["claims"] == 0


def test_table_has_a_row_per_set_then_all_claims(factbot):
    reports = [("a", evaluate(factbot, SET_A)), ("b", evaluate(factbot, SET_B))]
    lines = eval_table(reports).splitlines()
    assert cells(lines[0]) == list(TABLE_HEADER)
    assert cells(lines[1])[1:] == ["-" * (len(c) - 1) + ":" for c in cells(lines[1])[1:]]  # numbers right
    assert [cells(row)[0] for row in lines[2:]] == ["a", "b", ALL_CLAIMS]
    assert len({len(row) for row in lines}) == 1  # columns aligned
    pooled = evaluate(factbot, SET_A + SET_B).summary()
    figures = ("claims", "accuracy", "macro_f1", "false_support_rate", "evidence_source_recall")
    expected = [str(pooled["claims"]), *(f"{pooled[k]:.3f}" for k in figures[1:])]
    assert cells(lines[-1])[1:] == expected
    summary_a = reports[0][1].summary()
    assert cells(lines[2])[1:3] == [str(summary_a["claims"]), f"{summary_a['accuracy']:.3f}"]


def test_one_file_prints_what_it_always_printed(run, sets, factbot):
    summary = evaluate(factbot, SET_A).summary()
    assert run("eval", str(sets[0])).output == render_eval(summary) + "\n"
    assert run("eval", "--misses", str(sets[0])).output == render_eval(summary, show_misses=True) + "\n"
    as_json = json.loads(run("eval", "--json", str(sets[0])).output)
    assert as_json["claims"] == 2 and "sets" not in as_json


def test_several_files_print_one_table(run, sets):
    result = run("eval", *map(str, sets))
    assert result.exit_code == 0
    rows = [cells(row) for row in result.output.splitlines()]
    assert rows[0] == list(TABLE_HEADER)
    assert [row[:2] for row in rows[2:]] == [[str(sets[0]), "2"], [str(sets[1]), "3"], [ALL_CLAIMS, "5"]]
    as_json = json.loads(run("eval", "--json", *map(str, sets)).output)
    assert [s["set"] for s in as_json["sets"]] == [str(p) for p in sets]
    assert as_json["all"]["claims"] == 5
    misses = run("eval", "--misses", *map(str, sets)).output
    assert f"misses in {sets[0]}:" in misses and f"misses in {sets[1]}:" in misses


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"not json\n", "line 1: not JSON"),
        (b'{"claim": "x", "label": "true"}\n', "line 1: `label` must be one of"),
        (b'\n{"label": "supported"}\n', "line 2: needs a `claim` string"),
        (b"[1]\n", "line 1: an array, not a JSON object"),
    ],
)
def test_a_bad_labeled_file_is_refused_naming_file_and_line(run, sets, tmp_path, content, expected):
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(content)
    result = run("eval", str(sets[0]), str(bad))
    assert result.exit_code == 1
    assert f"{bad} {expected}" in result.stderr


def test_make_eval_scores_every_set_and_is_documented():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "eval: $(STAMP)" in makefile and "eval eval/*.jsonl" in makefile
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for text in ("make eval", "factbot eval FILE.jsonl [FILE.jsonl...]", "factbot sources import FILE.jsonl"):
        assert text in readme
