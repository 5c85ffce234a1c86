"""Who a question is about, and which names an answer mentions only to compare.

An answer may name another organisation only as a yardstick: "it sells to governments, in
the manner of Palantir", "cheaper than OpenAI". Such a name is not what the answer is
about, so a question whose subject is that name ("what does palantir do as a company") is
about something the answer does not cover: a near miss, however many of its words the
intent's examples share. A question that only mentions the name ("the palantir comparison")
is still about the answer.

Both readings are English surface patterns, nothing about a particular knowledge base.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from bot.nlu.lexicon import FUNCTION_WORDS, QUESTION_WORDS
from bot.nlu.normalize import tokenize

# Phrases that introduce a name as a comparison ("in the manner of Palantir").
_COMPARING = (
    r"in the (?:manner|mould|mold|style|vein) of|the way|unlike|like|than|compared (?:to|with)"
    r"|similar to|rivals?|competitors?(?: such as)?|versus|vs\.?"
)
_CAPITALISED = r"[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*"
_COMPARISON = re.compile(rf"\b(?:{_COMPARING})\s+(?:the\s+)?({_CAPITALISED})")
_NAME = re.compile(rf"\b{_CAPITALISED}")
# The verbs a yes/no question opens with ("is it", "does it", "can they").
AUXILIARIES = frozenset(
    ["is", "are", "was", "were", "does", "do", "did", "has", "have", "can", "could", "will",
     "would", "should"]
)


def _words(phrase: str) -> list[str]:
    return [w for w in tokenize(phrase) if w not in FUNCTION_WORDS]


def comparison_names(texts: Iterable[str]) -> frozenset[str]:
    """Return the (normalised) names that ``texts`` use only after a comparing phrase.

    "Mistral sells to governments, in the manner of Palantir." -> {"palantir"}; a name
    that the texts also use otherwise ("Palantir's playbook is ...") is not returned.
    """
    compared: set[str] = set()
    elsewhere: set[str] = set()
    for text in texts:
        spans = [m.span(1) for m in _COMPARISON.finditer(text)]
        for match in _COMPARISON.finditer(text):
            compared.update(_words(match.group(1)))
        for match in _NAME.finditer(text):
            inside = any(a <= match.start() < b for a, b in spans)
            # a capitalised word opening a sentence is no name by its case alone
            before = text[: match.start()].rstrip()
            opening = not before or before.endswith((".", "!", "?", ":"))
            if not inside and not opening:
                elsewhere.update(_words(match.group(0)))
    return frozenset(compared - elsewhere)


def question_subject(tokens: Sequence[str]) -> str | None:
    """Return the word a question asks about as its grammatical subject, or None.

    The subject is read from a question word and an auxiliary followed by one word that
    ends the question or is followed by a function word: "what does palantir actually
    do", "who is palantir", "is palantir a bank"; or from "what NOUN" and an auxiliary
    followed by the subject and a last verb: "what models does openai make". A word
    followed by a content word is a modifier ("what is the palantir comparison", "is
    palantir money behind it").

    Args:
        tokens: The normalised tokens of the question.
    """
    for i, token in enumerate(tokens):
        if token in FUNCTION_WORDS or token in QUESTION_WORDS or not token.isalpha():
            continue
        asked = i >= 2 and tokens[i - 1] in AUXILIARIES and tokens[i - 2] in QUESTION_WORDS
        opens = asked or (i == 1 and tokens[0] in AUXILIARIES)
        ends = i + 1 == len(tokens) or tokens[i + 1] in FUNCTION_WORDS
        if opens and ends:
            return token
        # "what models does openai make": a noun asked for, an auxiliary, the subject, a verb
        head = tokens[:i] if i < 4 or tokens[3] != "the" else tokens[:3]
        if (len(head) == 3 and head[0] in ("what", "which") and head[2] in AUXILIARIES
                and head[1] not in FUNCTION_WORDS and i + 2 == len(tokens)):
            return token
    return None
