"""Turn a ranking into a decision: answer, suggest ("did you mean"), or fall back."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import NluConfig
from bot.nlu.parse import IntentScore

ANSWER = "answer"
SUGGEST = "suggest"
FALLBACK = "fallback"


@dataclass(frozen=True)
class Decision:
    """The outcome of :func:`decide`.

    Attributes:
        kind: ``answer``, ``suggest`` or ``fallback``.
        intent: The intent answered (``answer`` only).
        suggestions: Intents offered as "did you mean" (``suggest`` only), best first.
    """

    kind: str
    intent: IntentScore | None = None
    suggestions: tuple[IntentScore, ...] = ()


def decide(ranking: list[IntentScore], config: NluConfig) -> Decision:
    """Decide what to do with a ranking, as Rasa's FallbackClassifier does.

    The top intent is answered when its confidence reaches ``answer_threshold`` and the
    runner-up is at least ``ambiguity_threshold`` behind. Otherwise the intents within
    reach (at least ``suggest_threshold``) are offered as suggestions; with none, the
    message falls back.

    Args:
        ranking: Intents, best first.
        config: Thresholds.

    Returns:
        The decision.
    """
    if not ranking:
        return Decision(FALLBACK)
    top = ranking[0]
    runner_up = ranking[1].confidence if len(ranking) > 1 else 0.0
    if top.confidence >= config.answer_threshold and (
        top.confidence - runner_up >= config.ambiguity_threshold
    ):
        return Decision(ANSWER, intent=top)
    floor = config.suggest_threshold
    suggestions = tuple(s for s in ranking[: config.max_suggestions] if s.confidence >= floor)
    if suggestions:
        return Decision(SUGGEST, suggestions=suggestions)
    return Decision(FALLBACK)
