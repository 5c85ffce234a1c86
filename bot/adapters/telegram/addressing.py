"""Who a message is for: in groups the bot answers only when addressed.

A group message is addressed to the bot when it is a command for it (``/help`` or
``/help@ourbot``, not ``/help@otherbot``), mentions it (``@ourbot``, or a text mention
of its user), or replies to one of its messages. In a private chat every message is.
"""

from __future__ import annotations

import re

from telegram import Message, MessageEntity
from telegram.constants import ChatType

PRIVATE = ChatType.PRIVATE


def sender_key(chat_id: int, user_id: int | None) -> str:
    """Return the conversation key: one context per chat and user."""
    return f"{chat_id}:{user_id if user_id is not None else chat_id}"


def _entities(message: Message) -> list[tuple[MessageEntity, str]]:
    if message.text is not None:
        return list(message.parse_entities().items())
    if message.caption is not None:
        return list(message.parse_caption_entities().items())
    return []


def is_addressed(message: Message, bot_username: str | None, bot_id: int) -> bool:
    """Return whether ``message`` is meant for the bot.

    Args:
        message: The incoming message.
        bot_username: The bot's username without ``@``.
        bot_id: The bot's user id.
    """
    if message.chat.type == PRIVATE:
        return True
    reply = message.reply_to_message
    if reply is not None and reply.from_user is not None and reply.from_user.id == bot_id:
        return True
    username = (bot_username or "").lower()
    for entity, text in _entities(message):
        if entity.type == MessageEntity.MENTION and username and text[1:].lower() == username:
            return True
        if entity.type == MessageEntity.TEXT_MENTION and entity.user and (
            entity.user.id == bot_id
        ):
            return True
        if entity.type == MessageEntity.BOT_COMMAND and entity.offset == 0:
            _, _, target = text.partition("@")
            if not target or target.lower() == username:
                return True
    return False


def strip_address(text: str, bot_username: str | None) -> str:
    """Remove ``@botname`` mentions (and a ``@botname`` after a command) from ``text``."""
    if not bot_username:
        return text.strip()
    pattern = re.compile(rf"@{re.escape(bot_username)}\b[,:]?", re.IGNORECASE)
    return " ".join(pattern.sub(" ", text).split())
