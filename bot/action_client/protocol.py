"""Rasa's action-server protocol: the ``/webhook`` request and its response.

Request: ``{"next_action", "sender_id", "tracker", "domain", "version"}``, the tracker
holding the slots and the latest message (text, intent, ranking, entities). Response:
``{"events": [...], "responses": [...]}``, the responses being the dispatcher's messages.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from importlib import metadata

from bot.dialog.state import ConversationState
from bot.dialog.turn import Reply
from bot.kb.model import Button
from bot.nlu.parse import Parse

logger = logging.getLogger(__name__)

ACTION_LISTEN = "action_listen"
FALLBACK_VERSION = "3.1.0"


class ProtocolError(ValueError):
    """The action server answered something that is not an action-server response."""


def protocol_version() -> str:
    """Return the version sent as ``version`` (the installed rasa_sdk's, to match it)."""
    try:
        return metadata.version("rasa-sdk")
    except metadata.PackageNotFoundError:
        return FALLBACK_VERSION


def latest_message(parse: Parse) -> dict[str, object]:
    """Return Rasa's ``parse_data`` for the message being answered."""
    return {
        "text": parse.text,
        "intent": parse.intent.to_json(),
        "intent_ranking": [s.to_json() for s in parse.intent_ranking],
        "entities": [e.to_json() for e in parse.entities],
    }


def build_domain(action: str, parse: Parse, slots: Mapping[str, object]) -> dict[str, object]:
    """Return a minimal Rasa domain: the intent, entities, slots and the action."""
    entities = sorted({e.entity for e in parse.entities} | set(slots))
    return {
        "version": "3.1",
        "intents": [parse.intent.name],
        "entities": entities,
        "slots": {
            name: {
                "type": "any",
                "influence_conversation": False,
                "mappings": [{"type": "from_entity", "entity": name}],
            }
            for name in entities
        },
        "responses": {},
        "actions": [action],
        "forms": {},
        "session_config": {"session_expiration_time": 60,
                           "carry_over_slots_to_new_session": True},
    }


def build_action_call(
    action: str, sender: str, parse: Parse, state: ConversationState
) -> dict[str, object]:
    """Return the JSON body Rasa posts to ``/webhook`` to run ``action``.

    Args:
        action: Action name (``action_...``).
        sender: Conversation key.
        parse: What was understood of the message.
        state: The sender's state; its slots become the tracker's slots.

    Returns:
        The request body.
    """
    now = time.time()
    message = latest_message(parse)
    slots = dict(state.slots)
    tracker = {
        "sender_id": sender,
        "slots": slots,
        "latest_message": message,
        "latest_event_time": now,
        "followup_action": None,
        "paused": False,
        "events": [
            {"event": "action", "name": ACTION_LISTEN, "timestamp": now - 0.001},
            {"event": "user", "text": parse.text, "parse_data": message, "timestamp": now,
             "input_channel": None},
        ],
        "latest_input_channel": None,
        "active_loop": {},
        "latest_action": {"action_name": ACTION_LISTEN},
        "latest_action_name": ACTION_LISTEN,
    }
    return {
        "next_action": action,
        "sender_id": sender,
        "tracker": tracker,
        "domain": build_domain(action, parse, slots),
        "version": protocol_version(),
    }


def _button(raw: object) -> Button | None:
    if not isinstance(raw, Mapping):
        return None
    title, payload = raw.get("title"), raw.get("payload")
    if isinstance(title, str) and isinstance(payload, str) and title and payload:
        return Button(title, payload)
    return None


def parse_action_result(body: object, action: str) -> tuple[list[Reply], list[dict]]:
    """Turn an action-server response into replies and events.

    Messages with neither text nor buttons (images, custom JSON, response templates)
    are skipped with a warning; events without an ``event`` key are dropped.

    Raises:
        ProtocolError: When ``body`` is not ``{"events": [...], "responses": [...]}``.
    """
    if not isinstance(body, Mapping):
        raise ProtocolError(f"{action}: response is not a JSON object")
    events, responses = body.get("events") or [], body.get("responses") or []
    if not isinstance(events, list) or not isinstance(responses, list):
        raise ProtocolError(f"{action}: 'events' and 'responses' must be lists")
    replies: list[Reply] = []
    for message in responses:
        if not isinstance(message, Mapping):
            continue
        text = message.get("text")
        buttons = tuple(b for b in map(_button, message.get("buttons") or []) if b)
        if not (isinstance(text, str) and text) and not buttons:
            logger.warning("%s: skipped a message without text (%s)", action,
                           message.get("response") or "custom content")
            continue
        replies.append(Reply(text if isinstance(text, str) else "", buttons))
    valid_events = [dict(e) for e in events
                    if isinstance(e, Mapping) and isinstance(e.get("event"), str)]
    return replies, valid_events
