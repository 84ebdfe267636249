"""The CLI adapter through click's runner, on real SQLite files."""

from __future__ import annotations

import json

from click.testing import CliRunner
from related_facts import DECIDED_CLAIMS, RELATED_CLAIM, related_facts, reply_with_related

from adapters.cli import main, render_text
from bot.reply import Verdict
from bot.service import Factbot


def test_check_prints_verdict_and_sources(run):
    result = run("check", "Rebels took about 20 villages on the first day of the offensive.")
    assert result.exit_code == 0
    assert result.output.startswith("CONTRADICTED:")
    assert "Levant24" in result.output and "https://levant24.com/?p=9026" in result.output


def test_check_json_has_the_documented_shape(run):
    result = run("check", "--json", "Government forces retook Aleppo city in 2018.")
    reply = json.loads(result.output)
    assert set(reply) == {"claim", "verdict", "summary", "evidence", "related", "elapsed_ms"}
    assert reply["verdict"] in {v.value for v in Verdict}
    evidence = reply["evidence"][0]
    assert set(evidence) == {
        "relation",
        "fact_id",
        "source",
        "outlet",
        "published",
        "url",
        "quote",
        "score",
        "reason",
    }
    assert evidence["source"] in {"btimes", "ap", "levant24"}
    assert evidence["relation"] in {"supports", "contradicts"}


def test_not_found_lists_related_facts_as_not_verified(run, factbot: Factbot):
    expected = factbot.check(RELATED_CLAIM)
    assert expected.verdict is Verdict.NOT_FOUND and expected.related

    lines = run("check", RELATED_CLAIM).output.splitlines()

    assert lines[0].startswith("NOT_FOUND:")
    assert lines[2].startswith("related, not verified:")
    block = lines[3:]
    for n, fact in enumerate(expected.related):
        assert block[3 * n : 3 * n + 3] == [
            f"  {fact.outlet}, {fact.published or 'undated'} — fact #{fact.fact_id}",
            f"    “{fact.quote}”",
            f"    {fact.url}",
        ]
    assert len(block) == 3 * len(expected.related)
    related = json.loads(run("check", "--json", RELATED_CLAIM).output)["related"]
    assert related == [fact.to_json() for fact in expected.related]


def test_related_facts_never_appear_beside_a_verdict(run):
    for claim in DECIDED_CLAIMS:
        reply = json.loads(run("check", "--json", claim).output)
        assert reply["verdict"] != "not_found" and reply["related"] == []
        assert "related, not verified" not in run("check", claim).output
    for verdict in (Verdict.SUPPORTED, Verdict.CONTRADICTED, Verdict.MIXED):
        text = render_text(reply_with_related(verdict, related_facts()))
        assert "related" not in text and "Related sentence" not in text


def test_batch_reads_stdin_and_keeps_order(run):
    claims = ["Rebels captured the city of Hama.", "", "Turkey has no troops on the ground in Syria."]
    result = run("check", "--batch", "-", stdin="\n".join(claims) + "\n")
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["claim"] for line in lines] == claims
    assert lines[0]["verdict"] == "not_found"
    assert "empty" in lines[1]["error"]
    assert lines[2]["verdict"] == "contradicted"


def test_empty_and_huge_claims_exit_1_with_one_line(run):
    for claim in ("   ", "x" * 10_000):
        result = run("check", claim)
        assert result.exit_code == 1
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("error:")
        assert "Traceback" not in result.output + result.stderr


def test_bad_database_path_exits_3_with_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = CliRunner().invoke(main, ["--db", str(blocker / "db.sqlite"), "check", "anything"])
    assert result.exit_code == 3
    assert result.stderr.startswith("error: cannot open the fact database")
    assert result.stderr.count("\n") == 1


def test_eval_prints_every_figure(run, tmp_path):
    path = tmp_path / "claims.jsonl"
    records = [
        {"claim": "Rebels captured the city of Hama.", "label": "not_found", "sources": []},
        {"claim": "Turkey has no troops in Syria.", "label": "contradicted", "sources": ["ap"]},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    text = run("eval", str(path)).output
    for figure in ("accuracy", "macro-F1", "false-support rate", "evidence-source recall", "confusion"):
        assert figure in text
    report = json.loads(run("eval", "--json", str(path)).output)
    assert report["claims"] == 2
    assert set(report["per_verdict"]) == {v.value for v in Verdict}


def test_moderator_lifecycle_from_the_cli(run):
    added = run(
        "facts", "add", "--text", "Rebels reached Hama's outskirts.", "--source", "ap", "--by", "cli:alice"
    )
    assert added.exit_code == 0
    fact_id = added.output.split("#")[1].strip()
    assert run("facts", "edit", fact_id, "--text", "Rebels neared Hama.", "--by", "cli:bob").exit_code == 0
    assert run("facts", "retire", fact_id, "--note", "unconfirmed").exit_code == 0
    assert run("facts", "restore", fact_id).exit_code == 0
    shown = json.loads(run("facts", "show", fact_id).output)
    assert shown["statement"] == "Rebels neared Hama." and shown["status"] == "active"
    history = run("facts", "history", fact_id).output.splitlines()
    assert [line.split("\t")[2] for line in history] == ["add", "edit", "retire", "restore"]
    assert "cli:bob" in history[1]
    undo = run("facts", "undo", "--yes", history[1].split("\t")[0].split()[1])
    assert undo.exit_code == 0
    assert json.loads(run("facts", "show", fact_id).output)["statement"] == "Rebels reached Hama's outskirts."


def test_malformed_moderator_input_names_each_bad_field(run):
    result = run(
        "facts", "add", "--text", "x", "--source", "nowhere", "--kind", "rumour", "--event-date", "27/11"
    )
    assert result.exit_code == 1
    for name in ("source", "kind", "event_date"):
        assert name in result.stderr
    bad_source = run(
        "sources", "add", "--id", "r1", "--outlet", "Reuters", "--url", "ftp://x", "--published", "soon"
    )
    assert bad_source.exit_code == 1
    assert "url" in bad_source.stderr and "published" in bad_source.stderr
    not_verbatim = run(
        "facts", "add", "--text", "x", "--source", "ap", "--evidence", "Words AP never printed."
    )
    assert not_verbatim.exit_code == 1 and "evidence" in not_verbatim.stderr


def test_export_then_import_changes_nothing(run, tmp_path):
    run("facts", "add", "--text", "Rebels reached Hama's outskirts.", "--source", "ap")
    exported = tmp_path / "facts.jsonl"
    run("facts", "export", str(exported))
    assert run("facts", "import", str(exported)).exit_code == 0  # every id present: skipped
    again = tmp_path / "again.jsonl"
    run("facts", "export", str(again))
    assert again.read_text(encoding="utf-8") == exported.read_text(encoding="utf-8")


def test_minimal_import_record(run, tmp_path):
    path = tmp_path / "new.jsonl"
    path.write_text(
        json.dumps({"text": "Rebels reached Hama's outskirts.", "source": "ap"}) + "\n", encoding="utf-8"
    )
    assert run("facts", "import", str(path)).output.strip() == "imported 1 facts"
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok", "source": "ap"}\nnot json\n', encoding="utf-8")
    result = run("facts", "import", str(bad))
    assert result.exit_code == 1 and "line 2" in result.stderr


def test_sources_and_aliases(run):
    added = run("sources", "add", "--id", "r1", "--outlet", "Reuters", "--url", "https://reuters.com/x",
                "--published", "2024-11-30")  # fmt: skip
    assert added.exit_code == 0
    assert "r1\t2024-11-30\tReuters" in run("sources", "list").output
    assert run("aliases", "add", "Sarakib", "Saraqeb").exit_code == 0
    assert "Sarakib\tSaraqeb" in run("aliases", "list").output
    reply = json.loads(run("check", "--json", "Insurgents took control of Sarakib, south of Aleppo.").output)
    assert reply["verdict"] == "supported"


def test_build_reports_counts(run):
    result = run("build")
    assert result.exit_code == 0 and "0 added" in result.output


def test_every_command_has_help_with_an_example():
    runner = CliRunner()
    for path in _command_paths(main):
        result = runner.invoke(main, [*path, "--help"])
        assert result.exit_code == 0, path
        leaf = _lookup(main, path)
        if not hasattr(leaf, "commands"):
            assert "Example:" in result.output, path


def _command_paths(group, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name)
        if hasattr(command, "commands"):
            yield from _command_paths(command, (*prefix, name))


def _lookup(group, path):
    for name in path:
        group = group.commands[name]
    return group


def test_a_bad_value_is_named_as_bad_not_as_missing(run):
    result = run("facts", "add", "--text", "x", "--source", "ap", "--kind", "number", "--value-low", "abc")
    assert result.exit_code == 1
    assert "not a number" in result.stderr
