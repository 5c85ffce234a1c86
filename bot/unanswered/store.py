"""SQLite (WAL) log of unanswered questions: fallbacks and "did you mean" turns.

Each row keeps the text, a salted hash of the sender (never the sender id itself), the
time, the decision and the top candidates with their scores. The log survives restarts;
``faqbot review`` reads it and marks rows reviewed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS unanswered (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created REAL NOT NULL,
    text TEXT NOT NULL,
    sender_hash TEXT NOT NULL,
    decision TEXT NOT NULL,
    candidates TEXT NOT NULL,
    reviewed REAL,
    resolution TEXT
);
CREATE INDEX IF NOT EXISTS unanswered_pending ON unanswered (reviewed, created);
"""
MAX_TEXT_CHARS = 1000


def default_log_path() -> Path:
    """Return ``$FAQBOT_DATA_DIR/unanswered.sqlite3``, else the user's data directory."""
    if os.environ.get("FAQBOT_DATA_DIR"):
        return Path(os.environ["FAQBOT_DATA_DIR"]) / "unanswered.sqlite3"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "faqbot" / "unanswered.sqlite3"


@dataclass(frozen=True)
class Candidate:
    """An intent the matcher proposed, with its confidence."""

    name: str
    confidence: float


@dataclass(frozen=True)
class UnansweredQuestion:
    """One row of the log.

    Attributes:
        id: Row id.
        created: Unix time of the question.
        text: The question.
        sender_hash: Salted hash of the sender.
        decision: ``fallback`` or ``suggest``.
        candidates: Top intents with scores, best first.
        reviewed: Unix time it was reviewed, or None while pending.
        resolution: What the review did (``added to faq/funding``, ``dismissed``).
    """

    id: int
    created: float
    text: str
    sender_hash: str
    decision: str
    candidates: tuple[Candidate, ...]
    reviewed: float | None = None
    resolution: str | None = None


class UnansweredLog:
    """The SQLite log; safe to use from several threads (one connection, one lock)."""

    def __init__(self, path: str | Path, salt: str | None = None) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(self.path), check_same_thread=False, timeout=10)
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(SCHEMA)
            self._salt = salt or os.environ.get("FAQBOT_SENDER_SALT") or self._stored_salt()
            self._db.commit()

    def _stored_salt(self) -> str:
        row = self._db.execute("SELECT value FROM meta WHERE key = 'salt'").fetchone()
        if row:
            return str(row[0])
        salt = secrets.token_hex(16)
        self._db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('salt', ?)", (salt,))
        row = self._db.execute("SELECT value FROM meta WHERE key = 'salt'").fetchone()
        return str(row[0])

    def hash_sender(self, sender: str) -> str:
        """Return a salted, truncated SHA-256 of ``sender``."""
        digest = hashlib.sha256(f"{self._salt}:{sender}".encode()).hexdigest()
        return digest[:16]

    def record(self, text: str, sender: str, decision: str,
               candidates: list[Candidate] | tuple[Candidate, ...],
               created: float | None = None) -> int:
        """Store one unanswered question and return its id (committed at once)."""
        payload = json.dumps([[c.name, round(float(c.confidence), 4)] for c in candidates])
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO unanswered (created, text, sender_hash, decision, candidates) "
                "VALUES (?, ?, ?, ?, ?)",
                (created if created is not None else time.time(), text[:MAX_TEXT_CHARS],
                 self.hash_sender(sender), decision, payload),
            )
            self._db.commit()
            return int(cursor.lastrowid)

    def questions(self, include_reviewed: bool = False,
                  limit: int | None = None) -> list[UnansweredQuestion]:
        """Return questions, oldest first (pending ones only by default)."""
        query = "SELECT id, created, text, sender_hash, decision, candidates, reviewed, " \
                "resolution FROM unanswered"
        if not include_reviewed:
            query += " WHERE reviewed IS NULL"
        query += " ORDER BY created, id"
        if limit is not None:
            query += f" LIMIT {int(limit)}"
        with self._lock:
            rows = self._db.execute(query).fetchall()
        return [_row(r) for r in rows]

    def mark_reviewed(self, ids: list[int] | tuple[int, ...], resolution: str) -> int:
        """Mark rows reviewed with ``resolution``; return how many were pending."""
        if not ids:
            return 0
        now = time.time()
        with self._lock:
            cursor = self._db.executemany(
                "UPDATE unanswered SET reviewed = ?, resolution = ? "
                "WHERE id = ? AND reviewed IS NULL",
                [(now, resolution, int(i)) for i in ids],
            )
            self._db.commit()
            return cursor.rowcount

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> UnansweredLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _row(row: tuple) -> UnansweredQuestion:
    try:
        raw = json.loads(row[5])
        candidates = tuple(Candidate(str(n), float(c)) for n, c in raw)
    except (ValueError, TypeError):
        candidates = ()
    return UnansweredQuestion(int(row[0]), float(row[1]), str(row[2]), str(row[3]),
                              str(row[4]), candidates, row[6], row[7])
