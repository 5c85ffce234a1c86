"""Command-line options that attach the unanswered log to a running bot."""

from __future__ import annotations

import argparse
import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path

from bot.dialog.turn import Turn
from bot.unanswered.recorder import UnansweredRecorder
from bot.unanswered.store import UnansweredLog, default_log_path, kb_id

# The bot's writer waits this long for another process's lock (review, a backup) per try.
WRITER_BUSY_TIMEOUT = 2.0

logger = logging.getLogger(__name__)


def add_log_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--log-unanswered PATH`` and ``--no-log``."""
    parser.add_argument(
        "--log-unanswered", type=Path, default=None, metavar="PATH",
        help="SQLite file recording unanswered questions for 'faqbot review' "
             f"(default: $FAQBOT_DATA_DIR/unanswered.sqlite3, else {default_log_path()})",
    )
    parser.add_argument("--no-log", action="store_true",
                        help="do not record unanswered questions")


def open_log_from_args(args: argparse.Namespace) -> UnansweredLog | None:
    """Open the log the options name; None with ``--no-log``.

    When the default file cannot be opened, a warning is logged and None returned: the bot
    still serves. A file named with ``--log-unanswered`` must open.

    Raises:
        OSError: When the chosen file cannot be opened or created (the message names it).
    """
    if getattr(args, "no_log", False):
        return None
    chosen = getattr(args, "log_unanswered", None)
    path = chosen or default_log_path()
    try:
        return UnansweredLog(path, busy_timeout=WRITER_BUSY_TIMEOUT)
    except (sqlite3.Error, OSError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        message = (f"cannot open the unanswered log {path}: {reason} "
                   "(choose another file with --log-unanswered, or --no-log)")
        if chosen:
            raise OSError(message) from exc
        # The default place is not writable (a read-only home, a container): serve anyway.
        logger.warning("%s; unanswered questions are not recorded", message)
        return None


def listeners_from_args(args: argparse.Namespace) -> tuple[Callable[[Turn], None], ...]:
    """Return the engine listeners the options ask for (the unanswered recorder).

    Rows name the knowledge base of ``args.intents`` (else the default one).
    """
    from bot.commands.common import default_intents_dir

    log = open_log_from_args(args)
    if log is None:
        return ()
    intents = getattr(args, "intents", None) or default_intents_dir()
    return (UnansweredRecorder(log, kb=kb_id(intents)),)
