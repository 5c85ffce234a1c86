"""Small text helpers shared by the compiler: words, sentences, keys, key phrases."""

from __future__ import annotations

import math
import re
import unicodedata

from bot.nlu.normalize import stem, tokenize


def wordset(text: str) -> frozenset[str]:
    """Return the set of space-separated words in ``text``."""
    return frozenset(text.split())


STOPWORDS = wordset(
    "a about above after again against all almost also although am among an and any are "
    "as at be because been before being below between both but by can could did do does "
    "doing done down during each either else even ever every few for from further had has "
    "have having he her here hers herself him himself his how however i if in into is it "
    "its itself just least less let like made make makes many may me might more most much "
    "must my myself near neither no nor not now of off often on once only or other others "
    "our ours ourselves out over own per quite rather really same shall she should since "
    "so some such than that the their theirs them themselves then there these they this "
    "those though through thus to too under until up upon us very was we were what when "
    "where whether which while who whom whose why will with within without would yet you "
    "your yours yourself yourselves one ones way ways well far instead still already soon "
    "before after across along around beyond toward towards via whose s t "
)
QUESTION_WORDS = wordset(
    "what who whom whose which when where why how is are was were do does did can could "
    "will would should tell me about explain describe give list "
)
PRONOUNS = wordset(
    "he she it they his her its their him them this that these those "
)

_WORD = re.compile(r"\$?\d+(?:[.,]\d+)*%?|[a-z0-9][a-z0-9'\-]*", re.IGNORECASE)
# A full stop ends a sentence, but not after a title or "St." before a name ("St. John's",
# "Dr. Okafor").
_SENTENCE_END = re.compile(
    r"(?<=[.!?])(?<!\bSt\.)(?<!\bMt\.)(?<!\bDr\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bMrs\.)"
    r"(?<!\bProf\.)(?<!\bSgt\.)(?<!\bCapt\.)[\"'”’)]?\s+(?=[\"'“‘(]?[A-Z0-9$])")
_QUOTED = re.compile(r"[\"“]([^\"“”]{2,120})[\"”]")
_CAPITALISED = re.compile(
    r"\b[A-Z][\w'’\-]*(?:\s+(?:(?:of|de|du|des|la|le|les|and|&)\s+)?[A-Z][\w'’\-]*)*"
)
_MONEY = re.compile(
    r"(?:[$€£]\s?\d[\d.,]*\s*(?:million|billion|trillion|bn|m|k)?\b)"
    r"|(?:\d[\d.,]*\s*(?:million|billion|trillion)\s+(?:dollars|euros|pounds)\b)",
    re.IGNORECASE,
)
_ACRONYM = re.compile(r"\(([A-Za-z0-9][A-Za-z0-9 .\-]{0,14})\)")


def fold(text: str) -> str:
    """Lower-case, normalise apostrophes and strip accents."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """Return the folded words of ``text`` (numbers and ``$20`` kept, punctuation dropped)."""
    return [w.strip("'-") for w in _WORD.findall(fold(text)) if w.strip("'-")]


def clean(text: str) -> str:
    """Return ``text`` the way people type it in chat: lower case, no punctuation."""
    return " ".join(words(text))


def content_words(text: str, extra_stop: frozenset[str] = frozenset()) -> list[str]:
    """Return the words of ``text`` that carry meaning (no stopwords), in order."""
    return [
        w for w in words(text)
        if w not in STOPWORDS and w not in extra_stop and (len(w) > 1 or w.isdigit())
    ]


def sentences(paragraph: str) -> list[str]:
    """Split a paragraph into sentences (a light heuristic, good enough for articles)."""
    return [s.strip() for s in _SENTENCE_END.split(paragraph.strip()) if s.strip()]


def slug(text: str, max_words: int = 4) -> str:
    """Return an intent key such as ``revenue_previous`` from a heading or question."""
    tokens = content_words(text, QUESTION_WORDS) or words(text)
    key = "_".join(t.replace("'", "").replace("-", "_") for t in tokens[:max_words])
    key = re.sub(r"[^a-z0-9_]", "", key).strip("_")
    return key or "topic"


def quoted_phrases(text: str) -> list[str]:
    """Return phrases written in quotes, e.g. ``true AI cloud``."""
    return [m.group(1).strip() for m in _QUOTED.finditer(text)]


def capitalised_phrases(text: str) -> list[str]:
    """Return runs of capitalised words (names), skipping a lone sentence-initial word."""
    found = []
    for sentence in sentences(text) or [text]:
        for match in _CAPITALISED.finditer(sentence):
            phrase = match.group(0).strip()
            first_word = match.start() == len(sentence) - len(sentence.lstrip())
            if first_word and " " not in phrase:
                continue
            if first_word:
                head, _, rest = phrase.partition(" ")
                if head.lower() in STOPWORDS:
                    phrase = rest
            if phrase.lower() not in STOPWORDS:
                found.append(phrase)
    return found


def money_phrases(text: str) -> list[str]:
    """Return amounts of money such as ``$400 million``."""
    return [m.group(0).strip() for m in _MONEY.finditer(text)]


def acronyms(text: str) -> list[str]:
    """Return short bracketed aliases such as ``ARR`` or ``a16z``."""
    return [m.group(1).strip() for m in _ACRONYM.finditer(text)]


def truncate_words(text: str, limit: int) -> str:
    """Return the first ``limit`` words of ``text``."""
    parts = text.split()
    return " ".join(parts[:limit])


def match_key(text: str) -> str:
    """Return the form the matcher compares (two phrasings with one key are the same).

    That is the set of the words' stems, as the matcher reads an exact example: "who
    invests in mistral" and "who invested in mistral" are one phrasing, so two intents
    listing them are a tie for the matcher.
    """
    stems = sorted({stem(t) for t in tokenize(text)})
    return " ".join(stems) or clean(text)


_DATE = re.compile(
    r"\b(1[0-9]{3}|20[0-9]{2})\b|\b(january|february|march|april|may|june|july|august|"
    r"september|october|november|december)\b",
    re.IGNORECASE,
)
_MEASURE = re.compile(
    r"\d[\d.,]*\s*(?:-\s*)?(metres?|meters?|m|km|kilometres?|kilometers?|miles?|feet|ft|"
    r"inches|cm|kg|kilograms?|tonnes?|tons?|square|hectares?|litres?|liters?)\b",
    re.IGNORECASE,
)
_LOCATION = re.compile(
    r"\b(located|lies|based in|headquartered|situated|orbits|circles|off the coast)\b",
    re.IGNORECASE,
)


def has_date(text: str) -> bool:
    """True when ``text`` mentions a year or a month."""
    return bool(_DATE.search(text))


def has_measure(text: str) -> bool:
    """True when ``text`` gives a size, distance or weight."""
    return bool(_MEASURE.search(text))


def has_location(text: str) -> bool:
    """True when ``text`` says where something is."""
    return bool(_LOCATION.search(text))


def idf_table(texts: list[str]) -> dict[str, float]:
    """Return the inverse document frequency of each content word over ``texts``."""
    counts: dict[str, int] = {}
    for text in texts:
        for word in set(content_words(text)):
            counts[word] = counts.get(word, 0) + 1
    total = max(len(texts), 1)
    return {w: math.log((1 + total) / (1 + c)) + 1.0 for w, c in counts.items()}


_WEAK = wordset(
    "aboard inside outside enough together extremely roughly nearly mostly mainly "
    "leads lead carries carry keeps keep shades shade measures measure born built stands "
    "reaches reach takes take leaves leave gives give makes make says say uses use "
    "includes include became become began begin ended end offers offer helps help "
    "million billion thousand hundred percent"
)


_OPENERS = wordset(
    "the a an its their his her our of in for on with from by into to and as about "
)
_CLOSERS = STOPWORDS | {""}
_DAYS = wordset("monday tuesday wednesday thursday friday saturday sunday")


_NOT_NOUN_ENDINGS = ("izes", "ises", "ized", "ised", "izing", "ising", "ing", "ous", "ive",
                     "ful", "less", "able", "ible", "ly", "ed", "est")
_NOUN_ENDINGS = ("tion", "sion", "ment", "ness", "ity", "ance", "ence", "ship", "ism", "ist",
                 "ure", "age", "ogy", "ics")
COMPARATIVES = wordset(
    "broader greater larger bigger smaller wider higher lower stronger faster slower "
    "better worse earlier later newer older cheaper deeper longer shorter further "
)


def noun_score(word: str) -> float:
    """Return how much ``word`` looks like a noun from its ending alone: -1, 0 or 1.

    A key phrase made of a verb or adjective (``decentralizes``, ``ambitious``,
    ``broader``) gives odd questions ("what is the ambitious"); a noun ending
    (``adoption``, ``investment``) is a good sign.
    """
    if word in COMPARATIVES or (word.endswith(_NOT_NOUN_ENDINGS) and len(word) > 5):
        return -1.0
    return 1.0 if word.endswith(_NOUN_ENDINGS) else 0.0


def _weak(word: str) -> bool:
    return word in _WEAK or word.endswith(("ly", "ed"))


def salient_phrases(text: str, idf: dict[str, float], limit: int = 2,
                    skip: frozenset[str] = frozenset(), pairs: bool = False) -> list[str]:
    """Return the most distinctive names (and, with ``pairs``, two-word phrases) of ``text``.

    Names (``French Guiana``, ``ESA``) come first; then pairs of content words such as
    ``lagrange point``, ranked by the mean IDF of their words so rare ones come first.
    Pairs are off by default: measured on the shipped knowledge base, they blur intents
    more often than they help.
    """
    chosen: list[str] = []
    names = capitalised_phrases(text) + acronyms(text)
    for name in names:
        phrase = clean(name)
        if _DATE.fullmatch(phrase) or phrase in _DAYS:
            continue
        if " " not in phrase and not name.isupper() and (
                len(phrase) < 5 or phrase.endswith(("an", "ese", "ish"))):
            continue
        if set(phrase.split()) & (skip - STOPWORDS) and len(phrase.split()) <= 2:
            continue
        if phrase and not set(phrase.split()) <= skip | STOPWORDS and phrase not in chosen:
            chosen.append(phrase)
        if len(chosen) == limit:
            return chosen
    if not pairs:
        return chosen
    scored: dict[str, float] = {}
    for chunk in re.split(r"[,.;:()!?\"]", fold(text)):
        tokens = ["", *words(chunk), ""]
        for i in range(1, len(tokens) - 2):
            first, second = tokens[i], tokens[i + 1]
            if tokens[i - 1] not in _OPENERS or tokens[i + 2] not in _CLOSERS:
                continue
            if any(w in STOPWORDS or w in skip or not w[:1].isalpha() or _weak(w)
                   for w in (first, second)):
                continue
            scored[f"{first} {second}"] = (idf.get(first, 1.0) + idf.get(second, 1.0)) / 2
    for phrase, _score in sorted(scored.items(), key=lambda item: (-item[1], item[0])):
        if len(chosen) == limit:
            break
        if not any(set(phrase.split()) & set(c.split()) for c in chosen):
            chosen.append(phrase)
    return chosen
