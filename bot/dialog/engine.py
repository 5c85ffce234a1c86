"""The dialog engine: ``(sender, text) -> Turn``, pure and synchronous."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Protocol

from bot.config import BotConfig
from bot.dialog.decision import ANSWER, FALLBACK, SUGGEST, decide
from bot.dialog.state import ConversationState, InMemoryStateStore, StateStore
from bot.dialog.turn import Reply, Turn
from bot.kb.model import FALLBACK_INTENT, Button, KnowledgeBase
from bot.nlu.parse import EntityExtractor, IntentScore, Matcher, Parse

logger = logging.getLogger(__name__)

DEFAULT_FALLBACK_TEXT = (
    "Sorry, I don't know the answer to that. Type /help to see what I can answer."
)
DEFAULT_SUGGEST_TEXT = "I'm not sure I understood. Did you mean:"
EMPTY_MESSAGE_TEXT = "Please type a question."
ACTION_UNAVAILABLE_TEXT = "Sorry, I can't work that answer out right now. Please try again."


@dataclass(frozen=True)
class Brain:
    """A knowledge base with the indexes built from it; swapped whole on reload."""

    kb: KnowledgeBase
    matcher: Matcher
    entities: EntityExtractor | None = None


class ActionRunner(Protocol):
    """Runs custom actions (``action_*``) for the engine."""

    def run(
        self, action: str, sender: str, parse: Parse, state: ConversationState
    ) -> tuple[list[Reply], list[dict]]:
        """Run ``action`` and return its replies and Rasa events."""
        ...


class Engine:
    """Understands a message, decides, and produces the replies.

    The engine does no I/O of its own: adapters give it text and send what it returns.
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

    @property
    def brain(self) -> Brain:
        """The knowledge base and indexes in use."""
        return self._brain

    def swap(self, brain: Brain) -> None:
        """Replace the knowledge base atomically; messages in flight keep the old one."""
        self._brain = brain

    def handle(self, sender: str, text: str) -> Turn:
        """Answer one message, then tell each listener about the turn.

        Args:
            sender: Conversation key (a user, or a chat and user).
            text: The message.

        Returns:
            The turn: parse, responses and decision.
        """
        turn = self._handle(sender, text)
        for listener in self._listeners:
            try:
                listener(turn)
            except Exception:  # a listener must never break a conversation
                logger.exception("turn listener %r failed", listener)
        return turn

    def _handle(self, sender: str, text: str) -> Turn:
        """Answer one message.

        Args:
            sender: Conversation key (a user, or a chat and user).
            text: The message.

        Returns:
            The turn: parse, responses and decision.
        """
        brain = self._brain
        state = self._store.get(sender)
        message = (text or "").strip()[: self._config.nlu.max_message_chars]
        if not message:
            parse = Parse(text, IntentScore(FALLBACK_INTENT, 0.0))
            return Turn(sender, text, parse, (Reply(EMPTY_MESSAGE_TEXT),), "empty")
        forced = self._forced_intent(brain.kb, message, state)
        ranking = [forced] if forced else brain.matcher.rank(message, limit=10)
        entities = tuple(brain.entities.extract(message)) if brain.entities else ()
        decision = decide(ranking, self._config.nlu)
        state = replace(state, turns=state.turns + 1)
        if decision.kind == ANSWER and decision.intent is not None:
            parse = Parse(text, decision.intent, tuple(ranking), entities)
            replies, events = self._run_actions(brain.kb, decision.intent.name, sender, parse,
                                                state)
            state = replace(state, last_intent=decision.intent.name, last_text=message,
                            suggestions=())
            self._store.put(sender, state)
            return Turn(sender, text, parse, tuple(replies), ANSWER, tuple(events))
        parse = Parse(text, IntentScore(FALLBACK_INTENT, ranking[0].confidence if ranking
                                        else 0.0), tuple(ranking), entities)
        if decision.kind == SUGGEST:
            names = tuple(s.name for s in decision.suggestions)
            buttons = tuple(Button(self.title(brain.kb, n), f"/{n}") for n in names)
            reply = Reply(DEFAULT_SUGGEST_TEXT, buttons)
            self._store.put(sender, replace(state, suggestions=names))
            return Turn(sender, text, parse, (reply,), SUGGEST)
        self._store.put(sender, replace(state, suggestions=()))
        return Turn(sender, text, parse, tuple(self._fallback(brain.kb, state)), FALLBACK)

    @staticmethod
    def title(kb: KnowledgeBase, intent: str) -> str:
        """Return a short human title for an intent (metadata ``title`` or first example)."""
        found = kb.intents.get(intent)
        if found is None:
            return intent
        title = found.metadata.get("title") if found.metadata else None
        if isinstance(title, str) and title:
            return title
        return found.examples[0].text if found.examples else intent

    def _forced_intent(
        self, kb: KnowledgeBase, message: str, state: ConversationState
    ) -> IntentScore | None:
        if message.startswith("/") and message[1:] in kb.intents:
            return IntentScore(message[1:], 1.0)
        if message.isdigit() and state.suggestions:
            index = int(message) - 1
            if 0 <= index < len(state.suggestions):
                return IntentScore(state.suggestions[index], 1.0)
        return None

    def _run_actions(
        self, kb: KnowledgeBase, intent: str, sender: str, parse: Parse,
        state: ConversationState,
    ) -> tuple[list[Reply], list[dict]]:
        replies: list[Reply] = []
        events: list[dict] = []
        for action in kb.actions_for(intent):
            if action in kb.responses:
                variants = kb.responses[action].variants
                variant = variants[state.turns % len(variants)]
                replies.append(Reply(variant.text, variant.buttons))
            elif self._actions is not None:
                more, new_events = self._actions.run(action, sender, parse, state)
                replies.extend(more)
                events.extend(new_events)
            else:
                logger.warning("no runner for custom action %s", action)
                replies.append(Reply(ACTION_UNAVAILABLE_TEXT))
        return replies, events

    def _fallback(self, kb: KnowledgeBase, state: ConversationState) -> list[Reply]:
        response = kb.responses.get("utter_default")
        if response:
            variant = response.variants[state.turns % len(response.variants)]
            return [Reply(variant.text, variant.buttons)]
        return [Reply(DEFAULT_FALLBACK_TEXT)]


def build_brain(kb: KnowledgeBase) -> Brain:
    """Build the matcher (and entity extractor) for ``kb``."""
    from bot.nlu.matcher import build_matcher

    return Brain(kb=kb, matcher=build_matcher(kb))
