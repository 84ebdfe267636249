"""How each verdict looks on every platform: one table, used by the Slack and Discord adapters.

>>> VERDICT_STYLE[Verdict.CONTRADICTED].emoji
'❌'
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.reply import CheckReply, Citation, Verdict
from facts.model import Relation
from facts.newsroom import QueueReason

__all__ = [
    "DISAGREEMENT_NOTE",
    "FOLLOWUP_NOTE",
    "HELPFUL_LABEL",
    "QUEUE_REASON_LABEL",
    "RELATION_LABEL",
    "THANKS_HELPFUL",
    "THANKS_WRONG",
    "VERDICT_STYLE",
    "WRONG_LABEL",
    "VerdictStyle",
    "WRONG_LABEL",
    "citation_date",
    "headline",
    "more_sources_note",
]


@dataclass(frozen=True)
class VerdictStyle:
    """Label, emoji and colour (0xRRGGBB) of a verdict."""

    label: str
    emoji: str
    slack_emoji: str  # Slack's :shortcode:
    color: int


VERDICT_STYLE: dict[Verdict, VerdictStyle] = {
    Verdict.SUPPORTED: VerdictStyle("Supported", "✅", ":white_check_mark:", 0x2EB67D),
    Verdict.CONTRADICTED: VerdictStyle("Contradicted", "❌", ":x:", 0xE01E5A),
    Verdict.MIXED: VerdictStyle("Sources disagree", "⚖️", ":scales:", 0xECB22E),
    Verdict.NOT_FOUND: VerdictStyle("Not found", "❔", ":grey_question:", 0x8D8D8D),
}

RELATION_LABEL = {Relation.SUPPORTS: "Supports", Relation.CONTRADICTS: "Contradicts"}
DISAGREEMENT_NOTE = "Note: the sources disagree with each other on this claim."

# The newsroom loop (bot/loop.py): the same words on every platform.
HELPFUL_LABEL = "👍 Helpful"
WRONG_LABEL = "👎 Wrong verdict"
THANKS_HELPFUL = "Thanks for the feedback: glad it helped."
THANKS_WRONG = (
    "Thanks: this claim is now in the moderators' queue. If they find a better answer, "
    "it will be posted where the claim was asked."
)
FOLLOWUP_NOTE = "Following up on a claim asked here earlier: a moderator has found the answer."
QUEUE_REASON_LABEL = {QueueReason.NOT_FOUND: "not found", QueueReason.FEEDBACK: "disputed (👎)"}


def citation_date(citation: Citation) -> str:
    """ "2024-11-28 (approx.)" or "undated"."""
    if citation.published is None:
        return "undated"
    approx = " (approx.)" if citation.published_approximate else ""
    return citation.published.isoformat() + approx


def more_sources_note(hidden: int) -> str:
    """The line that replaces citations cut to fit a platform's limits."""
    return f"…and {hidden} more source{'s' if hidden != 1 else ''}"


def headline(reply: CheckReply) -> str:
    style = VERDICT_STYLE[reply.verdict]
    return f"{style.emoji} {style.label}"
