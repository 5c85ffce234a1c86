"""The hostile-input corpus through the real ``faqbot console --json``, one input a case.

Each input gets exactly one valid JSON line with at least one reply, none of them the
adapter's generic error; nothing on stderr looks like a traceback; and the bot still
answers a plain question afterwards. (How fast it replies is benchmarks/bench_hostile.py's
business.)
"""

from __future__ import annotations

import json

import pytest
from hostile_corpus import PROBE, PROBE_INTENT, Console, load_corpus

from bot.adapters.console import ERROR_TEXT

CORPUS = load_corpus()


def test_the_corpus_is_large_and_varied():
    assert len(CORPUS) >= 150
    assert len({item.id for item in CORPUS}) == len(CORPUS)


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    running = Console(tmp_path_factory.mktemp("hostile"))
    yield running
    assert running.close() == 0
    assert "Traceback" not in running.stderr()


@pytest.mark.parametrize("item", CORPUS, ids=[item.id for item in CORPUS])
def test_hostile_input_gets_one_clear_reply(console, item):
    console.send(item.line)
    raw = console.receive()
    reply = json.loads(raw.decode("utf-8"))  # valid UTF-8, valid JSON, one line
    assert raw.endswith(b"\n") and raw.count(b"\n") == 1
    assert set(reply) >= {"sender", "text", "intent", "responses"}
    texts = [r["text"] for r in reply["responses"]]
    assert texts and all(isinstance(t, str) and t.strip() for t in texts)
    assert ERROR_TEXT not in texts
    probe = console.ask(PROBE)
    assert probe["intent"]["name"] == PROBE_INTENT
    assert console.pending() == 0  # nothing answered twice
    assert "Traceback" not in console.stderr()
