"""Follow-ups: read short, elliptical messages against the last answer.

The mechanism is general; it knows no intent of any particular knowledge base:

1. :func:`read_message` classifies a message from English function words alone: a
   request for more ("tell me more"), an elliptical message (a pronoun such as *it*,
   *his*, *they*; a leading *and* / *what about*; or no content word at all), or a plain
   question.
2. :class:`ContextIndex` holds what a knowledge base says about how intents hang
   together: each intent's ``related`` list and ``topic`` (intent metadata), and the
   vocabulary of its examples. A follow-up that brings a word the knowledge base has
   never seen ("what about OpenAI?") is not resolved from context: it changes subject.
3. :func:`contextual_ranking` re-ranks a follow-up that is not confidently answered on
   its own: intents related to the last answer get a small
   boost; if that is not enough to decide, the message is read together with the
   previous one, and neighbours of the last answer that the follow-up made *more*
   likely than the previous message alone are promoted. Deciding stays with
   :func:`bot.dialog.decision.decide`, with the usual thresholds, so context only
   commits when it yields a confident answer.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.config import DialogConfig, NluConfig
from bot.dialog.decision import ANSWER, FALLBACK, decide
from bot.dialog.lexicon import (
    ANAPHORS,
    CONNECTORS,
    FRAGMENT_ASKERS,
    FRAGMENT_MAX_TOKENS,
    FRAGMENT_PREPOSITIONS,
    FUNCTION_WORDS,
    MORE_FILLER,
    MORE_PHRASES,
    MORE_TRIGGERS,
    OPENERS,
    PARTITIVES,
    QUESTION_WORDS,
    TOPIC_CHANGES,
    question_kinds,
)
from bot.dialog.replies import title
from bot.kb.model import Example, KnowledgeBase
from bot.nlu.english import rarity
from bot.nlu.matcher import answer_texts
from bot.nlu.normalize import normalize, stem
from bot.nlu.parse import Entity, IntentScore

logger = logging.getLogger(__name__)

_PLACEHOLDER = re.compile(r"\{(\w+)\}")

PLAIN = "plain"
MORE = "more"
ELLIPTICAL = "elliptical"

CONTEXT_MAX_CHARS = 300
MIN_KIND_SHARE = 0.25
_FUZZY_KNOWN = 85.0


@dataclass(frozen=True)
class Reading:
    """How a message relates to the conversation so far.

    Attributes:
        kind: ``more`` (asks for more on the last subject), ``elliptical`` (leans on the
            last answer: pronouns, a leading connector, no content word), or ``plain``.
        content: The message's content words (normalised, function words removed).
        question: The message without the openings that carry no subject ("ok", "quick
            question", "back to ..."), normalised; None when it has none. This is the
            text to rank.
    """

    kind: str
    content: tuple[str, ...]
    question: str | None = None


def _starts_with(tokens: list[str], phrases: Iterable[tuple[str, ...]]) -> bool:
    return any(tuple(tokens[: len(p)]) == p for p in phrases)


def _has_phrase(tokens: list[str], phrases: Iterable[tuple[str, ...]]) -> bool:
    return any(
        tuple(tokens[i : i + len(p)]) == p for p in phrases for i in range(len(tokens))
    )


_OPENINGS = sorted(((p, p in TOPIC_CHANGES) for p in (*OPENERS, *TOPIC_CHANGES)),
                   key=lambda item: -len(item[0]))


def without_openers(tokens: list[str]) -> tuple[list[str], bool]:
    """Return ``tokens`` without their leading openers, and whether one changes the topic.

    "quick q, mistral, what are they" asks "mistral what are they"; "ok back to mistral,
    how much did they raise" asks "mistral how much did they raise", about the subject
    named after "back to" rather than the last answer. An opener that is the whole message
    ("ok") stays: it is the message.
    """
    changed = False
    found = True
    while found:
        found = False
        for phrase, changes in _OPENINGS:
            if len(tokens) > len(phrase) and tuple(tokens[: len(phrase)]) == phrase:
                tokens, changed, found = tokens[len(phrase):], changed or changes, True
                break
    return tokens, changed


def read_message(text: str | Sequence[str], max_words: int = 4) -> Reading:
    """Classify a message as a request for more, an elliptical follow-up, or plain.

    Openers that carry no subject ("ok", "quick question") are read past; a message
    turning back to a named subject ("back to the funding, ...") is a new question.

    Args:
        text: The message (raw or normalised), or its words as already read (the
            :class:`bot.nlu.parse.Utterance`'s spelling-corrected ``words``).
        max_words: A message with more content words than this is always ``plain``.

    Returns:
        The reading, with the message's content words.
    """
    typed = normalize(text).split() if isinstance(text, str) else list(text)
    tokens, new_topic = without_openers(typed)
    question = " ".join(tokens) if len(tokens) < len(typed) else None
    content = tuple(t for t in tokens if t not in FUNCTION_WORDS and not t.isdigit())
    if not tokens or len(content) > max_words or new_topic:
        return Reading(PLAIN, content, question)
    wants_more = any(t in MORE_TRIGGERS for t in tokens) or _has_phrase(tokens, MORE_PHRASES)
    if wants_more and all(
        t in MORE_FILLER or t in MORE_TRIGGERS or t in FUNCTION_WORDS for t in tokens
    ):
        return Reading(MORE, (), question)
    if (not content or any(_references(tokens)) or _starts_with(tokens, CONNECTORS)
            or _is_fragment(tokens)):
        return Reading(ELLIPTICAL, content, question)
    return Reading(PLAIN, content, question)


def _is_fragment(tokens: list[str]) -> bool:
    """True for a short question opening with a preposition ("since what year")."""
    return (len(tokens) <= FRAGMENT_MAX_TOKENS and len(tokens) > 1
            and tokens[0] in FRAGMENT_PREPOSITIONS and tokens[1] in FRAGMENT_ASKERS)


def _references(tokens: list[str]) -> list[bool]:
    """Flag the tokens that point back to the conversation ("it", "his", "that one").

    "one" before "of" is a part of what follows ("one of the investors"), not a reference.
    """
    return [t in ANAPHORS and not (t in PARTITIVES and tokens[i + 1 : i + 2] == ["of"])
            for i, t in enumerate(tokens)]


def strip_references(text: str | Sequence[str]) -> str:
    """Return ``text`` without the words that point back to the conversation.

    A leading connector ("and", "what about") and pronouns ("it", "its", "his") refer to
    what was said before; without them, "what about its models?" is asked as "models".

    Args:
        text: The message, or its words as already read (see :func:`read_message`).

    Returns:
        The normalised message without those words (possibly empty).
    """
    tokens = normalize(text).split() if isinstance(text, str) else list(text)
    for connector in sorted(CONNECTORS, key=len, reverse=True):
        if tuple(tokens[: len(connector)]) == connector:
            tokens = tokens[len(connector) :]
            break
    return " ".join(t for t, ref in zip(tokens, _references(tokens), strict=True) if not ref)


NAMED_EXTRACTOR = "context"
MAX_NAME_WORDS = 3
MIN_NAME_RARITY = 0.45
CLEAR_NAME_RARITY = 0.7  # "google", "tesla": no everyday word at all


def named_follow_up(
    message: str, last_intent: str, index: ContextIndex, entities: Iterable[Entity],
    rank: Callable[[str], list[IntentScore]], nlu: NluConfig,
) -> tuple[Entity, ...] | None:
    """Return the entity an elliptical follow-up gives the last intent, if it only names one.

    After an answer whose intent takes one entity (``did cisco invest?`` reads
    ``investor``, see :meth:`ContextIndex.needs`), a follow-up that names something and
    asks nothing else ("and apple?", "what about google") asks the same question about
    the new name, as Rasa's ``what about [cisco](investor)`` examples teach. The name is
    the entity found in the message, or else the words left once the connector and
    pronouns are removed, provided they are one to three words, none a function word,
    and do not on their own point to another intent of the knowledge base ("and the
    valuation?" is a new question, not a name).

    Args:
        message: The follow-up (already read as elliptical).
        last_intent: The intent answered last.
        index: The knowledge base's context index.
        entities: Entities found in the message.
        rank: Ranks a text with the matcher.
        nlu: Thresholds, to tell a topic word from a name.

    Returns:
        The entity to answer ``last_intent`` with, or None.
    """
    needs = index.needs(last_intent)
    if len(needs) != 1:
        return None
    (need,) = needs
    reduced = strip_references(message)
    words = reduced.split()
    if not 1 <= len(words) <= MAX_NAME_WORDS or any(w in FUNCTION_WORDS for w in words):
        return None
    if not any(c.isalpha() for w in words for c in w):
        return None  # "2024" after an investor answer names no company
    given = tuple(e for e in entities if e.entity == need)
    if given:
        return given
    ranking = rank(reduced)
    if ranking and ranking[0].name != last_intent and decide(ranking, nlu).kind != FALLBACK:
        return None
    found = entity_as_typed(message, words, need)
    return (found,) if found is not None else None


def residue_entity(message: str, intent: str, index: ContextIndex) -> tuple[Entity, ...]:
    """Return the name a question gives an intent that reads one, when no extractor found it.

    "is tencent one of the investors" is answered by an intent whose examples ask "is
    [cisco](investor) one of mistral's investors": the words its examples never use, here
    "tencent", are the name asked about. Only a single run of one to three such words
    counts, none of them a function word or an everyday English word (below
    ``MIN_NAME_RARITY``, :func:`bot.nlu.english.rarity`), unless the knowledge base
    annotates that word as a value of the entity somewhere (``did [apple](investor)
    invest``): then it is a name, however everyday.

    Args:
        message: The question.
        intent: The intent answering it.
        index: The knowledge base's context index.

    Returns:
        One entity of the kind ``intent`` reads, or nothing.
    """
    needs = index.needs(intent)
    if len(needs) != 1:
        return ()
    (need,) = needs
    tokens = normalize(message).split()
    flags = _leftover_flags(tokens, intent, index)
    names = index.annotated(need)
    # an everyday word is no name ("pretty sure google is in the cap table, right?": the
    # name is "google"); "quick q, mistral, what are they" has none
    flags = [f and (t in names or (len(t) >= 2 and rarity(t, 3.0) >= MIN_NAME_RARITY))
             for t, f in zip(tokens, flags, strict=True)]
    runs = _runs(flags)
    if len(runs) > 1:  # of "google" and "cap" (of "cap table"), the name is the clear one
        runs = [(a, b) for a, b in runs
                if any(rarity(t, 3.0) >= CLEAR_NAME_RARITY or t in names for t in tokens[a:b])]
    if len(runs) != 1 or not 1 <= runs[0][1] - runs[0][0] <= MAX_NAME_WORDS:
        return ()
    words = tokens[runs[0][0]:runs[0][1]]
    found = entity_as_typed(message, words, need)
    return (found,) if found is not None else ()


def _runs(flags: list[bool]) -> list[tuple[int, int]]:
    """Return the (start, end) of each run of set flags."""
    runs, start = [], None
    for at, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = at
        elif not flag and start is not None:
            runs.append((start, at))
            start = None
    return runs


def _leftover_flags(tokens: list[str], intent: str, index: ContextIndex) -> list[bool]:
    """Flag the tokens that are neither function words nor words of ``intent``'s examples."""
    known = {stem(w) for w in index._intent_words(intent)}
    return [t not in FUNCTION_WORDS and t not in QUESTION_WORDS and stem(t) not in known
            for t in tokens]


def asks_in_its_words(message: str, intent: str, index: ContextIndex) -> bool:
    """Return whether every content word of ``message`` is one of ``intent``'s examples.

    "did anyone invest" asks what ``did [cisco](investor) invest`` asks, about no name in
    particular; "quick q, mistral, what are they" has words that intent never uses.
    """
    return not any(_leftover_flags(normalize(message).split(), intent, index))


def entity_as_typed(message: str, words: list[str], entity: str) -> Entity | None:
    """Return ``words`` (normalised) as the ``entity`` they are in ``message``, as typed.

    The value keeps the user's spelling, capitalised when typed all in lower case
    ("apple" -> "Apple"); None when normalisation changed the words (accents,
    contractions) so that they cannot be found in the message.
    """
    pattern = r"\W+".join(re.escape(w) for w in words)
    found = re.search(pattern, message, re.IGNORECASE)
    if found is None:
        return None
    value = found.group(0)
    if value.islower():
        value = " ".join(w[:1].upper() + w[1:] for w in value.split())
    return Entity(entity, value, found.start(), found.end(), 1.0, NAMED_EXTRACTOR)


def merge_rankings(*rankings: list[IntentScore], limit: int = 10) -> list[IntentScore]:
    """Merge rankings, keeping each intent's best confidence."""
    best: dict[str, float] = {}
    for ranking in rankings:
        for score in ranking:
            best[score.name] = max(best.get(score.name, 0.0), score.confidence)
    ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [IntentScore(name, conf) for name, conf in ranked]


def _needs(kb: KnowledgeBase, intent: str) -> frozenset[str]:
    """Return the slots an answer to ``intent`` needs (see :meth:`ContextIndex.needs`)."""
    needed: set[str] = set()
    found = kb.intents.get(intent)
    for action in kb.actions_for(intent):
        response = kb.responses.get(action)
        if response is None:
            if found is not None:
                needed.update(entity for example in found.examples
                              for _, entity in example.entities)
        elif response.variants:
            placeholders = [set(_PLACEHOLDER.findall(v.text)) for v in response.variants]
            needed.update(set.intersection(*placeholders))
    return frozenset(needed)


class ContextIndex:
    """How a knowledge base's intents hang together, and the words its examples use."""

    def __init__(self, kb: KnowledgeBase) -> None:
        answerable = set(kb.answerable_intents())
        self._related: dict[str, tuple[str, ...]] = {}
        self._topic: dict[str, str] = {}
        by_topic: dict[str, list[str]] = {}
        for name, intent in kb.intents.items():
            metadata = intent.metadata or {}
            related = metadata.get("related")
            if isinstance(related, str):
                related = [related]
            if isinstance(related, list | tuple):
                self._related[name] = tuple(
                    r for r in related if isinstance(r, str) and r in answerable and r != name
                )
            topic = metadata.get("topic")
            if isinstance(topic, str) and topic and name in answerable:
                self._topic[name] = topic
                by_topic.setdefault(topic, []).append(name)
        self._by_topic = {k: tuple(v) for k, v in by_topic.items()}
        self._needs = {name: needs for name in answerable if (needs := _needs(kb, name))}
        self._kb = kb
        self._vocabulary: frozenset[str] | None = None
        self._vocabulary_list: list[str] = []
        self._kinds: dict[str, dict[str, float]] = {}
        self._per_intent: dict[str, frozenset[str]] = {}
        self._annotated: dict[str, frozenset[str]] | None = None
        self._lock = threading.Lock()

    def _words(self) -> frozenset[str]:
        """Return the vocabulary, read from the knowledge base on first use."""
        with self._lock:
            if self._vocabulary is None:
                kb = self._kb
                words: set[str] = set()
                kinds: dict[str, dict[str, float]] = {}
                for name, intent in kb.intents.items():
                    counts: dict[str, int] = {}
                    for example in intent.examples:
                        tokens = normalize(example.text).split()
                        words.update(tokens)
                        if QUESTION_WORDS.intersection(tokens):
                            for kind in question_kinds(tokens):
                                counts[kind] = counts.get(kind, 0) + 1
                    if counts:
                        total = len(intent.examples)
                        kinds[name] = {k: c / total for k, c in counts.items()}
                for synonym in kb.synonyms:
                    for phrase in (synonym.value, *synonym.examples):
                        words.update(normalize(phrase).split())
                for lookup in kb.lookups:
                    for element in lookup.elements:
                        words.update(normalize(element).split())
                self._vocabulary_list = sorted(words)
                self._vocabulary = frozenset(words)
                self._kinds = kinds
            return self._vocabulary

    def title(self, intent: str) -> str:
        """Return the intent's short title (metadata ``title``, else its first example)."""
        return title(self._kb, intent)

    def answer_texts(self, intent: str) -> list[str]:
        """Return the texts of the responses answering ``intent`` (none for an action)."""
        return answer_texts(self._kb, intent, with_title=False)

    def kind_share(self, intent: str, kind: str) -> float:
        """Return the share of ``intent``'s examples asking for ``kind`` ("person"...)."""
        self._words()
        return self._kinds.get(intent, {}).get(kind, 0.0)

    def related(self, intent: str) -> tuple[str, ...]:
        """Return the answerable intents listed in ``intent``'s ``related`` metadata."""
        return self._related.get(intent, ())

    def same_topic(self, intent: str) -> tuple[str, ...]:
        """Return the other answerable intents sharing ``intent``'s ``topic``."""
        topic = self._topic.get(intent)
        if topic is None:
            return ()
        return tuple(n for n in self._by_topic.get(topic, ()) if n != intent)

    def neighbours(self, intent: str, config: DialogConfig) -> dict[str, float]:
        """Return the intents near ``intent`` with their boost (related, then same topic)."""
        boosts = {n: config.topic_boost for n in self.same_topic(intent)}
        boosts.update({n: config.related_boost for n in self.related(intent)})
        boosts.pop(intent, None)
        return boosts

    def more_about(self, intent: str, slots: Iterable[str] | None = None) -> tuple[str, ...]:
        """Return what could be said next about ``intent``: related, then same topic.

        Args:
            intent: The current topic.
            slots: Names of the slots the conversation has filled. When given, intents
                that need a value the conversation lacks (see :meth:`needs`) are left out:
                "tell me more" should tell, not ask back "which one do you mean?".

        Returns:
            Intent names, best first.
        """
        filled = None if slots is None else frozenset(slots)
        seen: dict[str, None] = {}
        for name in (*self.related(intent), *self.same_topic(intent)):
            if name != intent and (filled is None or self.needs(name) <= filled):
                seen.setdefault(name, None)
        return tuple(seen)

    def needs(self, intent: str) -> frozenset[str]:
        """Return the slots an answer to ``intent`` needs from the conversation.

        A custom action reads the entities its intent's examples annotate (``did
        [cisco](investor) invest`` -> ``investor``): without one it can only ask back.
        A response needs the slots its ``{placeholders}`` name in every variation.
        """
        return self._needs.get(intent, frozenset())

    def readers(self, entities: Iterable[Entity], message: str) -> tuple[str, ...]:
        """Return the intents that read one of ``entities`` and fit the rest of ``message``.

        An intent reads an entity when its answer needs it (see :meth:`needs`); it fits
        the message when every other content word of the message occurs in its examples
        ("nvidia funding" fits ``did [ibm](investor) take part in mistral's funding``;
        "who founded microsoft" fits no intent that reads investors).
        """
        found = list(entities)
        wanted = frozenset(e.entity for e in found)
        rest = message
        for entity in sorted(found, key=lambda e: -e.start):
            if 0 <= entity.start < entity.end <= len(rest):
                rest = rest[:entity.start] + " " + rest[entity.end:]
        words = {w for w in normalize(rest).split() if w not in FUNCTION_WORDS}
        return tuple(name for name, needs in self._needs.items()
                     if needs & wanted and words <= self._intent_words(name))

    def annotated(self, entity: str) -> frozenset[str]:
        """Return the words of the values the examples annotate as ``entity``."""
        with self._lock:
            if self._annotated is None:
                values: dict[str, set[str]] = {}
                for intent in self._kb.intents.values():
                    for example in intent.examples:
                        for value, name in example.entities:
                            values.setdefault(name, set()).update(normalize(value).split())
                self._annotated = {k: frozenset(v) for k, v in values.items()}
            return self._annotated.get(entity, frozenset())

    def _intent_words(self, intent: str) -> frozenset[str]:
        """Return the words of ``intent``'s examples, the names that fill a slot left out.

        ``did [apple](investor) invest`` teaches "did", "invest" and "in", not "apple":
        a name annotated as an entity is what the question is about, so another message
        naming it ("apple among the backers, right?") still has it as its leftover name.
        """
        self._words()
        with self._lock:
            cached = self._per_intent.get(intent)
            if cached is None:
                found = self._kb.intents.get(intent)
                cached = frozenset(w for example in (found.examples if found else ())
                                   for w in _template_words(example))
                self._per_intent[intent] = cached
            return cached

    def unknown_words(self, words: Iterable[str]) -> list[str]:
        """Return the words no example, synonym or lookup table uses (typos forgiven)."""
        vocabulary = self._words()
        unknown = []
        for word in words:
            if word in vocabulary:
                continue
            if len(word) >= 4 and process.extractOne(
                word, self._vocabulary_list, scorer=fuzz.ratio, score_cutoff=_FUZZY_KNOWN
            ):
                continue
            unknown.append(word)
        return unknown


def join_context(previous: str, message: str) -> str:
    """Return the previous context followed by ``message``, kept to a bounded length."""
    joined = f"{previous} {message}".strip()
    return joined[-CONTEXT_MAX_CHARS:]


def _sorted(scores: dict[str, float], limit: int) -> list[IntentScore]:
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [IntentScore(name, round(min(1.0, conf), 6)) for name, conf in ranked]


@dataclass(frozen=True)
class ContextResult:
    """A ranking re-read with context.

    Attributes:
        ranking: The re-ranked intents, best first.
        joined: True when the message was read together with the previous one (the
            context to keep for the next turn is then both messages).
        resolved: True when context decided the first intent of ``ranking`` (a bare
            question word, "from whom?", picked it among the last answer's neighbours, or
            the follow-up asks about what the last answer says): answer it, no threshold.
    """

    ranking: list[IntentScore]
    joined: bool
    resolved: bool = False


def _by_question_word(
    message: str, standalone: list[IntentScore], neighbours: dict[str, float],
    index: ContextIndex, limit: int,
) -> ContextResult | None:
    """Resolve a bare question ("from whom?", "when?") among the last answer's neighbours.

    The neighbour whose examples most often ask the same kind of question ("who" for a
    person, "how much" for an amount...) is chosen when it is clearly ahead: at least
    ``MIN_KIND_SHARE`` of its examples, twice the share of the next one. Its confidence
    is ``0.5 + share / 2``.
    """
    kinds = question_kinds(normalize(message).split())
    if not kinds or not neighbours:
        return None
    shares = sorted(
        ((max(index.kind_share(n, k) for k in kinds), n) for n in neighbours),
        key=lambda item: (-item[0], item[1]),
    )
    best, name = shares[0]
    second = shares[1][0] if len(shares) > 1 else 0.0
    if best < MIN_KIND_SHARE or second * 2 > best:
        return None
    chosen = IntentScore(name, round(0.5 + best / 2, 6))
    rest = [s for s in standalone if s.name != name]
    return ContextResult([chosen, *rest][:limit], joined=True, resolved=True)


def _asks_again(
    message: str, reading: Reading, again: list[IntentScore], standalone: list[IntentScore],
    last_intent: str, covers: Callable[[str, str], bool],
    foreign: Callable[[str, str], list[str]] | None, nlu: NluConfig,
) -> bool:
    """Return whether a follow-up asks about what the last answer already says.

    ``again`` ranks the follow-up read with the last question, the follow-up first (so that
    its own question word, "who" or "when", sets the kind of answer asked for). The last
    answer is given again when that reading puts it clearly ahead, better than the
    follow-up alone does, no word of the follow-up points away from it, and the last
    answer speaks of at least half of the follow-up's content words. A follow-up without
    any ("and who is that for") needs a confident reading. "can you get the weights of any
    of them" after the models answer (which speaks of open weights) is asked again; "how
    old is he" after the CEO answer (no age) is not.
    """
    if not again or again[0].name != last_intent:
        return False
    top = again[0].confidence
    alone = next((s.confidence for s in standalone if s.name == last_intent), 0.0)
    runner_up = again[1].confidence if len(again) > 1 else 0.0
    if top <= alone or top - runner_up < nlu.ambiguity_threshold:
        return False
    if foreign is not None and foreign(message, last_intent):
        return False
    if not reading.content:
        return decide(again, nlu).kind == ANSWER
    # the last answer speaking of most of what the follow-up asks about is evidence enough
    # for the topic it already is, from the suggestion threshold on
    covered = sum(1 for w in reading.content if covers(w, last_intent))
    return top >= nlu.suggest_threshold and 2 * covered >= len(reading.content)


# References to a thing the last answer spoke of (not to people, not "they": the subject).
_THING_ANAPHORS = frozenset({"it", "its", "this", "that"})
_PERSONAL = {"he": "", "she": "", "him": "", "his": "'s", "her": "'s", "hers": "'s"}
# an answer about one person: a full name next to a role ("Lucija Mandić ... chief executive")
_LOWER = r"[^\W\d_A-ZÀ-ÖØ-Þ]"  # a letter that is no capital (Latin scripts)
_FULL_NAME = re.compile(rf"\b[A-ZÀ-ÖØ-Þ]{_LOWER}+(?: [A-ZÀ-ÖØ-Þ]{_LOWER}+)+")
_ROLE = re.compile(r"\b(?:chief|ceo|cto|cfo|coo|director|founder|co-founder|manager|chairs?|"
                   r"chairman|chairwoman|president|executive|officer)\b", re.IGNORECASE)


def with_their_person(words: Sequence[str], answers: Iterable[str]) -> str | None:
    """Return the message with "he", "she" or "his" read as the last answer's person, or None.

    "when did she start" after "Day-to-day management is in the hands of Lucija Mandić,
    ..., who became chief executive in 2020" asks "when did lucija mandić start", not when
    the company started. The last answer must name one person, with a role.
    """
    if not any(w in _PERSONAL for w in words):
        return None
    names = {n for text in answers if _ROLE.search(text) for n in _FULL_NAME.findall(text)}
    people = [n for n in names if not any(n != other and n in other for other in names)]
    if len(people) != 1:
        return None
    out, done = [], False
    for word in words:
        if word in _PERSONAL and not done:
            out.append(people[0].casefold() + _PERSONAL[word])
            done = True
        else:
            out.append(word)
    return " ".join(out)


def contextual_ranking(
    message: str,
    reading: Reading,
    standalone: list[IntentScore],
    last_intent: str,
    last_text: str,
    index: ContextIndex,
    rank: Callable[[str], list[IntentScore]],
    dialog: DialogConfig,
    nlu: NluConfig,
    limit: int = 10,
    new_words: Callable[[str], list[str]] | None = None,
    covers: Callable[[str, str], bool] | None = None,
    foreign: Callable[[str, str], list[str]] | None = None,
) -> ContextResult | None:
    """Re-rank a follow-up with the last answer as context.

    Args:
        message: The follow-up as typed.
        reading: Its reading (see :func:`read_message`).
        standalone: The message's ranking on its own.
        last_intent: The intent answered last.
        last_text: The text that intent was answered for (the context).
        index: The knowledge base's context index.
        rank: The matcher's ranking function.
        dialog: Context settings (boosts).
        nlu: Decision thresholds.
        limit: Length of the returned ranking.
        new_words: Returns the names and terms of a text that the knowledge base never
            uses (the matcher's ``new_words``, which reads paraphrases and typos first);
            the index's own vocabulary check when None.
        covers: ``covers(text, intent)``: whether the intent's examples or answer use every
            content word of the text (the matcher's ``covers``). With it, a follow-up that
            asks about what the last answer says is answered by it again.
        foreign: ``foreign(text, intent)``: the words of the text that point away from
            the intent (the matcher's ``foreign_words``); such a follow-up is not answered
            again by the last answer.

    Returns:
        The re-ranked intents, or None when context does not apply (a plain question, or
        one that names something the knowledge base does not know: a new subject).
    """
    if decide(standalone, nlu).kind == ANSWER:
        # a confident answer on its own stands, unless "it" is the last answer's thing
        # and that answer speaks of all the follow-up asks ("when will it open" after the
        # farm planned in Hamburg, not the farm tours' opening hours)
        if (reading.kind == PLAIN or covers is None or not last_text or not standalone
                or standalone[0].name == last_intent
                or not _THING_ANAPHORS & set(normalize(message).split())
                or not covers(message, last_intent)):
            return None
        again = rank(f"{message} {last_text}")
        if _asks_again(message, reading, again, standalone, last_intent, covers, foreign,
                       nlu):
            return ContextResult(again, joined=True, resolved=True)
        return None
    if reading.kind == PLAIN:
        return None
    unknown = (new_words(" ".join(reading.content)) if new_words is not None
               else index.unknown_words(reading.content))
    if unknown:
        logger.debug("follow-up %r not resolved: unknown words %s", message, unknown)
        return None
    boosts = index.neighbours(last_intent, dialog)
    if not reading.content:
        resolved = _by_question_word(message, standalone, boosts, index, limit)
        if resolved is not None:
            return resolved
    scores = {s.name: s.confidence + boosts.get(s.name, 0.0) for s in standalone}
    boosted = _sorted(scores, limit)
    if reading.content and decide(boosted, nlu).kind == ANSWER:
        return ContextResult(boosted, joined=False)
    if not last_text:
        return ContextResult(boosted, joined=False)
    if covers is not None:
        # read with the last question, then with the topic's title ("Funding") when the
        # last question was itself a bare follow-up ("how much?")
        for context in dict.fromkeys((last_text, index.title(last_intent))):
            again = rank(f"{message} {context}")
            if _asks_again(message, reading, again, standalone, last_intent, covers,
                           foreign, nlu):
                return ContextResult(again, joined=True, resolved=True)
    before = {s.name: s.confidence for s in rank(last_text)}
    joined = rank(join_context(last_text, message))
    candidates = boosts or {s.name: 0.0 for s in joined}
    promoted = False
    for score in joined:
        name = score.name
        if name == last_intent or name not in candidates:
            continue
        if score.confidence <= before.get(name, 0.0):
            continue  # the follow-up added nothing in favour of this intent
        value = score.confidence + candidates[name]
        if value > scores.get(name, 0.0):
            scores[name] = value
            promoted = True
    ranking = _sorted(scores, limit)
    return ContextResult(ranking, joined=promoted)


def _template_words(example: Example) -> list[str]:
    """Return the normalised words of ``example`` without those of its annotated values."""
    words = normalize(example.text).split()
    for value, _entity in example.entities:
        filler = normalize(value).split()
        for start in range(len(words) - len(filler) + 1):
            if filler and words[start:start + len(filler)] == filler:
                words[start:start + len(filler)] = [""] * len(filler)
    return [w for w in words if w]
