import io
import json
import os
import subprocess
import sys

import pytest
from maintenance_helpers import ROOT, write_sample_kb

from bot.config import NluConfig
from bot.evaluation.conversations import (
    ConversationFileError,
    load_conversations,
    run_conversation,
)
from bot.evaluation.crossval import assign_folds, cross_validate, training_kb
from bot.evaluation.html_report import render_html
from bot.evaluation.metrics import intent_report, most_confused
from bot.evaluation.progress import ProgressBar
from bot.kb.loader import load_knowledge_base
from bot.nlu.matcher import build_matcher
from bot.nlu.parse import IntentScore

CONVERSATIONS = """\
conversations:
- name: greet then revenue
  turns:
  - user: /greet
    intent: greet
    contains: ["ask me about"]
  - user: /fact_revenue
    intent: fact_revenue
    contains: ["TECHCRUNCH"]
"""


def test_metrics_match_a_hand_computed_report():
    y_true = ["a", "a", "a", "b", "b", "c"]
    y_pred = ["a", "a", "b", "b", "nlu_fallback", "c"]
    report = intent_report(y_true, y_pred)
    assert report["a"] == {"precision": 1.0, "recall": 2 / 3, "f1-score": 0.8, "support": 3,
                           "confused_with": {"b": 1}}
    assert report["b"]["precision"] == 0.5 and report["b"]["recall"] == 0.5
    assert report["b"]["confused_with"] == {"nlu_fallback": 1}
    assert report["nlu_fallback"]["support"] == 0 and report["nlu_fallback"]["f1-score"] == 0
    assert report["accuracy"] == pytest.approx(4 / 6)
    macro = report["macro avg"]
    assert macro["support"] == 6
    assert macro["f1-score"] == pytest.approx((0.8 + 0.5 + 1.0 + 0.0) / 4)
    assert report["weighted avg"]["recall"] == pytest.approx((3 * 2 / 3 + 2 * 0.5 + 1) / 6)
    assert most_confused(y_true, y_pred) == [("a", "b", 1), ("b", "nlu_fallback", 1)]


def test_metrics_agree_with_scikit_learn():
    metrics = pytest.importorskip("sklearn.metrics")
    y_true = ["a", "a", "b", "b", "c", "c", "c", "a"]
    y_pred = ["a", "b", "b", "b", "c", "a", "nlu_fallback", "a"]
    ours = intent_report(y_true, y_pred)
    theirs = metrics.classification_report(y_true, y_pred, output_dict=True, zero_division=0)
    for label in ("a", "b", "c", "nlu_fallback", "macro avg", "weighted avg"):
        for key in ("precision", "recall", "f1-score", "support"):
            assert ours[label][key] == pytest.approx(theirs[label][key])
    assert ours["accuracy"] == pytest.approx(theirs["accuracy"])


def test_folds_hold_out_each_example_once_and_keep_training_data(tmp_path):
    kb = load_knowledge_base(write_sample_kb(tmp_path / "kb"))
    dealt = assign_folds(kb, folds=5, seed=1)
    assert set(dealt) == {"greet", "faq/funding", "fact_revenue"}
    for name, buckets in dealt.items():
        held = [e.text for bucket in buckets for e in bucket]
        assert sorted(held) == sorted(e.text for e in kb.intents[name].examples)
    for fold in range(5):
        train = training_kb(kb, dealt, fold)
        for name, buckets in dealt.items():
            kept = {e.text for e in train.intents[name].examples}
            assert kept and not kept & {e.text for e in buckets[fold]}
    assert assign_folds(kb, 5, seed=1) == dealt


class RecordingMatcher:
    """Answers with the intent whose training examples share most words."""

    def __init__(self, kb):
        self.examples = [(name, set(e.text.lower().split()))
                         for name in kb.answerable_intents()
                         for e in kb.intents[name].examples]

    def rank(self, text, limit=10):
        words = set(text.lower().split())
        best = {}
        for name, example in self.examples:
            score = len(words & example) / max(1, len(words | example))
            best[name] = max(best.get(name, 0.0), score)
        ranked = sorted(best.items(), key=lambda kv: -kv[1])[:limit]
        return [IntentScore(n, 0.99 if i == 0 and s > 0 else s / 2)
                for i, (n, s) in enumerate(ranked)]


def test_cross_validation_predicts_every_example(tmp_path):
    kb = load_knowledge_base(write_sample_kb(tmp_path / "kb"))
    seen = []
    cv = cross_validate(kb, RecordingMatcher, NluConfig(), folds=3,
                        progress=lambda done, total: seen.append((done, total)))
    assert len(cv.predictions) == 9 and seen[-1] == (9, 9)
    assert {p.fold for p in cv.predictions} == {0, 1, 2}
    assert cv.y_true.count("greet") == 3
    assert all(p.predicted in kb.intents or p.predicted == "nlu_fallback"
               for p in cv.predictions)
    real = cross_validate(kb, build_matcher, NluConfig(), folds=3)
    assert len(real.predictions) == 9 and 0 <= real.top1_accuracy <= 1
    with pytest.raises(ValueError):
        cross_validate(kb, build_matcher, NluConfig(), folds=1)


def test_html_report_has_the_chart_and_escapes_text(tmp_path):
    kb = load_knowledge_base(write_sample_kb(tmp_path / "kb"))
    cv = cross_validate(kb, RecordingMatcher, NluConfig(), folds=3)
    report = intent_report(cv.y_true, cv.y_pred)
    page = render_html(cv, report, title="<b>faqbot</b>")
    assert page.startswith("<!doctype html>") and "<script" not in page
    assert "&lt;b&gt;faqbot&lt;/b&gt;" in page
    assert "Per intent (worst first)" in page and "Confusion chart" in page
    if cv.errors:
        assert "class='matrix'" in page


def test_conversation_files_are_checked(tmp_path):
    bad_key = tmp_path / "bad.yml"
    bad_key.write_text("conversations:\n- name: x\n  turns:\n  - user: hi\n    intnt: greet\n",
                       encoding="utf-8")
    with pytest.raises(ConversationFileError, match=r"turn 1: unknown keys \['intnt'\]"):
        load_conversations(bad_key)
    syntax = tmp_path / "syntax.yml"
    syntax.write_text("conversations:\n- name: [\n", encoding="utf-8")
    with pytest.raises(ConversationFileError, match=r"syntax.yml:\d+:\d+: YAML syntax error"):
        load_conversations(syntax)
    with pytest.raises(ConversationFileError, match="conversations:"):
        (tmp_path / "list.yml").write_text("- a\n", encoding="utf-8")
        load_conversations(tmp_path / "list.yml")


def test_conversation_pass_and_fail(tmp_path):
    from bot.config import BotConfig
    from bot.dialog.engine import Engine, build_brain

    kb = load_knowledge_base(write_sample_kb(tmp_path / "kb"))
    engine = Engine(build_brain(kb), BotConfig())
    path = tmp_path / "conversations.yml"
    path.write_text(CONVERSATIONS, encoding="utf-8")
    (conversation,) = load_conversations(path)
    assert run_conversation(engine, conversation).passed
    path.write_text(CONVERSATIONS.replace('["TECHCRUNCH"]', '["no such words"]'),
                    encoding="utf-8")
    result = run_conversation(engine, load_conversations(path)[0])
    assert not result.passed
    assert result.turns[-1].failures == ("reply lacks 'no such words'",)


def test_progress_bar_draws_only_on_a_terminal():
    class Tty(io.StringIO):
        def isatty(self):
            return True

    quiet = io.StringIO()
    with ProgressBar("x", stream=quiet) as bar:
        bar.update(5, 10)
    assert quiet.getvalue() == ""
    tty = Tty()
    with ProgressBar("checking", stream=tty, min_interval=0) as bar:
        bar.update(5, 10)
        bar.update(10, 10)
    assert "checking [###############...............] 5/10" in tty.getvalue()
    assert tty.getvalue().endswith("10/10\n")


def faqbot_test(*args, cwd):
    env = {**os.environ, "FAQBOT_DATA_DIR": str(cwd / "data")}
    return subprocess.run([sys.executable, "-m", "bot", "test", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=120)


def test_cli_writes_reports_and_exit_code_follows_conversations(tmp_path):
    kb = write_sample_kb(tmp_path / "kb")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "conversations.yml").write_text(CONVERSATIONS, encoding="utf-8")
    result = faqbot_test("--intents", str(kb), "--folds", "3", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Conversations: 1 of 1 pass" in result.stdout
    assert "Cross-validation: 3 folds over 9 examples" in result.stdout
    assert "Healthy:\n  + the conversation test passes" in result.stdout
    assert "failing:" not in result.stdout
    assert "[" not in result.stderr  # no progress bar when stderr is not a terminal
    report = json.loads((tmp_path / "out" / "intent_report.json").read_text())
    assert {"accuracy", "macro avg", "weighted avg", "greet"} <= set(report)
    assert set(report["greet"]) == {"precision", "recall", "f1-score", "support",
                                    "confused_with"}
    assert report["greet"]["support"] == 3
    errors = json.loads((tmp_path / "out" / "intent_errors.json").read_text())
    assert all({"text", "intent", "intent_prediction"} <= set(e) for e in errors)
    assert "Confusion chart" in (tmp_path / "out" / "intent_report.html").read_text()

    failing = tmp_path / "failing.yml"
    failing.write_text(CONVERSATIONS.replace("intent: greet", "intent: goodbye"),
                       encoding="utf-8")
    result = faqbot_test("--intents", str(kb), "--no-nlu", "--out", "out", str(failing),
                         cwd=tmp_path)
    assert result.returncode == 1
    assert "FAIL" in result.stdout and "expected intent goodbye, got greet" in result.stdout

    broken = faqbot_test("--intents", str(kb), str(tmp_path / "missing.yml"), cwd=tmp_path)
    assert broken.returncode == 2 and "cannot read" in broken.stderr
    assert faqbot_test("--folds", "1", cwd=tmp_path).returncode == 2


def test_shipped_conversation_files_are_well_formed():
    files = sorted((ROOT / "tests").glob("conversations*.yml"))
    if not files:
        pytest.skip("no conversation files yet")
    for path in files:
        assert load_conversations(path)
