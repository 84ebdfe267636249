"""What Discord users see: rendered embeds against golden files, and Discord's size limits.

Regenerate the golden files after an intended change with FACTBOT_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from discord_fake import discord
from related_facts import DECIDED_CLAIMS, LONG_QUOTE, RELATED_CLAIM, related_facts, reply_with_related

from adapters.discord.embeds import (
    DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    FIELD_COUNT_LIMIT,
    FIELD_VALUE_LIMIT,
    TITLE_LIMIT,
    citation_field,
    clip,
    fact_embed,
    queue_embed,
    related_field,
    reply_embed,
    safe,
)
from adapters.related import RELATED_LABEL
from bot.presentation import DISAGREEMENT_NOTE, VERDICT_STYLE, more_sources_note
from bot.reply import CheckReply, Citation, Verdict
from bot.service import Factbot
from facts.model import Change, ChangeAction, Fact, FactKind, Relation, Source

GOLDEN = Path(__file__).parent / "golden" / "discord"
# Named for the claim, not the verdict: the golden file shows whatever the core answers today.
CLAIMS = {
    "villages_about_20": "Rebels took about 20 villages on the first day of the offensive.",
    "hama": "Rebels captured the city of Hama.",
    "villages_32": "Rebels took 32 villages on the first day",
    "aleppo_2018": "Government forces retook Aleppo in 2018.",
    "injection": "@everyone **Rebels** took [20](https://evil.example) villages <@&234567890123456789>",
    "russia_bases": RELATED_CLAIM,
}


@pytest.fixture(scope="module")
def factbot(tmp_path_factory: pytest.TempPathFactory) -> Factbot:
    bot = Factbot.open(tmp_path_factory.mktemp("store") / "f.db")
    yield bot
    bot.close()


def assert_golden(name: str, embed: discord.Embed) -> None:
    rendered = json.dumps(embed.to_dict(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    path = GOLDEN / f"{name}.json"
    if os.environ.get("FACTBOT_UPDATE_GOLDEN"):
        path.write_text(rendered, encoding="utf-8")
    assert rendered == path.read_text(encoding="utf-8"), f"{path.name} changed; see the module docstring"


@pytest.mark.parametrize("name", sorted(CLAIMS))
def test_reply_embeds_match_the_golden_files(factbot, name):
    assert_golden(name, reply_embed(factbot.check(CLAIMS[name])))


@pytest.mark.parametrize("name", sorted(CLAIMS))
def test_a_field_per_citation_and_the_note_only_when_sources_disagree(factbot, name):
    reply = factbot.check(CLAIMS[name])
    embed = reply_embed(reply)
    assert (DISAGREEMENT_NOTE in (embed.description or "")) is reply.sources_disagree
    assert len(embed.fields) == len(reply.citations) + len(reply.related)
    assert embed.colour is not None and embed.colour.value == VERDICT_STYLE[reply.verdict].color


def citations(count: int, quote: str) -> tuple[Citation, ...]:
    return tuple(
        Citation(
            relation=Relation.SUPPORTS if i % 2 else Relation.CONTRADICTS,
            fact_id=i,
            source_id=f"s{i}",
            outlet=f"Outlet {i}",
            published=date(2024, 11, 28),
            published_approximate=False,
            url=f"https://example.org/{i}",
            quote=quote,
            score=0.9,
            reason="number differs: claim says 20, source says 32",
        )
        for i in range(1, count + 1)
    )


def reply_with(cited: tuple[Citation, ...], claim: str = "Rebels took 20 villages") -> CheckReply:
    return CheckReply(
        claim=claim, understood=claim, verdict=Verdict.MIXED, summary="Sources disagree.", citations=cited
    )


def assert_within_limits(embed: discord.Embed) -> None:
    assert len(embed) <= EMBED_TOTAL_LIMIT
    assert len(embed.title or "") <= TITLE_LIMIT and len(embed.description or "") <= DESCRIPTION_LIMIT
    assert len(embed.fields) <= FIELD_COUNT_LIMIT
    assert all(len(f.value or "") <= FIELD_VALUE_LIMIT and len(f.name or "") <= 256 for f in embed.fields)


def test_disagreeing_sources_get_the_note_and_a_field_each():
    embed = reply_embed(reply_with(citations(2, "Rebels took 32 villages.")))
    assert embed.description and DISAGREEMENT_NOTE in embed.description
    assert [f.name for f in embed.fields] == ["✅ Supports · fact #1", "❌ Contradicts · fact #2"]
    assert_golden("disagreement", embed)


def test_many_short_citations_stop_at_25_fields_with_and_n_more(factbot):
    embed = reply_embed(reply_with(citations(30, "Rebels took 32 villages.")))
    assert_within_limits(embed)
    assert len(embed.fields) == FIELD_COUNT_LIMIT
    assert embed.footer.text == more_sources_note(5) == "…and 5 more sources"


def test_long_citations_are_trimmed_to_the_6000_character_total():
    embed = reply_embed(reply_with(citations(12, "A very long evidence sentence. " * 60)))
    assert_within_limits(embed)
    shown = len(embed.fields)
    assert 0 < shown < 12 and embed.footer.text == more_sources_note(12 - shown)
    assert all(f.value and "…”" in f.value for f in embed.fields), "quotes are clipped, not dropped"
    assert_golden("trimmed", embed)


def test_a_huge_claim_fits_the_description():
    embed = reply_embed(reply_with(citations(1, "short"), claim="villages " * 600))
    assert_within_limits(embed)
    assert embed.description and embed.description.endswith("…")


def test_clip_to_nothing_is_empty():
    assert clip("abc", 0) == "" and clip("abc", 1) == "…" and clip("abc", 3) == "abc"


def test_a_long_outlet_or_reason_leaves_room_for_the_evidence_and_the_why():
    (citation,) = citations(1, "Rebels took 32 villages on the first day. " * 10)
    long = replace(citation, outlet="Outlet " * 150, reason="quote altered: " + "the words " * 150)
    name, value = citation_field(long)
    assert len(value) <= FIELD_VALUE_LIMIT
    assert "> “Rebels took 32 villages" in value and "**Why:** quote altered" in value


def test_a_fact_with_long_texts_fits_discords_limits():
    long = "An unusually long text & **markdown** @everyone. " * 100  # 5,000 characters, the core's cap
    fact = Fact(kind=FactKind.QUOTE, statement=long, source_id="src`" + "x" * 300, evidence=long,
                speaker=long, quote=long, subject=long, value_low=32.0, unit=long, qualifier=long,
                event_date=date(2024, 11, 28), place=long, id=7)  # fmt: skip
    source = Source(id=fact.source_id, outlet=long, url="https://news.example/" + "a" * 5000,
                    published=date(2024, 11, 28))  # fmt: skip
    history = [Change(id=n, fact_id=7, action=ChangeAction.EDIT, actor="discord:1", at="2024-12-01",
                      note=long) for n in range(8)]  # fmt: skip

    embed = fact_embed(fact, source, history)

    assert_within_limits(embed)
    assert embed.description and embed.description.startswith("An unusually long text")
    assert "@everyone" not in json.dumps(embed.to_dict(), ensure_ascii=False)
    assert [f.name for f in embed.fields][:2] == ["Source", "Evidence"]


# -- related, not verified ------------------------------------------------------------------
def test_related_facts_of_a_not_found_claim_get_a_labelled_field_each(factbot):
    reply = factbot.check(RELATED_CLAIM)
    assert reply.verdict is Verdict.NOT_FOUND and reply.related
    embed = reply_embed(reply)
    assert [f.name for f in embed.fields] == [f"{RELATED_LABEL}: {safe(r.outlet)}" for r in reply.related]
    for field, fact in zip(embed.fields, reply.related, strict=True):
        assert f"]({fact.url}) · fact #{fact.fact_id}" in (field.value or "")
        assert f"> “{safe(fact.quote)}”" in (field.value or "")
    assert embed.footer.text and embed.footer.text.startswith(RELATED_LABEL)


@pytest.mark.parametrize("verdict", [Verdict.SUPPORTED, Verdict.CONTRADICTED, Verdict.MIXED])
def test_related_facts_are_never_shown_beside_a_verdict(verdict):
    embed = reply_embed(reply_with_related(verdict, related_facts()))
    assert RELATED_LABEL not in json.dumps(embed.to_dict(), ensure_ascii=False)
    assert len(embed.fields) == len(reply_with_related(verdict, ()).citations)


def test_decided_claims_carry_no_related_facts(factbot):
    for claim in DECIDED_CLAIMS:
        reply = factbot.check(claim)
        assert reply.verdict is not Verdict.NOT_FOUND and reply.related == ()
        assert RELATED_LABEL not in json.dumps(reply_embed(reply).to_dict(), ensure_ascii=False)


def test_three_long_related_quotes_fit_discords_limits():
    related = related_facts(quote=LONG_QUOTE, outlet="Outlet @everyone " * 100)
    embed = reply_embed(reply_with_related(Verdict.NOT_FOUND, related))
    assert_within_limits(embed)
    assert len(embed.fields) == 3 and all((f.name or "").startswith(RELATED_LABEL) for f in embed.fields)
    assert all(f.value and "…”" in f.value for f in embed.fields), "quotes are clipped, not dropped"
    assert "@everyone" not in json.dumps(embed.to_dict(), ensure_ascii=False)

    crowded = reply_embed(reply_with_related(Verdict.NOT_FOUND, related, claim="**" * 1000))
    assert_within_limits(crowded)
    assert 0 < len(crowded.fields) < 3, "a huge claim leaves room for fewer related facts"


def test_a_related_fact_is_escaped_and_its_link_cannot_break_out():
    [fact] = related_facts(1, quote="@here **bold** [x](https://evil.example)", outlet="[Evil](https://e.x)")
    name, value = related_field(fact)
    assert name == r"Related, not verified: \[Evil](https://e.x)"  # escaped as the claim's links are
    assert value.startswith(r"[\(Evil)(https://e.x), 2024-11-29](https://news.example/related/1) · fact #101")
    assert "@\u200bhere" in value and r"\*\*bold\*\*" in value


# -- the newsroom loop -----------------------------------------------------------------------
def test_the_queue_embed_matches_its_golden_file_and_fits():
    from facts.newsroom import QueueItem, QueueReason, QueueStatus

    first, last = "2024-12-01T10:00:00+00:00", "2024-12-02T09:30:00+00:00"
    items = [
        QueueItem(
            1, "@everyone Rebels took **Hama**", "x", QueueReason.NOT_FOUND, QueueStatus.OPEN, 3, first, last
        ),
        QueueItem(2, "Rebels took 32 villages", "x", QueueReason.FEEDBACK, QueueStatus.OPEN, 1, first, last),
    ]
    assert_golden("queue", queue_embed(items))
    many = queue_embed([QueueItem(n, "y" * 3000, "y", QueueReason.NOT_FOUND, QueueStatus.OPEN, 1, first, last)
                        for n in range(1, 40)])  # fmt: skip
    assert len(many) <= EMBED_TOTAL_LIMIT and len(many.fields) <= 25 and "more" in many.footer.text
