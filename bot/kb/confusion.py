"""Find examples of different intents that the real matcher cannot tell apart.

Two checks, both with the real matcher and the engine's own decision:

1. Every training example is sent through the matcher built on the whole knowledge base.
   An example that would not be answered with its own intent even though the matcher was
   trained on it (another intent ranks first, or close enough to make the bot ask "did you
   mean") means two intents overlap. This catches near-duplicates for nearest-neighbour
   matchers.
2. A trained model usually gets its own training examples right, so the examples are also
   cross-validated (held out fold by fold, as ``faqbot test`` does): when several held-out
   phrasings of intent A rank intent B first, high enough for the bot to answer or offer
   B, the two intents are not told apart on new phrasings either.
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
    held_out: bool = False

    def to_problem(self) -> Problem:
        """Return the warning ``faqbot validate`` prints."""
        source = self.example.source or SourceRef("?", 1, 1)
        more = f" ({self.count} examples in all)" if self.count > 1 else ""
        how = "held out in cross-validation, example" if self.held_out else "example"
        return Problem(
            source,
            f"the matcher cannot tell '{self.intent}' from '{self.other}': {how} "
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
            if rival.confidence < own and (
                rival.confidence < config.suggest_threshold
                or own - rival.confidence >= config.ambiguity_threshold
            ):
                continue  # a weak example, not two intents competing for it
            key = (name, rival.name)
            old = pairs.get(key)
            count = old.count + 1 if old else 1
            if old is None or rival.confidence - own > old.other_score - old.own_score:
                pairs[key] = Confusion(name, rival.name, example, own, rival.confidence, count)
            else:
                pairs[key] = Confusion(old.intent, old.other, old.example, old.own_score,
                                       old.other_score, count)
    return sorted(pairs.values(), key=lambda c: (c.own_score - c.other_score, c.intent))


def find_heldout_confusions(
    kb: KnowledgeBase,
    matcher_factory: Callable[[KnowledgeBase], Matcher],
    config: NluConfig,
    folds: int = 5,
    min_examples: int = 2,
    min_share: float = 0.2,
    progress: Callable[[int, int], None] | None = None,
) -> list[Confusion]:
    """Return pairs (A, B) where held-out examples of A rank B first (answered or offered).

    Args:
        kb: The knowledge base.
        matcher_factory: Builds the matcher for each fold.
        config: Thresholds of the decision.
        folds: Cross-validation folds.
        min_examples: Flag a pair only when at least this many examples of A go to B...
        min_share: ...and at least this share of A's evaluated examples.
        progress: Called with ``(done, total)`` held-out examples.

    Returns:
        One confusion per flagged pair, its example being the most confident mistake.
    """
    from bot.evaluation.crossval import cross_validate

    cv = cross_validate(kb, matcher_factory, config, folds=folds, progress=progress)
    evaluated: dict[str, int] = {}
    wrong: dict[tuple[str, str], list] = {}
    for prediction in cv.predictions:
        evaluated[prediction.intent] = evaluated.get(prediction.intent, 0) + 1
        top = prediction.ranking[0] if prediction.ranking else None
        if top is not None and top.name != prediction.intent and (
            top.confidence >= config.suggest_threshold
        ):  # the bot would answer, or offer, the other intent for this phrasing
            wrong.setdefault((prediction.intent, top.name), []).append(prediction)
    found = []
    for (intent, other), mistakes in wrong.items():
        if len(mistakes) < min_examples or len(mistakes) < min_share * evaluated[intent]:
            continue
        worst = max(mistakes, key=lambda p: p.confidence)
        own = next((s.confidence for s in worst.ranking if s.name == intent), 0.0)
        example = next((e for e in kb.intents[intent].examples if e.text == worst.text),
                       Example(worst.text))
        found.append(Confusion(intent, other, example, own, worst.confidence, len(mistakes),
                               held_out=True))
    return sorted(found, key=lambda c: (-c.count, c.intent, c.other))


def merge_confusions(*groups: list[Confusion]) -> list[Confusion]:
    """Keep one confusion per ordered pair (the first group wins)."""
    merged: dict[tuple[str, str], Confusion] = {}
    for group in groups:
        for confusion in group:
            merged.setdefault((confusion.intent, confusion.other), confusion)
    return list(merged.values())
