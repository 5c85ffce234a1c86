"""Per-sender conversation state behind a small store interface.

Stores forget a conversation that has been idle longer than their ``idle_seconds``: its
next message starts afresh, as if from a new sender. Durable stores (SQLite, Redis) live in
:mod:`bot.state`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Protocol

DEFAULT_IDLE_SECONDS = 30 * 60.0


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
        """Return the sender's state (a fresh one if unknown or expired)."""
        ...

    def put(self, sender: str, state: ConversationState) -> None:
        """Store the sender's state."""
        ...


def is_expired(stored_at: float, now: float, idle_seconds: float) -> bool:
    """Return whether a state stored at ``stored_at`` has been idle too long at ``now``."""
    return idle_seconds > 0 and now - stored_at > idle_seconds


class InMemoryStateStore:
    """A thread-safe store in process memory, bounded to ``max_senders`` senders.

    Args:
        max_senders: The least recently stored senders beyond this are forgotten.
        idle_seconds: A state not stored again for this long is forgotten (0: never).
        clock: Wall clock in seconds (injected by tests).
    """

    def __init__(self, max_senders: int = 100_000,
                 idle_seconds: float = DEFAULT_IDLE_SECONDS,
                 clock: Callable[[], float] = time.time) -> None:
        self._states: dict[str, tuple[ConversationState, float]] = {}
        self._lock = threading.Lock()
        self._max = max_senders
        self._idle = idle_seconds
        self._clock = clock

    def get(self, sender: str) -> ConversationState:
        """Return the sender's state (a fresh one if unknown or expired)."""
        with self._lock:
            found = self._states.get(sender)
            if found is None:
                return ConversationState()
            state, stored_at = found
            if is_expired(stored_at, self._clock(), self._idle):
                del self._states[sender]
                return ConversationState()
            return state

    def put(self, sender: str, state: ConversationState) -> None:
        """Store the sender's state, forgetting the least recently stored when full."""
        with self._lock:
            self._states.pop(sender, None)
            self._states[sender] = (state, self._clock())
            while len(self._states) > self._max:
                self._states.pop(next(iter(self._states)))
