"""Drive the real python-telegram-bot application against :class:`FakeBotApi`.

``Updates`` builds updates as Telegram sends them (with the entities Telegram would add);
``BotRunner`` runs ``bot.adapters.telegram.app.serve`` in a thread with its own event
loop, so a test can push updates and wait for the bot's API calls synchronously.
"""

from __future__ import annotations

import asyncio
import itertools
import re
import threading
import time
from typing import Any

from telegram.ext import Application

from bot.adapters.telegram.app import WebhookOptions, serve

_COMMAND = re.compile(r"^/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?")
_MENTION = re.compile(r"@[A-Za-z0-9_]{5,32}")


def _u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def entities_for(text: str) -> list[dict[str, Any]]:
    """Return the ``bot_command`` and ``mention`` entities Telegram would attach."""
    found = []
    command = _COMMAND.match(text)
    if command:
        found.append({"type": "bot_command", "offset": 0, "length": _u16(command.group())})
    for mention in _MENTION.finditer(text):
        if command and mention.start() < command.end():
            continue
        found.append({"type": "mention", "offset": _u16(text[: mention.start()]),
                      "length": _u16(mention.group())})
    return found


class Updates:
    """Builds update payloads (without ``update_id``; the server assigns it)."""

    def __init__(self) -> None:
        self._message_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)

    @staticmethod
    def user(user_id: int) -> dict[str, Any]:
        """A human user."""
        return {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}

    @staticmethod
    def chat(chat_id: int, chat_type: str | None = None) -> dict[str, Any]:
        """A private chat for positive ids, else a supergroup."""
        kind = chat_type or ("private" if chat_id > 0 else "supergroup")
        if kind == "private":
            return {"id": chat_id, "type": kind, "first_name": f"User{chat_id}"}
        return {"id": chat_id, "type": kind, "title": "Test group"}

    def message(self, chat_id: int, text: str | None = None, user_id: int | None = None,
                edited: bool = False, reply_to: dict[str, Any] | None = None,
                **content: Any) -> dict[str, Any]:
        """A (possibly edited) message; ``content`` adds e.g. ``sticker=...``."""
        user_id = user_id if user_id is not None else abs(chat_id)
        message: dict[str, Any] = {
            "message_id": next(self._message_ids), "from": self.user(user_id),
            "chat": self.chat(chat_id), "date": int(time.time()), **content,
        }
        if text is not None:
            message["text"] = text
            entities = entities_for(text)
            if entities:
                message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        if edited:
            message["edit_date"] = int(time.time())
            return {"edited_message": message}
        return {"message": message}

    def callback(self, chat_id: int, data: str, user_id: int | None = None,
                 message: dict[str, Any] | None = None) -> dict[str, Any]:
        """A button press on ``message`` (a message the bot sent)."""
        user_id = user_id if user_id is not None else abs(chat_id)
        message = message or {"message_id": 999, "chat": self.chat(chat_id),
                              "date": int(time.time()), "text": "buttons"}
        return {"callback_query": {"id": str(next(self._callback_ids)),
                                   "from": self.user(user_id), "chat_instance": "1",
                                   "data": data, "message": message}}

    def bot_message(self, chat_id: int, bot: dict[str, Any], text: str = "An answer.",
                    message_id: int = 5000) -> dict[str, Any]:
        """A message the bot sent in ``chat_id`` (to reply to, or to press a button on)."""
        return {"message_id": message_id, "from": bot, "chat": self.chat(chat_id),
                "date": int(time.time()), "text": text}


class BotRunner:
    """Runs the application in a background thread until :meth:`stop`.

    Args:
        app: From ``build_application``.
        webhook: Webhook options, or None for long polling.
        poll_timeout: Long-polling timeout in seconds.
    """

    def __init__(self, app: Application, webhook: WebhookOptions | None = None,
                 poll_timeout: float = 1.0) -> None:
        self.app = app
        self.webhook = webhook
        self.poll_timeout = poll_timeout
        self.error: BaseException | None = None
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._main, daemon=True)

    def _main(self) -> None:
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        self._ready.set()
        try:
            await serve(self.app, self._stop, self.webhook, self.poll_timeout)
        except BaseException as exc:  # reported by stop()
            self.error = exc

    def start(self) -> BotRunner:
        """Start the thread."""
        self._thread.start()
        self._ready.wait(5)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the bot to stop and wait for it; re-raise what it died of, if anything."""
        if self._loop is not None and self._stop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout)
        assert not self._thread.is_alive(), "bot did not stop in time"
        if self.error is not None:
            raise self.error

    def __enter__(self) -> BotRunner:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
