"""Where conversation state and the update ledger are kept: memory, SQLite or Redis.

``open_backend(spec)`` reads the ``--state`` option: ``memory``, ``sqlite`` (the default
file in the data directory), ``sqlite:PATH``, or ``redis://HOST:PORT/DB``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.dialog.state import DEFAULT_IDLE_SECONDS, InMemoryStateStore, StateStore
from bot.state.ledger import MemoryLedger, UpdateLedger

STATE_HELP = ("memory, sqlite (the data directory's state.sqlite3), sqlite:PATH, or "
              "redis://HOST:PORT/DB")


class StateSpecError(ValueError):
    """The ``--state`` value is not understood or its store cannot be opened."""


@dataclass
class StateBackend:
    """A conversation store and an update ledger kept in the same place.

    Attributes:
        states: Conversation state per sender.
        updates: Accepted and finished Telegram updates.
        description: Where, for logs (``sqlite:/data/state.sqlite3``).
    """

    states: StateStore
    updates: UpdateLedger
    description: str
    _closers: list[Any] = field(default_factory=list, repr=False)

    def close(self) -> None:
        """Release connections."""
        for closer in self._closers:
            closer()


def data_dir() -> Path:
    """Return ``$FAQBOT_DATA_DIR``, else ``$XDG_DATA_HOME/faqbot`` (``~/.local/share``)."""
    if os.environ.get("FAQBOT_DATA_DIR"):
        return Path(os.environ["FAQBOT_DATA_DIR"])
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "faqbot"


def open_backend(spec: str, idle_seconds: float = DEFAULT_IDLE_SECONDS) -> StateBackend:
    """Open the backend ``spec`` names.

    Args:
        spec: See the module docstring.
        idle_seconds: Conversations idle longer start afresh (0: never).

    Raises:
        StateSpecError: When ``spec`` is not understood or the store cannot be opened;
            the message says which and why.
    """
    spec = spec.strip()
    if spec == "memory":
        return StateBackend(InMemoryStateStore(idle_seconds=idle_seconds), MemoryLedger(),
                            "memory")
    if spec == "sqlite" or spec.startswith("sqlite:"):
        import sqlite3

        from bot.state.sqlite import SqliteDatabase, SqliteLedger, SqliteStateStore

        path = Path(spec[len("sqlite:"):]) if spec.startswith("sqlite:") else None
        path = path or data_dir() / "state.sqlite3"
        try:
            database = SqliteDatabase(path)
        except (sqlite3.Error, OSError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise StateSpecError(f"cannot open the state store {path}: {reason}") from None
        states = SqliteStateStore(database, idle_seconds)
        states.purge_expired()  # conversations that went idle while the bot was down
        return StateBackend(states, SqliteLedger(database), f"sqlite:{path}",
                            [database.close])
    if spec.startswith(("redis://", "rediss://", "unix://")):
        from bot.state.redis_store import RedisLedger, RedisStateStore, connect

        try:
            client = connect(spec)
        except RuntimeError as exc:
            raise StateSpecError(str(exc)) from None
        return StateBackend(RedisStateStore(client, idle_seconds), RedisLedger(client),
                            spec.split("@")[-1], [client.close])
    raise StateSpecError(f"--state {spec[:80]!r}: expected {STATE_HELP}")
