"""Buttons on Telegram: entities kept through "did you mean", edited commands, callback keys.

Run end to end against the fake Bot API on 127.0.0.1, like ``test_telegram_e2e.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from telegram_kb import write_kb  # noqa: E402
from telegram_server import TEST_TOKEN, BotRunner, FakeBotApi, Updates  # noqa: E402

from bot.adapters.telegram import content  # noqa: E402
from bot.adapters.telegram.app import build_application  # noqa: E402
from bot.adapters.telegram.keyboard import (  # noqa: E402
    MAX_CALLBACK_BYTES,
    CallbackCodec,
    inline_keyboard,
    payload_key,
)
from bot.adapters.telegram.ratelimit import FloodLimits  # noqa: E402
from bot.adapters.telegram.settings import TelegramSettings  # noqa: E402
from bot.commands.common import default_intents_dir  # noqa: E402
from bot.config import load_config  # noqa: E402
from bot.dialog.engine import Brain, Engine  # noqa: E402
from bot.dialog.payloads import entity_payload  # noqa: E402
from bot.dialog.turn import Turn  # noqa: E402
from bot.kb.loader import load_knowledge_base  # noqa: E402
from bot.kb.model import Button  # noqa: E402
from bot.nlu.entities import build_entity_extractor  # noqa: E402
from bot.nlu.parse import Entity, IntentScore  # noqa: E402

FAST = FloodLimits(per_chat=(1000, 1.0), per_group=(1000, 1.0), overall=(1000, 1.0))
LONG_TOPIC = "a_topic_key_long_enough_that_its_button_payload_cannot_fit_in_64_bytes"
EXTRA_YAML = f"""
version: "3.1"
nlu:
- intent: faq/ai_act
  metadata:
    title: The AI Act
    topic: {LONG_TOPIC}
  examples: |
    - what about the ai act
- lookup: investor
  examples: |
    - Nvidia
    - Samsung Venture Investment Corporation
responses:
  utter_faq/ai_act:
  - text: "The source says little about the AI Act."
"""


class Unsure:
    """A matcher that is never sure: funding and revenue, both below the answer threshold."""

    def rank(self, text: str, limit: int = 10) -> list[IntentScore]:
        """Rank two intents as close candidates."""
        return [IntentScore("faq/funding", 0.45), IntentScore("fact_revenue", 0.40)][:limit]


@pytest.fixture
def api():
    with FakeBotApi() as server:
        yield server


@pytest.fixture
def kb(tmp_path):
    intents = write_kb(tmp_path)
    (intents / "extra.yml").write_text(EXTRA_YAML, encoding="utf-8")
    return load_knowledge_base(intents)


def run_bot(api: FakeBotApi, engine: Engine) -> BotRunner:
    settings = TelegramSettings(token=TEST_TOKEN, base_url=api.base_url)
    runner = BotRunner(build_application(engine, settings, limits=FAST)).start()
    api.wait_for("getUpdates")
    return runner


def ask(api: FakeBotApi, update: dict, timeout: float = 10.0) -> dict:
    mark = api.mark()
    api.push(update)
    return api.wait_for("sendMessage", since=mark, timeout=timeout)[0].params


def keyboard(params: dict) -> dict[str, str]:
    rows = params.get("reply_markup", {}).get("inline_keyboard", [])
    return {b["text"]: b["callback_data"] for row in rows for b in row}


def test_did_you_mean_buttons_keep_the_entities_of_the_message(api, kb):
    turns: list[Turn] = []
    brain = Brain(kb, Unsure(), build_entity_extractor(kb))
    engine = Engine(brain, load_config(None), listeners=(turns.append,))
    updates = Updates()
    runner = run_bot(api, engine)
    try:
        suggestion = ask(api, updates.message(7, "nvdia money?"))
        assert turns[-1].decision == "suggest"
        buttons = keyboard(suggestion)
        assert buttons["Funding"] == '/faq/funding{"investor":"Nvidia"}'
        assert all(len(data.encode()) <= MAX_CALLBACK_BYTES for data in buttons.values())

        answer = ask(api, updates.callback(7, buttons["Funding"]))
        assert answer["text"].startswith("Mistral AI raised")
        assert turns[-1].parse.intent.name == "faq/funding"
        assert [(e.entity, e.value) for e in turns[-1].parse.entities] == [
            ("investor", "Nvidia")]

        # A long value makes the payload too long: a short key stands in for it.
        suggestion = ask(api, updates.message(7, "samsung venture investment corporation?"))
        key = keyboard(suggestion)["Funding"]
        assert key.startswith("#") and len(key.encode()) <= MAX_CALLBACK_BYTES
        ask(api, updates.callback(7, key))
        assert turns[-1].parse.entities[0].value == "Samsung Venture Investment Corporation"

        # Answers (not suggestions) keep their follow-up payloads as written.
        answer = ask(api, updates.callback(7, "/faq/funding"))
        assert "/fact_revenue" in keyboard(answer).values()
    finally:
        runner.stop()


def test_an_edited_command_is_ignored_an_edited_question_answered(api, kb):
    turns: list[Turn] = []
    engine = Engine(Brain(kb, Unsure()), load_config(None), listeners=(turns.append,))
    updates = Updates()
    runner = run_bot(api, engine)
    try:
        mark = api.mark()
        api.push(updates.message(7, "/help", edited=True))
        api.push(updates.message(7, "/faq/founders", edited=True))
        api.push(updates.message(7, "/topics", edited=True))
        api.push(updates.message(7, "which funding", edited=True))
        sent = api.wait_for("sendMessage", since=mark)
        api.push(updates.message(7, "/help"))
        sent = api.wait_for("sendMessage", count=2, since=mark)
        assert [t.text for t in turns] == ["which funding"]
        assert "/topics" in sent[1].params["text"]  # the new /help ran; the edited did not
    finally:
        runner.stop()


def test_a_hashed_topic_button_still_works_after_a_restart(api, kb):
    topic_payload = f"{content.TOPIC_PREFIX}{LONG_TOPIC}"
    assert len(topic_payload.encode()) > MAX_CALLBACK_BYTES
    engine = Engine(Brain(kb, Unsure()), load_config(None))
    runner = run_bot(api, engine)  # a fresh bot: its codec has never seen the payload
    try:
        reply = ask(api, Updates().callback(7, payload_key(topic_payload)))
        assert keyboard(reply) == {"The AI Act": "/faq/ai_act"}
    finally:
        runner.stop()


def test_every_button_of_the_shipped_knowledge_base_fits_in_callback_data():
    kb = load_knowledge_base(default_intents_dir())
    codec = CallbackCodec()
    entities = [Entity("investor", "Samsung Venture Investment Corporation", 0, 7)]
    buttons = [Button(name, f"/{name}") for name in kb.intents]
    buttons += content.topic_buttons(kb) + content.example_questions(kb)
    buttons += [b for r in kb.responses.values() for v in r.variants for b in v.buttons]
    buttons += [Button(name, entity_payload(name, entities)) for name in kb.intents]
    markup = inline_keyboard(buttons, codec)
    assert markup is not None
    sent = [b for row in markup.inline_keyboard for b in row]
    assert len(sent) == min(len(buttons), 50)
    for button in buttons:
        data = codec.encode(button.payload)
        assert 1 <= len(data.encode()) <= MAX_CALLBACK_BYTES
        assert codec.decode(data) == button.payload


