"""Conversation state and the update ledger on Redis, shared by several bot processes.

Keys (``PREFIX`` is ``faqbot:``): ``state:<sender>`` holds a conversation as JSON and
expires after the idle time (Redis does the expiry); ``update:<id>`` holds
``pending:<owner>`` or ``done`` for a day; ``inbox:<owner>`` is a hash of the accepted,
unfinished updates of one consumer. Adding an update is one atomic script, so two
replicas never both accept it. The ``redis`` package is imported only when this store is used.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from bot.dialog.state import DEFAULT_IDLE_SECONDS, ConversationState
from bot.state.codec import decode_state, encode_state
from bot.state.ledger import DONE, KEEP_SECONDS, NEW

logger = logging.getLogger(__name__)

PREFIX = "faqbot:"
_ADD = """
if redis.call('SET', KEYS[1], 'pending:' .. ARGV[4], 'NX', 'EX', ARGV[1]) then
  redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
  return 'new'
end
return redis.call('GET', KEYS[1])
"""


def connect(url: str) -> Any:
    """Return a client for ``redis://HOST:PORT/DB`` after checking the server answers.

    Raises:
        RuntimeError: When the ``redis`` package is missing or the server cannot be reached.
    """
    try:
        import redis
    except ImportError:
        raise RuntimeError("the Redis state store needs the 'redis' package "
                           "(pip install redis)") from None
    client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5,
                                  health_check_interval=30)
    try:
        client.ping()
    except redis.RedisError as exc:
        raise RuntimeError(f"cannot reach Redis at {url}: {exc}") from None
    return client


class RedisStateStore:
    """:class:`bot.dialog.state.StateStore` on Redis.

    Args:
        client: A ``redis.Redis`` client.
        idle_seconds: Conversations idle longer expire (0: never).
    """

    def __init__(self, client: Any, idle_seconds: float = DEFAULT_IDLE_SECONDS) -> None:
        self.client = client
        self._idle = idle_seconds

    def get(self, sender: str) -> ConversationState:
        """Return the sender's state (a fresh one if unknown or expired)."""
        raw = self.client.get(f"{PREFIX}state:{sender}")
        return ConversationState() if raw is None else decode_state(raw, sender)

    def put(self, sender: str, state: ConversationState) -> None:
        """Store the sender's state, expiring after the idle time."""
        expiry = max(1, round(self._idle)) if self._idle > 0 else None
        self.client.set(f"{PREFIX}state:{sender}", encode_state(state), ex=expiry)


class RedisLedger:
    """:class:`bot.state.ledger.UpdateLedger` on Redis.

    Args:
        client: A ``redis.Redis`` client.
        keep_seconds: How long update ids are remembered.
    """

    def __init__(self, client: Any, keep_seconds: float = KEEP_SECONDS) -> None:
        self.client = client
        self._keep = max(1, round(keep_seconds))
        self._add = client.register_script(_ADD)

    def add(self, update_id: int, raw: dict[str, Any], owner: str) -> str:
        """Record an arriving update; return ``new``, or ``pending``/``done`` if known."""
        result = self._add(keys=[f"{PREFIX}update:{int(update_id)}", f"{PREFIX}inbox:{owner}"],
                           args=[self._keep, int(update_id), json.dumps(raw), owner])
        text = result.decode() if isinstance(result, bytes) else str(result or NEW)
        return text.split(":", 1)[0]

    def finish(self, update_id: int) -> None:
        """Mark an update answered and take it out of its owner's inbox."""
        key = int(update_id)
        status = self.client.get(f"{PREFIX}update:{key}")
        status = status.decode() if isinstance(status, bytes) else str(status or "")
        pipe = self.client.pipeline(transaction=True)
        pipe.set(f"{PREFIX}update:{key}", DONE, ex=self._keep)
        if status.startswith("pending:"):
            pipe.hdel(f"{PREFIX}inbox:{status.split(':', 1)[1]}", key)
        pipe.execute()

    def unfinished(self, owner: str) -> list[dict[str, Any]]:
        """Return ``owner``'s accepted, unfinished updates, oldest first."""
        entries = self.client.hgetall(f"{PREFIX}inbox:{owner}")
        found = []
        for key, raw in sorted(entries.items(), key=lambda item: int(item[0])):
            try:
                found.append(json.loads(raw))
            except ValueError:
                logger.warning("accepted update %s is unreadable; skipped", key)
        return found
