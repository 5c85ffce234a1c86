"""The actions next to Rasa: importable with rasa_sdk alone, and forgiving of typos in names."""

from __future__ import annotations

from pathlib import Path

import pytest
from isolated_actions import run_isolated

from bot.actions.facts import FACTS_PATH, load_facts
from bot.actions.investor_answers import Verdict, match_investor, verdict_text
from bot.actions.spelling import edit_distance

REPO = Path(__file__).resolve().parents[1]


def test_actions_run_with_rasa_sdk_alone() -> None:
    result = run_isolated("bot.actions", REPO)
    assert all(m == "bot" or m.startswith("bot.actions") for m in result["loaded"]), result
    (reply,) = result["responses"]
    assert reply["text"].startswith("Yes.") and "Nvidia" in reply["text"]
    assert [(e["event"], e["name"], e["value"]) for e in result["events"]] == [
        ("slot", "investor", "Nvidia")]


@pytest.mark.parametrize(("typed", "listed"), [
    ("nvdia", "Nvidia"), ("nvidea", "Nvidia"), ("invidia", "Nvidia"), ("nvidiaa", "Nvidia"),
    ("cicso", "Cisco"), ("imb", "IBM"), ("ibn", "IBM"), ("asm", "ASML"),
    ("microsfot", "Microsoft"), ("mircosoft", "Microsoft"), ("samsng", "Samsung"),
    ("lightspead", "Lightspeed"), ("andreesen horowitz", "Andreessen Horowitz"),
    ("general catalist", "General Catalyst"),
])
def test_a_typo_of_a_listed_investor_is_confirmed(typed: str, listed: str) -> None:
    facts = load_facts(FACTS_PATH)
    investor = match_investor(typed, facts)
    assert investor is not None and listed in investor.name
    assert verdict_text_of(typed, facts).startswith("Yes.")


@pytest.mark.parametrize("company", [
    "google", "apple", "amazon", "meta", "openai", "oracle", "intel", "amd", "arm", "sap",
    "hp", "softbank", "tencent", "salesforce", "anthropic", "nokia", "bpifrance",
])
def test_other_companies_are_not_taken_for_listed_ones(company: str) -> None:
    assert match_investor(company, load_facts(FACTS_PATH)) is None


def verdict_text_of(typed: str, facts) -> str:
    return verdict_text(Verdict(typed, match_investor(typed, facts)), facts)


@pytest.mark.parametrize(("first", "second", "distance"), [
    ("nvidia", "nvidia", 0), ("nvdia", "nvidia", 1), ("cicso", "cisco", 1),
    ("arm", "asml", 2), ("", "ibm", 3), ("kitten", "sitting", 3),
])
def test_edit_distance(first: str, second: str, distance: int) -> None:
    assert edit_distance(first, second, 5) == distance
    assert edit_distance(first, second, 1) == min(distance, 2)
