import difflib
import json
import os
import subprocess
import sys

import pytest
from maintenance_helpers import NLU, ROOT, write_sample_kb

from bot.config import NluConfig
from bot.kb.loader import load_knowledge_base
from bot.kb.validate import validate_knowledge_base
from bot.review.grouping import find_group, group_questions
from bot.review.session import Reviewer, run_interactive
from bot.review.yaml_edit import ReviewError, add_example
from bot.unanswered.store import Candidate, UnansweredLog

ASKED = [
    ("how many employees does mistral have", "a"),
    ("How many employees does Mistral have?", "b"),
    ("mistral employees how many", "a"),
    ("is mistral profitable", "c"),
    ("what is the weather", "d"),
    ("how many employees does mistral have", "e"),
]


def fill(log):
    for i, (text, sender) in enumerate(ASKED):
        log.record(text, sender, "fallback", [Candidate("fact_revenue", 0.4)], created=1000 + i)


def only_added_lines(before, after):
    diff = [line for line in difflib.ndiff(before.splitlines(), after.splitlines())
            if line[:1] in "+-"]
    assert all(line.startswith("+ ") for line in diff), diff
    return [line[2:] for line in diff]


def test_grouping_counts_people_and_orders_by_frequency(tmp_path):
    with UnansweredLog(tmp_path / "u.sqlite3") as log:
        fill(log)
        groups = group_questions(log.questions())
    assert [g.count for g in groups] == [4, 1, 1]
    top = groups[0]
    assert top.representative == "how many employees does mistral have"
    assert top.senders == 3
    assert top.phrasings[0] == "how many employees does mistral have"
    assert top.logged_candidates() == (Candidate("fact_revenue", 0.4),)
    assert find_group(groups, "how many employees has mistral") is top
    assert find_group(groups, "completely different words here") is None


def test_add_example_changes_one_line_and_keeps_comments(tmp_path):
    kb = write_sample_kb(tmp_path / "kb")
    before = (kb / "nlu.yml").read_text(encoding="utf-8")
    result = add_example(kb, "faq/funding", "  who are mistral's   backers ")
    assert result.added and result.changed_lines == 0 and result.path == kb / "nlu.yml"
    after = (kb / "nlu.yml").read_text(encoding="utf-8")
    assert only_added_lines(before, after) == ["    - who are mistral's backers"]
    assert "# Funding questions." in after and "- intent: fact_revenue  # key fact" in after
    examples = [e.text for e in load_knowledge_base(kb).intents["faq/funding"].examples]
    assert examples[-1] == "who are mistral's backers"
    assert not validate_knowledge_base(kb, rasa_schemas=False).errors


def test_add_example_keeps_an_indented_sequence_style(tmp_path):
    kb = tmp_path / "kb"
    write_sample_kb(kb)
    indented = NLU.replace("\n- intent:", "\n  - intent:").replace(
        "\n  metadata:", "\n    metadata:")
    indented = indented.replace("\n    title:", "\n      title:").replace(
        "\n    topic:", "\n      topic:").replace("\n    related:", "\n      related:")
    indented = indented.replace("\n  examples: |\n", "\n    examples: |\n").replace(
        "\n    - ", "\n      - ")
    (kb / "nlu.yml").write_text(indented, encoding="utf-8")
    assert "faq/funding" in load_knowledge_base(kb).intents
    add_example(kb, "greet", "hey bot")
    after = (kb / "nlu.yml").read_text(encoding="utf-8")
    assert only_added_lines(indented, after) == ["      - hey bot"]


def test_add_example_refuses_bad_requests(tmp_path):
    kb = write_sample_kb(tmp_path / "kb")
    before = (kb / "nlu.yml").read_text(encoding="utf-8")
    with pytest.raises(ReviewError, match="already an example of intent 'fact_revenue'"):
        add_example(kb, "greet", "How much revenue does Mistral make?")
    with pytest.raises(ReviewError, match="did you mean faq/funding"):
        add_example(kb, "faq/fundng", "x y z")
    with pytest.raises(ReviewError, match="empty"):
        add_example(kb, "greet", "   ")
    assert not add_example(kb, "greet", "Hello!").added
    assert (kb / "nlu.yml").read_text(encoding="utf-8") == before


def test_interactive_review_adds_dismisses_and_marks(tmp_path):
    kb = write_sample_kb(tmp_path / "kb")
    with UnansweredLog(tmp_path / "u.sqlite3") as log:
        fill(log)
        reviewer = Reviewer(log, kb, NluConfig())
        answers = iter(["e", "how many people work for mistral", "i", "faq/funding", "d", "s"])
        said = []
        assert run_interactive(reviewer, ask=lambda _prompt: next(answers), say=said.append) == 0
        assert any("Added 'how many people work for mistral' to faq/funding" in s for s in said)
        assert any("Dismissed 1 question(s)" in s for s in said)
        pending = log.questions()  # the most recent single question was dismissed
        assert [q.text for q in pending] == ["is mistral profitable"]
        resolutions = {q.resolution for q in log.questions(include_reviewed=True) if q.reviewed}
        assert resolutions == {"added to faq/funding", "dismissed"}
    examples = [e.text for e in load_knowledge_base(kb).intents["faq/funding"].examples]
    assert "how many people work for mistral" in examples


def review_cli(*args, data_dir, stdin=None):
    env = {**os.environ, "FAQBOT_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "bot", "review", *args], input=stdin,
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)


def test_review_command_lists_adds_and_handles_errors(tmp_path):
    kb = write_sample_kb(tmp_path / "kb")
    data = tmp_path / "data"
    empty = review_cli("--intents", str(kb), data_dir=data)
    assert empty.returncode == 0 and "No unanswered questions yet" in empty.stdout
    data.mkdir()
    with UnansweredLog(data / "unanswered.sqlite3") as log:
        fill(log)

    listing = review_cli("--intents", str(kb), data_dir=data)
    assert listing.returncode == 0, listing.stderr
    assert "6 unanswered question(s) in 3 group(s)" in listing.stdout
    assert "#1  asked 4 times by 3 people" in listing.stdout
    groups = json.loads(review_cli("--json", "--intents", str(kb), data_dir=data).stdout)
    assert groups[0]["count"] == 4 and groups[0]["closest"]

    added = review_cli("add", "--group", "1", "--intent", "fact_revenue", "--intents", str(kb),
                       data_dir=data)
    assert added.returncode == 0, added.stderr
    assert "4 question(s) marked reviewed" in added.stdout
    assert "how many employees does mistral have" in (kb / "nlu.yml").read_text()

    bad = review_cli("add", "whatever", "--intent", "nope", "--intents", str(kb),
                     data_dir=data)
    assert bad.returncode == 2 and "no intent 'nope'" in bad.stderr
    assert "Traceback" not in bad.stderr
    dismissed = review_cli("dismiss", "is mistral profitable?", "--intents", str(kb),
                           data_dir=data)
    assert dismissed.returncode == 0 and "Dismissed 1" in dismissed.stdout
    left = json.loads(review_cli("--json", "--intents", str(kb), data_dir=data).stdout)
    assert [g["text"] for g in left] == ["what is the weather"]

    interactive = review_cli("interactive", "--intents", str(kb), data_dir=data, stdin="q\n")
    assert interactive.returncode == 0 and "what is the weather" in interactive.stdout


# -- review never writes into files generated by `faqbot compile` ----------------------
def _compiled_kb(tmp_path):
    from bot.compiler.pipeline import compile_seeds

    kb = tmp_path / "intents"
    compile_seeds([ROOT / "tests" / "fixtures" / "seeds" / "webb_telescope.md"],
                  kb / "generated")
    return kb


def _snapshot(directory):
    return {path: path.read_bytes() for path in sorted(directory.rglob("*.yml"))}


def test_add_example_to_a_generated_intent_creates_a_curated_file(tmp_path):
    kb = _compiled_kb(tmp_path)
    generated = _snapshot(kb / "generated")
    result = add_example(kb, "fact_cost", "how pricey was webb")
    assert result.added and result.path == kb / "curated" / "phrasings.yml"
    assert _snapshot(kb / "generated") == generated
    loaded = load_knowledge_base(kb)
    texts = [example.text for example in loaded.intents["fact_cost"].examples]
    assert "how pricey was webb" in texts
    assert validate_knowledge_base(kb).errors == []


def test_add_example_appends_an_entry_to_the_curated_overlay(tmp_path):
    kb = _compiled_kb(tmp_path)
    curated = kb / "curated" / "phrasings.yml"
    curated.parent.mkdir()
    curated.write_text('version: "3.1"\n# hand-written phrasings\nnlu:\n'
                       "- intent: fact_launch  # launch\n  examples: |\n"
                       "    - when did it go up\n", encoding="utf-8")
    before = curated.read_text(encoding="utf-8")
    generated = _snapshot(kb / "generated")
    assert add_example(kb, "fact_launch", "launch day").path == curated
    assert add_example(kb, "fact_cost", "how pricey was webb").path == curated
    assert _snapshot(kb / "generated") == generated
    after = curated.read_text(encoding="utf-8")
    assert only_added_lines(before, after) == [
        "    - launch day", "- intent: fact_cost", "  examples: |", "    - how pricey was webb"]
    # A later compile keeps the curated phrasings and does not generate them again.
    from bot.compiler.pipeline import compile_seeds

    compile_seeds([ROOT / "tests" / "fixtures" / "seeds" / "webb_telescope.md"],
                  kb / "generated")
    assert curated.read_text(encoding="utf-8") == after
    assert validate_knowledge_base(kb).errors == []


def test_add_example_next_to_top_level_generated_files(tmp_path):
    from bot.compiler.pipeline import compile_seeds

    kb = tmp_path / "kb"
    compile_seeds([ROOT / "tests" / "fixtures" / "seeds" / "webb_telescope.md"], kb,
                  curated_dirs=[])
    generated = _snapshot(kb)
    result = add_example(kb, "fact_cost", "how pricey was webb")
    assert result.path == kb / "phrasings.yml"
    assert {p: b for p, b in _snapshot(kb).items() if p != result.path} == generated


def test_review_shows_the_current_knowledge_base_by_default_and_all_on_request(tmp_path):
    from bot.unanswered.store import kb_id

    shipped = write_sample_kb(tmp_path / "shipped")
    other = write_sample_kb(tmp_path / "clinc")
    data = tmp_path / "data"
    data.mkdir()
    with UnansweredLog(data / "unanswered.sqlite3") as log:
        log.record("how many employees does mistral have", "a", "fallback",
                   [Candidate("fact_revenue", 0.4)], kb=kb_id(shipped))
        log.record("set an alarm for six", "b", "fallback",
                   [Candidate("alarm", 0.4)], kb=kb_id(other))
    mine = json.loads(review_cli("--json", "--intents", str(shipped), data_dir=data).stdout)
    assert [g["text"] for g in mine] == ["how many employees does mistral have"]
    every = json.loads(review_cli("--json", "--all", "--intents", str(shipped),
                                  data_dir=data).stdout)
    assert sorted(g["text"] for g in every) == ["how many employees does mistral have",
                                                "set an alarm for six"]
    dismissed = review_cli("dismiss", "--group", "1", "--intents", str(shipped), data_dir=data)
    assert dismissed.returncode == 0 and "Dismissed 1" in dismissed.stdout
    empty = review_cli("--intents", str(shipped), data_dir=data)
    assert "No unanswered questions to review" in empty.stdout
    assert "1 asked of other knowledge bases: --all" in empty.stdout
