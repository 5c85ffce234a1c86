import json
import subprocess
import sys
from pathlib import Path

import pytest
from maintenance_helpers import ROOT, copy_shipped_kb, write_sample_kb

from bot.cli import main
from bot.config import NluConfig
from bot.kb.confusion import find_confusions
from bot.kb.loader import load_knowledge_base
from bot.kb.validate import validate_knowledge_base
from bot.nlu.parse import IntentScore

BROKEN = """\
version: 3.1
nlu:
- intent: ceo
  examples: |
    - who runs mistral
    - who is the ceo
- intent: faq/funding
  exampels: |
    - how much money
- intent: greet
  examples: |
    - hello
    - hello
- intent: goodbye
  examples: |
    - bye
- intent: agree
  examples: |
    - who runs mistral
responses:
  utter_greet:
  - text: Hi
    buttons:
    - title: Pricing
      payload: /pricing
  utter_goodbye:
  - text: no
  utter_goodbye:
  - text: Bye
  utter_agree:
  - text: ok
  utter_orphan:
  - text: nobody asks for me
  utter_ceo:
  - text: Arthur Mensch
    bttons: []
"""


def lines_of(report):
    return [(p.source.path.rsplit("/", 1)[-1], p.source.line, p.severity, p.message)
            for p in report.problems]


def find(report, fragment):
    hits = [p for p in report.problems if fragment in p.message]
    assert hits, f"no problem mentions {fragment!r}: {[str(p) for p in report.problems]}"
    return hits[0]


def test_sample_kb_is_valid(tmp_path):
    kb = write_sample_kb(tmp_path / "kb")
    report = validate_knowledge_base(kb, rasa_schemas=False, check_confusion=False)
    assert report.problems == ()
    assert len(report.files) == 2
    assert not validate_knowledge_base(kb, rasa_schemas=False).errors


def test_every_problem_is_reported_at_once_with_its_position(tmp_path):
    kb = write_sample_kb(tmp_path / "kb")
    (kb / "broken.yml").write_text(BROKEN, encoding="utf-8")
    (kb / "syntax.yml").write_text("nlu:\n- intent: x\n  examples: |\n - a\n  bad: [\n",
                                   encoding="utf-8")
    report = validate_knowledge_base(kb, rasa_schemas=False)
    broken = str(kb / "broken.yml")

    assert find(report, "YAML syntax error").source.path == str(kb / "syntax.yml")
    version = find(report, "'version' must be a string")
    assert (version.source.path, version.source.line) == (broken, 1)
    typo = find(report, "unknown key 'exampels'")
    assert typo.source.line == 8 and "did you mean 'examples'" in typo.message
    assert find(report, "unknown key 'bttons'").source.line == 36
    assert find(report, "is also an example of intent 'ceo'").source.line == 19
    repeated = find(report, "repeated in intent 'greet'")
    assert repeated.severity == "warning" and repeated.source.line == 13
    pricing = find(report, "/pricing")
    assert "payload '/pricing' names no intent" in pricing.message
    assert (pricing.source.path, pricing.source.line, pricing.source.column) == (
        broken, 25, 16)  # the payload's own position, not the response's
    assert find(report, "duplicate key 'utter_goodbye'").source.line == 28
    trap = find(report, "'no' in 'text' is a boolean in YAML 1.1")
    assert trap.severity == "warning" and trap.source.line == 27
    assert find(report, "response 'utter_orphan' answers no intent").source.line == 32
    assert report.errors and all(p.severity in ("error", "warning") for p in report.problems)


def test_intent_without_response_and_rule_to_missing_response(tmp_path):
    kb = write_sample_kb(tmp_path / "kb")
    (kb / "extra.yml").write_text(
        'version: "3.1"\n'
        "nlu:\n"
        "- intent: pricing\n"
        "  metadata:\n"
        "    related: [faq/nothing]\n"
        "  examples: |\n"
        "    - how much does le chat cost\n"
        "- intent: weather\n"
        "  examples: |\n"
        "    - will it rain\n"
        "rules:\n"
        "- rule: weather\n"
        "  steps:\n"
        "  - intent: weather\n"
        "  - action: utter_weather\n"
        "- rule: custom\n"
        "  steps:\n"
        "  - intent: ceo_now\n"
        "  - action: action_ceo\n",
        encoding="utf-8",
    )
    report = validate_knowledge_base(kb, rasa_schemas=False)
    assert find(report, "intent 'pricing' has no response").source.line == 3
    assert "related intent 'faq/nothing' does not exist" in find(report, "faq/nothing").message
    assert find(report, "runs response 'utter_weather', which is not defined").source.line == 12
    assert find(report, "names intent 'ceo_now'").source.line == 16


def test_yaml_traps_on_and_null(tmp_path):
    kb = write_sample_kb(tmp_path / "kb")
    (kb / "traps.yml").write_text(
        'version: "3.1"\n'
        "responses:\n"
        "  utter_greet_again:\n"
        "  - text:\n"
        "  utter_time:\n"
        "  - text: 12:30\n"
        "on: true\n",
        encoding="utf-8",
    )
    report = validate_knowledge_base(kb, rasa_schemas=False, check_confusion=False)
    assert find(report, "'text' is empty").source.line == 4
    assert find(report, "base-60").source.line == 6
    on_key = find(report, "'on' as a key")
    assert on_key.severity == "warning" and on_key.source.line == 7
    assert find(report, "unknown top-level key 'on'").severity == "error"


class StubMatcher:
    """Scores every text the same for two intents: they cannot be told apart."""

    def rank(self, text, limit=10):
        return [IntentScore("faq/funding", 0.9), IntentScore("fact_revenue", 0.88)][:limit]


def test_confusions_name_both_intents_and_scores(tmp_path):
    kb = load_knowledge_base(write_sample_kb(tmp_path / "kb"))
    confusions = find_confusions(kb, StubMatcher(), NluConfig())
    pairs = {(c.intent, c.other) for c in confusions}
    assert ("faq/funding", "fact_revenue") in pairs and ("fact_revenue", "faq/funding") in pairs
    problem = next(c for c in confusions if c.intent == "faq/funding").to_problem()
    assert problem.severity == "warning"
    assert "'faq/funding'" in problem.message and "'fact_revenue'" in problem.message
    assert "0.90" in problem.message and "0.88" in problem.message
    assert "(3 examples in all)" in problem.message


def test_real_matcher_flags_near_identical_examples(tmp_path):
    kb = write_sample_kb(tmp_path / "kb")
    (kb / "close.yml").write_text(
        'version: "3.1"\n'
        "nlu:\n"
        "- intent: fact_sales\n"
        "  examples: |\n"
        "    - how much revenue does mistral ai make\n"
        "    - what is mistral ai's annual revenue\n"
        "    - how big are mistral ai sales\n"
        "    - how much revenue does mistral ai make a year\n"
        "    - what is the revenue of mistral ai\n"
        "responses:\n"
        "  utter_fact_sales:\n"
        "  - text: Growing.\n",
        encoding="utf-8",
    )
    report = validate_knowledge_base(kb, rasa_schemas=False)
    warning = find(report, "the matcher cannot tell")
    assert "fact_sales" in warning.message and "fact_revenue" in warning.message
    assert warning.severity == "warning" and " scores " in warning.message
    assert not report.errors


def test_cli_exit_codes_and_json(tmp_path, capsys):
    kb = write_sample_kb(tmp_path / "kb")
    assert main(["validate", "--intents", str(kb), "--no-rasa-schemas"]) == 0
    assert "valid" in capsys.readouterr().out
    (kb / "broken.yml").write_text(BROKEN, encoding="utf-8")
    assert main(["validate", "--intents", str(kb), "--json", "--no-rasa-schemas"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False
    assert {"file", "line", "column", "severity", "message"} <= set(data["problems"][0])


def test_bad_inputs_give_messages_not_tracebacks(tmp_path):
    (tmp_path / "bin.yml").write_bytes(b"\x00\xff\xfe binary")
    (tmp_path / "empty.yml").write_text("", encoding="utf-8")
    (tmp_path / "list.yml").write_text("- a\n- b\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "validate", "--intents", str(tmp_path),
         "--no-rasa-schemas"],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{tmp_path / 'bin.yml'}:1:1: error:" in result.stdout
    assert f"{tmp_path / 'list.yml'}:1:1: error: top level must be a mapping" in result.stdout
    missing = subprocess.run(
        [sys.executable, "-m", "bot", "validate", "--intents", str(tmp_path / "nope")],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )
    assert missing.returncode == 1 and "no such file or directory" in missing.stdout


def test_shipped_kb_validates_without_errors(tmp_path):
    kb = copy_shipped_kb(tmp_path / "intents")
    if kb is None:
        pytest.skip("no shipped knowledge base in intents/ yet")
    report = validate_knowledge_base(kb, rasa_schemas=False)
    assert report.errors == [], "\n".join(str(p) for p in report.errors)


def test_problem_paths_point_into_the_files(tmp_path):
    kb = write_sample_kb(tmp_path / "kb")
    (kb / "broken.yml").write_text(BROKEN, encoding="utf-8")
    report = validate_knowledge_base(kb, rasa_schemas=False)
    for problem in report.problems:
        lines = Path(problem.source.path).read_text(encoding="utf-8").splitlines()
        assert 1 <= problem.source.line <= len(lines) + 1
