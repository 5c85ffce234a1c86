"""Questions people would type about a fact, built from its typed spans and its own verb.

The question word follows the span's type (a person: who; a date: when; an amount: how
much; a count: how many with its noun; a place: where), the verb is the clause's own
("who makes the turbines", "when was ridgeline founded"), and the subject is written the
way people type it (its short name, "they", or the noun the article uses). Yes/no forms
come from the clause ("is ridgeline a certified b corporation", "is there an xbox
version"), clipped forms from roles and nouns ("general manager?", "decaf?"). Examples are
short and lower case; junk (a single common word, a bare verb, a bare date) is dropped.
"""

from __future__ import annotations

import re

from bot.compiler import lexicon as lx
from bot.compiler import spans as sp
from bot.compiler import text as tx
from bot.compiler.clause import Clause, inflect, lemmas
from bot.compiler.segment import Subject, copula_complement
from bot.nlu.kinds import TYPE_NOUNS

MAX_WORDS = 11
MAX_FAQ_WORDS = 18
MAX_CHUNKS = 8
# A single word is a clipped question of its own only when it is this rare in English
# ("decaf?" yes, "waters?" no: it would catch "the boiling point of water").
RARE_WORD_RANK = 10_000
# A clipped phrase of several words needs one word at least this rare ("outside
# investment" yes, "recent years" no).
PHRASE_WORD_RANK = 3_000
_NATIONALITY = TYPE_NOUNS["nationality"][0]
_DROP_WORDS = frozenset(
    ["the", "a", "an", "its", "their", "his", "her", "this", "that", "these", "those"])


def fact_questions(text: str, spans: list[sp.Span], clause: Clause, subject: Subject,
                   context: str = "") -> list[str]:
    """Return example questions for one fact.

    Args:
        text: The fact's resolved text.
        spans: Its typed spans.
        clause: The reading of its (last) sentence.
        subject: The document's subject.
        context: A name the fact is about when its sentence only says "the project".

    Returns:
        Cleaned, de-duplicated examples, best first.
    """
    short = subject.short
    about_subject = _about_subject(clause.subject, subject)
    who = short if about_subject else _simple_np(clause.subject)
    out: list[str] = []
    out += _person_questions(spans, subject)
    out += _verb_questions(clause, spans, who, about_subject, subject)
    out += _local_questions(text, spans, subject, who or short)
    out += _count_questions(spans, clause, who, subject, text)
    out += _group_questions(text)
    out += [q for span in spans for q in _material_questions(text, span, clause, who, subject)]
    out += _money_questions(text, spans, clause, who, subject)
    out += _place_questions(text, spans, clause, who, about_subject, subject)
    out += _retail_questions(text, clause, who, subject)
    out += _instrument_questions(text, clause, who, subject)
    out += _yes_no_questions(text, clause, who, about_subject)
    out += _detail_questions(text, spans, subject)
    out += _share_questions(text)
    out += _owned_size_questions(text, spans, clause, who) if about_subject else []
    out += _sequence_questions(text, subject)
    out += _list_questions(spans, clause, subject)
    out += _definition_questions(text, spans, subject)
    out += _introduced_place_questions(text, spans, subject)
    out += _item_questions(text, subject)
    out += _activity_questions(text, clause, who, about_subject)
    out += _chunks(text, subject, spans)
    out += _name_questions(spans, subject)
    out += background_questions(text, spans, subject)
    if context and not about_subject and clause.subject.startswith("the ") and not any(
            tx.clean(s.text) in tx.clean(clause.subject) for s in spans
            if s.kind in (sp.NAME, sp.ORG, sp.PERSON)):
        # "the project" is the name the sentence before introduced; "the Miúda" is itself
        alt = tx.clean(context)
        out += [q.replace(who, alt) for q in list(out) if who and who in q][:6]
    return clean_examples(out)


_TOKEN = re.compile(r"[\w'’\-]+|[,;:()]")
_FUTURE = tx.wordset("will expected planned due scheduled set")
_RELATIVE = tx.wordset("who which that it they this these")
# Words other than verbs that take an infinitive of the subject's own ("is due to open").
_BEFORE_INFINITIVE = tx.wordset("able due likely about set")


def _local_questions(text: str, spans: list[sp.Span], subject: Subject,
                     default: str) -> list[str]:
    """Ask about each span with the verb that governs it and the thing that verb is about.

    "Saltmarsh, a survival game, released in May 2023" -> "when was saltmarsh released";
    "the towers are being put together at the Port of X" -> "where are the towers put
    together"; "Corran Bank is expected to cost £1.9 billion" -> "how much will corran
    bank cost"; "published by Kestrel" -> "who publishes the console editions".
    """
    tokens = [(m.group(0), m.start()) for m in _TOKEN.finditer(text)]
    out: list[str] = []
    for span in spans:
        if span.kind in (sp.ROLE, sp.NAME, sp.PERCENT):
            continue
        before = [t for t in tokens if t[1] + len(t[0]) <= span.start]
        found = _governing_verb(before, spans)
        if found is None:
            continue
        lemma, at, passive, future, past = found
        thing = _thing(before[:at], spans, subject, default)
        if not thing:
            continue
        head, _, particle = lemma.partition(" ")
        vb, vbz, vbd, vbn = (f"{form} {particle}".strip() for form in (
            head, inflect(head, "VBZ"), inflect(head, "VBD"), inflect(head, "VBN")))
        plural = thing.endswith("s") and thing != subject.short and not thing.endswith("ss")
        be, was, does = ("are", "were", "do") if plural else ("is", "was", "does")
        if span.kind in (sp.DATE, sp.YEAR):
            if future and passive:  # "first power is expected in 2027"
                out += [f"when is {thing} {vbn}"] + (
                    [] if vbn in _FUTURE else [f"when will {thing} be {vbn}"])
            elif future:
                out += [f"when will {thing} {vb}", f"when does {thing} {vb}"]
            elif passive:
                out += [f"when {was} {thing} {vbn}", f"what year {was} {thing} {vbn}"]
            else:
                out += [f"when did {thing} {vb}", f"what year did {thing} {vb}"]
            if lemma == "plan" and re.search(r"\brelease\b", text):
                lemma = "release"  # "planned for release in 2026"
            for alternate in lx.INTRANSITIVE.get(lemma, ()):
                out.append(f"when will {thing} {alternate}" if future else
                           f"when did {thing} {alternate}")
        elif span.kind == sp.PLACE and head in _LOCATING:
            continue  # "a developer based in X": asked "where is X based" by the place step
        elif span.kind == sp.PLACE and subject.short not in tx.words(span.text):
            did = "did" if before[at][0].casefold() == vbd.split()[0] else does
            out += [f"where {was if past else be} {thing} {vbn}" if passive else
                    f"where {did} {thing} {vb}"]
        elif span.kind == sp.MONEY and passive and at and before[at - 1][0] == ",":
            continue  # "..., paid for with $3m": asked about the noun it follows
        elif span.kind == sp.MONEY and passive and head == "pay" and at + 1 < len(before) and (
                before[at + 1][0].casefold() == "for"):  # "the roastery was paid for with"
            out += [f"how {was} {thing} {v}" for v in lx.PAID_FOR]
            out += [f"how much did {thing} cost"]
        elif span.kind == sp.MONEY:
            aux = "will" if future else ("did" if vbd.split()[0] == before[at][0].casefold()
                                         else does)
            out += [f"how much {was if past else be} {thing} {vbn}" if passive else
                    f"how much {aux} {thing} {vb}"]  # "growers are paid": not "did they pay"
            if passive and head in lx.GIVING_VERBS:  # what the receiver gets
                out += [f"what {does} {thing} get", f"how much {does} {thing} get"]
            if lemma == "cost":
                out += [f"what {does} {thing} cost", f"{thing} price", f"{thing} cost"]
        elif span.kind == sp.COUNT and span.noun or span.kind == sp.MEASURE and lemma == "have":
            aux = "will" if future else does
            noun = tx.clean(span.noun).split()[-1]
            by = before and before[-1][0].casefold() == "by"
            out += [f"how many {noun} {vbd if past or passive else vbz} {thing}" if passive and by
                    else f"how many {noun} {aux} {thing} {vb}"]  # "founded by two engineers"
            if head in lx.VERB_NOUNS and before[at][0].casefold() == vbd.split()[0] and (
                    not future):  # "it sold 3.1 million copies": "saltmarsh sales"
                out += [f"{thing} {lx.VERB_NOUNS[head]}", f"how well did {thing} {vb}",
                        f"how many {noun} has {thing} {vbn}"]
        elif span.kind in (sp.PERSON, sp.ORG) and passive and _by_before(text, span):
            out += [f"who {vbz} {thing}", f"who {vbd} {thing}"]
            if span.kind == sp.ORG:
                out.append(f"which company {vbz} {thing}")
    return out


_LOCATING = frozenset(("base", "locate", "headquarter", "situate"))
_PLACE_QUESTIONS = ("where is the {n}", "which town is the {n} in", "what town is the {n} in",
                    "which city is the {n} in", "what city is the {n} in")
_MONEY_QUESTIONS = ("how much was the {n}", "how big was the {n}", "what was the {n}")
_SOURCE_QUESTIONS = ("who provided the {n}", "where did the {n} come from")


def _detail_questions(text: str, spans: list[sp.Span], subject: Subject) -> list[str]:
    """Ask about each detail with the noun it belongs to: one question set per detail.

    A sentence with a place, a size and a loan ("moved into a roastery of 2,400 square
    metres in the harbour district, paid for with a $3.2 million loan from X") gives
    "where is the roastery", "how big is the roastery", "how much was the loan", "who
    provided the loan" and, for a participle phrase after a comma, "how was the roastery
    paid for". The noun comes from the sentence, the question word from the span's type.
    """
    tokens = [(m.group(0), m.start()) for m in _TOKEN.finditer(text)]
    taken = [s for s in spans if s.kind != sp.ROLE]
    out: list[str] = []
    anchors: list[str] = []  # the nouns asked about so far, first the clause's object
    for span in spans:
        before = [t for t in tokens if t[1] + len(t[0]) <= span.start]
        after = [t for t in tokens if t[1] >= span.end]
        noun = ""
        if span.kind == sp.PLACE and subject.short not in tx.words(span.text):
            if before and before[-1][0].casefold() in ("in", "at", "near"):
                noun = _noun_before(before[:-1], taken, subject)
            if noun and noun.endswith("s") and not noun.endswith("ss"):
                out += [f"where are the {noun}", f"which town are the {noun} in"]
            elif noun:
                out += [q.format(n=noun) for q in _PLACE_QUESTIONS]
        elif span.kind == sp.MONEY:
            noun = _noun_after(after) or (
                _noun_before(before[:-1], taken, subject)
                if before and before[-1][0].casefold() == "of" else "")
            out += [q.format(n=noun) for q in _MONEY_QUESTIONS] if noun else []
            rest = [w.casefold() for w, _ in after[:2]]
            if noun and ("from" in rest or "by" in rest) and any(
                    s.kind in (sp.ORG, sp.NAME, sp.PERSON) and s.start >= span.end
                    for s in spans):
                out += [q.format(n=noun) for q in _SOURCE_QUESTIONS]
                out += [f"which {kind} provided the {noun}" for kind in _org_kinds(
                    next(s for s in spans if s.kind in (sp.ORG, sp.NAME, sp.PERSON)
                         and s.start >= span.end)) if kind != "company"]
            out += _participle_question(before, anchors)
        elif span.kind in (sp.ORG, sp.PERSON) and len(before) >= 3 and before[-1][0] == "by" and (
                _participle_word(before[-2][0].casefold())):
            noun = before[-3][0].casefold()  # "a round led by Fjordline Ventures"
            noun = noun if before[-3][0].islower() and _content_noun(noun) else ""
            if noun:
                verb = before[-2][0].casefold()
                out += [f"who {verb} the {noun}"] + [f"which {kind} {verb} the {noun}" for kind
                                                    in _org_kinds(span)]
        elif span.kind == sp.MEASURE and before and before[-1][0].casefold() == "of":
            noun = _noun_before(before[:-1], taken, subject)
            out += _size_questions(noun, span) if noun else []
        if noun:
            anchors.append(noun)
        if span.kind == sp.ORG and before:  # "the regional grocery chain Northfield Markets"
            descriptor = [w.casefold() for w, _ in before[-3:] if w.islower()]
            heads = [w for w in descriptor if w in lx.ORG_NOUNS]
            if heads and descriptor[-1] == heads[-1]:
                phrase = " ".join(descriptor[-2:]) if len(descriptor) > 1 and (
                    descriptor[-2] not in tx.STOPWORDS) else heads[-1]
                out += [f"which {phrase}", f"what is the {phrase}", f"which {heads[-1]}"]
    return out


def _org_kinds(span: sp.Span) -> list[str]:
    """What people call an organisation: "which vc" for "Fjordline Ventures"."""
    last = tx.clean(span.text).split()[-1] if span.text.split() else ""
    return ["company", *lx.ORG_KINDS.get(last, ())]


def _size_questions(noun: str, span: sp.Span) -> list[str]:
    """"how big is the roastery" (square metres), "how powerful are the turbines" (MW)."""
    units = tx.clean(span.noun).split()
    if noun in lx.DIMENSION_NOUNS:  # "a total capacity of 630 megawatts"
        return [f"what is the {noun}", f"how much {noun}", f"how many {units[-1]} in total"]
    adjective = "big" if units[:1] in (["square"], ["cubic"]) else next(
        (lx.UNIT_ADJECTIVES[u] for u in units if u in lx.UNIT_ADJECTIVES), "big")
    plural = noun.endswith("s") and not noun.endswith("ss")
    # "how powerful is each generator", not "... are the turbines": that frame would also
    # answer "how tall are the turbines", where only the adjective differs
    out = [f"how {adjective} is each {noun[:-1]}", f"{noun[:-1]} {_noun_of(adjective)}"] if (
        plural) else [f"how {adjective} is the {noun}"]
    if adjective == "big":  # an area or a volume: its size
        out += [f"how large {'are' if plural else 'is'} the {noun}",
                f"what size {'are' if plural else 'is'} the {noun}"]
    return out + [f"how many {units[-1]} is each {noun[:-1]}" if plural else
                  f"how many {units[-1]} is the {noun}"]


# "Electric models made up 55 percent of sales last year"; "the BuraGo app, which accounts
# for 62 percent of all sales".
_SHARE = re.compile(
    r"\b(?:made up|makes? up|accounted for|accounts? for|represented|represents?)\s+"
    r"(?:(?:about|around|roughly|some|nearly|almost|over|more than|less than)\s+)?"
    r"\d[\d.,]*\s?(?:percent|per cent|%)\s+of\s+(?:(?:all|the|its|their)\s+)?"
    r"(?P<whole>[a-z][a-z\- ]*?)(?=\s+(?:last|this|in|a|per|each|every)\b|[,.;]|$)")


def _share_questions(text: str) -> list[str]:
    """What share of a whole a part is: "what share of sales are electric models".

    Of "Electric models made up 55 percent of sales last year" and of "the BuraGo app,
    which accounts for 62 percent of all sales". The part is the noun phrase before the
    verb (before ", which"), after any preposition or verb there.
    """
    out: list[str] = []
    for found in _SHARE.finditer(text):
        before = re.sub(r",?\s+(?:which|that)\s*$", "", text[:found.start()].rstrip())
        words = tx.words(before)
        start = max((i + 1 for i, w in enumerate(words)
                     if w in lx.PREPOSITIONS or _finite_verb(w) or w in _RELATIVE), default=0)
        part = _simple_np(" ".join(words[start:]))
        whole = found.group("whole").strip()
        if not part or not whole or len(part.split()) > 4:
            continue
        plural = part.split()[-1].endswith("s") and not part.split()[-1].endswith("ss")
        be, do = ("are", "do") if plural else ("is", "does")
        out += [f"what share of {whole} {be} {part}", f"what percentage of {whole} {be} {part}",
                f"how much of {whole} {do} {part} account for",
                f"how much of {whole} comes from {part}"]
    return out


# Verbs by which a subject holds an area ("has 6,500 square metres of floor space").
_HOLDING = tx.wordset("has have had covers covered spans occupies occupied")
_AREA_UNITS = tx.wordset("square hectares hectare acres acre")


def _owned_size_questions(text: str, spans: list[sp.Span], clause: Clause,
                          who: str) -> list[str]:
    """"how big is leafloft" of "Leafloft ... has 6,500 square metres of floor space".

    An area the subject itself holds is its size; an area "of" a noun is that noun's
    (:func:`_size_questions`).
    """
    out: list[str] = []
    for span in spans:
        units = tx.clean(span.noun).split()
        if span.kind != sp.MEASURE or not units or units[0] not in _AREA_UNITS:
            continue
        before = tx.words(text[:span.start])[-2:]
        if before and (before[-1] in _HOLDING or before[:1] and before[0] in _HOLDING):
            verb = "are" if who == "they" else "is"
            out += [f"how big {verb} {who}", f"how large {verb} {who}", f"{who} size"]
    return out


def _noun_of(adjective: str) -> str:
    """"powerful" -> "power", "heavy" -> "weight", for clipped questions ("turbine power")."""
    return {"powerful": "power", "heavy": "weight", "tall": "height", "far": "distance"}.get(
        adjective, "size")


_FIRST = re.compile(r"(?:\bits|\btheir|'s) first ([a-z]+)"
                    r"(?:,? (?:the|a|an) (?:[a-z\-]+ )?([a-z]+)\b)?")
_NEXT = re.compile(r"\b(?:the|its|their) (?:next|upcoming) ([a-z]+)")
_PLANNED = re.compile(r"\b(?:planned|will|due|expected|coming|on the way|upcoming)\b")


def _sequence_questions(text: str, subject: Subject) -> list[str]:
    """Questions on what came first and what comes next.

    "The studio's first release, the puzzle game X" -> "what was their first game", "what
    was their debut release"; "the next game, X, is planned for 2026" -> "what are they
    doing next", "what is the next game".
    """
    out: list[str] = []
    short = subject.short
    folded = text.casefold()
    for match in _FIRST.finditer(folded):
        for noun in filter(None, match.groups()):
            if _content_noun(noun) and noun not in lx.TIME_NOUNS:
                out += [f"what was their {w} {noun}" for w in lx.FIRST_WORDS]
                out.append(f"what was {short}'s first {noun}")
    nxt = _NEXT.search(folded)
    if nxt and _PLANNED.search(folded) and _content_noun(nxt.group(1)):
        out += [q.format(s=short, n=nxt.group(1)) for q in lx.NEXT_QUESTIONS]
    return out


def _list_questions(spans: list[sp.Span], clause: Clause, subject: Subject) -> list[str]:
    """Questions on a clause listing people or organisations under a noun.

    "The investors named are A, B and C" -> "who are the investors", "investors", "who
    invested in x".
    """
    names = [s for s in spans if s.kind in (sp.ORG, sp.NAME, sp.PERSON)
             and subject.short not in tx.words(s.text)]
    words = tx.words(clause.subject)
    if len(names) < 2 or not words or clause.verb not in ("be", "include"):
        return []
    noun = words[-1] if len(words) < 4 else ""
    if words[:1] == ["the"] and len(words) > 1:
        noun = words[1] if words[1].endswith("s") else noun  # "the investors named"
    if not noun or not noun.endswith("s") or _about_subject(clause.subject, subject):
        return []
    short = subject.short
    out = [f"who are the {noun}", noun, f"who are {short}'s {noun}", f"{short} {noun}",
           f"list the {noun}"]
    verb = _agent_verb(noun)
    if verb:
        by = lx.VERB_PREPOSITIONS.get(verb)
        vbd = inflect(verb, "VBD")
        out += [f"who {vbd} {by} {short}" if by else f"who {vbd} {short}",
                f"who {inflect(verb, 'VBZ')} {by} {short}" if by else f"who {verb}s {short}"]
    return out


def _definition_questions(text: str, spans: list[sp.Span], subject: Subject) -> list[str]:
    """Questions on a named thing the sentence defines: what it is, what it is for.

    "Loom is a platform on which customers build ..." -> "what is loom", "what is loom
    for", "what can i do with loom", "who is loom for".
    """
    opening = [s for s in spans if s.kind in (sp.NAME, sp.ORG) and s.start == 0
               and subject.short not in tx.words(s.text)]
    if not opening:
        return []
    rest = text[opening[0].end:]
    verb = re.match(r"\s+(is|are)\s+(?:a|an|the|\w+ed)\b", rest)
    if not verb:
        return []
    name, be = tx.clean(opening[0].text), verb.group(1)
    out = [f"what {be} {name}", f"what {be} {name} for", f"tell me about {name}", name]
    if re.search(r"\b(?:on|with|through) which\b|\bthat (?:lets|helps|allows)\b", rest):
        out += [f"what can i do with {name}", f"who {be} {name} for"]  # a tool people use
    return out


_LIST_ITEM = re.compile(r"^(?:[a-z][\w\-]*\s){0,2}[a-z][\w\-]*$")


def _introduced_place_questions(text: str, spans: list[sp.Span], subject: Subject) -> list[str]:
    """Ask where the thing a "The X is a new Y on Z" sentence introduces is.

    "The largest project ... is a new central library on Flinders Street" -> "where is the
    new central library", "where will the new central library be".
    """
    introduced = _introduced(text, subject)
    if introduced is None:
        return []
    thing, complement = introduced
    after = text.find(complement) + len(complement)
    place = re.match(r"\s+(?:on|in|at|near)\s+", text[after:])
    if not place or not any(s.kind == sp.PLACE and s.start == after + place.end()
                            for s in spans):
        return []
    return [f"where is {thing}", f"where will {thing} be", f"{thing} location"]


def _item_questions(text: str, subject: Subject) -> list[str]:
    """Each item of a list of plain noun phrases, asked yes / no and clipped.

    "LLMs, multimodal models, reasoning models and audio models" -> "do they have
    reasoning models", "does x have audio models", "reasoning models".
    """
    out: list[str] = []
    for clause in re.split(r"[:;.]|\bsuch as\b|\bincluding\b", text):
        parts = [re.sub(r"\s*\([^)]*\)", "", p).strip().casefold()
                 for p in re.split(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", clause)]
        items = [p for p in parts if _LIST_ITEM.match(p)]
        if len(parts) < 3 or len(items) < 2:  # a list: "A, B and C" (its ends may be longer)
            continue
        for item in items:
            words = item.split()
            written = re.search(rf"\b{re.escape(item)}\b", clause, re.IGNORECASE)
            if written and re.search(r"\b[A-Z][a-z]", written.group(0)) or any(
                    w in lx.NUMBER_WORDS or re.search(r"\d", w) for w in words):
                continue  # a name ("Bellingham roasters") or a count, not a kind of thing
            if words[0] in tx.STOPWORDS or not words[-1].endswith("s") or (
                    "NOUN" not in lemmas(words[-1]) and lemmas(words[-1])):
                continue
            out += [f"do they have {item}", f"does {subject.short} have {item}"]
            out += [item] if _clipped_noun_phrase(words) or len(words) > 1 else []
    return out


def _agent_verb(noun: str) -> str:
    """The verb of an agent noun: "investors" -> "invest", "backers" -> "back"."""
    singular = noun[:-1] if noun.endswith("s") else noun
    for suffix in ("or", "er"):
        if singular.endswith(suffix):
            base = singular[: -len(suffix)]
            for candidate in (base, base + "e"):
                if "VERB" in lemmas(candidate) and lemmas(candidate)["VERB"][0] == candidate:
                    return candidate
    return ""


def _content_noun(word: str) -> bool:
    low = word.casefold()
    found = lemmas(low)
    return (low.isalpha() or "-" in low) and low not in tx.STOPWORDS and (
        low not in lx.AUXILIARIES) and ("NOUN" in found or not found) and not (
        low.endswith("ing") and "VERB" in found)


def _noun_before(before: list[tuple[str, int]], taken: list[sp.Span],
                 subject: Subject) -> str:
    """The head noun just before a span's preposition ("roastery" of "a roastery of ...").

    Numbers, units and figures in between are skipped ("a roastery of 2,400 square metres
    in the harbour district"); a verb, a comma or a name ends the search.
    """
    for word, offset in reversed(before[-8:]):
        low = word.casefold()
        inside = [s for s in taken if s.start <= offset < s.end]
        if inside and inside[0].kind == sp.COUNT and inside[0].noun:
            return tx.clean(inside[0].noun).split()[-1]  # "42 turbines of 15 megawatts"
        if inside and not word[:1].isupper():
            continue  # inside a figure: "2,400 square metres"
        if low in ("of", "square", "cubic") or low in lx.UNITS:
            continue
        if word in ",;:()" or word[:1].isupper() or not _content_noun(low):
            return ""
        if low in subject.nouns or low == subject.short:
            return ""  # "where is the business": the subject's own questions ask it
        return low
    return ""


def _noun_after(after: list[tuple[str, int]]) -> str:
    """The noun an amount qualifies: "a $3.2 million loan" -> "loan"."""
    if after and after[0][0][:1].islower() and _content_noun(after[0][0]) and (
            after[0][0].casefold() not in lx.PREPOSITIONS):
        return after[0][0].casefold()
    return ""


def _participle_question(before: list[tuple[str, int]], anchors: list[str]) -> list[str]:
    """"..., paid for with $X" after the thing asked about: "how was the roastery paid for".

    The participle phrase is read as being about the first noun the sentence's other
    details belong to (the clause's object), as it usually is.
    """
    words = [w.casefold() for w, _ in before]
    if "," not in words:
        return []
    comma = len(words) - 1 - words[::-1].index(",")
    phrase = words[comma + 1:]
    if not phrase or not _participle_word(phrase[0]):
        return []
    verb = phrase[0] + (f" {phrase[1]}" if len(phrase) > 1 and phrase[1] in (
        "for", "up", "out", "off", "back") else "")
    if not anchors:
        return []
    noun = anchors[0]
    verbs = lx.PAID_FOR if verb in lx.PAID_FOR else (verb,)
    return [f"how was the {noun} {v}" for v in verbs] + [f"how is the {noun} {verb}"]


def _participle_word(word: str) -> bool:
    lemma = (lemmas(word).get("VERB") or ("",))[0]
    return bool(lemma) and inflect(lemma, "VBN") == word


def _by_before(text: str, span: sp.Span) -> bool:
    return bool(re.search(r"\bby\s+(?:the\s+)?(?:[\w'’\-]+\s+){0,3}$",
                          text[max(0, span.start - 40):span.start]))


def _governing_verb(before: list[tuple[str, int]], spans: list[sp.Span]):
    """Return (lemma, index, passive, future, past) of the verb before a span.

    A word that is no noun ("produced") is preferred to one that may be ("games").
    """
    return _find_verb(before, spans, nouns=False) or _find_verb(before, spans, nouns=True)


def _find_verb(before: list[tuple[str, int]], spans: list[sp.Span], nouns: bool):
    protected = [(s.start, s.end) for s in spans if s.kind != sp.ROLE]
    in_list = False  # walking through a list of names ("A, B and C")
    for back in range(1, min(16, len(before) + 1)):
        index = len(before) - back
        word, offset = before[index]
        if word in ";:(" or word == ",":
            if back > 1 and not in_list:
                return None
            continue
        low = word.casefold()
        if word[:1].isupper() or any(a <= offset < b for a, b in protected) or not low.isalpha():
            in_list = True
            continue
        in_list = in_list and low == "and"
        if low in lx.AUXILIARIES or low in ("to",):
            continue
        lemma = (lemmas(low).get("VERB") or (None,))[0]
        if lemma is None or lemma in ("be", "have") and back > 1:
            continue
        prior = before[index - 1][0] if index else ""
        modified = prior.isalpha() and prior.islower() and prior not in lx.AUXILIARIES | {
            "to", "not"} | lx.ADVERBS | lx.PRONOUN_SUBJECTS
        if not nouns and "NOUN" in lemmas(low) and modified:  # "mobile games"
            continue
        forms = {inflect(lemma, t) for t in ("VBD", "VBN", "VBZ")}
        previous = [w.casefold() for w, _ in before[max(0, index - 3):index]]
        infinitive = bool(previous) and previous[-1] == "to"
        if low not in forms and not infinitive:
            continue
        if previous and previous[-1] in lx.DETERMINERS:
            continue
        passive = low == inflect(lemma, "VBN") and bool(
            set(previous) & {"is", "are", "was", "were", "been", "being", "be"} or (
                previous and previous[-1] == ","))
        future = bool(set(previous) & _FUTURE) or low in _FUTURE
        if infinitive:
            passive = False
            governing = previous[-2] if len(previous) > 1 else ""
            governing_lemma = (lemmas(governing).get("VERB") or ("",))[0]
            if not governing_lemma and governing not in _FUTURE | _BEFORE_INFINITIVE:
                return None  # "wants half of its fleet to run": the fleet runs, not the firm
            future = future or governing == inflect(governing_lemma, "VBZ") or (
                governing in _BEFORE_INFINITIVE)  # "plans to open": not yet done
        particle = before[index + 1][0].casefold() if index + 1 < len(before) else ""
        if particle in ("together", "up", "out", "off", "back", "down"):
            lemma = f"{lemma} {particle}"
        past = bool(set(previous) & {"was", "were"})
        return lemma, index, passive, future, past
    return None


def _thing(before: list[tuple[str, int]], spans: list[sp.Span], subject: Subject,
           default: str) -> str:
    """The noun phrase a verb is about: the words after the last comma before it."""
    words: list[str] = []
    for index in range(len(before) - 1, -1, -1):
        word = before[index][0]
        low = word.casefold()
        if low == "and" and words and index >= 2 and _noun_pair(before[index - 2:index], words):
            words.insert(0, word)  # "the towers and blades are put together"
            continue
        if word in ",;:(" or low in ("and", "while", "but", "then"):
            break
        words.insert(0, word)
    while words and words[-1].casefold() in lx.AUXILIARIES | lx.ADVERBS | _FUTURE | {
            "to", "not", "being", "been"}:
        words.pop()
    phrase = " ".join(words)
    folded = tx.clean(phrase)
    if not folded or folded.split()[0] in _RELATIVE or folded in ("it", "they"):
        start = before[-1][1] if before else 0
        names = [s for s in spans if s.kind in (sp.NAME, sp.ORG, sp.PERSON) and s.end <= start
                 and subject.short not in tx.words(s.text)]
        return tx.clean(names[-1].text) if names else default
    if subject.short in folded.split() and "'" not in folded or any(
            folded.endswith(n) for n in subject.nouns):
        return subject.short
    if re.match(r"^(?:in|on|at|for|since|by|from|after|before|during)\b", folded):
        return default
    return _simple_np(folded)


def _noun_pair(left: list[tuple[str, int]], right: list[str]) -> bool:
    """True for "the towers" + "and" + "blades ...": two plain nouns joined, one subject."""
    article, noun = (w.casefold() for w, _ in left)
    first = right[0].casefold()
    return article in ("the", "its", "their") and all(
        w.isalpha() and w.islower() and "NOUN" in lemmas(w)
        for w in (noun, first))


def _chunks(text: str, subject: Subject, spans: list[sp.Span] = (),
            limit: int = MAX_CHUNKS) -> list[str]:
    """Return the fact's noun phrases as clipped questions ("offshore wind farm?").

    A chunk is a run of one to four content words between function words, numbers,
    names (asked about on their own), finite verbs and the subject's name; a single
    common word is no chunk.
    """
    named = [(s.start, s.end) for s in spans
             if s.kind in (sp.NAME, sp.ORG, sp.PERSON, sp.PLACE)]
    plain = "".join(" | " if any(a <= i < b for a, b in named) or c in ",;:()" else c
                    for i, c in enumerate(text))
    out: list[str] = []
    run: list[str] = []
    names = set(tx.words(subject.name)) | set(subject.nouns) | {f"{subject.short}'s"}
    words = [w for part in plain.split("|") for w in [*tx.words(part), "|"]]
    for word in words:
        stop = (word == "|" or word in tx.STOPWORDS or word in names or re.search(r"\d", word)
                or word in lx.NUMBER_WORDS
                or word in lx.AUXILIARIES or word in lx.ADVERBS
                or word in lx.NAMING_PARTICIPLES or _finite_verb(word))
        if not stop:
            run.append(word)
            continue
        if run and len(run) <= 3 and _clipped_noun_phrase(run):
            out.append(" ".join(run))
        run = []
    return list(dict.fromkeys(out))[:limit]


def _clipped_noun_phrase(words: list[str]) -> bool:
    """True for a noun phrase people would type as a clipped question ("decaf?").

    It ends with a noun, holds no verb ("member holds", "machine running") and has a
    word rare enough to say what it is about ("decaf", "outside investment" yes;
    "recent years", "floor price" no: those words are everywhere).
    """
    last = lemmas(words[-1])
    if "NOUN" not in last and "PROPN" not in last and last:
        return False
    if any(w.endswith("ing") or ("VERB" in lemmas(w) and "NOUN" not in lemmas(w))
           for w in words):
        return False
    rank = RARE_WORD_RANK if len(words) == 1 else PHRASE_WORD_RANK
    return any(not _common(w, rank) for w in words)


def _common(word: str, rank: int) -> bool:
    """True when ``word`` or its singular is among the ``rank`` commonest English words.

    A plural is as common as its singular: "campaigns" and "shelves" say no more than
    "campaign" and "shelf", though the plural forms rank lower in the frequency list.
    """
    return any(sp.common_word(form, rank) for form in (word, *lemmas(word).get("NOUN", ())))


def _finite_verb(word: str) -> bool:
    """True for an inflected verb that is no noun ("joined", "began"; not "roasts")."""
    found = lemmas(word)
    verb = found.get("VERB")
    return bool(verb) and "NOUN" not in found and "ADJ" not in found and verb[0] != word


def _about_subject(np: str, subject: Subject) -> bool:
    """True when the noun phrase is the subject itself (not "the subject's revenue")."""
    if re.search(r"['’]s\b", np):
        return False
    words = []
    for word in tx.words(np):  # "a new model from x" is about the model, not x
        if word in lx.PREPOSITIONS and words:
            break
        words.append(word)
    return bool(subject.short and subject.short in words) or bool(
        words and words[-1] in subject.nouns) or np in ("it", "they")


def _simple_np(np: str) -> str:
    """Shorten a noun phrase the way people type it ("the seven-member board" -> "the board")."""
    words = [w for w in tx.words(np) if not re.search(r"\d", w) and not any(
        n in w for n in lx.NUMBER_WORDS if w.startswith(n + "-"))]
    cut = []
    for word in words:
        if word in lx.PREPOSITIONS or word in ("who", "which", "that"):
            break
        cut.append(word)
    if len(cut) > 4:
        article = cut[0] if cut[0] in ("the",) else ""
        cut = ([article] if article else []) + cut[-3:]
    text = " ".join(cut)
    return re.sub(r"^an? (?=\w)", lambda m: "an " if text[len(m.group(0)):][:1] in "aeiou"
                  else "a ", text)


def _agent_nouns(lemma: str) -> list[str]:
    """Return "founder" for "found", "maker" for "make", when English has the word."""
    for family, _, nouns in lx.VERB_FAMILIES:
        if lemma in family:
            return list(nouns)
    candidate = lemma + ("r" if lemma.endswith("e") else "er")
    return [candidate] if sp.common_word(candidate) else []


def _verbs(lemma: str) -> list[str]:
    """The clause's verb and the other verbs of its family people use ("start", "set up")."""
    for family, others, _ in lx.VERB_FAMILIES:
        if lemma in family:
            return list(dict.fromkeys([lemma, *others]))
    return [lemma]


def _person_questions(spans: list[sp.Span], subject: Subject) -> list[str]:
    short = subject.short
    out: list[str] = []
    for span in spans:
        if span.kind != sp.PERSON:
            continue
        name = tx.clean(span.text)
        out += [f"who is {name}", f"what does {name.split()[-1]} do"]
        if not span.noun:
            continue
        role = tx.clean(span.noun)
        forms = [role] + ([span.role_short] if span.role_short and span.role_short != role
                          else [])
        for form in forms:
            out += [f"who is the {form}", form, f"who is {short}'s {form}",
                    f"{short} {form}", f"who is the {form} of {short}"]
        if span.role_short in lx.TOP_ROLES:
            out += [q.format(s=short) for q in lx.TOP_ROLE_QUESTIONS]
        if role.startswith("head ") and len(role.split()) == 2:
            doer = role.split()[1]  # "head roaster" -> "who is in charge of roasting"
            verb = (lemmas(re.sub(r"(?:er|or)$", "", doer)).get("VERB") or ("",))[0]
            if verb:
                doing = inflect(verb, "VBG")
                out += [f"who is in charge of {doing}", f"who does the {doing}",
                        f"who is in charge of the {doing}"]
    for span in spans:
        if span.kind == sp.ROLE and not any(p.kind == sp.PERSON and p.noun == span.noun
                                            for p in spans):
            role = tx.clean(span.text)
            out += [f"who is the {role}", role]
    return out


def _verb_questions(clause: Clause, spans: list[sp.Span], who: str, about_subject: bool,
                    subject: Subject) -> list[str]:
    """Questions on the clause's own verb: "who founded x" (and its family), "founders"."""
    if not clause.verb or clause.verb in ("be", "have") or not who:
        return []
    out: list[str] = []
    kinds = {s.kind for s in spans}
    for rank, lemma in enumerate(_verbs(clause.verb)):
        head, _, particle = lemma.partition(" ")
        verb = Clause(clause.subject, head, particle or (clause.particle if not rank else ""))
        vbz, vbd, vbn, vb = (verb.form(t) for t in ("VBZ", "VBD", "VBN", "VB"))
        if clause.passive and clause.agent:
            form = vbd if clause.aux in ("was", "were", "") else vbz
            out.append(f"who {form} {who}")
            if about_subject:
                out += [f"who {form} the {n}" for n in subject.nouns[:1]]
                if " " not in lemma:
                    out.append(f"who {form} it")
        if clause.passive and about_subject and kinds & {sp.YEAR, sp.DATE}:
            out += [f"when was {who} {vbn}", f"what year was {who} {vbn}", f"{vbn} when"]
        if not clause.passive and clause.obj and not rank and about_subject and (
                "NOUN" in lemmas(clause.obj.split()[-1]) or re.search(r"\d", clause.obj)):
            out.append(f"what does {who} {vb}")
        if (not clause.passive and not about_subject and not rank and clause.obj
                and clause.obj.split()[0] in ("the", "its", "their")
                and "NOUN" in lemmas(clause.obj.split()[-1])):
            # "a consortium of banks is providing the money": who provides it
            obj = re.sub(r"^(?:its|their) ", "the ", clause.obj)
            out += [f"who {vbz} {obj}", f"who {vbd} {obj}"]
            if clause.progressive:
                out.append(f"who is {inflect(head, 'VBG')} {obj}")
        if about_subject and clause.passive and not rank and vbn not in lx.NAMING_PARTICIPLES:
            for noun in _agent_nouns(lemma):
                out += [noun, f"{subject.short} {noun}",
                        f"who are the {noun}" if noun.endswith("s") else f"who is the {noun}"]
    return out


def _count_questions(spans: list[sp.Span], clause: Clause, who: str,
                     subject: Subject, text: str = "") -> list[str]:
    out: list[str] = []
    verb = clause.verb if clause.verb and clause.verb != "be" else "have"
    for span in spans:
        if span.kind not in (sp.COUNT, sp.MEASURE) or not span.noun or (
                tx.clean(span.noun).split()[-1] in lx.TIME_NOUNS | lx.DIMENSION_ADJECTIVES):
            continue  # "for nine years" says how long, nobody asks "how many years"; nor
            # "how many years old" of "ten years old"
        noun = tx.clean(span.noun)
        head = noun.split()[-1]
        nouns = list(dict.fromkeys([noun, head, *_compound_parts(head)]))
        own = _verb_before(text[:span.start]) if not clause.passive else None
        for n in nouns:
            out += [f"how many {n}", f"number of {n}"]
            if who and own is not None:  # "employs 230 people and built 46,000 bicycles"
                lemma, past = own
                out += [f"how many {n} {'did' if past else 'does'} {who} {lemma}"]
            elif who and clause.passive and span.kind == sp.COUNT:  # "served in 90 cafes"
                tense = "VBD" if clause.aux in ("was", "were") else "VB"
                out += [f"how many {n} {inflect(verb, tense)} {who}"]
            elif who and (span.kind == sp.COUNT or verb == "have"):
                aux = "will" if clause.aux == "will" else "does"
                out += [f"how many {n} {aux} {who} {verb}"]
        if span.kind == sp.COUNT and clause.obj and head in clause.obj and who:
            out += [f"what {head} does {who} {verb}", f"which {head} does {who} {verb}"]
        if head in ("people", "employees", "staff", "workers") and who == subject.short and (
                verb in ("employ", "have", "work")):
            out += [f"how many people work at {who}", f"how many employees does {who} have",
                    "headcount", "how many staff", "number of employees", "team size"]
    return out


def _verb_before(before: str) -> tuple[str, bool] | None:
    """Return (lemma, past) of an inflected verb right before a figure, or None.

    "built 46,000 bicycles" -> ("build", True); "sells 20 kinds" -> ("sell", False).
    """
    words = re.findall(r"[\w'’\-]+", before)
    if not words or not words[-1].islower():
        return None
    word = words[-1]
    verbs = lemmas(word).get("VERB")
    if not verbs or "NOUN" in lemmas(word) or word == verbs[0]:
        return None
    lemma = verbs[0]
    if word == inflect(lemma, "VBD"):
        return lemma, True
    if word == inflect(lemma, "VBZ"):
        return lemma, False
    return None


_GROUP = re.compile(
    r"\b(?:a|an|the|its|their)\s+((?:[a-z][a-z\-]+\s)?[a-z][a-z\-]+)\s+of\s+"
    r"(?:about\s+|some\s+|around\s+|roughly\s+)?(?:\d[\d,]*|"
    + "|".join(lx.NUMBER_WORDS) + r")\b(?:\s+([a-z][a-z\-]+))?")
# Nouns of an amount, not of a group: "a total of 30", "a cost of 12 million".
_NOT_GROUPS = tx.wordset(
    "total cost price sum rate share fee budget capacity maximum minimum average loan grant "
    "value output record distance depth height length weight age period term score return "
    "stake number series round lease contract increase rise fall drop growth margin "
    "profit revenue turnover fine salary payment investment deal range speed")


def _group_questions(text: str) -> list[str]:
    """Questions on the size of a group the sentence counts ("a fleet of 14 vessels").

    "how big is the fleet", "fleet size", "how many vessels in the fleet"; "a staff of 188"
    gives "how big is the staff". A noun of an amount ("a total of 30") is no group.
    """
    out: list[str] = []
    for match in _GROUP.finditer(text):
        group, member = match.group(1), match.group(2) or ""
        head = group.split()[-1]
        if head in _NOT_GROUPS or not _content_noun(head) or member in lx.UNITS:
            continue  # "a roastery of 2,400 square metres" is a measure
        for name in dict.fromkeys([group, head]):
            out += [f"how big is the {name}", f"{name} size", f"how large is the {name}"]
            if member and _content_noun(member):
                out += [f"how many {member} are in the {name}", f"how many {member} in the {name}"]
    return out


_MATERIAL = re.compile(r"\s+of\s+((?:[a-z][a-z\-]+\s){0,2}[a-z][a-z\-]+)"
                       r"(?=\s+(?:a|per|each|every)\s+(year|month|week|day)\b|[,.;]|$)")


def _material_questions(text: str, span: sp.Span, clause: Clause, who: str,
                        subject: Subject) -> list[str]:
    """"roasts 380 tonnes of green coffee a year" -> "how much coffee does x roast a year"."""
    if span.kind != sp.MEASURE:
        return []
    found = _MATERIAL.match(text[span.end:])
    if not found:
        return []
    material = " ".join(w for w in found.group(1).split() if w not in _DROP_WORDS)
    head = material.split()[-1] if material else ""
    if not head or "NOUN" not in lemmas(head):
        return []
    rate = f" a {found.group(2)}" if found.group(2) else ""
    out = [f"how much {m}" for m in dict.fromkeys([material, head])]
    out += [f"how many {tx.clean(span.noun)} of {head}"] if span.noun else []
    if who and clause.verb and clause.verb not in ("be", "have") and not clause.passive:
        vb = clause.form("VB")
        does = "do" if who == "they" else "does"
        out += [f"how much {head} {does} {who} {vb}{rate}", f"how much {head} {does} {who} {vb}"]
        if who != subject.short:
            out += [f"how much {head} does {subject.short} {vb}{rate}"]
    return out


def _instrument_questions(text: str, clause: Clause, who: str, subject: Subject) -> list[str]:
    """What something is made with, asked the ways people ask it.

    "Both games are built with the Godot engine" -> "what are the games built with", "what
    engine do they use", "which engine".
    """
    if not clause.passive or not clause.verb or not who:
        return []
    vbn = clause.form("VBN")
    found = re.search(rf"\b{re.escape(vbn)}\s+(?:with|using)\s+([^.,;]+)", text, re.IGNORECASE)
    if not found:
        return []
    head = tx.words(found.group(1))[-1] if tx.words(found.group(1)) else ""
    if not head or "NOUN" not in lemmas(head) or sp.common_word(head, 300):
        return []
    thing = re.sub(r"^(?:both|all|many|several|most|each|every)\s+", "the ", who)
    be = "are" if thing.endswith("s") else "is"
    return [f"what {be} {thing} {vbn} with", f"what {head} {be} {thing} {vbn} with",
            f"which {head}", f"what {head} do they use", f"what {head} does {subject.short} use"]


_RETAIL = re.compile(r"\b(?:(?:is|are)\s+(?:sold|stocked|served)\s+(?:in|at|by|through)|"
                     r"on\s+the\s+shelves\s+of|stocked\s+by|sold\s+(?:in|at|by))\b")


def _retail_questions(text: str, clause: Clause, who: str, subject: Subject) -> list[str]:
    """Where a customer finds what the sentence says is sold or served somewhere.

    "The coffee is served in 90 cafes and on the shelves of a grocery chain" -> "where can
    i buy the coffee", "who sells ridgeline coffee", "which stores stock it".
    """
    if not _RETAIL.search(text):
        return []
    head = who.split()[-1] if who and who.split()[-1] not in subject.nouns else ""
    own = f"{subject.short} {head}" if head and head != subject.short else subject.short
    out: list[str] = []
    for thing in dict.fromkeys(t for t in (who, own) if t):
        out += [f"where can i buy {thing}", f"where is {thing} sold", f"who sells {thing}",
                f"who stocks {thing}"]
    return out


def _compound_parts(noun: str) -> list[str]:
    """"member-owners" -> "members", "owners": each noun of a hyphenated plural compound."""
    parts = noun.split("-")
    if len(parts) != 2 or not noun.endswith("s") or not all(
            "NOUN" in lemmas(p) or "NOUN" in lemmas(p + "s") for p in parts):
        return []
    first = inflect(parts[0], "NNS") if "NOUN" in lemmas(parts[0]) else parts[0]
    return [first, parts[1]]


def _money_questions(text: str, spans: list[sp.Span], clause: Clause, who: str,
                     subject: Subject) -> list[str]:
    out: list[str] = []
    amounts = [s for s in spans if s.kind in (sp.MONEY, sp.PERCENT)]
    if not amounts:
        return out
    verb = clause.verb
    subj = _simple_np(clause.subject)
    if verb and who:
        vb = inflect(verb, "VB")
        if clause.passive and not re.search(rf"\b{inflect(verb, 'VBN')} for\b", text) and (
                inflect(verb, "VBN") not in lx.NAMING_PARTICIPLES):
            be = "are" if who.endswith("s") else "is"  # not "paid for": what it cost
            out += [f"how much {be} {who} {inflect(verb, 'VBN')}",
                    f"what {be} {who} {inflect(verb, 'VBN')}"]
        del vb
    named = any(tx.clean(s.text) in subj for s in spans if s.kind in (sp.NAME, sp.ORG))
    noun = subj.split()[-1] if subj else ""
    if noun and not named and not clause.passive and not _about_subject(subj, subject) and (
            not sp.common_word(noun, 500)):  # "revenue reached $41m"; not "growers are paid"
        out += [f"how much {noun}", f"what is {subject.short}'s {noun}",
                f"{subject.short} {noun}", noun]
    for span in amounts:
        tail = text[span.end:span.end + 40]
        noun = re.match(r"\s+([a-z][a-z\-]+)(?:\s+([a-z][a-z\-]+))?", tail)
        if noun and noun.group(1) not in lx.PREPOSITIONS and noun.group(1) not in ("and",):
            word = noun.group(1)
            out += [f"how much was the {word}", f"how big is the {word}"]
            out += [word] if _clipped_noun_phrase([word]) else []
        before = text[max(0, span.start - 40):span.start]
        of = re.search(r"([a-z][a-z\-]+(?:\s[a-z][a-z\-]+)?)\s+of\s+(?:about\s|around\s)?$",
                       before)
        if of:
            phrase = " ".join(w for w in of.group(1).split() if w not in _DROP_WORDS)
            if phrase:
                out += [f"what is the {phrase}"]
                out += [phrase] if _clipped_noun_phrase(phrase.split()) else []
        if span.kind == sp.PERCENT:
            after = re.match(r"\s+of\s+((?:[\w'’\-]+\s?){1,4})", tail)
            if after:
                out.append(f"what percentage of {tx.clean(after.group(1))}")
    return out


def _place_questions(text: str, spans: list[sp.Span], clause: Clause, who: str,
                     about_subject: bool, subject: Subject) -> list[str]:
    """"where is x" when the sentence says where its subject is."""
    if not who or not any(s.kind == sp.PLACE and subject.short not in tx.words(s.text)
                          for s in spans):
        return []
    if not (clause.verb in ("be", "base", "locate", "headquarter", "")
            or re.search(r"\b(?:based|located|headquartered)\s+(?:in|at|near)\b", text)):
        return []
    out = [f"where is {who}", f"which city is {who} in", f"what city is {who} in",
           f"where is {who} based", f"which town is {who} in"]
    if about_subject:
        out += [f"where is {subject.short} located", "where are they based"]
    return out


# A sentence says what a name is: "Corran Bank, an offshore wind farm"; "the next game,
# Hollow Tide, is a narrative game"; "Forge is a platform"; "the Danish manufacturer
# Skovby Turbines".
_APPOSITIVE_AFTER = re.compile(r"\s*,\s+(?:(?:is|are|was|were)\s+)?(?:a|an|the)\s")
_COPULA_AFTER = re.compile(r"\s+(?:is|are|was|were)\s+(?:a|an)\s")
_DESCRIPTOR_BEFORE = re.compile(
    r"\b(?:the|a|an)\s+(?:[\w\-]+\s+){0,2}[a-z][\w\-]*,?\s+$"
    # after a possessive only as an appositive: "its own software, CanopyOS", not
    # "their own custom AI"
    r"|(?:\b(?:its|their|his|her)|[\w\-]+['\u2019]s)\s+(?:[\w\-]+\s+){0,2}[a-z][\w\-]*,\s+$",
    re.IGNORECASE)


def defined_names(text: str, spans: list[sp.Span], subject: Subject) -> list[tuple[str, str]]:
    """Return the names (not the subject's) whose sentence says what they are, with "be".

    An appositive or a copula after the name ("Kestrel Interactive, a publisher based in
    Bristol"; "Hollow Tide, is a narrative exploration game"; "Forge is a platform"), or a
    describing noun phrase before it ("the Danish manufacturer Skovby Turbines", "its own
    software, CanopyOS"). Such a
    sentence is the one to answer "what is Kestrel Interactive" with, of all the
    sentences that mention the name. The verb is "are" for a name the sentence says
    "are" of ("Les Ministraux are optimised versions"), else "is".
    """
    out = []
    for span in spans:
        if span.kind not in (sp.NAME, sp.ORG) or _names_subject(span.text, subject):
            continue
        after, before = text[span.end:], text[:span.start]
        described = _DESCRIPTOR_BEFORE.search(before)
        if described and not _content_noun(before.split()[-1].strip(",")):
            described = None  # "an enabler of AI", "a year once Corran Bank is running"
        if _APPOSITIVE_AFTER.match(after) or _COPULA_AFTER.match(after) or described:
            plural = re.match(r"\s*,?\s+(?:are|were)\s", after)
            out.append((tx.clean(span.text), "are" if plural else "is"))
    introduced = _introduced(text, subject)
    if introduced is not None:
        out.append((introduced[0], "is"))  # "The largest project ... is a new central library"
    return out


def _names_subject(name: str, subject: Subject) -> bool:
    """True when ``name`` is the subject's name or part of it ("Brannock Hill", "Brannock").

    "Brannock Blue", a cheese, holds the short name and a word the subject's name lacks:
    it names something else.
    """
    words = tx.words(name)
    return subject.short in words and set(words) <= set(tx.words(subject.name)) | {"the"}


def _introduced(text: str, subject: Subject) -> tuple[str, str] | None:
    """Return the thing a "The X is a new Y" sentence introduces, asked and as written.

    ("the new central library", "new central library"); None for another shape or when
    the sentence is about the subject ("The Tamar Sinfonia is an orchestra": what the
    subject is, asked of the subject).
    """
    found = copula_complement(text)
    if found is None or _about_subject(tx.clean(found[0]), subject) or _about_subject(
            found[1], subject):
        return None
    return "the " + tx.clean(found[1]), found[1]


def definition_forms(name: str, be: str = "is") -> list[str]:
    """Return the questions asking what ``name`` is ("what is x", "tell me about x", "x")."""
    return [f"what {be} {name}", f"tell me about {name}", name]


def _name_questions(spans: list[sp.Span], subject: Subject) -> list[str]:
    out = []
    for span in spans:
        if span.kind not in (sp.NAME, sp.ORG) or _names_subject(span.text, subject) or (
                sp.common_word(span.text.split()[0], 3000) and " " not in span.text):
            continue
        name = tx.clean(span.text)
        if " " not in name and _NATIONALITY.fullmatch(name):
            continue  # "the Danish manufacturer": an adjective, nothing to ask about
        out += [f"what is {name}", f"tell me about {name}", name]
    return out


def _yes_no_questions(text: str, clause: Clause, who: str, about_subject: bool) -> list[str]:
    out: list[str] = []
    if not who:
        return out
    if clause.verb in ("be", "become") and clause.obj:
        obj = []
        for word in clause.obj.split():  # "an energy developer based in ...": the developer
            if word in lx.NAMING_PARTICIPLES or word in (
                    "based", "located", "owned", "run", "headquartered", "founded"):
                break
            if word not in ("been", "still"):
                obj.append(word)
        head = _simple_np(" ".join(obj))
        if head:
            plain = re.sub(r"^(?:an?|the) ", "", head)
            out += [f"is {who} {head}", f"are they {head}"]
            out += [plain] if _clipped_noun_phrase(plain.split()) else []
            short = _abbreviated(head)
            if short != head:
                out += [f"is {who} {short}", f"are they {short}"]
    out += _customer_questions(clause, who, about_subject)
    negation = re.search(r"\bthere (?:is|are) no ([\w'’\- ]{2,30}?)(?:[.,;]|$)", text)
    if negation:
        thing = tx.clean(negation.group(1))
        out += [f"is there a {thing}", f"is there any {thing}", thing]
    available = re.search(r"\bavailable (?:on|in|at) (.+?)(?:;|\.|$)", text)
    if available:
        for name in re.split(r",\s*|\s+and\s+", available.group(1)):
            place = tx.clean(re.sub(r"^(?:on|in|at|through)\s+", "", name.strip()))
            if place:
                out += [f"is {who} on {place}", f"can i get {who} on {place}"]
    return out


def _activity_questions(text: str, clause: Clause, who: str, about_subject: bool) -> list[str]:
    """Questions on the clause's own verb for what is going on or has happened.

    "It has been developing floating foundations" -> "what is glenmora developing", "what
    are they working on", "are they developing floating foundations"; "Offshore
    construction began in 2025" -> "has offshore construction begun", "did offshore
    construction begin".
    """
    if not who or clause.verb in ("", "be", "have", "become") or clause.passive:
        return []
    verb = Clause(clause.subject, clause.verb, clause.particle)
    vb, vbd, vbn, vbg = (verb.form(t) for t in ("VB", "VBD", "VBN", "VBG"))
    plural = who == "they" or (not about_subject and who.endswith("s"))
    out: list[str] = []
    if clause.progressive:
        obj = " ".join(w for w in tx.words(clause.obj) if not re.search(r"\d", w)
                       and w not in lx.NUMBER_WORDS and w not in _DROP_WORDS
                       and w not in lx.ADVERBS)
        head = obj.split()[-1] if obj else ""
        obj = obj if (len(obj.split()) <= 3 and "NOUN" in lemmas(head)
                      and head not in lx.PARTITIVE_NOUNS) else ""
        be = "are" if plural else "is"
        work = clause.verb in lx.WORK_VERBS  # "working on" is asked of making things only
        if not obj and not work:  # "investing heavily in ..." asks nothing without its object
            return out
        out += [f"what {be} {who} {vbg}"] + ([f"what {be} {who} working on"] if work else [])
        out += [f"{be} {who} {vbg} {obj}"] if obj else []
        if about_subject:
            out += [f"what are they {vbg}"] + (["what are they working on"] if work else [])
            out += [f"are they {vbg} {obj}"] if obj else []
            out += [f"are they working on {obj}"] if obj and work else []
        return out
    happened = clause.aux in ("", "did") and vbd != vb and re.search(
        rf"\b{re.escape(vbd.split()[0])}\b", text, re.IGNORECASE)
    if happened and not about_subject and clause.verb in lx.EVENT_VERBS and not re.search(
            r"['’]s\b", who):  # an event: "has construction begun"
        out += [f"{'have' if plural else 'has'} {who} {vbn}", f"did {who} {vb}"]
        head = who.split()[-1]
        if head != who and not who.startswith(("the ", "a ", "an ")):
            out += [f"has {head} {vbn}"]
    return out


def _abbreviated(phrase: str) -> str:
    """"a certified b corporation" -> "a b corp": the adjective dropped, the noun shortened."""
    words = phrase.split()
    if not any(w in lx.ABBREVIATIONS for w in words):
        return phrase
    words = [lx.ABBREVIATIONS.get(w, w) for w in words]
    if len(words) > 2 and words[0] in ("a", "an", "the"):
        words = [words[0], *words[2:]] if words[1].endswith(("ed", "ful", "al")) else words
        if words[0] in ("a", "an"):
            words[0] = "an" if words[1][:1] in "aeiou" else "a"
    return " ".join(words)


def _customer_questions(clause: Clause, who: str, about_subject: bool) -> list[str]:
    """What a customer asks when the subject sells, serves or offers something.

    "Ridgeline sells three coffees" -> "what can i buy from ridgeline", "what coffees can
    i buy", "can i buy coffees from them".
    """
    verb = lx.CUSTOMER_VERBS.get(clause.verb)
    if not verb or not about_subject or clause.passive or not clause.obj:
        return []
    head = [w for w in tx.words(clause.obj) if not re.search(r"\d", w)
            and w not in lx.NUMBER_WORDS and w not in _DROP_WORDS]
    if not head:
        return []
    noun = head[-1]
    return [f"what can i {verb} from {who}", f"what can i {verb} from them",
            f"what {noun} can i {verb}", f"can i {verb} {noun} from {who}",
            f"what {noun} do they {clause.verb}", f"what does {who} {clause.verb}"]


def opinion_questions(clause: Clause, roles: dict[str, str], subject: Subject) -> list[str]:
    """What a person thinks, asked by their name and by their role.

    "Arthur Mensch wants AI to be decentralised" (and he is the CEO) -> "what does mensch
    want", "what does mensch think", "what is mensch's view", "what does the ceo think".

    Args:
        clause: The sentence's clause; its subject must be a person of ``roles``.
        roles: Role of each person (full name and surname, lower case) the article names.
        subject: The document's subject.
    """
    person = clause.subject
    if clause.verb not in lx.OPINION_VERBS or person not in roles:
        return []
    surname = person.split()[-1]
    verb = clause.form("VB")
    views = list(dict.fromkeys([verb, *lx.OPINION_QUESTIONS]))
    out = [f"what does {person} {verb}"]
    out += [f"what does {surname} {v}" for v in views]
    out += [f"what is {surname}'s view", f"what are {surname}'s views"]
    role = roles[person]  # few: the role's own intent keeps most of the role's word
    out += [f"what does the {role} think", f"what does the {role} {verb}"]
    return out


# Lower-case words opening a surname ("de Wit").
_NAME_PARTICLES = tx.wordset("de van von der da di du le la")
# A quotation and who said it: '"...," Mandić said' or '"...," said Mandić'.
_QUOTE = re.compile(
    r'^\s*["“](?P<quote>[^"”]+)["”],?\s+(?:(?P<speaker>(?:(?:'
    + "|".join(sorted(_NAME_PARTICLES)) + r")\s)?[A-Z][\w'’\- ]{1,40}?)\s+"
    r"(?P<verb>said|says|told|added|argued|explained|insisted|warned)\b"
    r"|(?:said|says|added)\s+(?P<after>[A-Z][\w'’\-]+(?:\s[A-Z][\w'’\-]+)*))")
# Quotation marks around the whole sentence: a quotation going on from the last one.
_WHOLE_QUOTE = re.compile(r'^\s*["“][^"”]+["”]\s*$')


def quote_speaker(sentence: str, previous_speaker: str = "") -> tuple[str, str] | None:
    """Return (speaker, quotation) of a quoted sentence, or None.

    '"An island without a reliable ferry is an island that slowly empties," Mandić said'
    -> ("mandić", "An island ... empties"); a sentence that is all quotation goes on with
    the speaker of the one before ('"We just want to grow the fragile things ..."').
    """
    found = _QUOTE.match(sentence)
    if found:
        speaker = found.group("speaker") or found.group("after")
        return tx.clean(speaker), found.group("quote")
    if previous_speaker and _WHOLE_QUOTE.match(sentence):
        return previous_speaker, sentence.strip().strip('"“”')
    return None


# What a sentence says of a person's past, right after their name (and a co-founder's, or
# an appositive): "Catarina Lobo, who had spent eight years as a mechanic", "Rui
# Bettencourt, formerly the finance director of a cork exporter", "Lucija Mandić, a former
# deputy director", "Sanne de Wit, a plant scientist who trained at Wageningen",
# "Tomislav Kralj, the chief financial officer, who joined from a Zagreb insurance group",
# "Mei Tanaka, who joined in 2021 from an LED lighting manufacturer".
_PAST = (r"(?:(?:an?|the|both)\s+)?former\b|formerly\b|previously\b|once\b"
         r"|who\s+(?:had\s+|has\s+)?(?:previously\s+|once\s+|earlier\s+)?"
         r"(?:spent|worked|served|managed|ran|led|trained|studied)\b"
         r"|who\s+(?:had\s+)?(?:joined|came)\b[^,]{0,30}?\bfrom\b")
_BACKGROUND = re.compile(
    r"(?:\s+and\s+[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+)*)?"  # "Fiona Baird and Kwame Asante"
    r"\s*,\s*(?:(?:an?|the)\s+[^,]{1,60}?\s+(?=who\b)|the\s+[^,]{1,40},\s*)?"
    rf"(?:{_PAST})", re.IGNORECASE)


def background_questions(text: str, spans: list[sp.Span], subject: Subject) -> list[str]:
    """What a person did before, asked of the sentence that tells it.

    "... founded by Catarina Lobo, who had spent eight years as a mechanic for road-racing
    teams" -> "what did lobo do before", "what did lobo do previously", "what did lobo do
    before alvorada". People ask after someone's past in these words, and the sentence
    that introduces them is the one that answers.
    """
    out: list[str] = []
    for span in spans:
        if span.kind != sp.PERSON or not _BACKGROUND.match(text, span.end):
            continue
        words = tx.clean(span.text).split()
        surname = " ".join(words[-2:]) if len(words) > 1 and words[-2] in _NAME_PARTICLES else (
            words[-1])
        out += [f"what did {surname} do before", f"what did {surname} do previously"]
        if subject.short:
            out.append(f"what did {surname} do before {subject.short}")
    return out


def quote_questions(speaker: str, quotation: str, roles: dict[str, str]) -> list[str]:
    """What a quoted person said, asked by name, by role and by what the quotation is about.

    Of Mandić's '"An island without a reliable ferry is an island that slowly empties"':
    "what did mandić say", "what does mandić say about islands", "... about ferries", and
    with a role "what did the ceo say about islands". The nouns are those of the quotation
    that are not among the 1,000 commonest English words.
    """
    words = speaker.split()
    # "de wit" is asked as written; "catarina lobo" by the surname
    surname = speaker if words[0] in _NAME_PARTICLES else words[-1]
    role = roles.get(speaker) or roles.get(surname)
    nouns = [w for w in dict.fromkeys(tx.words(quotation)) if w.isalpha()
             and "NOUN" in lemmas(w) and not w.endswith(("ed", "ing"))
             and w not in tx.STOPWORDS and not _common(w, 1000)][:3]
    names = [surname] + ([f"the {role}"] if role else [])
    out = [f"what did {n} say" for n in names]
    for noun in nouns:
        plural = inflect(lemmas(noun)["NOUN"][0], "NNS")
        out += [f"what does {n} say about {plural}" for n in names]
        out += [f"what did {surname} say about {plural}"]
    return out


def faq_questions(question: str, subject: Subject) -> list[str]:
    """Return an FAQ question with its natural variants (short subject, pronouns, "i").

    Args:
        question: The FAQ question as written.
        subject: The document's subject.
    """
    cleaned = tx.clean(question)
    out = [cleaned]
    short = subject.short
    for alias in subject.aliases:
        if alias and alias in cleaned:
            cleaned = cleaned.replace(alias, short)
            out.append(cleaned)
            break
    if short:
        out.append(re.sub(rf"\b{re.escape(short)}\b", "they",
                          re.sub(rf"\b{re.escape(short)}'s\b", "their", cleaned)))
        out.append(re.sub(r"\b(it|they|the studio|the company)\b", short, cleaned))
    out.append(re.sub(r"\b(visitors|people|customers|you)\b", "i", cleaned))
    goes = re.match(r"^(?:how much|what)\s+(?:money\s+)?goes to\s+(.+)$", cleaned)
    if goes:  # "how much goes to local communities" -> "what do local communities get"
        out += [f"what do {goes.group(1)} get", f"how much do {goes.group(1)} get"]
    out.append(re.sub(r"^(what|which|who|how|where|when)\s+(is|are|does|do)\s+", r"\1 ",
                      cleaned))
    words = cleaned.split()
    for cut, word in enumerate(words):  # "... develop and offer to its customers" shortened
        if cut >= 4 and (word in lx.PREPOSITIONS or word == "and"):
            out.append(" ".join(words[:cut]))
    for part in re.split(r"\s*,?\s+and\s+(?=(?:how|what|who|where|when|why|is|are|does|do)\b)",
                         cleaned):
        out.append(part)
    for variant in list(out):
        plain = re.sub(r"\b(?:types|kinds|sorts) of\s+", "", variant)
        out.append(plain)
        words = plain.split()
        for index, word in enumerate(words):
            lemma = (lemmas(word).get("VERB") or ("",))[0]
            following = words[index + 1] if index + 1 < len(words) else ""
            if following.endswith("ing") and "VERB" in lemmas(following):
                continue  # "start producing": the verb is the one after
            for family, others, _ in lx.VERB_FAMILIES:
                if lemma in family and word not in ("is", "are", "do", "does"):
                    out += [re.sub(rf"\b{word}\b", _inflected_like(other, word, lemma), plain)
                            for other in others if other != lemma]
    for variant in list(out):
        perfect = re.match(r"^(.*?)\b(?:has|have)\s+(.+?)\s+(\w+)$", variant)
        if perfect:  # "how much money has x raised" -> "how much money did x raise"
            lemma = (lemmas(perfect.group(3)).get("VERB") or ("",))[0]
            if lemma and inflect(lemma, "VBN") == perfect.group(3):
                out.append(f"{perfect.group(1)}did {perfect.group(2)} {lemma}")
        out.append(re.sub(r"^how (much|many) \w+ ", r"how \1 ", variant))
    words = [w for w in tx.content_words(cleaned, tx.QUESTION_WORDS)
             if w != short and w not in subject.aliases]
    if 2 <= len(words) <= 3:
        out += [" ".join(words), f"{short} {' '.join(words)}"]
    return clean_examples(out, MAX_FAQ_WORDS)


def _inflected_like(verb: str, word: str, lemma: str) -> str:
    """``verb`` in the form ``word`` has: "generate" like "producing" -> "generating"."""
    head, _, rest = verb.partition(" ")
    for tag in ("VBG", "VBD", "VBN", "VBZ"):
        if word != lemma and inflect(lemma, tag) == word:
            return f"{inflect(head, tag)} {rest}".strip()
    return verb


def clean_examples(examples: list[str], max_words: int = MAX_WORDS) -> list[str]:
    """Return examples lower-cased, de-duplicated, and without junk.

    Junk is a single common English word, a bare verb, a possessive alone ("studio's"), a
    bare number or date, an example longer than ``MAX_WORDS`` words, one ending on a word
    that can be no noun, one with a modal twice ("will ... will") and "do X have" before a
    participle ("do they have played in churches").
    """
    seen: set[str] = set()
    kept: list[str] = []
    for example in examples:
        text = " ".join(tx.words(example.replace("’", "'")))
        text = re.sub(r"\b(\w+) \1\b", r"\1", text)
        text = re.sub(r"\b(has|does|is|was) they\b",
                      lambda m: {"has": "have", "does": "do", "is": "are", "was": "were"}[
                          m.group(1)] + " they", text)
        text = re.sub(r"\bthey('s)? (\w+s)\b", lambda m: "they " + (
            m.group(2)[:-1] if m.group(2) in ("runs", "makes", "sells", "has") else
            m.group(2)) if not m.group(1) else "their " + m.group(2), text)
        text = text.replace("they has", "they have")
        text = re.sub(r"\bthe own\b", "its own", text)  # "who makes the own energy"
        text = _object_pronouns(text)
        if not text or text in seen or _junk(text, max_words):
            continue
        seen.add(text)
        kept.append(text)
    return kept


def _object_pronouns(text: str) -> str:
    """Write "they" as "them" where it is an object: "who owns they" -> "who owns them"."""
    words = text.split()
    for index, word in enumerate(words):
        if word != "they" or not index:
            continue
        before = words[index - 1]
        if before in lx.AUXILIARIES or before in tx.QUESTION_WORDS or before == "and":
            continue
        if before in lx.PREPOSITIONS or "VERB" in lemmas(before):
            words[index] = "them"
    return " ".join(words)


def _junk(text: str, max_words: int = MAX_WORDS) -> bool:
    words = text.split()
    if len(words) > max_words:
        return True
    if all(w in lx.MONTHS or w in lx.WEEKDAYS or re.fullmatch(r"\d[\d,.]*", w)
           or w in ("every", "in", "on", "since", "the") for w in words):
        return True  # a date or a day alone: "saturday", "in 2020"
    if len(words) == 1:
        word = words[0]
        if re.search(r"\d", word) or len(word) == 1 or word.endswith("'s"):
            return True  # a figure, a letter, a possessive alone ("studio's")
        if "VERB" in lemmas(word) and "NOUN" not in lemmas(word):
            return True
        return sp.common_word(word, 1500) and word not in lx.ROLE_SHORT.values()
    if _no_noun_asked(words):
        return True
    if any(words.count(m) > 1 for m in ("will", "would", "can", "could", "should")):
        return True  # "how many people will the centre will run"
    if re.search(r"\b(?:do|does|did)\b(?: \S+){1,3} have \w+ed\b", text):
        return True  # "do they have played in churches"
    return all(w in tx.STOPWORDS or w in tx.QUESTION_WORDS for w in words)


_DETERMINERS = frozenset({"the", "a", "an", "its", "their", "his", "her", "this", "that"})


def _no_noun_asked(words: list[str]) -> bool:
    """True when the noun a question ends on can be no noun.

    "how big is the less", "what is leafloft's grow": a word after a determiner or a
    possessive that ends the question and that the word list knows only as another
    part of speech; "how many later", "number of later": such a word, no verb, after
    "how much" / "how many" / "number of" ("how much raised" is clipped: "how much was
    raised"). A word the list does not know (a name, "county") may be a noun, and so
    may a gerund.
    """
    if len(words) < 2:
        return False
    last, before = words[-1], words[-2]
    forms = lemmas(last)
    if not forms or "NOUN" in forms or last.endswith("ing"):
        return False  # a gerund names an activity: "who does the roasting"
    if before in _DETERMINERS or before.endswith("'s"):
        return True
    # "how much raised" is clipped ("how much was raised"); "how many later" is not
    counted = words[-3:-1] == ["number", "of"] or words[:2] in (["how", "much"], ["how", "many"])
    return len(words) == 3 and counted and "VERB" not in forms
