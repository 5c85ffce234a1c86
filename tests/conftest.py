"""Shared fixtures: a small knowledge base written to real files, and engines over it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.config import BotConfig
from bot.dialog.engine import Brain, Engine, build_brain
from bot.dialog.lexicon import FUNCTION_WORDS
from bot.kb.loader import load_knowledge_base
from bot.kb.model import KnowledgeBase
from bot.nlu.normalize import normalize
from bot.nlu.parse import IntentScore

REPO = Path(__file__).resolve().parents[1]
SHIPPED_INTENTS = REPO / "intents"


@pytest.fixture(autouse=True, scope="session")
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory):
    """Keep the unanswered log and the matcher cache of tests out of the home directory."""
    names = {"FAQBOT_DATA_DIR": "faqbot-data", "FAQBOT_CACHE_DIR": "faqbot-cache"}
    previous = {name: os.environ.get(name) for name in names}
    for name, folder in names.items():
        os.environ[name] = str(tmp_path_factory.mktemp(folder))
    yield
    for name, value in previous.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value

# A made-up rocket company, so nothing here leans on the shipped Mistral knowledge base.
# Two intents share a phrasing, so any matcher must ask "did you mean".
TIE_YAML = """\
version: "3.1"
nlu:
- intent: price_small
  metadata: {title: "Small rocket price"}
  examples: |
    - rocket prices
    - price of the pebble
    - how much is the pebble rocket
- intent: price_big
  metadata: {title: "Big rocket price"}
  examples: |
    - rocket prices
    - price of the boulder
    - how much is the boulder rocket
responses:
  utter_price_small:
  - text: The Pebble costs 5 million.
  utter_price_big:
  - text: The Boulder costs 40 million.
"""


SMALL_KB_YAML = """\
version: "3.1"
nlu:
- intent: greet
  examples: |
    - hello
    - hi
    - hey there
    - good morning
- intent: fact_sales
  metadata: {title: "Sales", topic: sales, related: [fact_sales_before, fact_boss]}
  examples: |
    - how much do they sell
    - what are the sales
    - annual sales of acme rockets
    - how big are acme sales
    - sales figures
    - what is the turnover
- intent: fact_sales_before
  metadata: {title: "Earlier sales", topic: sales, related: [fact_sales]}
  examples: |
    - what were the sales a year before
    - sales the year before
    - and the previous year
    - how much did they sell last year
    - sales one year earlier
    - turnover the year before
- intent: fact_boss
  metadata: {title: "Chief executive", topic: people, related: [fact_boss_plan]}
  examples: |
    - who runs acme rockets
    - who is the boss
    - who leads the company
    - who is the chief executive
    - name of the ceo
    - who is in charge
- intent: fact_boss_plan
  metadata: {title: "The chief's plan", topic: people, related: [fact_boss]}
  examples: |
    - what is the plan of the boss
    - what does the ceo want
    - the chief executive plan
    - what is her plan for the company
    - what is the strategy of the ceo
    - her ambition
- intent: fact_money
  metadata: {title: "Money raised", topic: money, related: [fact_backers]}
  examples: |
    - how much money did acme raise
    - how much funding
    - total funds raised
    - how much capital did they get
    - funding rounds
    - how much did investors put in
- intent: fact_backers
  metadata: {title: "Backers", topic: money, related: [fact_money]}
  examples: |
    - who are the backers
    - who invested in acme
    - which investors put money in
    - who funded them
    - list of backers
    - investors in acme rockets
- intent: fact_rockets
  metadata: {title: "Rockets", topic: products}
  examples: |
    - what rockets do they build
    - which rockets does acme make
    - rocket models
    - their product line
    - what launchers do they sell
    - list of rocket types
- intent: faq/location
  metadata: {title: "Launch site"}
  examples: |
    - where do they launch from
    - where is the launch site
    - launch site location
    - which spaceport do they use
responses:
  utter_faq/location:
  - text: Acme launches from a desert spaceport.
  utter_greet:
  - text: Hello! Ask me about Acme Rockets.
  utter_default:
  - text: Sorry, I can only answer questions about Acme Rockets.
  utter_fact_sales:
  - text: Acme Rockets sold 70 million dollars of launches this year.
  utter_fact_sales_before:
  - text: A year earlier, Acme Rockets sold 9 million dollars of launches.
  utter_fact_boss:
  - text: Acme Rockets is run by Dana Orbit.
  utter_fact_boss_plan:
  - text: Dana Orbit wants cheap rides to orbit for every university.
  utter_fact_money:
  - text: Acme Rockets raised 300 million dollars.
  utter_fact_backers:
  - text: Its backers are Starfund and Comet Capital.
  utter_fact_rockets:
  - text: Acme builds the Pebble and the Boulder rockets.
"""


class OverlapMatcher:
    """A predictable matcher for engine tests: Dice overlap of content words.

    Engine tests use it so that they test the engine, whatever the real matcher does.
    """

    def __init__(self, kb: KnowledgeBase) -> None:
        self._examples = [
            (name, self._words(example.text))
            for name in kb.answerable_intents()
            for example in kb.intents[name].examples
        ]

    @staticmethod
    def _words(text: str) -> frozenset[str]:
        tokens = normalize(text).split()
        return frozenset(t for t in tokens if t not in FUNCTION_WORDS) or frozenset(tokens)

    def rank(self, text: str, limit: int = 10) -> list[IntentScore]:
        query = self._words(text)
        if not query:
            return []
        best: dict[str, float] = {}
        for name, words in self._examples:
            score = 2 * len(query & words) / (len(query) + len(words))
            best[name] = max(best.get(name, 0.0), score)
        ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))[:limit]
        return [IntentScore(name, score) for name, score in ranked if score > 0]


@pytest.fixture
def small_kb_dir(tmp_path: Path) -> Path:
    """Return a directory holding the small test knowledge base."""
    directory = tmp_path / "kb"
    directory.mkdir()
    (directory / "kb.yml").write_text(SMALL_KB_YAML, encoding="utf-8")
    return directory


@pytest.fixture
def small_kb(small_kb_dir: Path) -> KnowledgeBase:
    """Return the small test knowledge base, loaded from its file."""
    return load_knowledge_base(small_kb_dir)


@pytest.fixture
def small_engine(small_kb: KnowledgeBase) -> Engine:
    """Return an engine over the small knowledge base with the predictable test matcher."""
    return Engine(Brain(small_kb, OverlapMatcher(small_kb)), BotConfig())


@pytest.fixture(scope="session")
def shipped_brain():
    """Return the brain of the shipped knowledge base (``intents/``), built once."""
    if not any(SHIPPED_INTENTS.rglob("*.yml")):
        pytest.skip("the shipped knowledge base is not there yet")
    return build_brain(load_knowledge_base(SHIPPED_INTENTS))


@pytest.fixture
def shipped_engine(shipped_brain) -> Engine:
    """Return a fresh engine (empty conversation state) over the shipped knowledge base."""
    return Engine(shipped_brain, BotConfig())
