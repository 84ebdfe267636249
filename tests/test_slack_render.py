"""What Slack users see: Block Kit renders against golden files, Slack's limits, and escaping.

A change in the rendering shows as a diff of tests/golden/slack/*.json. After checking that the
change is wanted, rewrite the files with:  FACTBOT_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_slack_render.py
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from related_facts import DECIDED_CLAIMS, LONG_QUOTE, RELATED_CLAIM, related_facts, reply_with_related

from adapters.related import RELATED_LABEL
from adapters.slack.blocks import (
    MAX_BLOCKS,
    MAX_HEADER,
    MAX_SECTION,
    escape,
    fit,
    link,
    plain_text,
    render_answered,
    render_fact,
    render_history,
    render_offers,
    render_queue,
    render_reply,
)
from adapters.slack.forms import (
    ADD_CALLBACK,
    EDIT_CALLBACK,
    fact_form,
    initial_values,
    modal_errors,
    new_source_id,
)
from bot.loop import Answer, Offer
from bot.presentation import DISAGREEMENT_NOTE, more_sources_note
from bot.reply import CheckReply, Citation, Verdict
from bot.service import Factbot
from facts.model import Change, ChangeAction, Fact, FactKind, FactStatus, Relation, Source
from facts.newsroom import QueueItem, QueueReason, QueueStatus

GOLDEN = Path(__file__).parent / "golden" / "slack"
CONTRADICTED = "Rebels took about 20 villages on the first day of the offensive."
NOT_FOUND = "Rebels captured the city of Hama."


def assert_golden(name: str, rendered: dict[str, Any]) -> None:
    path = GOLDEN / f"{name}.json"
    text = json.dumps(rendered, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if os.environ.get("FACTBOT_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: run with FACTBOT_UPDATE_GOLDEN=1 to create it"
    assert text == path.read_text(encoding="utf-8"), f"{name} rendering changed: see the diff above"


def _citation(
    n: int, relation: Relation = Relation.SUPPORTS, *, quote: str = "", outlet: str = ""
) -> Citation:
    return Citation(
        relation=relation,
        fact_id=n,
        source_id=f"s{n}",
        outlet=outlet or f"Outlet {n}",
        published=date(2024, 11, 29),
        published_approximate=n % 2 == 1,
        url=f"https://news.example/{n}",
        quote=quote or f"Evidence sentence number {n}.",
        score=0.9,
        reason="same statement"
        if relation is Relation.SUPPORTS
        else "number differs: claim says 20, source says 32",
    )


def _reply(
    verdict: Verdict, citations: tuple[Citation, ...], claim: str = "Rebels took 32 villages"
) -> CheckReply:
    return CheckReply(claim=claim, understood=claim, verdict=verdict, summary="Summary.", citations=citations)


# -- golden renders --------------------------------------------------------------------------
def test_golden_contradicted_reply(factbot: Factbot) -> None:
    reply = factbot.check(CONTRADICTED)
    assert reply.contradicting  # what makes this a useful golden: a cited, contradicting source
    assert_golden("reply_contradicted", render_reply(reply))


def test_golden_not_found_reply_with_share_button(factbot: Factbot) -> None:
    reply = factbot.check(NOT_FOUND)
    assert reply.verdict is Verdict.NOT_FOUND
    assert_golden("reply_not_found_shareable", render_reply(reply, shareable=True))


def test_golden_mixed_reply_notes_the_disagreement() -> None:
    reply = _reply(Verdict.MIXED, (_citation(1), _citation(2, Relation.CONTRADICTS)))
    rendered = render_reply(reply, shared_by="U123")
    assert DISAGREEMENT_NOTE in json.dumps(rendered, ensure_ascii=False)
    assert_golden("reply_mixed_shared", rendered)


def test_golden_fact_view_and_history() -> None:
    fact = Fact(kind=FactKind.NUMBER, statement="Rebels captured 32 villages on the first day.",
                source_id="l24", evidence="capturing 32 villages and points", value_low=32.0, unit="villages",
                id=7, added_by="slack:UMOD", added_at="2024-12-01T10:00:00+00:00")  # fmt: skip
    source = Source(
        id="l24", outlet="Levant24", url="https://levant24.com/?p=9026", published=date(2024, 11, 28)
    )
    changes = [
        Change(id=1, fact_id=7, action=ChangeAction.ADD, actor="slack:UMOD", at="2024-12-01T10:00:00"),
        Change(id=2, fact_id=7, action=ChangeAction.RETIRE, actor="slack:UMOD", at="2024-12-02T10:00:00",
               note="outlet corrected <it>"),
    ]  # fmt: skip
    assert_golden("fact_moderator", render_fact(fact, source, moderator=True))
    retired = fact.with_changes(status=FactStatus.RETIRED)
    assert_golden("fact_retired_moderator", render_fact(retired, source, moderator=True))
    assert_golden("fact_history", render_history(fact, changes))


def test_golden_add_form(factbot: Factbot) -> None:
    form = fact_form(factbot.list_sources(), callback_id=ADD_CALLBACK, title="Add a fact",
                     metadata={"response_url": "https://hooks.slack.com/x"})  # fmt: skip
    assert_golden("add_form", form)


# -- Slack's limits --------------------------------------------------------------------------
def test_a_long_answer_is_trimmed_to_slacks_limits() -> None:
    long_quote = "A very long evidence sentence & more. " * 200
    citations = tuple(_citation(n, quote=long_quote, outlet="Outlet " * 50) for n in range(60))
    rendered = render_reply(_reply(Verdict.SUPPORTED, citations, claim="x " * 1000), shareable=True)

    blocks = rendered["blocks"]
    assert len(blocks) <= MAX_BLOCKS
    sections = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert all(len(text) <= MAX_SECTION for text in sections)
    shown = sum(1 for text in sections if text.startswith("*Supports*"))
    assert 0 < shown < 60
    assert blocks[-2]["elements"][0]["text"] == escape(more_sources_note(60 - shown))
    assert blocks[-1]["type"] == "actions"
    assert len(rendered["text"]) <= MAX_SECTION


def test_a_huge_outlet_or_reason_leaves_room_for_the_evidence_and_the_why() -> None:
    citation = _citation(
        1, Relation.CONTRADICTS, quote="Rebels took 32 villages.", outlet="Outlet & co " * 300
    )
    citation = replace(citation, reason="quote altered: " + "the words " * 400)

    [section] = [b for b in render_reply(_reply(Verdict.CONTRADICTED, (citation,)))["blocks"]
                 if b["type"] == "section" and b["text"]["text"].startswith("*Contradicts*")]  # fmt: skip

    text = section["text"]["text"]
    assert len(text) <= MAX_SECTION
    assert ">Rebels took 32 villages." in text and "\n_Why:_ quote altered" in text


def test_a_fact_with_a_huge_source_and_evidence_fits_slacks_sections() -> None:
    long = "Long & <b>text</b>. " * 250  # 5,000 characters, the core's cap
    fact = Fact(kind=FactKind.QUOTE, statement=long, source_id="s", evidence=long, speaker=long, quote=long,
                subject=long, place=long, id=7)  # fmt: skip
    source = Source(
        id="s", outlet=long, url="https://news.example/" + "a" * 2000, published=date(2024, 11, 28)
    )

    rendered = render_fact(fact, source, moderator=True)

    texts = [b["text"]["text"] for b in rendered["blocks"] if b["type"] == "section"]
    assert texts and all(len(text) <= MAX_SECTION for text in texts)
    assert ">Long &amp; &lt;b&gt;text" in texts[1]


def test_the_header_fits() -> None:
    for verdict in Verdict:
        header = render_reply(_reply(verdict, ()))["blocks"][0]
        assert header["type"] == "header" and len(header["text"]["text"]) <= MAX_HEADER


def test_supporting_sources_come_before_contradicting_ones() -> None:
    citations = (_citation(1, Relation.CONTRADICTS), _citation(2), _citation(3, Relation.CONTRADICTS))
    sections = [b["text"]["text"] for b in render_reply(_reply(Verdict.MIXED, citations))["blocks"][3:]
                if b["type"] == "section"]  # fmt: skip
    assert [s.split("*")[1] for s in sections] == ["Supports", "Contradicts", "Contradicts"]


# -- escaping --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("slack_text", "plain"),
    [
        ("<@U123> said <!here>", "@U123 said @here"),
        ("<@U123|ana> and <#C1|general>", "@ana and #general"),
        ("<!subteam^S1|@editors> <!channel>", "@editors @channel"),
        ("see <https://evil.example|trusted> and <https://a.example>", "see trusted and https://a.example"),
        ("&lt;!channel&gt; &amp;amp;", "<!channel> &amp;"),
    ],
)
def test_plain_text_reads_slack_markup_as_words(slack_text: str, plain: str) -> None:
    assert plain_text(slack_text) == plain


def test_escaped_text_is_inert() -> None:
    assert escape("<!channel> & <@U1>") == "&lt;!channel&gt; &amp; &lt;@U1&gt;"
    assert fit("<<<<", 8) == "&lt;…"  # never cuts an entity in half
    assert link("https://x.example/a|b>c", "Out<let>") == "<https://x.example/a%7Cb&gt;c|Out&lt;let&gt;>"
    assert link("javascript:alert(1)", "Outlet") == "Outlet"


def test_user_supplied_source_names_are_escaped() -> None:
    citation = _citation(1, outlet="<!channel> News", quote="<@U1> said <https://evil|trusted>")
    text = json.dumps(render_reply(_reply(Verdict.SUPPORTED, (citation,), claim="<!here>")))
    assert "<!channel>" not in text and "<@U1>" not in text and "<!here>" not in text
    assert "<https://evil" not in text


# -- related, not verified ------------------------------------------------------------------
def test_golden_not_found_reply_with_related_facts(factbot: Factbot) -> None:
    reply = factbot.check(RELATED_CLAIM)
    assert reply.verdict is Verdict.NOT_FOUND and reply.related
    rendered = render_reply(reply)
    sections = [b["text"]["text"] for b in rendered["blocks"] if b["type"] == "section"]
    for fact in reply.related:
        [text] = [t for t in sections if f"fact #{fact.fact_id}" in t]
        assert f"|{escape(fact.outlet)}, " in text and f">{escape(fact.quote)}" in text
        assert f"fact #{fact.fact_id}" in rendered["text"]
    assert f"*{RELATED_LABEL}*" in json.dumps(rendered, ensure_ascii=False)
    assert_golden("reply_not_found_related", rendered)


@pytest.mark.parametrize("verdict", [Verdict.SUPPORTED, Verdict.CONTRADICTED, Verdict.MIXED])
def test_related_facts_are_never_shown_beside_a_verdict(verdict: Verdict) -> None:
    rendered = render_reply(reply_with_related(verdict, related_facts()), shareable=True)
    assert RELATED_LABEL not in json.dumps(rendered) and "Related sentence" not in json.dumps(rendered)


def test_decided_claims_carry_no_related_facts(factbot: Factbot) -> None:
    for claim in DECIDED_CLAIMS:
        reply = factbot.check(claim)
        assert reply.verdict is not Verdict.NOT_FOUND and reply.related == ()
        assert RELATED_LABEL not in json.dumps(render_reply(reply))


def test_three_long_related_quotes_fit_slacks_limits() -> None:
    related = related_facts(quote=LONG_QUOTE, outlet="Outlet & co " * 300)
    reply = reply_with_related(Verdict.NOT_FOUND, related, claim="x " * 1000)

    rendered = render_reply(reply, shareable=True, shared_by="U123")

    blocks = rendered["blocks"]
    assert len(blocks) <= MAX_BLOCKS and len(rendered["text"]) <= MAX_SECTION
    sections = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert all(len(text) <= MAX_SECTION for text in sections)
    shown = [text for text in sections if "\n>A very long related sentence &amp; &lt;more&gt;" in text]
    assert len(shown) == 3 and all(text.endswith("…") for text in shown)
    assert blocks[-1]["type"] == "actions", "the share button survives"


def test_related_facts_are_escaped() -> None:
    [fact] = related_facts(1, quote="<@U1> said <https://evil|trusted>", outlet="<!channel> News")
    fact = replace(fact, url="https://x.example/a|b>c")
    rendered = render_reply(reply_with_related(Verdict.NOT_FOUND, (fact,)))
    text = json.dumps(rendered, ensure_ascii=False)
    assert "<!channel>" not in text and "<@U1>" not in text and "<https://evil" not in text
    assert "<https://x.example/a%7Cb&gt;c|&lt;!channel&gt; News, 2024-11-29> · fact #101" in text


# -- the form --------------------------------------------------------------------------------
def test_core_errors_land_under_the_right_inputs(factbot: Factbot) -> None:
    form = fact_form(factbot.list_sources(), callback_id=ADD_CALLBACK, title="Add", metadata={})
    core_errors = {"id": "required: a short id", "outlet": "required: the outlet's name",
                   "url": "not an http(s) URL", "source": "unknown source", "quote": "too long"}  # fmt: skip

    errors = modal_errors(core_errors, form)

    assert errors == {"source_outlet": "required: the outlet's name", "source_url": "not an http(s) URL",
                      "source_id": "unknown source", "statement": "quote: too long"}  # fmt: skip


def test_the_edit_form_offers_the_facts_own_source_among_many() -> None:
    day = date(2024, 1, 1)
    sources = [Source(id=f"s{n:03}", outlet=f"Outlet {n}", url="https://news.example/", published=day)
               for n in range(150)]  # fmt: skip
    fact = Fact(kind=FactKind.EVENT, statement="x", source_id="s000", evidence="x", id=1)

    form = fact_form(
        sources, callback_id=EDIT_CALLBACK, title="Edit", metadata={}, initial=initial_values(fact)
    )

    [select] = [b["element"] for b in form["blocks"] if b.get("block_id") == "source_id"]
    assert len(select["options"]) <= 100
    assert select["initial_option"]["value"] == "s000", "else the moderator must change the source to save"


def test_new_source_ids_are_readable_and_unused() -> None:
    assert new_source_id("Reuters", "2024-11-30", set()) == "reuters-2024-11-30"
    assert new_source_id("Le Monde!", "2024-11-30", {"le-monde-2024-11-30"}) == "le-monde-2024-11-30-2"
    assert new_source_id("???", "2024-11-30", set()) == ""


# -- the newsroom loop -----------------------------------------------------------------------
def _queue_item(n: int, claim: str, *, asked: int = 1) -> QueueItem:
    reason = QueueReason.NOT_FOUND if n % 2 else QueueReason.FEEDBACK
    first, last = "2024-12-01T10:00:00+00:00", "2024-12-02T09:30:00+00:00"
    return QueueItem(n, claim, claim, reason, QueueStatus.OPEN, asked, first, last)


def test_golden_follow_up_with_feedback_buttons() -> None:
    reply = replace(_reply(Verdict.CONTRADICTED, (_citation(3, Relation.CONTRADICTS),)), check_id=7)
    rendered = render_reply(reply, followup=True)
    assert [b["value"] for b in rendered["blocks"][-1]["elements"]] == ["7", "7"]
    assert_golden("followup_feedback", rendered)


def test_golden_queue_answer_and_offers() -> None:
    items = [
        _queue_item(1, "<!channel> Rebels took Hama", asked=3),
        _queue_item(2, "Rebels took 32 villages"),
    ]
    assert_golden("queue", render_queue(items))
    reply = _reply(Verdict.SUPPORTED, (_citation(4),))
    answered = Answer(replace(items[1], status=QueueStatus.ANSWERED, fact_id=4), reply, 2)
    assert_golden("queue_answered", render_answered(answered))
    assert_golden("queue_offers", render_offers(4, [Offer(items[0], 4, Verdict.SUPPORTED)]))
    assert "&lt;!channel&gt;" in json.dumps(render_queue(items)) and "<!channel>" not in json.dumps(
        render_queue(items)
    )


def test_a_long_queue_is_cut_to_fit() -> None:
    items = [_queue_item(n, "x" * 3000) for n in range(1, 60)]
    rendered = render_queue(items)
    assert len(rendered["blocks"]) <= MAX_BLOCKS
    assert all(len(b["text"]["text"]) <= MAX_SECTION for b in rendered["blocks"] if b["type"] == "section")
    assert "…and 39 more" in json.dumps(rendered, ensure_ascii=False)
