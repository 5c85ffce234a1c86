"""Two questions in one message: both answered, in order, or the message read whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import BotConfig
from bot.dialog.engine import Engine, build_brain
from bot.dialog.state import InMemoryStateStore
from bot.kb.loader import load_knowledge_base

KB = """\
version: "3.1"
nlu:
- intent: fact_hours
  metadata: {title: Opening hours, related: [fact_director]}
  examples: |
    - when is the gallery open
    - opening hours
    - what time does the gallery open
    - what are the opening hours of the gallery
- intent: fact_director
  metadata: {title: The director}
  examples: |
    - who is the director
    - who runs the gallery
    - who is the director of the gallery
- intent: fact_tickets
  metadata: {title: Tickets}
  examples: |
    - how much is a ticket
    - what does a ticket cost
    - ticket prices
responses:
  utter_fact_hours:
  - text: The gallery opens from 10am to 6pm, Tuesday to Sunday.
  utter_fact_director:
  - text: Maria Lopez is the director of the gallery.
  utter_fact_tickets:
  - text: A ticket costs 12 euros; children go free.
"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Engine:
    folder = tmp_path_factory.mktemp("gallery")
    (folder / "kb.yml").write_text(KB, encoding="utf-8")
    return Engine(build_brain(load_knowledge_base(Path(folder))), BotConfig())


def test_two_questions_get_both_answers_in_order(engine):
    turn = engine.handle("a", "who is the director of the gallery and how much is a ticket")
    texts = [r.text for r in turn.responses]
    assert turn.decision == "answer" and turn.parse.intent.name == "fact_director"
    assert any("Maria Lopez" in t for t in texts) and any("12 euros" in t for t in texts)
    assert min(i for i, t in enumerate(texts) if "Maria" in t) < min(
        i for i, t in enumerate(texts) if "12 euros" in t)


def test_the_second_question_is_read_with_the_first_answer_as_context(engine):
    # "it" is the gallery just answered about; the next message leans on the second answer
    turn = engine.handle("b", "who is the director of the gallery and when is it open")
    assert any("10am" in r.text for r in turn.responses)
    assert engine.handle("b", "and who runs it").parse.intent.name == "fact_director"


def test_a_second_part_that_is_not_understood_leaves_the_message_whole(engine):
    store = InMemoryStateStore()
    whole = Engine(engine.brain, BotConfig(), store=store)
    turn = whole.handle("c", "who is the director of the gallery and what is the weather")
    # read as one message: at most the one answer, never a reply to "the weather"
    assert len([r for r in turn.responses if "Maria Lopez" in r.text]) <= 1
    assert not any("12 euros" in r.text or "10am" in r.text for r in turn.responses)
    # the first part's try left nothing behind: one turn, remembered as the whole message
    state = store.get("c")
    assert state.turns == 1
    assert state.last_text in (None, "who is the director of the gallery and what is the weather")


def test_two_questions_with_one_answer_get_it_once(engine):
    turn = engine.handle("d", "who is the director and who runs the gallery")
    assert turn.decision == "answer" and turn.parse.intent.name == "fact_director"
    assert sum("Maria Lopez" in r.text for r in turn.responses) == 1
