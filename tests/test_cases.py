from pathlib import Path

import pytest

from bot.evaluation.cases import (
    REFUSED,
    RIGHT,
    WRONG,
    CasesFileError,
    CaseTurn,
    ConsoleAsker,
    Reply,
    engine_asker,
    judge,
    load_cases,
    run_cases,
)

CASES = """
conversations:
  - {category: ceo, turns: [{text: "who is the ceo", expect: [["mensch"]]}]}
  - {category: oos, turns: [{text: "what is the capital of peru", fallback: true}]}
  - {category: smalltalk, turns: [{text: "hello", intent: greet}]}
  - category: context
    turns:
      - {text: "how much revenue does mistral make", expect: [["400"]]}
      - {text: "and a year before?", expect: [["20"]], reject: ["^no\\\\b"]}
"""


@pytest.fixture()
def cases_file(tmp_path: Path) -> Path:
    path = tmp_path / "cases.yml"
    path.write_text(CASES, encoding="utf-8")
    return path


def test_judge_verdicts():
    expect = CaseTurn("q", expect=(("400",), ("20", "twenty")))
    assert judge(expect, Reply("fact_revenue", "From $20M to $400M")) == RIGHT
    assert judge(expect, Reply("fact_revenue", "About $400M")) == WRONG
    assert judge(expect, Reply("nlu_fallback", "Did you mean 400 or 20?")) == REFUSED
    refuse = CaseTurn("q", fallback=True)
    assert judge(refuse, Reply("nlu_fallback", "Sorry")) == RIGHT
    assert judge(refuse, Reply("fact_ceo", "Arthur Mensch")) == WRONG
    rejected = CaseTurn("q", expect=(("mensch",),), reject=("^no\\b",))
    assert judge(rejected, Reply("fact_ceo", "No, Mensch is the CEO")) == WRONG
    small = CaseTurn("hi", intent="greet")
    assert judge(small, Reply("greet", "Hello!")) == RIGHT
    assert judge(small, Reply("nlu_fallback", "Sorry")) == REFUSED


def test_load_cases_names_the_bad_turn(tmp_path: Path):
    bad = tmp_path / "bad.yml"
    bad.write_text("conversations:\n  - {category: x, turns: [{text: hi}]}\n")
    with pytest.raises(CasesFileError, match="conversation 1, turn 1"):
        load_cases(bad)
    broken = tmp_path / "broken.yml"
    broken.write_text("conversations: [\n")
    with pytest.raises(CasesFileError, match=r"broken.yml:\d+:\d+"):
        load_cases(broken)


def test_run_cases_in_process_and_console_agree(cases_file: Path, shipped_engine):
    conversations = load_cases(cases_file)
    ask, reset = engine_asker(shipped_engine)
    in_process = run_cases(conversations, ask, reset)
    with ConsoleAsker() as asker:
        console = run_cases(conversations, asker)
    assert [t.verdict for t in in_process.turns] == [t.verdict for t in console.turns]
    summary = in_process.summary()
    assert summary["context"].total == 2
    assert summary["must_refuse"].total == 1
    assert summary["all"].total == 5
    assert in_process.by_category()["oos"].right == 1
