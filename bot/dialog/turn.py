"""What the engine returns for one message."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.kb.model import Button
from bot.nlu.parse import Parse


@dataclass(frozen=True)
class Reply:
    """One message the bot sends back: text and optional buttons."""

    text: str
    buttons: tuple[Button, ...] = ()

    def to_json(self) -> dict[str, object]:
        """Return ``{"text", "buttons": [{"title", "payload"}]}``."""
        return {
            "text": self.text,
            "buttons": [{"title": b.title, "payload": b.payload} for b in self.buttons],
        }


@dataclass(frozen=True)
class Turn:
    """One exchange: the message, what was understood, and the replies.

    Attributes:
        sender: Who wrote the message.
        text: The message as received.
        parse: Intent, ranking and entities.
        responses: Replies in order.
        decision: ``answer``; ``suggest`` (did you mean); ``fallback``; ``nothing_more``
            ("tell me more" with nothing more to say); ``empty`` (no words) or
            ``rejected`` (too long, or not text).
        events: Events produced by custom actions (Rasa event dictionaries).
    """

    sender: str
    text: str
    parse: Parse
    responses: tuple[Reply, ...]
    decision: str = "answer"
    events: tuple[dict, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, object]:
        """Return the JSON-lines contract of ``faqbot console --json``."""
        return {
            "sender": self.sender,
            "text": self.text,
            "intent": self.parse.intent.to_json(),
            "intent_ranking": [s.to_json() for s in self.parse.intent_ranking],
            "entities": [e.to_json() for e in self.parse.entities],
            "responses": [r.to_json() for r in self.responses],
        }
