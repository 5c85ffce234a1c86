"""English word lists the compiler reads articles with (language knowledge, no article's).

Roles people hold, words that make a capitalised name an organisation or a place, number
words and units, the auxiliaries and determiners a shallow clause reader needs, and a few
families of business verbs whose questions people phrase with a noun ("founders?",
"headcount?"). Nothing here names a company, a person or a place of any seed.
"""

from __future__ import annotations


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}
SCALES = _set("thousand million billion trillion bn m k")
MONTHS = _set("january february march april may june july august september october "
              "november december")
WEEKDAYS = _set("monday tuesday wednesday thursday friday saturday sunday mondays tuesdays "
                "wednesdays thursdays fridays saturdays sundays weekend weekends")
UNITS = _set(
    "megawatts megawatt mw gigawatts gigawatt gw kilowatts kilowatt kw watts metres metre "
    "meters meter km kilometres kilometers miles mile feet foot inches cm millimetres "
    "tonnes tonne tons ton kg kilograms kilos grams pounds lb hectares hectare acres acre "
    "litres liters gallons square cubic degrees knots mph gb tb seats storeys floors"
)
# What a measure's unit says about the thing measured: "15 megawatts" -> "how powerful".
UNIT_ADJECTIVES = {
    **dict.fromkeys(_set("megawatts megawatt mw gigawatts gigawatt gw kilowatts kilowatt "
                         "kw watts"), "powerful"),
    **dict.fromkeys(_set("tonnes tonne tons ton kg kilograms kilos grams pounds lb"),
                    "heavy"),
    **dict.fromkeys(_set("metres metre meters meter feet foot storeys floors"), "tall"),
    **dict.fromkeys(_set("km kilometres kilometers miles mile"), "far"),
}
# Nouns that name a measure themselves: "a capacity of 630 MW" asks "what is the capacity".
DIMENSION_NOUNS = _set("capacity size area length height weight output depth width distance "
                       "volume range speed power")
# Adjectives a measure ends with ("ten years old", "20 metres long"): it counts nothing.
DIMENSION_ADJECTIVES = _set("old long wide high tall deep thick")
# The noun of a count that names people: "how many people work at X".
PEOPLE_NOUNS = _set("people employees staff workers members member-owners engineers "
                    "staffers volunteers students researchers players users customers")

AUXILIARIES = _set("is are was were be been being am has have had will would can could "
                   "may might shall should must does do did")
DETERMINERS = _set("the a an its their his her our my this that these those each every "
                   "all some any no another both many several most few")
ADVERBS = _set("now still also already just only currently recently since then soon "
               "first later jointly once newly mainly largely mostly")
# Adverbs of time that open a sentence before what it is about ("Today the company ...").
TIME_ADVERBS = _set("today nowadays meanwhile currently lately recently originally initially "
                    "eventually subsequently afterwards previously formerly")
PREPOSITIONS = _set("of in on at to for from by with about as into onto over under "
                    "through during between among around via per across near since "
                    "after before until than against within without along behind beyond "
                    "according")
PRONOUN_SUBJECTS = _set("it they he she its their his her")
# Participles saying where something is ("an orchestra based in Plymouth").
LOCATING_PARTICIPLES = _set("based located headquartered situated sited housed")
# Participles that introduce a name ("a decaf called Quiet Hour"), never a main verb.
NAMING_PARTICIPLES = _set("called named known dubbed titled branded")

# Words that make a capitalised name an organisation.
ORG_WORDS = _set(
    "ventures capital partners partnership bank banks union markets market interactive "
    "turbines games studios studio inc ltd llc plc corp corporation co cooperative co-op "
    "group holdings fund funds foundation institute university college council agency "
    "ministry magazine review ledger news times journal herald post awards association "
    "society trust energy wind power roasters credit pension airlines motors systems "
    "technologies labs laboratories software media records publishing press company "
    "industries enterprises networks solutions authority board commission club"
)
# Nouns that, just before a name, say what it is: "the Danish manufacturer Skovby".
ORG_NOUNS = _set(
    "manufacturer maker publisher chain company firm fund investor supplier developer "
    "insurer retailer partner bank lender distributor startup studio brand group "
    "cooperative union operator provider consortium broadcaster newspaper"
)
PLACE_WORDS = _set(
    "port region county province state city town village island islands bay firth sea "
    "ocean river lake mountains valley coast district harbour harbor street avenue road "
    "square park north south east west northern southern eastern western"
)
PLACE_PREPOSITIONS = _set("in near from at across outside to around throughout within")
# Head nouns an article uses for its subject ("the company"); only these, and the noun
# the first sentence gives ("X is a ... studio"), are read as the subject.
SUBJECT_NOUNS = _set("company firm business cooperative co-op studio startup organisation "
                     "organization charity")

# Roles a person holds; the key is how people shorten it.
ROLE_SHORT = {
    "chief executive officer": "ceo", "chief executive": "ceo", "ceo": "ceo",
    "chief technology officer": "cto", "chief technical officer": "cto", "cto": "cto",
    "chief financial officer": "cfo", "finance director": "cfo", "cfo": "cfo",
    "chief operating officer": "coo", "coo": "coo",
    "managing director": "md", "general manager": "gm",
}
ROLE_HEADS = _set(
    "director manager officer executive president chair chairman chairwoman chairperson "
    "founder co-founder cofounder roaster editor producer designer programmer engineer "
    "head leader owner partner secretary treasurer curator principal chef captain coach"
)
# Roles that lead the whole organisation: "who runs X", "who is in charge", "boss".
TOP_ROLES = _set("ceo gm md president")
TOP_ROLE_QUESTIONS = ("who runs {s}", "who leads {s}", "who is in charge of {s}",
                      "who is the boss", "who heads {s}")

# Families of verbs and the nouns people ask them with: a fact using one verb of a
# family also gets questions with the family's common words.
VERB_FAMILIES: tuple[tuple[frozenset[str], tuple[str, ...], tuple[str, ...]], ...] = (
    # (verb lemmas, other verbs people use, nouns people ask with)
    (_set("found establish start create launch"), ("found", "start", "set up"),
     ("founders", "founder")),
    (_set("employ"), ("employ",), ("employees", "staff", "headcount")),
    (_set("raise"), ("raise",), ("funding", "investment")),
    (_set("cost"), ("cost",), ("cost", "price")),
    (_set("own"), ("own",), ("owners", "ownership")),
    (_set("make manufacture build develop"), ("make", "build"),
     ("maker", "manufacturer")),
    (_set("publish"), ("publish",), ("publisher",)),
    (_set("release launch plan"), ("release", "come out"), ("release date", "release")),
    (_set("open"), ("open",), ("opening",)),
    (_set("pay"), ("pay",), ("pay",)),
    (_set("produce generate"), ("produce", "generate"), ("output",)),
    (_set("chair"), ("chair",), ("chair",)),
    (_set("lead head run"), ("lead", "run"), ("leader", "head")),
)
# Verbs of something that happens at a time: "construction began" -> "has construction begun".
EVENT_VERBS = _set("begin start open launch finish complete end close arrive resume stop "
                   "commence")
# Verbs saying what a person thinks, and the ways people ask for someone's views.
OPINION_VERBS = _set("want argue believe think say hope expect advocate favour favor insist "
                     "warn predict claim")
OPINION_QUESTIONS = ("think", "want", "believe", "stand for")
# Verbs of making something new, asked "what are they working on" while under way.
WORK_VERBS = _set("develop design build test research prepare plan create make engineer "
                  "write produce construct prototype")
# Nouns that only measure out what follows them: "a wide range of models" says no object.
PARTITIVE_NOUNS = _set("range number lot kind kinds variety set series host array such part "
                       "share amount most")
# Verbs whose passive subject receives something: "growers are paid $2" -> "what do growers
# get"; and the ways people say something was paid for.
GIVING_VERBS = _set("pay give offer award grant send")
PAID_FOR = ("paid for", "financed", "funded")
# The noun people ask a verb's result with: "it sold 3 million copies" -> "saltmarsh sales".
VERB_NOUNS = {"sell": "sales", "earn": "earnings", "grow": "growth", "win": "awards",
              "lose": "losses", "export": "exports", "produce": "output"}
# What people ask about the subject itself; asked of the fact that says what it is.
IDENTITY_QUESTIONS = ("what is {s}", "who are {s}", "who is {s}", "what does {s} do",
                      "tell me about {s}", "what is {s} about", "{s}", "what kind of {n} is {s}",
                      "explain {s}")
# The preposition a verb takes for its object, when it is not a plain object.
VERB_PREPOSITIONS = {"invest": "in", "work": "for", "partner": "with", "belong": "to"}
# What people call an organisation by the word its name ends with ("Fjordline Ventures":
# "which vc").
ORG_KINDS = {"ventures": ("vc", "investor"), "capital": ("vc", "investor"),
             "partners": ("investor",), "bank": ("bank", "lender"), "union": ("lender",),
             "fund": ("fund", "investor"), "markets": ("chain", "retailer"),
             "interactive": ("publisher",), "games": ("studio",), "studios": ("studio",),
             "turbines": ("manufacturer", "supplier"), "institute": ("institute",),
             "university": ("university",)}
# Nouns of time: "in its first year" says when, it names nothing that came first.
TIME_NOUNS = _set("year years month months week weeks day days time quarter half season "
                  "decade century")
# Words for what comes first and what comes next, as people ask them.
FIRST_WORDS = ("first", "debut")
NEXT_QUESTIONS = ("what is next for {s}", "what are they doing next",
                  "what comes next", "what is the next {n}", "what is their next {n}")
# What a customer does when the subject does this: "X sells coffee" -> "can i buy coffee".
CUSTOMER_VERBS = {"sell": "buy", "offer": "get", "stock": "buy", "serve": "get",
                  "supply": "get", "rent": "rent", "publish": "buy", "make": "buy"}
# How people shorten the words of a name or a title ("b corporation" -> "b corp").
ABBREVIATIONS = {"corporation": "corp", "company": "co", "incorporated": "inc",
                 "limited": "ltd", "university": "uni", "international": "intl",
                 "association": "assoc", "laboratory": "lab", "laboratories": "labs",
                 "technology": "tech", "information": "info", "application": "app",
                 "applications": "apps", "advertisement": "ad", "television": "tv"}
# What people say happened to the subject of a passive verb: "it was founded" -> "when did
# it start"; "it was released" -> "when did it come out".
INTRANSITIVE = {
    "found": ("start",), "establish": ("start",), "create": ("start",),
    "release": ("come out", "launch"), "launch": ("come out", "start"), "open": ("open",),
}
# Topic keys for intent names: a fact whose words include one of these is named so.
TOPIC_WORDS = {
    "found": "founding", "founded": "founding", "founders": "founding",
    "established": "founding", "employs": "headcount", "employees": "headcount",
    "headcount": "headcount", "revenue": "revenue", "raised": "funding",
    "funding": "funding", "headquartered": "location", "based": "location",
}
