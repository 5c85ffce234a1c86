"""Messages that name their intent: button payloads (``/intent``) and picked numbers.

:func:`read_choice` is the one place that decides what a typed number means (a pick of a
button shown, a number out of range, or an ordinary question) and whether a payload's
entities can be used; :func:`parse_payload` then reads the payload.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.dialog.inputs import clean_text
from bot.kb.model import KnowledgeBase
from bot.nlu.parse import Entity

_PAYLOAD = re.compile(r"^/(?P<intent>[^\s{}@]+)(?:@\S+)?(?P<entities>\{.*\})?$", re.DOTALL)
PAYLOAD_EXTRACTOR = "payload"
MAX_ENTITY_CHARS = 200
MAX_ENTITY_VALUES = 10
MAX_PICK_DIGITS = 3  # a longer number ("2024") is a question, not a pick

PICK_RANGE_TEXT = "Please pick a number from 1 to {count}:"
NOTHING_TO_PICK_TEXT = (
    "There is nothing to pick right now. Ask me a question, or type /help."
)
BAD_PAYLOAD_TEXT = "I can't use that button: {why}. Please ask your question in words."


@dataclass(frozen=True)
class Choice:
    """What a message means before it is matched, from :func:`read_choice`.

    Attributes:
        message: The message to read on: the payload of the button picked, or the text.
        refusal: When set, the reply to send instead of reading on.
        show_choices: Show the buttons on screen again with the refusal.
    """

    message: str
    refusal: str | None = None
    show_choices: bool = False


def read_choice(message: str, choices: Sequence[str], kb: KnowledgeBase) -> Choice:
    """Decide what a cleaned message picks, or why it is refused.

    A pick is ASCII digits (``2``, ``#2``, ``2.``, ``2)``) within the buttons shown. Any
    other number while buttons are shown (``0``, ``-1``, ``²``, ``①``, a 20-digit number)
    gets "pick 1 to N" with the buttons again; a short number when no button is shown gets
    "nothing to pick"; other text (a longer number such as a year) is a question. A payload,
    typed or picked, whose entities are not short strings is refused saying why.

    Args:
        message: The cleaned message.
        choices: Payloads of the buttons on screen, in order.
        kb: The knowledge base (a payload must name one of its intents).

    Returns:
        The message to read on, or a refusal.
    """
    number = _number(message)
    if number is not None:
        sign, digits = number
        pickable = not sign and digits.isascii() and digits.isdigit() and (
            len(digits) <= MAX_PICK_DIGITS)
        if choices and pickable and 1 <= int(digits) <= len(choices):
            message = choices[int(digits) - 1]
        elif choices:
            return Choice(message, PICK_RANGE_TEXT.format(count=len(choices)), True)
        elif pickable:
            return Choice(message, NOTHING_TO_PICK_TEXT)
    match = _PAYLOAD.match(message)
    if match and match.group("intent") in kb.intents and match.group("entities"):
        _values, problem = read_entity_values(match.group("entities"))
        if problem is not None:
            return Choice(message, BAD_PAYLOAD_TEXT.format(why=problem))
    return Choice(message)


def _number(message: str) -> tuple[str, str] | None:
    """Return ``(sign, digits)`` when the message is a number alone, in any script."""
    stripped = message.strip().lstrip("#").rstrip(".)").strip()
    sign = stripped[:1] if stripped[:1] in ("-", "+", "\u2212") else ""
    digits = stripped[len(sign):]
    return (sign, digits) if digits.isnumeric() else None


def read_entity_values(raw: str) -> tuple[dict[str, list[str]], str | None]:
    """Read a payload's JSON object of entities: each value a short string, or a list of them.

    Args:
        raw: The ``{...}`` part of a payload.

    Returns:
        ``{entity: [values]}`` and None, or ``{}`` and why the object cannot be used.
        Names and values are cleaned as typed text is (JSON escapes can carry control
        characters and lone surrogates).
    """
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return {}, "its entities are not a valid JSON object"
    if not isinstance(data, dict):
        return {}, "its entities are not a JSON object"
    values: dict[str, list[str]] = {}
    for raw_name, value in data.items():
        name = " ".join(clean_text(raw_name).split())
        if not name or len(name) > MAX_ENTITY_CHARS:
            return {}, "an entity name is empty or too long"
        items = value if isinstance(value, list) else [value]
        if not items or len(items) > MAX_ENTITY_VALUES:
            return {}, f"'{name[:40]}' needs 1 to {MAX_ENTITY_VALUES} values"
        cleaned: list[str] = []
        for item in items:
            if not isinstance(item, str):
                return {}, f"the value of '{name[:40]}' must be text, not {_kind(item)}"
            text = " ".join(clean_text(item).split())
            if not text or len(text) > MAX_ENTITY_CHARS:
                return {}, (f"the value of '{name[:40]}' must be 1 to {MAX_ENTITY_CHARS} "
                            "characters long")
            cleaned.append(text)
        values[name] = cleaned
    return values, None


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dict):
        return "an object"
    return "a list inside a list" if isinstance(value, list) else type(value).__name__


@dataclass(frozen=True)
class Payload:
    """A message of the form ``/intent`` or ``/intent{"entity": "value"}``, as in Rasa.

    Attributes:
        intent: The intent named.
        entities: Entities given in the payload's JSON object.
    """

    intent: str
    entities: tuple[Entity, ...] = ()


def parse_payload(message: str, kb: KnowledgeBase) -> Payload | None:
    """Return the payload a message carries, or None when it names no known intent.

    ``/faq/funding`` names the retrieval intent ``faq/funding``. A trailing Telegram-style
    ``@botname`` is ignored. Entities are read from an optional JSON object.

    Args:
        message: The cleaned message.
        kb: The knowledge base, to check the intent exists.

    Returns:
        The payload, or None.
    """
    match = _PAYLOAD.match(message)
    if not match or match.group("intent") not in kb.intents:
        return None
    entities: list[Entity] = []
    raw = match.group("entities")
    if raw:
        values, _problem = read_entity_values(raw)  # read_choice refused unusable ones
        start = match.start("entities")
        for name, items in values.items():
            entities.extend(Entity(name, item, start, len(message), 1.0, PAYLOAD_EXTRACTOR)
                            for item in items)
    return Payload(match.group("intent"), tuple(entities))


def entity_payload(intent: str, entities: Sequence[Entity] = ()) -> str:
    """Return the payload naming ``intent``, carrying ``entities`` as Rasa does.

    ``/intent`` alone, or ``/intent{"entity": "value"}`` (a list when one entity has several
    values), so a picked button keeps what the original message named.

    Args:
        intent: The intent the payload names.
        entities: Entities to carry; repeated values are given once.

    Returns:
        The payload text, which :func:`parse_payload` reads back.
    """
    values: dict[str, list[str]] = {}
    for entity in entities:
        found = values.setdefault(entity.entity, [])
        if entity.value not in found:
            found.append(entity.value)
    if not values:
        return f"/{intent}"
    data = {name: found[0] if len(found) == 1 else found for name, found in values.items()}
    return f"/{intent}" + json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def payload_intent(payload: str) -> str | None:
    """Return the intent a payload names (``/x{...}`` -> ``x``), without checking it exists."""
    match = _PAYLOAD.match(payload)
    return match.group("intent") if match else None
