"""Checking claims end to end on the seeded store: one test per kind of value compared."""

from __future__ import annotations

import pytest

from bot.reply import Verdict
from bot.service import MAX_CLAIM_CHARS, understand
from facts.errors import InvalidClaim
from facts.model import Relation


def reasons(reply):
    return " | ".join(c.reason for c in reply.citations)


def test_number_with_qualifier_contradicts(factbot):
    reply = factbot.check("Rebels took about 20 villages on the first day of the offensive.")
    assert reply.verdict is Verdict.CONTRADICTED
    first = reply.contradicting[0]
    assert first.source_id == "levant24"
    assert "about 20" in first.reason and "32" in first.reason
    assert "32 villages" in first.quote


def test_vague_quantity_fits_the_number(factbot):
    reply = factbot.check(
        "Local sources said dozens of regime officers and soldiers were killed on Wednesday evening."
    )
    assert reply.verdict is not Verdict.CONTRADICTED


def test_number_supported(factbot):
    reply = factbot.check(
        "Local sources confirmed at least 15 regime officers and soldiers were killed on Wednesday evening."
    )
    assert reply.verdict is Verdict.SUPPORTED
    assert {c.source_id for c in reply.supporting} == {"levant24"}


def test_year_differs(factbot):
    reply = factbot.check("Government forces retook Aleppo city in 2018.")
    assert reply.verdict is Verdict.CONTRADICTED
    assert "2016" in reasons(reply)


def test_weekday_differs(factbot):
    reply = factbot.check("The Israel-Hezbollah ceasefire took effect on Monday.")
    assert reply.verdict is Verdict.CONTRADICTED
    assert "Wednesday" in reasons(reply)


def test_calendar_date_resolved_from_weekday(factbot):
    assert factbot.check("The offensive began on November 25, 2024.").verdict is Verdict.CONTRADICTED
    supported = factbot.check("The insurgents launched their offensive on November 27.")
    assert supported.verdict is Verdict.SUPPORTED


def test_direction_differs(factbot):
    reply = factbot.check("Rebels seized Saraqib, a town north of Aleppo.")
    assert reply.verdict is Verdict.CONTRADICTED
    assert "direction differs" in reasons(reply)
    assert factbot.check("Insurgents took control of Saraqib, south of Aleppo.").verdict is Verdict.SUPPORTED


def test_misattributed_quote(factbot):
    reply = factbot.check(
        "Peskov said the opposition launched its offensive "
        '"to take advantage of the current upheaval in the region."'
    )
    assert reply.verdict is Verdict.CONTRADICTED
    assert "James Dorsey" in reply.contradicting[0].reason


def test_altered_quote_shows_the_verbatim_words(factbot):
    reply = factbot.check('Resul Serdar: "That this happened in just two weeks is unbelievable."')
    assert reply.verdict is Verdict.CONTRADICTED
    assert "just four days" in reply.contradicting[0].reason


def test_verbatim_quote_supported_by_both_outlets(factbot):
    reply = factbot.check(
        "Peskov said: \"We urge Syria's authorities to reassert control "
        'and restore constitutional order as soon as possible."'
    )
    assert reply.verdict is Verdict.SUPPORTED
    assert {c.source_id for c in reply.supporting} == {"ap", "btimes"}


def test_polarity_reversed(factbot):
    reply = factbot.check("Israel has scaled back its attacks on Hezbollah and Iran-linked targets in Syria.")
    assert reply.verdict is Verdict.CONTRADICTED
    assert "opposite sides" in reasons(reply)


def test_negation_differs(factbot):
    reply = factbot.check("Turkey has no troops on the ground in Syria.")
    assert reply.verdict is Verdict.CONTRADICTED
    assert "negation" in reasons(reply)


def test_sources_disagree_gives_mixed(factbot):
    reply = factbot.check("Damascus hadn't commented on the insurgents breaching Aleppo's city limits.")
    assert reply.verdict is Verdict.MIXED
    assert reply.supporting and reply.contradicting
    assert reply.supporting[0].source_id != reply.contradicting[0].source_id


def test_unknown_story_is_not_found(factbot):
    for claim in ("Rebels captured the city of Hama.", "Jordan closed its border crossing with Syria."):
        reply = factbot.check(claim)
        assert reply.verdict is Verdict.NOT_FOUND
        assert reply.citations == ()


def test_aliases_and_typos_are_tolerated(factbot):
    reply = factbot.check("The Shaheen Brigades destroyed a regime helicoptr at Neirab airbase.")
    assert reply.verdict is Verdict.SUPPORTED
    assert reply.supporting[0].source_id == "levant24"


def test_citations_carry_everything_a_reader_needs(factbot):
    reply = factbot.check("Syrian authorities shut Aleppo airport and suspended all flights.")
    citation = reply.citations[0]
    assert citation.relation is Relation.SUPPORTS
    assert citation.outlet.startswith("Business Times")
    assert citation.url.startswith("https://")
    assert citation.published.isoformat() == "2024-11-30"
    assert (
        citation.quote
        == "Syrian authorities closed Aleppo airport and suspended all flights, citing security concerns."
    )
    assert citation.reason


def test_each_evidence_sentence_is_cited_once(factbot):
    reply = factbot.check("Rebels took about 20 villages on the first day of the offensive.")
    quotes = [(c.source_id, c.quote) for c in reply.citations]
    assert len(quotes) == len(set(quotes))


@pytest.mark.parametrize("claim", ["", "   ", "\n\t", "?!", "\x00\x01", "\"\" '' ()*^:-+"])
def test_empty_claims_are_refused_clearly(factbot, claim):
    with pytest.raises(InvalidClaim, match="empty"):
        factbot.check(claim)


def test_huge_claim_is_refused_clearly(factbot):
    with pytest.raises(InvalidClaim, match="limit"):
        factbot.check("Rebels took Aleppo. " * (MAX_CLAIM_CHARS // 10))


@pytest.mark.parametrize(
    "claim",
    [
        'NEAR(rebels aleppo) "unbalanced',
        "rebels* AND OR NOT aleppo",
        "terms:aleppo facts_fts:rebels",
        "'; DROP TABLE facts; --",
        "Rebels\x07 took\x1b[31m Aleppo",
        "سيطرت الفصائل على حلب",
        "🔥🔥 rebels 🚀 Aleppo 💥",
    ],
)
def test_hostile_or_odd_text_never_breaks_the_check(factbot, claim):
    reply = factbot.check(claim)
    assert reply.verdict in set(Verdict)
    assert factbot.store.count_facts() > 100  # nothing dropped


def test_understand_strips_question_preambles():
    assert understand("Is it true that rebels took Aleppo?") == "rebels took Aleppo"
    assert understand("fact-check: “Rebels” took Aleppo") == '"Rebels" took Aleppo'


def test_quoted_name_differs(factbot):
    reply = factbot.check("The CMO named its campaign 'Dawn of Freedom'.")
    assert reply.verdict is Verdict.CONTRADICTED
    assert "Repelling the Aggression" in reply.contradicting[0].reason
    alias = factbot.check("The rebels called their operation 'Deterrence of Aggression'.")
    assert alias.verdict is Verdict.SUPPORTED  # another outlet's name for the same campaign


def test_place_differs(factbot):
    reply = factbot.check("Rebels captured the Abu al-Duhur airbase in Hama province.")
    assert reply.verdict is Verdict.CONTRADICTED
    assert "place differs" in reply.contradicting[0].reason and "Idlib" in reply.contradicting[0].reason
    assert factbot.check("Rebels captured the Abu al-Duhur airbase in Idlib.").verdict is Verdict.SUPPORTED


def test_numbers_counting_different_things_are_not_compared(factbot):
    # the store's "dozens of fighters" killed says nothing about how many people in all
    reply = factbot.check("The Syrian Observatory for Human Rights said more than 200 people were killed.")
    assert reply.verdict is Verdict.NOT_FOUND
