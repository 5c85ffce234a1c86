"""Build the replies the engine sends: answers, suggestions, fallbacks, follow-up buttons."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence

from bot.dialog.payloads import entity_payload, payload_intent
from bot.dialog.turn import Reply
from bot.kb.model import Button, KnowledgeBase
from bot.nlu.lexicon import FUNCTION_WORDS, QUESTION_WORDS
from bot.nlu.matcher import answer_texts
from bot.nlu.normalize import normalize, stem
from bot.nlu.parse import Entity
from bot.nlu.subjects import AUXILIARIES

DEFAULT_FALLBACK_TEXT = (
    "Sorry, I don't know the answer to that. Type /help to see what I can answer."
)
DEFAULT_SUGGEST_TEXT = "I'm not sure I understood. Did you mean:"
SINGLE_SUGGEST_TEXT = "Did you mean \u201c{title}\u201d? (yes / no)"
DECLINED_TEXT = "All right. Could you ask it another way? Type /help to see what I can answer."
NOT_COVERED_TEXT = (
    "My sources say nothing about {words}, so I can't answer that. "
    "Type /help to see what I can answer."
)
REPHRASE_TEXT = (
    "I'm not sure what you mean. Could you say it another way? "
    "Type /help to see what I can answer."
)
NOTHING_MORE_TEXT = "That's all I can tell you about {title}. Ask me something else!"
NOTHING_MORE_NO_TOPIC_TEXT = "More about what? Ask me a question, or type /help."


def title(kb: KnowledgeBase, intent: str) -> str:
    """Return a short human title for an intent (metadata ``title`` or first example)."""
    found = kb.intents.get(intent)
    if found is None:
        return intent
    value = found.metadata.get("title") if found.metadata else None
    if isinstance(value, str) and value.strip():
        return value.strip()
    return found.examples[0].text if found.examples else intent


_POLARITY = re.compile(r"^(?:Yes|No)[.,!]\s+(?=\S)")


def own_polarity(kb: KnowledgeBase, intent: str, message: str,
                 replies: list[Reply]) -> list[Reply]:
    """Drop an answer's opening "Yes." or "No." when it answers another question than asked.

    An FAQ answer opens with the yes or no of its own question ("Will I be fined for
    returning a book late?" - "No. Late fines were abolished in 2021."). Asked "did they
    drop late fines", that "No." says the opposite of the answer. It stays only for a
    yes/no question whose content words all come from the intent's title (its own
    question): then the polarity is the one asked for. An action's reply is its own.
    """
    if (not replies or not _POLARITY.match(replies[0].text)
            or replies[0].text not in answer_texts(kb, intent, with_title=False)):
        return replies  # an action decides its own yes or no ("did nvidia invest")
    words = normalize(message).split()
    title_stems = {stem(w) for w in normalize(title(kb, intent)).split()}
    content = [w for w in words if w not in FUNCTION_WORDS and w not in QUESTION_WORDS]
    if (words and words[0] in AUXILIARIES
            and all(stem(w) in title_stems for w in content)):
        return replies
    first = replies[0]
    text = _POLARITY.sub("", first.text, count=1)
    return [Reply(text[:1].upper() + text[1:], first.buttons), *replies[1:]]


def context_text(kb: KnowledgeBase, intent: str) -> str:
    """Return words that stand for ``intent`` when it was picked by a button or number."""
    found = kb.intents.get(intent)
    if found is not None and found.examples:
        return found.examples[0].text
    return title(kb, intent)


def buttons_for(kb: KnowledgeBase, intents: Iterable[str],
                entities: Sequence[Entity] = ()) -> tuple[Button, ...]:
    """Return one button per intent: its title, and the payload ``/<intent>``.

    With ``entities``, each payload carries them (``/<intent>{"entity": "value"}``).
    """
    return tuple(Button(title(kb, name), entity_payload(name, entities)) for name in intents)


def buttons_for_payloads(kb: KnowledgeBase, payloads: Iterable[str]) -> tuple[Button, ...]:
    """Return one button per payload, titled after the intent it names."""
    return tuple(Button(title(kb, payload_intent(p) or p), p) for p in payloads)


def fill_slots(text: str, slots: Mapping[str, object]) -> str:
    """Fill Rasa-style ``{slot}`` placeholders from ``slots``; unknown ones stay as typed."""
    if "{" not in text or not slots:
        return text
    for name, value in slots.items():
        if value is not None:
            text = text.replace("{" + str(name) + "}", str(value))
    return text


def response(kb: KnowledgeBase, name: str, turn: int,
             slots: Mapping[str, object] | None = None) -> Reply | None:
    """Return one variation of the response ``name``, rotating with ``turn``.

    Args:
        kb: The knowledge base.
        name: Response name, e.g. ``utter_greet``.
        turn: The conversation's turn counter (picks the variation).
        slots: Slot values for ``{slot}`` placeholders.

    Returns:
        The reply, or None when the response does not exist or has no variation.
    """
    found = kb.responses.get(name)
    if found is None or not found.variants:
        return None
    variant = found.variants[turn % len(found.variants)]
    return Reply(fill_slots(variant.text, slots or {}), variant.buttons)


def fallback(kb: KnowledgeBase, turn: int) -> Reply:
    """Return ``utter_default`` when the knowledge base has it, else a built-in text."""
    return response(kb, "utter_default", turn) or Reply(DEFAULT_FALLBACK_TEXT)


def not_covered(kb: KnowledgeBase, words: Sequence[str], turn: int) -> Reply:
    """Return the refusal of a near miss: the message names what the sources do not cover.

    ``utter_out_of_scope`` when the knowledge base has it (``{words}`` is filled in), else
    a built-in text.
    """
    quoted = " or ".join(f"\u201c{w}\u201d" for w in words[:3])
    return (response(kb, "utter_out_of_scope", turn, {"words": quoted})
            or Reply(NOT_COVERED_TEXT.format(words=quoted)))


def rephrase(kb: KnowledgeBase, turn: int) -> Reply:
    """Return the refusal of an unclear message close to what the bot knows.

    ``utter_ask_rephrase`` when the knowledge base has it (Rasa's name), else a built-in text.
    """
    return response(kb, "utter_ask_rephrase", turn) or Reply(REPHRASE_TEXT)


def suggestion(kb: KnowledgeBase, intents: Iterable[str], entities: Sequence[Entity] = (),
               needs: Callable[[str], Collection[str]] | None = None) -> Reply:
    """Return the "did you mean" reply with one button per intent.

    The buttons carry the message's ``entities`` so that picking one answers for them.
    When ``needs`` says an intent reads some of them, their values follow its title:
    "Did a company invest? (Nvidia)".
    """
    buttons = []
    for button, name in zip(buttons_for(kb, intents, entities), intents, strict=True):
        wanted = needs(name) if needs is not None else ()
        values = list(dict.fromkeys(e.value for e in entities if e.entity in wanted))
        label = f"{button.title} ({', '.join(values)})" if values else button.title
        buttons.append(Button(label, button.payload))
    if len(buttons) == 1:
        title_text = buttons[0].title.rstrip("?")
        return Reply(SINGLE_SUGGEST_TEXT.format(title=title_text), tuple(buttons))
    return Reply(DEFAULT_SUGGEST_TEXT, tuple(buttons))


def nothing_more(kb: KnowledgeBase, intent: str | None) -> Reply:
    """Return the reply to "tell me more" when there is nothing more to say."""
    if intent is None:
        return Reply(NOTHING_MORE_NO_TOPIC_TEXT)
    return Reply(NOTHING_MORE_TEXT.format(title=title(kb, intent)))


def with_followups(replies: list[Reply], kb: KnowledgeBase,
                   followups: tuple[str, ...]) -> list[Reply]:
    """Attach follow-up buttons to the last reply, unless it already has buttons."""
    if not followups or not replies or replies[-1].buttons:
        return replies
    last = replies[-1]
    return [*replies[:-1], Reply(last.text, buttons_for(kb, followups))]
