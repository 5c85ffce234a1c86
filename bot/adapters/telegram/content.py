"""Texts and buttons derived from the knowledge base: greeting, help, topics.

Topics come from intent metadata (``topic`` groups intents, ``title`` names them); the
example questions offered on ``/start`` are the first example of titled intents, one per
topic first, so the greeting shows the breadth of what the bot knows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from bot.kb.model import Button, KnowledgeBase

GREETING = (
    "Hello! I answer questions about Mistral AI, the French AI company: its funding, "
    "models, founders and more. Ask me in your own words, or try one of these:"
)
HELP = (
    "Ask me anything about Mistral AI in a plain sentence, for example "
    "\u201cHow much money has Mistral raised?\u201d.\n\n"
    "/topics shows what I know about, by topic.\n"
    "/start shows a few example questions.\n"
    "/help shows this message.\n\n"
    "When I am not sure what you mean I suggest questions as buttons: tap one to get "
    "its answer. In a group, mention me or reply to one of my messages."
)
TOPICS_INTRO = "Pick a topic:"
NO_TOPICS = "I have no topics to show yet."
NON_TEXT = "I can only read text messages. Please type your question."
APOLOGY = "Sorry, something went wrong while answering. Please try again."
TOPIC_PREFIX = "topic:"
EXPIRED_BUTTON = "That button has expired. Please ask your question again."
SKIPPED_SERVICE_INTENTS = frozenset({"greet", "goodbye", "bot_challenge", "nlu_fallback"})


@dataclass(frozen=True)
class Topic:
    """A topic key, its human title and the intents under it."""

    key: str
    title: str
    intents: tuple[str, ...]


def _meta(kb: KnowledgeBase, intent: str, key: str) -> str | None:
    found = kb.intents.get(intent)
    value = found.metadata.get(key) if found and found.metadata else None
    return value if isinstance(value, str) and value.strip() else None


def intent_title(kb: KnowledgeBase, intent: str) -> str:
    """Return the intent's ``title`` metadata, else its first example, else its name."""
    title = _meta(kb, intent, "title")
    if title:
        return title.strip()
    found = kb.intents.get(intent)
    return found.examples[0].text if found and found.examples else intent


def topics(kb: KnowledgeBase) -> list[Topic]:
    """Return the topics of answerable intents, in first-declared order."""
    grouped: dict[str, list[str]] = {}
    for name in kb.answerable_intents():
        key = _meta(kb, name, "topic")
        if key:
            grouped.setdefault(key.strip(), []).append(name)
    return [
        Topic(key, key.replace("_", " ").replace("-", " ").strip().capitalize(), tuple(names))
        for key, names in grouped.items()
    ]


def topic_buttons(kb: KnowledgeBase) -> list[Button]:
    """Return one button per topic (payload ``topic:<key>``).

    Without any ``topic`` metadata, return the titled intents as question buttons instead.
    """
    found = topics(kb)
    if found:
        return [Button(t.title, f"{TOPIC_PREFIX}{t.key}") for t in found]
    return [Button(intent_title(kb, n), f"/{n}") for n in _titled(kb)][:30]


def topic_questions(kb: KnowledgeBase, key: str) -> tuple[str, list[Button]]:
    """Return the heading and question buttons of topic ``key`` (empty if unknown)."""
    for topic in topics(kb):
        if topic.key == key:
            buttons = [Button(intent_title(kb, n), f"/{n}") for n in topic.intents]
            return f"{topic.title}: pick a question.", buttons
    return "", []


def button_payloads(kb: KnowledgeBase) -> Iterator[str]:
    """Yield every payload a button of ours may carry without entities: intents, topics.

    Used to resolve a hashed ``callback_data`` that is no longer in memory (a restart).
    """
    yield from (f"/{name}" for name in kb.intents)
    yield from (f"{TOPIC_PREFIX}{topic.key}" for topic in topics(kb))


def _titled(kb: KnowledgeBase) -> list[str]:
    return [
        n for n in kb.answerable_intents()
        if n not in SKIPPED_SERVICE_INTENTS and _meta(kb, n, "title")
    ]


def example_questions(kb: KnowledgeBase, limit: int = 4) -> list[Button]:
    """Return up to ``limit`` example questions as buttons, preferring distinct topics."""
    titled = _titled(kb)
    chosen: list[str] = []
    seen_topics: set[str] = set()
    for name in titled:
        topic = _meta(kb, name, "topic") or name
        if topic not in seen_topics:
            seen_topics.add(topic)
            chosen.append(name)
    chosen += [n for n in titled if n not in chosen]
    buttons = []
    for name in chosen[:limit]:
        intent = kb.intents[name]
        question = intent.examples[0].text if intent.examples else intent_title(kb, name)
        buttons.append(Button(question[:1].upper() + question[1:], f"/{name}"))
    return buttons
