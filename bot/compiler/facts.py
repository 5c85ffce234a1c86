"""Turn a parsed document into entries: one per FAQ pair and one per key fact.

A Markdown section (``## Revenue``) is one fact; its sub-sections (``### A year earlier``)
are facts of the same topic. In a plain-text article every sentence that carries a
distinctive key phrase (a quoted term, a name, a figure, a rare noun) is a fact, and
sentences sharing a key phrase are merged.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from dataclasses import dataclass, replace

from bot.compiler import text as tx
from bot.compiler.document import Document, Section

logger = logging.getLogger(__name__)

FACT = "fact"
FAQ = "faq"
MAX_RELATED = 3
MIN_TOPIC_SIMILARITY = 0.08
_ROLE_PREFIX = re.compile(r"^(?:the\s+)?(?:(?:french|american|british|german|us|u\.s\.)\s+)",
                          re.IGNORECASE)
_PROPER_ADJECTIVE_ENDINGS = ("an", "ese", "ish", "ch", "ic")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_LEADING_REFERENCE = re.compile(r"^(?:This|It)\s+(?=[a-z])")


@dataclass(frozen=True)
class Entry:
    """One future intent with its answer, before examples are generated.

    Attributes:
        kind: ``fact`` or ``faq``.
        key: Intent key (``revenue`` gives ``fact_revenue``; ``funding`` gives
            ``faq/funding``).
        title: Short human title for buttons.
        answer: The reply text.
        cue: The heading or question the entry came from (main source of phrasings).
        context: The parent heading for a sub-section, else "".
        body: The source text of the entry (key phrases are taken from it).
        topic: Topic key shared by related entries.
        related: Intent names of related entries.
    """

    kind: str
    key: str
    title: str
    answer: str
    cue: str
    context: str = ""
    body: str = ""
    topic: str = ""
    related: tuple[str, ...] = ()

    @property
    def intent(self) -> str:
        """The intent name: ``faq/<key>`` or ``fact_<key>``."""
        return f"faq/{self.key}" if self.kind == FAQ else f"fact_{self.key}"

    @property
    def response(self) -> str:
        """The response answering the intent."""
        return f"utter_{self.intent}"


def document_subject(doc: Document) -> str:
    """Return what the document is about, e.g. ``Mistral AI``.

    The candidate is the capitalised phrase of the title (or of the text) that the body
    mentions most; ties go to the longer phrase.
    """
    body = " ".join(p for s in doc.sections for p in s.paragraphs)
    body += " " + " ".join(f"{q.question} {q.answer}" for q in doc.faq)
    candidates = tx.capitalised_phrases(doc.title) or tx.capitalised_phrases(body)
    first = next((p for s in doc.sections for p in s.paragraphs), "")
    for phrase in tx.capitalised_phrases(first)[:1]:
        phrase = _possessive(phrase)
        if first.startswith(phrase) and any(phrase in c for c in candidates):
            return phrase
    folded_body = tx.fold(body)
    best, best_score = "", 0.0
    for phrase in candidates:
        words = phrase.split()
        for size in range(len(words), 0, -1):
            for start in range(len(words) - size + 1):
                sub = " ".join(words[start:start + size])
                if sub.lower() in tx.STOPWORDS:
                    continue
                count = len(re.findall(rf"\b{re.escape(tx.fold(sub))}\b", folded_body))
                score = count + 0.1 * size
                if count and score > best_score:
                    best, best_score = sub, score
    return best.strip(" ,:;'\"")


def subject_aliases(doc: Document, subject: str) -> list[str]:
    """Return other names the document uses for its subject, e.g. ``telescope`` for Webb.

    These are the subject's full name (when people shorten it) and the title's nouns that
    the text also uses after "the" ("the telescope ..."), so a question about "the
    telescope" matches examples written about "webb".
    """
    short = (tx.words(subject) or [""])[0]
    if not short:
        return []
    aliases = []
    full = tx.clean(subject)
    if full != short:
        aliases.append(full)
    body = tx.fold(" ".join(p for s in doc.sections for p in s.paragraphs)
                   + " " + " ".join(f"{q.question} {q.answer}" for q in doc.faq))
    for phrase in tx.capitalised_phrases(doc.title):
        name = tx.clean(phrase)
        if short in name.split() and name not in (short, full) and name in body:
            aliases.append(name)
    for word in tx.content_words(doc.title):
        if word != short and word not in tx.words(subject) and len(word) > 3 and (
                re.search(rf"\bthe {re.escape(word)}\b", body)):
            aliases.append(word)
    return list(dict.fromkeys(aliases))


def extract_entries(doc: Document) -> list[Entry]:
    """Return the fact and FAQ entries of ``doc``, with topics and related intents.

    Args:
        doc: A parsed document.

    Returns:
        Entries in document order (facts first, then FAQ pairs); keys are unique.
    """
    subject = document_subject(doc)
    entries = _headed_facts(doc) + _sentence_facts(doc, subject)
    for pair in doc.faq:
        key = pair.key or tx.slug(_drop_subject(pair.question, subject))
        entries.append(Entry(FAQ, key, _faq_title(pair.question, subject), pair.answer,
                             pair.question, body=pair.answer))
    entries = _unique_keys(entries)
    return _relate(entries, subject)


def _headed_facts(doc: Document) -> list[Entry]:
    entries: list[Entry] = []
    for section in doc.sections:
        if not section.heading or not section.paragraphs or section.run_in:
            continue
        parent = doc.sections[section.parent] if section.parent is not None else None
        top = _top(doc, section)
        key = section.key or tx.slug(section.heading)
        topic = top.key or tx.slug(top.heading)
        title = section.heading.replace('"', "").strip()
        if parent is not None:
            title = f"{_short_heading(parent.heading)}: {title[0].lower()}{title[1:]}"
        entries.append(Entry(
            FACT, key, title, " ".join(section.paragraphs), section.heading,
            context=parent.heading if parent else "", body=" ".join(section.paragraphs),
            topic=topic,
        ))
    return entries


def _top(doc: Document, section: Section) -> Section:
    while section.parent is not None:
        section = doc.sections[section.parent]
    return section


def _short_heading(heading: str) -> str:
    return re.split(r"\s*[:—–]\s*|\s+-\s+", heading.replace('"', ""), maxsplit=1)[0].strip()


def _faq_title(question: str, subject: str, limit: int = 48) -> str:
    first = re.split(r",\s*and\s+|\?\s*", question, maxsplit=1)[0].strip()
    first = re.sub(r"\s+", " ", first).rstrip(" ,?")
    if len(first) <= limit:
        return first + "?"
    cut = first[:limit].rsplit(" ", 1)[0].rstrip(" ,")
    return cut + "\u2026"


def _possessive(phrase: str) -> str:
    return re.sub(r"['\u2019]s$", "", phrase.strip())


def _drop_subject(text: str, subject: str) -> str:
    if not subject:
        return text
    return re.sub(rf"\b{re.escape(subject)}\b", " ", text, flags=re.IGNORECASE)


# -- plain text: sentence facts ----------------------------------------------------------
def _sentence_facts(doc: Document, subject: str) -> list[Entry]:
    untitled = [s for s in doc.sections if not s.heading or s.run_in]
    if not untitled:
        return []
    paragraphs = [(s.heading, p) for s in untitled for p in s.paragraphs]
    all_sentences = [sent for _, p in paragraphs for sent in tx.sentences(p)]
    idf = _idf(all_sentences)
    subject_words = set(tx.words(subject))
    by_key: dict[str, Entry] = {}
    order: list[str] = []
    for heading, paragraph in paragraphs:
        topic = ""
        for index, sentence in enumerate(tx.sentences(paragraph)):
            if heading and index == 0:  # a run-in heading names its first sentence
                phrase = _LEADING_THE.sub("", heading)
                sentence = _name_the_referent(sentence, heading)
            else:
                phrase = _key_phrase(sentence, subject, subject_words, idf)
            if not phrase:
                continue
            key = tx.slug(phrase, max_words=3)
            topic = topic or key
            if key in by_key:
                old = by_key[key]
                by_key[key] = replace(old, answer=f"{old.answer} {sentence}",
                                      body=f"{old.body} {sentence}")
                continue
            title = phrase[0].upper() + phrase[1:]
            by_key[key] = Entry(FACT, key, title, sentence, phrase, body=sentence, topic=topic)
            order.append(key)
    return [by_key[k] for k in order]


def _name_the_referent(sentence: str, heading: str) -> str:
    """Replace a leading "This"/"It" that stands for a run-in heading with the heading.

    ``This involves deploying...`` under ``The Palantir Playbook`` reads, on its own,
    ``The Palantir Playbook involves deploying...``.
    """
    match = _LEADING_REFERENCE.match(sentence)
    if match is None:
        return sentence
    return f"{heading} {sentence[match.end():]}"


def _idf(sentences: list[str]) -> dict[str, float]:
    counts: Counter[str] = Counter()
    for sentence in sentences:
        counts.update(set(tx.content_words(sentence)))
    total = max(len(sentences), 1)
    return {w: math.log((1 + total) / (1 + c)) + 1.0 for w, c in counts.items()}


def _key_phrase(sentence: str, subject: str, subject_words: set[str],
                idf: dict[str, float]) -> str | None:
    """Return the phrase a sentence is about, or None when it has nothing distinctive."""
    folded = tx.fold(sentence)
    if subject and re.match(rf"^{re.escape(tx.fold(subject))}\s+(is|was|are)\s+(a|an|the)\b",
                            folded):
        return f"about {subject}"
    for quoted in tx.quoted_phrases(sentence):
        quoted = quoted.strip(" ,.;:!?")
        if set(tx.words(quoted)) - subject_words - tx.STOPWORDS:
            return quoted
    money = tx.money_phrases(sentence)
    if money:
        before = folded[: folded.find(tx.fold(money[0]))]
        run: list[str] = []
        for word in reversed(tx.words(before)):
            if word in {"from", "of", "to", "at", "by", "about", "over", "around"} and not run:
                continue
            if word in tx.STOPWORDS or word in subject_words or word.startswith("$"):
                break
            run.insert(0, word)
            if len(run) == 3:
                break
        if run:
            return " ".join(run)
    for name in tx.capitalised_phrases(sentence):
        name = _ROLE_PREFIX.sub("", _possessive(name)).strip()
        kept = name.split()
        while kept and kept[-1].lower() in tx.STOPWORDS:
            kept.pop()
        name = " ".join(kept)
        name_words = set(tx.words(name))
        distinctive = name_words and not name_words <= subject_words | tx.STOPWORDS
        if len(kept) == 1 and tx.fold(name).endswith(_PROPER_ADJECTIVE_ENDINGS):
            continue  # "French", "European": a nationality is no topic on its own
        if distinctive and (len(kept) >= 2 or (name.isupper() and len(name) >= 2)
                            or len(name) > 3):
            return name
    candidates = [w for w in tx.content_words(sentence)
                  if w not in subject_words and len(w) > 3 and not w[0].isdigit()]
    if len(candidates) < 4:
        return None
    # The rarest noun-like word: a verb or an adjective makes no topic to ask about.
    scored = [(idf.get(w, 0.0) + 0.5 * tx.noun_score(w), w) for w in candidates
              if tx.noun_score(w) >= 0 and not _written_capitalised(w, sentence)
              and not re.search(rf"\bto {re.escape(w)}\b", folded)]  # "to ensure": a verb
    if not scored:
        return None
    best = sorted(scored, key=lambda item: (-item[0], item[1]))
    return best[0][1]


def _written_capitalised(word: str, sentence: str) -> bool:
    """True when ``word`` is written capitalised after the start of ``sentence``."""
    capitalised = word[:1].upper() + word[1:]
    return re.search(rf"\b{re.escape(capitalised)}\b", sentence[1:]) is not None


# -- keys, topics, related ----------------------------------------------------------------
def _unique_keys(entries: list[Entry]) -> list[Entry]:
    seen: Counter[str] = Counter()
    result = []
    for entry in entries:
        name = entry.intent
        seen[name] += 1
        if seen[name] > 1:
            entry = replace(entry, key=f"{entry.key}_{seen[name]}")
            logger.info("duplicate key %s renamed %s", name, entry.intent)
        result.append(entry)
    return result


def _bag(entry: Entry, subject_words: set[str]) -> set[str]:
    return {w for w in tx.content_words(f"{entry.cue} {entry.body}") if w not in subject_words}


def similarity(a: set[str], b: set[str]) -> float:
    """Jaccard similarity of two word sets."""
    return len(a & b) / len(a | b) if a and b else 0.0


def _relate(entries: list[Entry], subject: str) -> list[Entry]:
    subject_words = set(tx.words(subject))
    bags = [_bag(e, subject_words) for e in entries]
    topics = [e.topic for e in entries]
    for i, entry in enumerate(entries):
        if entry.kind == FAQ:
            scores = [(similarity(bags[i], bags[j]), j) for j, other in enumerate(entries)
                      if other.kind == FACT]
            best = max(scores, default=(0.0, -1), key=lambda item: (item[0], -item[1]))
            topics[i] = topics[best[1]] if best[0] >= MIN_TOPIC_SIMILARITY else entry.key
    result = []
    for i, entry in enumerate(entries):
        same = [j for j in range(len(entries)) if j != i and topics[j] == topics[i]]
        others = sorted(
            ((similarity(bags[i], bags[j]), j) for j in range(len(entries))
             if j != i and j not in same),
            key=lambda item: (-item[0], item[1]),
        )
        chosen = same + [j for score, j in others if score > 0.05]
        related = tuple(entries[j].intent for j in chosen[:MAX_RELATED])
        result.append(replace(entry, topic=topics[i], related=related))
    return result
