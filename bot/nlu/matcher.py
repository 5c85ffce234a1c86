"""Rank a knowledge base's intents for a message with rapidfuzz."""

from __future__ import annotations

from rapidfuzz import fuzz, process

from bot.kb.model import KnowledgeBase
from bot.nlu.normalize import fold, normalize
from bot.nlu.parse import IntentScore


class FuzzyMatcher:
    """Nearest-example matcher: an intent scores as its best-matching example."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self._synonyms = {
            fold(text): fold(s.value) for s in kb.synonyms for text in s.examples
        }
        self._texts: list[str] = []
        self._labels: list[str] = []
        for name in kb.answerable_intents():
            for example in kb.intents[name].examples:
                self._texts.append(normalize(example.text, self._synonyms))
                self._labels.append(name)

    def rank(self, text: str, limit: int = 10) -> list[IntentScore]:
        """Return up to ``limit`` intents, best first, confidences in [0, 1]."""
        query = normalize(text, self._synonyms)
        if not query or not self._texts:
            return []
        best: dict[str, float] = {}
        hits = process.extract(
            query, self._texts, scorer=fuzz.WRatio, limit=min(len(self._texts), 50)
        )
        for _, score, index in hits:
            label = self._labels[index]
            best[label] = max(best.get(label, 0.0), score / 100.0)
        ranked = sorted(best.items(), key=lambda item: -item[1])[:limit]
        return [IntentScore(name, confidence) for name, confidence in ranked]


def build_matcher(kb: KnowledgeBase) -> FuzzyMatcher:
    """Build the matcher index for ``kb``."""
    return FuzzyMatcher(kb)
