"""The spelling corrector alone, then inside the matcher and the engine, on small inline KBs."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import BotConfig
from bot.dialog.engine import Engine, build_brain
from bot.kb.loader import load_knowledge_base
from bot.nlu import cache
from bot.nlu.matcher import build_matcher
from bot.nlu.normalize import stem
from bot.nlu.spelling import (
    ENGLISH,
    KB,
    SHORTHAND,
    ShorthandError,
    SpellingCorrector,
    load_shorthand,
)

WORDS = {"rockets": 6, "launch": 4, "forge": 3, "funded": 2, "ceo": 3, "the": 9,
         "reusable": 1, "thx": 1, "acme": 5}


@pytest.fixture()
def speller() -> SpellingCorrector:
    return SpellingCorrector(WORDS, protected={"nasa"}, kb_stems={"weight"})


def test_a_misspelt_knowledge_base_word_is_corrected(speller):
    for typed, meant in (("rokets", "rockets"), ("lauch", "launch"), ("resuable", "reusable"),
                         ("acmee", "acme")):
        correction = speller.correct(typed)
        assert correction is not None and correction.meant == (meant,), typed
        assert correction.source == KB and 0.0 < correction.trust <= 1.0


def test_words_the_knowledge_base_or_english_know_are_never_changed(speller):
    # "founded" is one edit from the known "funded", "maker" from "make": both real words
    for word in ("rockets", "founded", "maker", "launched", "the", "nasa"):
        assert speller.correct(word) is None, word


def test_names_numbers_and_short_words_are_left_alone(speller):
    # no word within budget: a name the sources may not cover stays as typed
    for word in ("anthropic", "xai", "zzqx", "42b", "7b", "cfo"):
        assert speller.correct(word) is None, word
    # a name close to several English words is left as typed: "lakers" (layers, bakers,
    # makers), "tencent" (tenant, tenet: two edits are too many for seven letters)
    assert speller.correct("lakers") is None and speller.correct("tencent") is None
    # a short token may only become a function word ("cfo" is not "ceo")
    assert speller.correct("teh").meant == ("the",)


def test_an_ordinary_english_word_is_read_from_its_typo(speller):
    correction = speller.correct("togther")
    assert correction is not None and correction.meant == ("together",)
    assert correction.source == ENGLISH
    # of two English words as close, the one whose stem the knowledge base uses wins
    assert speller.correct("weigts").meant == ("weights",)


def test_a_knowledge_base_word_wins_over_a_commoner_english_one_in_trust(speller):
    # "forgee" is one edit from "forget" too, a far commoner English word; in a bot whose
    # knowledge base talks about Forge, Forge is what it means
    correction = speller.correct("forgee")
    assert correction.meant == ("forge",) and 0.5 < correction.trust < 1.0
    assert speller.correct("rokets").trust == 1.0  # nothing else is that close


def test_chat_shorthand_stands_for_its_words_unless_the_knowledge_base_uses_it(speller):
    assert speller.correct("ppl") == speller.correct("ppl")  # cached, same value
    assert speller.correct("ppl").meant == ("people",)
    assert speller.correct("ppl").source == SHORTHAND
    assert speller.correct("idk").meant == ("i", "do", "not", "know")
    assert speller.correct("thx") is None  # the knowledge base's own wording
    tokens, trust, made = speller.read(["idk", "rokets", "acme"])
    assert tokens == ["i", "do", "not", "know", "rockets", "acme"]
    assert len(trust) == len(tokens) and [c.typed for c in made] == ["idk", "rokets"]


def test_a_broken_shorthand_file_names_file_line_and_column(tmp_path: Path):
    bad = tmp_path / "shorthand.yml"
    bad.write_text("u: you\nppl: [people\n", encoding="utf-8")
    with pytest.raises(ShorthandError, match=r"shorthand\.yml:\d+:\d+"):
        load_shorthand(bad)
    bad.write_text("- u\n- you\n", encoding="utf-8")
    with pytest.raises(ShorthandError, match="mapping"):
        load_shorthand(bad)
    assert load_shorthand()["u"] == ("you",)  # the shipped file reads


KB_YAML = """\
version: "3.1"
nlu:
- intent: fact_launches
  metadata: {title: Launches}
  examples: |
    - when is the next launch
    - how often does acme launch rockets
    - next rocket launch date
    - launch schedule
- intent: fact_boss
  metadata: {title: The boss}
  examples: |
    - who runs acme
    - who is the ceo of acme
    - who is in charge
- intent: fact_factory
  metadata: {title: The factory}
  examples: |
    - where is the factory
    - where are the rockets built
    - acme factory location
responses:
  utter_fact_launches:
  - text: Acme launches a rocket every month from its coastal pad.
  utter_fact_boss:
  - text: Jane Doe runs Acme.
  utter_fact_factory:
  - text: The factory is in Toulouse.
"""


@pytest.fixture()
def kb_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "kb.yml").write_text(KB_YAML, encoding="utf-8")
    return folder


def test_a_corrected_word_gives_the_evidence_of_the_word_it_stands_for(kb_dir: Path):
    built = build_matcher(load_knowledge_base(kb_dir))
    clean = built.rank("where is the acme factory")[0]
    typed = built.rank("wher is teh acme factroy")[0]
    assert typed.name == clean.name == "fact_factory"
    assert typed.confidence > 0.5 * clean.confidence
    assert "factory" in built.understand("wher is teh acme factroy")[0]


def test_a_corrected_word_is_not_reported_as_not_covered(kb_dir: Path):
    built = build_matcher(load_knowledge_base(kb_dir))
    # "plannin" is no word the knowledge base uses, but it is English mistyped
    assert built.new_words("is acme plannin another launch") == []
    assert built.foreign_words("is acme plannin another launch", "fact_launches") == []
    assert built.new_words("who runs anthropic") == ["anthropic"]  # a name still counts


def test_the_bot_does_not_say_its_sources_miss_a_mistyped_word(kb_dir: Path):
    engine = Engine(build_brain(load_knowledge_base(kb_dir)), BotConfig())
    turn = engine.handle("u1", "is acme plannin anothr launch soon")
    reply = " ".join(r.text for r in turn.responses)
    assert "plannin" not in reply and "anothr" not in reply
    turn = engine.handle("u2", "who runs anthropic")
    assert "anthropic" in " ".join(r.text for r in turn.responses).casefold()


def test_a_word_only_an_answer_uses_is_read_as_typed():
    # "canopyos" is one edit from the English "canopy", but an answer names CanopyOS
    assert SpellingCorrector({"farm": 3}).correct("canopyos") is not None
    assert SpellingCorrector({"farm": 3}, answer_stems={stem("canopyos")}).correct(
        "canopyos") is None


def test_another_form_of_a_knowledge_base_word_is_read_as_that_word(speller):
    correction = SpellingCorrector({"chatbot": 2}).correct("chatbots")
    assert correction.meant == ("chatbot",) and correction.trust == 1.0
    # a misspelling the knowledge base itself holds is no better reading than the word
    # it misspells, even when it shares the typo's stem ("modls", "modles": "modl")
    assert SpellingCorrector({"models": 30, "modles": 1}).correct("modls").meant == (
        "models",)


def test_a_message_is_read_once_into_one_value_every_reader_shares(kb_dir: Path):
    from bot.dialog.followup import ELLIPTICAL, PLAIN, read_message

    built = build_matcher(load_knowledge_base(kb_dir))
    utterance = built.read("wat abt teh factroy?")
    assert built.read("wat abt teh factroy?") is utterance  # read once, then shared
    assert utterance.tokens == ("wat", "abt", "teh", "factroy")
    assert utterance.words == ("what", "about", "the", "factory")
    assert [c.typed for c in utterance.corrections] == ["wat", "abt", "teh", "factroy"]
    assert "factory" in utterance.terms and len(utterance.trust) == len(utterance.terms)
    assert list(utterance.terms) == built.understand("wat abt teh factroy?")[0]
    # the follow-up reader sees the corrected words: "what about ..." leans on the topic
    assert read_message(utterance.words).kind == ELLIPTICAL
    assert read_message(utterance.text).kind == PLAIN


def test_without_a_reading_matcher_a_message_is_its_plain_tokens():
    from bot.nlu.parse import Utterance

    plain = Utterance.plain("What's Acme's revenue?")
    assert plain.tokens == plain.words == plain.terms == ("what", "is", "acme", "revenue")
    assert plain.normalized == "what is acme revenue" and plain.corrections == ()
