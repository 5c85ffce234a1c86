"""Small talk for a knowledge base without it: read only where the bot would refuse."""

from pathlib import Path

from bot.config import BotConfig
from bot.dialog.engine import Engine, build_brain
from bot.dialog.smalltalk import load_small_talk
from bot.kb.loader import load_knowledge_base
from bot.nlu.normalize import tokenize

FACTS = """\
version: "3.1"
nlu:
- intent: fact_routes
  examples: |
    - how many routes does gull run
    - routes
- intent: fact_ceo
  examples: |
    - who runs gull
    - who is the chief executive
responses:
  utter_fact_routes:
  - text: Gull runs 11 routes.
  utter_fact_ceo:
  - text: Tom Hay has been chief executive since 2015.
  utter_default:
  - text: Sorry, I can't answer that from what I know about Gull.
"""

OWN_GREETING = FACTS.replace("responses:\n", """- intent: greet
  examples: |
    - hi
    - hello
responses:
  utter_greet:
  - text: Ahoy from Gull Ferries!
""", 1)


def _engine(tmp_path: Path, text: str) -> Engine:
    (tmp_path / "kb.yml").write_text(text, encoding="utf-8")
    return Engine(build_brain(load_knowledge_base(tmp_path)), BotConfig())


def _say(engine: Engine, sender: str, text: str):
    turn = engine.handle(sender, text)
    return turn, " ".join(r.text for r in turn.responses)


def test_greetings_thanks_and_goodbyes_are_answered_without_intents_for_them(tmp_path):
    engine = _engine(tmp_path, FACTS)
    for text, intent in (("hi", "greet"), ("Hello there!", "greet"),
                         ("ok thanks a lot", "thanks"), ("bye then", "goodbye"),
                         ("are you a bot?", "bot_challenge")):
        turn, reply = _say(engine, text, text)
        assert turn.parse.intent.name == intent and turn.decision == "answer", text
        assert reply == load_small_talk().replies[intent]


def test_small_talk_never_takes_a_question_or_a_refusal(tmp_path):
    engine = _engine(tmp_path, FACTS)
    turn, reply = _say(engine, "a", "thanks, who runs gull")
    assert turn.parse.intent.name == "fact_ceo"
    turn, reply = _say(engine, "b", "hello how do i reset my wifi")
    assert turn.decision == "fallback"
    # a phrase is the whole message, filler words aside
    assert load_small_talk().read(tokenize("hi how do i get to the port")) is None


def test_a_knowledge_base_with_its_own_small_talk_answers_it_itself(tmp_path):
    engine = _engine(tmp_path, OWN_GREETING)
    turn, reply = _say(engine, "g", "hi")
    assert turn.parse.intent.name == "greet" and reply == "Ahoy from Gull Ferries!"


def test_small_talk_in_other_words_and_with_typos_is_read_by_its_own_matcher(tmp_path):
    engine = _engine(tmp_path, FACTS)
    for text, intent in (("thanks so much for the help", "thanks"), ("thnks", "thanks"),
                         ("that was really helpful, thank you", "thanks"),
                         ("see u later", "goodbye"), ("are you a machine or a human",
                                                      "bot_challenge")):
        turn, reply = _say(engine, text, text)
        assert turn.parse.intent.name == intent and turn.decision == "answer", text
        assert reply == load_small_talk().replies[intent]


def test_a_word_the_small_talk_phrases_never_use_keeps_a_message_out_of_it(tmp_path):
    engine = _engine(tmp_path, FACTS)
    # "how is it going" is a greeting; these only share its words
    for text in ("is it going to rain tomorrow", "how is it going with the new ferry",
                 "thanks, and what about the timetable", "hello, how much is a ticket"):
        turn, _ = _say(engine, text, text)
        assert turn.decision == "fallback" and turn.parse.intent.name == "nlu_fallback", text
