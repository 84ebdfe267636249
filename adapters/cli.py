"""`factbot`: the command-line adapter. Every command is a thin call into `bot.Factbot`.

Exit codes: 0 success (whatever the verdict), 1 refused input (empty or huge claim, invalid
moderator fields or import lines, unknown fact, change or source, a missing seed folder, an undo
not confirmed), 2 usage error, 3 the database cannot be opened or is busy (another process kept
its write lock past the wait: try again), 4 an unexpected internal error (logged with its
traceback; the message is a fixed apology) — never the answer to bad input. Every line printed
goes through `echo`, so text from the store cannot drive the terminal.
"""

from __future__ import annotations

import enum
import functools
import json
import logging
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from adapters.related import RELATED_LABEL, RELATED_NOTE, related_date, shown_related
from adapters.settings import SettingsError, check_log_days, default_db_path
from bot.evaluation import eval_table, evaluate, labeled_claims, several_summaries
from bot.reply import CheckReply
from bot.service import Factbot, UndoPlan
from facts.errors import FactbotError, StoreUnavailable
from facts.importer import FactImport
from facts.jsonl import Unreadable, numbered_values, text_lines
from facts.model import ChangeAction, FactStatus
from facts.newsroom import Asked, QueueStatus
from facts.seeds import DEFAULT_SEEDS_DIR

__all__ = ["main"]

log = logging.getLogger("factbot.cli")
F = TypeVar("F", bound=Callable[..., Any])
APOLOGY = "Sorry, something went wrong inside Factbot. The error has been logged."


# Control characters (C0, DEL, C1: ESC and CSI start terminal sequences), bidi overrides and lone
# surrogates (undecodable bytes of an argument) in text from the store or the user.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def terminal_safe(text: str) -> str:
    r"""`text` with every character that could drive a terminal written as a \uXXXX escape — in
    JSON output the same string, in plain text visible: "a\x1b[2Jb" -> "a\u001b[2Jb"."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def echo(text: str, *, err: bool = False) -> None:
    """Every line the CLI prints goes through here: text from the store cannot drive the terminal."""
    click.echo(terminal_safe(text), err=err)


def translate_errors(command: F) -> F:
    """Core errors become one line and an exit code; anything else a logged apology."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _refuse_undecodable(kwargs)
        try:
            return command(*args, **kwargs)
        except StoreUnavailable as error:
            echo(f"error: {error}", err=True)
            sys.exit(3)
        except FactbotError as error:
            echo(f"error: {error}", err=True)
            sys.exit(1)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except Exception:
            log.exception("unexpected error in %s", command.__name__)
            echo(APOLOGY, err=True)
            sys.exit(4)

    return wrapper  # type: ignore[return-value]


def _refuse_undecodable(options: dict[str, Any]) -> None:
    """An argument holding bytes that are not UTF-8 (Python keeps them as lone surrogates) is a
    usage error: no store, file or terminal can take it."""
    for name, value in options.items():
        if isinstance(value, str) and _SURROGATE.search(value):
            raise click.BadParameter("not UTF-8 text (undecodable bytes)", param_hint=f"'{name}'")


_SURROGATE = re.compile("[\ud800-\udfff]")


class FactNumber(click.ParamType):
    """A fact or change number: ASCII digits, "#12" too (int() would also take "١٢" or "1_2")."""

    name = "number"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        digits = str(value).strip().removeprefix("#")
        if not re.fullmatch("[0-9]{1,30}", digits):
            shown = value if len(str(value)) <= 20 else f"{str(value)[:20]}…"
            self.fail(f"{shown!r} is not a number such as 12", param, ctx)
        return int(digits)


NUMBER = FactNumber()


class Context:
    """Opens the store lazily, once, from --db."""

    def __init__(self, db: Path, seeds: Path):
        self.db_path, self.seeds = db, seeds
        self._bot: Factbot | None = None

    @property
    def bot(self) -> Factbot:
        if self._bot is None:
            self._bot = Factbot.open(self.db_path, seeds_dir=self.seeds)
        return self._bot

    def close(self) -> None:
        if self._bot is not None:
            self._bot.close()
            self._bot = None


pass_context = click.make_pass_decorator(Context)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    type=click.Path(path_type=Path),
    envvar="FACTBOT_DB",
    default=None,
    help="SQLite fact database (env FACTBOT_DB; default ~/.local/share/factbot/factbot.db).",
)
@click.option("--seeds", type=click.Path(path_type=Path, file_okay=False), default=DEFAULT_SEEDS_DIR,
              show_default="the seed articles shipped with factbot",
              help="Seed folder the store builds itself from when empty.")  # fmt: skip
@click.version_option(package_name="factbot", message="factbot %(version)s")
@click.pass_context
def main(ctx: click.Context, db: Path | None, seeds: Path) -> None:
    """Factbot: check claims against a curated fact store.

    Example: factbot check "Rebels took 32 villages on the first day"
    """
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    ctx.obj = Context(db or default_db_path(), seeds)
    ctx.call_on_close(ctx.obj.close)


# -- checking ------------------------------------------------------------------------------
@main.command()
@click.argument("claim", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--batch", type=click.File("rb"), default=None,
              help="Check one claim per line of FILE ('-' for stdin); prints JSON lines.")  # fmt: skip
@pass_context
@translate_errors
def check(obj: Context, claim: str | None, as_json: bool, batch: Any) -> None:
    """Check a claim and print the verdict with its sources.

    Example: factbot check --json "Government forces retook Aleppo in 2018"
    """
    if batch is not None:
        for _, line in text_lines(batch):
            echo(json.dumps(_check_line(obj.bot, line), ensure_ascii=False))
        return
    if claim is None:
        raise click.UsageError("give a CLAIM to check, or --batch FILE")
    reply = obj.bot.check(claim, asked=Asked("cli", asker="cli"))
    echo(json.dumps(reply.to_json(), ensure_ascii=False) if as_json else render_text(reply))


def _check_line(bot: Factbot, line: str | Unreadable) -> dict[str, Any]:
    if isinstance(line, Unreadable):
        return {"claim": None, "error": line.why}
    try:
        return bot.check(line).to_json()
    except FactbotError as error:
        return {"claim": line, "error": str(error)}


def render_text(reply: CheckReply) -> str:
    """A reply for a terminal."""
    lines = [f"{reply.verdict.value.upper()}: {reply.summary}", f"claim: {reply.understood}"]
    for c in reply.citations:
        when = c.published.isoformat() if c.published else "undated"
        lines += [
            f"  [{c.relation.value}] {c.outlet}, {when}{' (approx.)' if c.published_approximate else ''}"
            f" — fact #{c.fact_id}",
            f"    “{c.quote}”",
            f"    why: {c.reason}",
            f"    {c.url}",
        ]
    return "\n".join(lines + _related_lines(reply))


def _related_lines(reply: CheckReply) -> list[str]:
    related = shown_related(reply)
    lines = [f"{RELATED_LABEL.lower()}: {RELATED_NOTE}"] if related else []
    for r in related:
        lines += [f"  {r.outlet}, {related_date(r)} — fact #{r.fact_id}", f"    “{r.quote}”", f"    {r.url}"]
    return lines


@main.command(name="eval")
@click.argument("paths", nargs=-1, required=True, type=click.File("rb"))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--misses", is_flag=True, help="Also list the claims answered wrongly.")
@pass_context
@translate_errors
def eval_command(obj: Context, paths: tuple[Any, ...], as_json: bool, misses: bool) -> None:
    """Score the checker on labeled claims (JSONL with claim, label, sources).

    Given several files, prints one table: a row per file and an all-claims row (--json: each
    file's report under "sets", the all-claims one under "all").

    Example: factbot eval eval/dev_claims.jsonl   (or: factbot eval eval/*.jsonl)
    """
    reports = [(p.name, evaluate(obj.bot, labeled_claims(numbered_values(p), name=p.name))) for p in paths]
    if len(reports) > 1:
        echo(json.dumps(several_summaries(reports), indent=2) if as_json else eval_table(reports))
        if misses and not as_json:
            for name, report in reports:
                echo("\n".join(["", f"misses in {name}:", *_miss_lines(report.summary())]))
        return
    summary = reports[0][1].summary()
    if as_json:
        echo(json.dumps(summary, indent=2))
        return
    echo(render_eval(summary, show_misses=misses))


def render_eval(summary: dict[str, Any], *, show_misses: bool = False) -> str:
    labels = list(summary["per_verdict"])
    lines = [
        f"claims: {summary['claims']}",
        f"accuracy: {summary['accuracy']:.3f}",
        f"macro-F1: {summary['macro_f1']:.3f}",
        f"false-support rate: {summary['false_support_rate']:.3f}",
        f"evidence-source recall: {summary['evidence_source_recall']:.3f}",
        "",
        f"{'verdict':<14}{'precision':>10}{'recall':>8}{'F1':>7}{'n':>5}",
    ]
    for label, s in summary["per_verdict"].items():
        lines.append(f"{label:<14}{s['precision']:>10.3f}{s['recall']:>8.3f}{s['f1']:>7.3f}{s['support']:>5}")
    lines += [
        "",
        "confusion (rows gold, columns predicted):",
        " " * 14 + "".join(f"{x[:12]:>13}" for x in labels),
    ]
    for gold in labels:
        row = summary["confusion"][gold]
        lines.append(f"{gold:<14}" + "".join(f"{row[p]:>13}" for p in labels))
    if show_misses:
        lines += ["", *_miss_lines(summary)]
    return "\n".join(lines)


def _miss_lines(summary: dict[str, Any]) -> list[str]:
    return [f"{m['id']}: gold {m['gold']}, got {m['predicted']} — {m['claim']}" for m in summary["misses"]]


@main.command()
@pass_context
@translate_errors
def build(obj: Context) -> None:
    """Build or refresh the store from the seed folder (moderators' facts are never touched).

    Example: factbot build
    """
    report = obj.bot.rebuild(obj.seeds)
    echo(
        f"built {obj.db_path}: {report.added} added, {report.updated} updated, {report.retired} retired, "
        f"{report.kept_for_people} kept as people edited them; {report.total_active} active facts"
    )


# -- facts ---------------------------------------------------------------------------------
@main.group()
def facts() -> None:
    """Add, edit, retire, restore, show, list, import and export facts."""


_FIELD_OPTIONS = (
    ("--kind", "fact kind: quote, number, date, place or event"),
    ("--evidence", "verbatim evidence sentence from the source"),
    ("--speaker", "who said it (quotes)"),
    ("--quote", "the exact words (quotes)"),
    ("--subject", "what is counted or what happened"),
    ("--value-low", "number value, or the low end of a range"),
    ("--value-high", "high end of a range"),
    ("--unit", "unit of the number"),
    ("--qualifier", "e.g. 'at least', 'approximately', 'dozens'"),
    ("--event-date", "YYYY-MM-DD"),
    ("--place", "canonical place name"),
)


def field_options(command: F) -> F:
    for flag, text in reversed(_FIELD_OPTIONS):
        command = click.option(flag, default=None, help=text)(command)
    return command


def _fields(options: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in options.items() if v is not None}


@facts.command("add")
@click.option("--text", "statement", required=True, help="The fact in one short sentence.")
@click.option("--source", "source_id", required=True, help="Source id (see `factbot sources list`).")
@click.option("--by", "actor", default="cli", show_default=True, help="Who is adding it.")
@field_options
@pass_context
@translate_errors
def facts_add(obj: Context, actor: str, **options: Any) -> None:
    """Add a fact.

    Example: factbot facts add --text "Rebels seized Saraqeb" --source ap --kind place --place Saraqeb
    """
    fact = obj.bot.add_fact(_fields(options), actor=actor)
    echo(f"added fact #{fact.id}")
    _echo_offers(obj.bot, [fact.id])


@facts.command("edit")
@click.argument("fact_id", type=NUMBER)
@click.option("--text", "statement", default=None, help="New statement.")
@click.option("--source", "source_id", default=None, help="New source id.")
@click.option("--by", "actor", default="cli", show_default=True, help="Who is editing.")
@click.option("--note", default="", help="Why.")
@field_options
@pass_context
@translate_errors
def facts_edit(obj: Context, fact_id: int, actor: str, note: str, **options: Any) -> None:
    """Change fields of a fact (recorded in its history).

    Example: factbot facts edit 12 --text "At least 15 soldiers were killed"
    """
    before = obj.bot.get_fact(fact_id)
    fact = obj.bot.edit_fact(fact_id, _fields(options), actor=actor, note=note)
    if fact == before:
        echo(f"fact #{fact_id} already says that: nothing changed")
        return
    echo(f"edited fact #{fact.id}")
    _echo_offers(obj.bot, [fact.id])


@facts.command("retire")
@click.argument("fact_id", type=NUMBER)
@click.option("--by", "actor", default="cli", show_default=True, help="Who is retiring it.")
@click.option("--note", default="", help="Why.")
@pass_context
@translate_errors
def facts_retire(obj: Context, fact_id: int, actor: str, note: str) -> None:
    """Retire a fact: kept with its history, never cited.

    Example: factbot facts retire 12 --note "outlet corrected the story"
    """
    before = obj.bot.get_fact(fact_id)
    fact = obj.bot.retire_fact(fact_id, actor=actor, note=note)
    echo(f"retired fact #{fact_id}" if fact != before else f"fact #{fact_id} is already retired")


@facts.command("restore")
@click.argument("fact_id", type=NUMBER)
@click.option("--by", "actor", default="cli", show_default=True, help="Who is restoring it.")
@pass_context
@translate_errors
def facts_restore(obj: Context, fact_id: int, actor: str) -> None:
    """Bring a retired fact back.

    Example: factbot facts restore 12
    """
    before = obj.bot.get_fact(fact_id)
    fact = obj.bot.restore_fact(fact_id, actor=actor)
    if fact == before:
        echo(f"fact #{fact_id} is already active")
        return
    echo(f"restored fact #{fact_id}")
    _echo_offers(obj.bot, [fact_id])


@facts.command("undo")
@click.argument("change_id", type=NUMBER)
@click.option("--by", "actor", default="cli", show_default=True, help="Who is undoing.")
@click.option("--yes", "-y", is_flag=True, help="Undo without asking.")
@pass_context
@translate_errors
def facts_undo(obj: Context, change_id: int, actor: str, yes: bool) -> None:
    """Undo one change from a fact's history: shows what it puts back and asks first.

    CHANGE_ID is a change number from `facts history`, not a fact number. The undo is itself
    recorded. Without --yes it asks for confirmation (and does nothing if not confirmed).

    Example: factbot facts undo 57
    """
    plan = obj.bot.undo_plan(change_id)
    echo("\n".join(_undo_lines(plan)))
    if not plan.restored:
        echo("nothing to undo: the fact already is as it was before that change")
        return
    if not yes and not click.confirm("undo it?", default=False, err=True):
        echo("nothing changed", err=True)
        sys.exit(1)
    fact = obj.bot.undo(change_id, actor=actor)
    echo(f"undid change {change_id} on fact #{fact.id}")


def _undo_lines(plan: UndoPlan) -> list[str]:
    change, fact = plan.change, plan.fact
    lines = [
        f"change {change.id}: {change.action.value} of fact #{fact.id} by {change.actor} at {change.at}",
        f"  fact #{fact.id} ({fact.status.value}): {_shortened(fact.statement)}",
    ]
    if plan.action is ChangeAction.RETIRE and plan.restored == {"status": FactStatus.RETIRED}:
        return [*lines, f"undoing it retires fact #{fact.id}"]
    return lines + [
        f"  {name}: {_value(getattr(fact, name))} -> {_value(value)}" for name, value in plan.restored.items()
    ]


def _value(value: Any) -> str:
    return repr(
        value.value if isinstance(value, enum.Enum) else str(value) if isinstance(value, date) else value
    )


def _shortened(text: str, limit: int = 100) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@facts.command("show")
@click.argument("fact_id", type=NUMBER)
@pass_context
@translate_errors
def facts_show(obj: Context, fact_id: int) -> None:
    """Show one fact as JSON.

    Example: factbot facts show 12
    """
    echo(json.dumps(obj.bot.get_fact(fact_id).to_record(), indent=2, ensure_ascii=False))


@facts.command("list")
@click.option("--status", type=click.Choice([s.value for s in FactStatus]), default=None)
@click.option("--source", "source_id", default=None, help="Only this source's facts.")
@click.option("--limit", type=click.IntRange(min=0, max=2**62, clamp=True), default=0,
              help="At most this many (0: all).")  # fmt: skip
@pass_context
@translate_errors
def facts_list(obj: Context, status: str | None, source_id: str | None, limit: int) -> None:
    """List facts, one line each.

    Example: factbot facts list --source ap --limit 20
    """
    chosen = FactStatus(status) if status else None
    for fact in obj.bot.list_facts(status=chosen, source_id=source_id, limit=limit):
        echo(f"#{fact.id}\t{fact.status.value}\t{fact.kind.value}\t{fact.source_id}\t{fact.statement[:100]}")


@facts.command("history")
@click.argument("fact_id", type=NUMBER)
@pass_context
@translate_errors
def facts_history(obj: Context, fact_id: int) -> None:
    """Every change to a fact: who, when, what.

    Example: factbot facts history 12
    """
    for change in obj.bot.history(fact_id):
        changed = _changed_fields(change.before, change.after)
        echo(
            "\t".join(
                (f"change {change.id}", change.at, change.action.value, change.actor, changed, change.note)
            )
        )


def _changed_fields(before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    if before is None or after is None:
        return ""
    return ", ".join(f"{k}: {before[k]!r} -> {after[k]!r}" for k in after if before.get(k) != after[k])


@facts.command("import")
@click.argument("path", type=click.File("rb"))
@click.option("--by", "actor", default="cli-import", show_default=True, help="Who is importing.")
@pass_context
@translate_errors
def facts_import(obj: Context, path: Any, actor: str) -> None:
    """Import facts from UTF-8 JSONL ('-' for stdin): all or nothing.

    One fact object per line, as `facts export` writes them; the minimal one is
    {"text": "...", "source": "<source id>"}. An `id` must be a fact number from an export: leave
    it out and the fact is numbered on import. A record whose id the store holds is not written
    but counted, as unchanged or as differing from the stored fact. Every bad line is named with
    its field, and nothing is written unless every line is good.

    Example: factbot facts import new-facts.jsonl   (minimal record: {"text": "...", "source": "ap"})
    """
    before = obj.bot.last_change_id()
    if not sys.stderr.isatty():
        report = obj.bot.import_fact_lines(numbered_values(path), actor=actor)
    else:
        with click.progressbar(length=_size_of(path), label="importing", file=sys.stderr) as bar:
            report = obj.bot.import_fact_lines(numbered_values(_counted(path, bar.update)), actor=actor)
    echo(f"imported {report.imported} facts{_present(report)}")
    if report.imported:
        _echo_offers(obj.bot, obj.bot.facts_added_since(before))


def _present(report: FactImport) -> str:
    """ " (3 already present: 2 unchanged, 1 with other fields, kept as stored)", or ""."""
    present = report.unchanged + report.differing
    if not present:
        return ""
    if not report.differing:
        return f" ({present} already present, unchanged)"
    return (
        f" ({present} already present: {report.unchanged} unchanged, "
        f"{report.differing} with other fields, kept as stored)"
    )


def _size_of(handle: Any) -> int | None:
    """Bytes in the file behind `handle`, or None for a pipe."""
    try:
        return os.fstat(handle.fileno()).st_size or None
    except (OSError, AttributeError, ValueError):
        return None


def _counted(lines: Iterable[bytes], advanced: Callable[[int], Any]) -> Iterator[bytes]:
    """The lines, telling `advanced` how many bytes each took."""
    for line in lines:
        advanced(len(line))
        yield line


@facts.command("export")
@click.argument("path", type=click.File("w", encoding="utf-8"), default="-")
@pass_context
@translate_errors
def facts_export(obj: Context, path: Any) -> None:
    """Export every fact (retired too) as JSONL; `facts import` reads it back exactly.

    Example: factbot facts export facts.jsonl
    """
    for fact in obj.bot.list_facts():
        # terminal_safe writes control characters as \u escapes: in JSON the very same string.
        path.write(terminal_safe(json.dumps(fact.to_record(), ensure_ascii=False, sort_keys=True)) + "\n")


@facts.command("analyse")
@click.option(
    "--workers", type=click.IntRange(min=1), default=os.cpu_count() or 1, show_default="CPU count",
    help="Processes reading facts.",
)  # fmt: skip
@pass_context
@translate_errors
def facts_analyse(obj: Context, workers: int) -> None:
    """Store the analysis of every active fact whose stored one is missing or stale (after an
    import, an alias or an upgrade), so checks load it instead of reading the fact again.

    Example: factbot facts analyse
    """
    echo(f"stored {obj.bot.store_analyses(workers=workers)} fact analyses")


# -- sources and aliases -------------------------------------------------------------------
@main.group()
def sources() -> None:
    """List, add and import sources."""


@sources.command("list")
@pass_context
@translate_errors
def sources_list(obj: Context) -> None:
    """List sources.

    Example: factbot sources list
    """
    for s in obj.bot.list_sources():
        echo(f"{s.id}\t{s.published}\t{s.outlet}\t{s.url}")


@sources.command("add")
@click.option("--id", "source_id", required=True, help="Short id, e.g. reuters-2024-11-30.")
@click.option("--outlet", required=True, help="The outlet's name.")
@click.option("--url", required=True, help="Link to the article.")
@click.option("--published", required=True, help="Publication date YYYY-MM-DD.")
@click.option("--title", default="", help="Headline.")
@click.option("--by", "actor", default="cli", show_default=True, help="Who is adding it.")
@pass_context
@translate_errors
def sources_add(obj: Context, source_id: str, actor: str, **fields: Any) -> None:
    """Add a source.

    Example: factbot sources add --id r1 --outlet Reuters --url https://reuters.com/x --published 2024-11-30
    """
    source = obj.bot.add_source({"id": source_id, **fields}, actor=actor)
    echo(f"added source {source.id}")


@sources.command("import")
@click.argument("path", type=click.File("rb"))
@pass_context
@translate_errors
def sources_import(obj: Context, path: Any) -> None:
    """Import sources from JSONL ('-' for stdin), UTF-8: all or nothing.

    One JSON object per line with the fields of `sources add`: id, outlet, url, published
    (YYYY-MM-DD) and optionally title. An id already in the store with the same fields is skipped
    and counted as already present; with other fields, or given twice in the file, it is refused.
    Every bad line is named with its field, and nothing is written unless every line is good.

    Example: factbot sources import sources.jsonl   (a line: {"id": "r1", "outlet": "Reuters",
    "url": "https://reuters.com/x", "published": "2024-11-30"})
    """
    report = obj.bot.import_sources(numbered_values(path), actor="cli-import")
    echo(f"imported {report.imported} sources ({report.present} already present)")


@main.group()
def aliases() -> None:
    """List and add aliases (spellings of one entity)."""


@aliases.command("add")
@click.argument("alias")
@click.argument("canonical")
@click.option("--by", "actor", default="cli", show_default=True, help="Who is adding it.")
@pass_context
@translate_errors
def aliases_add(obj: Context, alias: str, canonical: str, actor: str) -> None:
    """Teach a spelling: ALIAS is read as CANONICAL.

    Example: factbot aliases add "Sarakeb" "Saraqeb"
    """
    obj.bot.add_alias(alias, canonical, actor=actor)
    echo(f"{alias} -> {canonical}")


@aliases.command("list")
@pass_context
@translate_errors
def aliases_list(obj: Context) -> None:
    """List aliases.

    Example: factbot aliases list
    """
    for alias, canonical in obj.bot.list_aliases():
        echo(f"{alias}\t{canonical}")


# -- the newsroom loop: check log, queue, ClaimReview --------------------------------------
def _echo_offers(bot: Factbot, fact_ids: list[int]) -> None:
    """Open queue items the new facts now answer, each with the command that posts the answer."""
    for offer in bot.offers(fact_ids):
        item = offer.item
        echo(
            f"queue item #{item.id} (asked {item.asked}x) is now answered by fact #{offer.fact_id} "
            f"({offer.verdict.value}): {item.claim[:100]}\n  post the answer: "
            f"factbot queue answer {item.id} {offer.fact_id}"
        )


@main.group()
def checks() -> None:
    """The check log: every claim checked in chat or with `factbot check`."""


@checks.command("list")
@click.option("--limit", type=int, default=0, help="At most this many, oldest first (0: all).")
@pass_context
@translate_errors
def checks_list(obj: Context, limit: int) -> None:
    """List logged checks as JSON lines (id, claim, verdict, where, who, when, queue item).

    Example: factbot checks list --limit 20
    """
    for check in obj.bot.logged_checks(limit=limit):
        record = {"id": check.id, "claim": check.claim, "understood": check.understood,
                  "verdict": check.verdict, "fact_ids": list(check.fact_ids), **vars(check.asked),
                  "at": check.at, "queue_id": check.queue_id}  # fmt: skip
        echo(json.dumps(record, ensure_ascii=False))


@checks.command("purge")
@click.option("--days", type=click.IntRange(min=1), default=None,
              help="Keep this many days (default FACTBOT_CHECK_LOG_DAYS, else 90).")  # fmt: skip
@pass_context
@translate_errors
def checks_purge(obj: Context, days: int | None) -> None:
    """Delete logged checks older than the retention period (facts and history are untouched).

    Checks an open queue item or an unposted answer still needs are kept until they are done.

    Example: factbot checks purge --days 30
    """
    try:
        keep = days if days is not None else check_log_days()
    except SettingsError as error:
        raise click.UsageError(str(error)) from None
    echo(f"purged {obj.bot.purge_checks(days=keep)} checks older than {keep} days")


@main.group()
def queue() -> None:
    """Questions the store could not answer (not_found) or people disputed (feedback)."""


_STATUS_CHOICE = click.Choice([*(s.value for s in QueueStatus), "all"])


@queue.command("list")
@click.option("--status", type=_STATUS_CHOICE, default="open", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@pass_context
@translate_errors
def queue_list(obj: Context, status: str, as_json: bool) -> None:
    """List queued questions, the most asked first.

    JSON fields: id, claim, understood, reason, status, asked, first_asked, last_asked, fact_id,
    verdict, closed_by, closed_at, note.

    Example: factbot queue list --json
    """
    for item in obj.bot.queue(status=None if status == "all" else QueueStatus(status)):
        if as_json:
            echo(json.dumps(item.to_json(), ensure_ascii=False))
        else:
            echo(f"#{item.id}\t{item.status.value}\t{item.reason.value}\tasked {item.asked}x\t"
                       f"{item.last_asked}\t{item.claim[:100]}")  # fmt: skip


@queue.command("answer")
@click.argument("queue_id", type=int)
@click.argument("fact_id", type=int)
@click.option("--by", "actor", default="cli", show_default=True, help="Who is answering.")
@pass_context
@translate_errors
def queue_answer(obj: Context, queue_id: int, fact_id: int, actor: str) -> None:
    """Answer a queued question with a fact: it is re-checked with that fact (judged like any
    other), the item closes, and the running Slack and Discord bots post the verdict wherever it
    was asked. Refused, with the item left open, if the fact does not bear on the question.

    Example: factbot queue answer 3 157
    """
    answer = obj.bot.answer_queue_item(queue_id, fact_id, actor=actor)
    reply = answer.reply
    echo(f"answered queue item #{queue_id}: {reply.verdict.value.upper()}: {reply.summary}")
    echo(f"{answer.followups} follow-up(s) queued: the running bots post them where it was asked")


@queue.command("dismiss")
@click.argument("queue_id", type=int)
@click.option("--note", default="", help="Why.")
@click.option("--by", "actor", default="cli", show_default=True, help="Who is dismissing it.")
@pass_context
@translate_errors
def queue_dismiss(obj: Context, queue_id: int, note: str, actor: str) -> None:
    """Close a queued question without an answer (nothing is posted or learned).

    Example: factbot queue dismiss 3 --note "opinion, not a checkable claim"
    """
    obj.bot.dismiss_queue_item(queue_id, actor=actor, note=note)
    echo(f"dismissed queue item #{queue_id}")


@main.group()
def export() -> None:
    """Publish the newsroom's reviews in standard formats."""


@export.command("claimreview")
@click.argument("path", type=click.File("w", encoding="utf-8"), default="-")
@click.option("--base-url", envvar="FACTBOT_PUBLIC_URL", default=None,
              help="Where the reviews are published (env FACTBOT_PUBLIC_URL).")  # fmt: skip
@click.option("--org-name", envvar="FACTBOT_ORG_NAME", default=None,
              help="The newsroom publishing them, each review's author (env FACTBOT_ORG_NAME).")  # fmt: skip
@pass_context
@translate_errors
def export_claimreview(obj: Context, path: Any, base_url: str | None, org_name: str | None) -> None:
    """Write schema.org ClaimReview JSON-LD (a JSON array) for every answered queue item and every
    verdict a moderator confirmed (👍); each review's url is under --base-url.

    Example: factbot export claimreview --base-url https://news.example/fc --org-name "Example News" out.json
    """
    if not base_url or not base_url.startswith(("https://", "http://")):
        raise click.UsageError(
            "give --base-url https://your.site/path (or set FACTBOT_PUBLIC_URL): every review's url must be "
            "a page on the site that publishes it"
        )
    if not org_name or not org_name.strip():
        raise click.UsageError(
            "give --org-name (or set FACTBOT_ORG_NAME) to your newsroom's name: it is each review's author"
        )
    reviews = obj.bot.claim_reviews(base_url=base_url, org_name=org_name.strip())
    path.write(json.dumps(reviews, indent=2, ensure_ascii=False) + "\n")
    if path.name != "<stdout>":
        echo(f"wrote {len(reviews)} ClaimReview records to {path.name}")


# -- servers and benchmark (their adapters live in their own modules) ----------------------
@main.group()
def serve() -> None:
    """Run the bot on a chat platform."""


@serve.command("slack")
@click.option("--http", "http_mode", is_flag=True, help="HTTP mode (gunicorn) instead of Socket Mode.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="HTTP mode: address to listen on (0.0.0.0: every interface, behind a proxy).")  # fmt: skip
@click.option(
    "--port", type=click.IntRange(0, 65535), default=3000, show_default=True, help="HTTP mode port."
)
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="HTTP mode: worker processes; they share state through the store.")  # fmt: skip
@pass_context
@translate_errors
def serve_slack(obj: Context, http_mode: bool, host: str, port: int, workers: int) -> None:
    """Run the Slack bot (Socket Mode when SLACK_APP_TOKEN is set; --http for HTTP mode).

    Example: factbot serve slack --http --host 0.0.0.0 --port 3000 --workers 2
    """
    from adapters.slack import serve as serve_slack_app

    serve_slack_app(http_mode=http_mode, host=host, port=port, db_path=obj.db_path, workers=workers)


@serve.command("discord")
@pass_context
@translate_errors
def serve_discord(obj: Context) -> None:
    """Run the Discord bot.

    Example: DISCORD_TOKEN=... factbot serve discord
    """
    from adapters.discord import serve as serve_discord_app

    serve_discord_app(db_path=obj.db_path)


@main.command()
@click.option("--sizes", default="1000,10000,100000,1000000", show_default=True,
              help="Comma-separated store sizes.")  # fmt: skip
@click.option("--claims", type=click.IntRange(1, 1_000_000), default=200, show_default=True,
              help="Claims per size.")  # fmt: skip
@click.option("--workdir", type=click.Path(path_type=Path), default=Path("bench-out"), show_default=True)
@translate_errors
def bench(sizes: str, claims: int, workdir: Path) -> None:
    """Benchmark the checker against a full-scan rapidfuzz baseline; prints the figures.

    Example: factbot bench --sizes 1000,10000 --claims 200
    """
    from bench.run import run

    run(sizes=_sizes(sizes), claims=claims, workdir=workdir)


def _sizes(text: str) -> list[int]:
    """ "1000,10000" -> [1000, 10000]; anything but positive whole numbers is a usage error."""
    parts = [part.strip() for part in text.split(",")]
    if not all(re.fullmatch("[0-9]{1,9}", part) and int(part) > 0 for part in parts):
        raise click.BadParameter(f"{text[:40]!r}: give store sizes as whole numbers, e.g. 1000,10000",
                                 param_hint="'--sizes'")  # fmt: skip
    return [int(part) for part in parts]
