"""SQLite (WAL) log of unanswered questions: fallbacks and "did you mean" turns.

Each row keeps the text, a salted hash of the sender (never the sender id itself), the
time, the decision, the top candidates with their scores, and the knowledge base asked
(:func:`kb_id`: its directory's absolute path), so that a log shared by several knowledge
bases is reviewed one knowledge base at a time. The log survives restarts; ``faqbot
review`` reads it and marks rows reviewed.
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
DEFAULT_BUSY_TIMEOUT = 10.0


def kb_id(intents_dir: str | Path) -> str:
    """Return the stable id of a knowledge base: its directory's absolute path."""
    return str(Path(intents_dir).expanduser().resolve())


def clean_text(text: str) -> str:
    """Return ``text`` with what UTF-8 cannot encode (lone surrogates) replaced by U+FFFD."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)


def default_log_path() -> Path:
    """Return ``$FAQBOT_DATA_DIR/unanswered.sqlite3``, else the user's data directory."""
    from bot.state import data_dir

    return data_dir() / "unanswered.sqlite3"


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
        kb: The knowledge base asked (:func:`kb_id`), or None for rows logged before
            knowledge bases were recorded.
    """

    id: int
    created: float
    text: str
    sender_hash: str
    decision: str
    candidates: tuple[Candidate, ...]
    reviewed: float | None = None
    resolution: str | None = None
    kb: str | None = None


class UnansweredLog:
    """The SQLite log; safe to use from several threads (one connection, one lock).

    Args:
        path: The database file (its directory is created).
        salt: Salt of the sender hashes (else ``$FAQBOT_SENDER_SALT``, else stored).
        busy_timeout: Seconds to wait for another process's lock before failing.
    """

    def __init__(self, path: str | Path, salt: str | None = None,
                 busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(self.path), check_same_thread=False,
                                   timeout=busy_timeout)
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(SCHEMA)
            columns = {row[1] for row in self._db.execute("PRAGMA table_info(unanswered)")}
            if "kb" not in columns:  # a log written before rows named their knowledge base
                self._db.execute("ALTER TABLE unanswered ADD COLUMN kb TEXT")
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
               created: float | None = None, kb: str | None = None) -> int:
        """Store one unanswered question and return its id (committed at once).

        Text UTF-8 cannot encode (a lone surrogate) is stored with it replaced.
        """
        payload = json.dumps([[c.name, round(float(c.confidence), 4)] for c in candidates])
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO unanswered (created, text, sender_hash, decision, candidates, kb) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (created if created is not None else time.time(),
                 clean_text(text[:MAX_TEXT_CHARS]), self.hash_sender(clean_text(sender)),
                 decision, payload, kb),
            )
            self._db.commit()
            return int(cursor.lastrowid)

    def questions(self, include_reviewed: bool = False, limit: int | None = None,
                  kb: str | None = None) -> list[UnansweredQuestion]:
        """Return questions, oldest first (pending ones only by default).

        Args:
            include_reviewed: Reviewed ones too.
            limit: At most this many.
            kb: Only those asked of this knowledge base (and those logged before rows
                named one); every knowledge base's when None.
        """
        query = "SELECT id, created, text, sender_hash, decision, candidates, reviewed, " \
                "resolution, kb FROM unanswered"
        conditions: list[str] = []
        values: list[object] = []
        if not include_reviewed:
            conditions.append("reviewed IS NULL")
        if kb is not None:
            conditions.append("(kb = ? OR kb IS NULL)")
            values.append(kb)
        if conditions:
            query += " WHERE " + " AND ".join(conditions)
        query += " ORDER BY created, id"
        if limit is not None:
            query += f" LIMIT {int(limit)}"
        with self._lock:
            rows = self._db.execute(query, values).fetchall()
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
                              str(row[4]), candidates, row[6], row[7], row[8])
