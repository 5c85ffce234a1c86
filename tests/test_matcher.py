"""The matcher on a small made-up knowledge base written to real files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import TIE_YAML

from bot.config import NluConfig
from bot.dialog.decision import ANSWER, decide
from bot.kb.loader import load_knowledge_base
from bot.nlu import cache, matcher
from bot.nlu.matcher import build_matcher

KB_YAML = """\
version: "3.1"
nlu:
- intent: greet
  examples: |
    - hello
    - hi
    - hey there
    - good morning
    - hello bot
    - hi there
- intent: fact_sales
  examples: |
    - how much do they sell
    - what are the sales
    - annual sales of acme rockets
    - how big are acme sales
    - sales figures
    - what is the turnover
    - how much revenue does acme make
    - acme revenue
    - what does acme earn in a year
    - yearly revenue
- intent: fact_boss
  examples: |
    - who runs acme rockets
    - who is the boss
    - who leads the company
    - who is the [chief executive](role)
    - name of the ceo
    - who is in charge
    - who is the ceo of acme
    - ceo
    - who manages acme
    - the person at the top
- intent: fact_rockets
  examples: |
    - what rockets do they build
    - which launchers does acme make
    - tell me about the rockets
    - rocket models
    - what do they launch
    - what vehicles does acme fly
    - list of rockets
    - does acme build reusable rockets
    - what kind of launch vehicles
    - acme rocket range
- intent: fact_investors
  examples: |
    - who invested in acme
    - who are the investors
    - which firms back acme
    - did google invest in acme
    - who funded acme rockets
    - list the backers
    - investors
    - who put money into acme
    - who are the shareholders
    - which funds invested
- synonym: ceo
  examples: |
    - chief executive
    - head honcho
responses:
  utter_greet:
  - text: Hello!
  utter_fact_sales:
  - text: Sales are 10 rockets a year.
  utter_fact_boss:
  - text: Jane Doe runs it.
  utter_fact_rockets:
  - text: Two rockets.
  utter_fact_investors:
  - text: Some funds.
"""

NLU = NluConfig()


@pytest.fixture()
def kb_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "kb.yml").write_text(KB_YAML, encoding="utf-8")
    return folder


@pytest.fixture()
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    return folder


@pytest.fixture()
def built(kb_dir: Path, cache_dir: Path) -> matcher.LinearMatcher:
    return build_matcher(load_knowledge_base(kb_dir))


def top(m: matcher.LinearMatcher, text: str) -> tuple[str, float]:
    ranking = m.rank(text)
    return ranking[0].name, ranking[0].confidence


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("how much does acme sell", "fact_sales"),
        ("what's acme's revenue?", "fact_sales"),
        ("who is running acme", "fact_boss"),
        ("which rockets does acme build", "fact_rockets"),
        ("who has invested in acme", "fact_investors"),
        ("HELLO!!", "greet"),
    ],
)
def test_paraphrases_are_answered(built: matcher.LinearMatcher, text: str, intent: str):
    ranking = built.rank(text)
    assert ranking[0].name == intent
    assert decide(ranking, NLU).kind == ANSWER


@pytest.mark.parametrize(
    ("text", "intent"),
    [("acme revnue", "fact_sales"), ("who is teh bos", "fact_boss"),
     ("wich rokets do they bild", "fact_rockets"), ("investers", "fact_investors")],
)
def test_typos_are_tolerated(built: matcher.LinearMatcher, text: str, intent: str):
    assert top(built, text)[0] == intent


def test_real_english_words_are_not_corrected(built: matcher.LinearMatcher):
    # "founded" is one edit from the known "funded" but is itself a common word (the
    # paraphrase lexicon may still read it as a synonym the knowledge base uses).
    assert "funded" not in built.understand("who founded acme")[0]
    assert decide(built.rank("who founded acme"), NLU).kind != ANSWER
    # a non-word one edit away is still corrected (its trust: tests/test_spelling.py)
    tokens, trust = built.understand("who fundd acme")
    assert tokens[1] == "funded" and 0.0 < trust[1] <= 1.0


def test_message_without_content_word_is_not_answered(built: matcher.LinearMatcher):
    for text in ("why?", "who?", "how so"):
        assert decide(built.rank(text), NLU).kind != ANSWER, text
    # an intent whose examples are that very message keeps its confidence
    assert top(built, "hello") == ("greet", pytest.approx(top(built, "hello")[1]))
    assert top(built, "hello")[1] >= NLU.answer_threshold


def test_after_is_not_before(tmp_path: Path, cache_dir: Path):
    (tmp_path / "nlu.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: last_year\n  examples: |\n'
        + "".join(f"    - {t}\n" for t in ("the year before", "and the year before",
                                               "a year before", "sales the year before"))
        + "- intent: hello\n  examples: |\n    - hi\n    - hello\n"
        + "responses:\n  utter_last_year:\n  - text: last year\n"
        + "  utter_hello:\n  - text: hi\n",
        encoding="utf-8",
    )
    built = build_matcher(load_knowledge_base(tmp_path))
    assert top(built, "and the year before?")[1] >= NLU.answer_threshold
    assert decide(built.rank("and the year after?"), NLU).kind != ANSWER


def test_unknown_name_fills_an_annotated_entity_slot(tmp_path: Path, cache_dir: Path):
    (tmp_path / "kb.yml").write_text(KB_YAML.replace(
        "    - did google invest in acme\n",
        "    - did [google](investor) invest in acme\n    - did [ibm](investor) back acme\n",
    ), encoding="utf-8")
    built = build_matcher(load_knowledge_base(tmp_path))
    name, confidence = top(built, "did tencent invest in acme")
    assert (name, confidence >= NLU.answer_threshold) == ("fact_investors", True)
    # a bare name, or a real word in that place, is no question about investors
    assert decide(built.rank("tencent"), NLU).kind != ANSWER
    assert top(built, "who is the ceo of tencent")[0] != "fact_investors"
    # a single letter names no company
    assert decide(built.rank("did q invest in acme"), NLU).kind != ANSWER


def test_number_form():
    assert matcher.number_form("$100") == "$000"
    assert matcher.number_form("15th") == "00th"
    assert matcher.number_form("2.5") == "0.0"
    assert matcher.number_form("a16z") is None
    assert matcher.number_form("rockets") is None


def test_unknown_number_reads_as_a_known_one(tmp_path: Path, cache_dir: Path):
    (tmp_path / "kb.yml").write_text(KB_YAML.replace(
        "    - list of rockets\n", "    - list of rockets\n    - launch 3 rockets\n"
    ), encoding="utf-8")
    built = build_matcher(load_knowledge_base(tmp_path))
    assert built.understand("launch 7 rockets")[0] == ["launch", "3", "rockets"]
    # a number the KB never uses no longer dilutes the message as an unknown word would
    assert top(built, "launch 7 rockets") == pytest.approx(top(built, "launch 3 rockets"))
    assert built.understand("a16z rockets")[0][0] == "a16z"


def test_synonyms_from_the_kb_are_applied(built: matcher.LinearMatcher):
    name, confidence = top(built, "who is the head honcho")
    assert name == "fact_boss"
    assert confidence >= NLU.answer_threshold


def test_ranking_shape(built: matcher.LinearMatcher):
    ranking = built.rank("who invested in acme rockets", limit=3)
    assert len(ranking) == 3
    confidences = [s.confidence for s in ranking]
    assert confidences == sorted(confidences, reverse=True)
    assert all(0.0 <= c <= 1.0 for c in confidences)
    assert len({s.name for s in ranking}) == 3
    assert len(built.rank("hello", limit=10)) == 5


@pytest.mark.parametrize(
    "text",
    ["what's the weather in paris", "give me a recipe for crepes",
     "who won the world cup in 2018", "how do i reset my password"],
)
def test_off_topic_gets_low_confidence(built: matcher.LinearMatcher, text: str):
    ranking = built.rank(text)
    assert not ranking or ranking[0].confidence < NLU.suggest_threshold


@pytest.mark.parametrize(
    "text",
    ["who is the ceo of google", "what is google's revenue", "when was acme founded",
     "how many employees does acme have", "where is acme headquartered"],
)
def test_near_misses_are_not_answered(built: matcher.LinearMatcher, text: str):
    assert decide(built.rank(text), NLU).kind != ANSWER


@pytest.mark.parametrize("text", ["", "   ", "?!?", "\x00\x01\x7f", "é" * 5000, "a b c"])
def test_bad_input_does_not_crash(built: matcher.LinearMatcher, text: str):
    ranking = built.rank(text)
    assert all(0.0 <= s.confidence <= 1.0 for s in ranking)
    assert decide(ranking, NLU).kind != ANSWER


def test_huge_message_is_handled(built: matcher.LinearMatcher):
    ranking = built.rank("who is the boss " * 5000)
    assert ranking[0].name == "fact_boss"


def test_builds_are_reproducible(kb_dir: Path, tmp_path: Path):
    kb = load_knowledge_base(kb_dir)
    first = build_matcher(kb, use_cache=False).rank("who put money in acme")
    second = build_matcher(kb, use_cache=False).rank("who put money in acme")
    assert first == second


def test_cache_hit_skips_fitting(kb_dir: Path, cache_dir: Path, monkeypatch):
    kb = load_knowledge_base(kb_dir)
    expected = build_matcher(kb).rank("who runs acme")
    assert len(list(cache_dir.glob("matcher-*.npz"))) == 1

    def fail(*args, **kwargs):
        raise AssertionError("the cache was not used")

    monkeypatch.setattr(matcher, "_fit", fail)
    assert build_matcher(kb).rank("who runs acme") == expected


def test_changed_kb_misses_the_cache(kb_dir: Path, cache_dir: Path):
    build_matcher(load_knowledge_base(kb_dir))
    text = (kb_dir / "kb.yml").read_text(encoding="utf-8")
    (kb_dir / "kb.yml").write_text(
        text.replace("    - the person at the top\n",
                     "    - the person at the top\n    - who is the big cheese\n"),
        encoding="utf-8",
    )
    changed = build_matcher(load_knowledge_base(kb_dir))
    assert len(list(cache_dir.glob("matcher-*.npz"))) == 2
    assert top(changed, "who is the big cheese")[0] == "fact_boss"


@pytest.mark.parametrize("garbage", [b"", b"not a zip file at all", b"PK\x03\x04broken"])
def test_corrupt_cache_is_rebuilt(kb_dir: Path, cache_dir: Path, garbage: bytes):
    kb = load_knowledge_base(kb_dir)
    expected = build_matcher(kb).rank("who runs acme")
    (entry,) = cache_dir.glob("matcher-*.npz")
    entry.write_bytes(garbage)
    assert build_matcher(kb).rank("who runs acme") == expected
    assert entry.stat().st_size > 100  # rewritten


def test_cache_with_missing_arrays_is_rebuilt(kb_dir: Path, cache_dir: Path):
    import numpy as np

    kb = load_knowledge_base(kb_dir)
    expected = build_matcher(kb).rank("who runs acme")
    (entry,) = cache_dir.glob("matcher-*.npz")
    np.savez(entry, intents=np.array(["x"]))
    assert build_matcher(kb).rank("who runs acme") == expected


def test_unwritable_cache_dir_still_builds(kb_dir: Path, tmp_path: Path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv(cache.CACHE_ENV, str(blocker / "cache"))
    assert top(build_matcher(load_knowledge_base(kb_dir)), "who runs acme")[0] == "fact_boss"


def test_default_cache_dir_is_outside_the_repo(monkeypatch, tmp_path: Path):
    monkeypatch.delenv(cache.CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "faqbot"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache.cache_dir() == Path.home() / ".cache" / "faqbot"


def test_empty_kb_ranks_nothing(tmp_path: Path, cache_dir: Path):
    folder = tmp_path / "empty"
    folder.mkdir()
    (folder / "kb.yml").write_text('version: "3.1"\nnlu: []\n', encoding="utf-8")
    assert build_matcher(load_knowledge_base(folder)).rank("hello") == []


def test_single_intent_kb(tmp_path: Path, cache_dir: Path):
    folder = tmp_path / "one"
    folder.mkdir()
    (folder / "kb.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hello\n    - hi\n'
        "responses:\n  utter_greet:\n  - text: Hi!\n",
        encoding="utf-8",
    )
    m = build_matcher(load_knowledge_base(folder))
    assert top(m, "hello")[0] == "greet"
    assert top(m, "what is the capital of peru")[1] < NLU.suggest_threshold


def test_cache_keeps_only_recent_entries(tmp_path: Path):
    import numpy as np

    for number in range(cache.MAX_ENTRIES + 3):
        cache.save(f"k{number:02d}", {"a": np.arange(3)}, tmp_path)
        entry = tmp_path / f"matcher-k{number:02d}.npz"
        os.utime(entry, (1000 + number, 1000 + number))
    cache.prune(tmp_path)
    left = sorted(p.name for p in tmp_path.glob("matcher-*.npz"))
    assert len(left) == cache.MAX_ENTRIES
    assert "matcher-k00.npz" not in left and "matcher-k18.npz" in left
    assert cache.load("k18", tmp_path)["a"].tolist() == [0, 1, 2]


def test_short_words_are_corrected_only_to_function_words(built: matcher.LinearMatcher):
    # "cfo" is one edit from "ceo", but a three-letter word has too many neighbours
    assert built.understand("who is the cfo")[0] == ["who", "is", "the", "cfo"]
    assert decide(built.rank("who is the cfo"), NLU).kind != ANSWER
    assert built.understand("who is teh ceo")[0] == ["who", "is", "the", "ceo"]
    assert top(built, "who is teh ceo") == ("fact_boss", pytest.approx(1.0, abs=0.1))


def _rival_kb(tmp_path: Path) -> Path:
    rows = {
        "funding": ["how much did acme raise", "acme funding round", "how much money did acme get",
                    "what did acme raise", "acme investment total", "how much was raised"],
        "rival": [f"{t} zorbex" for t in ("what is", "tell me about", "is acme like",
                                           "does acme compete with", "acme versus", "about")],
        "other": ["is acme important", "why does acme matter", "acme impact on europe"],
        "more": ["what is important to acme", "acme values", "what acme cares about"],
    }
    text = 'version: "3.1"\nnlu:\n'
    for name, examples in rows.items():
        text += f"- intent: {name}\n  examples: |\n" + "".join(f"    - {e}\n" for e in examples)
    text += "responses:\n" + "".join(f"  utter_{n}:\n  - text: {n}\n" for n in rows)
    (tmp_path / "kb.yml").write_text(text, encoding="utf-8")
    return tmp_path


def test_key_word_of_another_intent_counts_against(tmp_path: Path, cache_dir: Path):
    kb = load_knowledge_base(_rival_kb(tmp_path))
    plain = build_matcher(kb, matcher.MatcherSettings(rival_word_weight=0.0))
    built = build_matcher(kb)

    def funding(m: matcher.LinearMatcher, text: str) -> float:
        return next(s.confidence for s in m.rank(text) if s.name == "funding")

    # "zorbex" is in six examples of one intent: strong evidence against "funding"
    assert funding(built, "how much did zorbex raise") < funding(
        plain, "how much did zorbex raise"
    ) * 0.95
    # "important" is used once by each of two intents: only a rare word, no extra penalty
    assert funding(built, "how much did important acme raise") == pytest.approx(
        funding(plain, "how much did important acme raise"), rel=1e-4
    )
    # the intent that uses the key word is not penalised for it
    assert top(built, "tell me about zorbex")[0] == "rival"


def test_openai_funding_question_is_not_answered_with_mistral_funding():
    kb = load_knowledge_base(Path(__file__).resolve().parents[1] / "intents")
    built = build_matcher(kb, use_cache=False)
    assert decide(built.rank("how much did openai raise"), NLU).kind != ANSWER
    assert decide(built.rank("how much did mistral raise"), NLU).kind == ANSWER


def test_message_inside_examples_of_two_intents_is_not_answered(tmp_path: Path, cache_dir: Path):
    text = KB_YAML.replace(
        "    - yearly revenue\n", "    - yearly revenue\n    - how much money does acme make\n"
    ).replace(
        "- intent: fact_boss\n",
        "- intent: fact_funding\n  examples: |\n"
        + "".join(f"    - {e}\n" for e in ("how much money did acme raise", "acme funding",
                                          "how much was raised", "funding rounds of acme",
                                          "who funded acme", "acme investors money"))
        + "- intent: fact_boss\n",
    ) + "  utter_fact_funding:\n  - text: funding\n"
    (tmp_path / "kb.yml").write_text(text, encoding="utf-8")
    kb = load_knowledge_base(tmp_path)
    for seed_settings in (matcher.MatcherSettings(), matcher.MatcherSettings(learning_rate=0.1)):
        built = build_matcher(kb, seed_settings, use_cache=False)
        ranking = built.rank("how much money")
        # both intents have an example containing the whole message: nothing tells them apart
        assert {s.name for s in ranking[:2]} == {"fact_sales", "fact_funding"}
        assert decide(ranking, NLU).kind != ANSWER
        # a message that names what it wants is still answered
        assert decide(built.rank("how much money did acme raise"), NLU).kind == ANSWER


def test_a_message_that_is_an_example_of_two_intents_is_a_tie(tmp_path: Path):
    (tmp_path / "kb.yml").write_text(TIE_YAML, encoding="utf-8")
    ranking = build_matcher(load_knowledge_base(tmp_path), use_cache=False).rank("rocket prices")
    assert {s.name for s in ranking[:2]} == {"price_small", "price_big"}
    assert ranking[0].confidence == pytest.approx(ranking[1].confidence)
    assert decide(ranking, NluConfig()).kind != ANSWER


def test_a_word_the_intent_says_in_other_words_points_nowhere_else(tmp_path: Path):
    # "vcs" belongs to the list of investors, but the funding answer names investors too
    (tmp_path / "kb.yml").write_text("""\
version: "3.1"
nlu:
- intent: investor_list
  examples: |
    - which vcs invested
    - list the vcs
    - who are the vcs behind it
- intent: funding
  examples: |
    - how much money did they raise
    - how much funding do they have
responses:
  utter_investor_list:
  - text: Three firms invested.
  utter_funding:
  - text: They raised 5 million from investors and a bank loan.
""", encoding="utf-8")
    built = build_matcher(load_knowledge_base(tmp_path), use_cache=False)
    question = "any loans in the funding or is it all vcs"
    assert "vcs" not in built.foreign_words(question, "funding")
    assert built.covered_share(question, "funding") > built.covered_share(question,
                                                                          "investor_list")
