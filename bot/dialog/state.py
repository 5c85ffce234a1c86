"""Per-sender conversation state behind a small store interface."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Protocol


@dataclass(frozen=True)
class ConversationState:
    """What the bot remembers of one sender's conversation.

    Attributes:
        last_intent: The last intent answered (the current topic).
        last_text: The text ``last_intent`` was answered for: the message, both messages
            when it was a follow-up read with the previous one, or an example of the
            intent when it was picked by a button.
        suggestions: Intents offered as "did you mean" on the last turn.
        slots: Slot values set by entities and custom actions.
        turns: Messages handled so far.
        choices: Payloads of the buttons shown on the last turn, in order, entities
            included (``/ask_invested{"investor":"Cisco"}``); typing a number ``n`` sends
            the ``n``-th one.
        recent: Intents answered lately, oldest first (so "tell me more" moves on).
    """

    last_intent: str | None = None
    last_text: str | None = None
    suggestions: tuple[str, ...] = ()
    slots: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    turns: int = 0
    choices: tuple[str, ...] = ()
    recent: tuple[str, ...] = ()


class StateStore(Protocol):
    """Keeps one :class:`ConversationState` per sender."""

    def get(self, sender: str) -> ConversationState:
        """Return the sender's state (a fresh one if unknown)."""
        ...

    def put(self, sender: str, state: ConversationState) -> None:
        """Store the sender's state."""
        ...


class InMemoryStateStore:
    """A thread-safe store in process memory, bounded to ``max_senders`` senders."""

    def __init__(self, max_senders: int = 100_000) -> None:
        self._states: dict[str, ConversationState] = {}
        self._lock = threading.Lock()
        self._max = max_senders

    def get(self, sender: str) -> ConversationState:
        """Return the sender's state (a fresh one if unknown)."""
        with self._lock:
            return self._states.get(sender, ConversationState())

    def put(self, sender: str, state: ConversationState) -> None:
        """Store the sender's state, forgetting the least recently stored when full."""
        with self._lock:
            self._states.pop(sender, None)
            self._states[sender] = state
            while len(self._states) > self._max:
                self._states.pop(next(iter(self._states)))
