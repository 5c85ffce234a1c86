"""Every conversation of ``tests/conversations*.yml``, run against the shipped knowledge base.

Format (one file or several)::

    conversations:
    - name: revenue then earlier revenue
      sender: optional-sender-id
      turns:
      - user: how much revenue does mistral make
        intent: fact_revenue          # expected intent name (nlu_fallback for refusals)
        contains: ["400"]             # fragments expected in the joined reply text
      - user: and a year before?
        intent: fact_revenue_previous

``contains`` fragments are matched case-insensitively. Each conversation starts with a
fresh context.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
import yaml

from bot.commands.common import build_engine
from bot.dialog.engine import Engine

TESTS = Path(__file__).resolve().parent
SHIPPED = TESTS.parent / "intents"
TURN_KEYS = {"user", "intent", "contains"}
CONVERSATION_KEYS = {"name", "sender", "turns"}


def _load_conversations() -> list[tuple[str, dict]]:
    cases: list[tuple[str, dict]] = []
    for path in sorted(TESTS.glob("conversations*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for index, conversation in enumerate(data.get("conversations") or []):
            name = conversation.get("name", f"conversation {index + 1}")
            cases.append((f"{path.stem}: {name}", conversation))
    return cases


CASES = _load_conversations()


@pytest.fixture(scope="module")
def engine() -> Engine:
    if not any(SHIPPED.rglob("*.yml")):
        pytest.skip("the shipped knowledge base is not there yet")
    args = argparse.Namespace(intents=SHIPPED, config=None, endpoints=None)
    return build_engine(args)


@pytest.mark.parametrize(("label", "conversation"), CASES, ids=[c[0] for c in CASES])
def test_conversation(engine: Engine, label: str, conversation: dict) -> None:
    unknown = set(conversation) - CONVERSATION_KEYS
    assert not unknown, f"{label}: unknown keys {sorted(unknown)}"
    sender = str(conversation.get("sender") or f"conversation:{label}")
    engine.reset(sender)
    transcript: list[str] = []
    for number, turn in enumerate(conversation.get("turns") or [], 1):
        unknown = set(turn) - TURN_KEYS
        assert not unknown, f"{label} turn {number}: unknown keys {sorted(unknown)}"
        result = engine.handle(sender, str(turn["user"]))
        reply = " ".join(r.text for r in result.responses)
        ranking = ", ".join(f"{s.name} {s.confidence:.2f}"
                            for s in result.parse.intent_ranking[:3])
        transcript.append(f"  {number}. user: {turn['user']!r}\n"
                          f"     bot [{result.parse.intent.name} / {result.decision}; "
                          f"{ranking}]: {reply!r}")
        where = f"{label}, turn {number}\n" + "\n".join(transcript)
        if "intent" in turn:
            assert result.parse.intent.name == turn["intent"], where
        for fragment in turn.get("contains") or []:
            assert str(fragment).lower() in reply.lower(), f"missing {fragment!r}: {where}"
