"""Which failed Bot API calls are sent again, and how long to wait before each try.

The Bot API has bad moments: 5xx answers, connections closed before an answer, 429 flood
waits. A call that failed that way is sent again with exponential backoff and jitter
until a time budget (about a minute) is spent; 4xx answers other than 429 are final.

A read timeout is the one ambiguous case: the request reached Telegram and the answer
did not come back in time, so the message may well have been delivered. Sending it again
risks a duplicate answer; so a *message* (``send*``, ``copyMessage``, ...) that timed out
while waiting for the answer is not sent again and is counted as delivered. Calls that
change nothing twice (``getMe``, ``setMyCommands``, ``setWebhook``, chat actions...) are
retried on every timeout, and so is any call whose connection or pool timed out (it
was never sent).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import httpx
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

# Calls that post something a user sees: a second copy would be a visible duplicate.
_POSTING_PREFIXES = ("send", "copyMessage", "forwardMessage")
_IDEMPOTENT_SENDS = frozenset({"sendChatAction"})


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded exponential backoff with jitter.

    Attributes:
        first_delay: Wait before the first retry, in seconds (doubled each time).
        max_delay: Longest single wait.
        budget: Total time, from the first try, after which a call is given up.
    """

    first_delay: float = 0.5
    max_delay: float = 10.0
    budget: float = 60.0

    def delay(self, retry: int, rng: random.Random) -> float:
        """Return the wait before retry number ``retry`` (0-based): half fixed, half random."""
        step = min(self.max_delay, self.first_delay * 2 ** min(retry, 30))
        return step / 2 + rng.uniform(0, step / 2)


def posts_a_message(endpoint: str) -> bool:
    """Return whether ``endpoint`` posts something a user sees (not safe to repeat)."""
    return endpoint.startswith(_POSTING_PREFIXES) and endpoint not in _IDEMPOTENT_SENDS


def never_sent(exc: TimedOut) -> bool:
    """Return whether a timeout happened before the request went out."""
    return isinstance(exc.__cause__, httpx.ConnectTimeout | httpx.PoolTimeout) or (
        "Pool timeout" in str(exc))


def maybe_delivered(endpoint: str, exc: BaseException) -> bool:
    """Return whether ``exc`` leaves it open that a message of ``endpoint`` went out."""
    return isinstance(exc, TimedOut) and posts_a_message(endpoint) and not never_sent(exc)


def is_transient(endpoint: str, exc: BaseException) -> bool:
    """Return whether a call of ``endpoint`` that raised ``exc`` should be sent again.

    429 (``RetryAfter``) is handled by the caller, which waits the time Telegram asks.
    """
    if isinstance(exc, BadRequest | Forbidden | InvalidToken | Conflict | ChatMigrated
                  | RetryAfter):
        return False
    if isinstance(exc, TimedOut):
        return not maybe_delivered(endpoint, exc)
    return isinstance(exc, NetworkError)  # 5xx, connection refused, reset or closed


def describe(exc: TelegramError) -> str:
    """A short description of a failure for a log line."""
    return f"{type(exc).__name__}: {exc}"
