"""Find examples of different intents that the real matcher cannot tell apart.

Each training example is sent through the matcher built on the whole knowledge base and
then through the same decision the engine makes. An example that would not be answered
with its own intent (another intent ranks first, or close enough to make the bot ask
"did you mean") is a sign that two intents overlap.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from bot.config import NluConfig
from bot.dialog.decision import ANSWER, decide
from bot.kb.errors import Problem
from bot.kb.model import Example, KnowledgeBase, SourceRef
from bot.nlu.parse import Matcher

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Confusion:
    """An example of ``intent`` that the matcher scores close to (or above) ``other``.

    Attributes:
        intent: The example's own intent.
        other: The competing intent.
        example: The example.
        own_score: Confidence for ``intent``.
        other_score: Confidence for ``other``.
        count: How many examples of ``intent`` are confused with ``other``.
    """

    intent: str
    other: str
    example: Example
    own_score: float
    other_score: float
    count: int = 1

    def to_problem(self) -> Problem:
        """Return the warning ``faqbot validate`` prints."""
        source = self.example.source or SourceRef("?", 1, 1)
        more = f" ({self.count} examples in all)" if self.count > 1 else ""
        return Problem(
            source,
            f"the matcher cannot tell '{self.intent}' from '{self.other}': example "
            f"{self.example.text!r} scores {self.own_score:.2f} for '{self.intent}' and "
            f"{self.other_score:.2f} for '{self.other}'{more}",
            "warning",
        )


def find_confusions(
    kb: KnowledgeBase,
    matcher: Matcher,
    config: NluConfig,
    progress: Callable[[int, int], None] | None = None,
) -> list[Confusion]:
    """Return one :class:`Confusion` per ordered pair of overlapping intents.

    Args:
        kb: The knowledge base the matcher was built from.
        matcher: The matcher, e.g. ``bot.nlu.matcher.build_matcher(kb)``.
        config: Thresholds of the decision.
        progress: Called with ``(done, total)`` as examples are checked.

    Returns:
        The worst example of each pair, with the number of examples involved, sorted by
        how close the competing score is.
    """
    pairs: dict[tuple[str, str], Confusion] = {}
    names = kb.answerable_intents()
    total = sum(len(kb.intents[n].examples) for n in names)
    done = 0
    for name in names:
        for example in kb.intents[name].examples:
            done += 1
            if progress is not None:
                progress(done, total)
            ranking = matcher.rank(example.text, limit=5)
            decision = decide(ranking, config)
            if decision.kind == ANSWER and decision.intent and decision.intent.name == name:
                continue
            own = next((s.confidence for s in ranking if s.name == name), 0.0)
            rivals = [s for s in ranking if s.name != name]
            if not rivals:
                continue
            rival = rivals[0]
            key = (name, rival.name)
            old = pairs.get(key)
            count = old.count + 1 if old else 1
            if old is None or rival.confidence - own > old.other_score - old.own_score:
                pairs[key] = Confusion(name, rival.name, example, own, rival.confidence, count)
            else:
                pairs[key] = Confusion(old.intent, old.other, old.example, old.own_score,
                                       old.other_score, count)
    return sorted(pairs.values(), key=lambda c: (c.own_score - c.other_score, c.intent))
