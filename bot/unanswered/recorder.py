"""An engine listener that records every fallback and "did you mean" turn."""

from __future__ import annotations

import logging

from bot.dialog.turn import Turn
from bot.unanswered.store import Candidate, UnansweredLog

logger = logging.getLogger(__name__)

RECORDED_DECISIONS = frozenset({"fallback", "suggest"})
TOP_CANDIDATES = 5


class UnansweredRecorder:
    """Callable ``listener(turn)`` for :class:`bot.dialog.engine.Engine`'s ``listeners``."""

    def __init__(self, log: UnansweredLog) -> None:
        self.log = log

    def __call__(self, turn: Turn) -> None:
        """Record ``turn`` when the bot did not answer it."""
        if turn.decision not in RECORDED_DECISIONS or not (turn.text or "").strip():
            return
        candidates = [Candidate(s.name, s.confidence)
                      for s in turn.parse.intent_ranking[:TOP_CANDIDATES]]
        try:
            self.log.record(turn.text.strip(), turn.sender, turn.decision, candidates)
        except Exception:  # the log must never break a conversation
            logger.exception("could not record an unanswered question in %s", self.log.path)
