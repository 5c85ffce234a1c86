"""Updates accepted exactly once: persisted on arrival, finished once answered.

python-telegram-bot hands every update, polled or posted to the webhook, to
``Application.update_queue.put``; and only after that put returns does it tell Telegram
the update was received (the next ``getUpdates`` offset, or the webhook's HTTP 200).
:class:`JournalQueue` is that queue: its ``put`` first adds the update to the ledger of
the state store, and drops updates the ledger already knows (a redelivered batch, a
retried POST). The update processor calls :meth:`Inbox.finish` once an update is
answered; at start-up :meth:`Inbox.replay` queues what a previous run of the same
consumer accepted but never finished (it was killed while they waited).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from telegram import Bot, Update

from bot.state.ledger import DONE, NEW, UpdateLedger

logger = logging.getLogger(__name__)

RETRY_SECONDS = 1.0
T = TypeVar("T")


class Inbox:
    """One consumer's view of the ledger.

    Ledger calls run in a thread of their own, so accepting an update never waits behind
    the engine's work in the default thread pool.

    Args:
        ledger: Where accepted and finished ids are kept.
        owner: This consumer's stable name (a restart of it replays its unfinished updates).
    """

    def __init__(self, ledger: UpdateLedger, owner: str) -> None:
        self.ledger = ledger
        self.owner = owner
        self.duplicates = 0
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ledger")

    async def _call(self, function: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, function,
                                                                 *args)

    async def accept(self, update: Update) -> bool:
        """Persist ``update``; return False when it was already accepted or answered.

        An update accepted but unfinished belongs to the consumer that accepted it (this
        one's earlier run replays it at start; another replica's, when it restarts), so
        only a new one is taken.
        """
        raw = json.loads(update.to_json())
        status = await self._call(self.ledger.add, update.update_id, raw, self.owner)
        if status == NEW:
            return True
        self.duplicates += 1
        logger.info("update %s was already %s; not answered again", update.update_id,
                    "answered" if status == DONE else "accepted")
        return False

    async def finish(self, update: object) -> None:
        """Mark ``update`` answered (never raises: it is logged)."""
        if not isinstance(update, Update):
            return
        try:
            await self._call(self.ledger.finish, update.update_id)
        except Exception:
            logger.exception("could not mark update %s answered", update.update_id)

    async def unfinished(self, bot: Bot) -> list[Update]:
        """Return this consumer's updates accepted by an earlier run but never answered."""
        found = []
        for raw in await self._call(self.ledger.unfinished, self.owner):
            try:
                update = Update.de_json(raw, bot)
            except Exception:  # a malformed row must not stop the bot
                logger.exception("accepted update %s is unreadable; skipped",
                                 raw.get("update_id") if isinstance(raw, dict) else "?")
                continue
            found.append(update)
        return found


class JournalQueue(asyncio.Queue):
    """``Application.update_queue`` that accepts each update in the :class:`Inbox` first.

    Args:
        inbox: The inbox.
        wait_for_store: When the store fails, keep trying (long polling: the updater
            waits, and Telegram keeps the update); otherwise raise (a webhook then
            answers 500 and Telegram sends the update again).
    """

    def __init__(self, inbox: Inbox, wait_for_store: bool = True) -> None:
        super().__init__()
        self.inbox = inbox
        self.wait_for_store = wait_for_store

    async def put(self, item: Any) -> None:
        """Queue ``item`` unless it is an update already accepted or answered."""
        if isinstance(item, Update):
            while True:
                try:
                    fresh = await self.inbox.accept(item)
                    break
                except Exception:
                    if not self.wait_for_store:
                        logger.exception("could not accept update %s", item.update_id)
                        raise
                    logger.exception("could not accept update %s; trying again in %.0f s",
                                     item.update_id, RETRY_SECONDS)
                    await asyncio.sleep(RETRY_SECONDS)
            if not fresh:
                return
        await super().put(item)

    async def requeue(self, updates: list[Update]) -> None:
        """Queue updates replayed from the inbox (already accepted)."""
        for update in updates:
            await super().put(update)
