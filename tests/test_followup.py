"""Follow-up reading and re-ranking, as pure functions."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.config import DialogConfig, NluConfig
from bot.dialog.followup import (
    ELLIPTICAL,
    MORE,
    PLAIN,
    ContextIndex,
    contextual_ranking,
    join_context,
    merge_rankings,
    read_message,
    strip_references,
    without_openers,
)
from bot.dialog.inputs import EMPTY, NOT_TEXT, TOO_LONG, screen
from bot.dialog.payloads import parse_payload, read_choice
from bot.kb.model import Example, Intent, Response, ResponseVariant, Rule
from bot.nlu.parse import IntentScore

# Explicit thresholds: these tests are about re-ranking, not about the shipped defaults.
NLU = NluConfig(answer_threshold=0.6, suggest_threshold=0.35, ambiguity_threshold=0.08)


@pytest.mark.parametrize("text", [
    "tell me more", "more", "More please!", "anything else?", "go on", "what else",
    "tell me more about that", "can you elaborate", "more details please", "and then?",
])
def test_requests_for_more(text):
    assert read_message(text).kind == MORE


@pytest.mark.parametrize("text", [
    "and a year before?", "who leads it?", "what is his vision?", "from whom?",
    "what about its models?", "how about them", "and the year before", "when?",
    "what about openai?", "why?", "since when", "since what year", "by how much?",
])
def test_elliptical_messages(text):
    assert read_message(text).kind == ELLIPTICAL


@pytest.mark.parametrize("text", [
    "how much revenue does mistral make", "who is the ceo of mistral",
    "tell me more about the new open weight model release plans",
    "what are the sales", "funding", "is starfund one of the backers",
    "in which year did the gallery open to the public",
])
def test_plain_questions(text):
    assert read_message(text).kind == PLAIN


def test_content_words_skip_function_words():
    assert read_message("what about its models?").content == ("models",)
    assert read_message("from whom?").content == ()


def test_long_messages_are_never_follow_ups():
    assert read_message("and what about the revenue the investors the models and the ceo",
                        max_words=3).kind == PLAIN


def test_context_index_reads_metadata(small_kb):
    index = ContextIndex(small_kb)
    assert index.related("fact_sales") == ("fact_sales_before", "fact_boss")
    assert index.same_topic("fact_sales") == ("fact_sales_before",)
    assert index.more_about("fact_sales") == ("fact_sales_before", "fact_boss")
    assert index.related("fact_rockets") == ()
    boosts = index.neighbours("fact_sales", DialogConfig(related_boost=0.2, topic_boost=0.1))
    assert boosts == {"fact_sales_before": 0.2, "fact_boss": 0.2}


def test_context_index_ignores_bad_metadata(small_kb):
    intents = dict(small_kb.intents)
    intents["fact_rockets"] = replace(intents["fact_rockets"], metadata={
        "related": ["no_such_intent", 42, "fact_rockets", "fact_money"], "topic": ["x"]})
    intents["greet"] = replace(intents["greet"], metadata={"related": "fact_boss"})
    index = ContextIndex(replace(small_kb, intents=intents))
    assert index.related("fact_rockets") == ("fact_money",)
    assert index.same_topic("fact_rockets") == ()
    assert index.related("greet") == ("fact_boss",)


def kb_with_an_asking_action(small_kb):
    """The small KB plus ``ask_backed`` (a custom action reading ``investor``) and a
    response needing a ``{rocket}`` slot, both related to ``fact_backers``."""
    intents = dict(small_kb.intents)
    intents["ask_backed"] = Intent("ask_backed", (
        Example("did starfund back acme", entities=(("starfund", "investor"),)),
        Example("did anyone back them"),
    ), {"topic": "money"})
    intents["fact_rocket_price"] = Intent("fact_rocket_price", (Example("rocket price"),),
                                          {"topic": "products"})
    intents["fact_backers"] = replace(intents["fact_backers"], metadata={
        "topic": "money", "related": ["ask_backed", "fact_rocket_price", "fact_money"]})
    responses = dict(small_kb.responses)
    responses["utter_fact_rocket_price"] = Response("utter_fact_rocket_price", (
        ResponseVariant("The {rocket} costs a lot."), ResponseVariant("{rocket}: pricey.")))
    rules = (*small_kb.rules, Rule("backed", "ask_backed", ("action_backed",)))
    return replace(small_kb, intents=intents, responses=responses, rules=rules)


def test_more_leaves_out_intents_needing_a_missing_slot(small_kb):
    index = ContextIndex(kb_with_an_asking_action(small_kb))
    assert index.needs("ask_backed") == {"investor"}
    assert index.needs("fact_rocket_price") == {"rocket"}
    assert index.needs("fact_money") == frozenset()
    assert index.more_about("fact_backers") == (
        "ask_backed", "fact_rocket_price", "fact_money")
    assert index.more_about("fact_backers", slots=()) == ("fact_money",)
    assert index.more_about("fact_backers", slots={"investor": "Comet"}) == (
        "ask_backed", "fact_money")


def test_unknown_words_forgive_typos(small_kb):
    index = ContextIndex(small_kb)
    assert index.unknown_words(["rockets", "rokcets", "backers"]) == []
    assert index.unknown_words(["spacex", "profitable", "ok"]) == ["spacex", "profitable", "ok"]


def test_question_word_shares(small_kb):
    index = ContextIndex(small_kb)
    assert index.kind_share("fact_backers", "person") >= 0.5
    assert index.kind_share("fact_money", "person") == 0.0
    assert index.kind_share("fact_money", "amount") > 0.5


def fake_rank(table: dict[str, list[tuple[str, float]]]):
    def rank(text: str) -> list[IntentScore]:
        return [IntentScore(n, c) for n, c in table.get(text, [])]
    return rank


def test_joined_reading_promotes_a_neighbour_the_follow_up_made_likelier(small_kb):
    index = ContextIndex(small_kb)
    rank = fake_rank({
        "what are the sales": [("fact_sales", 0.95), ("fact_sales_before", 0.5)],
        "what are the sales and the year before": [
            ("fact_sales", 0.9), ("fact_sales_before", 0.8), ("fact_rockets", 0.7)],
    })
    standalone = [IntentScore("fact_sales_before", 0.3)]
    result = contextual_ranking(
        "and the year before", read_message("and the year before"), standalone,
        "fact_sales", "what are the sales", index, rank, DialogConfig(), NLU)
    assert result is not None and result.joined
    assert result.ranking[0].name == "fact_sales_before"
    assert result.ranking[0].confidence == pytest.approx(0.9)
    # the last answer itself and non-neighbours are not promoted by context
    assert "fact_sales" not in [s.name for s in result.ranking]
    assert "fact_rockets" not in [s.name for s in result.ranking]


def test_joined_reading_without_gain_promotes_nothing(small_kb):
    index = ContextIndex(small_kb)
    same = [("fact_sales", 0.9), ("fact_sales_before", 0.5)]
    rank = fake_rank({"what are the sales": same, "what are the sales and so": same})
    result = contextual_ranking(
        "and so", read_message("and so"), [], "fact_sales", "what are the sales", index,
        rank, DialogConfig(), NLU)
    assert result is not None and not result.joined
    assert result.ranking == []


def test_confident_question_is_left_alone_even_with_a_pronoun(small_kb):
    index = ContextIndex(small_kb)
    standalone = [IntentScore("fact_rockets", 0.9), IntentScore("fact_sales_before", 0.75)]
    assert contextual_ranking(
        "what rockets do they build", read_message("what rockets do they build"),
        standalone, "fact_sales", "what are the sales", index, fake_rank({}),
        DialogConfig(), NLU) is None


def test_unknown_word_stops_context(small_kb):
    index = ContextIndex(small_kb)
    assert contextual_ranking(
        "what about spacex", read_message("what about spacex"), [], "fact_sales",
        "what are the sales", index, fake_rank({}), DialogConfig(), NLU) is None


@pytest.mark.parametrize(("text", "question", "kind"), [
    ("ok, quick question: who runs it?", "who runs it", ELLIPTICAL),
    ("hey, by the way, what are the sales", "what are the sales", PLAIN),
    ("back to the rockets, what do they build", "the rockets what do they build", PLAIN),
    ("anyway, going back to the money, how much did they get", "the money how much did they get",
     PLAIN),
    ("what are the sales", None, PLAIN),
    ("ok", None, ELLIPTICAL),
])
def test_openers_are_read_past_and_a_topic_change_is_a_new_question(text, question, kind):
    reading = read_message(text)
    assert reading.question == question
    assert reading.kind == kind


def test_without_openers_keeps_a_message_that_is_only_an_opener():
    assert without_openers(["ok"]) == (["ok"], False)
    assert without_openers(["back", "to", "sales"]) == (["sales"], True)
    assert without_openers(["well", "btw", "sales"]) == (["sales"], False)


def covering(words: dict[str, set[str]]):
    """A ``covers(text, intent)`` for tests: the intent's answer uses these words."""
    def covers(text: str, intent: str) -> bool:
        return bool(text.split()) and set(text.split()) <= words.get(intent, set())
    return covers


ROCKETS = {"fact_rockets": {"boulder", "pebble", "rockets", "build"}}


def no_new_words(text: str) -> list[str]:
    """Every word is known (the matcher's ``new_words`` finding nothing)."""
    return []


def test_follow_up_about_what_the_last_answer_says_is_answered_by_it_again(small_kb):
    message = "is the boulder in that lineup"
    rank = fake_rank({f"{message} what rockets do they build": [
        ("fact_rockets", 0.45), ("fact_sales", 0.05)]})
    result = contextual_ranking(
        message, read_message(message), [IntentScore("fact_rockets", 0.2)], "fact_rockets",
        "what rockets do they build", ContextIndex(small_kb), rank, DialogConfig(), NLU,
        covers=covering(ROCKETS), foreign=lambda text, intent: [], new_words=no_new_words)
    assert result is not None and result.resolved and result.joined
    assert result.ranking[0].name == "fact_rockets"


def test_a_confident_reading_yields_when_it_is_the_last_answers_thing(small_kb):
    # "when will it build the boulder": on its own the sales answer is confident, but
    # "it" points back and the rockets answer speaks of every word asked
    message = "when will it build the boulder"
    standalone = [IntentScore("fact_sales", 0.9), IntentScore("fact_rockets", 0.2)]
    rank = fake_rank({f"{message} what rockets do they build": [
        ("fact_rockets", 0.7), ("fact_sales", 0.1)]})
    covers = covering({"fact_rockets": {"boulder", "build", "when", "will", "it", "the"}})
    result = contextual_ranking(
        message, read_message(message), standalone, "fact_rockets",
        "what rockets do they build", ContextIndex(small_kb), rank, DialogConfig(), NLU,
        covers=covers, foreign=lambda text, intent: [], new_words=no_new_words)
    assert result is not None and result.resolved
    assert result.ranking[0].name == "fact_rockets"
    # "they" is the subject, not the last answer's thing: the confident reading stands
    message = "when will they build the boulder"
    assert contextual_ranking(
        message, read_message(message), standalone, "fact_rockets",
        "what rockets do they build", ContextIndex(small_kb), rank, DialogConfig(), NLU,
        covers=covers, foreign=lambda text, intent: [], new_words=no_new_words) is None


@pytest.mark.parametrize(("message", "foreign"), [
    ("how heavy is it", []),  # nothing the last answer speaks of
    ("is the boulder heavier than the falcon", []),  # not half of it
    ("is the boulder in that lineup", ["lineup"]),  # a word pointing elsewhere
])
def test_follow_up_the_last_answer_does_not_cover_is_not_answered_by_it(
        small_kb, message, foreign):
    rank = fake_rank({f"{message} what rockets do they build": [("fact_rockets", 0.5)]})
    result = contextual_ranking(
        message, read_message(message, max_words=6), [], "fact_rockets",
        "what rockets do they build", ContextIndex(small_kb), rank, DialogConfig(), NLU,
        covers=covering(ROCKETS), foreign=lambda text, intent: foreign,
        new_words=no_new_words)
    assert result is None or not result.resolved


@pytest.mark.parametrize(("confidence", "resolved"), [(0.45, False), (0.8, True)])
def test_follow_up_without_content_words_needs_a_confident_reading(
        small_kb, confidence, resolved):
    message = "then who is it for"
    rank = fake_rank({f"{message} what rockets do they build": [("fact_rockets", confidence)]})
    result = contextual_ranking(
        message, read_message(message), [], "fact_rockets", "what rockets do they build",
        ContextIndex(small_kb), rank, DialogConfig(), NLU, covers=covering(ROCKETS),
        foreign=lambda text, intent: [], new_words=no_new_words)
    assert (result is not None and result.resolved) == resolved


def test_join_context_is_bounded():
    assert join_context("a", "b") == "a b"
    assert len(join_context("x" * 1000, "tail")) == 300
    assert join_context("x" * 1000, "tail").endswith(" tail")


# -- screening and payloads ----------------------------------------------------------------
def test_screen():
    assert screen("  who \x07is\tthe boss \n", 100).message == "who is the boss"
    assert screen("", 100).problem == EMPTY
    assert screen(None, 100).problem == EMPTY
    assert screen(12, 100).message == "12"
    assert screen("x" * 101, 100).problem == TOO_LONG
    assert screen("ab\x00", 100).problem == NOT_TEXT
    assert screen("🚀", 100).message == "🚀"


def test_parse_payload(small_kb):
    assert parse_payload("/fact_boss", small_kb).intent == "fact_boss"
    assert parse_payload("/faq/location", small_kb).intent == "faq/location"
    assert parse_payload("/nope", small_kb) is None
    assert parse_payload("fact_boss", small_kb) is None
    assert parse_payload("/fact_boss{not json}", small_kb).entities == ()  # refused earlier
    found = parse_payload('/fact_backers{"investor": "Starfund"}', small_kb)
    assert [(e.entity, e.value, e.extractor) for e in found.entities] == [
        ("investor", "Starfund", "payload")]


@pytest.mark.parametrize(("text", "number"), [
    ("1", 1), (" 2 ", 2), ("#3", 3), ("2.", 2), ("12", 12), ("2024", None), ("one", None),
    ("1 2", None), ("", None),
])
def test_read_choice_picks(small_kb, text, number):
    choices = tuple(f"/pick{n}" for n in range(1, 13))
    choice = read_choice(text, choices, small_kb)
    if number is None:
        assert choice.message != choices[0] and choice.message not in choices
    else:
        assert choice.message == choices[number - 1] and choice.refusal is None


@pytest.mark.parametrize(("text", "reduced"), [
    ("what about its models?", "models"),
    ("and a year before?", "a year before"),
    ("who leads it?", "who leads"),
    ("And what about his vision", "vision"),
    ("from whom?", "from whom"),
    ("and is comet one of them", "is comet one of"),
])
def test_strip_references(text, reduced):
    assert strip_references(text) == reduced


def test_merge_rankings_keeps_the_best_confidence():
    merged = merge_rankings([IntentScore("a", 0.3), IntentScore("b", 0.5)],
                            [IntentScore("a", 0.9)], limit=1)
    assert merged == [IntentScore("a", 0.9)]


def test_a_name_an_example_annotates_is_not_template_wording(small_kb):
    """``did [starfund](investor) back acme`` does not teach "starfund": a question naming
    it again gets it as the leftover name its action reads."""
    from bot.dialog.followup import residue_entity

    index = ContextIndex(kb_with_an_asking_action(small_kb))
    found = residue_entity("starfund one of the backers?", "ask_backed", index)
    assert [(e.entity, e.value) for e in found] == [("investor", "Starfund")]
    assert residue_entity("did anyone back them", "ask_backed", index) == ()


def test_an_everyday_word_annotated_as_a_value_is_a_name(small_kb):
    """"apple" is an everyday word, but ``did [apple](investor) ...`` makes it a name."""
    from bot.dialog.followup import residue_entity

    kb = kb_with_an_asking_action(small_kb)
    index = ContextIndex(kb)
    assert residue_entity("apple one of the backers?", "ask_backed", index) == ()
    intents = dict(kb.intents)
    intents["ask_backed"] = replace(intents["ask_backed"], examples=(
        *intents["ask_backed"].examples,
        Example("did apple back acme", entities=(("apple", "investor"),))))
    index = ContextIndex(replace(kb, intents=intents))
    assert index.annotated("investor") == {"starfund", "apple"}
    found = residue_entity("apple one of the backers?", "ask_backed", index)
    assert [(e.entity, e.value) for e in found] == [("investor", "Apple")]


def test_the_leftover_name_is_read_past_everyday_words(small_kb):
    """"pretty sure" and "right" are everyday words around the name; of two rare-ish runs
    the name is the one that is no English word at all."""
    from bot.dialog.followup import residue_entity

    index = ContextIndex(kb_with_an_asking_action(small_kb))
    found = residue_entity("pretty sure tesla is one of the backers, right?", "ask_backed",
                           index)
    assert [(e.entity, e.value) for e in found] == [("investor", "Tesla")]
    found = residue_entity("is tesla on the cap table of the backers", "ask_backed", index)
    assert [(e.entity, e.value) for e in found] == [("investor", "Tesla")]
    assert residue_entity("quick question, who are the backers", "ask_backed", index) == ()


def test_he_or_she_is_the_person_the_last_answer_named():
    from bot.dialog.followup import with_their_person

    answer = ("Day-to-day management is in the hands of Lucija Mandić, a former port "
              "director, who became chief executive in 2020.")
    assert with_their_person(["when", "did", "she", "start"], [answer]) == (
        "when did lucija mandić start")
    assert with_their_person(["what", "is", "his", "job"], [answer]) == (
        "what is lucija mandić's job")
    # no person in the answer, two people, or no personal pronoun: nothing to read
    assert with_their_person(["when", "did", "she", "start"], ["Gull runs 11 routes."]) is None
    two = "Ann Reid is chair and Tom Hay chief executive."
    assert with_their_person(["when", "did", "she", "start"], [two]) is None
    assert with_their_person(["when", "did", "it", "start"], [answer]) is None


PERSON_KB = """\
version: "3.1"
nlu:
- intent: fact_founding
  examples: |
    - when was gull founded
    - when did gull start
    - who founded gull
- intent: fact_ceo
  examples: |
    - who runs gull day to day
    - who is the chief executive
    - when did tom hay become chief executive
    - who is tom hay
- intent: fact_routes
  examples: |
    - how many routes does gull run
    - routes
responses:
  utter_fact_founding:
  - text: Gull Ferries was founded in 1990.
  utter_fact_ceo:
  - text: Day-to-day management is in the hands of Tom Hay, who became chief executive in 2015.
  utter_fact_routes:
  - text: Gull runs 11 routes.
"""


def test_a_question_about_him_after_an_answer_naming_him_is_about_him(tmp_path):
    from bot.config import BotConfig
    from bot.dialog.engine import Engine, build_brain
    from bot.kb.loader import load_knowledge_base

    (tmp_path / "kb.yml").write_text(PERSON_KB, encoding="utf-8")
    engine = Engine(build_brain(load_knowledge_base(tmp_path)), BotConfig())
    assert engine.handle("a", "when did he start").parse.intent.name == "fact_founding"
    engine.handle("b", "who runs gull day to day")
    turn = engine.handle("b", "when did he start")
    assert turn.parse.intent.name == "fact_ceo" and "2015" in turn.responses[0].text
