"""Segment a document into facts: the subject and its aliases, sentences, pronouns resolved.

A fact is one sentence made readable on its own: a leading "It", "Its" or "The company"
becomes the subject's name (or the thing the previous sentence named, when that sentence
was about something else); a sentence that goes on about the one before ("Most of them
...") joins it, and a short sentence that gives no detail ("Glenmora started small.") is
left out of the answers. A section whose heading carries an
explicit key (``## Revenue {#revenue}``) is one topic: its sentences stay together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.compiler import lexicon as lx
from bot.compiler import spans as sp
from bot.compiler import text as tx
from bot.compiler.document import Document

_INTRO_WORD = r"(?:In|Since|By|From|After|Before|For|Under|During|Together with|Until)\b"
# "In 2023, ..." or a short phrase before a pronoun or "the": "In 2023 the cooperative";
# never a long one ("For its first nine years Ridgeline roasted in a warehouse on the ...").
# The comma is one before a space ("720,000" holds none).
_TIME_ADVERB = r"(?:" + "|".join(sorted(lx.TIME_ADVERBS | {"now"})) + r")\b"
_LEADING_PHRASE = re.compile(
    rf"^(?P<intro>{_INTRO_WORD}(?:[^,;]{{1,80}}?,\s+|(?:\s+[\w'’\-]+){{1,4}}?\s+"
    rf"(?=(?:it|its|they|their|the)\b))|{_TIME_ADVERB},?\s+(?=(?:it|its|they|their|the)\b))",
    re.IGNORECASE)
_PRONOUN_START = re.compile(r"^(?P<pronoun>It|Its|They|Their)\b(?P<possessive>)")
MIN_DETAIL_WORDS = 8
# A headed section of at most this many sentences is one fact named after its heading;
# a longer one holds several facts, each named after what it says.
MAX_HEADED_SENTENCES = 2


@dataclass(frozen=True)
class Subject:
    """What a document is about, and the names it goes by.

    Attributes:
        name: The full name ("Ridgeline Roasters Cooperative").
        short: The name people type ("ridgeline"), folded.
        nouns: Head nouns the document uses for it ("cooperative", "business").
    """

    name: str
    short: str
    nouns: tuple[str, ...]

    @property
    def aliases(self) -> tuple[str, ...]:
        """Other spellings of the name (folded), for Rasa synonyms: never a common word."""
        full = tx.clean(self.name)
        out = [full] if full and full != self.short else []
        words = full.split()
        if len(words) > 2:
            out.append(" ".join(words[:2]))
        return tuple(dict.fromkeys(a for a in out if a != self.short))


@dataclass(frozen=True)
class Fact:
    """One sentence (or a few merged ones) readable on its own.

    Attributes:
        text: The resolved text, as an answer would show it.
        heading: The heading of the section it comes from ("" when none).
        key: The section's explicit key, or None.
        group: Facts with the same group (a keyed or short headed section) form one
            intent.
    """

    text: str
    heading: str = ""
    key: str | None = None
    group: int | None = None


def find_subject(doc: Document) -> Subject:
    """Return the document's subject: the name its first sentence opens with, or the title's.

    Args:
        doc: A parsed document.
    """
    body = [p for s in doc.sections for p in s.paragraphs]
    first = tx.sentences(body[0])[0] if body else ""
    name = ""
    for phrase in tx.capitalised_phrases(first)[:1]:
        phrase = re.sub(r"['’]s$", "", phrase)
        if first.startswith(phrase):
            name = phrase
    head = re.match(r"[A-Z][\w’'\-]*(?=\s)", first)
    if not name and head and head.group(0) in doc.title.split(":")[0] and not (
            sp.common_word(head.group(0).casefold(), 5000)):
        name = head.group(0)  # "Leafloft is a start-up in Rotterdam": one word, in the title
    if not name:
        name = _most_mentioned(doc)
    short = _short_name(doc, name)
    nouns = _subject_nouns(doc, first, name)
    return Subject(name, short, nouns)


def _short_name(doc: Document, name: str) -> str:
    """The word of the name the text uses most on its own ("webb" of "James Webb Space ...")."""
    words = tx.words(name)
    if not words:
        return ""
    text = tx.fold(" ".join(p for s in doc.sections for p in s.paragraphs))
    written = name.split()
    counts = [(len(re.findall(rf"\b{re.escape(w)}\b", text)), -i, w)
              for i, w in enumerate(words) if not sp.common_word(w, 3000) and not (
                  i < len(written) and written[i].isupper() and len(w) <= 3)]
    return max(counts)[2] if counts else words[0]


def _most_mentioned(doc: Document) -> str:
    text = " ".join(p for s in doc.sections for p in s.paragraphs)
    text += " " + " ".join(f"{q.question} {q.answer}" for q in doc.faq)
    candidates = tx.capitalised_phrases(doc.title) or tx.capitalised_phrases(text)
    folded = tx.fold(text)
    best, best_score = "", 0.0
    for phrase in candidates:
        count = len(re.findall(rf"\b{re.escape(tx.fold(phrase))}\b", folded))
        score = count + 0.1 * len(phrase.split())
        if count and score > best_score and phrase.lower() not in tx.STOPWORDS:
            best, best_score = phrase, score
    return best.strip(" ,:;'\"")


# Words that end the noun phrase saying what the subject is ("a ferry company
# headquartered in Split"): participles of place and ownership, relative pronouns.
_AFTER_HEAD = frozenset(["based", "owned", "headquartered", "located", "run", "founded",
                         "that", "which", "who"])


def _subject_nouns(doc: Document, first: str, name: str) -> tuple[str, ...]:
    """Return the head nouns used for the subject: "X is a ... studio" and "the company"."""
    nouns: list[str] = []
    rest = first[len(name):] if name and first.startswith(name) else ""
    match = re.match(r"^\s+(?:is|was|are)\s+(?:a|an|the)\s+([^,.;]*)", rest)
    if match:
        head = ""
        words = match.group(1).split()
        for index, word in enumerate(words):
            low = word.casefold()
            after = words[index + 1].casefold() if index + 1 < len(words) else ""
            if low in lx.PREPOSITIONS or low in _AFTER_HEAD or (
                    low.endswith("ing") and head and (not after or after in lx.PREPOSITIONS)):
                break
            head = low
        else:
            head = match.group(1).split()[-1].casefold() if match.group(1).split() else ""
        if head:
            nouns.append(head)
    text = tx.fold(" ".join(p for s in doc.sections for p in s.paragraphs))
    for word in tx.content_words(doc.title):  # "the telescope" of "... Space Telescope"
        if word in tx.words(name) and word != (tx.words(name) or [""])[0] and re.search(
                rf"\bthe {re.escape(word)}\b", text):
            nouns.append(word)
    for noun in sorted(lx.SUBJECT_NOUNS):
        if re.search(rf"\bthe {re.escape(noun)}\b", text):
            nouns.append(noun)
    return tuple(dict.fromkeys(n for n in nouns if n and not sp.common_word(n, 300)))


def segment(doc: Document, subject: Subject) -> list[Fact]:
    """Return the document's facts in order (FAQ pairs are not facts).

    Args:
        doc: A parsed document.
        subject: Its subject.
    """
    facts: list[Fact] = []
    for index, section in enumerate(doc.sections):
        count = sum(len(tx.sentences(p)) for p in section.paragraphs)
        keyed = section.key is not None or bool(
            section.heading and not section.run_in and count <= MAX_HEADED_SENTENCES)
        for paragraph in section.paragraphs:
            previous = ""
            aside: list[str] = []  # sentences that give no detail ("Glenmora started small.")
            before = len(facts)
            for number, sentence in enumerate(tx.sentences(paragraph)):
                if section.run_in and not number:  # "The Palantir Playbook This involves"
                    sentence = re.sub(r"^(?:This|It)\s+(?=[a-z])", f"{section.heading} ",
                                      sentence)
                resolved = resolve(sentence, previous, subject)
                previous = resolved
                if len(facts) > before and not keyed and _continues(sentence):
                    last = facts[-1]  # "Most work in Tampere; 20 of them are ..." goes on
                    facts[-1] = Fact(f"{last.text} {resolved}", last.heading, last.key,
                                     last.group)
                    continue
                if not keyed and _without_detail(resolved):
                    aside.append(resolved)
                    continue
                for part in split_details(resolved) if not keyed else [resolved]:
                    facts.append(Fact(part, section.heading, section.key,
                                      index if keyed else None))
            if aside and len(facts) == before:  # a paragraph of such sentences only
                facts.append(Fact(" ".join(aside), section.heading, section.key, None))
    return facts


_PARTICIPLE_TAIL = re.compile(r",\s+(?P<verb>[a-z]+)(?P<rest>\s.+?)\.?$")
_MIN_PART_WORDS = 6


def split_details(sentence: str) -> list[str]:
    """Split a sentence whose participle phrase gives a detail of its own.

    "In 2020 Ridgeline moved into a roastery of 2,400 square metres in the harbour
    district, paid for with a $3.2 million loan from X." is two facts people ask about
    separately (where and how big; how it was financed): "In 2020 Ridgeline moved into a
    roastery ... district." and "The roastery was paid for with a $3.2 million loan from
    X." The thing the phrase is about is the head noun of the main clause's object.
    A sentence without such a phrase is returned whole.
    """
    from bot.compiler.clause import inflect, lemmas

    match = _PARTICIPLE_TAIL.search(sentence)
    if not match:
        return [sentence]
    verb = match.group("verb")
    lemma = (lemmas(verb).get("VERB") or ("",))[0]
    head = sentence[:match.start()]
    tail = match.group("rest")
    if not lemma or inflect(lemma, "VBN") != verb or len(head.split()) < _MIN_PART_WORDS or (
            len(tail.split()) < 3) or not any(
            s.kind != sp.NAME for s in sp.extract_spans(tail)) or "," in head[-40:]:
        return [sentence]
    noun = _object_head(head)
    if not noun:
        return [sentence]
    return [f"{head}.", f"The {noun} was {verb}{tail.rstrip('.')}."]


def _object_head(clause: str) -> str:
    """The head noun of the clause's first object.

    That is the last plain noun before the first preposition that follows one: "roastery"
    of "moved into a purpose-built roastery of 2,400 square metres in ...".
    """
    from bot.compiler.clause import lemmas

    candidate = ""
    seen_determiner = False
    for word in re.findall(r"[\w'’\-]+|,", clause):
        low = word.casefold()
        if low in ("a", "an", "the", "its", "their"):
            seen_determiner = True
            continue
        if not seen_determiner:
            continue
        if (low in lx.PREPOSITIONS or word == ",") and candidate:
            return candidate
        found = lemmas(low)
        if word.islower() and word.isalpha() and (not found or "NOUN" in found):
            candidate = low
        elif not word.islower() or low in lx.PREPOSITIONS:
            candidate = ""
    return ""


_CONTINUES = re.compile(r"^(?:Most|Many|Some|All|None|Both|Several|Few|\d[\d,]*)\s+"
                        r"(?:of\s+(?:them|these|those)\b|work|are|were|live|come)\b")


def _continues(sentence: str) -> bool:
    """True for a sentence that goes on about the one before ("Most of them ...")."""
    return bool(_CONTINUES.match(sentence))


def _without_detail(sentence: str) -> bool:
    """True for a short sentence that names no figure, date, person or place."""
    if len(sentence.split()) >= MIN_DETAIL_WORDS:
        return False
    return not any(s.kind != sp.NAME for s in sp.extract_spans(sentence))


def resolve(sentence: str, previous: str, subject: Subject) -> str:
    """Replace a leading pronoun or "the company" with what it stands for.

    Args:
        sentence: The sentence as written.
        previous: The sentence before it in the paragraph (already resolved), or "".
        subject: The document's subject.

    Returns:
        The sentence readable on its own.
    """
    if not subject.name:
        return sentence
    intro_match = _LEADING_PHRASE.match(sentence)
    intro = intro_match.group("intro") if intro_match else ""
    rest = sentence[len(intro):]
    referent = _referent(previous, subject)
    short_name = _display_short(subject)
    match = re.match(r"^(It|Its|it|its|They|Their|they|their)\b", rest)
    if match:
        word = match.group(1).lower()
        name = referent if referent else short_name
        if name.startswith("The ") and not rest.startswith(match.group(1)[:1].upper()):
            name = "the " + name[4:]
        replacement = f"{name}'s" if word in ("its", "their") else name
        if word == "they" and referent is None:
            replacement = short_name
        rest = replacement + rest[match.end():]
    else:
        for noun in subject.nouns:
            alias = re.match(rf"^[Tt]he {re.escape(noun)}\b(['’]s)?", rest)
            if alias:
                rest = short_name + (alias.group(1) or "") + rest[alias.end():]
                break
    for noun in subject.nouns:
        rest = re.sub(rf"\bthe {re.escape(noun)}['’]s\b", f"{short_name}'s", rest)
    if intro and not intro.rstrip().endswith(",") and len(intro.split()) > 4:
        intro = intro.rstrip() + ", "
    return (intro + rest) if intro else rest[:1].upper() + rest[1:]


def _display_short(subject: Subject) -> str:
    """The subject's short name as written ("Ridgeline")."""
    for word in subject.name.split():
        if tx.clean(word) == subject.short:
            return word
    return subject.name


def _referent(previous: str, subject: Subject) -> str | None:
    """Return what ``previous`` was about when that was not the subject, else None.

    A sentence opening with the subject (or its noun) is about the subject; otherwise the
    first name it mentions ("The breakthrough came with Saltmarsh"), or the noun phrase it
    opens with ("A new model from X is on the way" -> "The new model").
    """
    if not previous:
        return None
    # what a sentence is about comes after its leading phrase ("Today the company runs")
    leading = _LEADING_PHRASE.match(previous)
    previous = previous[leading.end():] if leading else previous
    first, _, rest = previous.partition(" ")
    if first.lower() in lx.ADVERBS | lx.TIME_ADVERBS and rest:
        previous = rest.lstrip(", ")
    folded = tx.fold(previous)
    names = [subject.short] + [f"the {n}" for n in subject.nouns]
    if any(re.match(rf"^{re.escape(n)}\b", folded) for n in names if n):
        return None
    found = [s for s in sp.extract_spans(previous) if s.kind == sp.NAME
             and subject.short not in tx.words(s.text)]
    if found:
        return found[0].text
    opening = re.match(r"^(?:A|An|The)\s+((?:[\w'’-]+\s+){0,3}?[\w'’-]+)\s+"
                       r"(?:is|was|are|were|has|have|will|from|of|by|for|with)\b", previous)
    if opening and not any(w in lx.PREPOSITIONS for w in opening.group(1).lower().split()):
        return "The " + opening.group(1)
    # "The largest project in its history is a new central library on Flinders Street":
    # what the next "it" is, is the new central library
    complement = copula_complement(previous)
    return "The " + complement[1] if complement else None


_COMPLEMENT = re.compile(r"^(?:A|An|The)\s+[^,.;]*?\s(?:is|was)\s+(?:a|an|the)\s+"
                         r"((?:[a-z][\w'’-]*\s+){0,3}?[a-z][\w'’-]*)(?=\s+(?:on|in|at|for|"
                         r"of|which|that|who|with|near)\b|\s*[,.;]|$)")


def copula_complement(sentence: str) -> tuple[str, str] | None:
    """Return (what a "The X is a new Y" sentence is about, the thing it introduces).

    "The largest project in its history is a new central library on Flinders Street"
    -> ("The largest project in its history", "new central library"): it says what the
    new central library is and where. A participle ending the phrase is left out ("an
    orchestra based in Plymouth" introduces the orchestra). None for any other shape.
    """
    complement = _COMPLEMENT.match(sentence)
    if complement is None:
        return None
    words = complement.group(1).split()
    while len(words) > 1 and words[-1] in lx.LOCATING_PARTICIPLES:
        words.pop()
    if any(w in lx.PREPOSITIONS for w in words):
        return None
    opening = re.match(r"^(.*?)\s(?:is|was)\s", sentence)
    return (opening.group(1) if opening else "", " ".join(words))
