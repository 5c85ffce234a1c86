"""The engine on a small knowledge base written by the test, with a predictable matcher."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from conftest import OverlapMatcher

from bot.config import BotConfig, DialogConfig, NluConfig
from bot.dialog.engine import ACTION_UNAVAILABLE_TEXT, Brain, Engine, build_brain
from bot.dialog.turn import Reply, Turn
from bot.kb.model import FALLBACK_INTENT, KnowledgeBase, Response, ResponseVariant, Rule
from bot.nlu.parse import Entity, IntentScore


def texts(turn: Turn) -> str:
    return " ".join(r.text for r in turn.responses)


def payloads(turn: Turn) -> list[str]:
    return [b.payload for r in turn.responses for b in r.buttons]


def engine_for(kb: KnowledgeBase, **dialog: object) -> Engine:
    config = BotConfig(dialog=DialogConfig(**dialog))
    return Engine(Brain(kb, OverlapMatcher(kb)), config)


# -- answering, suggesting, falling back -------------------------------------------------
def test_clear_question_is_answered_with_its_response(small_engine):
    turn = small_engine.handle("u", "who is the boss")
    assert turn.decision == "answer"
    assert turn.parse.intent.name == "fact_boss"
    assert turn.parse.intent.confidence == pytest.approx(1.0)
    assert texts(turn) == "Acme Rockets is run by Dana Orbit."
    assert turn.parse.intent_ranking[0].name == "fact_boss"


def test_unknown_question_falls_back_to_utter_default(small_engine):
    turn = small_engine.handle("u", "what is the weather in paris")
    assert turn.decision == "fallback"
    assert turn.parse.intent.name == FALLBACK_INTENT
    assert texts(turn) == "Sorry, I can only answer questions about Acme Rockets."


def test_builtin_fallback_when_kb_has_no_utter_default(small_kb):
    responses = {k: v for k, v in small_kb.responses.items() if k != "utter_default"}
    engine = engine_for(replace(small_kb, responses=responses))
    turn = engine.handle("u", "xylophone lessons")
    assert turn.decision == "fallback"
    assert "/help" in texts(turn)


def test_uncertain_question_gets_did_you_mean_buttons_with_titles(small_engine):
    turn = small_engine.handle("u", "rockets acme")
    assert turn.decision == "suggest"
    assert turn.parse.intent.name == FALLBACK_INTENT
    assert turn.parse.intent.confidence > 0
    buttons = turn.responses[0].buttons
    assert 1 <= len(buttons) <= 3
    assert buttons[0].payload.startswith("/")
    titles = {b.title for b in buttons}
    assert "Rockets" in titles
    assert len(turn.parse.intent_ranking) <= 10


def test_ranking_is_reported_before_the_decision(small_engine):
    turn = small_engine.handle("u", "rockets acme")
    ranking = turn.parse.intent_ranking
    assert ranking and ranking[0].confidence == turn.parse.intent.confidence
    assert [s.confidence for s in ranking] == sorted((s.confidence for s in ranking),
                                                     reverse=True)


# -- payloads and numbers ------------------------------------------------------------------
def test_payload_triggers_its_intent_directly(small_engine):
    turn = small_engine.handle("u", "/fact_rockets")
    assert turn.parse.intent.name == "fact_rockets"
    assert turn.parse.intent.confidence == 1.0
    assert "Pebble" in texts(turn)


def test_retrieval_intent_payload(small_engine):
    turn = small_engine.handle("u", "/faq/location")
    assert turn.parse.intent.name == "faq/location"
    assert texts(turn) == "Acme launches from a desert spaceport."


def test_payload_with_entities_and_bot_name(small_engine):
    turn = small_engine.handle("u", '/fact_backers{"investor": ["Starfund", "Comet"]}')
    assert turn.parse.intent.name == "fact_backers"
    assert [(e.entity, e.value) for e in turn.parse.entities] == [
        ("investor", "Starfund"), ("investor", "Comet")]
    assert small_engine.handle("u", "/greet@acme_bot").parse.intent.name == "greet"


def test_every_turn_has_a_reply_even_for_an_intent_nothing_answers(small_kb):
    responses = {k: v for k, v in small_kb.responses.items() if k != "utter_fact_rockets"}
    engine = engine_for(replace(small_kb, responses=responses))
    turn = engine.handle("u", "/fact_rockets")
    assert turn.parse.intent.name == "fact_rockets"
    assert [r.text for r in turn.responses] == [ACTION_UNAVAILABLE_TEXT]


def test_unknown_payload_is_read_as_text(small_engine):
    turn = small_engine.handle("u", "/rocketmodels")
    assert turn.parse.intent.name in (FALLBACK_INTENT, "fact_rockets")
    assert turn.responses


def test_number_picks_a_suggestion(small_engine):
    offered = payloads(small_engine.handle("u", "rockets acme"))
    turn = small_engine.handle("u", "2")
    assert turn.parse.intent.name == offered[1][1:]
    assert turn.decision == "answer"


def test_number_out_of_range_asks_again_and_keeps_the_choices(small_engine):
    offered = payloads(small_engine.handle("u", "rockets acme"))
    again = small_engine.handle("u", "9")
    assert again.decision == "suggest"
    assert again.parse.intent.name == FALLBACK_INTENT
    assert f"1 to {len(offered)}" in texts(again)
    assert payloads(again) == offered
    assert small_engine.handle("u", "1").parse.intent.name == offered[0][1:]


class NameSpotter:
    """A predictable entity extractor: the investor names of the small KB, by word."""

    NAMES = {"starfund": "Starfund", "comet": "Comet Capital"}

    def extract(self, text: str) -> list[Entity]:
        found = []
        for name, value in self.NAMES.items():
            start = text.lower().find(name)
            if start >= 0:
                found.append(Entity("investor", value, start, start + len(name)))
        return found


def test_picked_suggestion_keeps_the_entities_of_the_message(small_kb):
    engine = Engine(Brain(small_kb, OverlapMatcher(small_kb), NameSpotter()), BotConfig())
    asked = engine.handle("u", "rockets acme starfund")
    assert asked.decision == "suggest"
    offered = payloads(asked)
    assert offered and all(p.endswith('{"investor":"Starfund"}') for p in offered)
    turn = engine.handle("u", "1")
    assert turn.decision == "answer"
    assert turn.parse.intent.name == offered[0].split("{")[0][1:]
    assert [(e.entity, e.value) for e in turn.parse.entities] == [("investor", "Starfund")]
    assert engine.handle("u", offered[0]).parse.entities[0].value == "Starfund"


def test_pick_again_keeps_the_entity_payloads_and_titles(small_kb):
    engine = Engine(Brain(small_kb, OverlapMatcher(small_kb), NameSpotter()), BotConfig())
    offered = engine.handle("u", "rockets acme comet").responses[0].buttons
    again = engine.handle("u", "7")
    assert again.responses[0].buttons == offered
    assert engine.handle("u", "2").parse.entities[0].value == "Comet Capital"


def test_number_without_choices_says_there_is_nothing_to_pick(small_engine):
    turn = small_engine.handle("u", "1")
    assert turn.decision == "rejected"
    assert turn.responses[0].text.startswith("There is nothing to pick right now")


def test_number_picks_a_follow_up_button(small_engine):
    first = small_engine.handle("u", "what are the sales")
    assert payloads(first) == ["/fact_sales_before", "/fact_boss"]
    assert small_engine.handle("u", "2").parse.intent.name == "fact_boss"


# -- bad input ---------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["", "   ", "\n\t", None, "?!..."])
def test_empty_input_gets_a_clear_reply(small_engine, text):
    turn = small_engine.handle("u", text)
    assert turn.decision == "empty"
    assert turn.parse.intent.name == FALLBACK_INTENT
    assert texts(turn) == "Please type a question."


def test_huge_input_is_refused_clearly(small_engine):
    turn = small_engine.handle("u", "sales " * 10_000)
    assert turn.decision == "rejected"
    assert "too long" in texts(turn)
    assert "1000" in texts(turn)


@pytest.mark.parametrize("text", ["\x00\x01\x02binary", "\ufffd\ufffd\ufffdab",
                                  bytes(range(256)).decode("latin-1")])
def test_binary_looking_input_is_refused_clearly(small_engine, text):
    turn = small_engine.handle("u", text)
    assert turn.decision == "rejected"
    assert "text" in texts(turn)


def test_emoji_and_odd_unicode_never_crash(small_engine):
    for text in ["👍", "🚀🚀", "Ｓａｌｅｓ", "ventes €", "\u200b", "who is the b\u0308oss"]:
        assert small_engine.handle("u", text).responses


def test_control_characters_inside_a_question_are_ignored(small_engine):
    turn = small_engine.handle("u", "who is\x07 the\tboss")
    assert turn.parse.intent.name == "fact_boss"


# -- context -----------------------------------------------------------------------------
def test_each_sender_keeps_its_own_context(small_engine):
    small_engine.handle("alice", "what are the sales")
    small_engine.handle("bob", "who is the boss")
    alice = small_engine.handle("alice", "tell me more")
    bob = small_engine.handle("bob", "tell me more")
    assert alice.parse.intent.name == "fact_sales_before"
    assert bob.parse.intent.name == "fact_boss_plan"


def test_follow_up_a_year_before(small_engine):
    small_engine.handle("u", "what are the sales")
    turn = small_engine.handle("u", "and a year before?")
    assert turn.parse.intent.name == "fact_sales_before"
    assert "9 million" in texts(turn)


def test_follow_up_pronouns(small_engine):
    assert small_engine.handle("u", "who is the boss").parse.intent.name == "fact_boss"
    assert small_engine.handle("u", "what is her plan?").parse.intent.name == "fact_boss_plan"


def test_follow_up_bare_question_word(small_engine):
    small_engine.handle("u", "how much money did they raise")
    turn = small_engine.handle("u", "from whom?")
    assert turn.parse.intent.name == "fact_backers"
    assert turn.decision == "answer"


def test_bare_question_word_without_a_matching_neighbour_is_not_guessed(small_engine):
    small_engine.handle("u", "how much money did they raise")
    assert small_engine.handle("u", "when?").parse.intent.name == FALLBACK_INTENT


def test_bare_follow_up_without_context_is_not_guessed(small_engine):
    assert small_engine.handle("u", "from whom?").parse.intent.name == FALLBACK_INTENT
    assert small_engine.handle("u", "and a year before?").parse.intent.name != "fact_sales"


def test_follow_up_with_an_unknown_word_changes_subject(small_engine):
    small_engine.handle("u", "what are the sales")
    turn = small_engine.handle("u", "what about spacex?")
    assert turn.parse.intent.name == FALLBACK_INTENT


def test_free_follow_up_about_the_last_answer_is_read_with_it(small_kb):
    engine = Engine(build_brain(small_kb), BotConfig())  # the real matcher
    engine.handle("u", "what rockets do they build")
    turn = engine.handle("u", "wait, do they really make the pebble")
    assert (turn.parse.intent.name, turn.decision) == ("fact_rockets", "answer")
    assert "Pebble" in texts(turn)
    # the rockets answer says nothing of a weight
    assert engine.handle("u", "then how heavy is it").parse.intent.name == FALLBACK_INTENT


class TableMatcher:
    """Ranks from a table; the answers use the words given per intent."""

    def __init__(self, table: dict[str, list[tuple[str, float]]],
                 words: dict[str, set[str]]) -> None:
        self._table, self._words = table, words

    def rank(self, text: str, limit: int = 10) -> list[IntentScore]:
        return [IntentScore(n, c) for n, c in self._table.get(text, [])][:limit]

    def covers(self, text: str, intent: str) -> bool:
        return bool(text.split()) and set(text.split()) <= self._words.get(intent, set())

    def foreign_words(self, text: str, intent: str, asking: bool = False) -> list[str]:
        return []

    def new_words(self, text: str, names_only: bool = False) -> list[str]:
        return []


def test_follow_up_after_a_single_did_you_mean_is_about_that_candidate(small_kb):
    example = small_kb.intents["fact_rockets"].examples[0].text
    matcher = TableMatcher({
        "rocket stuff": [("fact_rockets", 0.33)],
        f"why build them at all {example}": [("fact_rockets", 0.7)],
    }, {"fact_rockets": {"build", "rockets"}})
    # no answers below the threshold: "rocket stuff" is offered as a single did-you-mean
    engine = Engine(Brain(small_kb, matcher), BotConfig(nlu=NluConfig(clean_answer_margin=0.0)))
    assert engine.handle("u", "rocket stuff").decision == "suggest"
    turn = engine.handle("u", "why build them at all")
    assert (turn.parse.intent.name, turn.decision) == ("fact_rockets", "answer")
    # without that candidate on screen, the same message has nothing to lean on
    assert engine.handle("v", "why build them at all").parse.intent.name == FALLBACK_INTENT


def test_turning_back_to_a_subject_is_a_new_question(small_kb):
    engine = Engine(build_brain(small_kb), BotConfig())
    engine.handle("u", "who is the boss")
    turn = engine.handle("u", "ok, back to the money, how much did they raise")
    assert (turn.parse.intent.name, turn.decision) == ("fact_money", "answer")
    assert "300 million" in texts(turn)


def test_tell_me_more_walks_the_related_intents_then_stops(small_engine):
    small_engine.handle("u", "what are the sales")
    first = small_engine.handle("u", "tell me more")
    second = small_engine.handle("u", "more please")
    assert first.parse.intent.name == "fact_sales_before"
    # fact_sales_before's only related intent was already answered
    assert second.decision == "nothing_more"
    assert second.parse.intent.name == FALLBACK_INTENT
    assert "Earlier sales" in texts(second)


def test_tell_me_more_skips_an_action_that_would_ask_back(small_kb):
    kb = kb_with_rule(small_kb)  # action_boss answers fact_boss ...
    intents = dict(kb.intents)   # ... and reads the "person" its examples annotate
    boss = intents["fact_boss"]
    intents["fact_boss"] = replace(boss, examples=(
        *boss.examples, replace(boss.examples[0], text="is dana the boss",
                                entities=(("dana", "person"),))))
    runner = FakeRunner()
    engine = Engine(Brain(replace(kb, intents=intents), OverlapMatcher(kb)), BotConfig(),
                    actions=runner)
    control = Engine(Brain(kb, OverlapMatcher(kb)), BotConfig(), actions=FakeRunner())
    for bot in (engine, control):
        bot.handle("u", "what were the sales a year before")
        bot.handle("u", "what are the sales")  # related: the sales before (seen), the boss
    assert control.handle("u", "tell me more").parse.intent.name == "fact_boss"
    assert engine.handle("u", "tell me more").decision == "nothing_more"
    assert runner.calls == []
    engine.handle("u", '/fact_sales{"person": "Dana"}')  # now the conversation names one
    assert engine.handle("u", "tell me more").parse.intent.name == "fact_boss"
    assert runner.calls == [("action_boss", "u")]


class EchoRunner:
    """Answers with the message and the entities the action was given."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def run(self, action, sender, parse, state):
        self.calls.append((action, parse.text))
        named = ", ".join(f"{e.entity}={e.value}" for e in parse.entities)
        return [Reply(f"{parse.intent.name}: {named}")], []


def backers_engine(small_kb) -> tuple[Engine, EchoRunner]:
    """fact_backers answered by an action reading the ``investor`` its examples annotate."""
    intents = dict(small_kb.intents)
    backers = intents["fact_backers"]
    intents["fact_backers"] = replace(backers, examples=(
        *backers.examples, replace(backers.examples[0], text="did starfund back them",
                                   entities=(("starfund", "investor"),))))
    kb = replace(small_kb, intents=intents,
                 rules=(Rule("backers", "fact_backers", ("action_backers",)),))
    runner = EchoRunner()
    return Engine(Brain(kb, OverlapMatcher(kb), NameSpotter()), BotConfig(),
                  actions=runner), runner


@pytest.mark.parametrize("follow_up, value", [
    ("and comet?", "Comet Capital"),          # a known name: the extracted entity
    ("what about zephyr ventures", "Zephyr Ventures"),  # a new name, capitalised
    ("and Orbital AG?", "Orbital AG"),        # written as typed
])
def test_follow_up_naming_something_asks_the_last_question_about_it(
        small_kb, follow_up, value):
    engine, runner = backers_engine(small_kb)
    assert engine.handle("u", "who are the backers").parse.intent.name == "fact_backers"
    turn = engine.handle("u", follow_up)
    assert turn.decision == "answer"
    assert texts(turn) == f"fact_backers: investor={value}"
    assert runner.calls[-1][1].startswith("/fact_backers{")  # the action sees a payload


@pytest.mark.parametrize("follow_up", [
    "and sales?",              # a topic of the knowledge base, not a name
    "what about its rockets",  # ditto, after a pronoun
    "and then what happened next",  # too long to be a name
])
def test_follow_up_with_a_topic_is_not_read_as_a_name(small_kb, follow_up):
    engine, runner = backers_engine(small_kb)
    engine.handle("u", "who are the backers")
    turn = engine.handle("u", follow_up)
    assert turn.parse.intent.name != "fact_backers"
    assert len(runner.calls) == 1


def test_an_intent_reading_an_entity_needs_a_message_asking_about_one(small_kb):
    engine, runner = backers_engine(small_kb)
    # everyday words the intent never uses, and no name: not a question about a backer
    assert engine.handle("u", "the backers honestly").parse.intent.name != "fact_backers"
    assert runner.calls == []
    # in the intent's own words, about no backer in particular: the action asks back
    assert engine.handle("u", "did anyone back them").parse.intent.name == "fact_backers"
    assert engine.handle("u", "did comet back them").parse.entities[0].value == "Comet Capital"
    assert len(runner.calls) == 2


def test_vague_message_naming_an_entity_offers_the_intents_that_read_it(small_kb):
    engine, runner = backers_engine(small_kb)
    assert engine.handle("u", "comet xylophone").decision == "fallback"  # does not fit
    turn = engine.handle("u", "comet?")
    assert turn.decision == "suggest"
    assert turn.parse.intent.name == FALLBACK_INTENT
    [button] = turn.responses[0].buttons
    assert button.title == "Backers (Comet Capital)"
    assert button.payload == '/fact_backers{"investor":"Comet Capital"}'
    assert texts(engine.handle("u", "1")) == "fact_backers: investor=Comet Capital"
    plain = Engine(Brain(small_kb, OverlapMatcher(small_kb), NameSpotter()), BotConfig())
    assert plain.handle("u", "comet?").decision == "fallback"  # nothing reads it


def test_named_follow_up_needs_an_intent_that_takes_a_name(small_engine):
    small_engine.handle("u", "what are the sales")
    turn = small_engine.handle("u", "what about zephyr ventures")
    assert turn.parse.intent.name == FALLBACK_INTENT


def test_picked_button_is_seen_by_actions_as_its_payload(small_kb):
    engine, runner = backers_engine(small_kb)
    engine.handle("u", "what are the sales")  # buttons: earlier sales, the boss
    engine.handle("u", '/fact_backers{"investor": "Starfund"}')
    assert runner.calls == [("action_backers", '/fact_backers{"investor": "Starfund"}')]


def test_tell_me_more_without_a_topic(small_engine):
    turn = small_engine.handle("u", "tell me more")
    assert turn.decision == "nothing_more"
    assert "what" in texts(turn).lower()


def test_tell_me_more_uses_the_topic_when_no_related_list(small_kb):
    engine = engine_for(small_kb)
    engine.handle("u", "what rockets do they build")  # fact_rockets: topic, no related
    turn = engine.handle("u", "tell me more")
    assert turn.decision == "nothing_more"  # it is alone in its topic


def test_context_can_be_turned_off(small_kb):
    engine = engine_for(small_kb, context=False)
    engine.handle("u", "how much money did they raise")
    assert engine.handle("u", "from whom?").parse.intent.name == FALLBACK_INTENT
    assert engine.handle("u", "tell me more").parse.intent.name == FALLBACK_INTENT


def test_reset_forgets_the_topic(small_engine):
    small_engine.handle("u", "how much money did they raise")
    small_engine.reset("u")
    assert small_engine.handle("u", "from whom?").parse.intent.name == FALLBACK_INTENT


def test_picked_button_becomes_the_topic(small_engine):
    small_engine.handle("u", "/fact_money")
    assert small_engine.handle("u", "from whom?").parse.intent.name == "fact_backers"


# -- follow-up buttons ---------------------------------------------------------------------
def test_answer_offers_related_intents_as_buttons(small_engine):
    turn = small_engine.handle("u", "what are the sales")
    assert [(b.title, b.payload) for b in turn.responses[-1].buttons] == [
        ("Earlier sales", "/fact_sales_before"), ("Chief executive", "/fact_boss")]


def test_follow_up_buttons_skip_what_was_just_answered(small_engine):
    small_engine.handle("u", "what are the sales")
    turn = small_engine.handle("u", "/fact_sales_before")
    assert payloads(turn) == []  # its only related intent was answered a moment ago


def test_follow_up_buttons_are_limited_and_can_be_disabled(small_kb):
    assert payloads(engine_for(small_kb, followup_buttons=1).handle(
        "u", "what are the sales")) == ["/fact_sales_before"]
    assert payloads(engine_for(small_kb, followup_buttons=0).handle(
        "u", "what are the sales")) == []


# -- actions, listeners, reloading -------------------------------------------------------
class FakeRunner:
    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.calls: list[tuple[str, str]] = []

    def run(self, action, sender, parse, state):
        self.calls.append((action, sender))
        if self.fail:
            raise RuntimeError("server down")
        return [Reply(f"ran {action} for {parse.intent.name}")], [
            {"event": "slot", "name": "x", "value": 1}]


def kb_with_rule(kb: KnowledgeBase) -> KnowledgeBase:
    return replace(kb, rules=(Rule("boss rule", "fact_boss", ("action_boss",)),))


def test_rule_runs_custom_action(small_kb):
    runner = FakeRunner()
    engine = Engine(Brain(kb_with_rule(small_kb), OverlapMatcher(small_kb)), BotConfig(),
                    actions=runner)
    turn = engine.handle("u", "who is the boss")
    assert runner.calls == [("action_boss", "u")]
    assert texts(turn) == "ran action_boss for fact_boss"
    assert turn.events == ({"event": "slot", "name": "x", "value": 1},)


def test_failing_action_gets_an_apology(small_kb):
    engine = Engine(Brain(kb_with_rule(small_kb), OverlapMatcher(small_kb)), BotConfig(),
                    actions=FakeRunner(fail=True))
    turn = engine.handle("u", "who is the boss")
    assert "Sorry" in texts(turn)
    assert engine.handle("u", "what are the sales").parse.intent.name == "fact_sales"


def test_action_without_runner_gets_an_apology(small_kb):
    engine = engine_for(kb_with_rule(small_kb))
    assert "Sorry" in texts(engine.handle("u", "who is the boss"))


def test_response_variations_rotate_and_slots_fill(small_kb):
    responses = dict(small_kb.responses)
    responses["utter_greet"] = Response("utter_greet", (
        ResponseVariant("Hi {name}!"), ResponseVariant("Hello there.")))
    engine = engine_for(replace(small_kb, responses=responses))
    seen = {texts(engine.handle("u", "hello")) for _ in range(4)}
    assert seen == {"Hi {name}!", "Hello there."}


def test_listeners_see_every_turn_and_cannot_break_it(small_kb):
    seen: list[str] = []

    def broken(turn: Turn) -> None:
        raise ValueError("boom")

    engine = Engine(Brain(small_kb, OverlapMatcher(small_kb)), BotConfig(),
                    listeners=(broken, lambda turn: seen.append(turn.decision)))
    engine.handle("u", "who is the boss")
    engine.handle("u", "")
    assert seen == ["answer", "empty"]


def test_swap_replaces_the_knowledge_base(small_kb, small_engine):
    responses = dict(small_kb.responses)
    responses["utter_fact_boss"] = Response("utter_fact_boss", (ResponseVariant("New boss."),))
    new_kb = replace(small_kb, responses=responses)
    new_brain = Brain(new_kb, OverlapMatcher(new_kb))
    small_engine.swap(new_brain)
    assert small_engine.brain is new_brain
    assert texts(small_engine.handle("u", "who is the boss")) == "New boss."


def test_concurrent_senders(small_engine):
    errors: list[BaseException] = []

    def chat(sender: str) -> None:
        try:
            for _ in range(30):
                small_engine.handle(sender, "how much money did they raise")
                turn = small_engine.handle(sender, "from whom?")
                assert turn.parse.intent.name == "fact_backers"
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=chat, args=(f"s{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_thresholds_come_from_the_config(small_kb):
    strict = BotConfig(nlu=NluConfig(answer_threshold=1.0, suggest_threshold=0.99,
                                     ambiguity_threshold=0.0))
    engine = Engine(Brain(small_kb, OverlapMatcher(small_kb)), strict)
    assert engine.handle("u", "who is the boss").decision == "answer"  # exact example
    assert engine.handle("u", "the chief").decision == "fallback"


def test_an_intent_of_the_kb_that_answers_tell_me_more_wins(small_kb):
    intents = dict(small_kb.intents)
    intents["greet"] = replace(intents["greet"], examples=(
        *intents["greet"].examples, replace(intents["greet"].examples[0], text="tell me more")))
    engine = engine_for(replace(small_kb, intents=intents))
    engine.handle("u", "what are the sales")
    assert engine.handle("u", "tell me more").parse.intent.name == "greet"


# -- the shipped knowledge base ------------------------------------------------------------
def test_shipped_kb_every_payload_answers_and_every_button_works(shipped_brain):
    engine = Engine(shipped_brain, BotConfig())
    kb = shipped_brain.kb
    for name in kb.answerable_intents():
        engine.reset("u")
        turn = engine.handle("u", f"/{name}")
        assert turn.parse.intent.name == name
        assert turn.decision == "answer"
        assert turn.responses and all(r.text.strip() for r in turn.responses), name
        for button in (b for r in turn.responses for b in r.buttons):
            assert button.title.strip()
            assert button.payload[1:] in kb.intents, (name, button.payload)


def test_shipped_kb_retrieval_payload_and_number_pick(shipped_brain):
    engine = Engine(shipped_brain, BotConfig())
    faq = [n for n in shipped_brain.kb.answerable_intents() if n.startswith("faq/")]
    assert faq
    turn = engine.handle("u", f"/{faq[0]}")
    assert turn.parse.intent.name == faq[0]
    buttons = [b for r in turn.responses for b in r.buttons]
    if buttons:
        assert engine.handle("u", "1").parse.intent.name == buttons[0].payload[1:]


def test_shipped_kb_bad_input(shipped_brain):
    engine = Engine(shipped_brain, BotConfig())
    for text in ["", "   ", "x" * 5000, "\x00\x01\x02", "🙂", "?"]:
        turn = engine.handle("u", text)
        assert turn.responses and turn.parse.intent.name == FALLBACK_INTENT


class _CloseCall:
    """A matcher ranking the funding answer just ahead of the investor check, always."""

    def __init__(self, inner, top: float = 0.41, second: float = 0.35) -> None:
        self._inner, self._top, self._second = inner, top, second

    def rank(self, text: str, limit: int = 10) -> list[IntentScore]:
        return [IntentScore("faq/funding", self._top), IntentScore("ask_invested", self._second),
                IntentScore("fact_valuation", 0.01)][:limit]

    def __getattr__(self, name: str):
        return getattr(self._inner, name)


def test_of_close_candidates_the_one_reading_the_entity_named_answers(shipped_brain):
    from bot.action_client import build_action_runner

    brain = Brain(shipped_brain.kb, _CloseCall(shipped_brain.matcher), shipped_brain.entities)
    engine = Engine(brain, BotConfig(), actions=build_action_runner(None))
    # a did-you-mean between two right answers is no help: the investor check reads it
    turn = engine.handle("r1", "is samsung backing them")
    assert turn.decision == "answer" and turn.parse.intent.name == "ask_invested"
    assert "Samsung" in turn.responses[0].text
    # with no investor named, the two stay a close call
    assert engine.handle("r2", "how are they backed").decision != "answer"
    # as low as a clean answer may be, and no lower
    nlu = BotConfig().nlu
    floor = nlu.answer_threshold - nlu.clean_answer_margin
    for top, answered in ((floor + 0.02, True), (floor - 0.02, False)):
        low = Brain(shipped_brain.kb, _CloseCall(shipped_brain.matcher, top, top - 0.1),
                    shipped_brain.entities)
        turn = Engine(low, BotConfig(), actions=build_action_runner(None)).handle(
            "r3", "is samsung backing them")
        assert (turn.decision == "answer" and turn.parse.intent.name == "ask_invested") is (
            answered)


class _ByText:
    """A matcher with a fixed ranking per message (the shipped matcher for the rest)."""

    def __init__(self, inner, rankings: dict[str, list[IntentScore]]) -> None:
        self._inner, self._rankings = inner, rankings

    def rank(self, text: str, limit: int = 10) -> list[IntentScore]:
        return self._rankings.get(text, [IntentScore("faq/funding", 0.0)])[:limit]

    def __getattr__(self, name: str):
        return getattr(self._inner, name)


def test_a_message_answered_as_it_stands_is_not_read_again_without_its_pronouns(
        shipped_brain):
    rankings = {
        "do they release open weights": [IntentScore("faq/models", 0.8),
                                         IntentScore("fact_open_weight_model", 0.1)],
        # without "they" another answer would come close: no did-you-mean for that
        "do release open weights": [IntentScore("fact_open_weight_model", 0.85),
                                    IntentScore("faq/models", 0.3)],
    }
    brain = Brain(shipped_brain.kb, _ByText(shipped_brain.matcher, rankings),
                  shipped_brain.entities)
    turn = Engine(brain, BotConfig()).handle("o1", "do they release open weights")
    assert turn.decision == "answer" and turn.parse.intent.name == "faq/models"
