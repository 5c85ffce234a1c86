"""Group similar unanswered questions with rapidfuzz, most frequent first."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.nlu.normalize import normalize
from bot.unanswered.store import Candidate, UnansweredQuestion

logger = logging.getLogger(__name__)

DEFAULT_SIMILARITY = 75.0


@dataclass(frozen=True)
class QuestionGroup:
    """Unanswered questions that say nearly the same thing.

    Attributes:
        representative: The most frequent phrasing in the group.
        questions: The questions, oldest first.
    """

    representative: str
    questions: tuple[UnansweredQuestion, ...]

    @property
    def ids(self) -> tuple[int, ...]:
        """Row ids of the questions."""
        return tuple(q.id for q in self.questions)

    @property
    def count(self) -> int:
        """How many times the question was asked."""
        return len(self.questions)

    @property
    def senders(self) -> int:
        """How many different people asked it."""
        return len({q.sender_hash for q in self.questions})

    @property
    def last_seen(self) -> float:
        """Unix time of the latest question."""
        return max(q.created for q in self.questions)

    @property
    def phrasings(self) -> tuple[str, ...]:
        """Distinct phrasings, most frequent first."""
        counts = Counter(q.text for q in self.questions)
        return tuple(text for text, _ in counts.most_common())

    def logged_candidates(self, limit: int = 3) -> tuple[Candidate, ...]:
        """The intents proposed when the questions were asked, best score first."""
        best: dict[str, float] = {}
        for question in self.questions:
            for candidate in question.candidates:
                best[candidate.name] = max(best.get(candidate.name, 0.0), candidate.confidence)
        ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))[:limit]
        return tuple(Candidate(name, score) for name, score in ranked)


def _key(text: str) -> str:
    return normalize(text) or text.strip().casefold()


def group_questions(
    questions: Sequence[UnansweredQuestion], similarity: float = DEFAULT_SIMILARITY
) -> list[QuestionGroup]:
    """Group ``questions`` whose normalised texts are at least ``similarity`` alike.

    Each question joins the most similar existing group (token-sort ratio on normalised
    text, so word order and punctuation do not matter), or starts a new one.

    Args:
        questions: Unanswered questions, in any order.
        similarity: Minimum rapidfuzz ``token_sort_ratio`` (0-100) to join a group.

    Returns:
        Groups, most asked first (then most recent first).
    """
    heads: list[str] = []
    members: list[list[UnansweredQuestion]] = []
    for question in sorted(questions, key=lambda q: (q.created, q.id)):
        key = _key(question.text)
        found = process.extractOne(key, heads, scorer=fuzz.token_sort_ratio,
                                   score_cutoff=similarity) if heads else None
        if found is None:
            heads.append(key)
            members.append([question])
        else:
            members[found[2]].append(question)
    groups = []
    for group in members:
        # The most asked wording (normalised), shown as it was most often typed.
        key_counts = Counter(_key(q.text) for q in group)
        top_key = key_counts.most_common(1)[0][0]
        typed = Counter(q.text for q in group if _key(q.text) == top_key)
        groups.append(QuestionGroup(typed.most_common(1)[0][0], tuple(group)))
    groups.sort(key=lambda g: (-g.count, -g.last_seen, g.representative))
    return groups


def find_group(groups: Sequence[QuestionGroup], text: str,
               similarity: float = DEFAULT_SIMILARITY) -> QuestionGroup | None:
    """Return the group whose questions ``text`` is most like, if similar enough."""
    best: tuple[float, QuestionGroup] | None = None
    key = _key(text)
    for group in groups:
        for question in group.questions:
            score = fuzz.token_sort_ratio(key, _key(question.text))
            if score >= similarity and (best is None or score > best[0]):
                best = (score, group)
    return best[1] if best else None
