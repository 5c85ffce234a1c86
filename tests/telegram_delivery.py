"""Shared by the delivery and restart tests: questions, and the answers expected per chat."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from bot.adapters.telegram.formatting import to_html_parts
from bot.config import load_config
from bot.dialog.engine import Engine, build_brain
from bot.kb.loader import load_knowledge_base

# Each answered with exactly one message; follow-ups make the answers depend on context.
QUESTIONS = ["how much money has mistral raised", "tell me more", "who founded mistral",
             "hello", "what is mistral revenue", "tell me more", "zzqx vrrbl kkkp"]


def script(chats: list[int], per_chat: int) -> list[tuple[int, str]]:
    """Messages interleaved across chats, each chat with its own order of questions."""
    return [(chat, QUESTIONS[(round_ + chat) % len(QUESTIONS)])
            for round_ in range(per_chat) for chat in chats]


def expected_answers(intents: Path, messages: list[tuple[int, str]]) -> dict[int, list[str]]:
    """What each chat must receive, in order, from an engine that never restarts."""
    engine = Engine(build_brain(load_knowledge_base(intents)), load_config(None))
    found: dict[int, list[str]] = defaultdict(list)
    for chat, text in messages:
        for reply in engine.handle(f"{chat}:{chat}", text).responses:
            found[chat].extend(to_html_parts(reply.text))
    return dict(found)


def delivered(calls) -> dict[int, list[str]]:
    """Texts the fake Bot API accepted per chat, in the order it accepted them."""
    found: dict[int, list[str]] = defaultdict(list)
    for call in calls:
        if call.method == "sendMessage" and call.status == 200:
            found[int(call.params["chat_id"])].append(call.params["text"])
    return dict(found)
