"""English function words the follow-up reader relies on; nothing here names a topic.

These lists describe how people write short follow-ups in English ("and a year
before?", "who leads it?", "tell me more"), not what any knowledge base is about.
"""

from __future__ import annotations

from bot.nlu.lexicon import FUNCTION_WORDS as NLU_FUNCTION_WORDS

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

# Function words: they carry no subject, so they never count as content. The matcher's
# list (bot.nlu.lexicon) is part of it, so both read the same words as function words
# ("nah", "pretty", "wondering"); this one adds the question words and a few more.
FUNCTION_WORDS = frozenset({
    "a", "an", "the", "and", "or", "but", "so", "if", "of", "at", "by", "for", "with",
    "about", "against", "between", "into", "through", "during", "before", "after",
    "above", "below", "to", "from", "up", "down", "in", "out", "on", "off", "over",
    "under", "again", "once", "here", "there", "when", "where", "why", "how", "what",
    "which", "who", "whom", "whose", "all", "any", "both", "each", "few", "most", "other",
    "some", "such", "no", "nor", "not", "only", "own", "same", "than", "too", "very",
    "can", "cannot", "will", "just", "should", "now", "is", "am", "are", "was", "were",
    "be", "been", "being", "have", "has", "had", "having", "do", "does", "did", "doing",
    "would", "could", "might", "must", "shall", "may", "i", "me", "my", "myself", "we",
    "our", "ours", "you", "your", "yours", "it", "its", "he", "him", "his", "she", "her",
    "they", "them", "their", "this", "that", "these", "those", "then", "also", "as",
    "until", "while", "ok", "okay", "yes", "yeah", "hmm", "well", "really", "please",
    "tell", "know", "one", "ones", "still", "yet", "ever", "even", "much", "many",
    "get", "got", "more", "else", "plus", "via", "per", "whats", "thing", "things",
    "kind", "sort", "lot", "bit", "anyone", "anybody", "someone", "somebody", "everyone",
    "everybody", "anything", "something", "everything", "whoever", "whatever",
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
