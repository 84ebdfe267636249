"""General English news vocabulary the checker reasons with — closed tables, not per-claim rules.

Every table is keyed by *stems* (see `facts.text.stem`), so inflections meet: "seized", "seizing"
and "seizes" all look up "seiz".
"""

from __future__ import annotations

import math

from facts.text import stem, stems

# Words that carry no claim content of their own.
STOPWORDS = frozenset(
    stems(
        "a an the and or but if of to in on at by for from with as into onto over under about "
        "is are was were be been being am has have had having do does did done will would shall "
        "should can could may might must that this these those it its it's they them their theirs "
        "he him his she her hers we us our you your i me my which who whom whose what when where "
        "why how than then there here so such also too very just only even still yet again "
        "said says say told tell stated remarked added according per reportedly reported "
        "report reports claimed claim true whether is it true that accord some all any each "
        "both either neither one ago while during after before since until up down out off "
        "within without across along among between through per via upon being s t rather instead "
        # adverbs and fillers that paraphrases add or drop without changing what is claimed
        "simply mostly mainly largely really already currently now away past around actually "
        "apparently allegedly clearly widely directly finally recently merely mere indeed "
        "reportedly purportedly supposedly effectively respectively likewise meanwhile however "
        "there were been get got getting make made against toward towards despite amid beyond near"
    )
) - {stem("no"), stem("not")}

# Phrases meaning the same thing in news copy; each group collapses to its first member's stem.
SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("pushback", "pushed back", "push back", "pushing back", "fought back", "resistance"),
    ("captured", "seized", "took", "taken", "take", "seize", "overran", "grabbed", "gains", "won"),
    ("retook", "reclaimed", "recaptured", "regained", "retaken", "reclaim"),
    (
        "killed",
        "died",
        "dead",
        "deaths",
        "death",
        "slain",
        "perished",
        "fatalities",
        "lost",
        "loss",
        "losses",
    ),
    ("wounded", "injured", "hurt"),
    ("fighters", "militants", "gunmen", "combatants"),
    ("rebels", "insurgents", "opposition", "revolutionary", "revolution", "factions", "jihadists"),
    ("soldiers", "troops", "servicemen", "army"),
    ("government", "regime", "authorities", "state", "ministry"),
    ("diverted", "rerouted", "redirected"),
    ("solidified", "consolidated", "cemented", "strengthened"),
    ("control", "hold", "grip"),
    ("large", "big", "major", "significant", "substantial", "huge", "considerable"),
    ("launched", "started", "began", "begun", "kicked", "opened", "start"),
    ("targeted", "targeting", "hit", "struck", "pounded", "shelled", "landed"),
    ("breached", "broke through", "incursion", "breakthrough", "penetrated", "entered"),
    ("took effect", "came into force", "came into effect", "went into effect", "entered into force"),
    ("ceasefire", "cease fire", "truce"),
    ("agreement", "deal", "accord", "pact", "treaty", "agreed", "arrangement"),
    ("kilometers", "kilometres", "km", "kms"),
    ("dormitories", "dorms", "student accommodations", "student accommodation", "student housing"),
    ("closed", "shut", "shut down"),
    ("projectiles", "shells", "rockets", "missiles", "mortars"),
    ("offensive", "assault", "attack", "operation", "campaign", "push"),
    ("immediately", "right away", "at once", "instantly", "promptly", "swiftly", "quickly"),
    ("villages", "hamlets"),
    ("towns", "cities"),
    ("airbase", "air base", "airport", "airfield", "air field"),
    ("drones", "uavs", "unmanned"),
    ("helicopter", "chopper", "aircraft"),
    ("displaced", "uprooted", "fled", "fleeing", "flee"),
    ("civilians", "residents", "people", "inhabitants"),
    ("backed", "supported", "support", "helped", "help", "aided", "assisted", "backing"),
    ("exploit", "take advantage", "capitalize", "capitalise", "profit"),
    ("upheaval", "turmoil", "chaos", "unrest"),
    ("announced", "declared", "unveiled"),
    ("urged", "called on", "called for", "asked", "appealed"),
    ("bombardment", "shelling", "strikes", "airstrikes", "bombing", "barrage"),
    ("withdrawal", "retreat", "pullback", "pull back", "withdraw", "retreating", "melting away"),
    ("statement", "communique", "announcement"),
    ("weapons", "weaponry", "arms", "armaments"),
    ("highway", "motorway", "road", "route"),
    ("northwestern", "north western", "northwest", "north west"),
    ("northeastern", "north eastern", "northeast", "north east"),
    ("southwestern", "south western", "southwest", "south west"),
    ("southeastern", "south eastern", "southeast", "south east"),
    ("eastern", "east"),
    ("western", "west"),
    ("northern", "north"),
    ("southern", "south"),
    ("central", "centre", "center"),
    ("first day", "day one", "opening day", "first-day"),
    ("claimed", "asserted", "alleged", "maintained"),
    ("monitor", "observatory"),
    ("kurdish", "kurds"),
    ("prisoners", "captives", "detainees"),
)


def _phrase_key(phrase: str) -> tuple[str, ...]:
    return tuple(stems(phrase))


# Multi-word synonyms ("right away") are matched as phrases; single words by stem.
SYNONYM_PHRASES: dict[tuple[str, ...], str] = {}
for _group in SYNONYM_GROUPS:
    _head = "_".join(_phrase_key(_group[0]))
    for _member in _group:
        SYNONYM_PHRASES.setdefault(_phrase_key(_member), _head)

# Capitals that stand for their governments ("Damascus denied ...") unless a preposition makes
# them places ("the road to Damascus"). Values are concepts: a synonym head or an entity key.
METONYMS = {
    "damascus": "govern",
    "moscow": "russia",
    "ankara": "turkey",
    "tehran": "iran",
    "washington": "unitedstates",
}
METONYM_ENTITIES = frozenset({"russia", "turkey", "iran", "unitedstates"})
PLACE_PREPOSITIONS = frozenset(
    "in at to from near of with into toward towards around outside between via on across through".split()
)

NEGATION_CUES = frozenset(
    stems("not no never none nobody nothing neither nor without hadn't didn't wasn't isn't")
) | {"hadnt", "didnt", "wasnt", "isnt", "werent", "dont", "doesnt", "havent", "hasnt", "cant"}
NEGATION_PHRASES = (_phrase_key("rather than"), _phrase_key("instead of"), _phrase_key("far from"))
# Words skipped when looking for what a negation applies to ("had not been comment...",
# "no sign of a significant pushback").
AUXILIARIES = frozenset(
    stems(
        "be been being was were is are has have had do did does any a the of sign signs evidence "
        "indication trace significant major serious real much further more big large"
    )
)

# Axes of meaning with opposite ends: a claim at one end and a source at the other disagree.
POLARITY_AXES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "planning": (
        (
            "long-planned",
            "planned in advance",
            "premeditated",
            "long planned",
            "prepared for months",
        ),
        ("last minute", "last-minute", "thrown together", "hastily", "improvised", "spontaneous"),
    ),
    "treatment": (
        ("good care", "treated well", "treated them well", "well treated", "humanely", "well"),
        ("mistreated", "abused", "tortured", "ill-treated", "maltreated", "executed", "harmed"),
    ),
    "intensity": (
        ("escalated", "intensified", "stepped up", "ramped up", "escalating"),
        ("scaled back", "de-escalated", "reduced", "eased", "wound down", "halted"),
    ),
    "acknowledgement": (
        ("confirmed", "acknowledged", "admitted", "conceded", "commented"),
        ("denied", "refuted", "declined to comment", "no comment"),
    ),
    "mood": (
        ("happy", "glad", "delighted", "joyful", "relieved", "celebrated"),
        ("unhappy", "sad", "angry", "upset", "fearful", "dismayed"),
    ),
    "operation": (
        ("stayed open", "remained open", "reopened", "kept open", "operating normally"),
        ("closed", "shut", "suspended", "halted flights", "shut down"),
    ),
    "outcome": (
        ("succeeded", "managed", "success"),
        ("failed", "failure", "unable"),
    ),
}
POLARITY_PHRASES: dict[tuple[str, ...], tuple[str, int]] = {}
for _axis, (_plus, _minus) in POLARITY_AXES.items():
    for _sign, _cues in ((1, _plus), (-1, _minus)):
        for _cue in _cues:
            POLARITY_PHRASES[_phrase_key(_cue)] = (_axis, _sign)

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "thousand": 1000, "million": 1_000_000, "dozen": 12,
}  # fmt: skip
NUMBER_WORDS = {stem(word): value for word, value in NUMBER_WORDS.items()}
SCALE_WORDS = {
    stem(w): v
    for w, v in {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}.items()
}

INF = math.inf
# Vague quantities as the ranges a careful reader gives them.
VAGUE_QUANTITIES: dict[tuple[str, ...], tuple[float, float]] = {
    _phrase_key("a handful"): (2, 6),
    _phrase_key("handful"): (2, 6),
    _phrase_key("a couple"): (2, 3),
    _phrase_key("a few"): (2, 6),
    _phrase_key("few"): (2, 6),
    _phrase_key("several"): (3, 9),
    _phrase_key("a dozen"): (10, 14),
    # Upper ends are loose: reporters round down ("thousands" for 40,000 is common).
    _phrase_key("dozens"): (24, 199),
    _phrase_key("scores"): (40, 199),
    _phrase_key("hundreds"): (200, 9999),
    _phrase_key("thousands"): (2000, 99999),
    _phrase_key("tens of thousands"): (20000, 999999),
    _phrase_key("hundreds of thousands"): (200000, 1999999),
    _phrase_key("millions"): (2_000_000, 1e9),
    _phrase_key("many"): (5, INF),
    _phrase_key("numerous"): (5, INF),
}

# Qualifier phrases and how they turn a value v into a range.
QUALIFIERS: dict[tuple[str, ...], str] = {
    _phrase_key(p): kind
    for kind, phrases in {
        "at_least": ("at least", "more than", "over", "upwards of", "in excess of", "no fewer than"),
        "at_most": ("at most", "fewer than", "less than", "under", "up to", "no more than"),
        "about": ("about", "around", "approximately", "roughly", "some", "an estimated",
                  "close to", "nearly", "almost", "estimated", "approx"),
        "exactly": ("only", "just", "exactly", "precisely", "a mere", "merely"),
    }.items()
    for p in phrases
}  # fmt: skip

WEEKDAYS = {
    stem(d): i
    for i, d in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
}
MONTHS = {
    stem(m): i + 1
    for i, m in enumerate(
        ("january february march april may june july august september october november december").split()
    )
}

# Compass words and the directions they stand for.
DIRECTIONS: dict[tuple[str, ...], frozenset[str]] = {}
for _word, _dirs in {
    "north": "n", "northern": "n", "south": "s", "southern": "s", "east": "e", "eastern": "e",
    "west": "w", "western": "w", "northwest": "nw", "northwestern": "nw", "northeast": "ne",
    "northeastern": "ne", "southwest": "sw", "southwestern": "sw", "southeast": "se",
    "southeastern": "se", "central": "c", "centre": "c", "center": "c",
}.items():  # fmt: skip
    DIRECTIONS[_phrase_key(_word)] = frozenset(_dirs)
for _a, _b in (("north", "west"), ("north", "east"), ("south", "west"), ("south", "east")):
    for _sa in (_a, _a + "ern"):
        for _sb in (_b, _b + "ern"):
            DIRECTIONS[_phrase_key(f"{_sa} {_sb}")] = frozenset(_a[0] + _b[0])

# Words that say whose side counted people are on, not what they are ("regime soldiers").
COUNT_MODIFIERS = frozenset({"govern", "rebel", "local", "syria", "pro", "armi"})

SPEECH_VERBS = frozenset(
    stems(
        "said says say told stated remarked added declared announced warned claimed "
        "noted wrote tweeted insisted argued"
    )
)
