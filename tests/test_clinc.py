"""CLINC150 sanity check on a subset of intents, through the real loader.

The full figures (150 intents, threshold tuned on validation) are in
``benchmarks/bench_clinc150.py``; this test keeps to 20 intents so it runs in a second.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bot.config import NluConfig
from bot.dialog.decision import ANSWER, decide
from bot.kb.loader import load_knowledge_base
from bot.nlu.matcher import build_matcher

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from clinc_kb import DEFAULT_DATA, OOS, load_splits, write_kb  # noqa: E402

pytestmark = pytest.mark.skipif(not DEFAULT_DATA.is_file(), reason="CLINC150 data not found")


@pytest.fixture(scope="module")
def subset(tmp_path_factory):
    splits = load_splits()
    intents = sorted({i for _, i in splits["train"]})[::7][:20]
    keep = set(intents)
    folder = write_kb(tmp_path_factory.mktemp("clinc") / "kb",
                      [p for p in splits["train"] if p[1] in keep])
    matcher = build_matcher(load_knowledge_base(folder), use_cache=False)
    val = [p for p in splits["val"] if p[1] in keep]
    return matcher, val, splits["oos_val"]


def test_kb_round_trips_through_the_loader(tmp_path):
    splits = load_splits()
    kb = load_knowledge_base(write_kb(tmp_path / "kb", splits["train"][:300]))
    assert len(kb.answerable_intents()) == 3
    assert sum(len(kb.intents[n].examples) for n in kb.answerable_intents()) == 300


def test_subset_accuracy_and_refusals(subset):
    matcher, val, oos = subset
    config = NluConfig()
    correct = sum(matcher.rank(text)[0].name == intent for text, intent in val)
    assert correct / len(val) >= 0.93
    answered = sum(decide(matcher.rank(text), config).kind == ANSWER for text, _ in oos)
    assert answered / len(oos) <= 0.05
    assert all(intent == OOS for _, intent in oos)


def test_names_yaml_reads_as_booleans_are_quoted(tmp_path):
    pairs = [("yes please", "yes"), ("nope", "no"), ("turn it on", "on"), ("hi", "greeting")]
    folder = write_kb(tmp_path / "kb", [p for p in pairs for _ in range(2)])
    text = (folder / "nlu.yml").read_text(encoding="utf-8")
    assert '- intent: "yes"' in text and '- intent: "no"' in text
    assert "- intent: greeting" in text
    kb = load_knowledge_base(folder)
    assert set(kb.answerable_intents()) == {"yes", "no", "on", "greeting"}
