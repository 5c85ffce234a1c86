"""Result types of natural-language understanding, shaped like Rasa's parse data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class IntentScore:
    """An intent and the confidence, in [0, 1], that the message means it."""

    name: str
    confidence: float

    def to_json(self) -> dict[str, object]:
        """Return Rasa's ``{"name", "confidence"}`` shape."""
        return {"name": self.name, "confidence": round(float(self.confidence), 4)}


@dataclass(frozen=True)
class Entity:
    """An entity found in a message, in Rasa's shape."""

    entity: str
    value: str
    start: int
    end: int
    confidence: float = 1.0
    extractor: str = "FuzzyLookupExtractor"

    def to_json(self) -> dict[str, object]:
        """Return Rasa's entity dictionary."""
        return {
            "entity": self.entity,
            "value": self.value,
            "start": self.start,
            "end": self.end,
            "confidence": round(float(self.confidence), 4),
            "extractor": self.extractor,
        }


@dataclass(frozen=True)
class Parse:
    """What the bot understood of one message.

    Attributes:
        text: The message as received.
        intent: The intent committed to (``nlu_fallback`` when none).
        intent_ranking: Up to 10 intents, best first, before the fallback decision.
        entities: Entities found in the message.
    """

    text: str
    intent: IntentScore
    intent_ranking: tuple[IntentScore, ...] = ()
    entities: tuple[Entity, ...] = ()


class Matcher(Protocol):
    """Ranks the intents of a knowledge base for a message."""

    def rank(self, text: str, limit: int = 10) -> list[IntentScore]:
        """Return up to ``limit`` intents, best first, with confidences in [0, 1]."""
        ...


class EntityExtractor(Protocol):
    """Finds entities in a message."""

    def extract(self, text: str) -> list[Entity]:
        """Return the entities found in ``text``."""
        ...
