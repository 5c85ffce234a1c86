"""The review workflow: list groups of unanswered questions, add phrasings, dismiss."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.config import NluConfig
from bot.dialog.decision import ANSWER, decide
from bot.kb.errors import KnowledgeBaseError
from bot.kb.loader import load_knowledge_base
from bot.nlu.parse import IntentScore, Matcher
from bot.review.grouping import DEFAULT_SIMILARITY, QuestionGroup, find_group, group_questions
from bot.review.yaml_edit import AddResult, ReviewError, add_example
from bot.unanswered.store import UnansweredLog

logger = logging.getLogger(__name__)

PROMPT = "[1-3] add to that intent, i) another intent, e) edit phrasing, d) dismiss, " \
         "s) skip, q) quit > "


@dataclass
class Reviewer:
    """Reads the unanswered log and edits the knowledge base.

    Attributes:
        log: The unanswered-question log.
        intents_dir: Knowledge base directory.
        nlu: Decision thresholds, to tell whether the current KB now answers a question.
        similarity: Grouping threshold (rapidfuzz token-sort ratio, 0-100).
        kb: Review only the questions asked of this knowledge base (``kb_id``; rows
            logged before rows named one are included); every one's when None.
    """

    log: UnansweredLog
    intents_dir: Path
    nlu: NluConfig
    similarity: float = DEFAULT_SIMILARITY
    kb: str | None = None
    _matcher: Matcher | None = None
    _kb_error: str | None = None

    def groups(self) -> list[QuestionGroup]:
        """Pending questions, grouped, most asked first."""
        return group_questions(self.log.questions(kb=self.kb), self.similarity)

    def matcher(self) -> Matcher | None:
        """The current knowledge base's matcher (None when the KB does not load)."""
        if self._matcher is None and self._kb_error is None:
            from bot.dialog.engine import build_brain

            try:
                self._matcher = build_brain(load_knowledge_base(self.intents_dir)).matcher
            except KnowledgeBaseError as exc:
                self._kb_error = str(exc)
                logger.warning("knowledge base does not load: %s", exc)
        return self._matcher

    def closest(self, group: QuestionGroup, limit: int = 3) -> list[IntentScore]:
        """Closest intents for the group's phrasing, by the current KB (else as logged)."""
        matcher = self.matcher()
        if matcher is not None:
            return matcher.rank(group.representative, limit=limit)
        return [IntentScore(c.name, c.confidence) for c in group.logged_candidates(limit)]

    def answered_now(self, group: QuestionGroup) -> str | None:
        """The intent the current KB would answer the group's phrasing with, if any."""
        matcher = self.matcher()
        if matcher is None:
            return None
        decision = decide(matcher.rank(group.representative, limit=10), self.nlu)
        return decision.intent.name if decision.kind == ANSWER and decision.intent else None

    def add(self, text: str, intent: str,
            group: QuestionGroup | None = None) -> tuple[AddResult, int]:
        """Add ``text`` to ``intent`` and mark its group reviewed.

        Args:
            text: The phrasing to add.
            intent: The intent it means.
            group: The group it answers; found by similarity to ``text`` when None.

        Returns:
            What was written, and how many pending questions were marked reviewed.

        Raises:
            ReviewError: When the phrasing cannot be added.
        """
        try:
            result = add_example(self.intents_dir, intent, text)
        except KnowledgeBaseError as exc:
            raise ReviewError(f"the knowledge base has errors, fix them first:\n{exc}") \
                from exc
        self._matcher = None
        group = group or find_group(self.groups(), text, self.similarity)
        marked = self.log.mark_reviewed(group.ids, f"added to {intent}") if group else 0
        return result, marked

    def dismiss(self, group: QuestionGroup, reason: str = "dismissed") -> int:
        """Mark a group reviewed without changing the knowledge base."""
        return self.log.mark_reviewed(group.ids, reason)


def render_group(number: int, group: QuestionGroup, closest: list[IntentScore],
                 answered_now: str | None = None) -> str:
    """Render one group for the terminal."""
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(group.last_seen))
    people = "person" if group.senders == 1 else "people"
    lines = [f"#{number}  asked {group.count} time{'s' if group.count != 1 else ''} by "
             f"{group.senders} {people}, last {when}",
             f"    {group.representative!r}"]
    others = [p for p in group.phrasings if p != group.representative][:3]
    if others:
        lines.append("    also: " + "; ".join(repr(p) for p in others))
    if closest:
        lines.append("    closest: " + "  ".join(
            f"{i}. {s.name} ({s.confidence:.2f})" for i, s in enumerate(closest, 1)))
    if answered_now:
        lines.append(f"    now answered by the current knowledge base: {answered_now}")
    return "\n".join(lines)


def run_interactive(reviewer: Reviewer, ask: Callable[[str], str] = input,
                    say: Callable[[str], None] = print) -> int:
    """Walk through the pending groups, asking what to do with each.

    Args:
        reviewer: The reviewer.
        ask: Reads one answer (``input`` by default); EOFError ends the session.
        say: Prints one message.

    Returns:
        Exit code 0.
    """
    groups = reviewer.groups()
    if not groups:
        say("No unanswered questions to review.")
        return 0
    for number, group in enumerate(groups, 1):
        closest = reviewer.closest(group)
        say(render_group(number, group, closest, reviewer.answered_now(group)))
        try:
            if not _review_one(reviewer, group, closest, ask, say):
                break
        except EOFError:
            say("")
            break
    return 0


def _review_one(reviewer: Reviewer, group: QuestionGroup, closest: list[IntentScore],
                ask: Callable[[str], str], say: Callable[[str], None]) -> bool:
    """Handle one group; return False to stop the session."""
    phrasing = group.representative
    while True:
        choice = ask(PROMPT).strip()
        lowered = choice.lower()
        intent = None
        if lowered in ("q", "quit"):
            return False
        if lowered in ("s", "skip", ""):
            return True
        if lowered in ("d", "dismiss"):
            marked = reviewer.dismiss(group)
            say(f"Dismissed {marked} question(s).")
            return True
        if lowered in ("e", "edit"):
            edited = ask(f"phrasing to add [{phrasing}]: ").strip()
            phrasing = edited or phrasing
            continue
        if lowered.isdigit() and 1 <= int(lowered) <= len(closest):
            intent = closest[int(lowered) - 1].name
        elif lowered in ("i", "intent"):
            intent = ask("intent name: ").strip()
        elif lowered.startswith("i "):
            intent = choice[2:].strip()
        if not intent:
            say("Please answer with one of the choices.")
            continue
        try:
            result, marked = reviewer.add(phrasing, intent, group)
        except ReviewError as exc:
            say(f"Not added: {exc}")
            continue
        if result.added:
            say(f"Added {phrasing!r} to {intent} in {result.path}; "
                f"{marked} question(s) marked reviewed.")
        else:
            say(f"{phrasing!r} is already an example of {intent}; "
                f"{marked} question(s) marked reviewed.")
        return True
