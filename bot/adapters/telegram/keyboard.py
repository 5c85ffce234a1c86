"""Buttons as inline keyboards, with ``callback_data`` kept within Telegram's 64 bytes.

A button's payload (``/faq/funding``, as in Rasa) is used as the callback data when it
fits. A longer one is replaced by ``#`` and a hash of the payload; the hash is resolved
through a bounded in-memory table, and failing that (after a restart) by hashing every
intent of the knowledge base, so old keyboards keep working.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.kb.model import Button

logger = logging.getLogger(__name__)

MAX_CALLBACK_BYTES = 64
MAX_BUTTON_TEXT = 64
MAX_BUTTONS = 50
HASH_PREFIX = "#"


def payload_key(payload: str) -> str:
    """Return the short stand-in for a long payload: ``#`` and 20 hex digits."""
    return HASH_PREFIX + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]


class CallbackCodec:
    """Turns payloads into ``callback_data`` and back.

    Args:
        max_entries: How many long payloads to remember.
    """

    def __init__(self, max_entries: int = 10_000) -> None:
        self._long: OrderedDict[str, str] = OrderedDict()
        self._max = max_entries
        self._lock = threading.Lock()

    def encode(self, payload: str) -> str:
        """Return ``payload`` itself if it fits in 64 bytes, else its short key."""
        if len(payload.encode("utf-8")) <= MAX_CALLBACK_BYTES and not payload.startswith(
            HASH_PREFIX
        ):
            return payload
        key = payload_key(payload)
        with self._lock:
            self._long[key] = payload
            self._long.move_to_end(key)
            while len(self._long) > self._max:
                self._long.popitem(last=False)
        return key

    def decode(self, data: str, candidates: Iterable[str] = ()) -> str | None:
        """Return the payload behind ``data``; None for an unknown short key.

        Args:
            data: The ``callback_data`` Telegram sent back.
            candidates: Payloads to try when a short key is not in memory (e.g. every
                ``/intent`` of the knowledge base).
        """
        if not data.startswith(HASH_PREFIX):
            return data
        with self._lock:
            found = self._long.get(data)
        if found is not None:
            return found
        for payload in candidates:
            if payload_key(payload) == data:
                return payload
        return None


def _label(title: str) -> str:
    title = " ".join(title.split()) or "?"
    return title if len(title) <= MAX_BUTTON_TEXT else title[: MAX_BUTTON_TEXT - 1] + "\u2026"


def inline_keyboard(
    buttons: Sequence[Button], codec: CallbackCodec
) -> InlineKeyboardMarkup | None:
    """Return one button per row, or None when there are no buttons.

    Button texts are plain (Telegram does not parse markup in them); payloads become
    ``callback_data`` through ``codec``.
    """
    if not buttons:
        return None
    rows = [
        [InlineKeyboardButton(_label(b.title), callback_data=codec.encode(b.payload))]
        for b in buttons[:MAX_BUTTONS]
    ]
    if len(buttons) > MAX_BUTTONS:
        logger.warning("keeping %d of %d buttons", MAX_BUTTONS, len(buttons))
    return InlineKeyboardMarkup(rows)
