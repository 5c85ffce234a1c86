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

Some questions ask for a narrower type than their opening tells. "How much is a bag" or
"what does it cost" asks for money: an answer with figures but no sum of money (no currency
sign or name, nothing "free") does not give a price. "How many players" asks for a count of
players: an answer gives it only when one of its figures counts players, or a word the
paraphrase lexicon groups with "players" (the matcher checks that, see :func:`count_noun`
and :func:`counted_words`), so "sold 3.1 million copies" does not answer it. "How old"
asks for an age ("aged 41", "a 40-year-old", "born in"), which a founding year does not
give; "how long" for a duration or a length ("for six years", "since 2019", "12 km"), and
"how far", "how tall", "how high", "how deep" or "how wide" for a length; "how heavy" and
"how much does it weigh" for a weight ("25 kg", "it weighs").

A "which / what NOUN" question names the type it asks for ("which city", "what year",
"what percentage"): an answer gives that type only with a span of it (a year, a percentage,
a city's name, or a capitalised name followed by a country: "in Águeda, Portugal"), so a
place answer that names only a country does not answer "which city", and one with a date
but no time of day ("at 21:30", "7 pm", "midnight") does not answer "what time".
The type nouns, and the short lists of well-known cities, countries and languages that tell
such spans, are general English knowledge shipped with the engine.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from bot.nlu.lexicon import FUNCTION_WORDS, QUESTION_WORDS

PERSON, TIME, PLACE, AMOUNT = "person", "time", "place", "amount"
MONEY, AGE, DURATION, WEIGHT = "money", "age", "duration", "weight"
# "where" is often figurative ("where does he fit in", "where would I run it"): only the
# other kinds are taken literally when an answer below the threshold must give its kind.
LITERAL_KINDS = frozenset({PERSON, TIME, AMOUNT, MONEY, AGE, DURATION, WEIGHT})

# Openings that ask for a kind, longest first; matched on normalised tokens.
_QUESTION_PATTERNS: tuple[tuple[tuple[str, ...], str], ...] = tuple(sorted((
    (("who",), PERSON), (("whom",), PERSON), (("whose",), PERSON),
    (("when",), TIME), (("what", "year"), TIME), (("which", "year"), TIME),
    (("what", "date"), TIME), (("what", "time"), TIME), (("how", "long", "ago"), TIME),
    (("how", "old"), AGE), (("how", "long"), DURATION), (("since", "when"), TIME),
    (("what", "day"), TIME),
    (("what", "month"), TIME), (("which", "day"), TIME), (("which", "month"), TIME),
    (("where",), PLACE), (("what", "city"), PLACE), (("which", "city"), PLACE),
    (("what", "country"), PLACE), (("which", "country"), PLACE),
    (("what", "address"), PLACE), (("how", "far"), DURATION), (("how", "tall"), DURATION),
    (("how", "high"), DURATION), (("how", "deep"), DURATION), (("how", "wide"), DURATION),
    (("how", "much"), AMOUNT), (("how", "many"), AMOUNT), (("what", "percent"), AMOUNT),
    (("what", "percentage"), AMOUNT), (("what", "share"), AMOUNT),
    (("how", "big"), AMOUNT), (("how", "large"), AMOUNT), (("what", "price"), MONEY),
    (("how", "expensive"), MONEY), (("how", "cheap"), MONEY), (("how", "heavy"), WEIGHT),
    (("how", "light"), WEIGHT), (("what", "weight"), WEIGHT),
), key=lambda item: -len(item[0])))

def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Words that make a question about an amount ask for a sum of money ("how much do they
# charge"); the first group alone is enough in any question ("what is the price").
_PRICE_WORDS = _set(
    "cost costs costing price prices priced pricing fee fees charge charges charged "
    "expensive cheap pricey")
_MONEY_WORDS = _PRICE_WORDS | _set(
    "money cash pay pays paid spend spends spent afford worth salary wage wages")
# Words that make a question about an amount ask for a weight ("how much does it weigh").
_WEIGHT_WORDS = _set("weigh weighs weighed weighing weight")
_BE = _set("is are was were")
# After "how many": words that belong to the question, not to the noun counted, and nouns
# that ask how often or by what factor rather than for a count ("how many times bigger").
_NOUN_SKIP = _set("of the its their his her those these our your my this that")
_NOT_COUNTED = frozenset({"time", "times"})
_COUNT_OF = frozenset({("number", "of"), ("count", "of")})

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
# A name of two capitalised words ("Lucija Mandić", "SkyTable Catering"), or one that an
# appositive describes ("Buurtmarkt, a Dutch supermarket chain").
_UPPER, _LOWER, _LETTER = "A-ZÀ-ÖØ-Þ", "a-zß-öø-ÿ", "A-Za-zÀ-ÖØ-öø-ÿ"
_NAME = re.compile(
    rf"\b[{_UPPER}][{_LOWER}]+[{_LETTER}]*(?:[- ][{_UPPER}][{_LETTER}]+)+\b"
    rf"|\b[{_UPPER}][{_LETTER}]+,\s(?:a|an)\s")
_PLACE = re.compile(r"\b(in|at|from|near|based|headquartered|located|to)\s+(the\s+)?[A-Z]\w+")
_ROLE = re.compile(
    r"\b(ceo|cto|cfo|founder|co-?founder|director|manager|chief|president|head of|"
    r"chair|owner|leader|engineer|team|staff|employees|people|investors?|partners?|partnerships?|alliances?|"
    r"backers?|customers?|firms?|companies|organisations?|organizations?)\b",
    re.IGNORECASE,
)


_CURRENCY = (r"(dollars?|euros?|pounds?|usd|eur|gbp|chf|cents?|pence|yen|yuan|francs?|"
             r"rupees?|kronor|krona|kroner|pesos?|bucks)")
_NUMBER_WORD = (r"(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
                r"twenty|thirty|forty|fifty|sixty|hundred|a few|several|a couple of|a|an)")
_UNITS_OF_TIME = r"(seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centur(y|ies))"
_AGE = re.compile(
    r"\b\d+[- ]years?[- ]old\b|\b" + _NUMBER_WORD + r"[- ]years?[- ]old\b|\baged?\s\d"
    r"|\bage of\b|\bborn\b|\bin (his|her|their) (teens|twenties|thirties|forties|fifties|"
    r"sixties|seventies|eighties|nineties)\b|\b\d+\s?" + _UNITS_OF_TIME + r"\s+old\b",
    re.IGNORECASE,
)
_DURATION = re.compile(
    r"\b(\d[\d.,]*|" + _NUMBER_WORD + r")[- ](more\s)?" + _UNITS_OF_TIME + r"\b"
    r"|\bsince\b|\buntil\b|\b(all|half) (day|night|week|year)\b"
    r"|\b\d[\d.,]*\s?(km|kilomet(re|er)s?|miles?|met(re|er)s?|m|feet|ft|cm|inches|yards)\b",
    re.IGNORECASE,
)
_WEIGHT = re.compile(
    r"\b\d[\d.,]*\s?(kg|kilos?|kilograms?|kilogrammes?|g|grams?|grammes?|tonnes?|tons?|t|"
    r"lbs?|pounds|ounces?|oz)\b|\b(weighs|weighing|weighed|weight of)\b",
    re.IGNORECASE,
)
_NUMBER_TOKEN = re.compile(r"[$€£¥]?\d[\d.,]*(%|k|m|bn|s)?")
_NUMBER_WORDS = _set(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
    "eighty ninety hundred hundreds thousand thousands million millions billion billions "
    "dozen dozens several")
_YEAR_TOKEN = re.compile(r"(1[5-9]\d\d|20\d\d)s?")
_BEFORE_YEAR = _set("in since from by until till of the to before after during")
_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)s?\b")
_DATE = re.compile(
    _YEAR.pattern + r"|\b(" + "|".join(_MONTHS.split()) + r")\b|\b\d{1,2}(st|nd|rd|th)\b",
    re.IGNORECASE,
)
# A time of day ("at 9:30", "7 pm", "midnight", "every hour"): what "what time" asks for,
# which a date does not give.
_CLOCK = re.compile(
    r"\b\d{1,2}([:.h]\d\d)?\s?(am|pm|a\.m\.|p\.m\.|o'clock|h)(?!\w)|\b\d{1,2}[:h]\d\d\b"
    r"|\b(at|from|until|till|by|before|after) \d{1,2}\b|\b(noon|midday|midnight|o'clock|"
    r"hourly|every hour|morning|mornings|afternoon|afternoons|evening|evenings|overnight|"
    r"dawn|dusk|sunrise|sunset|opening hours)\b",
    re.IGNORECASE,
)
_PERCENT = re.compile(r"\d\s?%|\b(percent|per cent|percentage)\b", re.IGNORECASE)
_MONEY = re.compile(
    r"[$€£¥]\s?\d|\b(usd|eur|gbp|chf)\s?\d"
    r"|\b(\d[\d.,]*|one|two|three|four|five|six|seven|eight|nine|ten|twenty|fifty|hundred)"
    r"\s?(k|m|bn|thousand|million|billion|trillion)?\s?"
    + _CURRENCY + r"\b|\bfree\b",
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
# A town the list does not know, told by the country after it: "in Águeda, Portugal".
_TOWN = re.compile(
    r"(?i:" + _CITY.pattern + rf")|\b(?:in|at|near|from)\s+[{_UPPER}][^\W\d_]+"
    rf"(?:[\s-][{_UPPER}][^\W\d_]+)?,\s+(?:the\s+)?(?i:" + _COUNTRY.pattern + r")")
_LANGUAGE = _words(_LANGUAGES)

# Type nouns ("which NOUN", "what NOUN") and the spans that give them. Where the spans are
# read from a short list of names (cities, countries, languages), the noun itself in the
# answer counts too ("in its home city"); years, dates and figures are told by their form.
TYPE_NOUNS: dict[str, tuple[re.Pattern[str], bool]] = {
    "year": (_YEAR, False), "years": (_YEAR, False),
    "date": (_DATE, False), "month": (_DATE, False), "day": (_DATE, False),
    "time": (_CLOCK, False), "hour": (_CLOCK, False),
    "percent": (_PERCENT, False), "percentage": (_PERCENT, False),
    "price": (_MONEY, False), "fee": (_MONEY, False),
    "city": (_TOWN, True), "cities": (_TOWN, True), "town": (_TOWN, True),
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


def asked_head(tokens: Sequence[str], owned_only: bool = False) -> str | None:
    """Return the noun a "what is X's NOUN" question asks about, or None.

    The question is "what" and a verb "be" followed by a short noun phrase: its last word
    is what is asked ("what is openai's revenue" -> "revenue", "what was the valuation"
    -> "valuation"). The phrase may go on with "of" / "on" / "for" and what the noun
    belongs to ("what is the interest rate on the loan" -> "rate"; with "who" only so:
    "who is the ceo of northfield" -> "ceo"), unless the noun only says how it is asked
    ("the name of the ceo"). Any other shape returns None. With ``owned_only``, only a
    noun followed by what it belongs to counts ("the top speed of the ferry" -> "speed").
    """
    for start in range(len(tokens) - 1):
        if tokens[start] in {"what", "who"} and tokens[start + 1] in _BE:
            at = start + 2
            while at < len(tokens) and tokens[at] in _NOUN_SKIP:
                at += 1
            phrase = list(tokens[at:])
            owned = False
            for end, token in enumerate(phrase):
                if end and token in _OWNER_WORDS and end + 1 < len(phrase):
                    phrase, owned = phrase[:end], True
                    break
            if (tokens[start] == "who" or owned_only) and not owned:
                return None  # "who is the director" asks for a person, not about one
            if (0 < len(phrase) <= 3 and phrase[-1] not in _FRAME_NOUNS and all(
                    t not in FUNCTION_WORDS and t not in QUESTION_WORDS for t in phrase)):
                return phrase[-1]
            return None
    return None


def asked_object(tokens: Sequence[str]) -> str | None:
    """Return the noun a "what NOUN did X ..." question asks about, or None.

    "what profit did they make" -> "profit", "what models does it sell" -> "models": the
    last word of a short noun phrase between an opening "what" and its auxiliary. A type
    noun ("what year did it start": the matcher checks it against the answer's spans) and
    a noun that only frames the question ("what kind of ...") return None.
    """
    if len(tokens) < 3 or tokens[0] != "what":
        return None
    for end in range(2, min(4, len(tokens))):
        if tokens[end] in _ASKING_AUXILIARIES:
            phrase = tokens[1:end]
            if (phrase[-1] in _FRAME_NOUNS or phrase[-1] in TYPE_NOUNS
                    or any(t in FUNCTION_WORDS or t in QUESTION_WORDS for t in phrase)):
                return None
            return phrase[-1]
    return None


_ASKING_AUXILIARIES = _set("did does do has have will")


# "the NOUN of X": words joining the noun asked about to what it belongs to, and nouns
# that only frame the question ("the name of the ceo" asks for the ceo, "the dollar
# figure on its fundraising" for the fundraising).
_OWNER_WORDS = _set("of on for")
_FRAME_NOUNS = _set("name names kind type sort part list deal story point idea thing figure "
                    "figures amount number total details detail info information")


_EXCLUDING = (("besides",), ("apart", "from"), ("aside", "from"), ("other", "than"),
              ("except",), ("excluding",), ("except", "for"))


# "before" or "after" right before a name asks about someone else ("who ran it before
# ramanathan"); "before the new building" is about a time.
_BEFORE_SOMEONE = _set("before after succeeded replaced")


def excluded_words(tokens: Sequence[str]) -> tuple[str, ...]:
    """Return the words a question sets aside ("besides mensch" -> ("mensch",)), or ().

    See :func:`set_aside`, which also tells how they are set aside.
    """
    return set_aside(tokens)[0]


def set_aside(tokens: Sequence[str]) -> tuple[tuple[str, ...], bool]:
    """Return the words a question sets aside, and whether "before" or "after" did it.

    The words after "besides", "apart from", "other than", "except" ... up to the next
    function word: what is asked for is something else than them. So is the word right
    after "before" or "after" ("who was director before ramanathan"): then the flag is
    True, for someone earlier or later, not only someone else.
    """
    for start in range(len(tokens)):
        if (tokens[start] in _BEFORE_SOMEONE and start + 1 < len(tokens)
                and tokens[start + 1].isalpha() and tokens[start + 1] not in FUNCTION_WORDS
                and tokens[start + 1] not in QUESTION_WORDS):
            return (tokens[start + 1],), True  # "who was director before ramanathan"
        for marker in _EXCLUDING:
            if tuple(tokens[start:start + len(marker)]) == marker:
                rest = tokens[start + len(marker):]
                words = []
                for token in rest:
                    if token in FUNCTION_WORDS or token in QUESTION_WORDS:
                        if words:
                            break
                        continue
                    words.append(token)
                return tuple(words), False
    return (), False


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
    "How much" asks for money with a word of paying ("how much does it cost", "how much
    money") or before a verb "be" that does not measure a part ("how much is a bag", but
    not "how much of it is"); a price word asks for money in a question with no other kind
    ("what is the price of a bag").
    """
    for start in range(len(tokens)):
        for words, kind in _QUESTION_PATTERNS:
            if tuple(tokens[start : start + len(words)]) == words:
                if words == ("how", "much") and any(t in _WEIGHT_WORDS for t in tokens):
                    return WEIGHT
                if words == ("how", "much") and _asks_money(tokens, start + 2):
                    return MONEY
                return kind
    if any(t in _PRICE_WORDS for t in tokens):
        return MONEY
    return None


def _asks_money(tokens: Sequence[str], after: int) -> bool:
    """Return True when a "how much" question ending at ``after`` asks for a sum of money."""
    if any(t in _MONEY_WORDS for t in tokens):
        return True
    rest = tokens[after : after + 2]
    return bool(rest) and rest[0] in _BE and (len(rest) < 2 or rest[1] not in {"of", "left"})


def count_noun(tokens: Sequence[str]) -> tuple[str, ...]:
    """Return the words of what a question asks the count of, or () for none.

    "how many players can join" -> ("players",); "how many of the members farm" ->
    ("members", "farm"): the words after "how many" (past "of the", "their" ...) up to
    the next function word. "the number of players" and "count of players" ask the same,
    and so does "player count" (the noun just before "count"). "How many times" asks how
    often, not for a count of a noun.
    """
    for start in range(len(tokens) - 1):
        pair = (tokens[start], tokens[start + 1])
        if pair == ("how", "many") or pair in _COUNT_OF:
            return _counted_after(tokens, start + 2)
    for at in range(1, len(tokens)):
        before = tokens[at - 1]
        if (tokens[at] == "count" and before not in FUNCTION_WORDS
                and before not in QUESTION_WORDS and before.isalpha()):
            return (before,)
    return ()


def _counted_after(tokens: Sequence[str], at: int) -> tuple[str, ...]:
    """Return the content words from ``at`` on (past "of the"), up to a function word."""
    while at < len(tokens) and tokens[at] in _NOUN_SKIP:
        at += 1
    words: list[str] = []
    while (at < len(tokens) and len(words) < 3 and tokens[at] not in FUNCTION_WORDS
           and tokens[at] not in QUESTION_WORDS):
        words.append(tokens[at])
        at += 1
    if not words or words[0] in _NOT_COUNTED:
        return ()
    return tuple(words)


def counted_words(tokens: Sequence[str]) -> set[str]:
    """Return the words an answer's figures count, from its normalised ``tokens``.

    "sold 3.1 million copies" counts "copies"; "a headcount of 300" counts "headcount":
    the content words right after a figure (past its "million" and an "of them": "410,000
    of them e-books"), and those just before "of" and a figure. A year after "in",
    "since" ... counts nothing.
    """
    counted: set[str] = set()
    for at, token in enumerate(tokens):
        if not _is_number(token) or (at and _is_number(tokens[at - 1])):
            continue
        if _YEAR_TOKEN.fullmatch(token) and at and tokens[at - 1] in _BEFORE_YEAR:
            continue
        after = at + 1
        while after < len(tokens) and _is_number(tokens[after]):
            after += 1
        reach = at + 4
        if tokens[after:after + 2] in (["of", "them"], ["of", "those"], ["of", "these"]):
            after, reach = after + 2, reach + 2  # "1.3 million items, 410,000 of them e-books"
        while (after < len(tokens) and after <= reach and tokens[after] not in FUNCTION_WORDS
               and not _is_number(tokens[after])):
            counted.add(tokens[after])
            after += 1
        if at >= 2 and tokens[at - 1] == "of" and tokens[at - 2] not in FUNCTION_WORDS:
            counted.add(tokens[at - 2])
    return counted


# Nouns for people: a count of any of them is a count of people ("a five-member board"
# answers "how many people sit on the board").
PEOPLE = "people"
_PERSON_NOUNS = _set(
    "people persons individuals members employees staff workers residents passengers "
    "customers clients users visitors students pupils players fans subscribers holders "
    "cardholders readers listeners viewers volunteers musicians artists drivers pilots "
    "riders farmers growers owners founders investors shareholders partners children "
    "adults patients guests travellers travelers commuters tourists citizens voters "
    "teachers engineers scientists researchers developers designers mechanics nurses "
    "doctors officers directors managers councillors councilors trustees governors "
    "delegates representatives ministers judges lawyers soldiers athletes singers dancers "
    "actors authors writers editors journalists reporters photographers chefs cooks "
    "waiters cleaners builders electricians plumbers programmers analysts consultants "
    "apprentices interns trainees graduates retirees pensioners parents kids crew")


def counts_people(word: str) -> bool:
    """True when ``word`` is a noun for people ("members", "passengers", "holders")."""
    return word in _PERSON_NOUNS


def _is_number(token: str) -> bool:
    return bool(_NUMBER_TOKEN.fullmatch(token)) or token in _NUMBER_WORDS


def answer_kinds(texts: Iterable[str]) -> frozenset[str]:
    """Return the kinds of answer spans found in an answer's texts."""
    kinds: set[str] = set()
    for text in texts:
        if _TIME.search(text):
            kinds.add(TIME)
        if _AMOUNT.search(text):
            kinds.add(AMOUNT)
        if _MONEY.search(text):
            kinds.add(MONEY)
        if _AGE.search(text):
            kinds.add(AGE)
        if _DURATION.search(text):
            kinds.add(DURATION)
        if _WEIGHT.search(text):
            kinds.add(WEIGHT)
        if _NAME.search(text) or _ROLE.search(text):
            kinds.add(PERSON)
        if _PLACE.search(text):
            kinds.add(PLACE)
    return frozenset(kinds)


def example_kinds(examples: Iterable[Sequence[str]], least: int = 1) -> frozenset[str]:
    """Return the kinds that at least ``least`` of an intent's (normalised) examples ask."""
    counts = Counter(k for tokens in examples if (k := question_kind(tokens)) is not None)
    counts[AMOUNT] += counts[MONEY]  # "how much does it cost" asks an amount too
    return frozenset(k for k, c in counts.items() if c >= least)


def example_counts(examples: Iterable[Sequence[str]], least: int = 1) -> frozenset[str]:
    """Return the words that at least ``least`` of an intent's examples ask "how many" of."""
    counts = Counter(w for tokens in examples for w in set(count_noun(tokens)))
    return frozenset(w for w, c in counts.items() if c >= least)


def second_question(tokens: Sequence[str]) -> int | None:
    """Return where a second question starts ("... and what does he stand for"), or None.

    A second question opens with "and" and a question word, and both questions have a
    content word. The index is that of the question word ("and" ends the first question).
    """
    def has_content(part: Sequence[str]) -> bool:
        return any(t not in FUNCTION_WORDS and t not in QUESTION_WORDS for t in part)

    for i in range(1, len(tokens) - 1):
        if (tokens[i] == "and" and tokens[i + 1] in QUESTION_WORDS
                and has_content(tokens[:i]) and has_content(tokens[i + 1:])):
            return i + 1
    return None
