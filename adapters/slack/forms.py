"""The moderator's fact form as a Slack modal: building it, reading a submission, placing errors.

Each input block's `block_id` is the core's field name (or `source_outlet`, `source_url`,
`source_date` for a new source), so the core's `ValidationError.fields` map straight back onto
the inputs Slack shows them under (`response_action: errors`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from adapters.slack.blocks import number_text
from facts.model import Fact, FactKind, Source

ADD_CALLBACK = "factbot_add_fact"
EDIT_CALLBACK = "factbot_edit_fact"
MAX_SOURCE_OPTIONS = 100  # Slack's limit for a static_select
MAX_INPUT = 3000  # Slack's limit for a plain_text_input's value (and so for its initial_value)
NEW_SOURCE_BLOCKS = ("source_outlet", "source_url", "source_date")
_KIND_HINTS = {
    FactKind.QUOTE: "Quote: somebody said these words (give the speaker)",
    FactKind.NUMBER: "Number: a count or amount (give the value)",
    FactKind.DATE: "Date: an event on a calendar date (give the date)",
    FactKind.PLACE: "Place: something happened at a place (give the place)",
    FactKind.EVENT: "Event: any other statement",
}
# Core error keys that are not block ids.
_ERROR_BLOCKS = {"source": "source_id", "id": "source_outlet", "outlet": "source_outlet",
                 "url": "source_url", "published": "source_date"}  # fmt: skip


@dataclass(frozen=True)
class Submission:
    """A submitted form, split into the fact's fields and (maybe) a new source's."""

    fact: dict[str, str]
    new_source: dict[str, str] | None


# -- building --------------------------------------------------------------------------------
def fact_form(
    sources: list[Source], *, callback_id: str, title: str, metadata: dict[str, Any],
    initial: dict[str, str] | None = None,
) -> dict[str, Any]:  # fmt: skip
    """The modal for adding (no `initial`) or editing (`initial` = current values) a fact."""
    initial = initial or {}
    blocks = [
        _text_input(
            "statement", "Statement", initial, multiline=True, hint="The fact in one short sentence."
        ),
        _kind_select(initial.get("kind", FactKind.EVENT.value)),
        _source_select(sources, initial.get("source_id"), optional=not initial),
    ]
    if not initial:
        blocks += _new_source_inputs()
    blocks += [
        _text_input(
            "evidence",
            "Evidence",
            initial,
            multiline=True,
            optional=True,
            hint="The source's sentence, verbatim. Leave empty to use the statement.",
        ),  # fmt: skip
        _header("For quotes, numbers, dates and places"),
        _text_input("speaker", "Speaker", initial, optional=True, hint="Who said it (quotes)."),
        _text_input("subject", "Subject", initial, optional=True, hint="What is counted or what happened."),
        _number_input("value_low", "Value (or low end of a range)", initial),
        _number_input("value_high", "High end of a range", initial),
        _text_input("unit", "Unit", initial, optional=True, hint="e.g. villages, people, km"),
        _text_input("qualifier", "Qualifier", initial, optional=True, hint="e.g. at least, about, dozens"),
        _date_input("event_date", "Date of the event", initial.get("event_date")),
        _text_input("place", "Place", initial, optional=True, hint="The place's usual name."),
    ]
    if initial:
        blocks.append(
            _text_input("note", "Note", {}, optional=True, hint="Why the change (kept in history).")
        )
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": _plain(title[:24]),
        "submit": _plain("Save"),
        "close": _plain("Cancel"),
        "private_metadata": json.dumps(metadata),
        "blocks": blocks,
    }


def _text_input(
    block_id: str, label: str, initial: dict[str, str], *, multiline: bool = False,
    optional: bool = False, hint: str = "",
) -> dict[str, Any]:  # fmt: skip
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": "value", "multiline": multiline}
    if initial.get(block_id):
        element["initial_value"] = initial[block_id]
    return _input(block_id, label, element, optional=optional, hint=hint)


def _number_input(block_id: str, label: str, initial: dict[str, str]) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "number_input", "action_id": "value", "is_decimal_allowed": True}
    if initial.get(block_id):
        element["initial_value"] = initial[block_id]
    return _input(block_id, label, element, optional=True, hint="Numbers only, e.g. 32 or 2.5.")


def _date_input(block_id: str, label: str, initial: str | None, *, optional: bool = True) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "datepicker", "action_id": "value"}
    if initial:
        element["initial_date"] = initial
    return _input(block_id, label, element, optional=optional)


def _kind_select(initial: str) -> dict[str, Any]:
    options = [_option(hint, kind.value) for kind, hint in _KIND_HINTS.items()]
    chosen = next(o for o in options if o["value"] == initial)
    element = {"type": "static_select", "action_id": "value", "options": options, "initial_option": chosen}
    return _input("kind", "Kind", element)


def _source_select(sources: list[Source], initial: str | None, *, optional: bool) -> dict[str, Any]:
    newest = sorted(sources, key=lambda s: (s.published or date.min, s.id), reverse=True)
    # The fact's own source is always offered, however old: the edit form requires a source.
    newest.sort(key=lambda s: s.id != initial)
    options = [_option(f"{s.outlet} · {s.published or 'undated'}", s.id) for s in newest]
    options = options[:MAX_SOURCE_OPTIONS]
    element: dict[str, Any] = {"type": "static_select", "action_id": "value", "options": options,
                               "placeholder": _plain("Pick a source")}  # fmt: skip
    chosen = [o for o in options if o["value"] == initial]
    if chosen:
        element["initial_option"] = chosen[0]
    hint = "Or describe a new source below." if optional else ""
    return _input("source_id", "Source", element, optional=optional, hint=hint)


def _new_source_inputs() -> list[dict[str, Any]]:
    url = {"type": "url_text_input", "action_id": "value"}
    return [
        _header("New source (if it is not in the list)"),
        _text_input("source_outlet", "Outlet", {}, optional=True, hint="e.g. Reuters"),
        _input("source_url", "Article URL", url, optional=True),
        _date_input("source_date", "Published on", None),
    ]


def _input(block_id: str, label: str, element: dict[str, Any], *, optional: bool = False,
           hint: str = "") -> dict[str, Any]:  # fmt: skip
    block = {"type": "input", "block_id": block_id, "label": _plain(label), "element": element,
             "optional": optional}  # fmt: skip
    if hint:
        block["hint"] = _plain(hint)
    return block


def _header(text: str) -> dict[str, Any]:
    return {"type": "header", "text": _plain(text)}


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": _plain(text[:75]), "value": value}


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


# -- reading ---------------------------------------------------------------------------------
def form_values(view: dict[str, Any]) -> dict[str, str]:
    """Each input's value by block id; empty inputs are left out."""
    values = {}
    for block_id, actions in view.get("state", {}).get("values", {}).items():
        value = _element_value(actions.get("value") or {})
        if value:
            values[block_id] = value
    return values


def _element_value(element: dict[str, Any]) -> str:
    option = element.get("selected_option") or {}
    raw = element.get("value") or element.get("selected_date") or option.get("value") or ""
    return str(raw).strip()


def read_submission(values: dict[str, str], taken_ids: set[str]) -> Submission:
    """The add form's values as core fields; a new source when outlet, URL or date was given."""
    fact = {k: v for k, v in values.items() if k not in NEW_SOURCE_BLOCKS and k != "note"}
    if "source_id" in fact or not any(k in values for k in NEW_SOURCE_BLOCKS):
        return Submission(fact=fact, new_source=None)
    outlet, published = values.get("source_outlet", ""), values.get("source_date", "")
    source = {
        "id": new_source_id(outlet, published, taken_ids),
        "outlet": outlet,
        "url": values.get("source_url", ""),
        "published": published,
    }
    return Submission(fact=fact, new_source=source)


def new_source_id(outlet: str, published: str, taken: set[str]) -> str:
    """A readable, unused id such as "reuters-2024-11-30" (or "" without an outlet)."""
    slug = "-".join(re.findall(r"[a-z0-9]+", outlet.lower()))[:40].strip("-")
    if not slug:
        return ""
    base = f"{slug}-{published}" if published else slug
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def initial_values(fact: Fact) -> dict[str, str]:
    """A fact's fields as the edit form shows them (so an unchanged input reads back the same).

    Texts longer than a Slack input holds (facts added from the CLI or Discord) are cut to it; an
    input left as it was reads back equal, so the fact keeps its full text.
    """
    values = {
        "statement": fact.statement,
        "kind": fact.kind.value,
        "source_id": fact.source_id,
        "evidence": fact.evidence,
        "speaker": fact.speaker,
        "subject": fact.subject,
        "value_low": number_text(fact.value_low) if fact.value_low is not None else None,
        "value_high": number_text(fact.value_high) if fact.value_high is not None else None,
        "unit": fact.unit,
        "qualifier": fact.qualifier,
        "event_date": fact.event_date.isoformat() if fact.event_date else None,
        "place": fact.place,
    }
    return {k: v[:MAX_INPUT] for k, v in values.items() if v}


def changed_fields(values: dict[str, str], initial: dict[str, str]) -> dict[str, str | None]:
    """The fields a moderator changed in the edit form; a cleared input becomes None."""
    names = (set(values) | set(initial)) - {"note"}
    return {name: values.get(name) for name in sorted(names) if values.get(name) != initial.get(name)}


def modal_errors(fields: dict[str, str], view: dict[str, Any]) -> dict[str, str]:
    """The core's per-field errors keyed by the form's block ids (one message per block)."""
    block_ids = [b["block_id"] for b in view.get("blocks", []) if b.get("type") == "input"]
    errors: dict[str, str] = {}
    for name, why in sorted(fields.items(), key=lambda item: item[0] == "id"):  # the outlet's own error first
        block = _ERROR_BLOCKS.get(name, name)
        if block not in block_ids:  # a field the form does not show: say so under the statement
            block, why = "statement", f"{name}: {why}"
        errors.setdefault(block, why[:150])
    return errors
