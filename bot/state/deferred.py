"""Conversation state written only once the turn's answer has gone out.

The engine stores a sender's new state while it handles the message, before the adapter
sends the answer. If the process dies in between, the update is answered again after the
restart (see :mod:`bot.adapters.telegram.inbox`), and it must then be answered from the
state the user last saw, not from the state of an answer that never arrived. This wrapper
keeps the engine's writes in memory (reads see them) until :meth:`commit` writes them.
"""

from __future__ import annotations

import threading

from bot.dialog.state import ConversationState, StateStore


class DeferredStateStore:
    """A :class:`~bot.dialog.state.StateStore` whose writes wait for :meth:`commit`.

    Args:
        store: Where committed states go.
    """

    def __init__(self, store: StateStore) -> None:
        self.store = store
        self._pending: dict[str, ConversationState] = {}
        self._lock = threading.Lock()

    def get(self, sender: str) -> ConversationState:
        """Return the sender's latest state, committed or not."""
        with self._lock:
            pending = self._pending.get(sender)
        return pending if pending is not None else self.store.get(sender)

    def put(self, sender: str, state: ConversationState) -> None:
        """Keep the sender's new state until :meth:`commit`."""
        with self._lock:
            self._pending[sender] = state

    def commit(self, sender: str) -> None:
        """Write the sender's pending state to the store (nothing if none)."""
        with self._lock:
            state = self._pending.get(sender)
        if state is None:
            return
        self.store.put(sender, state)
        with self._lock:
            if self._pending.get(sender) is state:
                del self._pending[sender]
