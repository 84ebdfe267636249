"""A fact's stored fields are its values: a moderator's edit to one changes verdicts at once,
through the real service and SQLite store, with no rebuild."""

from __future__ import annotations

from bot.reply import Verdict
from bot.service import Factbot

STATEMENT = "Rebels entered the town of Khan Shaykhun."
ACTOR = "moderator:test"


def _moderator_fact(factbot: Factbot, **fields) -> int:
    fact = factbot.add_fact(
        {"statement": STATEMENT, "source_id": "ap", "kind": "event", **fields}, actor=ACTOR
    )
    assert fact.id is not None
    return fact.id


def test_editing_the_event_date_flips_the_verdict(factbot: Factbot) -> None:
    fact_id = _moderator_fact(factbot, event_date="2024-11-28")
    claim = "Rebels entered Khan Shaykhun on November 28."
    assert factbot.check(claim).verdict is Verdict.SUPPORTED

    factbot.edit_fact(fact_id, {"event_date": "2024-11-30"}, actor=ACTOR, note="corrected date")

    after = factbot.check(claim)
    assert after.verdict is Verdict.CONTRADICTED
    assert after.contradicting[0].fact_id == fact_id
    assert "date differs" in after.contradicting[0].reason


def test_editing_the_number_flips_the_verdict(factbot: Factbot) -> None:
    fact_id = factbot.add_fact(
        {"statement": "Rebels seized tanks in Khan Shaykhun.", "source_id": "ap", "kind": "number",
         "value_low": 12, "value_high": 12, "subject": "tanks"},
        actor=ACTOR,
    ).id  # fmt: skip
    claim = "Rebels seized 12 tanks in Khan Shaykhun."
    assert factbot.check(claim).verdict is Verdict.SUPPORTED

    factbot.edit_fact(fact_id, {"value_low": 7, "value_high": 7}, actor=ACTOR)

    after = factbot.check(claim)
    assert after.verdict is Verdict.CONTRADICTED
    assert "number differs" in after.contradicting[0].reason and "7" in after.contradicting[0].reason


def test_editing_the_place_makes_the_fact_name_it(factbot: Factbot) -> None:
    fact_id = factbot.add_fact(
        {"statement": "Rebels shot down a government warplane.", "source_id": "ap", "kind": "event"},
        actor=ACTOR,
    ).id
    claim = "Rebels shot down a government warplane over Maarat al-Numan."
    assert factbot.check(claim).verdict is Verdict.NOT_FOUND  # the fact does not say where

    factbot.edit_fact(fact_id, {"place": "Maarat al-Numan"}, actor=ACTOR)

    assert factbot.check(claim).verdict is Verdict.SUPPORTED


def test_retiring_and_restoring_a_fact_changes_what_is_cited(factbot: Factbot) -> None:
    fact_id = _moderator_fact(factbot, event_date="2024-11-28")
    claim = "Rebels entered Khan Shaykhun on November 28."
    factbot.retire_fact(fact_id, actor=ACTOR)
    assert factbot.check(claim).verdict is Verdict.NOT_FOUND
    factbot.restore_fact(fact_id, actor=ACTOR)
    assert factbot.check(claim).verdict is Verdict.SUPPORTED
