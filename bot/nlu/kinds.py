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
"""

from __future__ import annotations

import re
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


def example_kinds(examples: Iterable[Sequence[str]]) -> frozenset[str]:
    """Return the kinds that an intent's own (normalised) examples ask for."""
    return frozenset(k for tokens in examples if (k := question_kind(tokens)) is not None)
