"""The update ledger: which Telegram updates were accepted, and which are finished.

Every update is added when it arrives (before Telegram is told it was received: the next
``getUpdates`` offset, or the webhook's HTTP 200), and finished once answered. So:

- an update Telegram sends again (a redelivered batch, a retried webhook POST) is seen
  to be known and is not answered twice;
- an update accepted but not finished when the process died is still in the ledger, and
  the next start of the same consumer (``owner``) answers it.

Finished ids are kept for a day (Telegram keeps undelivered updates at most 24 hours).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

NEW = "new"
PENDING = "pending"
DONE = "done"
KEEP_SECONDS = 24 * 3600.0


class UpdateLedger(Protocol):
    """Accepted and finished update ids, with the accepted updates themselves."""

    def add(self, update_id: int, raw: dict[str, Any], owner: str) -> str:
        """Record an arriving update; return ``new``, or ``pending``/``done`` if known."""
        ...

    def finish(self, update_id: int) -> None:
        """Mark an update answered."""
        ...

    def unfinished(self, owner: str) -> list[dict[str, Any]]:
        """Return ``owner``'s accepted, unfinished updates, oldest first."""
        ...


class MemoryLedger:
    """A ledger in process memory: de-duplicates, but does not survive a restart.

    Args:
        keep_seconds: How long finished ids are remembered.
        clock: Wall clock in seconds.
    """

    def __init__(self, keep_seconds: float = KEEP_SECONDS,
                 clock: Callable[[], float] = time.time) -> None:
        self._status: dict[int, tuple[str, float]] = {}
        self._pending: dict[int, tuple[str, dict[str, Any]]] = {}
        self._lock = threading.Lock()
        self._keep = keep_seconds
        self._clock = clock

    def add(self, update_id: int, raw: dict[str, Any], owner: str) -> str:
        """Record an arriving update; return ``new``, or ``pending``/``done`` if known."""
        with self._lock:
            known = self._status.get(update_id)
            if known is not None:
                return known[0]
            self._status[update_id] = (PENDING, self._clock())
            self._pending[update_id] = (owner, raw)
            return NEW

    def finish(self, update_id: int) -> None:
        """Mark an update answered, forgetting finished ids older than a day."""
        with self._lock:
            now = self._clock()
            self._status[update_id] = (DONE, now)
            self._pending.pop(update_id, None)
            if len(self._status) > 10_000:
                for key in [k for k, (s, t) in self._status.items()
                            if s == DONE and t < now - self._keep]:
                    del self._status[key]

    def unfinished(self, owner: str) -> list[dict[str, Any]]:
        """Return ``owner``'s accepted, unfinished updates, oldest first."""
        with self._lock:
            return [raw for key, (who, raw) in sorted(self._pending.items()) if who == owner]
