from bot.config import NluConfig
from bot.dialog.decision import ANSWER, FALLBACK, SUGGEST, decide
from bot.nlu.parse import IntentScore

CONFIG = NluConfig(answer_threshold=0.6, suggest_threshold=0.35, ambiguity_threshold=0.08,
                   max_suggestions=3)


def ranking(*pairs: tuple[str, float]) -> list[IntentScore]:
    return [IntentScore(name, confidence) for name, confidence in pairs]


def test_empty_ranking_falls_back():
    assert decide([], CONFIG).kind == FALLBACK


def test_confident_and_clear_top_is_answered():
    decision = decide(ranking(("a", 0.9), ("b", 0.5)), CONFIG)
    assert decision.kind == ANSWER
    assert decision.intent == IntentScore("a", 0.9)
    assert decision.suggestions == ()


def test_single_confident_intent_is_answered():
    assert decide(ranking(("a", 0.6)), CONFIG).kind == ANSWER


def test_top_two_too_close_asks_instead():
    decision = decide(ranking(("a", 0.9), ("b", 0.85), ("c", 0.2)), CONFIG)
    assert decision.kind == SUGGEST
    assert [s.name for s in decision.suggestions] == ["a", "b"]
    assert decision.intent is None


def test_gap_exactly_at_threshold_is_answered():
    assert decide(ranking(("a", 0.75), ("b", 0.5)), CONFIG).kind == ANSWER
    assert decide(ranking(("a", 0.70), ("b", 0.625)), CONFIG).kind == SUGGEST


def test_uncertain_top_offers_at_most_max_suggestions_above_floor():
    decision = decide(
        ranking(("a", 0.55), ("b", 0.5), ("c", 0.4), ("d", 0.39), ("e", 0.1)), CONFIG
    )
    assert decision.kind == SUGGEST
    assert [s.name for s in decision.suggestions] == ["a", "b", "c"]


def test_suggestions_below_floor_are_dropped():
    decision = decide(ranking(("a", 0.5), ("b", 0.3)), CONFIG)
    assert [s.name for s in decision.suggestions] == ["a"]


def test_low_top_falls_back():
    decision = decide(ranking(("a", 0.34), ("b", 0.2)), CONFIG)
    assert decision.kind == FALLBACK
    assert decision.suggestions == ()


def test_thresholds_come_from_config():
    strict = NluConfig(answer_threshold=0.95, suggest_threshold=0.9)
    assert decide(ranking(("a", 0.92)), strict).kind == SUGGEST
    assert decide(ranking(("a", 0.92)), NluConfig()).kind == ANSWER
    single = NluConfig(max_suggestions=1)
    decision = decide(ranking(("a", 0.5), ("b", 0.49)), single)
    assert [s.name for s in decision.suggestions] == ["a"]
