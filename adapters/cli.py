"""`factbot`: the command-line adapter. Every command is a thin call into `bot.Factbot`.

Exit codes: 0 success (whatever the verdict), 1 refused input (empty or huge claim, invalid
moderator fields, unknown fact or source), 2 usage error, 3 the database cannot be opened,
4 an unexpected internal error (logged with its traceback; the message is a fixed apology).
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

from adapters.related import RELATED_LABEL, RELATED_NOTE, related_date, shown_related
from adapters.settings import default_db_path
from bot.evaluation import eval_table, evaluate, labeled_claims, several_summaries
from bot.reply import CheckReply
from bot.service import Factbot
from facts.errors import FactbotError, StoreUnavailable
from facts.jsonl import numbered_values
from facts.model import FactStatus
from facts.seeds import DEFAULT_SEEDS_DIR

__all__ = ["main"]

log = logging.getLogger("factbot.cli")
F = TypeVar("F", bound=Callable[..., Any])
APOLOGY = "Sorry, something went wrong inside Factbot. The error has been logged."


def translate_errors(command: F) -> F:
    """Core errors become one line and an exit code; anything else a logged apology."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except StoreUnavailable as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(3)
        except FactbotError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(1)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except Exception:
            log.exception("unexpected error in %s", command.__name__)
            click.echo(APOLOGY, err=True)
            sys.exit(4)

    return wrapper  # type: ignore[return-value]


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
@click.option("--batch", type=click.File("r", encoding="utf-8"), default=None,
              help="Check one claim per line of FILE ('-' for stdin); prints JSON lines.")  # fmt: skip
@pass_context
@translate_errors
def check(obj: Context, claim: str | None, as_json: bool, batch: Any) -> None:
    """Check a claim and print the verdict with its sources.

    Example: factbot check --json "Government forces retook Aleppo in 2018"
    """
    if batch is not None:
        for line in batch:
            click.echo(json.dumps(_check_line(obj.bot, line.rstrip("\n")), ensure_ascii=False))
        return
    if claim is None:
        raise click.UsageError("give a CLAIM to check, or --batch FILE")
    reply = obj.bot.check(claim)
    click.echo(json.dumps(reply.to_json(), ensure_ascii=False) if as_json else render_text(reply))


def _check_line(bot: Factbot, line: str) -> dict[str, Any]:
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
        click.echo(json.dumps(several_summaries(reports), indent=2) if as_json else eval_table(reports))
        if misses and not as_json:
            for name, report in reports:
                click.echo("\n".join(["", f"misses in {name}:", *_miss_lines(report.summary())]))
        return
    summary = reports[0][1].summary()
    if as_json:
        click.echo(json.dumps(summary, indent=2))
        return
    click.echo(render_eval(summary, show_misses=misses))


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
    click.echo(
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
    click.echo(f"added fact #{fact.id}")


@facts.command("edit")
@click.argument("fact_id", type=int)
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
    fact = obj.bot.edit_fact(fact_id, _fields(options), actor=actor, note=note)
    click.echo(f"edited fact #{fact.id}")


@facts.command("retire")
@click.argument("fact_id", type=int)
@click.option("--by", "actor", default="cli", show_default=True, help="Who is retiring it.")
@click.option("--note", default="", help="Why.")
@pass_context
@translate_errors
def facts_retire(obj: Context, fact_id: int, actor: str, note: str) -> None:
    """Retire a fact: kept with its history, never cited.

    Example: factbot facts retire 12 --note "outlet corrected the story"
    """
    obj.bot.retire_fact(fact_id, actor=actor, note=note)
    click.echo(f"retired fact #{fact_id}")


@facts.command("restore")
@click.argument("fact_id", type=int)
@click.option("--by", "actor", default="cli", show_default=True, help="Who is restoring it.")
@pass_context
@translate_errors
def facts_restore(obj: Context, fact_id: int, actor: str) -> None:
    """Bring a retired fact back.

    Example: factbot facts restore 12
    """
    obj.bot.restore_fact(fact_id, actor=actor)
    click.echo(f"restored fact #{fact_id}")


@facts.command("undo")
@click.argument("change_id", type=int)
@click.option("--by", "actor", default="cli", show_default=True, help="Who is undoing.")
@pass_context
@translate_errors
def facts_undo(obj: Context, change_id: int, actor: str) -> None:
    """Undo one change from a fact's history (the undo is itself recorded).

    Example: factbot facts undo 57
    """
    fact = obj.bot.undo(change_id, actor=actor)
    click.echo(f"undid change {change_id} on fact #{fact.id}")


@facts.command("show")
@click.argument("fact_id", type=int)
@pass_context
@translate_errors
def facts_show(obj: Context, fact_id: int) -> None:
    """Show one fact as JSON.

    Example: factbot facts show 12
    """
    click.echo(json.dumps(obj.bot.get_fact(fact_id).to_record(), indent=2, ensure_ascii=False))


@facts.command("list")
@click.option("--status", type=click.Choice([s.value for s in FactStatus]), default=None)
@click.option("--source", "source_id", default=None, help="Only this source's facts.")
@click.option("--limit", type=int, default=0, help="At most this many (0: all).")
@pass_context
@translate_errors
def facts_list(obj: Context, status: str | None, source_id: str | None, limit: int) -> None:
    """List facts, one line each.

    Example: factbot facts list --source ap --limit 20
    """
    chosen = FactStatus(status) if status else None
    for fact in obj.bot.list_facts(status=chosen, source_id=source_id, limit=limit):
        click.echo(
            f"#{fact.id}\t{fact.status.value}\t{fact.kind.value}\t{fact.source_id}\t{fact.statement[:100]}"
        )


@facts.command("history")
@click.argument("fact_id", type=int)
@pass_context
@translate_errors
def facts_history(obj: Context, fact_id: int) -> None:
    """Every change to a fact: who, when, what.

    Example: factbot facts history 12
    """
    for change in obj.bot.history(fact_id):
        changed = _changed_fields(change.before, change.after)
        click.echo(
            "\t".join(
                (f"change {change.id}", change.at, change.action.value, change.actor, changed, change.note)
            )
        )


def _changed_fields(before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    if before is None or after is None:
        return ""
    return ", ".join(f"{k}: {before[k]!r} -> {after[k]!r}" for k in after if before.get(k) != after[k])


@facts.command("import")
@click.argument("path", type=click.File("r", encoding="utf-8"))
@click.option("--by", "actor", default="cli-import", show_default=True, help="Who is importing.")
@pass_context
@translate_errors
def facts_import(obj: Context, path: Any, actor: str) -> None:
    """Import facts from JSONL ('-' for stdin): all or nothing.

    Example: factbot facts import new-facts.jsonl   (minimal record: {"text": "...", "source": "ap"})
    """
    if not sys.stderr.isatty():
        count = obj.bot.import_facts(_json_lines(path), actor=actor)
    else:
        with click.progressbar(length=_size_of(path), label="importing", file=sys.stderr) as bar:
            count = obj.bot.import_facts(_json_lines(path, bar.update), actor=actor)
    click.echo(f"imported {count} facts")


def _size_of(handle: Any) -> int | None:
    """Bytes in the file behind `handle`, or None for a pipe."""
    try:
        return os.fstat(handle.fileno()).st_size or None
    except (OSError, AttributeError, ValueError):
        return None


def _json_lines(handle: Any, advanced: Callable[[int], Any] | None = None) -> Iterator[dict[str, Any]]:
    """Records of a JSONL stream, read lazily; `advanced` hears how many bytes each line took."""
    from facts.errors import ValidationError

    for number, line in enumerate(handle, start=1):
        if advanced is not None:
            advanced(len(line.encode("utf-8")))
        if line.strip():
            try:
                yield json.loads(line)
            except json.JSONDecodeError as error:
                raise ValidationError({f"line {number}": f"not JSON ({error.msg})"}) from None


@facts.command("export")
@click.argument("path", type=click.File("w", encoding="utf-8"), default="-")
@pass_context
@translate_errors
def facts_export(obj: Context, path: Any) -> None:
    """Export every fact (retired too) as JSONL; `facts import` reads it back exactly.

    Example: factbot facts export facts.jsonl
    """
    for fact in obj.bot.list_facts():
        path.write(json.dumps(fact.to_record(), ensure_ascii=False, sort_keys=True) + "\n")


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
    click.echo(f"stored {obj.bot.store_analyses(workers=workers)} fact analyses")


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
        click.echo(f"{s.id}\t{s.published}\t{s.outlet}\t{s.url}")


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
    click.echo(f"added source {source.id}")


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
    click.echo(f"imported {report.imported} sources ({report.present} already present)")


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
    click.echo(f"{alias} -> {canonical}")


@aliases.command("list")
@pass_context
@translate_errors
def aliases_list(obj: Context) -> None:
    """List aliases.

    Example: factbot aliases list
    """
    for alias, canonical in obj.bot.list_aliases():
        click.echo(f"{alias}\t{canonical}")


# -- servers and benchmark (their adapters live in their own modules) ----------------------
@main.group()
def serve() -> None:
    """Run the bot on a chat platform."""


@serve.command("slack")
@click.option("--http", "http_mode", is_flag=True, help="HTTP mode instead of Socket Mode.")
@click.option("--port", type=int, default=3000, show_default=True, help="HTTP mode port.")
@translate_errors
def serve_slack(http_mode: bool, port: int) -> None:
    """Run the Slack bot (Socket Mode when SLACK_APP_TOKEN is set).

    Example: factbot serve slack --http --port 3000
    """
    from adapters.slack import serve as serve_slack_app

    serve_slack_app(http_mode=http_mode, port=port)


@serve.command("discord")
@translate_errors
def serve_discord() -> None:
    """Run the Discord bot.

    Example: DISCORD_TOKEN=... factbot serve discord
    """
    from adapters.discord import SettingsError
    from adapters.discord import serve as serve_discord_app

    try:
        serve_discord_app()
    except SettingsError as error:
        raise click.ClickException(str(error)) from None


@main.command()
@click.option("--sizes", default="1000,10000,100000,1000000", show_default=True,
              help="Comma-separated store sizes.")  # fmt: skip
@click.option("--claims", type=int, default=200, show_default=True, help="Claims per size.")
@click.option("--workdir", type=click.Path(path_type=Path), default=Path("bench-out"), show_default=True)
@translate_errors
def bench(sizes: str, claims: int, workdir: Path) -> None:
    """Benchmark the checker against a full-scan rapidfuzz baseline; prints the figures.

    Example: factbot bench --sizes 1000,10000 --claims 200
    """
    from bench.run import run

    run(sizes=[int(s) for s in sizes.split(",")], claims=claims, workdir=workdir)
