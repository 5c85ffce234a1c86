"""Result types of natural-language understanding, shaped like Rasa's parse data.

A message is read once into an :class:`Utterance` (its normalised tokens, the spelling
corrections, the terms the matcher scores), as Rasa's NLU pipeline creates one
``Message`` that each component annotates: the matcher ranks it, the follow-up reader and
the dialog read its words, and nothing normalises the text again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.nlu.normalize import stem, tokenize


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


@dataclass(frozen=True)
class Correction:
    """How one typed token was read (see :mod:`bot.nlu.spelling`).

    Attributes:
        typed: The token as typed (normalised).
        meant: The word or words it stands for.
        source: ``kb`` (a knowledge-base word), ``english`` (a frequent English word) or
            ``shorthand`` (chat shorthand).
        distance: Edits between ``typed`` and ``meant`` (0 for shorthand).
        trust: How much ``meant`` counts as if typed, in (0, 1].
    """

    typed: str
    meant: tuple[str, ...]
    source: str
    distance: int
    trust: float


@dataclass(frozen=True)
class Utterance:
    """One message, normalised once, as every reader of it sees it.

    Attributes:
        text: The message as received.
        tokens: Its normalised tokens (:func:`bot.nlu.normalize.tokenize`: case and accents
            folded, contractions expanded, punctuation dropped).
        words: ``tokens`` with spelling corrections applied ("ppl" -> "people"); function
            words kept, so the follow-up reader still sees "it", "and", "what about".
        corrections: The corrections made, in order.
        terms: What the matcher scores: the words with the knowledge base's synonyms and
            paraphrases read and the function words it never uses dropped.
        trust: Per term, how much it counts (less for a correction or paraphrase).
    """

    text: str
    tokens: tuple[str, ...]
    words: tuple[str, ...]
    corrections: tuple[Correction, ...] = ()
    terms: tuple[str, ...] = ()
    trust: tuple[float, ...] = ()

    @classmethod
    def plain(cls, text: str) -> Utterance:
        """Return the reading of ``text`` with no knowledge base: tokens as they are."""
        tokens = tuple(tokenize(text))
        return cls(text, tokens, tokens, (), tokens, (1.0,) * len(tokens))

    @property
    def normalized(self) -> str:
        """The normalised tokens joined by spaces."""
        return " ".join(self.tokens)

    @property
    def stems(self) -> tuple[str, ...]:
        """The stems of ``terms``."""
        return tuple(stem(t) for t in self.terms)


class Reader(Protocol):
    """Reads a message once into an :class:`Utterance` (a matcher may offer this)."""

    def read(self, text: str) -> Utterance:
        """Return ``text`` normalised, corrected and ready to score."""
        ...


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
