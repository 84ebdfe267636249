"""Related facts as every adapter shows them: close to a claim that was not found, not verified.

They are no evidence for or against the claim, so they are shown only under a not-found verdict
and always under the label "Related, not verified".

>>> RELATED_LABEL
'Related, not verified'
"""

from __future__ import annotations

from bot.reply import CheckReply, RelatedFact, Verdict

RELATED_LABEL = "Related, not verified"
RELATED_NOTE = "close to the claim, but not evidence for or against it"


def shown_related(reply: CheckReply) -> tuple[RelatedFact, ...]:
    """The related facts to show: none unless the verdict is not found, whatever the reply carries."""
    return reply.related if reply.verdict is Verdict.NOT_FOUND else ()


def related_date(fact: RelatedFact) -> str:
    """ "2024-11-29" or "undated"."""
    return fact.published.isoformat() if fact.published else "undated"
