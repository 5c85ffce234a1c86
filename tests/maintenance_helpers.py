"""A small knowledge base written to temporary directories by the maintenance tests."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "intents"

NLU = """\
version: "3.1"
# Small talk first; facts below.
nlu:
- intent: greet
  metadata:
    title: Hello
  examples: |
    - hello
    - hi there
    - good morning

# Funding questions.
- intent: faq/funding
  metadata:
    title: Funding
    topic: funding
    related: [fact_revenue]
  examples: |
    - how much money has mistral raised
    - what funding did mistral get
    - who invested in mistral

- intent: fact_revenue  # key fact
  metadata:
    title: Revenue
    topic: revenue
  examples: |
    - how much revenue does mistral make
    - what is mistral's annual revenue
    - how big are mistral sales
"""

RESPONSES = """\
version: "3.1"
responses:
  utter_greet:
  - text: Hello! Ask me about Mistral AI.
    buttons:
    - title: Funding
      payload: /faq/funding
  utter_faq/funding:
  - text: Mistral has raised large rounds from many investors (source TechCrunch).
  utter_fact_revenue:
  - text: Mistral's revenue is growing fast (source TechCrunch).
  utter_default:
  - text: Sorry, I do not know that one.
"""


def write_sample_kb(directory: Path) -> Path:
    """Write the sample knowledge base into ``directory`` and return it."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "nlu.yml").write_text(NLU, encoding="utf-8")
    (directory / "responses.yml").write_text(RESPONSES, encoding="utf-8")
    return directory


def copy_shipped_kb(directory: Path) -> Path | None:
    """Copy the shipped knowledge base into ``directory``; None when there is none yet."""
    if not SHIPPED.is_dir() or not any(SHIPPED.rglob("*.yml")):
        return None
    shutil.copytree(SHIPPED, directory)
    return directory
