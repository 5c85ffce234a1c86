"""The actions next to Rasa: importable with rasa_sdk alone, and forgiving of typos in names."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bot.actions.facts import FACTS_PATH, load_facts
from bot.actions.investor_answers import match_investor, verdict_text
from bot.actions.spelling import edit_distance

REPO = Path(__file__).resolve().parents[1]

# Modules a Rasa action server does not have: the rest of faqbot and its own dependencies.
BLOCKED = ("bot.nlu", "bot.kb", "bot.dialog", "bot.adapters", "bot.action_client",
           "bot.compiler", "bot.commands", "bot.config", "rapidfuzz", "yaml", "numpy",
           "scipy", "spellchecker", "telegram")

# Imports the actions with BLOCKED unimportable, runs one through rasa_sdk's executor, and
# prints the reply and the bot modules that were loaded.
CHILD = textwrap.dedent("""
    import asyncio, importlib.abc, json, sys

    BLOCKED = {blocked!r}

    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if any(name == b or name.startswith(b + ".") for b in BLOCKED):
                raise ModuleNotFoundError(f"blocked: {{name}}", name=name)
            return None

    sys.meta_path.insert(0, Block())
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package({package!r})
    call = {{
        "next_action": "action_check_investor", "sender_id": "u1", "version": "3.6.2",
        "domain": {{}},
        "tracker": {{"sender_id": "u1", "slots": {{}}, "events": [], "paused": False,
                     "latest_message": {{"text": "did nvidea invest in mistral",
                                         "intent": {{"name": "ask_invested"}},
                                         "entities": []}},
                     "latest_action_name": "action_listen", "active_loop": {{}}}},
    }}
    result = asyncio.run(executor.run(call))
    result = result if isinstance(result, dict) else result.model_dump()
    loaded = sorted(m for m in sys.modules if m == "bot" or m.startswith("bot."))
    print(json.dumps({{"responses": result["responses"], "events": result["events"],
                      "loaded": loaded}}))
""")


def run_isolated(package: str, cwd: Path) -> dict:
    code = CHILD.format(blocked=BLOCKED, package=package)
    done = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


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
    from bot.actions.investor_answers import Verdict

    return verdict_text(Verdict(typed, match_investor(typed, facts)), facts)


@pytest.mark.parametrize(("first", "second", "distance"), [
    ("nvidia", "nvidia", 0), ("nvdia", "nvidia", 1), ("cicso", "cisco", 1),
    ("arm", "asml", 2), ("", "ibm", 3), ("kitten", "sitting", 3),
])
def test_edit_distance(first: str, second: str, distance: int) -> None:
    assert edit_distance(first, second, 5) == distance
    assert edit_distance(first, second, 1) == min(distance, 2)
