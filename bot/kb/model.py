"""The knowledge base as frozen data: what the loader produces and the engine reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

FALLBACK_INTENT = "nlu_fallback"


@dataclass(frozen=True)
class SourceRef:
    """Where a piece of the knowledge base was written.

    Attributes:
        path: File path as given to the loader.
        line: 1-based line number.
        column: 1-based column number.
    """

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Example:
    """One training phrasing of an intent.

    Attributes:
        text: The phrasing, entity markup removed.
        source: Where it was written.
        entities: ``(value, entity)`` of each Rasa ``[value](entity)`` annotation.
    """

    text: str
    source: SourceRef | None = None
    entities: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Intent:
    """An intent with its examples.

    Attributes:
        name: Intent name, e.g. ``greet`` or the retrieval intent ``faq/funding``.
        examples: Phrasings users may type.
        metadata: The intent's optional Rasa ``metadata`` mapping.
        source: Where the intent was declared (its first declaration).
    """

    name: str
    examples: tuple[Example, ...]
    metadata: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    source: SourceRef | None = None

    @property
    def retrieval_group(self) -> str | None:
        """Return ``faq`` for ``faq/funding``, None for a plain intent."""
        return self.name.split("/", 1)[0] if "/" in self.name else None


@dataclass(frozen=True)
class Button:
    """A reply button; its payload is ``/<intent>`` as in Rasa.

    ``source`` (where the payload was written) is left out of comparisons.
    """

    title: str
    payload: str
    source: SourceRef | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class ResponseVariant:
    """One variation of a response: text and optional buttons."""

    text: str
    buttons: tuple[Button, ...] = ()


@dataclass(frozen=True)
class Response:
    """A named response (``utter_...``) with its variations."""

    name: str
    variants: tuple[ResponseVariant, ...]
    source: SourceRef | None = None


@dataclass(frozen=True)
class Synonym:
    """A Rasa synonym: every example text maps to ``value``."""

    value: str
    examples: tuple[str, ...]
    source: SourceRef | None = None


@dataclass(frozen=True)
class LookupTable:
    """A Rasa lookup table: known values of an entity."""

    name: str
    elements: tuple[str, ...]
    source: SourceRef | None = None


@dataclass(frozen=True)
class Rule:
    """A Rasa rule reduced to what the engine runs: an intent followed by actions."""

    name: str
    intent: str
    actions: tuple[str, ...]
    source: SourceRef | None = None


@dataclass(frozen=True)
class KnowledgeBase:
    """Everything the bot knows, as loaded from a directory of YAML files.

    Attributes:
        intents: Intents by name.
        responses: Responses by name (``utter_greet``, ``utter_faq/funding``).
        synonyms: Rasa synonyms.
        lookups: Rasa lookup tables.
        rules: Rasa rules (intent -> actions).
        files: The files read, in order.
    """

    intents: Mapping[str, Intent]
    responses: Mapping[str, Response]
    synonyms: tuple[Synonym, ...] = ()
    lookups: tuple[LookupTable, ...] = ()
    rules: tuple[Rule, ...] = ()
    files: tuple[str, ...] = ()

    def actions_for(self, intent: str) -> tuple[str, ...]:
        """Return the actions that answer ``intent``.

        A rule naming the intent wins. Otherwise ``utter_<intent>`` when that response
        exists (a retrieval intent ``faq/k`` is answered by ``utter_faq/k``).

        Args:
            intent: Intent name.

        Returns:
            Action names in order; empty when nothing answers the intent.
        """
        for rule in self.rules:
            if rule.intent == intent:
                return rule.actions
        response = f"utter_{intent}"
        return (response,) if response in self.responses else ()

    def answerable_intents(self) -> tuple[str, ...]:
        """Return intents that have examples and something that answers them."""
        return tuple(
            name
            for name, intent in self.intents.items()
            if intent.examples and self.actions_for(name)
        )
