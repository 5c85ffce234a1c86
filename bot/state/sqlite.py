"""Conversation state and the update ledger in one SQLite file (WAL).

One row per sender, written after each turn; one row per accepted update. WAL with
``synchronous=NORMAL`` keeps every committed turn across a crash or ``kill -9`` of the
process (a power cut may lose the last few). Several processes on one host may share the
file; replicas on several hosts use Redis instead.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.dialog.state import DEFAULT_IDLE_SECONDS, ConversationState, is_expired
from bot.state.codec import decode_state, encode_state
from bot.state.ledger import DONE, KEEP_SECONDS, NEW, PENDING

logger = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    sender TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    updated REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS updates (
    update_id INTEGER PRIMARY KEY,
    status TEXT NOT NULL,
    owner TEXT NOT NULL,
    raw TEXT,
    updated REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS updates_pending ON updates (owner, status);
"""
BUSY_TIMEOUT_SECONDS = 5.0


class SqliteDatabase:
    """One connection shared by threads (serialised by a lock), created on demand.

    Args:
        path: The database file (its directory is created).
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.lock = threading.Lock()
        self.db = sqlite3.connect(str(self.path), check_same_thread=False,
                                  timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        with self.lock:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(SCHEMA)

    def close(self) -> None:
        """Close the connection."""
        with self.lock:
            self.db.close()


class SqliteStateStore:
    """:class:`bot.dialog.state.StateStore` on SQLite.

    Args:
        database: The shared database.
        idle_seconds: Conversations idle longer start afresh (0: never).
        clock: Wall clock in seconds (injected by tests).
    """

    def __init__(self, database: SqliteDatabase, idle_seconds: float = DEFAULT_IDLE_SECONDS,
                 clock: Callable[[], float] = time.time) -> None:
        self.database = database
        self._idle = idle_seconds
        self._clock = clock

    def get(self, sender: str) -> ConversationState:
        """Return the sender's state (a fresh one if unknown or expired)."""
        with self.database.lock:
            row = self.database.db.execute(
                "SELECT state, updated FROM conversations WHERE sender = ?", (sender,)
            ).fetchone()
        if row is None or is_expired(float(row[1]), self._clock(), self._idle):
            return ConversationState()
        return decode_state(row[0], sender)

    def put(self, sender: str, state: ConversationState) -> None:
        """Store the sender's state (committed at once)."""
        with self.database.lock:
            self.database.db.execute(
                "INSERT INTO conversations (sender, state, updated) VALUES (?, ?, ?) "
                "ON CONFLICT (sender) DO UPDATE SET state = excluded.state, "
                "updated = excluded.updated",
                (sender, encode_state(state), self._clock()),
            )

    def purge_expired(self) -> int:
        """Delete conversations idle longer than the idle time; return how many."""
        if self._idle <= 0:
            return 0
        with self.database.lock:
            cursor = self.database.db.execute(
                "DELETE FROM conversations WHERE updated < ?", (self._clock() - self._idle,))
            return cursor.rowcount


class SqliteLedger:
    """:class:`bot.state.ledger.UpdateLedger` on SQLite.

    Args:
        database: The shared database.
        keep_seconds: How long finished ids are remembered.
        clock: Wall clock in seconds.
    """

    def __init__(self, database: SqliteDatabase, keep_seconds: float = KEEP_SECONDS,
                 clock: Callable[[], float] = time.time) -> None:
        self.database = database
        self._keep = keep_seconds
        self._clock = clock
        self._finished = 0

    def add(self, update_id: int, raw: dict[str, Any], owner: str) -> str:
        """Record an arriving update; return ``new``, or ``pending``/``done`` if known."""
        with self.database.lock:
            cursor = self.database.db.execute(
                "INSERT OR IGNORE INTO updates (update_id, status, owner, raw, updated) "
                "VALUES (?, ?, ?, ?, ?)",
                (int(update_id), PENDING, owner, json.dumps(raw), self._clock()),
            )
            if cursor.rowcount == 1:
                return NEW
            row = self.database.db.execute(
                "SELECT status FROM updates WHERE update_id = ?", (int(update_id),)).fetchone()
        return str(row[0]) if row else NEW

    def finish(self, update_id: int) -> None:
        """Mark an update answered (its body is dropped); prune old ids now and then."""
        now = self._clock()
        with self.database.lock:
            self.database.db.execute(
                "UPDATE updates SET status = ?, raw = NULL, updated = ? WHERE update_id = ?",
                (DONE, now, int(update_id)))
            self._finished += 1
            if self._finished % 1000 == 0:
                self.database.db.execute(
                    "DELETE FROM updates WHERE status = ? AND updated < ?",
                    (DONE, now - self._keep))

    def unfinished(self, owner: str) -> list[dict[str, Any]]:
        """Return ``owner``'s accepted, unfinished updates, oldest first."""
        with self.database.lock:
            rows = self.database.db.execute(
                "SELECT update_id, raw FROM updates WHERE owner = ? AND status = ? "
                "ORDER BY update_id", (owner, PENDING)).fetchall()
        found = []
        for update_id, raw in rows:
            try:
                found.append(json.loads(raw))
            except (TypeError, ValueError):
                logger.warning("accepted update %s is unreadable; skipped", update_id)
        return found
