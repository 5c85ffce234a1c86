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

from bot.commands.common import build_engine
from bot.dialog.engine import Engine
from bot.evaluation.conversations import Conversation, load_conversations, run_conversation

TESTS = Path(__file__).resolve().parent
SHIPPED = TESTS.parent / "intents"

# The same reader and player as ``faqbot test``: one definition of the format.
CASES: list[Conversation] = [
    conversation
    for path in sorted(TESTS.glob("conversations*.yml"))
    for conversation in load_conversations(path)
]


@pytest.fixture(scope="module")
def engine() -> Engine:
    if not any(SHIPPED.rglob("*.yml")):
        pytest.skip("the shipped knowledge base is not there yet")
    args = argparse.Namespace(intents=SHIPPED, config=None, endpoints=None)
    return build_engine(args)


@pytest.mark.parametrize(
    "conversation", CASES, ids=[f"{Path(c.path).stem}: {c.name}" for c in CASES]
)
def test_conversation(engine: Engine, conversation: Conversation) -> None:
    result = run_conversation(engine, conversation)
    transcript = "\n".join(
        f"  {number}. user: {turn.expected.user!r}\n"
        f"     bot [{turn.intent} / {turn.decision}]: {turn.reply!r}"
        + "".join(f"\n     FAILED: {failure}" for failure in turn.failures)
        for number, turn in enumerate(result.turns, 1)
    )
    assert result.passed, f"{conversation.name}\n{transcript}"
