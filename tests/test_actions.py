"""Custom actions in-process: facts, computed answers, rasa_sdk's executor, engine slots."""

from __future__ import annotations

import asyncio
import textwrap
from pathlib import Path

import pytest
import yaml

from bot.action_client.endpoints import ActionEndpoint
from bot.action_client.inprocess import InProcessActionRunner
from bot.action_client.protocol import (
    ProtocolError,
    build_action_call,
    parse_action_result,
)
from bot.actions.facts import FACTS_PATH, FactsError, load_facts, parse_facts
from bot.actions.investor_answers import extract_subjects, other_company, resolve
from bot.actions.revenue_answers import compute_growth
from bot.actions.text import format_usd
from bot.config import load_config
from bot.dialog.engine import ACTION_UNAVAILABLE_TEXT, Engine, build_brain
from bot.dialog.state import ConversationState, InMemoryStateStore
from bot.kb.loader import load_knowledge_base
from bot.nlu.entities import build_entity_extractor
from bot.nlu.parse import IntentScore, Parse

REPO = Path(__file__).resolve().parents[1]
ACTIONS_YML = REPO / "intents" / "curated" / "actions.yml"


@pytest.fixture(scope="module")
def kb():
    return load_knowledge_base(ACTIONS_YML)


@pytest.fixture(scope="module")
def extractor(kb):
    return build_entity_extractor(kb)


@pytest.fixture(scope="module")
def runner() -> InProcessActionRunner:
    return InProcessActionRunner()


def parse_of(text: str, intent: str, extractor) -> Parse:
    return Parse(text, IntentScore(intent, 1.0), (IntentScore(intent, 1.0),),
                 tuple(extractor.extract(text)))


def texts(replies) -> str:
    return "\n".join(r.text for r in replies)


# -- facts and arithmetic ----------------------------------------------------------------
def test_packaged_facts_carry_the_source_figures() -> None:
    facts = load_facts(FACTS_PATH)
    assert facts.source.name == "TechCrunch"
    assert facts.funding.total_usd == 4e9
    assert (facts.revenue.before_usd, facts.revenue.after_usd) == (20e6, 400e6)
    assert len(facts.investors) == 9


def test_growth_is_computed_from_the_figures() -> None:
    growth = compute_growth(load_facts(FACTS_PATH).revenue)
    assert growth.factor == pytest.approx(20.0)
    assert growth.percent == pytest.approx(1900.0)
    assert growth.to_target_factor == pytest.approx(2.5)


@pytest.mark.parametrize(("amount", "text"), [
    (20e6, "$20 million"), (4e9, "$4 billion"), (1.5e9, "$1.5 billion"), (950_000, "$950,000"),
])
def test_format_usd(amount: float, text: str) -> None:
    assert format_usd(amount) == text


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d.pop("investors"), "investors: missing"),
    (lambda d: d["investors"][0].update(group="angels"), "unknown group 'angels'"),
    (lambda d: d["revenue"].update(before_usd=-1), "revenue.before_usd: must be positive"),
    (lambda d: d["revenue"].update(after_usd="lots"), "revenue.after_usd: unexpected value"),
    (lambda d: d["revenue"].update(driver=["enterprise"]), "revenue.driver: must be a non-empty"),
])
def test_bad_facts_name_the_field(change, message: str) -> None:
    raw = yaml.safe_load(FACTS_PATH.read_text(encoding="utf-8"))
    change(raw)
    with pytest.raises(FactsError, match=message):
        parse_facts(raw, "facts.yml")


def test_missing_facts_file(tmp_path: Path) -> None:
    with pytest.raises(FactsError, match="cannot read facts"):
        load_facts(tmp_path / "nope.yml")


# -- who is asked about ------------------------------------------------------------------
@pytest.mark.parametrize(("text", "subjects"), [
    ("did google invest in mistral", ["google"]),
    ("Did Apple invest in Mistral AI?", ["apple"]),
    ("is amazon one of mistral's investors", ["amazon"]),
    ("has the French government ever backed Mistral?", ["french government"]),
    ("is salesforce among the backers", ["salesforce"]),
    ("is xavier niel one of the key investors in mistral", ["xavier niel"]),
    ("is the french state among mistral's main shareholders?", ["french state"]),
    ("did ibm and sap invest", ["ibm", "sap"]),
    ("what about cisco", ["cisco"]),
    ("did mistral get money from softbank?", ["softbank"]),
    ("how much did revenue grow", None),
    ("did they invest", ["they"]),
])
def test_subject_extraction(text: str, subjects: list[str] | None) -> None:
    assert extract_subjects(text) == subjects


def names(verdicts):
    return None if verdicts is None else [
        (v.asked, v.investor.name if v.investor else None) for v in verdicts]


def test_resolve_listed_unlisted_pronoun_and_vague(extractor) -> None:
    facts = load_facts(FACTS_PATH)

    def run(text: str, slots=None):
        entities = [e.to_json() for e in extractor.extract(text)]
        return names(resolve(text, entities, slots or {}, facts))

    assert run("did nvdia invest in mistral") == [("nvdia", "Nvidia")]
    assert run("did google invest in mistral") == [("google", None)]
    assert run("did nvidia and google invest") == [("nvidia", "Nvidia"), ("google", None)]
    assert run("is a16z an investor") == [("a16z", "Andreessen Horowitz")]
    assert run("did they invest?", {"investor": "IBM"}) == [("IBM", "IBM")]
    assert run("did they invest?") is None
    assert run("did anyone invest in mistral") is None
    assert run("/ask_invested") is None


def test_resolve_names_given_in_a_payload_listed_or_not() -> None:
    """``/ask_invested{"investor": "Google"}`` (a button carrying the entity) is answered."""
    facts = load_facts(FACTS_PATH)

    def run(text: str, *values: str):
        entities = [{"entity": "investor", "value": v, "start": 13, "end": len(text),
                     "confidence": 1.0, "extractor": "payload"} for v in values]
        return names(resolve(text, entities, {}, facts))

    assert run('/ask_invested{"investor": "Google"}', "Google") == [("Google", None)]
    assert run('/ask_invested{"investor": "nvdia"}', "nvdia") == [("nvdia", "Nvidia")]
    assert run('/ask_invested{"investor": ["IBM", "Tencent"]}', "IBM", "Tencent") == [
        ("IBM", "IBM"), ("Tencent", None)]
    assert run('/ask_invested{"investor": " "}', " ") is None


@pytest.mark.parametrize(("text", "other"), [
    ("who invested in openai", "openai"),
    ("who are OpenAI's main investors", "OpenAI"),
    ("did google invest in anthropic?", "anthropic"),
    ("who are the backers of hugging face", "hugging face"),
    ("did ibm invest in mistral", None),
    ("did nvidia invest in mistal", None),          # a typo of Mistral is still Mistral
    ("who are its key investors", None),
    ("did mistral get money from softbank", None),  # softbank is the investor asked about
    ("did microsoft put money into the french startup", None),
])
def test_questions_about_another_company_are_spotted(text: str, other: str | None) -> None:
    assert other_company(text) == other


# -- in-process, through rasa_sdk's executor ---------------------------------------------
def test_listed_investor_gets_a_yes_and_sets_the_slot(runner, extractor) -> None:
    replies, events = runner.run("action_check_investor", "u1",
                                 parse_of("did nvdia invest in mistral?", "ask_invested",
                                          extractor), ConversationState())
    assert texts(replies).startswith("Yes.")
    assert "Nvidia" in texts(replies) and "TechCrunch" in texts(replies)
    assert [(e["event"], e["name"], e["value"]) for e in events] == [
        ("slot", "investor", "Nvidia")]


@pytest.mark.parametrize("company", ["google", "apple"])
def test_unlisted_company_is_not_guessed(runner, extractor, company: str) -> None:
    replies, events = runner.run("action_check_investor", "u1",
                                 parse_of(f"did {company} invest in mistral", "ask_invested",
                                          extractor), ConversationState())
    answer = texts(replies)
    assert f"does not list {company.title()}" in answer
    assert not answer.startswith("Yes")
    assert "Nvidia" in answer  # says who IS listed
    assert events == []


@pytest.mark.parametrize(("action", "intent"), [
    ("action_list_investors", "ask_investors_list"), ("action_check_investor", "ask_invested"),
])
def test_another_companys_investors_are_not_mistrals(runner, extractor, action, intent) -> None:
    replies, _ = runner.run(action, "u1", parse_of("who invested in openai", intent, extractor),
                            ConversationState())
    assert "says nothing about who invested in Openai" in texts(replies)
    assert "Lightspeed" not in texts(replies)


def test_no_name_asks_which(runner, extractor) -> None:
    replies, _ = runner.run("action_check_investor", "u1",
                            parse_of("/ask_invested", "ask_invested", extractor),
                            ConversationState())
    assert "Which company" in replies[0].text
    assert [b.payload for b in replies[0].buttons] == ["/ask_investors_list"]


def test_investors_are_listed_in_groups(runner, extractor) -> None:
    replies, _ = runner.run("action_list_investors", "u1",
                            parse_of("who invested", "ask_investors_list", extractor),
                            ConversationState())
    lines = texts(replies).splitlines()
    venture = next(line for line in lines if line.startswith("- Venture"))
    strategic = next(line for line in lines if line.startswith("- Technology"))
    assert "Lightspeed" in venture and "a16z" in venture and "Nvidia" not in venture
    assert all(n in strategic for n in ("Microsoft", "ASML", "Cisco", "IBM", "Nvidia"))
    assert "$4 billion" in lines[0]


def test_revenue_growth_answer(runner, extractor) -> None:
    replies, _ = runner.run("action_revenue_growth", "u1",
                            parse_of("how much did revenue grow", "ask_revenue_growth",
                                     extractor), ConversationState())
    answer = texts(replies)
    assert "$20 million" in answer and "$400 million" in answer
    assert "20 times" in answer and "1,900%" in answer and "2.5 times" in answer
    # what the source credits the growth to, from the facts file
    assert "credits the growth to its enterprise strategy" in answer


def test_answers_follow_the_facts_file(runner, extractor, tmp_path, monkeypatch) -> None:
    raw = yaml.safe_load(FACTS_PATH.read_text(encoding="utf-8"))
    raw["revenue"].update(before_usd=10_000_000, after_usd=400_000_000)
    raw["investors"].append({"name": "Acme Capital", "group": "venture"})
    path = tmp_path / "facts.yml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    monkeypatch.setenv("FAQBOT_ACTION_FACTS", str(path))
    growth, _ = runner.run("action_revenue_growth", "u1",
                           parse_of("revenue growth", "ask_revenue_growth", extractor),
                           ConversationState())
    assert "40 times" in texts(growth) and "$10 million" in texts(growth)
    listed, _ = runner.run("action_list_investors", "u1",
                           parse_of("who invested", "ask_investors_list", extractor),
                           ConversationState())
    assert "ten key investors" in texts(listed) and "Acme Capital" in texts(listed)


def test_unknown_action_gets_an_apology(runner, extractor) -> None:
    replies, events = runner.run("action_nope", "u1", parse_of("x", "x", extractor),
                                 ConversationState())
    assert [r.text for r in replies] == [ACTION_UNAVAILABLE_TEXT] and events == []


FAULTY = '''
import asyncio
from rasa_sdk import Action


class Broken(Action):
    def name(self):
        return "action_broken_test"

    async def run(self, dispatcher, tracker, domain):
        raise RuntimeError("boom")


class Slow(Action):
    def name(self):
        return "action_slow_test"

    async def run(self, dispatcher, tracker, domain):
        await asyncio.sleep(5)
        return []
'''


def test_failing_and_slow_actions_get_an_apology(tmp_path, monkeypatch, extractor) -> None:
    (tmp_path / "faulty_actions_pkg").mkdir()
    (tmp_path / "faulty_actions_pkg" / "__init__.py").write_text(textwrap.dedent(FAULTY))
    monkeypatch.syspath_prepend(str(tmp_path))
    runner = InProcessActionRunner(ActionEndpoint(actions_module="faulty_actions_pkg",
                                                  timeout=0.3))
    parse = parse_of("x", "x", extractor)
    for action in ("action_broken_test", "action_slow_test"):
        replies, _ = runner.run(action, "u1", parse, ConversationState())
        assert [r.text for r in replies] == [ACTION_UNAVAILABLE_TEXT]


def test_missing_actions_package_gets_an_apology(extractor) -> None:
    runner = InProcessActionRunner(ActionEndpoint(actions_module="no_such_actions_pkg"))
    replies, _ = runner.run("action_list_investors", "u1", parse_of("x", "x", extractor),
                            ConversationState())
    assert [r.text for r in replies] == [ACTION_UNAVAILABLE_TEXT]


def test_runner_works_inside_a_running_event_loop(runner, extractor) -> None:
    async def handler():  # an async adapter calling the synchronous engine directly
        return runner.run("action_revenue_growth", "u1",
                          parse_of("growth", "ask_revenue_growth", extractor),
                          ConversationState())

    replies, _ = asyncio.run(handler())
    assert "20 times" in texts(replies)


# -- the protocol ------------------------------------------------------------------------
def test_action_call_has_rasa_shape(extractor) -> None:
    state = ConversationState(slots={"investor": "IBM"})
    call = build_action_call("action_check_investor", "s1",
                             parse_of("did nvidia invest", "ask_invested", extractor), state)
    assert set(call) == {"next_action", "sender_id", "tracker", "domain", "version"}
    assert call["next_action"] == "action_check_investor" and call["sender_id"] == "s1"
    tracker = call["tracker"]
    assert tracker["slots"] == {"investor": "IBM"}
    assert tracker["latest_message"]["intent"]["name"] == "ask_invested"
    assert tracker["latest_message"]["entities"][0]["value"] == "Nvidia"
    assert "investor" in call["domain"]["slots"]


def test_action_result_parsing() -> None:
    body = {
        "events": [{"event": "slot", "name": "a", "value": 1}, {"name": "no event key"}],
        "responses": [
            {"text": "hi", "buttons": [{"title": "T", "payload": "/x"}, {"title": "bad"}]},
            {"text": None, "response": "utter_template_we_cannot_render"},
            {"text": None, "buttons": [{"title": "Only", "payload": "/y"}]},
        ],
    }
    replies, events = parse_action_result(body, "a")
    assert [(r.text, [b.payload for b in r.buttons]) for r in replies] == [
        ("hi", ["/x"]), ("", ["/y"])]
    assert events == [{"event": "slot", "name": "a", "value": 1}]
    with pytest.raises(ProtocolError):
        parse_action_result(["not", "an", "object"], "a")


# -- through the engine ------------------------------------------------------------------
def test_engine_keeps_entity_and_event_slots(kb, runner) -> None:
    store = InMemoryStateStore()
    engine = Engine(build_brain(kb), load_config(), store=store, actions=runner)
    turn = engine.handle("alice", "/ask_invested")
    assert "Which company" in turn.responses[0].text
    turn = engine.handle("alice", "did nvdia invest in mistral")
    assert turn.parse.intent.name == "ask_invested"
    assert [e.value for e in turn.parse.entities] == ["Nvidia"]
    assert turn.responses[0].text.startswith("Yes.")
    assert {"event": "slot", "name": "investor", "value": "Nvidia", "timestamp": None} in (
        turn.events)
    assert store.get("alice").slots["investor"] == "Nvidia"
    assert "investor" not in store.get("bob").slots



def test_facts_file_is_packaged() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+; the package supports 3.10
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["bot"]
    packaged = {p for pattern in patterns for p in (REPO / "bot").glob(pattern)}
    assert FACTS_PATH in packaged
