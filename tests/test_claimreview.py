"""`factbot export claimreview`: schema.org ClaimReview JSON-LD checked against the property names
Google's fact-check structured-data docs and schema.org define."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from bot.service import Factbot
from facts.newsroom import Asked

HAMA = "Rebels captured the city of Hama."
SUPPORTED = "Rebels took 32 villages on the first day of the offensive."
CONTRADICTED = "Rebels took about 20 villages on the first day of the offensive."
BASE = "https://news.example/factbot"
ORG = "Example News"

# Google Search Central, "Fact check (ClaimReview) structured data": required and recommended.
GOOGLE_REQUIRED = {"claimReviewed", "reviewRating", "url"}
GOOGLE_RECOMMENDED = {"author", "itemReviewed"}
RATING_REQUIRED = {"alternateName"}
RATING_RECOMMENDED = {"ratingValue", "bestRating", "worstRating"}
# Every property used must exist on its schema.org type (ClaimReview → Review → CreativeWork → Thing).
SCHEMA_ORG = {
    "ClaimReview": {"claimReviewed", "reviewRating", "itemReviewed", "reviewBody", "url", "author",
                    "datePublished"},
    "Rating": {"ratingValue", "bestRating", "worstRating", "alternateName"},
    "Claim": {"datePublished", "author", "appearance", "firstAppearance"},
    "Organization": {"name", "url"},
}  # fmt: skip


def where(n: int) -> Asked:
    return Asked("slack", "T1", f"C{n}", f"1700000000.00010{n}", f"U{n}")


def seed(db_path: Path) -> None:
    """One answered queue item, one verdict a moderator confirmed, and feedback that is no review."""
    bot = Factbot.open(db_path)
    bot.check(HAMA, asked=where(1))
    source = {"id": "r1", "outlet": "Reuters", "url": "https://reuters.example/h", "published": "2024-12-06"}
    bot.add_source(source, actor="test")
    fact = bot.add_fact(
        {"statement": "Rebels captured the city of Hama on Thursday.", "source_id": "r1"}, actor="t"
    )
    bot.answer_queue_item(bot.queue()[0].id, fact.id, actor="cli")
    confirmed = bot.check(CONTRADICTED, asked=where(2))
    bot.feedback(confirmed.check_id, helpful=True, user="slack:UMOD", moderator=True)
    bot.feedback(
        bot.check(SUPPORTED, asked=where(3)).check_id, helpful=True, user="slack:U9"
    )  # not a moderator
    unanswerable = bot.check("Rebels captured the city of Homs.", asked=where(4))
    bot.feedback(
        unanswerable.check_id, helpful=True, user="slack:UMOD", moderator=True
    )  # not found: no rating
    bot.close()


def test_export_writes_valid_claimreview_for_answers_and_confirmed_verdicts(run, db_path, tmp_path):
    seed(db_path)
    out = tmp_path / "reviews.json"

    result = run("export", "claimreview", "--base-url", BASE + "/", "--org-name", ORG, str(out))

    assert result.exit_code == 0 and "wrote 2 ClaimReview records" in result.output
    answered, confirmed = json.loads(out.read_text(encoding="utf-8"))
    for review in (answered, confirmed):
        assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
        assert GOOGLE_REQUIRED | GOOGLE_RECOMMENDED <= set(review)
        assert set(review) - {"@context", "@type"} <= SCHEMA_ORG["ClaimReview"]
        rating = review["reviewRating"]
        assert rating["@type"] == "Rating" and RATING_REQUIRED | RATING_RECOMMENDED <= set(rating)
        assert set(rating) - {"@type"} <= SCHEMA_ORG["Rating"]
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
        assert review["url"].startswith(BASE + "/reviews/")
        assert review["author"] == {"@type": "Organization", "name": ORG, "url": BASE}
        assert review["itemReviewed"]["@type"] == "Claim"
        assert set(review["itemReviewed"]) - {"@type"} <= SCHEMA_ORG["Claim"]
        date.fromisoformat(review["datePublished"])
        date.fromisoformat(review["itemReviewed"]["datePublished"])
    assert (answered["claimReviewed"], answered["reviewRating"]["alternateName"]) == (HAMA, "True")
    assert answered["reviewBody"] == "Supported by Reuters."
    assert (confirmed["claimReviewed"], confirmed["reviewRating"]["alternateName"]) == (CONTRADICTED, "False")
    assert answered["url"] != confirmed["url"]


def test_export_takes_the_settings_from_the_environment_and_says_what_is_missing(run, db_path, monkeypatch):
    seed(db_path)
    missing = run("export", "claimreview")
    assert missing.exit_code == 2 and "FACTBOT_PUBLIC_URL" in missing.output

    monkeypatch.setenv("FACTBOT_PUBLIC_URL", BASE)
    no_org = run("export", "claimreview")
    assert no_org.exit_code == 2 and "FACTBOT_ORG_NAME" in no_org.output

    monkeypatch.setenv("FACTBOT_ORG_NAME", ORG)
    printed = run("export", "claimreview")
    assert printed.exit_code == 0 and len(json.loads(printed.output)) == 2
