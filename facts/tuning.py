"""Every number the checker is tuned with, in one place, each with what it trades.

Raising a coverage threshold trades recall for fewer false supports; the same-event thresholds
decide how sure the checker must be that a fact is about the claim's event before one differing
value may contradict it. Change them here and run `make eval` on every labeled set.
"""

from __future__ import annotations

__all__ = [
    "SUPPORT_COVERAGE",
    "PREDICATE_COVERAGE",
    "MAX_SPREAD",
    "MAX_MISSING_SHARE",
    "SAME_EVENT_COVERAGE",
    "SAME_EVENT_COVERAGE_BY_KIND",
    "CONFLICTS_ON_SHARED_WORDS",
    "NEEDS_OTHER_VALUES",
    "MIN_SHARED_CONCEPTS",
    "MAX_SWAP_SPAN",
    "ZIPF_COMMON",
    "ZIPF_RARE",
    "INFORMATIVENESS_FLOOR",
    "UNKNOWN_WORD_MIN_LENGTH",
    "NAME_BOOST",
    "UNSEEN_NAME_BOOST",
    "REQUIRED_NAME_SHARE",
    "UNSEEN_WORD_SHARE",
    "FUZZY_WORD",
    "FUZZY_MIN_LENGTH",
    "RETRIEVAL_FUZZY_CUTOFF",
    "RETRIEVAL_FUZZY_MIN_LENGTH",
    "QUOTE_MATCH",
    "QUOTE_ALTERED",
    "QUOTE_MIN_WORDS",
    "QUOTE_ALTERED_COVERAGE",
    "ABOUT_SPREAD",
    "UNIT_TOLERANCE",
    "PREFILTER_COVERAGE",
    "MAX_JUDGED_TEXTS",
    "SUPPORT_MARGIN",
    "RELATED_COVERAGE",
    "MAX_RELATED",
]

# -- same event? ---------------------------------------------------------------------------
# Weighted share of the claim's content (its values set aside) a fact must hold to support it.
SUPPORT_COVERAGE = 0.66
# ... and this share of what the claim says about its names: a fact naming the same actors and
# places but saying something else of them ("seized the airbase" / "a helicopter at the airbase")
# does not support it.
PREDICATE_COVERAGE = 0.5
# ... with the claim's words standing together in it: the shortest stretch of the fact holding
# them, per word held, at most this long (words scattered over a long sentence are other news).
MAX_SPREAD = 4.5
# ... and no single claim word the fact lacks may carry more than this share of the claim's
# weight: a fact missing the word a claim turns on ("losses are *overestimated*") does not say it.
MAX_MISSING_SHARE = 0.25
# ... to be taken as reporting the claim's event, so that a differing value contradicts it.
SAME_EVENT_COVERAGE = 0.6
# Value kinds whose conflict is easily a coincidence between two events (a year, a number, a
# place named in passing) need a fact clearly about the same event.
SAME_EVENT_COVERAGE_BY_KIND = {
    "quantity": 0.6,
    "year": 0.6,
    "date": 0.6,
    "statement date": 0.6,
    "place": 0.75,
    "actor": 0.7,
    "side": 0.7,
    "quote": 0.7,  # the rest of a claim whose quoted words differ from the fact's
    "rank": 0.65,
    # A denial or another direction contradicts a fact that would otherwise support the claim; two
    # texts taking opposite ends of one axis (confirmed / denied) already share that axis.
    "direction": SUPPORT_COVERAGE,
    "negation": SUPPORT_COVERAGE,
    "stance": 0.55,
}
# A fact that lacks a rare name the claim gives is about another event, and none of its values
# may contradict the claim's, except a denial of a word both hold ("at Hama, not at Nayrab").
CONFLICTS_ON_SHARED_WORDS = frozenset({"negation"})
# A denial is the commonest false alarm (any sentence that uses the denied word "states" it): it
# contradicts only a fact that gives every other value the claim states (none silent).
NEEDS_OTHER_VALUES = frozenset({"negation"})
# A claim must share at least this many weighted content concepts with a fact for the two to be
# about one event (a two-word claim covered "100%" by any sentence holding both words is not).
MIN_SHARED_CONCEPTS = 2
# Aligned claim and fact word sequences: a replaced stretch of at most this many concepts on each
# side may be one actor, side or place put for another; a longer one is simply another sentence.
MAX_SWAP_SPAN = 3

# -- how much a word matters -----------------------------------------------------------------
# Inverse document frequency is scaled by how informative the word is in general English
# (wordfreq's Zipf scale, 0 = unknown .. 7.7 = "the"): "happened" and "let" say little even
# when the store has never seen them; "Kuweires" says a lot.
ZIPF_COMMON = 6.0  # a word at least this frequent weighs INFORMATIVENESS_FLOOR of its idf
ZIPF_RARE = 3.0  # a word at most this frequent weighs its whole idf
INFORMATIVENESS_FLOOR = 0.35
# A word of at least this many letters that general English has never seen is read as a name.
UNKNOWN_WORD_MIN_LENGTH = 4
# Names weigh more than words; names the store has never seen most.
NAME_BOOST = 1.3
UNSEEN_NAME_BOOST = 2.0
# A name held by fewer than this share of facts is what the claim is about: a supporting fact
# must mention it.
REQUIRED_NAME_SHARE = 0.15
# An ordinary word the store never saw weighs like one held by this share of facts.
UNSEEN_WORD_SHARE = 0.05

# -- near-miss words -------------------------------------------------------------------------
FUZZY_WORD = 86.0  # rapidfuzz ratio at which two stems are one word misspelt
FUZZY_MIN_LENGTH = 5
RETRIEVAL_FUZZY_CUTOFF = 80.0  # an unknown claim word read as the closest index term
RETRIEVAL_FUZZY_MIN_LENGTH = 4
# A claim word English and the store both lack, at least this long, is a typo of the common
# English word this many edits away (a transposition is one edit): "civiliasn" is "civilians".
# Shorter words are too often names one letter from a word ("Nubl").
SPELLING_MIN_LENGTH = 5
# Two spellings of one transliterated name ("Kweires"/"Kuweires") share a Metaphone key of at
# least this many sounds and are this similar (Jaro-Winkler, 0..1); "Iran"/"Iraq" do not.
NAME_VARIANT_MIN_KEY = 3
NAME_VARIANT_SIMILARITY = 0.8
SPELLING_MIN_CALENDAR_LENGTH = 4  # "Aril" is April: twelve months and seven days, few to confuse
SPELLING_MAX_EDITS = 1
SPELLING_VOCABULARY_ZIPF = 2.75  # the English words a typo may be read as: the 37,000 commonest
# Web text misspells common words often enough that wordfreq knows "figthing" (Zipf 1.1): a word
# rarer than this, with a word this much commoner one edit away, is a typo of it ("recieved", at
# 2.75, is left alone: it reads as itself).
SPELLING_RARE_ZIPF = 2.0
SPELLING_ZIPF_GAP = 2.0

# -- quotes ----------------------------------------------------------------------------------
QUOTE_MATCH = 92.0  # similarity at which a claim's quote is the source's quote (typos allowed)
QUOTE_ALTERED = 55.0  # ... below QUOTE_MATCH and above this: the source's quote with words changed
QUOTE_MIN_WORDS = 2  # a quoted span this short is judged too (one changed word in two matters)
QUOTE_ALTERED_COVERAGE = 0.4  # the rest of the claim must be this close for an altered quote

# -- quantities ------------------------------------------------------------------------------
ABOUT_SPREAD = 0.2  # "about 20" reads as 16..24
# Converted measures agree within 5%: outlets round a conversion to two significant digits
# ("10 miles" is "16 km"; "17 km" is not).
UNIT_TOLERANCE = 0.05

# -- candidates ------------------------------------------------------------------------------
# Candidates whose index terms cover less than this of the claim cannot bear on it.
PREFILTER_COVERAGE = 0.45
# At most this many distinct fact texts are analysed per claim, the best covering first.
MAX_JUDGED_TEXTS = 6
# A support must score this much above a contradiction from the same source to win its side.
SUPPORT_MARGIN = 0.15
# Facts sharing at least this much of a not-found claim's content are shown as related.
RELATED_COVERAGE = 0.3
MAX_RELATED = 3

# -- the newsroom loop (queue and learned questions) -----------------------------------------
# Two questions are "the same question" when their sorted index terms (stems, synonym groups,
# names) are this similar (rapidfuzz ratio over the term sequences, not characters: "Hama" and
# "Homs" are different terms, not two letters apart). 85 joins "rebels captured Hama" with
# "rebels captured the city of Hama" (one extra term in seven) but not "took 20 villages" with
# "took 32 villages" (one term of five differs).
SAME_QUESTION = 85.0
