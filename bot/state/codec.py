"""Conversation state to JSON and back, for the stores that keep it outside the process."""

from __future__ import annotations

import json
import logging
from types import MappingProxyType

from bot.dialog.state import ConversationState

logger = logging.getLogger(__name__)


def encode_state(state: ConversationState) -> str:
    """Return ``state`` as compact JSON (slot values must be JSON values, as in Rasa)."""
    return json.dumps({
        "last_intent": state.last_intent,
        "last_text": state.last_text,
        "suggestions": list(state.suggestions),
        "slots": dict(state.slots),
        "turns": state.turns,
        "choices": list(state.choices),
        "recent": list(state.recent),
    }, ensure_ascii=False, separators=(",", ":"), default=str)


def decode_state(raw: str | bytes, sender: str = "?") -> ConversationState:
    """Return the state ``raw`` holds; a fresh one (with a warning) when it is unreadable.

    Args:
        raw: What :func:`encode_state` wrote.
        sender: Named in the warning.
    """
    try:
        data = json.loads(raw)
        return ConversationState(
            last_intent=_text_or_none(data.get("last_intent")),
            last_text=_text_or_none(data.get("last_text")),
            suggestions=tuple(str(s) for s in data.get("suggestions") or ()),
            slots=MappingProxyType(dict(data.get("slots") or {})),
            turns=int(data.get("turns") or 0),
            choices=tuple(str(c) for c in data.get("choices") or ()),
            recent=tuple(str(r) for r in data.get("recent") or ()),
        )
    except (ValueError, TypeError, AttributeError) as exc:
        logger.warning("stored conversation of %s is unreadable (%s); starting afresh",
                       sender, exc)
        return ConversationState()


def _text_or_none(value: object) -> str | None:
    return None if value is None else str(value)
