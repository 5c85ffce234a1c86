"""Wiring: the python-telegram-bot ``Application`` and running it until told to stop.

``build_application`` registers the handlers; ``serve`` runs the application inside the
caller's event loop (``async with app``, as python-telegram-bot's custom webhook example
does) with long polling or a webhook, until an ``asyncio.Event`` is set. The command line
sets that event from SIGTERM and SIGINT, so both shut the bot down cleanly.

With an :class:`~bot.adapters.telegram.inbox.Inbox`, every update is accepted in the
state store before Telegram is told it arrived, answered once, and replayed at the next
start if the process died before answering it.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import signal
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from telegram import BotCommand, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import Conflict, TelegramError
from telegram.ext import (
    Application,
    BaseRateLimiter,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBDeprecationWarning

from bot.adapters.telegram.handlers import BotHandlers, ReloadCallable
from bot.adapters.telegram.inbox import Inbox, JournalQueue
from bot.adapters.telegram.processor import PerChatUpdateProcessor
from bot.adapters.telegram.ratelimit import FloodLimiter, FloodLimits
from bot.adapters.telegram.settings import TelegramSettings
from bot.dialog.engine import Engine

logger = logging.getLogger(__name__)

COMMANDS = (
    BotCommand("start", "Say hello and see example questions"),
    BotCommand("help", "What I can answer"),
    BotCommand("topics", "Browse questions by topic"),
)
# Update kinds the bot handles; others are not even fetched.
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
CONFLICT_MESSAGE = (
    "another process is already polling for this bot's updates (Telegram answered "
    "409 Conflict): only one poller per token can run. Stop the other one, or run "
    "several replicas in webhook mode (--webhook-url) sharing a Redis state store"
)


class PollingConflictError(RuntimeError):
    """A second process polls the same bot token; Telegram allows only one."""


@dataclass(frozen=True)
class WebhookOptions:
    """Where Telegram posts updates and where we listen for them.

    Attributes:
        url: Public HTTPS URL given to ``setWebhook`` (e.g. behind a reverse proxy).
        listen: Local address to bind.
        port: Local port.
        url_path: Local path served; defaults to the URL's path.
        secret: Secret token Telegram sends in ``X-Telegram-Bot-Api-Secret-Token``;
            every request without it is refused with 403.
    """

    url: str
    listen: str = "0.0.0.0"
    port: int = 8443
    url_path: str | None = None
    secret: str | None = None

    @property
    def path(self) -> str:
        """The local path, without a leading slash."""
        path = self.url_path if self.url_path is not None else urlsplit(self.url).path
        return path.strip("/")


def build_application(
    engine: Engine,
    settings: TelegramSettings,
    reload: ReloadCallable | None = None,
    limits: FloodLimits | None = None,
    max_concurrent_updates: int = 64,
    inbox: Inbox | None = None,
    read_timeout: float | None = None,
    commit_state: Callable[[str], None] | None = None,
    rate_limiter: BaseRateLimiter | None = None,
) -> Application:
    """Build the application: bot, defaults, rate limiter and handlers.

    Args:
        engine: Answers messages.
        settings: Token, Bot API base URL, administrators.
        reload: Optional knowledge-base reload for ``/reload`` (returns a status line).
        limits: Outgoing flood limits and retry policy (Telegram's limits by default).
        max_concurrent_updates: Updates of different chats processed at once.
        inbox: Accepts each update once and replays unfinished ones (None: no ledger).
        read_timeout: Seconds to wait for the Bot API's answer (python-telegram-bot's
            default when None).
        commit_state: Writes a sender's conversation state once its answer was sent
            (``DeferredStateStore.commit``), or None when the engine writes at once.
        rate_limiter: Another rate limiter instead of :class:`FloodLimiter` with ``limits``
            (the benchmark compares python-telegram-bot's ``AIORateLimiter``).

    Returns:
        The application, not yet initialised.
    """
    # python-telegram-bot warns about its own RetryAfter.retry_after on every 429.
    warnings.filterwarnings("ignore", message=".*retry_after.*",
                            category=PTBDeprecationWarning)
    builder = (
        Application.builder()
        .token(settings.token)
        .defaults(Defaults(parse_mode=ParseMode.HTML,
                           link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .rate_limiter(rate_limiter or FloodLimiter(limits))
        .concurrent_updates(PerChatUpdateProcessor(
            max_concurrent_updates, on_done=inbox.finish if inbox else None))
        .connection_pool_size(max(8, max_concurrent_updates))
    )
    if inbox is not None:
        builder = builder.update_queue(JournalQueue(inbox))
    if read_timeout is not None:
        builder = builder.read_timeout(read_timeout)
    if settings.base_url:
        builder = builder.base_url(settings.base_url)
    app = builder.build()
    handlers = BotHandlers(engine, settings.admin_ids, reload, commit_state=commit_state)
    app.bot_data["handlers"] = handlers
    new = filters.UpdateType.MESSAGE
    # An edited question is answered again; an edited command is ignored (it already ran).
    messages = new | (filters.UpdateType.EDITED_MESSAGE & ~filters.COMMAND)
    app.add_handler(CommandHandler("start", handlers.start, filters=new))
    app.add_handler(CommandHandler("help", handlers.help, filters=new))
    app.add_handler(CommandHandler("topics", handlers.topics, filters=new))
    app.add_handler(CommandHandler("reload", handlers.reload, filters=new))
    app.add_handler(MessageHandler(messages & filters.TEXT, handlers.text))
    app.add_handler(MessageHandler(
        new & ~filters.TEXT & ~filters.StatusUpdate.ALL, handlers.non_text))
    app.add_handler(CallbackQueryHandler(handlers.button))
    app.add_error_handler(handlers.error)
    return app


async def serve(
    app: Application,
    stop: asyncio.Event,
    webhook: WebhookOptions | None = None,
    poll_timeout: float = 10.0,
) -> None:
    """Run ``app`` until ``stop`` is set: long polling, or a webhook when given.

    On start the command menu is registered (``setMyCommands``); with a webhook,
    ``setWebhook`` is called with the URL and secret token; with polling, any webhook is
    removed first. Updates an earlier run accepted but did not answer are queued first.
    On stop, updates in progress are finished before returning.

    Args:
        app: From :func:`build_application`.
        stop: Set it to shut down.
        webhook: Webhook options, or None for long polling.
        poll_timeout: Long-polling timeout in seconds.

    Raises:
        PollingConflictError: When another process polls the same token.
    """
    conflict: list[PollingConflictError] = []

    def polling_error(exc: TelegramError) -> None:
        if isinstance(exc, Conflict):
            if not conflict:
                conflict.append(PollingConflictError(CONFLICT_MESSAGE))
                logger.error("%s", CONFLICT_MESSAGE)
                stop.set()
            return
        logger.warning("getUpdates failed, polling again: %s", exc)

    async with app:  # initialize (getMe) ... shutdown
        logger.info("connected as @%s", app.bot.username)
        try:
            await app.bot.set_my_commands(COMMANDS)
        except TelegramError as exc:  # the menu is a convenience: serve without it
            logger.warning("could not register the command menu: %s", exc)
        await _replay_unfinished(app, polling=webhook is None)
        updater = app.updater
        assert updater is not None
        if webhook is None:
            await updater.start_polling(
                timeout=poll_timeout, allowed_updates=ALLOWED_UPDATES,
                error_callback=polling_error,
            )
            logger.info("long polling for updates")
        else:
            secret = webhook.secret or secrets.token_urlsafe(32)
            await updater.start_webhook(
                listen=webhook.listen, port=webhook.port, url_path=webhook.path,
                webhook_url=webhook.url, secret_token=secret,
                allowed_updates=ALLOWED_UPDATES,
            )
            logger.info("webhook listening on %s:%s/%s", webhook.listen, webhook.port,
                        webhook.path)
        await app.start()
        try:
            await stop.wait()
        finally:
            logger.info("shutting down")
            if updater.running:
                await updater.stop()
            if app.running:
                await app.stop()
    if conflict:
        raise conflict[0]


async def _replay_unfinished(app: Application, polling: bool) -> None:
    """Queue the updates an earlier run accepted but did not answer."""
    queue = app.update_queue
    if not isinstance(queue, JournalQueue):
        return
    queue.wait_for_store = polling  # a webhook answers 500 instead, and Telegram resends
    unfinished = await queue.inbox.unfinished(app.bot)
    if unfinished:
        logger.warning("answering %d update(s) accepted before the last stop",
                       len(unfinished))
        await queue.requeue(unfinished)


def run(
    app: Application, webhook: WebhookOptions | None = None, poll_timeout: float = 10.0
) -> None:
    """Serve ``app`` in a new event loop until SIGTERM or SIGINT, then return."""

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, _on_signal, sig, stop)
        await serve(app, stop, webhook, poll_timeout)

    asyncio.run(main())


def _on_signal(sig: signal.Signals, stop: asyncio.Event) -> None:
    logger.info("received %s", sig.name)
    stop.set()
