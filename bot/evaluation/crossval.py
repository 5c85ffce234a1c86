"""K-fold cross-validation of the matcher over the knowledge base's own examples.

Like ``rasa test nlu --cross-validation``: the examples of each intent are shuffled (with
a fixed seed) and dealt round-robin into ``k`` folds; each fold is held out in turn, the
real matcher is built on the other examples, and every held-out example is classified the
way the engine does it (rank, then the answer / suggest / fallback decision). An example
the bot would not answer outright is predicted as ``nlu_fallback``, as with Rasa's
FallbackClassifier. An intent keeps at least one example in training in every fold.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from types import MappingProxyType

from bot.config import NluConfig
from bot.dialog.decision import ANSWER, decide
from bot.kb.model import FALLBACK_INTENT, Example, KnowledgeBase
from bot.nlu.parse import IntentScore, Matcher

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Prediction:
    """How one held-out example was classified.

    Attributes:
        text: The example.
        intent: Its true intent.
        predicted: What the bot would answer with (``nlu_fallback`` when it would not).
        confidence: Confidence of the top-ranked intent.
        ranking: The top intents.
        fold: Fold number (0-based).
    """

    text: str
    intent: str
    predicted: str
    confidence: float
    ranking: tuple[IntentScore, ...]
    fold: int

    @property
    def top(self) -> str:
        """The top-ranked intent, whatever the decision."""
        return self.ranking[0].name if self.ranking else FALLBACK_INTENT

    def to_error_json(self) -> dict[str, object]:
        """Rasa's ``intent_errors.json`` entry."""
        return {
            "text": self.text,
            "intent": self.intent,
            "intent_prediction": {"name": self.predicted,
                                  "confidence": round(float(self.confidence), 4)},
            "top_ranked": [s.to_json() for s in self.ranking[:3]],
        }


@dataclass(frozen=True)
class CrossValidation:
    """All predictions of a cross-validation run."""

    predictions: tuple[Prediction, ...]
    folds: int
    seconds: float
    skipped_intents: tuple[str, ...] = ()

    @property
    def y_true(self) -> list[str]:
        """True intents."""
        return [p.intent for p in self.predictions]

    @property
    def y_pred(self) -> list[str]:
        """Predicted intents (with fallback)."""
        return [p.predicted for p in self.predictions]

    @property
    def top1_accuracy(self) -> float:
        """Share of examples whose top-ranked intent is right, ignoring the thresholds."""
        if not self.predictions:
            return 0.0
        return sum(p.top == p.intent for p in self.predictions) / len(self.predictions)

    @property
    def errors(self) -> list[Prediction]:
        """Examples the bot would not answer with their own intent."""
        return [p for p in self.predictions if p.predicted != p.intent]


def assign_folds(kb: KnowledgeBase, folds: int, seed: int = 0) -> dict[str, list[list[Example]]]:
    """Deal each evaluated intent's examples into ``folds`` lists.

    Only answerable intents with at least two examples are evaluated. The deal depends
    only on the seed, the intent's name and its examples.
    """
    dealt: dict[str, list[list[Example]]] = {}
    for name in kb.answerable_intents():
        examples = list(kb.intents[name].examples)
        if len(examples) < 2:
            continue
        # One generator per intent, seeded by its name: adding or reordering other
        # intents or files does not reshuffle this one.
        random.Random(f"{seed}:{name}").shuffle(examples)
        buckets: list[list[Example]] = [[] for _ in range(folds)]
        for index, example in enumerate(examples):
            buckets[index % folds].append(example)
        dealt[name] = buckets
    return dealt


def training_kb(kb: KnowledgeBase, dealt: dict[str, list[list[Example]]],
                fold: int) -> KnowledgeBase:
    """Return ``kb`` without the examples held out in ``fold``."""
    intents = dict(kb.intents)
    for name, buckets in dealt.items():
        held_out = {id(e) for e in buckets[fold]}
        kept = tuple(e for e in kb.intents[name].examples if id(e) not in held_out)
        intents[name] = replace(kb.intents[name], examples=kept)
    return replace(kb, intents=MappingProxyType(intents))


def cross_validate(
    kb: KnowledgeBase,
    matcher_factory: Callable[[KnowledgeBase], Matcher],
    nlu: NluConfig,
    folds: int = 5,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> CrossValidation:
    """Run k-fold cross-validation.

    Args:
        kb: The knowledge base.
        matcher_factory: Builds the matcher (``bot.nlu.matcher.build_matcher``).
        nlu: Decision thresholds.
        folds: Number of folds (at least 2).
        seed: Shuffling seed, for repeatable reports.
        progress: Called with ``(done, total)`` examples.

    Returns:
        Every held-out example's prediction.
    """
    if folds < 2:
        raise ValueError("cross-validation needs at least 2 folds")
    started = time.monotonic()
    dealt = assign_folds(kb, folds, seed)
    total = sum(len(b) for buckets in dealt.values() for b in buckets)
    done = 0
    predictions: list[Prediction] = []
    for fold in range(folds):
        held = [(name, e) for name, buckets in dealt.items() for e in buckets[fold]]
        if not held:
            continue
        matcher = matcher_factory(training_kb(kb, dealt, fold))
        for name, example in held:
            ranking = matcher.rank(example.text, limit=10)
            decision = decide(ranking, nlu)
            predicted = decision.intent.name if (
                decision.kind == ANSWER and decision.intent) else FALLBACK_INTENT
            predictions.append(Prediction(
                example.text, name, predicted, ranking[0].confidence if ranking else 0.0,
                tuple(ranking[:5]), fold,
            ))
            done += 1
            if progress is not None:
                progress(done, total)
    skipped = tuple(n for n in kb.answerable_intents() if n not in dealt)
    return CrossValidation(tuple(predictions), folds, time.monotonic() - started, skipped)
