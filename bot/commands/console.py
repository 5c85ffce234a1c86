"""``faqbot console``: chat in the terminal, or JSON lines with ``--json``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.commands.common import (
    SetupError,
    add_kb_arguments,
    add_state_argument,
    build_engine,
    default_intents_dir,
    fail,
    open_state,
)
from bot.reload import ReloadResult, add_reload_arguments, start_reloader
from bot.unanswered.options import add_log_arguments, listeners_from_args

EPILOG = """\
examples:
  faqbot console                          chat on the shipped knowledge base
  faqbot console --intents DIR            chat on another knowledge base
  echo '{"sender": "ann", "text": "who is the ceo"}' | faqbot console --json
"""


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``console`` sub-command."""
    parser = sub.add_parser(
        "console", help="chat in the terminal (the default command)",
        description="Chat with the bot in the terminal, or answer JSON lines with --json.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_kb_arguments(parser)
    parser.add_argument("--json", action="store_true",
                        help="read JSON lines on stdin, write one JSON line per input")
    parser.add_argument("--sender", default="console", help="sender id (default: console)")
    parser.add_argument("--history", type=Path, default=None, metavar="FILE",
                        help="line history file (default: $FAQBOT_HISTORY or "
                             "~/.faqbot_history)")
    add_state_argument(parser, "memory")
    add_reload_arguments(parser)
    add_log_arguments(parser)
    parser.set_defaults(run=run)


def print_reload_result(result: ReloadResult) -> None:
    """Tell the person at the terminal (on stderr) that the knowledge base changed."""
    from bot.adapters.console import notice

    notice(f"faqbot: {result.message()}", sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Start the console adapter."""
    try:
        state = open_state(args, "memory")
        engine = build_engine(args, listeners=listeners_from_args(args), store=state.states)
    except (SetupError, OSError) as exc:
        return fail(str(exc))
    from bot.adapters import console

    reloader = start_reloader(engine, args.intents or default_intents_dir(),
                              interval=max(0.05, args.reload_interval),
                              on_result=print_reload_result, watch=not args.no_reload)

    if args.json:
        return console.run_json(engine, default_sender=args.sender)
    return console.run_interactive(
        engine, sender=args.sender, history=getattr(args, "history", None),
        reload=reloader.reload_message if reloader is not None else None)
