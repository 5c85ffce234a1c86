"""An engine listener that records fallback and "did you mean" turns, off the reply path.

The listener runs inside ``Engine.handle``, so it must not wait on the database: another
process holding the SQLite lock would delay the reply. It only decides whether the turn
is a question worth reviewing and hands the row to a background writer (a bounded
queue); when the queue is full the row is dropped with a warning.

Not questions, so never logged: empty input, a typed number (picking, or trying to pick,
a button), and a payload or command (``/faq/funding``, ``/start``).
"""

from __future__ import annotations

import atexit
import logging
import queue
import sqlite3
import threading
import time
from dataclasses import dataclass

from bot.dialog.turn import Turn
from bot.unanswered.store import Candidate, UnansweredLog

logger = logging.getLogger(__name__)

RECORDED_DECISIONS = frozenset({"fallback", "suggest"})
TOP_CANDIDATES = 5
QUEUE_SIZE = 1000
WRITE_ATTEMPTS = 3
RETRY_SECONDS = 0.5


def is_question(text: str) -> bool:
    """Return whether ``text`` is worth reviewing: words, not a number or a payload."""
    stripped = text.strip()
    if not stripped or stripped.startswith("/") or _is_number(stripped):
        return False
    return any(c.isalnum() for c in stripped)


def _is_number(text: str) -> bool:
    """A number alone (``7``, ``#2``, ``3.``, ``-1``), in any script: a pick, not a question."""
    core = text.lstrip("#").rstrip(".)").strip().lstrip("+-\u2212")
    return core.isnumeric()


@dataclass(frozen=True)
class _Row:
    text: str
    sender: str
    decision: str
    candidates: tuple[Candidate, ...]
    created: float


class UnansweredRecorder:
    """Callable ``listener(turn)`` for :class:`bot.dialog.engine.Engine`'s ``listeners``.

    Args:
        log: Where rows are written (by the background thread).
        kb: The knowledge base the engine answers from (:func:`~bot.unanswered.store.kb_id`).
        queue_size: Rows waiting beyond this are dropped with a warning.
    """

    def __init__(self, log: UnansweredLog, kb: str | None = None,
                 queue_size: int = QUEUE_SIZE) -> None:
        self.log = log
        self.kb = kb
        self.dropped = 0
        self._queue: queue.Queue[_Row | None] = queue.Queue(queue_size)
        self._thread = threading.Thread(target=self._write_loop, name="unanswered-log",
                                        daemon=True)
        self._thread.start()
        atexit.register(self.close)

    def __call__(self, turn: Turn) -> None:
        """Queue ``turn`` for the log when the bot did not answer a question."""
        if turn.decision not in RECORDED_DECISIONS or not is_question(turn.text or ""):
            return
        candidates = tuple(Candidate(s.name, s.confidence)
                           for s in turn.parse.intent_ranking[:TOP_CANDIDATES])
        row = _Row(turn.text.strip(), turn.sender, turn.decision, candidates, time.time())
        try:
            self._queue.put_nowait(row)
        except queue.Full:
            self.dropped += 1
            logger.warning("unanswered log %s is not keeping up: a question was not "
                           "recorded (%d so far)", self.log.path, self.dropped)

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every queued row is written (or given up); return False on timeout."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks:
            if time.monotonic() > deadline or not self._thread.is_alive():
                return False
            time.sleep(0.01)
        return True

    def close(self, timeout: float = 5.0) -> None:
        """Write what is queued, then stop the writer."""
        if not self._thread.is_alive():
            return
        self.flush(timeout)
        try:
            self._queue.put_nowait(None)
        except queue.Full:
            return
        self._thread.join(timeout)

    def _write_loop(self) -> None:
        while True:
            row = self._queue.get()
            try:
                if row is None:
                    return
                self._write(row)
            finally:
                self._queue.task_done()

    def _write(self, row: _Row) -> None:
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                self.log.record(row.text, row.sender, row.decision, row.candidates,
                                created=row.created, kb=self.kb)
                return
            except sqlite3.OperationalError as exc:  # locked by another process, most often
                if attempt == WRITE_ATTEMPTS:
                    logger.warning("could not record an unanswered question in %s: %s",
                                   self.log.path, exc)
                    return
                time.sleep(RETRY_SECONDS * attempt)
            except Exception:  # the log must never break the bot
                logger.exception("could not record an unanswered question in %s",
                                 self.log.path)
                return
