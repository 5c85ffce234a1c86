"""Options and set-up shared by the sub-commands."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from bot.config import BotConfig, ConfigError, load_config
from bot.dialog.engine import Engine, build_brain
from bot.dialog.state import StateStore
from bot.dialog.turn import Turn
from bot.kb.errors import KnowledgeBaseError
from bot.kb.loader import load_knowledge_base
from bot.state import STATE_HELP, StateBackend, StateSpecError, open_backend

SHIPPED_INTENTS = Path(__file__).resolve().parents[2] / "intents"


def default_intents_dir() -> Path:
    """Return ``$FAQBOT_INTENTS``, else ``./intents``, else the shipped knowledge base."""
    if os.environ.get("FAQBOT_INTENTS"):
        return Path(os.environ["FAQBOT_INTENTS"])
    local = Path.cwd() / "intents"
    return local if local.is_dir() else SHIPPED_INTENTS


def add_kb_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--intents`` and ``--config``."""
    parser.add_argument(
        "--intents", type=Path, default=None, metavar="DIR",
        help="knowledge base directory (default: ./intents or the shipped one)",
    )
    parser.add_argument(
        "--config", type=Path, default=None, metavar="FILE",
        help="engine configuration YAML (default: the packaged defaults)",
    )
    parser.add_argument(
        "--endpoints", type=Path, default=None, metavar="FILE",
        help="Rasa-style endpoints YAML: 'action_endpoint: {url: ...}' runs custom actions "
             "on a rasa_sdk action server (default: in-process)",
    )


class SetupError(Exception):
    """The bot cannot start; the message says why, for the user."""


def load_config_for(args: argparse.Namespace) -> BotConfig:
    """Return the configuration named by ``args.config`` (the packaged defaults if None).

    Raises:
        SetupError: When a value is invalid; the message names its path.
    """
    try:
        return load_config(args.config)
    except ConfigError as exc:
        raise SetupError(f"configuration error: {exc}") from exc


def add_state_argument(parser: argparse.ArgumentParser, default: str) -> None:
    """Add ``--state SPEC``: where conversation state is kept."""
    parser.add_argument("--state", default=None, metavar="SPEC",
                        help=f"where conversations are kept: {STATE_HELP} "
                             f"(default: {default})")


def open_state(args: argparse.Namespace, default: str) -> StateBackend:
    """Open the state backend ``args.state`` names (``default`` when not given).

    Raises:
        SetupError: When it cannot be opened; the message says why.
    """
    config = load_config_for(args)
    spec = getattr(args, "state", None) or default
    try:
        return open_backend(spec, config.dialog.context_idle_minutes * 60)
    except StateSpecError as exc:
        raise SetupError(str(exc)) from None


def build_engine(
    args: argparse.Namespace, listeners: tuple[Callable[[Turn], None], ...] = (),
    store: StateStore | None = None,
) -> Engine:
    """Load the configuration and knowledge base named by ``args`` into an engine.

    ``listeners`` are told about every turn (e.g. the unanswered-question log); ``store``
    keeps conversation state (in memory when None).

    Raises:
        SetupError: With every problem found, each naming file, line and column.
    """
    config = load_config_for(args)
    intents = args.intents or default_intents_dir()
    try:
        kb = load_knowledge_base(intents, config.limits)
    except KnowledgeBaseError as exc:
        raise SetupError(f"cannot load knowledge base {intents}:\n{exc}") from exc
    from bot.action_client import EndpointsError, build_action_runner

    try:
        actions = build_action_runner(getattr(args, "endpoints", None))
    except EndpointsError as exc:
        raise SetupError(f"endpoints error: {exc}") from exc
    from bot.nlu import semantic

    try:
        semantic.configure(config.nlu.semantic)
    except semantic.ModelError as exc:
        raise SetupError(f"nlu.semantic is on, but {exc}") from exc
    return Engine(build_brain(kb), config, store=store, actions=actions, listeners=listeners)


def fail(message: str) -> int:
    """Print ``message`` to stderr and return exit code 2."""
    print(f"faqbot: {message}", file=sys.stderr)
    return 2
