"""Answers do not depend on Python's string hashing: `factbot check --json --batch` gives the same
output, `elapsed_ms` aside, under two PYTHONHASHSEEDs, each on a fresh store built through the CLI.

Set iteration order changes with the hash seed; where it feeds a float sum, a sort with ties or a
"first found" choice, verdicts, scores, fact ids or citation order would change with it. Each run
checks every claim in eval/*.jsonl against the store built from seeds/, then a few hundred
synthetic claims (bench/data.py, deterministic) after importing their facts.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from bench import data as bench_data

REPO = Path(__file__).resolve().parent.parent
HASH_SEEDS = (1, 2)
SYNTHETIC_FACTS = 1000
SYNTHETIC_CLAIMS = 400


def _factbot(db: Path) -> list[str]:
    script = Path(sys.executable).with_name("factbot")
    command = (
        [str(script)] if script.exists() else [sys.executable, "-c", "from adapters.cli import main; main()"]
    )
    return [*command, "--db", str(db), "--seeds", str(REPO / "seeds")]


def _write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The claim files and the synthetic store's sources and facts, written once."""
    folder = tmp_path_factory.mktemp("determinism-inputs")
    labeled = [
        json.loads(line)
        for path in sorted((REPO / "eval").glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    facts = list(bench_data.facts(SYNTHETIC_FACTS))
    cited = {f.record["source"] for f in facts}
    return {
        "eval_claims": _write_lines(folder / "eval.txt", [c["claim"] for c in labeled if c.get("claim")]),
        "sources": _write_lines(
            folder / "sources.jsonl", [json.dumps(s) for s in bench_data.sources() if s["id"] in cited]
        ),
        "facts": _write_lines(folder / "facts.jsonl", [json.dumps(f.record) for f in facts]),
        "synthetic_claims": _write_lines(
            folder / "synthetic.txt", [c.text for c in bench_data.claims(SYNTHETIC_FACTS, SYNTHETIC_CLAIMS)]
        ),
    }


def _run(command: list[str], hash_seed: int) -> str:
    env = {**os.environ, "PYTHONHASHSEED": str(hash_seed)}
    env.pop("FACTBOT_DB", None)
    done = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{' '.join(command)} exited {done.returncode}: {done.stderr}"
    return done.stdout


def _answers(output: str) -> list[dict[str, Any]]:
    answers = [json.loads(line) for line in output.splitlines()]
    for answer in answers:
        answer.pop("elapsed_ms", None)
    return answers


def _check_all(inputs: dict[str, Path], folder: Path, hash_seed: int) -> dict[str, list[dict[str, Any]]]:
    """Build a fresh store from seeds/, check the eval claims; import the synthetic facts, check
    the synthetic claims. Every step a `factbot` process under `hash_seed`."""
    factbot = _factbot(folder / f"hash-{hash_seed}.db")
    _run([*factbot, "build"], hash_seed)
    eval_output = _run([*factbot, "check", "--json", "--batch", str(inputs["eval_claims"])], hash_seed)
    _run([*factbot, "sources", "import", str(inputs["sources"])], hash_seed)
    _run([*factbot, "facts", "import", str(inputs["facts"])], hash_seed)
    synthetic_output = _run(
        [*factbot, "check", "--json", "--batch", str(inputs["synthetic_claims"])], hash_seed
    )
    return {"eval": _answers(eval_output), "synthetic": _answers(synthetic_output)}


def _first_difference(ours: list[dict[str, Any]], theirs: list[dict[str, Any]]) -> str:
    for mine, other in zip(ours, theirs, strict=True):
        if mine != other:
            return f"{json.dumps(mine, sort_keys=True)}\n  !=\n{json.dumps(other, sort_keys=True)}"
    return ""


def test_answers_do_not_depend_on_the_hash_seed(inputs, tmp_path):
    with ThreadPoolExecutor(len(HASH_SEEDS)) as pool:  # one process chain per seed, side by side
        first, second = pool.map(lambda seed: _check_all(inputs, tmp_path, seed), HASH_SEEDS)
    for name, claims in (("eval", inputs["eval_claims"]), ("synthetic", inputs["synthetic_claims"])):
        count = len(claims.read_text(encoding="utf-8").splitlines())
        assert len(first[name]) == len(second[name]) == count
        verdicts = {answer["verdict"] for answer in first[name]}
        assert verdicts - {"not_found"}, f"{name}: every claim not found, nothing was compared"
        assert first[name] == second[name], (
            f"{name} answers differ:\n{_first_difference(first[name], second[name])}"
        )
