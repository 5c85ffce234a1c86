"""Update handlers: commands, text, button presses, non-text messages, errors.

Each handler turns a Telegram update into ``(sender, text)`` for the engine and the
engine's replies into ``sendMessage`` calls. The engine is synchronous; it runs in a
worker thread (``asyncio.to_thread``) because a custom action may wait on the action
server over HTTP, which must not stall the event loop and with it every other chat.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence

from telegram import Message, ReplyParameters, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.adapters.telegram import content
from bot.adapters.telegram.addressing import is_addressed, sender_key, strip_address
from bot.adapters.telegram.content import TOPIC_PREFIX
from bot.adapters.telegram.formatting import escape, to_html_parts
from bot.adapters.telegram.keyboard import CallbackCodec, inline_keyboard
from bot.adapters.telegram.retry import maybe_delivered
from bot.dialog.engine import Engine
from bot.dialog.turn import Reply

logger = logging.getLogger(__name__)

RELOAD_NOT_CONFIGURED = "Reloading is not configured for this bot."
RELOAD_REFUSED = "Sorry, only the bot's administrators can reload the knowledge base."
BUTTONS_ONLY_TEXT = "Choose:"

ReloadCallable = Callable[[], str]


class BotHandlers:
    """The bot's behaviour on Telegram, around one :class:`Engine`.

    Args:
        engine: Answers messages.
        admin_ids: Telegram user ids allowed to ``/reload``.
        reload: Reloads the knowledge base and returns a short status; None if not
            configured. It runs in a worker thread.
        codec: Maps button payloads to ``callback_data``.
        commit_state: Called with the sender once a turn's replies were sent (writes the
            conversation state the engine kept back, in a worker thread).
    """

    def __init__(
        self,
        engine: Engine,
        admin_ids: frozenset[int] = frozenset(),
        reload: ReloadCallable | None = None,
        codec: CallbackCodec | None = None,
        commit_state: Callable[[str], None] | None = None,
    ) -> None:
        self.engine = engine
        self.admin_ids = admin_ids
        self.reload_callable = reload
        self.codec = codec or CallbackCodec()
        self.commit_state = commit_state

    # -- sending -------------------------------------------------------------------------

    async def send_replies(
        self,
        context: ContextTypes.DEFAULT_TYPE,
        chat_id: int,
        replies: Sequence[Reply],
        reply_to: Message | None = None,
    ) -> None:
        """Send replies in order: each split within 4096 characters, buttons on its last part.

        Failed sends are retried by the rate limiter. A part whose answer timed out may
        have been delivered: it is counted as sent (never sent twice, never followed by
        an apology) and the next part follows.

        Args:
            context: The handler context (gives the bot).
            chat_id: Where to send.
            replies: The engine's replies.
            reply_to: In groups, the message being answered (the first part quotes it).
        """
        thread_id = reply_to.message_thread_id if reply_to and reply_to.is_topic_message else None
        quote = (
            ReplyParameters(reply_to.message_id, allow_sending_without_reply=True)
            if reply_to is not None and reply_to.chat.type != ChatType.PRIVATE
            else None
        )
        for reply in replies:
            parts = to_html_parts(reply.text)
            if not parts and reply.buttons:
                parts = [escape(BUTTONS_ONLY_TEXT)]
            markup = inline_keyboard(reply.buttons, self.codec)
            for index, part in enumerate(parts):
                try:
                    await context.bot.send_message(
                        chat_id,
                        part,
                        reply_markup=markup if index == len(parts) - 1 else None,
                        message_thread_id=thread_id,
                        reply_parameters=quote,
                    )
                except TelegramError as exc:
                    if not maybe_delivered("sendMessage", exc):
                        raise
                    logger.warning("no answer from Telegram for a message to chat %s in "
                                   "time; it was probably delivered, not sending it again",
                                   chat_id)
                quote = None

    async def _typing(self, context: ContextTypes.DEFAULT_TYPE, chat_id: int,
                      thread_id: int | None = None) -> None:
        try:
            await context.bot.send_chat_action(chat_id, ChatAction.TYPING,
                                               message_thread_id=thread_id)
        except TelegramError as exc:  # cosmetic: never let it cost the answer
            logger.debug("typing action failed in chat %s: %s", chat_id, exc)

    async def answer(
        self, context: ContextTypes.DEFAULT_TYPE, message: Message, sender: str, text: str
    ) -> None:
        """Show "typing", ask the engine, and send its replies in the message's chat."""
        thread_id = message.message_thread_id if message.is_topic_message else None
        await self._typing(context, message.chat_id, thread_id)
        turn = await asyncio.to_thread(self.engine.handle, sender, text)
        logger.debug("chat %s: %s -> %s", message.chat_id, turn.parse.intent.name,
                     turn.decision)
        # "Did you mean" buttons already carry the message's entities (the engine's doing).
        try:
            await self.send_replies(context, message.chat_id, turn.responses,
                                    reply_to=message)
        finally:
            await self._commit(sender)

    async def _commit(self, sender: str) -> None:
        """Store the sender's conversation; a failure is logged, never apologised for.

        It runs once the answer went out (or failed): an apology after a delivered answer
        would tell the user the opposite of what happened.
        """
        if self.commit_state is None:
            return
        try:
            await asyncio.to_thread(self.commit_state, sender)
        except Exception:
            logger.exception("could not store the conversation of %s after answering", sender)

    def _addressed(self, message: Message, context: ContextTypes.DEFAULT_TYPE) -> bool:
        return is_addressed(message, context.bot.username, context.bot.id)

    # -- commands ------------------------------------------------------------------------

    async def _reply(self, update: Update, context: ContextTypes.DEFAULT_TYPE,
                     reply: Reply) -> None:
        """Send one reply to the update's message (quoting it in groups)."""
        message = update.effective_message
        if message is not None:
            await self.send_replies(context, message.chat_id, [reply], reply_to=message)

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Greet and offer a few example questions as buttons."""
        buttons = content.example_questions(self.engine.brain.kb)
        await self._reply(update, context, Reply(content.GREETING, tuple(buttons)))

    async def help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Say what the bot can answer and how to use it."""
        await self._reply(update, context, Reply(content.HELP))

    async def topics(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """List the knowledge base's topics as buttons."""
        buttons = content.topic_buttons(self.engine.brain.kb)
        reply = Reply(content.TOPICS_INTRO, tuple(buttons)) if buttons else Reply(
            content.NO_TOPICS)
        await self._reply(update, context, reply)

    async def reload(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Reload the knowledge base (administrators only)."""
        user = update.effective_user
        if update.effective_message is None:
            return
        if user is None or user.id not in self.admin_ids:
            logger.warning("refused /reload from user %s", user.id if user else None)
            text = RELOAD_REFUSED
        elif self.reload_callable is None:
            text = RELOAD_NOT_CONFIGURED
        else:
            logger.info("reload requested by user %s", user.id)
            try:
                text = await asyncio.to_thread(self.reload_callable)
            except Exception as exc:  # report to the admin, keep the old knowledge base
                logger.exception("reload failed")
                text = f"Reload failed: {exc}"
        await self._reply(update, context, Reply(text))

    # -- messages ------------------------------------------------------------------------

    async def text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Answer a text message (new or edited) when it is addressed to the bot."""
        message = update.effective_message
        if message is None or message.text is None or not self._addressed(message, context):
            return
        user_id = message.from_user.id if message.from_user else None
        text = strip_address(message.text, context.bot.username)
        await self.answer(context, message, sender_key(message.chat_id, user_id), text)

    async def non_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Answer stickers, photos, voice, locations... with a short polite note."""
        message = update.effective_message
        if message is not None and self._addressed(message, context):
            await self._reply(update, context, Reply(content.NON_TEXT))

    async def button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Answer a button press: acknowledge the callback, then reply with the answer."""
        query = update.callback_query
        if query is None:
            return
        kb = self.engine.brain.kb
        payload = self.codec.decode(query.data or "", content.button_payloads(kb))
        message = query.message if isinstance(query.message, Message) else None
        try:
            await query.answer()
        except TelegramError as exc:  # too old to answer: still reply in the chat
            logger.debug("answerCallbackQuery failed: %s", exc)
        if message is None:
            return
        chat_id = message.chat_id
        if payload is None:
            await self.send_replies(context, chat_id, [Reply(content.EXPIRED_BUTTON)])
            return
        if payload.startswith(TOPIC_PREFIX):
            heading, buttons = content.topic_questions(kb, payload[len(TOPIC_PREFIX):])
            reply = Reply(heading, tuple(buttons)) if buttons else Reply(content.EXPIRED_BUTTON)
            await self.send_replies(context, chat_id, [reply])
            return
        await self._typing(context, chat_id)
        sender = sender_key(chat_id, query.from_user.id)
        turn = await asyncio.to_thread(self.engine.handle, sender, payload)
        try:
            await self.send_replies(context, chat_id, turn.responses)
        finally:
            await self._commit(sender)

    # -- errors --------------------------------------------------------------------------

    async def error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log a failed update with its id and apologise to the user where possible."""
        update_id = update.update_id if isinstance(update, Update) else None
        logger.error("error while handling update %s: %s", update_id, context.error,
                     exc_info=context.error)
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            return
        try:
            await context.bot.send_message(chat.id, escape(content.APOLOGY))
        except TelegramError as exc:
            logger.warning("could not apologise in chat %s: %s", chat.id, exc)

