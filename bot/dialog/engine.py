"""The dialog engine: ``(sender, text) -> Turn``, pure and synchronous.

One message goes through these steps, each a small function of its own module:
screening (:mod:`bot.dialog.inputs`), explicit choices such as button payloads and
picked numbers (:mod:`bot.dialog.payloads`), ranking (the matcher), a message holding
two questions read as two, re-ranking with the conversation's context
(:mod:`bot.dialog.followup`), deciding (:mod:`bot.dialog.decision`, and a clean answer
below the threshold when nothing speaks against it), and building the replies
(:mod:`bot.dialog.replies`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Protocol

from bot.config import BotConfig
from bot.dialog import replies as say
from bot.dialog.decision import ANSWER, FALLBACK, SUGGEST, Decision, decide
from bot.dialog.followup import (
    ELLIPTICAL,
    MORE,
    ContextIndex,
    Reading,
    asks_in_its_words,
    contextual_ranking,
    join_context,
    merge_rankings,
    named_follow_up,
    read_message,
    residue_entity,
    strip_references,
    with_their_person,
)
from bot.dialog.inputs import EMPTY, clean_sender, clean_text, screen
from bot.dialog.lexicon import NO_ANSWERS, YES_ANSWERS
from bot.dialog.payloads import Choice, entity_payload, parse_payload, read_choice
from bot.dialog.smalltalk import load_small_talk
from bot.dialog.state import ConversationState, InMemoryStateStore, StateStore
from bot.dialog.turn import Reply, Turn
from bot.kb.model import FALLBACK_INTENT, KnowledgeBase
from bot.nlu.kinds import LITERAL_KINDS, count_noun, question_kind, second_question
from bot.nlu.normalize import normalize
from bot.nlu.parse import Entity, EntityExtractor, IntentScore, Matcher, Parse, Utterance
from bot.nlu.subjects import AUXILIARIES

logger = logging.getLogger(__name__)

# Kept for callers of the first version of this module.
DEFAULT_FALLBACK_TEXT = say.DEFAULT_FALLBACK_TEXT
DEFAULT_SUGGEST_TEXT = say.DEFAULT_SUGGEST_TEXT
ACTION_UNAVAILABLE_TEXT = "Sorry, I can't work that answer out right now. Please try again."

# Turn.decision values besides answer / suggest / fallback.
REJECTED = "rejected"
NOTHING_MORE = "nothing_more"

RECENT_INTENTS = 10
_LOCK_STRIPES = 64


@dataclass(frozen=True)
class Brain:
    """A knowledge base with the indexes built from it; swapped whole on reload.

    Attributes:
        kb: The knowledge base.
        matcher: Ranks its intents for a message.
        entities: Finds entities in a message (optional).
        context: How its intents hang together, for follow-ups (built on first use when
            absent).
    """

    kb: KnowledgeBase
    matcher: Matcher
    entities: EntityExtractor | None = None
    context: ContextIndex | None = None


class ActionRunner(Protocol):
    """Runs custom actions (``action_*``) for the engine."""

    def run(
        self, action: str, sender: str, parse: Parse, state: ConversationState
    ) -> tuple[list[Reply], list[dict]]:
        """Run ``action`` and return its replies and Rasa events."""
        ...


@dataclass(frozen=True)
class _Answer:
    """An intent the engine commits to, and what to remember it by."""

    intent: IntentScore
    ranking: tuple[IntentScore, ...]
    entities: tuple[Entity, ...]
    context: str
    message: str | None = None  # what actions see as the message, when not the text typed


@dataclass(frozen=True)
class _Message:
    """One message on its way through the readers; understood once, on first need.

    Attributes:
        sender: Who wrote it.
        text: The message as received.
        message: What is read: the cleaned text, or the payload a pick stands for.
        state: The sender's conversation, this turn counted.
        brain: The knowledge base and indexes this message is read with.
        entities: Entities found in ``message`` (with ``ranking`` and ``reading``, set by
            ``Engine._understood``).
        ranking: The matcher's ranking of ``message`` (re-ranked by the follow-up reader).
        reading: How ``message`` leans on the conversation (follow-up or not).
        utterance: ``message`` normalised and spelling-corrected, once (the matcher's
            reading of it, :class:`bot.nlu.parse.Utterance`).
        context: What an answer is remembered by when it is not ``message`` (both
            messages, when a follow-up was read with the one before).
    """

    sender: str
    text: str
    message: str
    state: ConversationState
    brain: Brain
    entities: tuple[Entity, ...] = ()
    ranking: tuple[IntentScore, ...] = ()
    reading: Reading | None = None
    utterance: Utterance | None = None
    context: str | None = None

    @property
    def question(self) -> str:
        """What is ranked: ``message`` without the openers that carry no subject."""
        return (self.reading.question if self.reading else None) or self.message


def yes_or_no(message: str) -> bool | None:
    """Return True for a short "yes", False for a short "no", None for anything else."""
    words = normalize(message)
    if words in YES_ANSWERS:
        return True
    if words in NO_ANSWERS:
        return False
    return None


class Engine:
    """Understands a message, decides, and produces the replies.

    The engine does no I/O of its own: adapters give it text and send what it returns.
    It is safe to call from several threads; messages of one sender are handled one at a
    time, in order.
    """

    def __init__(
        self,
        brain: Brain,
        config: BotConfig,
        store: StateStore | None = None,
        actions: ActionRunner | None = None,
        listeners: tuple[Callable[[Turn], None], ...] = (),
    ) -> None:
        self._brain = brain
        self._config = config
        self._store = store or InMemoryStateStore()
        self._actions = actions
        self._listeners = listeners
        self._lock = threading.Lock()
        self._sender_locks = tuple(threading.Lock() for _ in range(_LOCK_STRIPES))
        self._context_cache: tuple[Brain, ContextIndex] | None = None

    @property
    def brain(self) -> Brain:
        """The knowledge base and indexes in use."""
        return self._brain

    @property
    def config(self) -> BotConfig:
        """The configuration in use."""
        return self._config

    def swap(self, brain: Brain) -> None:
        """Replace the knowledge base atomically; messages in flight keep the old one."""
        self._brain = brain

    def reset(self, sender: str) -> None:
        """Forget a sender's conversation (topic, suggestions, slots)."""
        with self._sender_lock(sender):
            self._store.put(sender, ConversationState())

    def handle(self, sender: str, text: str) -> Turn:
        """Answer one message, then tell each listener about the turn.

        Args:
            sender: Conversation key (a user, or a chat and user).
            text: The message.

        Returns:
            The turn: parse, responses and decision.
        """
        sender, text = clean_sender(sender), clean_text(text)
        with self._sender_lock(sender):
            turn = self._handle(sender, text)
        for listener in self._listeners:
            try:
                listener(turn)
            except Exception:  # a listener must never break a conversation
                logger.exception("turn listener %r failed", listener)
        return turn

    @staticmethod
    def title(kb: KnowledgeBase, intent: str) -> str:
        """Return a short human title for an intent (metadata ``title`` or first example)."""
        return say.title(kb, intent)

    # -- one message ---------------------------------------------------------------------
    def _sender_lock(self, sender: str) -> threading.Lock:
        return self._sender_locks[hash(sender) % _LOCK_STRIPES]

    def _context_index(self, brain: Brain) -> ContextIndex:
        if brain.context is not None:
            return brain.context
        with self._lock:
            cached = self._context_cache
            if cached is None or cached[0] is not brain:
                cached = (brain, ContextIndex(brain.kb))
                self._context_cache = cached
            return cached[1]

    def _handle(self, sender: str, text: str) -> Turn:
        """Screen the message, then hand it to each reader in turn until one answers."""
        brain = self._brain
        state = self._store.get(sender)
        screened = screen(text, self._config.nlu.max_message_chars)
        if screened.problem is not None:
            parse = Parse(text, IntentScore(FALLBACK_INTENT, 0.0))
            decision = EMPTY if screened.problem == EMPTY else REJECTED
            return Turn(sender, text, parse, (Reply(screened.reply),), decision)
        state = replace(state, turns=state.turns + 1)
        message = _Message(sender, text, screened.message, state, brain)
        picked = self._read_choice(message)
        if isinstance(picked, Turn):
            return picked
        message = picked or message
        turn = self._read_payload(message)
        if turn is not None:
            return turn
        message = self._understood(message)
        turn = self._read_more(message) or self._read_named(message)
        if turn is not None:
            return turn
        turn = self._read_two_questions(message)
        if turn is not None:
            return turn
        followed = self._read_follow_up(message)
        if isinstance(followed, Turn):
            return followed
        return self._read_question(followed)

    # -- the readers: each returns a turn, or None to pass the message on ----------------
    def _read_choice(self, m: _Message) -> Turn | _Message | None:
        """A number (or "yes" / "no" to a single suggestion) picks what is on screen.

        Returns:
            A turn (a refused pick, a "no"), the message with the picked payload, or None.
        """
        state = m.state
        if len(state.suggestions) == 1 and len(state.choices) == 1:
            answer = yes_or_no(m.message)
            if answer is True:
                return replace(m, message=state.choices[0])
            if answer is False:
                self._store.put(m.sender, replace(state, suggestions=(), choices=()))
                parse = Parse(m.text, IntentScore(FALLBACK_INTENT, 0.0))
                return Turn(m.sender, m.text, parse, (Reply(say.DECLINED_TEXT),), FALLBACK)
        choice = read_choice(m.message, state.choices, m.brain.kb)
        if choice.refusal is not None:
            return self._pick_again(m.brain, m.sender, m.text, state, choice)
        return replace(m, message=choice.message) if choice.message != m.message else None

    def _read_payload(self, m: _Message) -> Turn | None:
        """A button payload (``/intent{"entity": "value"}``) answers its intent, as in Rasa."""
        kb = m.brain.kb
        payload = parse_payload(m.message, kb)
        if payload is None:
            return None
        forced = IntentScore(payload.intent, 1.0)
        entities = payload.entities or self._entities(m.brain, m.message)
        answer = _Answer(forced, (forced,), entities, say.context_text(kb, payload.intent),
                         m.message)  # actions see the payload, as in Rasa
        return self._answer(m.brain, m.sender, m.text, answer, m.state)

    def _read_more(self, m: _Message) -> Turn | None:
        """Answer "tell me more" with the last topic, unless it is an intent's own example.

        A knowledge base may have an intent for "tell me more"; a request for more that
        merely shares a word with an example ("no more questions" is goodbye) goes on with
        the topic.
        """
        if m.reading.kind != MORE or not self._config.dialog.context:
            return None
        decision = decide(list(m.ranking), self._config.nlu)
        if decision.kind == ANSWER and decision.intent is not None:
            typed = m.utterance.normalized
            intent = m.brain.kb.intents.get(decision.intent.name)
            if intent is not None and any(normalize(e.text) == typed for e in intent.examples):
                return None
            if not m.state.last_intent:
                return None
        return self._more(m)

    def _read_named(self, m: _Message) -> Turn | None:
        """Answer "and apple?" after "did cisco invest?": the last question, a new name."""
        state = m.state
        last = state.last_intent if state.last_intent in m.brain.kb.intents else None
        if m.reading.kind != ELLIPTICAL or not self._config.dialog.context or last is None:
            return None
        named = named_follow_up(m.message, last, self._context_index(m.brain), m.entities,
                                self._ranker(m.brain), self._config.nlu)
        if named is None:
            return None
        forced = IntentScore(last, 1.0)
        answer = _Answer(forced, (forced, *[s for s in m.ranking if s.name != last]), named,
                         join_context(state.last_text or "", m.message),
                         entity_payload(last, named))
        return self._answer(m.brain, m.sender, m.text, answer, state)

    def _read_follow_up(self, m: _Message) -> Turn | _Message:
        """A follow-up: the message read again with the conversation's topic.

        Returns:
            The turn when context decides the answer; otherwise the message with its
            candidates as context ranks them, for :meth:`_read_question` to decide on.
        """
        brain, state = m.brain, m.state
        nlu, dialog = self._config.nlu, self._config.dialog
        ranking = list(m.ranking)
        topic, topic_text = _topic(state, brain.kb)
        about_them = self._read_their_person(m, topic)
        if about_them is not None:
            return about_them
        if m.reading.kind == ELLIPTICAL and decide(ranking, nlu).kind != ANSWER:
            # read without its references too ("what about its models?" as "models"),
            # unless it is answered as it stands
            words = m.reading.question.split() if m.reading.question else m.utterance.words
            reduced = strip_references(words)
            if reduced and reduced != " ".join(words):
                ranking = merge_rankings(ranking, brain.matcher.rank(reduced, limit=10))
        m = replace(m, ranking=tuple(ranking))
        if not dialog.context or topic is None:
            return m
        result = contextual_ranking(
            m.question, m.reading, ranking, topic, topic_text,
            self._context_index(brain), self._ranker(brain), dialog, nlu,
            new_words=getattr(brain.matcher, "new_words", None),
            covers=getattr(brain.matcher, "covers", None),
            foreign=getattr(brain.matcher, "foreign_words", None),
        )
        if result is None:
            return m
        m = replace(m, ranking=tuple(result.ranking),
                    context=join_context(topic_text, m.message) if result.joined else None)
        if result.resolved and self._asks_what_it_reads(m, result.ranking[0].name):
            return self._commit(m, result.ranking[0], result.ranking)
        return m

    def _read_their_person(self, m: _Message, topic: str | None) -> Turn | None:
        """Answer "when did she start" about the person the last answer named, if one.

        The message is read with "she" as that person ("when did lucija mandić start");
        its answer stands when it differs from the message's own best one. The last
        answer itself only replaces a confident reading that took the pronoun for nobody
        ("when did the company start"): otherwise the name merely points back to it.
        """
        if not self._config.dialog.context or topic is None or m.utterance is None:
            return None
        person = with_their_person(m.utterance.words,
                                   self._context_index(m.brain).answer_texts(topic))
        if person is None:
            return None
        named = self._understood(_Message(m.sender, m.text, person, m.state, m.brain))
        decision, ranking = self._decided(named)
        plain = decide(list(m.ranking), self._config.nlu).kind == ANSWER
        if (decision.kind != ANSWER or decision.intent is None
                or (m.ranking and decision.intent.name == m.ranking[0].name)
                or (decision.intent.name == topic and not plain)):
            return None
        return self._commit(named, decision.intent, ranking)

    def _read_two_questions(self, m: _Message) -> Turn | None:
        """Two questions in one message, each with its own answer: both, in order.

        "who is the ceo and how much have they raised": the part before "and" is
        answered as a question of its own, when its confidence alone reaches the answer
        threshold; the part after is then read as the next message of the conversation
        (so "they" is the company just answered about). Passes (None), leaving the
        conversation as it was, when the message holds one question, when either part
        would not be answered, or when both parts have the same answer: the message is
        then read whole.
        """
        parts = _two_questions(m)
        if parts is None:
            return None
        first = self._understood(_Message(m.sender, m.text, parts[0], m.state, m.brain))
        followed = self._read_follow_up(first)
        if isinstance(followed, Turn):
            return None  # the first part only makes sense with the conversation: read whole
        decision = decide(list(followed.ranking), self._config.nlu)
        if decision.kind != ANSWER or decision.intent is None:
            return None
        state = m.state
        answered = self._commit(followed, decision.intent, list(followed.ranking))
        second = self._understood(_Message(m.sender, m.text, parts[1],
                                           self._store.get(m.sender), m.brain))
        leaning = self._read_follow_up(second)
        rest = leaning if isinstance(leaning, Turn) else self._read_question(leaning)
        if rest.decision != ANSWER or rest.parse.intent.name == answered.parse.intent.name:
            self._store.put(m.sender, state)  # as if neither part had been read
            return None
        responses = answered.responses + rest.responses
        # the buttons are numbered across both answers: "2" picks the second one shown
        self._store.put(m.sender, replace(self._store.get(m.sender), choices=tuple(
            b.payload for r in responses for b in r.buttons)))
        return replace(answered, responses=responses, events=answered.events + rest.events)

    def _read_question(self, m: _Message) -> Turn:
        """A question: its candidates decided on (answer, did-you-mean or refusal)."""
        decision, ranking = self._decided(m)
        if decision.kind == ANSWER and decision.intent is not None:
            return self._commit(m, decision.intent, ranking)
        return self._unsure(replace(m, ranking=tuple(ranking)), decision)

    def _decided(self, m: _Message) -> tuple[Decision, list[IntentScore]]:
        """Return the decision on ``m``'s candidates, and the candidates it was made on."""
        nlu = self._config.nlu
        ranking = list(m.ranking)
        decision = decide(ranking, nlu)
        if decision.kind != ANSWER:
            reader = self._reader_of_named(m, ranking)
            if reader is not None:
                decision = Decision(ANSWER, intent=reader)
        if decision.kind != ANSWER and self._clean_answer(m, ranking):
            decision = Decision(ANSWER, intent=ranking[0])
        unanswered = getattr(m.brain.matcher, "unanswered", None)
        if (decision.kind == ANSWER and decision.intent is not None and unanswered is not None
                and unanswered(m.message, decision.intent.name)):
            return Decision(FALLBACK), ranking  # asks what the answer does not give
        if (decision.kind == ANSWER and decision.intent is not None
                and not self._asks_what_it_reads(m, decision.intent.name)):
            ranking = [s for s in ranking if s.name != decision.intent.name]
            decision = decide(ranking, nlu)
        return decision, ranking

    def _reader_of_named(self, m: _Message, ranking: list[IntentScore]) -> IntentScore | None:
        """Return the close candidate that reads the entity the message names, if one.

        "is samsung backing them" is about one investor: of the investor check and the
        funding answer (which lists them all), within ``ambiguity_threshold`` of each
        other, the one that reads the investor named answers; a did-you-mean between
        the two would ask the user to choose between two right answers. The top one is
        at least as confident as a clean answer may be (``clean_answer_margin`` below the
        answer threshold).
        """
        nlu = self._config.nlu
        if not m.entities or len(ranking) < 2:
            return None
        top = ranking[0].confidence
        if top < nlu.answer_threshold - nlu.clean_answer_margin:
            return None
        index = self._context_index(m.brain)
        named = {e.entity for e in m.entities}
        close = [s for s in ranking[:nlu.max_suggestions]
                 if top - s.confidence < nlu.ambiguity_threshold]
        readers = [s for s in close if index.needs(s.name) and index.needs(s.name) <= named]
        if len(readers) != 1 or len(close) < 2:
            return None
        foreign = getattr(m.brain.matcher, "foreign_words", None)
        if foreign is not None and foreign(m.message, readers[0].name, asking=True):
            return None
        return readers[0]

    def _commit(self, m: _Message, intent: IntentScore, ranking: list[IntentScore]) -> Turn:
        """Answer ``intent``, with the name it reads when only the leftover words give it."""
        index = self._context_index(m.brain)
        needs = index.needs(intent.name)
        named = () if not needs or any(e.entity in needs for e in m.entities) else (
            residue_entity(m.message, intent.name, index))
        answer = _Answer(intent, tuple(ranking), (*m.entities, *named), m.context or m.message,
                         entity_payload(intent.name, named) if named else None)
        return self._answer(m.brain, m.sender, m.text, answer, m.state)

    def _asks_what_it_reads(self, m: _Message, intent: str) -> bool:
        """False when ``intent`` reads an entity the message neither names nor asks about.

        An intent answered by reading an entity ("did [cisco](investor) invest") fits a
        message that names one (found by the extractor, or the leftover name), a
        conversation that has one (a slot), or a message asking in the intent's own words
        ("did anyone invest"); "quick q, mistral, what are they" is none of these.
        """
        index = self._context_index(m.brain)
        needs = index.needs(intent)
        if not needs or needs <= {e.entity for e in m.entities} | set(m.state.slots):
            return True
        return bool(asks_in_its_words(m.question, intent, index)
                    or residue_entity(m.question, intent, index))

    def _clean_answer(self, m: _Message, ranking: list[IntentScore]) -> bool:
        """True when the top intent is within ``clean_answer_margin`` of the answer threshold.

        Nothing against it: clearly ahead of the runner-up (by ``ambiguity_threshold``, or
        with the runner-up under ``clean_runner_up_share`` of it), no second question in
        the message that another intent answers best, no word of the message pointing away
        from it (no name or rare term it does not cover: the matcher's ``foreign_words``),
        an answer giving the kind of detail asked for (``missing_type``: "which city"
        against an answer naming a country), examples or an answer using at least
        ``clean_answer_share`` of the message's content (``covered_share``), and, for a
        yes/no question or one asking for a person, a time, an amount (``question_kind``),
        a content word other than the subject's name that the intent uses (the matcher's
        ``has_evidence``): "is glenmora profitable" shares only the name with the answer
        saying where Glenmora is based, and "who chairs glenmora's board" with the
        answer on its chief executive.
        """
        nlu = self._config.nlu
        matcher = m.brain.matcher
        foreign = getattr(matcher, "foreign_words", None)
        least = nlu.answer_threshold - nlu.clean_answer_margin
        named = getattr(matcher, "known_names", None)
        keyed = getattr(matcher, "key_words", None)
        if (named is not None and keyed is not None and ranking
                and named(m.message, ranking[0].name) and keyed(m.message, ranking[0].name)):
            least = nlu.answer_threshold - nlu.clean_named_margin
        if not ranking or foreign is None or ranking[0].confidence < least:
            return False
        runner_up = ranking[1].confidence if len(ranking) > 1 else 0.0
        if (ranking[0].confidence - runner_up < nlu.ambiguity_threshold
                and runner_up > nlu.clean_runner_up_share * ranking[0].confidence):
            return False
        top = ranking[0].name
        if self._second_question_elsewhere(m, top):
            return False  # half of it is another question (see _read_two_questions)
        share = getattr(matcher, "covered_share", None)
        gives = getattr(matcher, "gives_kind", None)
        if gives is not None and not gives(m.message, top):
            return False
        if share is not None and share(m.message, top) < nlu.clean_answer_share:
            return False
        evidence = getattr(matcher, "has_evidence", None)
        words = m.utterance.words if evidence is not None and m.utterance else ()
        if words and (words[0] in AUXILIARIES or question_kind(words) in LITERAL_KINDS) and (
                not evidence(m.message, top)):
            # "is glenmora profitable", "who chairs glenmora's board": no word of it but the
            # subject's name speaks for the answer
            return False
        return not foreign(m.message, top, asking=True)

    def _second_question_elsewhere(self, m: _Message, intent: str) -> bool:
        """True when ``m`` holds a second question whose best intent is not ``intent``."""
        parts = _two_questions(m)
        if parts is None:
            return False
        ranking = m.brain.matcher.rank(parts[1], limit=1)
        return not ranking or ranking[0].name != intent

    def _understood(self, m: _Message) -> _Message:
        """Return ``m`` with its entities, ranking and reading (computed once)."""
        if m.reading is not None:
            return m
        brain = m.brain
        read = getattr(brain.matcher, "read", None)  # a matcher reads a message once
        utterance = read(m.message) if read is not None else Utterance.plain(m.message)
        reading = read_message(utterance.words, self._config.dialog.followup_max_words)
        return replace(
            m, entities=self._entities(brain, m.message),
            ranking=tuple(brain.matcher.rank(reading.question or m.message, limit=10)),
            reading=reading, utterance=utterance,
        )

    @staticmethod
    def _ranker(brain: Brain) -> Callable[[str], list[IntentScore]]:
        return lambda text: brain.matcher.rank(text, limit=10)

    def _unsure(self, m: _Message, decision: Decision) -> Turn:
        """Offer "did you mean" buttons (carrying the message's entities), or fall back.

        One candidate is offered as a yes / no question. A fallback says why: the message
        names something the knowledge base does not cover (a near miss), or asks what the
        closest answer cannot give ("which city" against one naming a country), or it is
        close to something the bot knows but unclear, or nothing known is close.
        """
        brain, state, entities = m.brain, m.state, m.entities
        kb = brain.kb
        nlu = self._config.nlu
        ranking = list(m.ranking)
        index = self._context_index(brain)
        top = ranking[0].confidence if ranking else 0.0
        parse = Parse(m.text, IntentScore(FALLBACK_INTENT, top), tuple(ranking), entities)
        if decision.kind == FALLBACK and entities:
            # "nvidia funding": too vague to rank, but it names an investor, and only some
            # intents read one: offer those rather than nothing.
            readers = index.readers(entities, m.message)[:nlu.max_suggestions]
            if readers:
                decision = Decision(SUGGEST, suggestions=tuple(
                    IntentScore(n, 0.0) for n in readers))
        foreign = getattr(brain.matcher, "foreign_words", None)
        if decision.kind == SUGGEST and foreign is not None:
            # "who is the ceo of openai": offering Mistral's CEO would mislead
            kept = tuple(s for s in decision.suggestions if not foreign(m.message, s.name))
            decision = Decision(SUGGEST, suggestions=kept) if kept else Decision(FALLBACK)
        if decision.kind == SUGGEST:
            names = tuple(s.name for s in decision.suggestions)
            reply = say.suggestion(kb, names, entities, index.needs)
            self._store.put(m.sender, replace(
                state, suggestions=names, choices=tuple(b.payload for b in reply.buttons)))
            return Turn(m.sender, m.text, parse, (reply,), SUGGEST)
        self._store.put(m.sender, replace(state, suggestions=(), choices=()))
        talk = self._small_talk(m)
        if talk is not None:
            return talk
        new_words = getattr(brain.matcher, "new_words", None)
        missing = new_words(m.message, names_only=True) if new_words is not None else []
        lacking = getattr(brain.matcher, "missing_type", None)
        mentions = getattr(brain.matcher, "mentions", None)  # a word some answer uses
        if not missing and lacking is not None and top >= nlu.rephrase_threshold:
            # "which city is it in" against an answer naming a country: understood, but
            # the sources do not say
            gap = lacking(m.message, ranking[0].name)
            if gap and mentions is not None and m.utterance is not None and mentions(gap) and (
                    gap in count_noun(m.utterance.words) or gap in count_noun(m.utterance.terms)):
                # "how many items ...": another answer counts items; "how many loans",
                # read as "borrowing": an answer says "borrowed"
                gap = None
            missing = [gap] if gap else []
        unanswered = getattr(brain.matcher, "unanswered", None)
        if not missing and unanswered is not None and ranking:
            # "revenue in 2022"; a word another answer uses is not one the sources lack
            missing = [w for w in unanswered(m.message, ranking[0].name)
                       if mentions is None or not mentions(w)]
        if missing:
            reply = say.not_covered(kb, missing, state.turns)
        elif top >= nlu.rephrase_threshold:
            reply = say.rephrase(kb, state.turns)
        else:
            reply = say.fallback(kb, state.turns)
        return Turn(m.sender, m.text, parse, (reply,), FALLBACK)

    def _small_talk(self, m: _Message) -> Turn | None:
        """Answer "hi", "thanks", "bye" or "are you a bot" that the knowledge base refuses.

        Only when the knowledge base has no intent of that name (:mod:`bot.dialog.smalltalk`):
        a compiled article knows its facts, not greetings.
        """
        if m.utterance is None:
            return None
        talk = load_small_talk()
        if all(name in m.brain.kb.intents for name in talk.replies):
            return None  # the knowledge base has its own small talk: its matcher read it
        name = talk.match(m.utterance.tokens, self._config.nlu)
        if name is None or name in m.brain.kb.intents:
            return None
        parse = Parse(m.text, IntentScore(name, 1.0), m.ranking[:10], m.entities)
        return Turn(m.sender, m.text, parse, (Reply(talk.replies[name]),), ANSWER)

    def _entities(self, brain: Brain, message: str) -> tuple[Entity, ...]:
        if brain.entities is None:
            return ()
        return tuple(brain.entities.extract(message))

    def _answer(self, brain: Brain, sender: str, text: str, answer: _Answer,
                state: ConversationState) -> Turn:
        """Run what answers ``answer.intent`` and remember it as the topic."""
        kb = brain.kb
        name = answer.intent.name
        parse = Parse(text, answer.intent, answer.ranking[:10], answer.entities)
        state = replace(state, slots=_updated_slots(state.slots, answer.entities, ()))
        seen = parse if answer.message is None else replace(parse, text=answer.message)
        replies, events = self._run_actions(kb, name, sender, seen, state)
        if not replies:  # nothing answers it (a payload naming an intent without answer)
            logger.warning("nothing answers intent %s", name)
            replies = [Reply(ACTION_UNAVAILABLE_TEXT)]
        replies = say.own_polarity(kb, name, seen.text, replies)
        state = replace(state, slots=_updated_slots(state.slots, (), events))
        followups = self._followups(brain, name, state)
        if not replies or replies[-1].buttons:
            followups = ()
        replies = say.with_followups(replies, kb, followups)
        choices = tuple(b.payload for r in replies for b in r.buttons)
        recent = (*[r for r in state.recent if r != name], name)[-RECENT_INTENTS:]
        self._store.put(sender, replace(
            state, last_intent=name, last_text=answer.context, suggestions=(),
            choices=choices, recent=recent,
        ))
        return Turn(sender, text, parse, tuple(replies), ANSWER, tuple(events))

    def _followups(self, brain: Brain, intent: str, state: ConversationState) -> tuple[str, ...]:
        """Return the related intents to offer as buttons under an answer to ``intent``."""
        limit = self._config.dialog.followup_buttons
        if limit <= 0:
            return ()
        related = self._context_index(brain).related(intent)
        fresh = [r for r in related if r not in state.recent]
        return tuple(fresh[:limit])

    def _more(self, m: _Message) -> Turn:
        """Answer "tell me more": the next related intent not yet answered."""
        brain, state = m.brain, m.state
        index = self._context_index(brain)
        last = state.last_intent if state.last_intent in brain.kb.intents else None
        candidates = [n for n in index.more_about(last, state.slots)
                      if n not in state.recent] if last else []
        if candidates:
            chosen = IntentScore(candidates[0], 1.0)
            rest = tuple(s for s in m.ranking if s.name != chosen.name)
            answer = _Answer(chosen, (chosen, *rest)[:10], m.entities,
                             say.context_text(brain.kb, chosen.name))
            return self._answer(brain, m.sender, m.text, answer, state)
        parse = Parse(m.text, IntentScore(FALLBACK_INTENT, 0.0), m.ranking, m.entities)
        self._store.put(m.sender, replace(state, suggestions=(), choices=()))
        return Turn(m.sender, m.text, parse, (say.nothing_more(brain.kb, last),), NOTHING_MORE)

    def _pick_again(self, brain: Brain, sender: str, text: str,
                    state: ConversationState, choice: Choice) -> Turn:
        """Answer a number that picks none of the buttons shown, or an unusable payload."""
        parse = Parse(text, IntentScore(FALLBACK_INTENT, 0.0))
        self._store.put(sender, state)
        buttons = say.buttons_for_payloads(brain.kb, state.choices) if choice.show_choices else ()
        reply = Reply(choice.refusal or "", buttons)
        return Turn(sender, text, parse, (reply,), SUGGEST if choice.show_choices else REJECTED)

    def _run_actions(
        self, kb: KnowledgeBase, intent: str, sender: str, parse: Parse,
        state: ConversationState,
    ) -> tuple[list[Reply], list[dict]]:
        replies: list[Reply] = []
        events: list[dict] = []
        for action in kb.actions_for(intent):
            if action in kb.responses:
                reply = say.response(kb, action, state.turns, state.slots)
                if reply is not None:
                    replies.append(reply)
            elif self._actions is not None:
                try:
                    more, new_events = self._actions.run(action, sender, parse, state)
                except Exception:  # an action must never break a conversation
                    logger.exception("custom action %s failed", action)
                    replies.append(Reply(ACTION_UNAVAILABLE_TEXT))
                    continue
                replies.extend(more)
                events.extend(new_events)
            else:
                logger.warning("no runner for custom action %s", action)
                replies.append(Reply(ACTION_UNAVAILABLE_TEXT))
        return replies, events


def _two_questions(m: _Message) -> tuple[str, str] | None:
    """Return the two questions ``m`` holds ("... and what does he stand for"), or None.

    Split where :func:`bot.nlu.kinds.second_question` finds the second one; the "and"
    between them belongs to neither.
    """
    words = list(m.utterance.words) if m.utterance is not None else []
    start = second_question(words)
    if start is None:
        return None
    return " ".join(words[: start - 1]), " ".join(words[start:])


def _topic(state: ConversationState, kb: KnowledgeBase) -> tuple[str | None, str]:
    """Return the intent a follow-up leans on, and the text it stands for.

    That is the last answer, or the one "did you mean" candidate offered since: "why
    bother building it" after "Did you mean “The AI cloud”?" is about that candidate.
    """
    if len(state.suggestions) == 1 and state.suggestions[0] in kb.intents:
        return state.suggestions[0], say.context_text(kb, state.suggestions[0])
    if state.last_intent and state.last_intent in kb.intents:
        return state.last_intent, state.last_text or ""
    return None, ""


def _updated_slots(
    slots: Mapping[str, object], entities: tuple[Entity, ...], events: list[dict] | tuple
) -> Mapping[str, object]:
    """Fill slots as Rasa does: from entities (slot = entity name), then action events.

    Events: ``slot`` sets one slot (a None value unsets it); ``reset_slots`` and
    ``restart`` clear them all.
    """
    if not entities and not events:
        return slots
    updated = dict(slots)
    updated.update({e.entity: e.value for e in entities})
    for event in events:
        kind = event.get("event")
        if kind == "slot" and isinstance(event.get("name"), str):
            if event.get("value") is None:
                updated.pop(event["name"], None)
            else:
                updated[event["name"]] = event["value"]
        elif kind in ("reset_slots", "restart"):
            updated.clear()
    return MappingProxyType(updated)


def build_brain(kb: KnowledgeBase) -> Brain:
    """Build the matcher, the entity extractor and the context index for ``kb``."""
    from bot.nlu.entities import build_entity_extractor
    from bot.nlu.matcher import build_matcher
    from bot.nlu.semantic import with_semantic

    return Brain(kb=kb, matcher=with_semantic(build_matcher(kb), kb),
                 entities=build_entity_extractor(kb), context=ContextIndex(kb))
