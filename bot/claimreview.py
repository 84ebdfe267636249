"""The newsroom's reviews as schema.org ClaimReview JSON-LD, the format fact-checkers publish and
search engines read (https://schema.org/ClaimReview; Google's "Fact check" structured data).

One review per answered queue item and per verdict a moderator confirmed (👍 from a moderator).
Each carries what Google requires — `claimReviewed`, `reviewRating` with `alternateName` (the
rating in words), `url` — and what it recommends: `author` (the newsroom, an Organization),
`datePublished`, `itemReviewed` (a Claim, with the date it was first asked). Not-found verdicts
rate nothing and are left out.

>>> reviews = claim_reviews(bot.loop.records, base_url="https://news.example/factbot",
...                         org_name="Example News")
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.reply import Verdict
from facts.newsroom import Newsroom

__all__ = ["RATINGS", "Rating", "claim_reviews"]


@dataclass(frozen=True)
class Rating:
    """A verdict on schema.org's 1 (worst) .. 5 (best) scale, with its name in words."""

    value: int
    words: str


RATINGS = {
    Verdict.SUPPORTED: Rating(5, "True"),
    Verdict.MIXED: Rating(3, "Mixed: the sources disagree"),
    Verdict.CONTRADICTED: Rating(1, "False"),
}


def claim_reviews(records: Newsroom, *, base_url: str, org_name: str) -> list[dict[str, Any]]:
    """Every review, answered queue items first (oldest answer first), then confirmed verdicts."""
    base = base_url.rstrip("/")
    author = {"@type": "Organization", "name": org_name, "url": base}
    reviews = []
    for item, answer in records.answered():
        verdict = Verdict(item.verdict or Verdict.NOT_FOUND)
        if verdict in RATINGS and item.closed_at:
            reviews.append(_review(item.understood, verdict, f"{base}/reviews/queue-{item.id}", author,
                                   published=item.closed_at, asked=item.first_asked,
                                   body=str(answer.get("summary", ""))))  # fmt: skip
    for confirmed in records.confirmations():
        verdict = Verdict(confirmed.verdict)
        if verdict in RATINGS:
            reviews.append(_review(confirmed.claim, verdict, f"{base}/reviews/check-{confirmed.check_id}",
                                   author, published=confirmed.at, asked=confirmed.at, body=""))  # fmt: skip
    return reviews


def _review(claim: str, verdict: Verdict, url: str, author: dict[str, Any], *, published: str, asked: str,
            body: str) -> dict[str, Any]:  # fmt: skip
    rating = RATINGS[verdict]
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": claim,
        "author": author,
        "datePublished": published[:10],
        "itemReviewed": {"@type": "Claim", "datePublished": asked[:10]},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": rating.value,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": rating.words,
        },
    }
    if body:
        review["reviewBody"] = body
    return review
