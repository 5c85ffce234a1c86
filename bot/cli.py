"""The ``faqbot`` command line: one sub-command per module in :mod:`bot.commands`."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys

# Each name is a module ``bot.commands.<name>`` exposing ``register(subparsers)``, which
# adds its parser and sets ``run`` (a callable taking the parsed args, returning an exit
# code). Command modules import heavy dependencies only inside ``run``.
COMMANDS = ("console", "compile", "telegram", "validate", "test", "review", "export")


def build_parser() -> argparse.ArgumentParser:
    """Return the parser with every available sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="faqbot", description="An FAQ chatbot whose knowledge lives in Rasa-format YAML."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module_name = f"bot.commands.{name}"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if args.command is None:
        args = parser.parse_args(["console", *(argv or sys.argv[1:])])
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (``faqbot ... | head``): stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
