"""Outgoing flood limits and retries, as a python-telegram-bot ``BaseRateLimiter``.

Every Bot API call goes through a rate limiter, so this is where a call that failed is
sent again. Telegram asks bots to send about one message a second per chat (short bursts
are tolerated), at most 20 messages a minute per group, and about 30 messages a second
overall; beyond that it answers 429 with ``retry_after``. This limiter spaces messages
to stay within those limits (sliding windows, no extra dependency); when a 429 comes
anyway, it pauses that chat for ``retry_after`` seconds and sends the message again.
Other transient failures (5xx, closed connections) are retried with backoff as
:mod:`bot.adapters.telegram.retry` decides, within its time budget.

Only requests that post a message count against the windows; chat actions ("typing")
and callback answers pass straight through and are never retried, being cosmetic.
``getUpdates`` is not retried here either: the updater's own loop polls again.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import logging
import random
import time
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram.error import RetryAfter, TelegramError
from telegram.ext import BaseRateLimiter

from bot.adapters.telegram.retry import RetryPolicy, describe, is_transient

logger = logging.getLogger(__name__)

_NOT_COUNTED = frozenset({"sendChatAction"})
_NEVER_RETRIED = frozenset({"sendChatAction", "answerCallbackQuery", "getUpdates"})


@dataclass(frozen=True)
class FloodLimits:
    """Limits as ``(messages, seconds)`` windows; a window with 0 messages is off.

    Attributes:
        per_chat: Messages per window in one chat (3 per 3 s: about 1/s, bursts of 3).
        per_group: Messages per window in one group or channel (20 a minute).
        overall: Messages per window for the whole bot (30 a second).
        max_retries: How often one request is sent again after a 429.
        max_retry_wait: A 429 asking to wait longer than this (seconds) is not retried.
        retry: Backoff and time budget for 5xx answers and connection failures.
    """

    per_chat: tuple[int, float] = (3, 3.0)
    per_group: tuple[int, float] = (20, 60.0)
    overall: tuple[int, float] = (30, 1.0)
    max_retries: int = 3
    max_retry_wait: float = 300.0
    retry: RetryPolicy = RetryPolicy()


class SlidingWindow:
    """At most ``max_events`` events in any ``period`` seconds."""

    __slots__ = ("_events", "max_events", "period")

    def __init__(self, max_events: int, period: float) -> None:
        self.max_events = max_events
        self.period = period
        self._events: deque[float] = deque()

    def delay(self, now: float) -> float:
        """Return how long to wait before the next event is allowed (0 if now)."""
        while self._events and self._events[0] <= now - self.period:
            self._events.popleft()
        if len(self._events) < self.max_events:
            return 0.0
        return self._events[0] + self.period - now

    def record(self, now: float) -> None:
        """Count an event at ``now``."""
        self._events.append(now)

    def idle(self, now: float) -> bool:
        """Return whether the window holds no recent event (safe to forget)."""
        return not self._events or self._events[-1] <= now - self.period


def retry_after_seconds(exc: RetryAfter) -> float:
    """Return the wait a 429 asked for, in seconds."""
    value = getattr(exc, "_retry_after", None)
    if value is None:
        value = exc.retry_after
    if isinstance(value, dtm.timedelta):
        return value.total_seconds()
    return float(value)


class FloodLimiter(BaseRateLimiter[int]):
    """Spaces outgoing messages per chat, per group and overall; waits out 429s.

    The optional ``rate_limit_args`` of a bot call overrides ``max_retries``.

    Args:
        limits: The windows and retry policy.
        clock: Monotonic clock in seconds (for tests).
        rng: Source of the backoff jitter (seeded by tests).
    """

    def __init__(
        self, limits: FloodLimits | None = None, clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        self.limits = limits or FloodLimits()
        self._clock = clock
        self._rng = rng or random.Random()
        self._overall = self._window(self.limits.overall)
        self._chats: dict[object, SlidingWindow] = {}
        self._groups: dict[object, SlidingWindow] = {}
        self._paused_until: dict[object, float] = {}

    @staticmethod
    def _window(spec: tuple[int, float]) -> SlidingWindow | None:
        count, period = spec
        return SlidingWindow(count, period) if count > 0 and period > 0 else None

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    def _windows(self, chat_id: object) -> list[SlidingWindow]:
        now = self._clock()
        if len(self._chats) > 4096:
            for store in (self._chats, self._groups):
                for key in [k for k, w in store.items() if w.idle(now)]:
                    del store[key]
        windows = [w for w in (self._overall,) if w is not None]
        if chat_id is None:
            return windows
        chat = self._chats.get(chat_id) or self._window(self.limits.per_chat)
        if chat is not None:
            self._chats[chat_id] = chat
            windows.append(chat)
        if _is_group(chat_id):
            group = self._groups.get(chat_id) or self._window(self.limits.per_group)
            if group is not None:
                self._groups[chat_id] = group
                windows.append(group)
        return windows

    async def _acquire(self, chat_id: object, counted: bool) -> None:
        """Wait for a pause on the chat to end, then for room in every window."""
        while True:
            now = self._clock()
            wait = max(self._paused_until.get(chat_id, 0.0), self._paused_until.get(None, 0.0))
            wait -= now
            windows = self._windows(chat_id) if counted else []
            wait = max([wait, *(w.delay(now) for w in windows)])
            if wait <= 0:
                for window in windows:
                    window.record(now)
                return
            await asyncio.sleep(wait)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict]:
        """Send one request within the limits; retry after a 429 or a transient failure."""
        chat_id = _chat_key(data.get("chat_id"))
        counted = chat_id is not None and endpoint not in _NOT_COUNTED
        never = endpoint in _NEVER_RETRIED
        retries = 0 if never else self.limits.max_retries
        if rate_limit_args is not None:
            retries = rate_limit_args
        policy = self.limits.retry
        deadline = self._clock() + policy.budget
        flood_waits = failures = 0
        while True:
            await self._acquire(chat_id, counted)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                wait = retry_after_seconds(exc)
                if flood_waits >= retries or wait > self.limits.max_retry_wait:
                    raise
                flood_waits += 1
                logger.warning(
                    "429 from Telegram on %s: waiting %.1f s before retry %d of %d",
                    endpoint, wait, flood_waits, retries,
                )
                self._paused_until[chat_id] = max(
                    self._paused_until.get(chat_id, 0.0), self._clock() + wait + 0.05
                )
            except TelegramError as exc:
                if never or not is_transient(endpoint, exc):
                    raise
                wait = policy.delay(failures, self._rng)
                if self._clock() + wait > deadline:
                    logger.error("%s failed for %.0f s, giving up: %s", endpoint,
                                 policy.budget, describe(exc))
                    raise
                failures += 1
                logger.warning("%s failed (%s): retry %d in %.2f s", endpoint, describe(exc),
                               failures, wait)
                await asyncio.sleep(wait)


def _chat_key(chat_id: object) -> object:
    """Return an int chat id when it is one, else the ``@username`` string (or None)."""
    if chat_id is None:
        return None
    try:
        return int(chat_id)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return str(chat_id)


def _is_group(chat_id: object) -> bool:
    """Groups, supergroups and channels have negative ids (or ``@username``)."""
    return isinstance(chat_id, str) or (isinstance(chat_id, int) and chat_id < 0)
