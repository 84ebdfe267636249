"""Deterministic synthetic conflict news for the benchmark: sources, facts and claims.

A store of size N is the first N facts of one endless stream, so smaller stores are prefixes of
larger ones and every run yields the same bytes. Each event (a town captured, civilians killed,
families displaced, an official quoted, a convoy, a ceasefire, a prisoner swap) is reported by two
to four outlets in their own words, so several facts tell one story.

    >>> first = next(iter(facts(1)))
    >>> first.record["source"], len(first.text.split()) >= 10
    ('levant-wire-2019-01', True)

Claims come in two halves: paraphrases of stored facts, perturbed the way people retell news
(dropped words, synonyms, typos, transliterations, changed numbers), and claims about events that
are not in the store. Each paraphrase is labelled with what it does to its fact's meaning
(`Meaning`): kept, or a number changed. The perturbations are built so the label holds: words in
quotation marks stay verbatim, and a changed number is a count or day the fact asserts exactly
(never one after "at least" or "more than", which a different number may still satisfy).
"""

from __future__ import annotations

import calendar
import enum
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

SEED = 20241127
FIRST_DAY = date(2019, 1, 1)
DAYS = 6 * 365
UNSEEN_EVENTS = 50_000_000  # events numbered from here on are never in a store
HOT_PLACES = 200

OUTLETS = (
    "Levant Wire", "Northern Dispatch", "Frontline Monitor", "Crescent Press", "Border Herald",
    "Valley Courier", "Orontes Daily", "Eastern Ledger", "Desert Bulletin", "Coastal Times",
    "Plains Chronicle", "Highland Observer", "River Post", "Citadel News", "Horizon Agency",
    "Delta Report", "Summit Journal", "Mosaic Media", "Keystone Gazette", "Meridian Wire",
)  # fmt: skip

_ONSETS = ("b", "d", "f", "h", "j", "k", "kh", "l", "m", "n", "q", "r", "s", "sh", "t", "z", "gh", "dh")
_VOWELS = ("a", "i", "u", "ou", "ee", "ay", "e", "o")
_CODAS = ("", "b", "d", "l", "m", "n", "r", "s", "t", "q", "k", "h", "sh")
_PLACE_PREFIXES = ("", "", "", "Kafr ", "Tell ", "Deir ", "Ain ", "Jisr ", "Beit ", "Khirbet ")
_GROUP_PATTERNS = (
    "{x} Brigade", "Liwa {x}", "{x} Front", "Jaysh {x}", "{x} Legion", "Ahrar {x}",
    "{x} Battalions", "Saraya {x}", "{x} Movement", "Harakat {x}",
)  # fmt: skip
_TITLES = (
    "spokesperson", "commander", "governor", "foreign minister", "defence minister", "envoy",
    "mayor", "field commander", "interior minister", "health official",
)  # fmt: skip
_PROVINCES = (
    "northern", "southern", "eastern", "western", "northwestern", "northeastern", "southwestern",
    "southeastern", "central",
)  # fmt: skip
_WEAPONS = ("air", "drone", "artillery", "rocket", "missile", "mortar")
_QUOTE_WORDS = (
    "we will not abandon our people", "the attack was a clear violation of the truce",
    "our forces remain ready to defend every village", "the humanitarian situation is catastrophic",
    "we call on the international community to act now", "there will be no negotiations under fire",
    "the convoy must be allowed to pass without delay", "these crimes will not go unpunished",
    "we are committed to a lasting political solution", "the city is calm and services have resumed",
    "the enemy suffered heavy losses in the fighting", "civilians must be protected at all costs",
    "we have opened safe corridors for the families", "the shelling has not stopped for three nights",
    "our teams are working around the clock to reach the wounded", "the agreement is fragile but holding",
)  # fmt: skip
# Verbs and nouns outlets choose between (and claims swap, see SYNONYMS).
_CAPTURE = ("captured", "seized", "took control of", "overran")
_KILLED = ("were killed", "died", "lost their lives", "were reported dead")
_FLED = ("fled", "were displaced from", "escaped from", "left")
_CIVILIANS = ("civilians", "residents", "people")
_FIGHTERS = ("fighters", "militants", "gunmen")

# Claim-side rewordings: some the checker's lexicon knows, some it does not.
SYNONYMS = {
    "captured": "seized", "seized": "captured", "overran": "stormed", "killed": "slain",
    "civilians": "inhabitants", "residents": "locals", "fighters": "combatants",
    "militants": "insurgents", "fled": "escaped", "displaced": "uprooted", "strikes": "raids",
    "shelling": "bombardment", "released": "freed", "prisoners": "detainees", "convoy": "column",
    "reached": "arrived in", "agreed": "consented", "said": "stated", "announced": "declared",
    "families": "households", "trucks": "lorries", "town": "village", "clashes": "fighting",
    "ceasefire": "truce", "aid": "relief", "wounded": "injured", "exchange": "swap",
}  # fmt: skip
# Spellings the same name takes in other transliterations.
_TRANSLITERATIONS = (
    ("ou", "u"), ("ee", "i"), ("ay", "ei"), ("q", "k"), ("kh", "h"), ("sh", "ch"), ("dh", "z"),
    ("gh", "g"), ("j", "dj"), ("a", "e"),
)  # fmt: skip


@dataclass(frozen=True)
class Vocabulary:
    """The names the synthetic world is made of; more events bring more names."""

    places: tuple[str, ...]
    groups: tuple[str, ...]
    officials: tuple[str, ...]
    monitors: tuple[str, ...]


def _name_part(rng: random.Random, syllables: int) -> str:
    parts = [rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(syllables)]
    return "".join(parts).capitalize()


def _distinct(make: Callable[[random.Random], str], count: int, rng: random.Random) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    while len(seen) < count:
        seen.setdefault(make(rng), None)
    return tuple(seen)


def vocabulary(seed: int = SEED) -> Vocabulary:
    """4,000 places, 400 armed groups, 3,000 officials and 12 monitors, the same for every size."""
    rng = random.Random(f"{seed}:vocabulary")
    places = _distinct(lambda r: r.choice(_PLACE_PREFIXES) + _name_part(r, r.choice((2, 2, 3))), 4000, rng)
    groups = _distinct(lambda r: r.choice(_GROUP_PATTERNS).format(x=_name_part(r, 2)), 400, rng)
    officials = _distinct(lambda r: f"{_name_part(r, 2)} {_name_part(r, r.choice((2, 3)))}", 3000, rng)
    monitors = _distinct(lambda r: f"{_name_part(r, 2)} Monitoring Group", 12, rng)
    return Vocabulary(places, groups, officials, monitors)


@dataclass(frozen=True)
class Event:
    """One thing that happened, before any outlet words it."""

    number: int
    kind: str
    day: date
    place: str
    group: str
    rival: str
    official: str
    title: str
    monitor: str
    count: int
    other_count: int
    province: str
    weapon: str
    quote: str


def event(number: int, words: Vocabulary, seed: int = SEED) -> Event:
    """Event `number` of the stream (numbers from UNSEEN_EVENTS on are never stored)."""
    rng = random.Random(f"{seed}:event:{number}")
    group, rival = rng.sample(words.groups, 2)
    return Event(
        number=number,
        kind=rng.choice(tuple(_RENDERINGS)),
        day=FIRST_DAY + timedelta(days=rng.randrange(DAYS)),
        # Some places are in the news far more than others.
        place=rng.choice(words.places[:HOT_PLACES] if rng.random() < 0.3 else words.places),
        group=group,
        rival=rival,
        official=rng.choice(words.officials),
        title=rng.choice(_TITLES),
        monitor=rng.choice(words.monitors),
        count=rng.choice((rng.randint(2, 30), rng.randint(10, 400), rng.randint(100, 9000))),
        other_count=rng.randint(3, 120),
        province=rng.choice(_PROVINCES),
        weapon=rng.choice(_WEAPONS),
        quote=rng.choice(_QUOTE_WORDS),
    )


def _day_phrase(rng: random.Random, day: date) -> str:
    return rng.choice(
        (
            f"on {calendar.day_name[day.weekday()]}",
            f"on {day.day} {calendar.month_name[day.month]} {day.year}",
            f"on {calendar.month_name[day.month]} {day.day}, {day.year}",
            f"on {day.day} {calendar.month_name[day.month]}",
        )
    )


def _capture(e: Event, r: random.Random) -> tuple[str, dict[str, Any]]:
    options = (
        f"{e.group} {r.choice(_FIGHTERS)} {r.choice(_CAPTURE)} the town of {e.place} in {e.province} "
        f"countryside {_day_phrase(r, e.day)} after clashes with {e.rival}, the group's {e.title} said.",
        f"The town of {e.place} fell to {e.group} {_day_phrase(r, e.day)}, {e.title} {e.official} "
        f"told reporters, after {e.rival} forces withdrew.",
        f"{e.official}, {e.title} of {e.group}, said its forces {r.choice(_CAPTURE)} {e.place} "
        f"{_day_phrase(r, e.day)}.",
    )
    return r.choice(options), {"kind": "place", "place": e.place}


def _killed(e: Event, r: random.Random) -> tuple[str, dict[str, Any]]:
    who = r.choice(_CIVILIANS)
    options = (
        f"At least {e.count} {who} {r.choice(_KILLED)} in {e.weapon} strikes on {e.place} "
        f"{_day_phrase(r, e.day)}, according to the {e.monitor}.",
        f"The {e.monitor} said {e.count} {who} {r.choice(_KILLED)} when {e.weapon} strikes hit "
        f"{e.place} in {e.province} province {_day_phrase(r, e.day)}.",
        f"{e.weapon.capitalize()} strikes on {e.place} killed {e.count} {who} and wounded "
        f"{e.other_count} others, the {e.monitor} reported.",
    )
    fields = {"kind": "number", "value_low": e.count, "subject": f"{who} killed"}
    return r.choice(options), fields


def _displaced(e: Event, r: random.Random) -> tuple[str, dict[str, Any]]:
    options = (
        f"{e.count} families {r.choice(_FLED)} {e.place} after clashes between {e.group} and "
        f"{e.rival} {_day_phrase(r, e.day)}, local officials said.",
        f"Fighting between {e.group} and {e.rival} forced {e.count} families out of {e.place}, "
        f"{e.title} {e.official} said.",
        f"More than {e.count} families have {r.choice(_FLED)} their homes in {e.place} since "
        f"{e.group} shelling intensified, aid workers said {_day_phrase(r, e.day)}.",
    )
    return r.choice(options), {"kind": "number", "value_low": e.count, "subject": "families displaced"}


def _quoted(e: Event, r: random.Random) -> tuple[str, dict[str, Any]]:
    words = e.quote[0].upper() + e.quote[1:]
    options = (
        f'{e.official}, {e.title} of {e.group}, said: "{words}."',
        f'"{words}," {e.title} {e.official} told reporters in {e.place} {_day_phrase(r, e.day)}.',
        f'Speaking in {e.place}, {e.official} of {e.group} said "{e.quote}".',
    )
    return r.choice(options), {"kind": "quote", "speaker": e.official, "quote": e.quote}


def _convoy(e: Event, r: random.Random) -> tuple[str, dict[str, Any]]:
    trucks = 5 + e.count % 90
    options = (
        f"A convoy of {trucks} trucks carrying food and medicine reached {e.place} "
        f"{_day_phrase(r, e.day)}, the {e.monitor} said.",
        f"{trucks} aid trucks entered {e.place} in {e.province} countryside {_day_phrase(r, e.day)} "
        f"after {e.group} lifted a siege of several weeks.",
        f"Aid workers said {trucks} trucks of relief supplies arrived in {e.place}, the first since "
        f"{e.group} took the area.",
    )
    return r.choice(options), {"kind": "number", "value_low": trucks, "subject": "aid trucks"}


def _ceasefire(e: Event, r: random.Random) -> tuple[str, dict[str, Any]]:
    options = (
        f"{e.group} and {e.rival} agreed to a ceasefire in {e.place} that took effect "
        f"{_day_phrase(r, e.day)}, mediators said.",
        f"A truce between {e.group} and {e.rival} around {e.place} began {_day_phrase(r, e.day)}, "
        f"{e.title} {e.official} announced.",
        f"{e.official} said a ceasefire covering {e.place} and nearby villages would start "
        f"{_day_phrase(r, e.day)}.",
    )
    return r.choice(options), {"kind": "date", "event_date": e.day.isoformat()}


def _swap(e: Event, r: random.Random) -> tuple[str, dict[str, Any]]:
    options = (
        f"{e.group} released {e.count} prisoners held in {e.place} in exchange for {e.other_count} "
        f"of its {r.choice(_FIGHTERS)} {_day_phrase(r, e.day)}.",
        f"In a prisoner exchange near {e.place}, {e.rival} freed {e.other_count} {r.choice(_FIGHTERS)} "
        f"and {e.group} released {e.count} detainees.",
        f"{e.title.capitalize()} {e.official} said {e.count} prisoners were freed in a swap with "
        f"{e.rival} {_day_phrase(r, e.day)}.",
    )
    return r.choice(options), {"kind": "number", "value_low": e.count, "subject": "prisoners released"}


_RENDERINGS: dict[str, Callable[[Event, random.Random], tuple[str, dict[str, Any]]]] = {
    "capture": _capture,
    "killed": _killed,
    "displaced": _displaced,
    "quote": _quoted,
    "convoy": _convoy,
    "ceasefire": _ceasefire,
    "swap": _swap,
}


@dataclass(frozen=True)
class SyntheticFact:
    """One outlet's report of an event, as the JSONL record `factbot facts import` reads."""

    index: int  # position in the stream: the store's (index + 1)-th fact
    event: Event
    text: str
    record: dict[str, Any] = field(repr=False)


def source_id(outlet: str, day: date) -> str:
    """One source per outlet per month: 'levant-wire-2019-01'."""
    return f"{outlet.lower().replace(' ', '-')}-{day.year}-{day.month:02d}"


def reports(e: Event, seed: int = SEED) -> list[tuple[str, str, dict[str, Any]]]:
    """(outlet, text, structured fields) for each outlet reporting the event (2 to 4)."""
    rng = random.Random(f"{seed}:reports:{e.number}")
    found = []
    for outlet in rng.sample(OUTLETS, rng.choice((2, 3, 3, 4))):
        text, fields = _RENDERINGS[e.kind](e, rng)
        found.append((outlet, text, fields))
    return found


def facts(count: int, *, seed: int = SEED, words: Vocabulary | None = None) -> Iterator[SyntheticFact]:
    """The first `count` facts of the stream, in store order."""
    words = words or vocabulary(seed)
    index = 0
    number = 0
    while index < count:
        e = event(number, words, seed)
        for outlet, text, fields in reports(e, seed):
            if index >= count:
                return
            record = {"text": text, "source": source_id(outlet, e.day), **fields}
            yield SyntheticFact(index, e, text, record)
            index += 1
        number += 1


def sources() -> list[dict[str, Any]]:
    """The `factbot sources add` fields of every source a fact can cite: each outlet, each month."""
    months = sorted({(FIRST_DAY + timedelta(days=d)).replace(day=1) for d in range(DAYS)})
    return [_source_fields(source_id(o, m)) for o in OUTLETS for m in months]


def _source_fields(sid: str) -> dict[str, Any]:
    slug, year, month = sid.rsplit("-", 2)
    outlet = next(o for o in OUTLETS if o.lower().replace(" ", "-") == slug)
    last = calendar.monthrange(int(year), int(month))[1]
    return {
        "id": sid,
        "outlet": outlet,
        "url": f"https://{slug}.example/{year}/{month}",
        "published": f"{year}-{month}-{last:02d}",
        "title": f"{outlet}: {calendar.month_name[int(month)]} {year} roundup",
    }


# -- claims ----------------------------------------------------------------------------------
class Meaning(enum.StrEnum):
    """What a paraphrase does to the meaning of the fact it retells."""

    KEPT = "kept"  # reworded, shortened, misspelt or transliterated: the fact supports it
    CHANGED_NUMBER = "changed number"  # one count or day of the month differs: the fact contradicts it


@dataclass(frozen=True)
class Claim:
    """A claim to check; `fact_index` is the stored fact it paraphrases (None: not in the store)."""

    text: str
    fact_index: int | None
    perturbations: tuple[str, ...]

    @property
    def meaning(self) -> Meaning | None:
        """Whether the paraphrase keeps its fact's meaning; None for a claim about no stored fact."""
        if self.fact_index is None:
            return None
        return Meaning.CHANGED_NUMBER if "changed number" in self.perturbations else Meaning.KEPT


_NUMBER = re.compile(r"\b\d+\b")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_TOKEN = re.compile(r"\S+")
_QUOTED = re.compile(r'"[^"]*"')
_OPEN_BOUNDS = ("at least", "more than")  # a number after these is a bound, not a value
_MONTHS = frozenset(calendar.month_name[1:])


def paraphrase(fact: SyntheticFact, rng: random.Random) -> Claim:
    """The fact retold with two or three perturbations, named in `perturbations`."""
    names = _names(fact.event)
    text = fact.text
    applied: list[str] = []
    for name in rng.sample(tuple(_PERTURBATIONS), rng.choice((2, 2, 3))):
        changed = _PERTURBATIONS[name](text, names, rng)
        if changed != text:
            text, applied = changed, [*applied, name]
    return Claim(text, fact.index, tuple(applied))


def _names(e: Event) -> list[str]:
    return [e.place.split()[-1], *e.official.split(), e.group]


def _unquoted(text: str, pattern: re.Pattern[str]) -> list[re.Match[str]]:
    """`pattern`'s matches outside quotation marks: a retold quote keeps the speaker's words."""
    quoted = [q.span() for q in _QUOTED.finditer(text)]
    return [m for m in pattern.finditer(text) if not any(a <= m.start() < b for a, b in quoted)]


def _drop_words(text: str, names: list[str], rng: random.Random) -> str:
    tokens = text.split()
    free = {m.start() for m in _unquoted(text, _TOKEN)}
    droppable = [
        i for i, m in enumerate(_TOKEN.finditer(text))
        if m.start() in free and m.group(0).islower() and not _NUMBER.search(m.group(0))
    ]  # fmt: skip
    for i in sorted(rng.sample(droppable, min(len(droppable), rng.randint(1, 3))), reverse=True):
        del tokens[i]
    return " ".join(tokens)


def _synonyms(text: str, names: list[str], rng: random.Random) -> str:
    hits = [m for m in _unquoted(text, _WORD) if m.group(0).lower() in SYNONYMS]
    for m in sorted(rng.sample(hits, min(len(hits), 2)), key=lambda m: -m.start()):
        text = text[: m.start()] + SYNONYMS[m.group(0).lower()] + text[m.end() :]
    return text


def _typo(text: str, names: list[str], rng: random.Random) -> str:
    words = [m for m in _unquoted(text, _WORD) if len(m.group(0)) >= 5]
    if not words:
        return text
    m = rng.choice(words)
    word, i = m.group(0), rng.randrange(1, len(m.group(0)) - 1)
    kind = rng.choice(("swap", "drop", "double", "replace"))
    if kind == "swap":
        typo = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    elif kind == "drop":
        typo = word[:i] + word[i + 1 :]
    elif kind == "double":
        typo = word[:i] + word[i] + word[i:]
    else:
        typo = word[:i] + rng.choice("aeioulnrst") + word[i + 1 :]
    return text[: m.start()] + typo + text[m.end() :]


def _transliterate(text: str, names: list[str], rng: random.Random) -> str:
    for name in rng.sample(names, len(names)):
        for old, new in _TRANSLITERATIONS:
            head, rest = name[:1], name[1:]
            if old in rest and name in text:
                return text.replace(name, head + rest.replace(old, new, 1), 1)
    return text


def _change_number(text: str, names: list[str], rng: random.Random) -> str:
    numbers = [m for m in _NUMBER.finditer(text) if _is_exact_value(text, m)]
    if not numbers:
        return text
    m = rng.choice(numbers)
    value = int(m.group(0))
    other = max(1, value + rng.choice((-1, 1)) * max(1, value // rng.choice((2, 3, 5))))
    if _is_day(text, m):
        other = (other - 1) % 28 + 1  # still a day of every month
    return text[: m.start()] + str(other) + text[m.end() :]


def _is_exact_value(text: str, m: re.Match[str]) -> bool:
    """A count or day the text asserts exactly: not a year, not a bound ("at least 20")."""
    before = " ".join(text[: m.start()].lower().split()[-2:])
    return not 1900 <= int(m.group(0)) <= 2100 and before not in _OPEN_BOUNDS


def _is_day(text: str, m: re.Match[str]) -> bool:
    """Whether the number is a day of the month: "5 March" or "March 5,"."""
    around = text[: m.start()].split()[-1:] + text[m.end() :].split()[:1]
    return any(word.strip(",.") in _MONTHS for word in around)


_PERTURBATIONS: dict[str, Callable[[str, list[str], random.Random], str]] = {
    "dropped words": _drop_words,
    "synonyms": _synonyms,
    "typo": _typo,
    "transliteration": _transliterate,
    "changed number": _change_number,
}


def unseen_claim(k: int, words: Vocabulary, seed: int = SEED) -> Claim:
    """A claim about event UNSEEN_EVENTS + k: known names, an event no store holds."""
    e = event(UNSEEN_EVENTS + k, words, seed)
    _, text, _ = reports(e, seed)[0]
    return Claim(text, None, ())


def paraphrased_indexes(store_size: int, count: int, *, seed: int = SEED) -> list[int]:
    """Which stored facts the paraphrases among `count` claims retell (sorted stream indexes)."""
    rng = random.Random(f"{seed}:claims:{store_size}:{count}")
    return sorted(rng.sample(range(store_size), min(store_size, count - count // 2)))


def claims(
    store_size: int, count: int, *, seed: int = SEED, known: dict[int, SyntheticFact] | None = None
) -> list[Claim]:
    """`count` claims for a store of `store_size` facts: half paraphrases, half not in the store.

    `known` may hold the facts at `paraphrased_indexes` (collected while writing the store), which
    saves walking the stream again.
    """
    words = vocabulary(seed)
    wanted = paraphrased_indexes(store_size, count, seed=seed)
    if known is None:
        known = {f.index: f for f in facts(store_size, seed=seed, words=words) if f.index in set(wanted)}
    found = [paraphrase(known[i], random.Random(f"{seed}:paraphrase:{i}")) for i in wanted]
    found += [unseen_claim(k, words, seed) for k in range(count - len(found))]
    random.Random(f"{seed}:order:{store_size}:{count}").shuffle(found)
    return found
