"""`factbot build`: the store from `seeds/` — sources, aliases, extracted and curated facts.

Deterministic and idempotent: a second build changes nothing. Seed-built facts carry a stable
`key`; a build adds new ones, updates changed ones, retires vanished ones, and never touches a
fact that a person has added or changed.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from facts.analysis import Analyzer
from facts.errors import InvalidSeeds, ValidationError
from facts.extract import Extractor
from facts.model import ChangeAction, Fact, FactKind, FactOrigin, FactStatus, Source
from facts.store import FactStore

__all__ = ["DEFAULT_SEEDS_DIR", "BuildReport", "build", "load_aliases", "load_sources"]

# The repository's seeds/, installed as the package `factbot_seeds` (see pyproject.toml): the same
# files in a checkout's editable install and in a wheel installed anywhere.
DEFAULT_SEEDS_DIR = Path(str(resources.files("factbot_seeds")))
BUILDER = "factbot-build"
_CURATED_FIELDS = ("statement", "speaker", "quote", "subject", "unit", "qualifier", "place")


@dataclass(frozen=True)
class BuildReport:
    """What a build changed."""

    added: int
    updated: int
    retired: int
    kept_for_people: int
    total_active: int


def load_sources(seeds_dir: Path) -> list[Source]:
    """The seed articles listed in `seeds_dir/sources.toml`; raises InvalidSeeds saying what is
    missing or unreadable."""
    if not seeds_dir.is_dir():
        raise InvalidSeeds(f"the seed folder {str(seeds_dir)!r} does not exist (see --seeds)")
    try:
        meta = tomllib.loads((seeds_dir / "sources.toml").read_text(encoding="utf-8"))
        return [_seed_source(seeds_dir, entry) for entry in meta["source"]]
    except FileNotFoundError as error:
        raise InvalidSeeds(f"the seed folder {str(seeds_dir)!r} has no {Path(error.filename).name}") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise InvalidSeeds(f"cannot read the seeds in {str(seeds_dir)!r}: {error}") from None
    except (KeyError, TypeError, ValueError) as error:
        raise InvalidSeeds(f"{seeds_dir / 'sources.toml'} is not a list of [[source]] entries "
                           f"with id, outlet, url, published and file ({error!r})") from None  # fmt: skip


def _seed_source(seeds_dir: Path, entry: dict[str, Any]) -> Source:
    return Source(
        id=entry["id"],
        outlet=entry["outlet"],
        title=entry.get("title", ""),
        url=entry["url"],
        published=date.fromisoformat(entry["published"]),
        published_approximate=bool(entry.get("published_approximate", False)),
        text=(seeds_dir / entry["file"]).read_text(encoding="utf-8"),
    )


def load_aliases(seeds_dir: Path) -> list[tuple[str, str]]:
    path = seeds_dir / "aliases.toml"
    if not path.exists():
        return []
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [(alias, e["canonical"]) for e in data["entity"] for alias in e.get("aliases", [])]


def build(store: FactStore, seeds_dir: Path = DEFAULT_SEEDS_DIR) -> BuildReport:
    """Bring the store's seed-built part in line with `seeds_dir`, in one transaction."""
    sources = load_sources(seeds_dir)
    with store.transaction():
        for source in sources:
            store.put_source(source)
        aliases_changed = _load_aliases(store, load_aliases(seeds_dir))
        wanted = _seed_facts(store, sources, seeds_dir)
        report = _apply(store, wanted)
        if aliases_changed:
            store.reindex_all()
    return report


def _load_aliases(store: FactStore, pairs: list[tuple[str, str]]) -> bool:
    existing = dict(store.list_aliases())
    missing = [(a, c) for a, c in pairs if a not in existing]
    for alias, canonical in missing:
        store.add_alias(alias, canonical, actor=BUILDER)
    return bool(missing)


def _seed_facts(store: FactStore, sources: list[Source], seeds_dir: Path) -> dict[str, Fact]:
    extractor = Extractor(Analyzer(store.alias_index()))
    facts: dict[str, Fact] = {}
    for source in sources:
        for fact in extractor.extract(source, source.text or ""):
            facts[fact.key] = fact  # type: ignore[index]
    _apply_curation(facts, {s.id: s for s in sources}, seeds_dir / "curated.toml")
    return facts


def _apply_curation(facts: dict[str, Fact], sources: dict[str, Source], path: Path) -> None:
    if not path.exists():
        return
    entries = tomllib.loads(path.read_text(encoding="utf-8")).get("fact", [])
    for n, entry in enumerate(entries):
        source = sources[entry["source"]]
        start, end = _locate(source, entry["evidence"], n)
        span_prefix = f"{source.id}:{start}-{end}:"
        replaced = entry.get("replaces", entry.get("kind"))
        extracted = [
            k for k, f in facts.items() if k.startswith(span_prefix) and f.origin is FactOrigin.EXTRACTED
        ]
        for key in extracted:
            if key.startswith(f"{span_prefix}{replaced}:") or entry.get("reject"):
                del facts[key]
        if entry.get("reject"):
            continue
        fact = _curated_fact(entry, source, start, end)
        facts[fact.key] = fact  # type: ignore[index]


def _locate(source: Source, evidence: str, n: int) -> tuple[int, int]:
    start = (source.text or "").find(evidence)
    if start < 0:
        raise ValidationError({f"curated fact #{n + 1}.evidence": f"not found in {source.id}"})
    return start, start + len(evidence)


def _curated_fact(entry: dict[str, Any], source: Source, start: int, end: int) -> Fact:
    kind = FactKind(entry.get("kind", "event"))
    fields = {name: entry[name] for name in _CURATED_FIELDS if name in entry}
    fields.setdefault("statement", entry["evidence"])
    if "event_date" in entry:
        fields["event_date"] = date.fromisoformat(str(entry["event_date"]))
    for name in ("value_low", "value_high"):
        if name in entry:
            fields[name] = float(entry[name])
    return Fact(
        kind=kind,
        source_id=source.id,
        evidence=entry["evidence"],
        start=start,
        end=end,
        key=f"{source.id}:{start}-{end}:{kind}:curated-{entry.get('tag', kind)}",
        origin=FactOrigin.CURATED,
        **fields,
    )


_BOOKKEEPING = ("id", "status", "added_by", "added_at")


def _apply(store: FactStore, wanted: dict[str, Fact]) -> BuildReport:
    existing = store.facts_with_keys()
    added = updated = retired = kept = 0
    new = [fact for key, fact in sorted(wanted.items()) if key not in existing]
    added = store.add_facts(new, actor=BUILDER, note="seed build")
    for key, current in sorted(existing.items()):
        if store.has_human_changes(current.id, builder=BUILDER):  # type: ignore[arg-type]
            kept += 1
            continue
        target = wanted.get(key)
        if target is None:
            if current.status is FactStatus.ACTIVE:
                store.update_fact(current.id, {"status": FactStatus.RETIRED}, actor=BUILDER,  # type: ignore[arg-type]
                                  action=ChangeAction.RETIRE, note="no longer in seeds")  # fmt: skip
                retired += 1
            continue
        changes = _differences(current, target)
        if changes:
            store.update_fact(current.id, changes, actor=BUILDER, action=ChangeAction.EDIT,  # type: ignore[arg-type]
                              note="seed build")  # fmt: skip
            updated += 1
    return BuildReport(added, updated, retired, kept, store.count_facts())


def _differences(current: Fact, target: Fact) -> dict[str, Any]:
    mine, theirs = current.to_record(), target.to_record()
    changes = {k: getattr(target, k) for k in theirs if k not in _BOOKKEEPING and mine[k] != theirs[k]}
    if current.status is not FactStatus.ACTIVE:
        changes["status"] = FactStatus.ACTIVE
    return changes
