"""Slack text in, Block Kit out: escaping, Slack markup decoding and the message layouts.

Everything a user or moderator wrote (claims, fact text, outlet names, evidence) goes through
`escape` before it is put in a message, so `<!channel>` or `<https://evil|trusted>` show as text.

>>> escape("<!here> & co")
'&lt;!here&gt; &amp; co'
>>> plain_text("is <@U123|ana> right about <https://x.org|this>? &amp;")
'is @ana right about this? &'
"""

from __future__ import annotations

import re
from typing import Any

from adapters.related import RELATED_LABEL, RELATED_NOTE, related_date, shown_related
from bot.loop import Answer, Offer
from bot.presentation import (
    DISAGREEMENT_NOTE,
    FOLLOWUP_NOTE,
    HELPFUL_LABEL,
    QUEUE_REASON_LABEL,
    RELATION_LABEL,
    VERDICT_STYLE,
    WRONG_LABEL,
    citation_date,
    more_sources_note,
)
from bot.reply import CheckReply, Citation, RelatedFact
from facts.model import Change, Fact, FactStatus, Source
from facts.newsroom import QueueItem

MAX_BLOCKS = 50  # Slack's limit for one message
MAX_SECTION = 3000  # characters of text in one section block
MAX_HEADER = 150
MAX_CITATIONS = 10  # shown before "…and N more sources"; the rest is one click away in the CLI
MAX_HISTORY = 20
MAX_LABEL = 200  # an outlet's name as a link label
MAX_URL = 500  # a longer link target would crowd out the evidence; the outlet is shown unlinked
MAX_REASON = 500  # a reason may quote a whole source sentence
SHARE_ACTION = "factbot_share"
EDIT_ACTION = "factbot_fact_edit"
RETIRE_ACTION = "factbot_fact_retire"
RESTORE_ACTION = "factbot_fact_restore"
HELPFUL_ACTION = "factbot_feedback_helpful"
WRONG_ACTION = "factbot_feedback_wrong"
POST_ANSWER_ACTION = "factbot_post_answer"
MAX_QUEUE_SHOWN = 20  # items in one /fact queue answer (each a section; Slack allows 50 blocks)
MAX_QUEUE_CLAIM = 500
QUEUE_HOWTO = "answer one with `/fact answer QUEUE_ID FACT_ID`, or `/fact dismiss QUEUE_ID`"
BlockList = list[dict[str, Any]]

_MARKUP = re.compile(r"<([^<>]*)>")
_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))


# -- text ------------------------------------------------------------------------------------
def escape(text: str) -> str:
    """Make user text inert in mrkdwn: only &, < and > are special to Slack."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plain_text(slack_text: str) -> str:
    """What a Slack message says, as plain text: mentions, channels and links read as words."""
    text = _MARKUP.sub(lambda m: _markup_word(m.group(1)), slack_text)
    for entity, char in _ENTITIES:
        text = text.replace(entity, char)
    return text.strip()


def _markup_word(inner: str) -> str:
    target, _, label = inner.partition("|")
    if target.startswith(("@", "#")):
        return target[0] + (label or target[1:])
    if target.startswith("!"):  # <!here>, <!channel>, <!subteam^S1|@team>, <!date^...|fallback>
        return label or "@" + target[1:].split("^")[0]
    return label or target


def fit(text: str, limit: int) -> str:
    """`text` escaped, cut with "…" so the escaped form is at most `limit` characters."""
    escaped = escape(text)
    if len(escaped) <= limit:
        return escaped
    out, used = [], 0
    for char in text:
        piece = escape(char)
        if used + len(piece) > limit - 1:
            break
        out.append(piece)
        used += len(piece)
    return "".join(out) + "…"


def link(url: str, label: str) -> str:
    """A mrkdwn link to an http(s) URL, or just the escaped label for anything else (or a huge URL)."""
    target = escape(url).replace("|", "%7C")
    if not url.startswith(("http://", "https://")) or len(target) > MAX_URL:
        return fit(label, MAX_LABEL)
    return f"<{target}|{fit(label, MAX_LABEL)}>"


# -- replies ---------------------------------------------------------------------------------
def render_reply(
    reply: CheckReply, *, shareable: bool = False, shared_by: str = "", followup: bool = False
) -> dict[str, Any]:
    """The message for a verdict: `text` (the notification fallback) and `blocks`.

    `shareable` adds the "Post to channel" button; `shared_by` (a Slack user id) credits the
    person who shared it; `followup` says it answers a question asked earlier. A reply with a
    `check_id` (a logged check) gets the feedback buttons.
    """
    style = VERDICT_STYLE[reply.verdict]
    blocks: BlockList = [
        {"type": "header", "text": _plain(f"{style.slack_emoji} {style.label}", MAX_HEADER)},
        _section(f"*Claim:* {fit(reply.understood, MAX_SECTION - 20)}"),
        _section(fit(reply.summary, MAX_SECTION)),
    ]
    if followup:
        blocks.insert(0, _context(FOLLOWUP_NOTE))
    if reply.sources_disagree:
        blocks.append(_context(DISAGREEMENT_NOTE))
    tail = _reply_tail(reply, shareable=shareable, shared_by=shared_by)
    blocks += _citation_blocks(reply, room=MAX_BLOCKS - len(blocks) - len(tail))
    blocks += _related_blocks(reply, room=MAX_BLOCKS - len(blocks) - len(tail))
    blocks += tail
    fallback = f"{style.emoji} {style.label}: {reply.summary}{_related_fallback(reply)}"
    return {"text": fit(fallback, MAX_SECTION), "blocks": blocks}


def _reply_tail(reply: CheckReply, *, shareable: bool, shared_by: str) -> BlockList:
    tail: BlockList = []
    if shared_by:
        tail.append(_context(f"Shared by <@{shared_by}>"))
    if shareable:
        button = _button("Post to channel", SHARE_ACTION, reply.claim, style="primary")
        tail.append({"type": "actions", "block_id": "factbot_share", "elements": [button]})
    if reply.check_id is not None:
        value = str(reply.check_id)
        buttons = [_button(HELPFUL_LABEL, HELPFUL_ACTION, value), _button(WRONG_LABEL, WRONG_ACTION, value)]
        tail.append({"type": "actions", "block_id": "factbot_feedback", "elements": buttons})
    return tail


def _citation_blocks(reply: CheckReply, *, room: int) -> BlockList:
    citations = reply.supporting + reply.contradicting
    if not citations:
        return []
    room -= 2  # the divider, and the "more sources" line if it is needed
    shown = citations[: max(0, min(room, MAX_CITATIONS))]
    blocks: BlockList = [{"type": "divider"}]
    blocks += [_section(_citation_text(c)) for c in shown]
    if len(shown) < len(citations):
        blocks.append(_context(escape(more_sources_note(len(citations) - len(shown)))))
    return blocks


def _citation_text(citation: Citation) -> str:
    head = (
        f"*{RELATION_LABEL[citation.relation]}* · {link(citation.url, citation.outlet)} · "
        f"{citation_date(citation)} · fact #{citation.fact_id}"
    )
    reason = f"_Why:_ {fit(citation.reason, MAX_REASON)}"
    room = MAX_SECTION - len(head) - len(reason) - 2
    return f"{head}\n{_quote_line(citation.quote, room)}\n{reason}"[:MAX_SECTION]


def _quote_line(quote: str, room: int) -> str:
    """The evidence as one mrkdwn block-quote line of at most `room` characters."""
    return ">" + fit(quote, max(room - 1, 0)).replace("\n", " ")


def _related_blocks(reply: CheckReply, *, room: int) -> BlockList:
    """Under a not-found verdict: the closest facts, labelled as no evidence either way."""
    related = shown_related(reply)[: max(0, room - 2)]  # room for the divider and the label
    if not related:
        return []
    label = _context(f"*{RELATED_LABEL}* · {RELATED_NOTE}")
    return [{"type": "divider"}, label, *(_section(_related_text(fact)) for fact in related)]


def _related_text(fact: RelatedFact) -> str:
    head = f"{link(fact.url, f'{fact.outlet}, {related_date(fact)}')} · fact #{fact.fact_id}"
    return f"{head}\n{_quote_line(fact.quote, MAX_SECTION - len(head) - 1)}"


def _related_fallback(reply: CheckReply) -> str:
    named = [f"{fact.outlet}, {related_date(fact)} (fact #{fact.fact_id})" for fact in shown_related(reply)]
    return f" {RELATED_LABEL}: {'; '.join(named)}." if named else ""


# -- the queue -------------------------------------------------------------------------------
def render_queue(items: list[QueueItem]) -> dict[str, Any]:
    """Open queued questions for a moderator, the most asked first, with how to answer one."""
    if not items:
        return notice("The queue is empty: every question asked has an answer.")
    shown = items[:MAX_QUEUE_SHOWN]
    head = f"*{len(items)} open question{'s' if len(items) != 1 else ''}* · {QUEUE_HOWTO}"
    blocks: BlockList = [_section(head)]
    blocks += [_section(_queue_line(item)) for item in shown]
    if len(items) > len(shown):
        blocks.append(_context(f"…and {len(items) - len(shown)} more: `factbot queue list`"))
    return {"text": _plain_text(blocks[0]).split(" · ")[0].strip("*"), "blocks": blocks}


def _queue_line(item: QueueItem) -> str:
    why = QUEUE_REASON_LABEL[item.reason]
    times = "once" if item.asked == 1 else f"{item.asked} times"
    return (f"*#{item.id}* · {why} · asked {times}, last {escape(item.last_asked)}\n"
            f">{fit(item.claim, MAX_QUEUE_CLAIM)}")  # fmt: skip


def render_answered(answer: Answer) -> dict[str, Any]:
    """What a moderator is told after answering: the verdict as the askers will see it."""
    item, places = answer.item, answer.followups
    where = (
        f"posting it in {places} place{'s' if places != 1 else ''} it was asked"
        if places
        else ("nobody to post it to (asked outside chat)")
    )
    head = _section(f"Answered queue item *#{item.id}* with fact #{item.fact_id}; {where}.")
    rendered = render_reply(answer.reply)
    return {
        "text": f"Answered queue item #{item.id}: {rendered['text']}",
        "blocks": [head, *rendered["blocks"]],
    }


def render_offers(fact_id: int, offers: list[Offer]) -> dict[str, Any]:
    """Open questions a moderator's new fact now answers, each with a one-click "Post answer"."""
    blocks: BlockList = [_section(f"Fact #{fact_id} answers {len(offers)} open question"
                                  f"{'s' if len(offers) != 1 else ''} in the queue:")]  # fmt: skip
    for offer in offers[:MAX_QUEUE_SHOWN]:
        style = VERDICT_STYLE[offer.verdict]
        section = _section(
            f"{_queue_line(offer.item)}\nwould be answered: {style.slack_emoji} *{style.label}*"
        )
        section["accessory"] = _button("Post answer", POST_ANSWER_ACTION, f"{offer.item.id}:{offer.fact_id}",
                                       style="primary")  # fmt: skip
        blocks.append(section)
    return {"text": _plain_text(blocks[0]), "blocks": blocks}


# -- facts -----------------------------------------------------------------------------------
def render_fact(fact: Fact, source: Source, *, moderator: bool) -> dict[str, Any]:
    """One fact with its source; moderators get Edit and Retire/Restore buttons."""
    title = f"Fact #{fact.id} · {fact.kind.value} · {fact.status.value}"
    details = [f"*{title}*", fit(fact.statement, 1000)]
    details += [f"*{name}:* {fit(value, 300)}" for name, value in _fact_details(fact)]
    where = f"{link(source.url, source.outlet)} · {source.published or 'undated'}"
    evidence = fit(fact.evidence, min(2500, MAX_SECTION - len(where) - 2)).replace("\n", " ")
    blocks: BlockList = [
        _section("\n".join(details)[:MAX_SECTION]),
        _section(f"{where}\n>{evidence}"),
        _context(f"added by {escape(fact.added_by or 'unknown')} at {escape(fact.added_at or '?')}"),
    ]
    if moderator:
        blocks.append({"type": "actions", "block_id": "factbot_fact", "elements": _fact_buttons(fact)})
    return {"text": fit(f"{title}: {fact.statement}", MAX_SECTION), "blocks": blocks}


def _fact_details(fact: Fact) -> list[tuple[str, str]]:
    values = {
        "speaker": fact.speaker,
        "subject": fact.subject,
        "value": _number_range(fact),
        "date": fact.event_date.isoformat() if fact.event_date else None,
        "place": fact.place,
    }
    return [(name, value) for name, value in values.items() if value]


def _number_range(fact: Fact) -> str | None:
    if fact.value_low is None:
        return None
    value = number_text(fact.value_low)
    if fact.value_high is not None and fact.value_high != fact.value_low:
        value += f"–{number_text(fact.value_high)}"
    parts = [fact.qualifier, value, fact.unit]
    return " ".join(p for p in parts if p)


def number_text(value: float) -> str:
    """20.0 → "20", 2.5 → "2.5"."""
    return str(int(value)) if value.is_integer() else str(value)


def _fact_buttons(fact: Fact) -> BlockList:
    value = str(fact.id)
    if fact.status is FactStatus.RETIRED:
        return [_button("Edit", EDIT_ACTION, value), _button("Restore", RESTORE_ACTION, value)]
    retire = _button("Retire", RETIRE_ACTION, value, style="danger")
    retire["confirm"] = {
        "title": _plain("Retire this fact?", 100),
        "text": _plain("It stays in the store with its history but is never cited.", 300),
        "confirm": _plain("Retire", 30),
        "deny": _plain("Cancel", 30),
    }
    return [_button("Edit", EDIT_ACTION, value), retire]


def render_history(fact: Fact, changes: list[Change]) -> dict[str, Any]:
    """A fact's change log, newest last (the last MAX_HISTORY entries)."""
    lines = [f"*History of fact #{fact.id}*"]
    for change in changes[-MAX_HISTORY:]:
        note = f" — {fit(change.note, 200)}" if change.note else ""
        lines.append(f"• {escape(change.at)} {change.action.value} by {escape(change.actor)}{note}")
    text = "\n".join(lines)
    return {"text": fit(f"History of fact #{fact.id}", 200), "blocks": [_section(text[:MAX_SECTION])]}


# -- small pieces ----------------------------------------------------------------------------
def notice(text: str) -> dict[str, Any]:
    """A one-section message whose text is ours (already safe mrkdwn)."""
    return {"text": text, "blocks": [_section(text)]}


def _plain_text(section: dict[str, Any]) -> str:
    """A section's text, for a message's notification fallback."""
    return str(section["text"]["text"])


def _section(mrkdwn: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn}}


def _context(mrkdwn: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": mrkdwn}]}


def _plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": text[:limit], "emoji": True}


def _button(label: str, action_id: str, value: str, *, style: str = "") -> dict[str, Any]:
    button = {"type": "button", "text": _plain(label, 75), "action_id": action_id, "value": value[:2000]}
    if style:
        button["style"] = style
    return button
