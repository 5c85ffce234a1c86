"""One confidence per intent from the lexical matcher and sentence similarity together.

The fused confidence of an intent is ``w * lexical + (1 - w) * similarity``, where
``lexical`` is the lexical matcher's confidence and ``similarity`` is the highest cosine
between the message's embedding and the intent's examples, rescaled so that a cosine at
or below ``similarity_floor`` (what unrelated sentences reach) counts as 0 and 1 stays 1.
The result goes to the same decision (thresholds, ambiguity, did-you-mean) as a lexical
confidence: there is no second decision path.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from bot.nlu.parse import IntentScore, Matcher
from bot.nlu.semantic.index import SemanticIndex, TextEncoder

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FusionSettings:
    """How the two signals are combined (tuned on CLINC150 val and the dev questions).

    Attributes:
        lexical_weight: ``w``, the lexical confidence's share of the fused one.
        similarity_floor: Cosine that counts as no similarity at all.
    """

    lexical_weight: float = 0.75
    similarity_floor: float = 0.2


class FusedMatcher:
    """Ranks intents by the fused confidence; a drop-in :class:`bot.nlu.parse.Matcher`.

    Args:
        lexical: The lexical matcher (its confidences are in [0, 1]).
        index: Embeddings of the intents' examples.
        encoder: The sentence encoder the index was built with.
        settings: The fusion weights.
    """

    def __init__(
        self,
        lexical: Matcher,
        index: SemanticIndex,
        encoder: TextEncoder,
        settings: FusionSettings | None = None,
    ) -> None:
        self.lexical = lexical
        self.index = index
        self.settings = settings or FusionSettings()
        self.encoder = encoder
        self._position = {name: i for i, name in enumerate(index.intents)}
        self._embed = lru_cache(maxsize=1024)(self._embed_one)

    def __getattr__(self, name: str) -> object:
        """Offer what else the lexical matcher offers (``new_words``, ``covers``, ...).

        Only the ranking is fused; what the engine asks the lexical matcher about the
        message's words is answered by the lexical matcher itself.
        """
        if name.startswith("_") or "lexical" not in self.__dict__:
            raise AttributeError(name)
        return getattr(self.__dict__["lexical"], name)

    def _embed_one(self, text: str) -> np.ndarray:
        return self.encoder.encode([text])[0]

    def embed(self, text: str) -> np.ndarray:
        """Return the embedding of ``text`` (whitespace-normalised; recent ones cached)."""
        return self._embed(" ".join(text.split()))

    def similarity(self, text: str) -> np.ndarray:
        """Return the rescaled similarity (0..1) of ``text`` to each intent of the index."""
        floor = self.settings.similarity_floor
        cosine = self.index.similarity(self.embed(text))
        return np.clip((cosine - floor) / (1.0 - floor), 0.0, 1.0)

    def rank(self, text: str, limit: int = 10) -> list[IntentScore]:
        """Return up to ``limit`` intents, best first, with fused confidences in [0, 1].

        A message the lexical matcher finds nothing to read in (no tokens at all) gets
        no ranking, as without the semantic signal.
        """
        lexical_ranking = self.lexical.rank(text, limit=len(self._position) or 1)
        if not lexical_ranking:
            return []
        lexical = np.zeros(len(self._position))
        for score in lexical_ranking:
            position = self._position.get(score.name)
            if position is not None:
                lexical[position] = score.confidence
        weight = self.settings.lexical_weight
        fused = weight * lexical + (1.0 - weight) * self.similarity(text)
        order = np.lexsort((-lexical, -fused))[:limit]
        return [
            IntentScore(self.index.intents[i], float(min(1.0, max(0.0, fused[i]))))
            for i in order
        ]
