"""What kind of answer a question asks for, and what kinds an intent's answer can give.

"In which year was it set up" asks for a time; "who is the cfo" for a person; "how much did
it raise" for an amount; "where is it based" for a place. An answer that holds no span of
that kind (no year or date, no name, no figure, no place) is the wrong kind of answer,
however many words it shares with the question: the matcher lowers its confidence.

Kinds are read from English question words (language knowledge, nothing about a particular
knowledge base) and, for answers, from the surface of the text: figures and currency
signs, years, month and day names, capitalised names, a capitalised word after "in",
"at" or "from". An intent whose own examples ask that kind of question ("who runs it")
can give that kind, whatever its answer looks like.

A "which / what NOUN" question names the type it asks for ("which city", "what year",
"what percentage"): an answer gives that type only with a span of it (a year, a percentage,
a city's name), so a place answer that names only a country does not answer "which city".
The type nouns, and the short lists of well-known cities, countries and languages that tell
such spans, are general English knowledge shipped with the engine.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

PERSON, TIME, PLACE, AMOUNT = "person", "time", "place", "amount"

# Openings that ask for a kind, longest first; matched on normalised tokens.
_QUESTION_PATTERNS: tuple[tuple[tuple[str, ...], str], ...] = tuple(sorted((
    (("who",), PERSON), (("whom",), PERSON), (("whose",), PERSON),
    (("when",), TIME), (("what", "year"), TIME), (("which", "year"), TIME),
    (("what", "date"), TIME), (("what", "time"), TIME), (("how", "long", "ago"), TIME),
    (("how", "old"), TIME), (("since", "when"), TIME), (("what", "day"), TIME),
    (("what", "month"), TIME), (("which", "day"), TIME), (("which", "month"), TIME),
    (("where",), PLACE), (("what", "city"), PLACE), (("which", "city"), PLACE),
    (("what", "country"), PLACE), (("which", "country"), PLACE),
    (("what", "address"), PLACE), (("how", "far"), PLACE),
    (("how", "much"), AMOUNT), (("how", "many"), AMOUNT), (("what", "percent"), AMOUNT),
    (("what", "percentage"), AMOUNT), (("what", "share"), AMOUNT),
    (("how", "big"), AMOUNT), (("how", "large"), AMOUNT), (("what", "price"), AMOUNT),
), key=lambda item: -len(item[0])))

_MONTHS = ("january february march april may june july august september october november "
           "december monday tuesday wednesday thursday friday saturday sunday")
_TIME = re.compile(
    r"\b(1[5-9]\d\d|20\d\d)s?\b|\b(" + "|".join(_MONTHS.split()) + r")\b"
    r"|\b\d{1,2}(:\d\d)?\s?(am|pm)\b|\b(century|decade|years? ago|since|founded in|"
    r"established in|started in|opened in|today|tomorrow|yesterday|daily|weekly|hours?)\b",
    re.IGNORECASE,
)
_AMOUNT = re.compile(
    r"[$€£¥]\s?\d|\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"twenty|thirty|forty|fifty|hundred|thousand|million|billion|trillion|dozen|half|"
    r"percent|several|many|few)\b",
    re.IGNORECASE,
)
_NAME = re.compile(r"\b[A-Z][a-z]+(?:[- ][A-Z][a-zA-Z]+)+\b")
_PLACE = re.compile(r"\b(in|at|from|near|based|headquartered|located|to)\s+(the\s+)?[A-Z]\w+")
_ROLE = re.compile(
    r"\b(ceo|cto|cfo|founder|co-?founder|director|manager|chief|president|head of|"
    r"chair|owner|leader|engineer|team|staff|employees|people|investors?|partners?|"
    r"backers?|customers?|firms?|companies|organisations?|organizations?)\b",
    re.IGNORECASE,
)


_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)s?\b")
_DATE = re.compile(
    _YEAR.pattern + r"|\b(" + "|".join(_MONTHS.split()) + r")\b|\b\d{1,2}(st|nd|rd|th)\b",
    re.IGNORECASE,
)
_PERCENT = re.compile(r"\d\s?%|\b(percent|per cent|percentage)\b", re.IGNORECASE)
_MONEY = re.compile(
    r"[$€£¥]\s?\d|\d[\d.,]*\s?(dollars|euros|pounds|usd|eur|gbp|cents)\b|\bfree\b",
    re.IGNORECASE,
)
_COUNTRIES = """
afghanistan albania algeria argentina armenia australia austria azerbaijan bangladesh belarus
belgium bolivia bosnia brazil bulgaria cambodia cameroon canada chile china colombia croatia
cuba cyprus czechia czech denmark ecuador egypt estonia ethiopia finland france georgia
germany ghana greece hungary iceland india indonesia iran iraq ireland israel italy jamaica
japan jordan kazakhstan kenya korea kuwait latvia lebanon libya lithuania luxembourg
malaysia malta mexico moldova monaco mongolia morocco nepal netherlands holland nigeria
norway pakistan panama paraguay peru philippines poland portugal qatar romania russia
rwanda senegal serbia singapore slovakia slovenia somalia spain sudan sweden switzerland
syria taiwan tanzania thailand tunisia turkey uganda ukraine uruguay uzbekistan venezuela
vietnam yemen zambia zimbabwe england scotland wales britain america usa uk uae
"""
_COUNTRY_PHRASES = ("united states", "united kingdom", "south africa", "new zealand",
                    "saudi arabia", "south korea", "north korea", "costa rica", "sri lanka")
_DEMONYMS = """
american british english french german italian spanish portuguese dutch belgian swiss
austrian swedish norwegian danish finnish irish scottish welsh polish czech greek turkish
russian ukrainian chinese japanese korean indian pakistani canadian mexican brazilian
argentinian australian israeli egyptian nigerian european asian african
"""
_CITIES = """
paris london berlin madrid rome milan lisbon amsterdam brussels vienna zurich geneva munich
hamburg frankfurt barcelona dublin copenhagen stockholm oslo helsinki warsaw prague budapest
athens istanbul moscow kyiv kiev lyon marseille toulouse nice bordeaux lille nantes
strasbourg edinburgh manchester birmingham glasgow cambridge oxford luxembourg monaco tokyo
osaka seoul beijing shanghai shenzhen hong kong singapore bangkok delhi mumbai bangalore
bengaluru dubai doha riyadh cairo lagos nairobi johannesburg sydney melbourne toronto
montreal vancouver chicago boston seattle austin denver miami atlanta dallas houston
washington philadelphia detroit brooklyn manhattan york angeles francisco diego
"""
_LANGUAGES = """
english french german spanish italian portuguese dutch russian chinese mandarin cantonese
japanese korean arabic hindi bengali urdu turkish polish swedish norwegian danish finnish
greek hebrew persian farsi swahili vietnamese thai indonesian malay ukrainian czech
hungarian romanian catalan basque
"""


def _words(*groups: str) -> re.Pattern[str]:
    names = [w for group in groups for w in group.split()]
    return re.compile(r"\b(" + "|".join(sorted(set(names), key=len, reverse=True)) + r")\b",
                      re.IGNORECASE)


_COUNTRY = _words(_COUNTRIES, " ".join(p.replace(" ", r"\s") for p in _COUNTRY_PHRASES))
_NATIONALITY = _words(_COUNTRIES, _DEMONYMS)
_CITY = _words(_CITIES)
_LANGUAGE = _words(_LANGUAGES)

# Type nouns ("which NOUN", "what NOUN") and the spans that give them. Where the spans are
# read from a short list of names (cities, countries, languages), the noun itself in the
# answer counts too ("in its home city"); years, dates and figures are told by their form.
TYPE_NOUNS: dict[str, tuple[re.Pattern[str], bool]] = {
    "year": (_YEAR, False), "years": (_YEAR, False),
    "date": (_DATE, False), "month": (_DATE, False), "day": (_DATE, False),
    "percent": (_PERCENT, False), "percentage": (_PERCENT, False),
    "price": (_MONEY, False), "fee": (_MONEY, False),
    "city": (_CITY, True), "cities": (_CITY, True), "town": (_CITY, True),
    "country": (_COUNTRY, True), "countries": (_COUNTRY, True), "nation": (_COUNTRY, True),
    "nationality": (_NATIONALITY, True),
    "language": (_LANGUAGE, True), "languages": (_LANGUAGE, True),
}
_TYPE_ASKERS = frozenset({"which", "what"})


def asked_noun(tokens: Sequence[str]) -> str | None:
    """Return the type noun a "which / what NOUN" question asks for, or None.

    "which city is it in" -> "city"; "in what year" -> "year"; "what is the city" -> None
    (that asks what the city is, not which one).
    """
    for start in range(len(tokens) - 1):
        if tokens[start] in _TYPE_ASKERS and tokens[start + 1] in TYPE_NOUNS:
            return tokens[start + 1]
    return None


def gives_noun(noun: str, texts: Iterable[str]) -> bool:
    """Return True when one of ``texts`` has a span of the type ``noun`` asks for."""
    pattern, noun_counts = TYPE_NOUNS[noun]
    itself = re.compile(rf"\b{re.escape(noun)}", re.IGNORECASE)
    return any(pattern.search(text) or (noun_counts and itself.search(text))
               for text in texts)


def example_nouns(examples: Iterable[Sequence[str]], least: int = 1) -> frozenset[str]:
    """Return the type nouns that at least ``least`` of an intent's examples ask for."""
    counts = Counter(n for tokens in examples if (n := asked_noun(tokens)) is not None)
    return frozenset(n for n, c in counts.items() if c >= least)


def question_kind(tokens: Sequence[str]) -> str | None:
    """Return the kind of answer the question asks for, or None.

    Only the first kind-asking phrase counts ("who ... and when ..." asks for a person).
    """
    for start in range(len(tokens)):
        for words, kind in _QUESTION_PATTERNS:
            if tuple(tokens[start : start + len(words)]) == words:
                return kind
    return None


def answer_kinds(texts: Iterable[str]) -> frozenset[str]:
    """Return the kinds of answer spans found in an answer's texts."""
    kinds: set[str] = set()
    for text in texts:
        if _TIME.search(text):
            kinds.add(TIME)
        if _AMOUNT.search(text):
            kinds.add(AMOUNT)
        if _NAME.search(text) or _ROLE.search(text):
            kinds.add(PERSON)
        if _PLACE.search(text):
            kinds.add(PLACE)
    return frozenset(kinds)


def example_kinds(examples: Iterable[Sequence[str]], least: int = 1) -> frozenset[str]:
    """Return the kinds that at least ``least`` of an intent's (normalised) examples ask."""
    counts = Counter(k for tokens in examples if (k := question_kind(tokens)) is not None)
    return frozenset(k for k, c in counts.items() if c >= least)
