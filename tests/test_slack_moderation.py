"""Moderators curate facts from Slack: /factadd's form, /fact and the buttons on a fact's view."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from slack_fake import SlackHarness, action_payload, view_submission

from adapters.slack.app import NOT_A_MODERATOR
from adapters.slack.blocks import EDIT_ACTION, MAX_SECTION, RESTORE_ACTION, RETIRE_ACTION
from adapters.slack.forms import ADD_CALLBACK, EDIT_CALLBACK, MAX_INPUT
from bot.service import Factbot
from facts.model import ChangeAction, FactStatus

MOD = "UMOD"
EVIDENCE = "capturing 32 villages and points in the western Aleppo countryside"


@pytest.fixture
def slack(factbot: Factbot) -> Iterator[SlackHarness]:
    with SlackHarness(factbot, moderators=(MOD,)) as harness:
        yield harness


def _open_add_form(slack: SlackHarness) -> dict[str, Any]:
    response = slack.command("/factadd", "", user=MOD)
    assert response.status == 200
    [opened] = slack.fake.wait_for("/api/views.open")
    assert opened.body["trigger_id"] == "trigger-1"
    return opened.body["view"]


def _select(value: str) -> dict[str, Any]:
    return {"type": "static_select", "selected_option": {"value": value}}


def _date(value: str) -> dict[str, Any]:
    return {"type": "datepicker", "selected_date": value}


def _fact_count(factbot: Factbot) -> int:
    return len(list(factbot.list_facts()))


def test_factadd_opens_the_form_for_a_moderator(slack: SlackHarness, factbot: Factbot) -> None:
    view = _open_add_form(slack)

    assert view["callback_id"] == ADD_CALLBACK and view["type"] == "modal"
    inputs = {b["block_id"] for b in view["blocks"] if b["type"] == "input"}
    for field in ("statement", "kind", "source_id", "source_outlet", "source_url", "source_date", "evidence",
                  "speaker", "value_low", "unit", "event_date", "place"):  # fmt: skip
        assert field in inputs
    [sources] = [b for b in view["blocks"] if b.get("block_id") == "source_id"]
    offered = {o["value"] for o in sources["element"]["options"]}
    assert offered == {s.id for s in factbot.list_sources()}


def test_factadd_refuses_non_moderators_before_opening(slack: SlackHarness) -> None:
    response = slack.command("/factadd", "", user="U123")

    assert response.status == 200 and response.body == NOT_A_MODERATOR
    slack.fake.settle(0.1)
    assert slack.fake.calls_to("/api/views.open") == []


def test_bad_fields_come_back_inside_the_form(slack: SlackHarness, factbot: Factbot) -> None:
    view = _open_add_form(slack)
    before = _fact_count(factbot)

    response = slack.payload(
        view_submission(
            view,
            {"statement": "Rebels took 32 villages", "kind": _select("number"),
             "source_id": _select("levant24"), "evidence": "words that are not in the article"},
            user=MOD,
        )
    )  # fmt: skip

    answer = json.loads(response.body)
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"value_low", "evidence"}
    assert "required for a number" in answer["errors"]["value_low"]
    assert _fact_count(factbot) == before


def test_a_source_must_be_picked_or_described(slack: SlackHarness) -> None:
    view = _open_add_form(slack)

    response = slack.payload(view_submission(view, {"statement": "Rebels took 32 villages"}, user=MOD))

    assert json.loads(response.body)["errors"] == {
        "source_id": "Pick a source, or describe a new one below (outlet, URL and date)."
    }


def test_good_fields_store_the_fact_with_the_slack_user_in_its_history(
    slack: SlackHarness, factbot: Factbot
) -> None:
    assert EVIDENCE in (factbot.get_source("levant24").text or "")
    view = _open_add_form(slack)

    response = slack.payload(
        view_submission(
            view,
            {"statement": "Rebels captured 32 villages on the first day", "kind": _select("number"),
             "source_id": _select("levant24"), "evidence": EVIDENCE, "value_low": "32", "unit": "villages"},
            user=MOD,
        )
    )  # fmt: skip

    assert response.status == 200 and response.body == ""
    [confirmation] = slack.fake.wait_for("/hooks/1")
    fact_id = int(confirmation.body["text"].split("#")[1].split(":")[0])
    fact = factbot.get_fact(fact_id)
    assert (fact.statement, fact.value_low, fact.unit, fact.evidence) == (
        "Rebels captured 32 villages on the first day", 32.0, "villages", EVIDENCE)  # fmt: skip
    [added] = factbot.history(fact_id)
    assert added.action is ChangeAction.ADD and added.actor == f"slack:{MOD}"
    assert confirmation.body["response_type"] == "ephemeral"


def test_the_confirmation_of_a_long_statement_fits_a_section(slack: SlackHarness, factbot: Factbot) -> None:
    statement = (
        "Rebels & allies took villages. " * 96
    )  # under Slack's 3,000-character input, not once escaped
    view = _open_add_form(slack)

    slack.payload(view_submission(view, {"statement": statement, "source_id": _select("levant24")}, user=MOD))

    [confirmation] = slack.fake.wait_for("/hooks/1")
    [section] = confirmation.body["blocks"]
    assert len(section["text"]["text"]) <= MAX_SECTION, "Slack refuses the block: no confirmation at all"
    assert (
        section["text"]["text"].startswith("Added fact #")
        and "Rebels &amp; allies" in section["text"]["text"]
    )


def test_a_new_source_is_stored_with_its_fact(slack: SlackHarness, factbot: Factbot) -> None:
    view = _open_add_form(slack)

    slack.payload(
        view_submission(
            view,
            {"statement": "Rebels reached the outskirts of Hama", "source_outlet": "Example News",
             "source_url": "https://news.example/hama", "source_date": _date("2024-12-03")},
            user=MOD,
        )
    )  # fmt: skip

    [confirmation] = slack.fake.wait_for("/hooks/1")
    fact = factbot.get_fact(int(confirmation.body["text"].split("#")[1].split(":")[0]))
    source = factbot.get_source(fact.source_id)
    assert (source.id, source.outlet, source.url) == ("example-news-2024-12-03", "Example News",
                                                      "https://news.example/hama")  # fmt: skip


def test_a_refused_new_source_leaves_nothing_behind(slack: SlackHarness, factbot: Factbot) -> None:
    view = _open_add_form(slack)
    sources, facts = len(factbot.list_sources()), _fact_count(factbot)

    response = slack.payload(
        view_submission(
            view,
            {
                "statement": "x happened",
                "source_outlet": "Example News",
                "source_url": "ftp://news.example/x",
            },
            user=MOD,
        )  # fmt: skip
    )

    errors = json.loads(response.body)["errors"]
    assert set(errors) == {"source_url", "source_date"}
    assert (len(factbot.list_sources()), _fact_count(factbot)) == (sources, facts)


def test_non_moderators_are_refused_at_submit_too(slack: SlackHarness, factbot: Factbot) -> None:
    view = _open_add_form(slack)  # opened by a moderator, submitted by someone else
    before = _fact_count(factbot)

    response = slack.payload(
        view_submission(
            view,
            {"statement": "Rebels took 32 villages", "source_id": _select("levant24"), "evidence": EVIDENCE},
            user="U123",
        )  # fmt: skip
    )

    assert response.status == 200 and response.body == ""
    [refusal] = slack.fake.wait_for("/hooks/1")
    assert refusal.body["text"] == NOT_A_MODERATOR and refusal.body["response_type"] == "ephemeral"
    assert _fact_count(factbot) == before


def test_fact_edit_opens_a_filled_form_and_records_the_change(slack: SlackHarness, factbot: Factbot) -> None:
    fact = next(f for f in factbot.list_facts(source_id="levant24") if f.kind.value == "number")
    slack.command("/fact", f"edit {fact.id}", user=MOD)
    [opened] = slack.fake.wait_for("/api/views.open")
    view = opened.body["view"]
    assert view["callback_id"] == EDIT_CALLBACK
    filled = {
        b["block_id"]: b["element"].get("initial_value") for b in view["blocks"] if b["type"] == "input"
    }
    assert filled["statement"] == fact.statement

    values = {b: v for b, v in filled.items() if v} | {"statement": "An edited statement", "note": "typo"}
    values |= {"kind": _select(fact.kind.value), "source_id": _select(fact.source_id)}
    response = slack.payload(view_submission(view, values, user=MOD))

    assert response.status == 200 and response.body == ""
    slack.fake.wait_for("/hooks/1")
    edited = factbot.get_fact(fact.id)
    assert edited.statement == "An edited statement" and edited.value_low == fact.value_low
    last = factbot.history(fact.id)[-1]
    assert (last.action, last.actor, last.note) == (ChangeAction.EDIT, f"slack:{MOD}", "typo")


def test_a_fact_longer_than_slacks_inputs_can_be_edited(slack: SlackHarness, factbot: Factbot) -> None:
    statement = "Rebels took 32 villages on the first day. " * 90  # 3,780 characters, added outside Slack
    fact = factbot.add_fact({"statement": statement, "source": "levant24", "place": "Aleppo"}, actor="cli")

    slack.command("/fact", f"edit {fact.id}", user=MOD)

    [opened] = slack.fake.wait_for("/api/views.open")
    view = opened.body["view"]
    filled = {
        b["block_id"]: b["element"].get("initial_value") for b in view["blocks"] if b["type"] == "input"
    }
    assert all(len(value or "") <= MAX_INPUT for value in filled.values()), "Slack refuses the whole form"
    values = {b: v for b, v in filled.items() if v} | {"place": "Aleppo city"}
    values |= {"kind": _select(fact.kind.value), "source_id": _select(fact.source_id)}
    slack.payload(view_submission(view, values, user=MOD))
    slack.fake.wait_for("/hooks/1")
    edited = factbot.get_fact(fact.id)
    assert (edited.place, edited.statement) == ("Aleppo city", fact.statement), (
        "the untouched text is kept whole"
    )


def test_fact_retire_and_restore_are_recorded(slack: SlackHarness, factbot: Factbot) -> None:
    fact = next(factbot.list_facts(source_id="ap"))

    slack.command("/fact", f"retire {fact.id} the outlet corrected it", user=MOD)
    [answer] = slack.fake.wait_for("/hooks/1")
    assert factbot.get_fact(fact.id).status is FactStatus.RETIRED
    [buttons] = [b for b in answer.body["blocks"] if b["type"] == "actions"]
    assert [e["action_id"] for e in buttons["elements"]] == [EDIT_ACTION, RESTORE_ACTION]

    slack.payload(action_payload(RESTORE_ACTION, str(fact.id), user=MOD, response_url=slack.fake.hook("2")))
    [replaced] = slack.fake.wait_for("/hooks/2")
    assert replaced.body["replace_original"] is True
    assert factbot.get_fact(fact.id).status is FactStatus.ACTIVE
    changes = factbot.history(fact.id)[-2:]
    assert [(c.action, c.actor) for c in changes] == [(ChangeAction.RETIRE, f"slack:{MOD}"),
                                                      (ChangeAction.RESTORE, f"slack:{MOD}")]  # fmt: skip
    assert changes[0].note == "the outlet corrected it"


def test_non_moderators_cannot_retire(slack: SlackHarness, factbot: Factbot) -> None:
    fact = next(factbot.list_facts(source_id="ap"))

    response = slack.command("/fact", f"retire {fact.id}", user="U123")
    slack.payload(action_payload(RETIRE_ACTION, str(fact.id), user="U123", response_url=slack.fake.hook()))

    assert response.body == NOT_A_MODERATOR
    [refusal] = slack.fake.wait_for("/hooks/1")
    assert refusal.body["text"] == NOT_A_MODERATOR
    assert factbot.get_fact(fact.id).status is FactStatus.ACTIVE


def test_anyone_can_look_at_a_fact_but_only_moderators_get_buttons(
    slack: SlackHarness, factbot: Factbot
) -> None:
    fact = next(factbot.list_facts(source_id="ap"))

    slack.command("/fact", f"show {fact.id}", user="U123")
    [answer] = slack.fake.wait_for("/hooks/1")

    assert f"Fact #{fact.id}" in answer.body["text"]
    assert all(b["type"] != "actions" for b in answer.body["blocks"])


def test_fact_history_and_unknown_ids(slack: SlackHarness, factbot: Factbot) -> None:
    fact = next(factbot.list_facts(source_id="ap"))

    slack.command("/fact", f"history {fact.id}", user="U123")
    slack.command("/fact", "show 999999", user="U123")
    answers = slack.fake.wait_for("/hooks/1", count=2)

    texts = " ".join(json.dumps(a.body["blocks"]) for a in answers)
    assert f"History of fact #{fact.id}" in texts and "factbot-build" in texts
    assert "no fact with id 999999" in texts


@pytest.mark.parametrize("text", ["", "show", "retire twelve", "delete 3"])
def test_fact_usage(slack: SlackHarness, text: str) -> None:
    response = slack.command("/fact", text, user=MOD)

    assert response.body.startswith("Usage: `/fact show ID`")
