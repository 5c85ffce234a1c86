"""Command-line options that attach the unanswered log to a running bot."""

from __future__ import annotations

import argparse
import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path

from bot.dialog.turn import Turn
from bot.unanswered.recorder import UnansweredRecorder
from bot.unanswered.store import UnansweredLog, default_log_path

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

    Raises:
        OSError: When the file cannot be created (the message names it).
    """
    if getattr(args, "no_log", False):
        return None
    path = getattr(args, "log_unanswered", None) or default_log_path()
    try:
        return UnansweredLog(path)
    except (sqlite3.Error, OSError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise OSError(f"cannot open the unanswered log {path}: {reason} "
                      "(choose another file with --log-unanswered, or --no-log)") from exc


def listeners_from_args(args: argparse.Namespace) -> tuple[Callable[[Turn], None], ...]:
    """Return the engine listeners the options ask for (the unanswered recorder)."""
    log = open_log_from_args(args)
    return (UnansweredRecorder(log),) if log is not None else ()
