"""English function words the follow-up reader relies on; nothing here names a topic.

These lists describe how people write short follow-ups in English ("and a year
before?", "who leads it?", "tell me more"), not what any knowledge base is about.
"""

from __future__ import annotations

from bot.nlu.lexicon import FUNCTION_WORDS as NLU_FUNCTION_WORDS
from bot.nlu.lexicon import QUESTION_WORDS as NLU_QUESTION_WORDS

# Words that point back to something said before.
ANAPHORS = frozenset({
    "it", "its", "itself", "he", "him", "his", "himself", "she", "her", "hers", "herself",
    "they", "them", "their", "theirs", "themselves", "that", "this", "those", "these",
    "there", "then", "one", "ones", "same", "former", "latter",
})

# Anaphors that are a quantity, not a reference, before "of" ("one of the investors").
PARTITIVES = frozenset({"one", "ones"})

# Openings of a message that continue the previous exchange.
CONNECTORS = (
    ("and",), ("but",), ("so",), ("also",), ("plus",), ("then",), ("or",),
    ("what", "about"), ("how", "about"), ("and", "what", "about"), ("what", "of"),
)

# A short question opening with a preposition is a fragment of the last one ("since what
# year", "from whom", "by how much"): it leans on the conversation as "and ..." does.
FRAGMENT_PREPOSITIONS = frozenset({"since", "until", "from", "by", "for", "to", "in", "at",
                                   "with"})
FRAGMENT_MAX_TOKENS = 4
FRAGMENT_ASKERS = NLU_QUESTION_WORDS  # what, which, who, when, how ...

# Openings that carry no subject of their own: the question is what follows them
# ("quick question, who runs it", "ok, by the way, how much did they raise").
OPENERS = (
    ("ok",), ("okay",), ("alright",), ("anyway",), ("anyways",), ("well",), ("hey",),
    ("hmm",), ("oh",), ("btw",), ("by", "the", "way"), ("quick", "q"), ("quick", "question"),
    ("one", "more", "thing"), ("one", "more", "question"), ("another", "question"),
    ("a", "question"), ("question",),
)

# Openings that turn to the subject named after them ("back to the funding, ..."): what
# follows is a new question, not a follow-up of the last answer.
TOPIC_CHANGES = (
    ("back", "to"), ("going", "back", "to"), ("coming", "back", "to"), ("returning", "to"),
    ("switching", "to"), ("moving", "on", "to"), ("changing", "the", "subject"),
    ("different", "topic"), ("new", "topic"), ("on", "another", "note"),
)

# Short answers to a yes / no question ("Did you mean ...?").
YES_ANSWERS = frozenset({"yes", "y", "yeah", "yep", "yup", "sure", "ok", "okay", "correct",
                         "right", "exactly", "please", "yes please", "that one", "indeed"})
NO_ANSWERS = frozenset({"no", "n", "nope", "nah", "not really", "no thanks", "neither",
                        "wrong"})

# Words that ask for more on the same subject.
MORE_TRIGGERS = frozenset({
    "more", "else", "further", "elaborate", "continue", "details", "detail", "expand",
    "moar",
})
MORE_PHRASES = (("go", "on"), ("keep", "going"), ("and", "then"))

# Words that may surround a request for more without carrying a subject of their own.
MORE_FILLER = frozenset({
    "tell", "me", "us", "say", "give", "show", "explain", "know", "want", "like", "would",
    "info", "information", "something", "anything", "please", "pls", "plz", "thanks",
    "some", "bit", "little", "lot", "go", "keep", "going",
})

# Function words: they carry no subject, so they never count as content. These are the
# matcher's (bot.nlu.lexicon), so both read the same words as function words ("nah",
# "pretty", "wondering"), with the question words and a few more that a follow-up may
# hold without naming a subject ("before", "the year after", "since when", "what else",
# "those ones").
FUNCTION_WORDS = frozenset({
    "against", "before", "after", "above", "below", "once", "when", "where", "why", "how",
    "what", "which", "who", "whom", "whose", "both", "few", "most", "until", "since", "ago",
    "ones", "yet",
    "ever", "much", "many", "more", "else", "plus", "whats", "thing", "things", "whoever",
    "whatever",
}) | ANAPHORS | NLU_FUNCTION_WORDS

# Question words by the kind of answer they ask for ("from whom?" asks for a person).
QUESTION_KINDS: dict[tuple[str, ...], str] = {
    ("who",): "person", ("whom",): "person", ("whose",): "person",
    ("when",): "time", ("where",): "place", ("why",): "reason",
    ("how", "much"): "amount", ("how", "many"): "amount",
}

QUESTION_WORDS = frozenset(word for words in QUESTION_KINDS for word in words[:1])


def question_kinds(tokens: list[str]) -> frozenset[str]:
    """Return the kinds of answer the question words among ``tokens`` ask for."""
    found = set()
    for i in range(len(tokens)):
        for words, kind in QUESTION_KINDS.items():
            if tuple(tokens[i : i + len(words)]) == words:
                found.add(kind)
    return frozenset(found)
