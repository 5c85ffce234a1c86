"""Turn a document's facts and FAQ pairs into entries: future intents with names and answers.

An entry's name explains itself and is stable across recompiles of the same text: the
topic its fact is about (``fact_founding``, ``fact_headcount``, a role such as
``fact_ceo``), else the nouns its clause is about (``fact_board``), or the section's
explicit key (``## Revenue {#revenue}`` gives ``fact_revenue``). FAQ pairs give
``faq/<key>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.compiler import lexicon as lx
from bot.compiler import questions as qs
from bot.compiler import spans as sp
from bot.compiler import text as tx
from bot.compiler.clause import Clause, lemmas, read_clause
from bot.compiler.document import Document
from bot.compiler.segment import Fact, Subject, segment
from bot.compiler.topics import topic_questions

FACT = "fact"
FAQ = "faq"
MAX_EXAMPLES = 50


@dataclass
class Entry:
    """One intent to generate.

    Attributes:
        kind: ``fact`` or ``faq``.
        key: The name without its prefix (``founding``, ``funding``).
        title: A short human title ("Founding").
        answer: The reply text.
        examples: Generated questions, best first.
        details: The names and figures of the answer that a question should reach.
        primary: Examples that are the entry's own wording (an FAQ question and its
            variants): an example several entries generate stays with the one whose own
            wording it is.
        generic: Examples asked of the entry's topic rather than of its text ("how much
            does x earn"): curated phrasings of the intent replace them.
        defining: Questions asking what a name is that the entry's text defines ("what
            is corran bank" of "Corran Bank, an offshore wind farm"): of the entries
            generating such a question, it stays with the one defining the name.
    """

    kind: str
    key: str
    title: str
    answer: str
    examples: list[str] = field(default_factory=list)
    details: tuple[str, ...] = ()
    primary: frozenset[str] = frozenset()
    generic: frozenset[str] = frozenset()
    defining: frozenset[str] = frozenset()

    @property
    def intent(self) -> str:
        """The intent name: ``faq/<key>`` or ``fact_<key>``."""
        return f"faq/{self.key}" if self.kind == FAQ else f"fact_{self.key}"

    @property
    def response(self) -> str:
        """The response answering the intent."""
        return f"utter_{self.intent}"


def build_entries(doc: Document, subject: Subject) -> list[Entry]:
    """Return the document's entries: its facts (grouped by keyed section), then its FAQ.

    Args:
        doc: A parsed document.
        subject: Its subject.
    """
    facts = segment(doc, subject)
    sentences = [s for f in facts for s in tx.sentences(f.text)]
    people = sp.surnames(sentences)
    lowercase = frozenset(w for s in sentences for w in re.findall(r"\b[a-z][\w\-]+", s))
    roles = _roles(sentences, people, lowercase)
    entries: list[Entry] = []
    groups: dict[int, Entry] = {}
    previous = ""
    for fact in facts:
        entry = _fact_entry(fact, subject, people, lowercase, previous, roles)
        previous = fact.text
        if fact.group is None:
            entries.append(entry)
            continue
        if fact.group in groups:
            group = groups[fact.group]
            group.answer = f"{group.answer} {fact.text}"
            group.examples += entry.examples
            group.details += entry.details
            group.defining |= entry.defining
            continue
        key = fact.key or (tx.slug(fact.heading) if fact.heading else entry.key)
        heading = _heading_questions(fact.heading, subject, _person(entries), fact.text)
        entry = Entry(FACT, key, _heading_title(fact.heading) or entry.title, fact.text,
                      heading + entry.examples, entry.details,
                      frozenset(qs.clean_examples(heading, qs.MAX_FAQ_WORDS)),
                      defining=entry.defining)
        groups[fact.group] = entry
        entries.append(entry)
    for pair in doc.faq:
        key = pair.key or tx.slug(_drop_subject(pair.question, subject))
        answer = _fact_entry(Fact(pair.answer), subject, people, lowercase, "", roles)
        own = qs.faq_questions(pair.question, subject)
        entries.append(Entry(FAQ, key, pair.question, pair.answer, own + answer.examples,
                             answer.details, frozenset(own), defining=answer.defining))
    for entry in entries:
        entry.examples = qs.clean_examples(entry.examples + _noun_variants(entry, subject),
                                           qs.MAX_FAQ_WORDS if entry.kind == FAQ else
                                           qs.MAX_WORDS)
    identity = _identity_entry(entries, subject)
    if identity is not None:  # its own questions first, then what it says
        noun = subject.nouns[0] if subject.nouns else "organisation"
        identity.examples = qs.clean_examples([q.format(s=subject.short, n=noun) for q in (
            lx.IDENTITY_QUESTIONS)] + identity.examples, qs.MAX_FAQ_WORDS)
    for entry in entries:
        entry.examples = entry.examples[:MAX_EXAMPLES]
    for index, questions in topic_questions(entries, subject.short, subject.nouns).items():
        entry = entries[index]  # besides what it says: what readers ask of its topic
        topic = qs.clean_examples(questions, qs.MAX_FAQ_WORDS)
        entry.generic = frozenset(q for q in topic if q not in entry.examples)
        entry.examples = qs.clean_examples(entry.examples + topic, qs.MAX_FAQ_WORDS)
    return _unique_keys(entries)


def _identity_entry(entries: list[Entry], subject: Subject) -> Entry | None:
    """The entry that says what the subject is: it answers "what is ridgeline".

    That is the first one whose answer opens "Ridgeline ... is a ...".
    """
    if not subject.short:
        return None
    names = [re.escape(n) for n in (subject.name, qs_display(subject)) if n]
    opening = re.compile(rf"^(?:{'|'.join(names)})\s+(?:is|are)\s+(?:a|an|the)\b",
                         re.IGNORECASE)
    found = [e for e in entries if opening.match(e.answer)]
    return found[0] if found else None


def qs_display(subject: Subject) -> str:
    """The subject's short name as written in the text ("Ridgeline")."""
    for word in subject.name.split():
        if tx.clean(word) == subject.short:
            return word
    return ""


def _person(entries: list[Entry]) -> str:
    """The person the last entry is about (for a following "His vision" heading)."""
    if not entries:
        return ""
    people = [s.text for s in sp.extract_spans(f"{entries[-1].title}. {entries[-1].answer}")
              if s.kind == sp.PERSON]
    return people[0] if people else ""


def _noun_variants(entry: Entry, subject: Subject, limit: int = 4) -> list[str]:
    """Return the first few questions naming the subject, asked as people also ask them.

    That is with "they", or with the nouns the article uses for it ("the studio").
    """
    if not subject.short:
        return []
    words = tx.words(subject.name)
    rest = words[words.index(subject.short) + 1:] if subject.short in words else []
    tail = rf"(?!\s+{re.escape(rest[0])}\b)" if rest else ""  # "mistral ai": not "the company ai"
    pattern = re.compile(
        rf"(?<!\ba )(?<!\ban )(?<!\bthe )\b{re.escape(subject.short)}\b(?!'){tail}")
    named = [e for e in entry.examples if pattern.search(e) and len(e.split()) > 2
             and not e.startswith(subject.short)]
    subject_position = re.compile(
        rf"\b(?:does|did|is|was|has|will|can|are|were) {re.escape(subject.short)}\b(?!')")
    out = []
    for example in named[:limit]:
        out += [pattern.sub(f"the {noun}", example) for noun in subject.nouns[:3]]
        if subject_position.search(example):
            out.append(pattern.sub("they", example))
    return out


def _roles(sentences: list[str], people: frozenset[str],
           lowercase: frozenset[str]) -> dict[str, str]:
    """The role of each person the article gives one ("arthur mensch" and "mensch": "ceo")."""
    roles: dict[str, str] = {}
    for sentence in sentences:
        for span in sp.extract_spans(sentence, people, lowercase):
            if span.kind == sp.PERSON and span.noun:
                role = span.role_short or tx.clean(span.noun)
                name = tx.clean(span.text)
                roles.setdefault(name, role)
                roles.setdefault(name.split()[-1], role)
    return roles


def _fact_entry(fact: Fact, subject: Subject, people: frozenset[str],
                lowercase: frozenset[str], previous: str,
                roles: dict[str, str] | None = None) -> Entry:
    """One entry for a fact: each of its sentences asked about with its own clause."""
    examples: list[str] = []
    named: tuple[int, str, str] | None = None
    details: list[str] = []
    defining: list[str] = []
    speaker = ""
    for sentence in tx.sentences(fact.text):
        spans = sp.extract_spans(sentence, people, lowercase)
        protected = [(s.start, s.end) for s in spans if s.kind != sp.ROLE]
        clause = read_clause(sentence, protected)
        quoted = qs.quote_speaker(sentence, speaker)
        speaker = quoted[0] if quoted else ""
        if quoted:
            # what the speaker said, not the clause inside the quotation ("is an island an
            # island")
            examples += qs.quote_questions(*quoted, roles or {})
            clause = Clause(speaker, "say")
        defining += [q for name, be in qs.defined_names(sentence, spans, subject)
                     for q in qs.definition_forms(name, be)]
        examples += qs.fact_questions(sentence, spans, clause, subject,
                                      _context_name(previous, subject, people, lowercase))
        examples += qs.opinion_questions(clause, roles or {}, subject)
        previous = sentence
        details += _details(spans)
        weight = len([s for s in spans if s.kind != sp.NAME])
        if named is None or weight > named[0]:
            named = (weight, *_name(sentence, spans, clause, subject))
    assert named is not None
    return Entry(FACT, named[1], named[2], fact.text, defining + examples, tuple(details),
                 defining=frozenset(qs.clean_examples(defining)))


def _context_name(previous: str, subject: Subject, people: frozenset[str] = frozenset(),
                  lowercase: frozenset[str] = frozenset()) -> str:
    """The one name (not the subject, no person or place) the previous sentence introduced.

    The article's people (``people``: surnames it names people by) are persons, never a
    name "the project" stands for.
    """
    if not previous:
        return ""
    names = [s.text for s in sp.extract_spans(previous, people, lowercase)
             if s.kind in (sp.NAME, sp.ORG) and subject.short not in tx.words(s.text)]
    return names[0] if len(names) == 1 else ""


def _details(spans: list[sp.Span]) -> tuple[str, ...]:
    return tuple(s.text for s in spans if s.kind not in (sp.ROLE,))


def _name(text: str, spans: list[sp.Span], clause, subject: Subject) -> tuple[str, str]:
    """Return (key, title) for a fact."""
    if clause.verb in ("found", "establish", "co-found") or re.search(
            r"\b(?:co-)?founded\b", text, re.IGNORECASE):
        return "founding", "Founding"
    roles = [s for s in spans if s.kind == sp.PERSON and s.noun]
    if roles:
        keys = [r.role_short or tx.slug(r.noun, 3) for r in roles[:2]]
        titles = [r.noun for r in roles[:2]]
        return "_".join(dict.fromkeys(keys)), " and ".join(dict.fromkeys(titles)).capitalize()
    for span in spans:
        if span.kind == sp.COUNT and tx.clean(span.noun).split()[-1] in lx.PEOPLE_NOUNS and (
                qs._about_subject(clause.subject, subject)):
            return "headcount", "Headcount"
    words = tx.words(text)
    for word in words:
        if word in lx.TOPIC_WORDS and (lx.TOPIC_WORDS[word] != "location" or len(words) < 25):
            topic = lx.TOPIC_WORDS[word]
            return topic, topic.capitalize()
    for np in (clause.subject, clause.obj):  # a name the clause introduces: "Quiet Hour"
        named = [s.text for s in spans if s.kind in (sp.NAME, sp.ORG) and tx.clean(s.text)
                 in np and tx.clean(s.text) != tx.clean(np)
                 and subject.short not in tx.words(s.text)] if np else []
        if named:
            return tx.slug(named[0], 3), named[0]
    parts = []
    if not qs._about_subject(clause.subject, subject):
        parts += tx.content_words(qs._simple_np(clause.subject))[-1:]
    if clause.obj:
        parts += tx.content_words(qs._simple_np(clause.obj))[-1:]
    if not parts and clause.verb and clause.verb not in ("be", "have"):
        parts += _first_rare_noun(text, spans) or [clause.verb]  # "roasted in a warehouse"
    elif len(parts) == 1 and clause.passive and clause.verb not in ("be", "have"):
        parts.append(clause.form("VBN"))  # "the roastery was paid for": roastery_paid
    if not parts:
        names = [s.text for s in spans if s.kind in (sp.NAME, sp.ORG, sp.PLACE)]
        parts = tx.content_words(names[0])[:2] if names else tx.content_words(text)[:2]
    parts = [p for p in parts if p not in tx.words(subject.name)] or parts
    key = tx.slug(" ".join(dict.fromkeys(parts)), 2)
    return key, key.replace("_", " ").capitalize()


def _first_rare_noun(text: str, spans: list[sp.Span]) -> list[str]:
    """The first noun of the sentence rare enough to name it ("warehouse"; not "edge")."""
    taken = [(s.start, s.end) for s in spans]
    for match in re.finditer(r"(?<![\w-])[A-Za-z][a-z]+(?![\w-])", text):
        word = match.group(0)
        if word[:1].isupper() or any(a <= match.start() < b for a, b in taken):
            continue
        found = qs.lemmas(word)
        noun = not found or "NOUN" in found and not word.endswith(("ed", "ing"))
        if noun and not sp.common_word(word, 3000):
            return [word]
    return []


def _heading_title(heading: str) -> str:
    return heading.strip()


def _heading_questions(heading: str, subject: Subject, person: str = "",
                       text: str = "") -> list[str]:
    """Questions on a section heading ("Strategy: the Palantir playbook").

    A heading written as a question ("Is it Europe's OpenAI?") is asked as an FAQ
    question is, one opening with "why" or "how" ("Why it matters") as the question it
    answers; a part that is a name ("Arthur Mensch", or "Forge" when the section opens
    "Forge is ...") is asked "who is" / "what is" / "tell me about", a part with a
    possessive ("his vision") only as written.
    """
    short = subject.short
    if heading.strip().endswith("?"):
        return qs.faq_questions(heading, subject)
    asked = re.match(r"^(why|how)\s+(it|they|this|.+?)\s+([a-z]+?)s$", tx.clean(heading))
    if asked and "VERB" in lemmas(asked.group(3) + "s"):  # "why it matters"
        wh, who, verb = asked.groups()
        verb = lemmas(verb + "s")["VERB"][0]
        out = [f"{wh} does {w} {verb}" for w in dict.fromkeys(
            (who if who != "this" else "it", short)) if w]
        return out + ([f"{wh} is {short} important"] if verb == "matter" and short else [])
    named = re.match(rf"^\s*(?:the\s+)?{re.escape(heading.strip())}\s+(?:is|are)\s+(?:a|an|the)\b",
                     text, re.IGNORECASE)
    if named and " " not in heading.strip() and heading.strip()[:1].isupper():
        part = tx.clean(heading)  # a name the section defines: "Forge is a platform ..."
        return [part, f"what is {part}", f"tell me about {part}", f"what is {part} for",
                f"what is {part} used for"]
    out: list[str] = []
    for part in re.split(r"\s*[:(),]\s*|\s+and\s+", heading):
        written = re.sub(r"^(?:the|a|an)\s+", "", part.strip(), flags=re.IGNORECASE)
        part = tx.clean(written)
        if not part or part == short:
            continue
        words = part.split()
        if words[0] in tx.PRONOUNS:  # "his vision", and whose it is: "mensch's vision"
            out += [part, f"what is {part}"]
            if person and words[0] in ("his", "her", "their"):
                rest = " ".join(words[1:])
                for name in dict.fromkeys((tx.clean(person), tx.clean(person).split()[-1])):
                    out += [f"{name}'s {rest}", f"what is {name}'s {rest}"]
        elif all(w[:1].isupper() for w in written.split()) and len(words) > 1:
            kind = sp.extract_spans(written)
            who = "who is" if any(s.kind == sp.PERSON for s in kind) else "what is"
            out += [part, f"{who} {part}", f"tell me about {part}"]
        else:
            out += [part, f"{short} {part}", f"what is {short}'s {part}",
                    f"tell me about {part}", f"what is the {part}"]
    return out


def _drop_subject(text: str, subject: Subject) -> str:
    out = re.sub(re.escape(subject.name), " ", text, flags=re.IGNORECASE) if subject.name else text
    return re.sub(rf"\b{re.escape(subject.short)}\b", " ", out, flags=re.IGNORECASE)


def _unique_keys(entries: list[Entry]) -> list[Entry]:
    seen: dict[str, int] = {}
    for entry in entries:
        name = entry.intent
        if name in seen:
            seen[name] += 1
            entry.key = f"{entry.key}_{seen[name]}"
        else:
            seen[name] = 1
    return entries
