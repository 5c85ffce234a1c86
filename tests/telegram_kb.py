"""A small knowledge base for the Telegram tests, written to a temporary directory."""

from __future__ import annotations

from pathlib import Path

LONG_PARAGRAPH = (
    "Mistral AI publishes open-weight models and sells access to larger ones. "
    "Its founders previously worked at large research labs in Paris and London. "
) * 14
LONG_ANSWER_PARAGRAPHS = 5
LONG_INTENT = "faq/" + "a_very_long_retrieval_key_that_does_not_fit_in_sixty_four_bytes_x"

KB_YAML = f"""
version: "3.1"
nlu:
- intent: greet
  examples: |
    - hello
    - hi there
- intent: faq/funding
  metadata:
    title: Funding
    topic: money
    related: [fact_revenue]
  examples: |
    - how much money has mistral raised
    - what funding did mistral get
- intent: fact_revenue
  metadata:
    title: Revenue
    topic: money
  examples: |
    - what is mistral revenue
    - how much does mistral earn
- intent: faq/founders
  metadata:
    title: Founders
    topic: people
  examples: |
    - who founded mistral
    - who are the founders
- intent: faq/history
  metadata:
    title: Company history
    topic: people
  examples: |
    - tell me the whole history of the company
- intent: faq/markup
  examples: |
    - show me the markup answer
- intent: {LONG_INTENT}
  metadata:
    title: Long key
  examples: |
    - the question with a very long intent name
responses:
  utter_greet:
  - text: "Hello! Ask me about Mistral AI."
  utter_faq/funding:
  - text: "Mistral AI raised about 1.7 billion euros in its Series C (source: TechCrunch)."
    buttons:
    - title: Revenue
      payload: /fact_revenue
    - title: Long key
      payload: /{LONG_INTENT}
  utter_fact_revenue:
  - text: "Revenue grew quickly; TechCrunch reported the figures."
  utter_faq/founders:
  - text: "Arthur Mensch, Guillaume Lample and Timothee Lacroix founded it in 2023."
  utter_faq/history:
  - text: |
{chr(10).join("      " + LONG_PARAGRAPH + chr(10) for _ in range(LONG_ANSWER_PARAGRAPHS))}
  utter_faq/markup:
  - text: "R&D costs <b>not bold</b> & 3 < 4 > 2 &amp; so on"
  utter_{LONG_INTENT}:
  - text: "The answer behind the long key."
  utter_default:
  - text: "Sorry, I don't know that one. Try /topics."
"""


def write_kb(directory: Path) -> Path:
    """Write the knowledge base into ``directory``/intents and return that folder."""
    intents = directory / "intents"
    intents.mkdir(parents=True, exist_ok=True)
    (intents / "kb.yml").write_text(KB_YAML, encoding="utf-8")
    return intents
