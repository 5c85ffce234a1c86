"""Typed answer spans in a sentence: dates, money, counts, measures, people, places...

Each span is what a question can ask for: a year (``when``), an amount (``how much``), a
count with its noun (``how many turbines``), a person with a role (``who is the cto``),
an organisation, a place (``where``) or another name (``what is``). Spans come from
patterns and the word lists of :mod:`bot.compiler.lexicon`; no model is loaded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.compiler import lexicon as lx
from bot.nlu.english import frequencies

DATE = "date"
YEAR = "year"
TIME = "time"
MONEY = "money"
PERCENT = "percent"
MEASURE = "measure"
COUNT = "count"
PERSON = "person"
ORG = "org"
PLACE = "place"
NAME = "name"
ROLE = "role"

_CAP = r"[A-ZÀ-ÖØ-Þ][\w'’\-]*"
_NAME_RUN = re.compile(rf"{_CAP}(?:\s+(?:(?:of|de|da|di|van|von|der|du|la|le|and|&)\s+)?{_CAP})*")
_NUMBER = r"(?:\d[\d,]*(?:\.\d+)?)"
_SCALE = r"(?:\s?(?:thousand|million|billion|trillion|bn|m|k)\b)?"
_MONEY = re.compile(
    rf"(?:(?:\b(?:A|C|NZ|US|HK|S|R)(?=\$))?[$€£¥]\s?{_NUMBER}{_SCALE}"
    rf"|{_NUMBER}{_SCALE}\s(?:dollars|euros|pounds|francs))"
    r"(?:\s(?:per|a|an|each)\s[a-z]+)?",
    re.IGNORECASE)
_PERCENT = re.compile(rf"{_NUMBER}\s?(?:%|percent\b|per cent\b)", re.IGNORECASE)
_MONTH = "|".join(m.capitalize() for m in sorted(lx.MONTHS))
_DATE = re.compile(
    rf"\b(?:(?:early|late|mid)[\s-])?(?:{_MONTH})(?:\s\d{{1,2}},?)?\s(?:1[89]|20)\d\d\b")
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_TIME = re.compile(
    r"\b(?:every\s)?(?:mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|saturdays?|"
    r"sundays?|weekends?)(?:\s(?:at|from)\s\d{1,2}(?:[.:]\d\d)?\s?(?:a\.m\.|p\.m\.|am|pm)?)?",
    re.IGNORECASE)
_COUNT_NUMBER = re.compile(
    rf"\b(?:{_NUMBER}(?:\s(?:thousand|million|billion))?|"
    rf"(?:{'|'.join(lx.NUMBER_WORDS)})(?:[\s-](?:{'|'.join(lx.NUMBER_WORDS)}))?)\b",
    re.IGNORECASE)
_WORD = re.compile(r"[\w'’\-]+")


@dataclass(frozen=True)
class Span:
    """A typed piece of a sentence.

    Attributes:
        kind: One of the kind constants of this module.
        text: The span as written.
        start: Offset in the sentence.
        noun: For counts and measures, the noun counted ("turbines"); for a person, the
            role (``chief executive``); else "".
        role_short: For a person or role, the short form ("ceo"), when there is one.
    """

    kind: str
    text: str
    start: int
    noun: str = ""
    role_short: str = ""

    @property
    def end(self) -> int:
        """Offset just past the span."""
        return self.start + len(self.text)


@dataclass
class _Found:
    spans: list[Span] = field(default_factory=list)

    def free(self, start: int, end: int) -> bool:
        return all(end <= s.start or start >= s.end for s in self.spans)

    def add(self, span: Span) -> None:
        if self.free(span.start, span.end):
            self.spans.append(span)


def common_word(word: str, rank: int = 20_000) -> bool:
    """True when ``word`` (lower case) is among the ``rank`` commonest English words."""
    table = _ranks()
    position = table.get(word.casefold())
    return position is not None and position < rank


_RANKS: dict[str, int] = {}


def _ranks() -> dict[str, int]:
    if not _RANKS:
        _RANKS.update({w: i for i, w in enumerate(frequencies())})
    return _RANKS


def extract_spans(sentence: str, people: frozenset[str] = frozenset(),
                  lowercase: frozenset[str] = frozenset()) -> list[Span]:
    """Return the typed spans of ``sentence``, in order.

    Args:
        sentence: One sentence.
        people: Surnames (folded) of people named elsewhere in the document, so a bare
            "Okafor" is read as a person.
        lowercase: Words the document also writes in lower case: capitalised at the
            start of a sentence, they are no name ("Growers are paid...").

    Returns:
        Non-overlapping spans sorted by position.
    """
    found = _Found()
    for pattern, kind in ((_MONEY, MONEY), (_PERCENT, PERCENT), (_DATE, DATE),
                          (_TIME, TIME), (_YEAR, YEAR)):
        for match in pattern.finditer(sentence):
            found.add(Span(kind, match.group(0).strip(), match.start()))
    _counts(sentence, found)
    _roles(sentence, found)
    _names(sentence, found, people, lowercase)
    spans = sorted(found.spans, key=lambda s: s.start)
    for i in range(1, len(spans)):  # "Bellingham, Washington": the second is a place too
        prev, span = spans[i - 1], spans[i]
        if span.kind == NAME and prev.kind == PLACE and sentence[prev.end:span.start] in (
                ", ", " and ", ", and "):
            spans[i] = Span(PLACE, span.text, span.start)
    return _pair_roles(sentence, spans)


def _counts(sentence: str, found: _Found) -> None:
    """Add counts ("212 member-owners") and measures ("410 megawatts")."""
    for match in _COUNT_NUMBER.finditer(sentence):
        after = sentence[match.end():]
        if not found.free(match.start(), match.end()) or re.match(r"-|\s*[,.;:)]", after):
            continue  # "a 15-year lease"; "About 700,000, according to ...": no noun counted
        words = []
        following = _WORD.findall(after[:60])
        for at, word in enumerate(following):
            low = word.casefold()
            nxt = following[at + 1].casefold() if at + 1 < len(following) else ""
            if low in ("and", "or") and words and len(words) < 3 and not (
                    nxt[:1].isdigit() or nxt in lx.NUMBER_WORDS or nxt in lx.DETERMINERS
                    or words[-1].casefold().endswith("s") or _verb_only(nxt)):
                continue  # "64 roastery and café workers": the noun goes on
            if word[:1].isdigit():
                break  # "230 people and built 46,000 bicycles"
            if low in lx.PREPOSITIONS or low in lx.AUXILIARIES or low in (
                    "and", "or", "so", "that", "which", "who") or word[:1].isupper() or (
                    low in lx.DETERMINERS or low in ("all", "some", "most")):
                break  # "3.6 million passengers and 720,000 vehicles"; "410 people all year"
            words.append(word)
            if len(words) == 3 or after[after.find(word) + len(word):][:1] in ",.;:)":
                break
            if low in lx.UNITS and low not in ("square", "cubic"):
                break
        if not words:
            continue
        number = match.group(0)
        text_end = after.find(words[-1]) + len(words[-1])
        words = [w for w in words if w.casefold() not in ("and", "or")] if words[-1].casefold(
        ) not in ("and", "or") else words[:-1]
        if not words:
            continue
        text = sentence[match.start():match.end() + text_end]
        noun = " ".join(words)
        head = words[-1].casefold()
        if number.casefold() in ("one", "1"):
            continue  # "holds one vote": nobody asks how many
        if head in _YEARISH:
            continue
        kind = MEASURE if any(w.casefold() in lx.UNITS for w in words) else COUNT
        if number.casefold() == "one" and head in ("of",):
            continue
        found.add(Span(kind, text, match.start(), noun=noun))


_YEARISH = frozenset(("percent", "%"))


def _verb_only(word: str) -> bool:
    """True for a word that is a verb and no noun ("built", "sold")."""
    from bot.compiler.clause import lemmas

    found = lemmas(word)
    return bool(found) and "NOUN" not in found and "VERB" in found


def _roles(sentence: str, found: _Found) -> None:
    """Add role phrases ("chief technology officer", "head roaster", "creative director")."""
    for phrase in sorted(lx.ROLE_SHORT, key=len, reverse=True):
        for match in re.finditer(rf"\b{re.escape(phrase)}\b", sentence, re.IGNORECASE):
            found.add(Span(ROLE, match.group(0), match.start(), noun=match.group(0).lower(),
                           role_short=lx.ROLE_SHORT[phrase]))
    tokens = list(_WORD.finditer(sentence))
    for index, token in enumerate(tokens):
        low = token.group(0).casefold()
        if low not in lx.ROLE_HEADS or token.group(0)[:1].isupper() and index:
            continue
        start = token.start()
        if low == "head" and index + 1 < len(tokens):  # "head roaster", "head of sales"
            nxt = tokens[index + 1].group(0).casefold()
            if nxt in lx.PREPOSITIONS or nxt in lx.DETERMINERS or nxt in lx.AUXILIARIES:
                continue
            end = tokens[index + 1].end()
        else:
            end = token.end()
            if index:  # one modifier: "creative director", "general manager"
                prev = tokens[index - 1]
                plow = prev.group(0).casefold()
                if (plow not in lx.DETERMINERS and plow not in lx.PREPOSITIONS
                        and plow not in lx.AUXILIARIES and not prev.group(0)[:1].isupper()
                        and not plow.endswith(("'s", "’s")) and plow not in ("and", "former")):
                    start = prev.start()
        text = sentence[start:end]
        found.add(Span(ROLE, text, start, noun=text.lower(),
                       role_short=lx.ROLE_SHORT.get(text.lower(), "")))


def _names(sentence: str, found: _Found, people: frozenset[str],
           lowercase: frozenset[str]) -> None:
    """Add people, organisations, places and other names from capitalised runs."""
    for match in _NAME_RUN.finditer(sentence):
        for text, start in _split_and(match.group(0), match.start()):
            text = re.sub(r"['’]s$", "", text)
            words = text.split()
            # a sentence-initial common word is no name ("The", "Every", "Growers")
            initial = start == 0 or sentence[:start].rstrip().endswith((".", ":", '"'))
            while words and initial and words[0].casefold() not in people and (
                    common_word(words[0], 5000) or len(words) == 1 and (
                        common_word(words[0]) or words[0].casefold() in lowercase)):
                start += len(words[0]) + 1
                words = words[1:]
            while words and words[-1].casefold() in ("of", "and", "&", "de", "la", "le"):
                words = words[:-1]
            if not words:
                continue
            text = " ".join(words)
            if not found.free(start, start + len(text)):
                continue
            if len(words) == 1 and words[0].casefold() in lx.MONTHS | lx.WEEKDAYS:
                continue
            found.add(Span(_name_kind(sentence, start, words, people), text, start))


def _split_and(text: str, start: int) -> list[tuple[str, int]]:
    """Split "Daniel Vu and Marisol Ortega" in two, unless it names one organisation."""
    if not re.search(r"\s(?:and|&)\s", text) or any(
            w.casefold() in lx.ORG_WORDS for w in text.split()):
        return [(text, start)]
    parts, offset = [], start
    for part in re.split(r"(\s(?:and|&)\s)", text):
        if part.strip() not in ("and", "&"):
            parts.append((part, offset))
        offset += len(part)
    return parts


def _name_kind(sentence: str, start: int, words: list[str], people: frozenset[str]) -> str:
    folded = [w.casefold().strip("'’") for w in words]
    before = [w.casefold() for w in _WORD.findall(sentence[:start])[-3:]]
    if any(w in lx.ORG_WORDS for w in folded) or before[-1:] and before[-1] in lx.ORG_NOUNS or (
            len(before) > 1 and before[-2] in lx.ORG_NOUNS and before[-1] not in lx.PREPOSITIONS):
        return ORG
    if any(w in lx.PLACE_WORDS for w in folded[:1] + folded[-1:]) and len(words) > 1:
        return PLACE
    if before and before[-1] in lx.PLACE_PREPOSITIONS | {"the"} and (
            before[-1] != "the" or len(before) > 1 and before[-2] in lx.PLACE_PREPOSITIONS
    ) and not (len(words) >= 2 and folded[-1] in people):
        return PLACE
    if folded[-1] in people or (2 <= len(words) <= 3 and before[-1:] != ["the"]
                                and not common_word(folded[-1])):
        return PERSON
    after = sentence[start + len(" ".join(words)):][:3]
    if after.startswith(", ") and before[-1:] and before[-1] in lx.PLACE_PREPOSITIONS:
        return PLACE
    return NAME


def _pair_roles(sentence: str, spans: list[Span]) -> list[Span]:
    """Give each person the role written next to them ("Baird is the ... chief executive").

    A role belongs to the nearest person before it in the same clause, or to a person
    right after it ("chief executive, Joanna Lindqvist"); a current role wins over a
    "former" one. A role word that belongs to nobody and is no well-known title
    ("roaster" in "the roaster busy") is dropped.
    """
    result = list(spans)
    people = [i for i, s in enumerate(spans) if s.kind == PERSON]
    former: set[int] = set()
    keep: list[bool] = [True] * len(spans)
    for index, span in enumerate(spans):
        if span.kind != ROLE:
            continue
        owner = None
        for i in reversed([i for i in people if i < index]):
            gap = sentence[spans[i].end:span.start]
            if len(gap.split()) <= 8 and not re.search(r"[;.]|, and\b", gap):
                owner = i
            break
        if owner is None:
            after = [i for i in people if i > index and spans[i].start - span.end <= 3]
            owner = after[0] if after else None
        if owner is None:
            keep[index] = bool(span.role_short)
            continue
        is_former = bool(re.search(r"\bformer\s+$", sentence[:span.start]))
        if is_former:  # "a former level designer": no one to ask for now
            keep[index] = False
            continue
        person = result[owner]
        if person.noun and (is_former or owner not in former):
            continue
        if is_former:
            former.add(owner)
        else:
            former.discard(owner)
        result[owner] = Span(PERSON, person.text, person.start, noun=span.noun,
                             role_short=span.role_short)
    return [s for s, k in zip(result, keep, strict=True) if k]


def surnames(sentences: list[str]) -> frozenset[str]:
    """Return the folded last names of the multi-word people in ``sentences``."""
    names = set()
    for sentence in sentences:
        for span in extract_spans(sentence):
            if span.kind == PERSON and " " in span.text:
                names.add(span.text.split()[-1].casefold())
    return frozenset(names)
