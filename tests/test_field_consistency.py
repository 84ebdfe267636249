"""A moderator's fact whose fields disagree with its own statement is refused, nothing written.

The verifier compares claims with a fact's fields, so value_low/value_high, event_date, speaker
and quote must say what the statement says (as the analyser reads it). Seed builds and imports
are not checked. Real seeded SQLite throughout.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from adapters.cli import main
from bot.service import Factbot
from facts.errors import ValidationError

PESKOV = 'Peskov said: "We urge Syria\'s authorities to reassert control."'
# Verbatim from the AP article (source "ap"), so it is accepted as evidence.
PESKOV_EVIDENCE = (
    "He added: “We urge Syria’s authorities to reassert control and restore constitutional order as soon "
    "as possible.”"
)

VILLAGES = "Rebels took 32 villages on the first day."
OFFENSIVE = "Rebels launched the offensive on November 27."
UPRISING = "The uprising began in 2011."
RUSSIA = "Russia urged Syria to reassert control."
AGREE = (None, "")

# (case, statement, other fields, the refused field and the start of its message — or AGREE)
# fmt: off
CASES = [
    # value_low / value_high: some stated number must overlap the range
    ("number agrees", VILLAGES, {"value_low": 32}, *AGREE),
    ("range overlaps", "Rebels took about 30 villages.", {"value_low": 31, "value_high": 40}, *AGREE),
    ("one of several", "Shelling killed 20 civilians, nine of them children.", {"value_low": 9}, *AGREE),
    ("number conflicts", VILLAGES, {"value_low": 30},
     "value_low", "30 disagrees with the statement, which says 32"),
    ("range conflicts", VILLAGES, {"value_low": 20, "value_high": 25},
     "value_low", "the range 20 to 25 disagrees with the statement, which says 32"),
    ("high end only", VILLAGES, {"value_high": 25},
     "value_high", "25 disagrees with the statement, which says 32"),
    ("no number stated", "Rebels took many villages.", {"value_low": 30}, *AGREE),
    # event_date: its month and day, and its year, among those stated
    ("date agrees", OFFENSIVE, {"event_date": "2024-11-27"}, *AGREE),
    ("date conflicts", OFFENSIVE, {"event_date": "2024-11-28"},
     "event_date", "2024-11-28 disagrees with the statement, which says November 27"),
    ("year agrees", UPRISING, {"event_date": "2011-03-15"}, *AGREE),
    ("year conflicts", UPRISING, {"event_date": "2012-03-15"},
     "event_date", "2012-03-15 disagrees with the statement, which says 2011"),
    ("no date stated", "Rebels launched a shock offensive.", {"event_date": "2024-11-27"}, *AGREE),
    # speaker, compared through aliases ("Peskov" is Dmitry Peskov)
    ("speaker agrees", PESKOV, {"kind": "quote", "speaker": "Dmitry Peskov"}, *AGREE),
    ("speaker conflicts", PESKOV, {"kind": "quote", "speaker": "Sergei Lavrov"},
     "speaker", "'Sergei Lavrov' disagrees with the statement, which names Dmitry Peskov as the speaker"),
    ("no speaker named", RUSSIA, {"speaker": "Sergei Lavrov"}, *AGREE),
    # quote: its words, normalised, in the statement or the evidence
    ("quote in statement", PESKOV, {"speaker": "Peskov", "quote": "we urge Syria’s AUTHORITIES"}, *AGREE),
    ("quote in evidence", "Peskov urged Syria to restore order.",
     {"evidence": PESKOV_EVIDENCE, "quote": "restore constitutional order as soon as possible"}, *AGREE),
    ("quote with an ellipsis", PESKOV, {"quote": "We urge … to reassert control"}, *AGREE),
    ("quote conflicts", PESKOV, {"kind": "quote", "speaker": "Peskov", "quote": "We demand surrender"},
     "quote", "'We demand surrender' is not in the statement or the evidence"),
    ("no quote given", RUSSIA, {}, *AGREE),
]
# fmt: on


@pytest.mark.parametrize(("statement", "fields", "refused", "message"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])  # fmt: skip
def test_add_checks_fields_against_the_statement(factbot: Factbot, statement, fields, refused, message):
    fields = {"text": statement, "source": "ap", **fields}
    before = factbot.store.count_facts()
    if refused is None:
        fact = factbot.add_fact(fields, actor="cli:test")
        assert factbot.get_fact(fact.id).statement == statement
        return
    with pytest.raises(ValidationError) as caught:
        factbot.add_fact(fields, actor="cli:test")
    assert set(caught.value.fields) == {refused}
    assert caught.value.fields[refused].startswith(message)
    assert factbot.store.count_facts() == before


def test_every_disagreeing_field_is_named_at_once(factbot: Factbot):
    statement = 'On November 27 Peskov said: "We urge calm" as 32 villages fell.'
    fields = {"text": statement, "source": "ap", "value_low": 30, "event_date": "2024-11-28",
              "speaker": "Lavrov", "quote": "we demand"}  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        factbot.add_fact(fields, actor="cli:test")
    assert set(caught.value.fields) == {"value_low", "event_date", "speaker", "quote"}


def test_a_malformed_field_is_named_as_such_not_compared(factbot: Factbot):
    with pytest.raises(ValidationError) as caught:
        factbot.add_fact({"text": "Rebels took 32 villages.", "source": "ap", "value_low": "3O"}, actor="t")
    assert caught.value.fields == {"value_low": "not a number: '3O'"}


def _moderator_fact(factbot: Factbot) -> int:
    fact = factbot.add_fact(
        {"text": "Rebels took 32 villages.", "source": "ap", "kind": "number", "value_low": 32}, actor="cli:a"
    )
    assert fact.id is not None
    return fact.id


def test_edit_changing_statement_and_value_together_passes(factbot: Factbot):
    fact_id = _moderator_fact(factbot)
    edited = factbot.edit_fact(fact_id, {"text": "Rebels took 40 villages.", "value_low": 40}, actor="cli:b")
    assert (edited.statement, edited.value_low) == ("Rebels took 40 villages.", 40)


@pytest.mark.parametrize(
    ("change", "refused"),
    [({"value_low": 30}, "value_low"), ({"text": "Rebels took 40 villages."}, "value_low")],
    ids=["value only", "statement only"],
)
def test_edit_that_brings_in_a_disagreement_is_refused_and_changes_nothing(factbot: Factbot, change, refused):
    fact_id = _moderator_fact(factbot)
    before, history = factbot.get_fact(fact_id), factbot.history(fact_id)
    with pytest.raises(ValidationError) as caught:
        factbot.edit_fact(fact_id, change, actor="cli:b")
    assert set(caught.value.fields) == {refused}
    assert factbot.get_fact(fact_id) == before
    assert factbot.history(fact_id) == history


def test_imports_are_not_checked_and_an_edit_is_judged_on_what_it_touches(factbot: Factbot):
    record = {"text": "Rebels took 32 villages.", "source": "ap", "value_low": 30, "event_date": "2023-01-01"}
    assert factbot.import_facts([record], actor="cli:import").imported == 1
    imported = max(f.id or 0 for f in factbot.list_facts())
    assert factbot.get_fact(imported).value_low == 30
    # The old disagreement in value_low is no reason to refuse a change of place...
    assert factbot.edit_fact(imported, {"place": "Aleppo"}, actor="cli:b").place == "Aleppo"
    # ...but a value it touches is compared.
    with pytest.raises(ValidationError, match="value_low: 31 disagrees"):
        factbot.edit_fact(imported, {"value_low": 31}, actor="cli:b")
    assert factbot.edit_fact(imported, {"value_low": 32}, actor="cli:b").value_low == 32


def test_undo_restores_a_fact_as_it_was_without_comparing(factbot: Factbot):
    record = {"text": "Rebels took 32 villages.", "source": "ap", "value_low": 30}
    factbot.import_facts([record], actor="cli:import")
    fact_id = max(f.id or 0 for f in factbot.list_facts())
    factbot.edit_fact(fact_id, {"value_low": 32}, actor="cli:b")
    assert factbot.undo(factbot.history(fact_id)[-1].id, actor="cli:b").value_low == 30


def test_seed_build_still_works_after_moderator_edits(factbot: Factbot):
    _moderator_fact(factbot)
    report = factbot.rebuild()
    assert (report.added, report.updated, report.retired) == (0, 0, 0)


def test_cli_names_the_field_exits_1_and_writes_nothing(db_path):
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(main, ["--db", str(db_path), *args], catch_exceptions=False)

    count = len(run("facts", "list").output.splitlines())
    added = run("facts", "add", "--text", "Rebels took 32 villages.", "--source", "ap", "--value-low", "30")
    assert added.exit_code == 1
    assert "value_low: 30 disagrees with the statement, which says 32" in added.output
    assert len(run("facts", "list").output.splitlines()) == count
    assert run("build").exit_code == 0
