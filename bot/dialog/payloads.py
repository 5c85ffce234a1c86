"""Messages that name their intent: button payloads (``/intent``) and picked numbers."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.kb.model import KnowledgeBase
from bot.nlu.parse import Entity

_PAYLOAD = re.compile(r"^/(?P<intent>[^\s{}@]+)(?:@\S+)?(?P<entities>\{.*\})?$", re.DOTALL)
PAYLOAD_EXTRACTOR = "payload"


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
        try:
            data = json.loads(raw)
        except ValueError:
            data = None
        if isinstance(data, dict):
            start = match.start("entities")
            for name, value in data.items():
                for item in value if isinstance(value, list) else [value]:
                    entities.append(Entity(str(name), str(item), start, len(message),
                                           1.0, PAYLOAD_EXTRACTOR))
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


def parse_pick(message: str) -> int | None:
    """Return the number typed to pick a suggestion (``"2"``, ``"#2"``, ``"2."``), or None."""
    stripped = message.strip().lstrip("#").rstrip(".)")
    if stripped.isdigit() and len(stripped) <= 3:
        return int(stripped)
    return None
