"""How Factbot's answers look in Discord: embeds built from the core's replies, within Discord's limits.

Every string a user or a source supplied is escaped (markdown and mentions) before it is shown, and
every embed fits Discord's limits: title 256, description 4,096, 25 fields, field name 256, field
value 1,024, footer 2,048, and 6,000 characters summed. Citations that do not fit are replaced by
"…and N more sources" in the footer. Under a not-found verdict the closest facts follow as fields
named "Related, not verified: <outlet>", as many as fit.
"""

from __future__ import annotations

import warnings

with warnings.catch_warnings():  # discord.py 2.7 imports audioop, deprecated since Python 3.11
    warnings.filterwarnings("ignore", "'audioop' is deprecated", DeprecationWarning)
    import discord

from typing import Any

from discord.utils import escape_markdown, escape_mentions

from adapters.related import RELATED_LABEL, RELATED_NOTE, related_date, shown_related
from bot.loop import Answer, Offer
from bot.presentation import (
    DISAGREEMENT_NOTE,
    QUEUE_REASON_LABEL,
    RELATION_LABEL,
    VERDICT_STYLE,
    citation_date,
    headline,
    more_sources_note,
)
from bot.reply import CheckReply, Citation, RelatedFact, Verdict
from facts.model import Change, Fact, Relation, Source
from facts.newsroom import QueueItem

TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_COUNT_LIMIT = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
EMBED_TOTAL_LIMIT = 6000
QUOTE_LIMIT = 600  # one long evidence sentence must not crowd out the other sources
REASON_LIMIT = 300  # a reason may quote a whole source sentence
OUTLET_LIMIT = 200
URL_LIMIT = 500  # a longer link target would crowd out the evidence; the outlet is shown unlinked
SOURCE_FIELD_LIMIT = 600
DETAIL_LIMIT = 150  # each of a fact's own fields (speaker, subject, unit, ...) in its view
HISTORY_SHOWN = 5

_RELATION_EMOJI = {
    Relation.SUPPORTS: VERDICT_STYLE[Verdict.SUPPORTED].emoji,
    Relation.CONTRADICTS: VERDICT_STYLE[Verdict.CONTRADICTED].emoji,
}
_RELATED_FOOTER = f"{RELATED_LABEL}: {RELATED_NOTE}."


def safe(text: str) -> str:
    r"""User- or source-supplied text made inert: markdown escaped, mentions broken.

    Example: "@everyone **now**" becomes "@\u200beveryone \\*\\*now\\*\\*".
    """
    return escape_mentions(escape_markdown(text))


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending in "…" when cut ("" when `limit` < 1)."""
    if len(text) <= limit:
        return text
    if limit < 1:
        return ""
    return text[: limit - 1].rstrip("\\") + "…"


def link(text: str, url: str) -> str:
    """A masked link whose text cannot break out of its brackets."""
    label = safe(clip(text, OUTLET_LIMIT)).replace("[", "(").replace("]", ")")
    target = url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
    if len(target) > URL_LIMIT:
        return label
    return f"[{label}]({target})"


# -- check replies ---------------------------------------------------------------------------
def reply_embed(reply: CheckReply, *, context: str = "") -> discord.Embed:
    """The embed answering a claim; `context` (already safe markdown) opens the description."""
    style = VERDICT_STYLE[reply.verdict]
    embed = discord.Embed(
        title=clip(headline(reply), TITLE_LIMIT),
        description=clip(_description(reply, context), DESCRIPTION_LIMIT),
        colour=style.color,
    )
    reserve = len(more_sources_note(len(reply.citations)))
    shown = _add_fields(embed, [citation_field(c) for c in reply.citations], reserve=reserve)
    hidden = len(reply.citations) - shown
    if hidden:
        embed.set_footer(text=more_sources_note(hidden))
    related = [related_field(fact) for fact in shown_related(reply)]
    if _add_fields(embed, related, reserve=len(_RELATED_FOOTER)):
        embed.set_footer(text=_RELATED_FOOTER)
    return embed


def _description(reply: CheckReply, context: str) -> str:
    lines = [context] if context else []
    lines += [f"**Claim:** {safe(reply.understood)}", safe(reply.summary)]
    if reply.sources_disagree:
        lines.append(f"*{DISAGREEMENT_NOTE}*")
    return "\n".join(lines)


def _add_fields(embed: discord.Embed, fields: list[tuple[str, str]], *, reserve: int) -> int:
    """Add as many (name, value) fields as fit beside a footer of `reserve` characters; returns how many."""
    for count, (name, value) in enumerate(fields):
        too_many = len(embed.fields) == FIELD_COUNT_LIMIT
        if too_many or len(embed) + len(name) + len(value) + reserve > EMBED_TOTAL_LIMIT:
            return count
        embed.add_field(name=name, value=value, inline=False)
    return len(fields)


def citation_field(citation: Citation) -> tuple[str, str]:
    """Field name and value for one citation: relation, linked outlet and date, evidence, reason."""
    name = (
        f"{_RELATION_EMOJI[citation.relation]} {RELATION_LABEL[citation.relation]} · fact #{citation.fact_id}"
    )
    source = link(f"{citation.outlet}, {citation_date(citation)}", citation.url)
    reason = f"**Why:** {safe(clip(citation.reason, REASON_LIMIT))}"
    quote = _quote_line(citation.quote, FIELD_VALUE_LIMIT - len(source) - len(reason) - 2)
    value = f"{source}\n{quote}\n{reason}"
    return clip(name, FIELD_NAME_LIMIT), clip(value, FIELD_VALUE_LIMIT)


def _quote_line(quote: str, room: int) -> str:
    """`> “evidence”`, at most `room` characters (and the quote at most QUOTE_LIMIT)."""
    return f"> “{clip(safe(quote), max(0, min(QUOTE_LIMIT, room - 4)))}”"


def related_field(fact: RelatedFact) -> tuple[str, str]:
    """Field name and value for a related fact: labelled as such, linked outlet and date, evidence."""
    name = f"{RELATED_LABEL}: {safe(clip(fact.outlet, OUTLET_LIMIT))}"
    head = f"{link(f'{fact.outlet}, {related_date(fact)}', fact.url)} · fact #{fact.fact_id}"
    value = f"{head}\n{_quote_line(fact.quote, FIELD_VALUE_LIMIT - len(head) - 1)}"
    return clip(name, FIELD_NAME_LIMIT), clip(value, FIELD_VALUE_LIMIT)


# -- moderation ------------------------------------------------------------------------------
_FACT_DETAILS = (
    ("speaker", "Speaker"),
    ("quote", "Quote"),
    ("subject", "Subject"),
    ("value_low", "Value"),
    ("value_high", "Up to"),
    ("unit", "Unit"),
    ("qualifier", "Qualifier"),
    ("event_date", "Date"),
    ("place", "Place"),
)


def fact_embed(fact: Fact, source: Source | None, history: list[Change]) -> discord.Embed:
    """A moderator's view of one fact: statement, source, evidence, fields and recent history.

    Every field has a fixed budget; the statement gets what is left of the 6,000 characters.
    """
    embed = discord.Embed(
        title=f"Fact #{fact.id} · {fact.kind.value} · {fact.status.value}",
        colour=VERDICT_STYLE[Verdict.NOT_FOUND].color,
    )
    source_id = clip(fact.source_id.replace("`", ""), OUTLET_LIMIT)
    where = link(source.outlet, source.url) if source else safe(source_id)
    embed.add_field(name="Source", value=clip(f"{where} (`{source_id}`)", SOURCE_FIELD_LIMIT), inline=False)
    embed.add_field(
        name="Evidence", value=f"> {clip(safe(fact.evidence), FIELD_VALUE_LIMIT - 2)}", inline=False
    )
    for name, label in _FACT_DETAILS:
        value = getattr(fact, name)
        if value is not None and value != "":
            limit = QUOTE_LIMIT if name == "quote" else DETAIL_LIMIT
            embed.add_field(name=label, value=clip(safe(display_value(value)), limit))
    if history:
        embed.add_field(name="History", value=_history_lines(history), inline=False)
    room = min(DESCRIPTION_LIMIT, EMBED_TOTAL_LIMIT - len(embed))
    embed.description = clip(safe(fact.statement), room)
    return embed


def _history_lines(history: list[Change]) -> str:
    recent = history[-HISTORY_SHOWN:]
    lines = [f"{safe(c.at)} · {c.action.value} by {safe(c.actor)}" + (f" — {safe(c.note)}" if c.note else "")
             for c in recent]  # fmt: skip
    if len(history) > len(recent):
        lines.insert(0, f"…{len(history) - len(recent)} earlier changes")
    return clip("\n".join(lines), FIELD_VALUE_LIMIT)


def display_value(value: Any) -> str:
    """A fact field as a person would type it: 32 rather than 32.0, dates as YYYY-MM-DD."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


# -- the newsroom loop -----------------------------------------------------------------------
QUEUE_SHOWN = 20  # fields in one /fact queue answer (Discord allows 25)
QUEUE_CLAIM_LIMIT = 400
QUEUE_HOWTO = "Answer one with `/fact answer queue_id fact_id`, or close it with `/fact dismiss queue_id`."


def queue_embed(items: list[QueueItem]) -> discord.Embed:
    """The open questions for a moderator, the most asked first (as many as fit)."""
    if not items:
        return discord.Embed(title="The queue is empty", description="Every question asked has an answer.",
                             colour=VERDICT_STYLE[Verdict.NOT_FOUND].color)  # fmt: skip
    title = f"{len(items)} open question{'s' if len(items) != 1 else ''}"
    embed = discord.Embed(title=title, description=QUEUE_HOWTO, colour=VERDICT_STYLE[Verdict.NOT_FOUND].color)
    shown = _add_fields(embed, [queue_field(item) for item in items[:QUEUE_SHOWN]], reserve=40)
    if shown < len(items):
        embed.set_footer(text=f"…and {len(items) - shown} more: factbot queue list")
    return embed


def queue_field(item: QueueItem) -> tuple[str, str]:
    times = "once" if item.asked == 1 else f"{item.asked} times"
    name = f"#{item.id} · {QUEUE_REASON_LABEL[item.reason]} · asked {times}"
    value = f"> {clip(safe(item.claim), QUEUE_CLAIM_LIMIT)}\nlast asked {safe(item.last_asked)}"
    return clip(name, FIELD_NAME_LIMIT), clip(value, FIELD_VALUE_LIMIT)


def answered_text(answer: Answer) -> str:
    """What a moderator is told after answering (the verdict follows as an embed)."""
    places = answer.followups
    where = (f"posting it in {places} place{'s' if places != 1 else ''} it was asked" if places
             else "nobody to post it to (asked outside chat)")  # fmt: skip
    return f"Answered queue item #{answer.item.id} with fact #{answer.item.fact_id}; {where}."


def offers_text(fact_id: int, offers: list[Offer]) -> str:
    """The open questions a new fact answers, one line each (a "Post answer" button per line)."""
    lines = [f"Fact #{fact_id} answers {len(offers)} open question{'s' if len(offers) != 1 else ''}:"]
    for offer in offers:
        style = VERDICT_STYLE[offer.verdict]
        lines.append(f"• #{offer.item.id} ({style.emoji} {style.label}): {clip(safe(offer.item.claim), 200)}")
    return clip("\n".join(lines), 2000)
