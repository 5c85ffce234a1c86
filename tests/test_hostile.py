"""Regression tests for issue 12's defects: each through the code path a user reaches."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

import pytest
from hostile_files import billion_laughs, deep_nesting, example_bomb
from maintenance_helpers import ROOT, SHIPPED, write_sample_kb

from bot.config import BotConfig, ReloadConfig, load_config
from bot.dialog.engine import Engine, build_brain
from bot.dialog.inputs import MAX_SENDER_CHARS, clean_sender, clean_text
from bot.dialog.payloads import NOTHING_TO_PICK_TEXT, read_choice, read_entity_values
from bot.kb.errors import KnowledgeBaseError
from bot.kb.limits import YamlLimits
from bot.kb.loader import load_knowledge_base, read_files
from bot.kb.validate import load_checked, validate_knowledge_base
from bot.reload import FILE_CHANGE, KnowledgeReloader
from bot.unanswered.store import UnansweredLog

TIMEOUT = 60


def faqbot(*args, stdin="", data_dir=None, timeout=TIMEOUT):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if data_dir is not None:
        env["FAQBOT_DATA_DIR"] = str(data_dir)
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, text=True,
                          capture_output=True, timeout=timeout, cwd=ROOT, env=env)


def replies(stdout):
    return [json.loads(line) for line in stdout.splitlines()]


# -- 1 and 8: what a typed number picks --------------------------------------------------
def test_unicode_digits_at_a_did_you_mean_prompt_ask_for_a_pick(tmp_path):
    lines = "nvidia funding\n²\n①\n-1\n99999999999999999999\n1\n"
    result = faqbot("console", "--json", stdin=lines, data_dir=tmp_path)
    assert result.returncode == 0
    assert "Traceback" not in result.stderr
    turns = replies(result.stdout)
    offered = turns[0]["responses"][0]["buttons"]
    assert offered, "the first message must offer a choice"
    for turn in turns[1:5]:
        assert turn["responses"][0]["text"] == f"Please pick a number from 1 to {len(offered)}:"
        assert [b["payload"] for b in turn["responses"][0]["buttons"]] == [
            b["payload"] for b in offered]
    assert turns[5]["intent"]["name"] == offered[0]["payload"][1:].split("{")[0]


@pytest.mark.parametrize(("text", "index"), [
    ("1", 0), ("2", 1), ("#2", 1), ("2.", 1), ("2)", 1), (" 1 ", 0),
])
def test_ascii_digits_in_range_pick(small_kb, text, index):
    choices = ("/fact_boss", "/fact_sales")
    assert read_choice(text, choices, small_kb).message == choices[index]


@pytest.mark.parametrize("text", ["0", "3", "-1", "+1", "²", "①", "٢", "１", "½",
                                  "99999999999999999999", "9" * 5000])
def test_other_numbers_on_a_prompt_get_pick_1_to_n(small_kb, text):
    choice = read_choice(text, ("/fact_boss", "/fact_sales"), small_kb)
    assert choice.refusal == "Please pick a number from 1 to 2:" and choice.show_choices


def test_a_number_with_nothing_on_screen(small_kb):
    assert read_choice("2", (), small_kb).refusal == NOTHING_TO_PICK_TEXT
    assert read_choice("2024", (), small_kb).refusal is None  # a question (a year)
    assert read_choice("²", (), small_kb).refusal is None


@pytest.mark.parametrize(("payload", "why"), [
    ('{"investor": null}', "must be text, not null"),
    ('{"investor": {"a": 1}}', "must be text, not an object"),
    ('{"investor": [["a"]]}', "not a list inside a list"),
    ('{"investor": 3}', "not a number"),
    ('{"investor": ""}', "1 to 200 characters"),
    ('{"investor": "' + "x" * 201 + '"}', "1 to 200 characters"),
    ('{"investor": "a"', "not a valid JSON object"),
    ("[" * 10000 + "]" * 10000, "not a valid JSON object"),
])
def test_payload_entities_must_be_short_strings(payload, why):
    values, problem = read_entity_values(payload)
    assert values == {} and why in problem


def test_payload_values_are_cleaned_like_typed_text():
    values, problem = read_entity_values(
        '{"investor": ["Nvidia Corporation\\u0000\\ud800", "a16z"]}')
    assert problem is None and values == {"investor": ["Nvidia Corporation\ufffd", "a16z"]}


def test_a_null_entity_in_a_payload_is_refused_in_words(tmp_path):
    lines = '/ask_invested{"investor": null}\n/ask_invested{"investor": {"x": {"y": 1}}}\n'
    result = faqbot("console", "--json", stdin=lines, data_dir=tmp_path)
    texts = [t["responses"][0]["text"] for t in replies(result.stdout)]
    assert texts[0].startswith("I can't use that button: the value of 'investor' must be "
                               "text, not null")
    assert "not an object" in texts[1] and "{'" not in texts[1] and "None" not in texts[0]


# -- 2: text and sender are cleaned once, for every consumer ----------------------------
def test_a_lone_surrogate_in_sender_or_text_keeps_the_log_row(tmp_path):
    line = json.dumps({"sender": "\udc00x", "text": "zzz qqq bananas \ud800"}) + "\n"
    result = faqbot("console", "--json", stdin=line, data_dir=tmp_path)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    turn = replies(result.stdout)[0]
    assert turn["sender"] == "\ufffdx" and turn["text"] == "zzz qqq bananas \ufffd"
    with UnansweredLog(tmp_path / "unanswered.sqlite3") as log:
        assert [q.text for q in log.questions()] == ["zzz qqq bananas \ufffd"]


@pytest.mark.parametrize(("raw", "clean"), [
    ("who is\x00 the ceo", "who is the ceo"),
    ("\x1b[31mthe red text\x1b[0m is here", "[31mthe red text[0m is here"),
    ("a\ud83d\ude00b", "a😀b"),  # a surrogate pair becomes the character it stands for
    ("tab\tand\nnewline", "tab\tand\nnewline"),
    (None, ""),
    (42, "42"),
])
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean


def test_clean_text_keeps_binary_recognisable():
    cleaned = clean_text("\x00\x01\x02\x03ab")
    assert cleaned.count("\ufffd") == 4  # mostly control characters: shown, then refused


def test_long_senders_are_bounded_and_stay_distinct():
    first, second = clean_sender("a" * 10_000 + "1"), clean_sender("a" * 10_000 + "2")
    assert len(first) == len(second) == MAX_SENDER_CHARS and first != second


# -- 3, 4, 5: YAML bombs and huge files ------------------------------------------------------
def only_error(report_or_problems):
    problems = getattr(report_or_problems, "errors", report_or_problems)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def test_validate_refuses_a_billion_laughs_file_at_the_alias(tmp_path):
    (tmp_path / "kb").mkdir()
    path = billion_laughs(tmp_path / "kb" / "laughs.yml")
    result = faqbot("validate", "--intents", str(path.parent), "--no-rasa-schemas")
    assert result.returncode == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"{path}:11:") and "limits.max_alias_nodes" in first


def test_the_loader_refuses_a_recursive_alias(tmp_path):
    (tmp_path / "loop.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: a\n  examples: |\n    - x\n'
        "  metadata: &m\n    again: *m\n", encoding="utf-8")
    problem = only_error(read_files(tmp_path).problems)
    assert "recursive alias" in problem.message and problem.source.line == 7


def test_deep_nesting_is_refused_not_a_recursion_error(tmp_path):
    deep_nesting(tmp_path / "deep.yml")
    problem = only_error(read_files(tmp_path).problems)
    assert "limits.max_depth" in problem.message


def test_an_example_bomb_is_refused_by_the_loader_validate_and_reload(tmp_path):
    kb_dir = write_sample_kb(tmp_path / "kb")
    engine = Engine(build_brain(load_knowledge_base(kb_dir)), BotConfig())
    example_bomb(kb_dir / "bomb.yml", block_lines=5000, intents=300)
    with pytest.raises(KnowledgeBaseError) as raised:
        load_knowledge_base(kb_dir)
    problem = only_error(raised.value.problems)
    assert "limits.max_examples " in problem.message
    assert problem.source.path == str(kb_dir / "bomb.yml")
    assert str(only_error(validate_knowledge_base(kb_dir, rasa_schemas=False))) == str(
        problem)
    result = KnowledgeReloader(engine, kb_dir).reload(FILE_CHANGE, confirmed=False)
    assert not result.ok and str(only_error(result.problems)) == str(problem)


def test_one_huge_intent_names_the_per_intent_limit(tmp_path):
    example_bomb(tmp_path / "bomb.yml", block_lines=20_000, intents=300)
    problem = only_error(read_files(tmp_path).problems)
    assert "intent 'bomb0' would have 20,001 example lines" in problem.message
    assert "limits.max_examples_per_intent" in problem.message


def test_a_file_past_the_size_limit_is_not_read_by_validate(tmp_path):
    kb_dir = write_sample_kb(tmp_path / "kb")
    big = kb_dir / "big.yml"
    big.write_text("version: 3.1\nbogus_key: [\n" + "- unknown: x\n" * 200, encoding="utf-8")
    report = validate_knowledge_base(kb_dir, rasa_schemas=False, check_confusion=False,
                                     limits=YamlLimits(max_file_bytes=1000))
    problem = only_error(report)  # no schema or trap findings: the file was never parsed
    assert problem.source.path == str(big)
    assert problem.message.startswith(f"file is {big.stat().st_size:,} bytes")
    assert "limits.max_file_bytes" in problem.message


def test_the_total_size_limit_names_the_file_that_crosses_it(tmp_path):
    kb_dir = write_sample_kb(tmp_path / "kb")
    size = sum(p.stat().st_size for p in kb_dir.iterdir())
    problem = only_error(read_files(kb_dir, YamlLimits(max_total_bytes=size - 1)).problems)
    assert problem.source.path == str(kb_dir / "responses.yml")
    assert "limits.max_total_bytes" in problem.message


def test_limits_come_from_the_config_file(tmp_path):
    config = tmp_path / "config.yml"
    config.write_text("limits:\n  max_file_bytes: 100\n", encoding="utf-8")
    assert load_config(config).limits.max_file_bytes == 100
    kb_dir = write_sample_kb(tmp_path / "kb")
    result = faqbot("validate", "--intents", str(kb_dir), "--config", str(config),
                    "--no-rasa-schemas", "--no-confusion")
    assert result.returncode == 1 and "limits.max_file_bytes" in result.stdout
    config.write_text("limits:\n  max_file_bytes: 0\n", encoding="utf-8")
    result = faqbot("validate", "--intents", str(kb_dir), "--config", str(config))
    assert result.returncode == 2 and "every limit must be a positive number" in result.stderr


# -- 6 and 7: hot reload serves only settled, validated, plausible knowledge ---------------
@pytest.fixture
def shipped_copy(tmp_path):
    kb_dir = tmp_path / "kb"
    shutil.copytree(SHIPPED, kb_dir)
    engine = Engine(build_brain(load_knowledge_base(kb_dir)), BotConfig())
    return engine, kb_dir


def examples(engine):
    return sum(len(i.examples) for i in engine.brain.kb.intents.values())


def test_a_file_cut_short_that_still_parses_is_held_back_until_confirmed(shipped_copy):
    engine, kb_dir = shipped_copy
    reloader = KnowledgeReloader(engine, kb_dir, settings=ReloadConfig(max_drop_share=0.05))
    served, count = engine.brain, examples(engine)
    path = kb_dir / "generated" / "mistral_ai.nlu.yml"
    full = path.read_text(encoding="utf-8")
    cut = full[:len(full) // 2]
    path.write_text(cut[:cut.rindex("\n    - ")], encoding="utf-8")  # ends inside a block
    held = reloader.reload(FILE_CHANGE, confirmed=False)
    assert held.held and not held.ok and engine.brain is served
    assert held.before.examples == count and held.after.examples < count * 0.95
    message = held.message()
    assert f"of {count} examples" in message and "/reload" in message
    assert "SIGHUP" in message and "reload.max_drop_share" in message
    assert not reloader.changed()  # not retried until the files change again
    path.write_text(full, encoding="utf-8")  # the writer finishes
    assert reloader.reload(FILE_CHANGE, confirmed=False).ok and examples(engine) == count
    path.write_text(cut[:cut.rindex("\n    - ")], encoding="utf-8")
    confirmed = reloader.reload("/reload")  # the maintainer means it
    assert confirmed.ok and examples(engine) == held.after.examples


def test_the_watcher_waits_for_the_files_to_settle(shipped_copy):
    engine, kb_dir = shipped_copy
    results = []
    reloader = KnowledgeReloader(engine, kb_dir, interval=0.02, on_result=results.append,
                                 settings=ReloadConfig(quiet_seconds=0.3))
    path = kb_dir / "generated" / "mistral_ai.nlu.yml"
    full = path.read_text(encoding="utf-8")
    count = examples(engine)
    updated = full.replace("    - ", "    - please, ", 1)
    reloader.start()
    try:
        # An editor writing in pieces: each piece parses, only the last one is whole.
        for end in range(len(updated) // 2, len(updated), len(updated) // 10):
            path.write_text(updated[:end], encoding="utf-8")
            assert all(examples(engine) == count for _ in range(3))
        path.write_text(updated, encoding="utf-8")
        deadline = time.monotonic() + 20
        while not any(r.ok for r in results) and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        reloader.stop()
    served = [r for r in results if r.ok]
    assert served, [r.message() for r in results]
    assert examples(engine) == count
    assert any(e.text.startswith("please,") for i in engine.brain.kb.intents.values()
               for e in i.examples)


def test_reload_refuses_what_validate_rejects(shipped_copy):
    engine, kb_dir = shipped_copy
    served = engine.brain
    path = kb_dir / "generated" / "_shared.nlu.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("  metadata:", "  metdata:", 1),
                    encoding="utf-8")
    result = KnowledgeReloader(engine, kb_dir).reload(FILE_CHANGE, confirmed=False)
    assert not result.ok and engine.brain is served
    report = validate_knowledge_base(kb_dir, rasa_schemas=False, check_confusion=False)
    assert [str(p) for p in result.problems] == [str(p) for p in report.errors]
    assert "unknown key 'metdata'" in result.problems[0].message


# -- issue 13's loader traps --------------------------------------------------------------
def test_a_curated_answer_overrides_the_generated_one_without_recompiling(shipped_copy):
    engine, kb_dir = shipped_copy
    reloader = KnowledgeReloader(engine, kb_dir)
    curated = kb_dir / "curated" / "override.yml"
    curated.write_text('version: "3.1"\nresponses:\n  utter_fact_ceo:\n'
                       "  - text: Our own words about who leads the company.\n",
                       encoding="utf-8")
    assert not validate_knowledge_base(kb_dir, rasa_schemas=False,
                                       check_confusion=False).errors
    assert reloader.reload(FILE_CHANGE, confirmed=False).ok
    turn = engine.handle("u", "/fact_ceo")
    assert turn.responses[0].text == "Our own words about who leads the company."


def test_two_definitions_within_curated_are_still_an_error(tmp_path):
    write_sample_kb(tmp_path / "kb" / "curated")
    (tmp_path / "kb" / "curated" / "again.yml").write_text(
        'version: "3.1"\nresponses:\n  utter_greet:\n  - text: Hi again.\n', encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as raised:
        load_checked(tmp_path / "kb")
    problem = only_error(raised.value.problems)
    assert "response 'utter_greet' is defined twice (first at " in problem.message
    assert {problem.source.path.rsplit("/", 1)[1],
            problem.message.rsplit("/", 1)[1].split(":")[0]} == {"again.yml", "responses.yml"}


def test_an_unquoted_colon_gets_a_hint_and_no_knock_on_errors(tmp_path):
    kb_dir = tmp_path / "kb"
    kb_dir.mkdir()
    (kb_dir / "nlu.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: help\n  examples: |\n    - help me\n',
        encoding="utf-8")
    (kb_dir / "responses.yml").write_text(
        'version: "3.1"\nresponses:\n  utter_help:\n  - text: Hi there: ask me anything.\n',
        encoding="utf-8")
    problem = only_error(validate_knowledge_base(kb_dir, rasa_schemas=False))
    assert (problem.source.line, problem.source.column) == (4, 19)  # the second ':'
    assert "mapping values are not allowed here" in problem.message
    assert "must be quoted" in problem.message


def test_validate_cli_on_every_bomb_finishes(tmp_path):
    kb_dir = tmp_path / "kb"
    kb_dir.mkdir()
    billion_laughs(kb_dir / "laughs.yml")
    example_bomb(kb_dir / "bomb.yml")
    deep_nesting(kb_dir / "deep.yml")
    result = faqbot("validate", "--intents", str(kb_dir), "--no-rasa-schemas")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "3 files, 0 intents, 0 responses: 3 errors" in result.stdout
