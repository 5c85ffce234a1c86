"""Concurrent update processing that keeps each chat's updates in order.

With python-telegram-bot's default (one update at a time), a chat waiting on its flood
limit would hold up every other chat. This processor runs updates of different chats
concurrently and those of one chat one after the other, so a conversation's context is
never raced and its answers arrive in the order the questions were asked. Once an update
is handled, ``on_done`` is told (the inbox marks it answered).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

logger = logging.getLogger(__name__)


def chat_of(update: object) -> object:
    """Return the key that orders ``update``: its chat id (None if it has no chat)."""
    if isinstance(update, Update):
        chat = update.effective_chat
        if chat is not None:
            return chat.id
        user = update.effective_user
        if user is not None:
            return f"user:{user.id}"
    return None


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Up to ``max_concurrent_updates`` at once; one at a time per chat.

    Args:
        max_concurrent_updates: Updates of different chats handled at once.
        on_done: Awaited with each update once its handlers have run.
    """

    def __init__(self, max_concurrent_updates: int = 64,
                 on_done: Callable[[object], Awaitable[None]] | None = None) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[object, tuple[asyncio.Lock, int]] = {}
        self._on_done = on_done

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Await ``coroutine`` once no earlier update of the same chat is in progress."""
        key = chat_of(update)
        lock, users = self._locks.get(key, (None, 0))
        if lock is None:
            lock = asyncio.Lock()
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                await coroutine
                if self._on_done is not None:
                    await self._on_done(update)
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""
