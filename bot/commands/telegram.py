"""``faqbot telegram``: serve the bot on Telegram (long polling, or a webhook)."""

from __future__ import annotations

import argparse
import logging
import os
import socket
from pathlib import Path
from typing import TYPE_CHECKING

from bot.commands.common import (
    SetupError,
    add_kb_arguments,
    add_state_argument,
    build_engine,
    fail,
    open_state,
)
from bot.reload import add_reload_arguments
from bot.unanswered.options import add_log_arguments

if TYPE_CHECKING:
    from bot.adapters.telegram.settings import TelegramSettings
    from bot.reload import ReloadResult

logger = logging.getLogger(__name__)

DEFAULT_ENV_FILE = ".env"
REPLICA_VAR = "FAQBOT_REPLICA"
# Polling is single-consumer by Telegram's design: one name for whichever process polls.
POLLER = "poller"


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``telegram`` sub-command."""
    parser = sub.add_parser(
        "telegram", help="serve the bot on Telegram",
        description="Serve the bot on Telegram. Needs TELEGRAM_BOT_TOKEN (environment or "
                    ".env file); optional TELEGRAM_API_BASE_URL, TELEGRAM_WEBHOOK_SECRET, "
                    "TELEGRAM_ADMIN_IDS.",
    )
    add_kb_arguments(parser)
    parser.add_argument(
        "--env-file", type=Path, default=None, metavar="FILE",
        help="read settings from this file (default: ./.env when it exists); variables "
             "already set in the environment win",
    )
    parser.add_argument(
        "--webhook-url", default=None, metavar="URL",
        help="receive updates on a webhook at this public URL instead of long polling",
    )
    parser.add_argument("--listen", default="0.0.0.0", metavar="ADDR",
                        help="webhook: local address to bind (default: 0.0.0.0)")
    parser.add_argument("--port", type=int, default=8443,
                        help="webhook: local port (default: 8443)")
    parser.add_argument(
        "--url-path", default=None, metavar="PATH",
        help="webhook: local path to serve (default: the path of --webhook-url)",
    )
    parser.add_argument("--poll-timeout", type=float, default=10.0, metavar="SECONDS",
                        help="long polling timeout (default: 10)")
    parser.add_argument(
        "--replica", default=None, metavar="NAME",
        help=f"webhook: this replica's stable name; on restart it answers the updates it "
             f"had accepted but not answered (default: ${REPLICA_VAR}, else the host name)",
    )
    add_state_argument(parser, "sqlite")
    add_reload_arguments(parser)
    add_log_arguments(parser)
    parser.set_defaults(run=run)


def _env_file(args: argparse.Namespace) -> Path | None:
    if args.env_file is not None:
        return args.env_file
    default = Path(DEFAULT_ENV_FILE)
    return default if default.is_file() else None


def _validate(args: argparse.Namespace) -> str | None:
    """Return an error message for bad webhook options, or None."""
    if args.webhook_url is not None:
        from urllib.parse import urlsplit

        url = urlsplit(args.webhook_url)
        if url.scheme not in ("https", "http") or not url.netloc:
            return "--webhook-url must be an absolute URL, e.g. https://bot.example.com/tg"
    if not 0 < args.port < 65536:
        return "--port must be between 1 and 65535"
    if args.poll_timeout < 0:
        return "--poll-timeout must not be negative"
    return None


def run(args: argparse.Namespace) -> int:
    """Start the Telegram adapter; return 0 after SIGTERM/SIGINT, 2 on bad set-up."""
    problem = _validate(args)
    if problem:
        return fail(problem)
    from bot.adapters.telegram import redact
    from bot.adapters.telegram.settings import SettingsError, load_settings

    try:
        settings = load_settings(env_file=_env_file(args))
    except SettingsError as exc:
        return fail(str(exc))
    redact.install(settings.secrets, http_requests=logging.getLogger().level <= logging.DEBUG)
    try:
        return _serve(args, settings)
    except SetupError as exc:
        return fail(redact.redact(str(exc), settings.secrets))
    except Exception as exc:  # last resort: a clear line, and never the token
        logger.debug("fatal error", exc_info=True)
        return fail(redact.redact(f"{type(exc).__name__}: {exc}", settings.secrets))


def _serve(args: argparse.Namespace, settings: TelegramSettings) -> int:
    from telegram.error import InvalidToken, NetworkError

    from bot.adapters.telegram.app import PollingConflictError, WebhookOptions, build_application
    from bot.adapters.telegram.app import run as run_app
    from bot.adapters.telegram.inbox import Inbox
    from bot.commands.common import default_intents_dir
    from bot.reload import start_reloader
    from bot.state.deferred import DeferredStateStore
    from bot.unanswered.options import listeners_from_args

    state = open_state(args, "sqlite")
    logger.info("conversation state in %s", state.description)
    # A turn's state is written once its answer is out: a replayed update sees the old one.
    store = DeferredStateStore(state.states)
    try:
        engine = build_engine(args, listeners=listeners_from_args(args), store=store)
    except OSError as exc:  # the unanswered log cannot be opened
        state.close()
        raise SetupError(str(exc)) from None
    owner = POLLER
    if args.webhook_url:
        owner = args.replica or os.environ.get(REPLICA_VAR) or socket.gethostname()
    # File watch and SIGHUP reload in a background thread; /reload (admins) reloads now.
    reloader = start_reloader(engine, args.intents or default_intents_dir(),
                              interval=max(0.05, args.reload_interval),
                              on_result=_log_reload, watch=not args.no_reload)
    app = build_application(engine, settings, reload=reloader.reload_message,
                            inbox=Inbox(state.updates, owner), commit_state=store.commit)
    webhook = None
    if args.webhook_url:
        webhook = WebhookOptions(
            url=args.webhook_url, listen=args.listen, port=args.port,
            url_path=args.url_path, secret=settings.webhook_secret,
        )
    try:
        run_app(app, webhook=webhook, poll_timeout=args.poll_timeout)
    except PollingConflictError as exc:
        raise SetupError(str(exc)) from None
    except InvalidToken:
        raise SetupError(
            "Telegram rejected TELEGRAM_BOT_TOKEN (Unauthorized): check it with @BotFather"
        ) from None
    except NetworkError as exc:
        raise SetupError(f"cannot reach the Telegram Bot API: {exc}") from None
    except OSError as exc:  # e.g. the webhook port is taken
        raise SetupError(f"cannot start: {exc}") from None
    finally:
        reloader.stop()
        state.close()
    logger.info("stopped (pid %s)", os.getpid())
    return 0


def _log_reload(result: ReloadResult) -> None:
    """Log each reload: the bot runs unattended, its log is where people look."""
    if result.ok:
        logger.warning("%s", result.message())
    else:
        logger.error("%s", result.message())
