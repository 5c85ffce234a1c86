import json
import os
import sqlite3
import subprocess
import sys
import threading
import time

from maintenance_helpers import ROOT, write_sample_kb

from bot.config import BotConfig
from bot.dialog.engine import Engine, build_brain
from bot.kb.loader import load_knowledge_base
from bot.unanswered.recorder import UnansweredRecorder, is_question
from bot.unanswered.store import Candidate, UnansweredLog, default_log_path, kb_id

MESSAGES = ["hello", "zzqx vrrbl kkkp", "what is the weather on mars tomorrow",
            "how much money has mistral raised", "", "mistral", "/faq/funding"]


def test_engine_listener_records_fallbacks_and_suggestions_only(tmp_path):
    kb = load_knowledge_base(write_sample_kb(tmp_path / "kb"))
    log = UnansweredLog(tmp_path / "u.sqlite3")
    recorder = UnansweredRecorder(log)
    engine = Engine(build_brain(kb), BotConfig(), listeners=(recorder,))
    turns = [engine.handle("alice", text) for text in MESSAGES]
    assert recorder.flush()
    expected = [t.text.strip() for t in turns if t.decision in ("fallback", "suggest")]
    assert expected, [t.decision for t in turns]  # the sample must exercise the log
    rows = log.questions()
    assert [r.text for r in rows] == expected
    by_text = {t.text.strip(): t for t in turns}
    for row in rows:
        turn = by_text[row.text]
        assert row.decision == turn.decision
        assert [c.name for c in row.candidates] == \
            [s.name for s in turn.parse.intent_ranking[:5]]
        assert row.sender_hash != "alice" and len(row.sender_hash) == 16
        assert row.created > 0 and row.reviewed is None


def test_log_survives_restart_with_stable_salted_hashes(tmp_path):
    path = tmp_path / "data" / "u.sqlite3"
    with UnansweredLog(path) as log:
        log.record("is mistral profitable", "bob", "fallback",
                   [Candidate("fact_revenue", 0.41)])
        first_hash = log.hash_sender("bob")
    with UnansweredLog(path) as log:
        (row,) = log.questions()
        assert row.text == "is mistral profitable"
        assert row.candidates == (Candidate("fact_revenue", 0.41),)
        assert row.sender_hash == first_hash == log.hash_sender("bob")
        assert log.hash_sender("carol") != first_hash
    with UnansweredLog(tmp_path / "other.sqlite3") as other:
        assert other.hash_sender("bob") != first_hash  # a random salt per log
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_mark_reviewed_and_include_reviewed(tmp_path):
    with UnansweredLog(tmp_path / "u.sqlite3") as log:
        ids = [log.record(f"q{i}", "s", "suggest", []) for i in range(3)]
        assert log.mark_reviewed(ids[:2], "dismissed") == 2
        assert log.mark_reviewed(ids[:2], "dismissed") == 0
        assert [q.text for q in log.questions()] == ["q2"]
        done = [q for q in log.questions(include_reviewed=True) if q.reviewed]
        assert {q.resolution for q in done} == {"dismissed"}


def test_concurrent_recording_loses_nothing(tmp_path):
    with UnansweredLog(tmp_path / "u.sqlite3") as log:
        def worker(n):
            for i in range(25):
                log.record(f"t{n}-{i}", f"user{n}", "fallback", [Candidate("x", 0.1)])

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(log.questions()) == 100


def test_default_path_follows_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("FAQBOT_DATA_DIR", str(tmp_path))
    assert default_log_path() == tmp_path / "unanswered.sqlite3"
    monkeypatch.delenv("FAQBOT_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_log_path() == tmp_path / "xdg" / "faqbot" / "unanswered.sqlite3"


def run_console(kb, lines, *options, data_dir):
    env = {**os.environ, "FAQBOT_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "bot", "console", "--json", "--no-reload", "--intents",
         str(kb), *options],
        input="".join(json.dumps({"sender": "dora", "text": t}) + "\n" for t in lines),
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=60,
    )


def test_console_records_to_the_chosen_file_and_no_log_disables_it(tmp_path):
    kb = write_sample_kb(tmp_path / "kb")
    chosen = tmp_path / "chosen.sqlite3"
    result = run_console(kb, MESSAGES, "--log-unanswered", str(chosen),
                         data_dir=tmp_path / "default")
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    unanswered = [a["text"].strip() for a in answers
                  if a["intent"]["name"] == "nlu_fallback" and a["text"].strip()]
    with UnansweredLog(chosen) as log:
        assert [q.text for q in log.questions()] == unanswered
    assert not (tmp_path / "default").exists()

    result = run_console(kb, MESSAGES, "--no-log", data_dir=tmp_path / "default")
    assert result.returncode == 0 and not (tmp_path / "default").exists()

    result = run_console(kb, MESSAGES, data_dir=tmp_path / "default")
    assert result.returncode == 0
    with UnansweredLog(tmp_path / "default" / "unanswered.sqlite3") as log:
        assert len(log.questions()) == len(unanswered)


def test_unwritable_default_log_warns_but_an_unwritable_chosen_log_stops(tmp_path):
    kb = write_sample_kb(tmp_path / "kb")
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    served = run_console(kb, ["zzqx vrrbl"], data_dir=blocker / "sub")
    assert served.returncode == 0 and json.loads(served.stdout)["text"] == "zzqx vrrbl"
    assert "unanswered questions are not recorded" in served.stderr
    bad = tmp_path / "bad.sqlite3"
    bad.write_text("garbage, not a database", encoding="utf-8")
    refused = run_console(kb, ["hi"], "--log-unanswered", str(bad), data_dir=tmp_path / "d")
    assert refused.returncode == 2
    assert f"cannot open the unanswered log {bad}: file is not a database" in refused.stderr


def test_a_held_lock_does_not_delay_replies_and_the_row_is_written_after(tmp_path):
    kb = load_knowledge_base(write_sample_kb(tmp_path / "kb"))
    path = tmp_path / "u.sqlite3"
    log = UnansweredLog(path, busy_timeout=2.0)
    recorder = UnansweredRecorder(log)
    engine = Engine(build_brain(kb), BotConfig(), listeners=(recorder,))
    engine.handle("warm", "hello")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another process (a backup, a review) holds the lock
    try:
        started = time.monotonic()
        turns = [engine.handle("alice", f"zzqx vrrbl kkkp {i}") for i in range(5)]
        elapsed = time.monotonic() - started
        assert all(t.decision == "fallback" for t in turns)
        # Writing even one row would have waited out the 2 s busy timeout.
        assert elapsed < 2.0, elapsed
    finally:
        other.execute("COMMIT")
        other.close()
    assert recorder.flush()
    assert [q.text for q in log.questions()] == [f"zzqx vrrbl kkkp {i}" for i in range(5)]
    recorder.close()


def test_a_full_queue_drops_the_row_with_a_warning(tmp_path, caplog):
    kb = load_knowledge_base(write_sample_kb(tmp_path / "kb"))
    path = tmp_path / "u.sqlite3"
    log = UnansweredLog(path, busy_timeout=0.5)
    recorder = UnansweredRecorder(log, queue_size=1)
    engine = Engine(build_brain(kb), BotConfig(), listeners=(recorder,))
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        for i in range(4):
            engine.handle("alice", f"zzqx vrrbl kkkp {i}")
    finally:
        other.execute("COMMIT")
        other.close()
    assert recorder.flush()
    assert recorder.dropped >= 1
    assert "not keeping up" in caplog.text
    assert 1 <= len(log.questions()) <= 3
    recorder.close()


def test_numbers_payloads_and_empty_input_are_not_questions(tmp_path):
    kb = load_knowledge_base(write_sample_kb(tmp_path / "kb"))
    log = UnansweredLog(tmp_path / "u.sqlite3")
    recorder = UnansweredRecorder(log)
    engine = Engine(build_brain(kb), BotConfig(), listeners=(recorder,))
    engine.handle("bob", "zzqx vrrbl kkkp")
    for text in ("1", "7", "#2", "3.", "/no_such_intent", "/start", "   ", "?!", ""):
        engine.handle("bob", text)
    assert recorder.flush()
    assert [q.text for q in log.questions()] == ["zzqx vrrbl kkkp"]
    assert is_question("what is 2 + 2") and is_question("7 dwarfs")
    assert not is_question("42") and not is_question("/faq/funding") and not is_question("")


def test_text_with_a_lone_surrogate_is_logged_with_it_replaced(tmp_path):
    with UnansweredLog(tmp_path / "u.sqlite3") as log:
        log.record("who is \ud83d the ceo", "eve\udc80", "fallback", [])
        (row,) = log.questions()
    assert row.text == "who is \ufffd the ceo"


def test_rows_name_their_knowledge_base_and_can_be_filtered_by_it(tmp_path):
    first = write_sample_kb(tmp_path / "first")
    second = write_sample_kb(tmp_path / "second")
    log = UnansweredLog(tmp_path / "u.sqlite3")
    log.record("asked before rows named a kb", "old", "fallback", [])
    for kb_dir, text in ((first, "zzqx one"), (second, "zzqx two")):
        recorder = UnansweredRecorder(log, kb=kb_id(kb_dir))
        engine = Engine(build_brain(load_knowledge_base(kb_dir)), BotConfig(),
                        listeners=(recorder,))
        engine.handle("ann", text)
        assert recorder.flush()
        recorder.close()
    assert [q.text for q in log.questions(kb=kb_id(first))] == [
        "asked before rows named a kb", "zzqx one"]
    assert [q.kb for q in log.questions()] == [None, kb_id(first), kb_id(second)]
    assert kb_id(tmp_path / "first" / ".." / "first") == kb_id(first)


def test_an_old_log_without_the_kb_column_is_upgraded(tmp_path):
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE unanswered (id INTEGER PRIMARY KEY AUTOINCREMENT, created REAL NOT "
        "NULL, text TEXT NOT NULL, sender_hash TEXT NOT NULL, decision TEXT NOT NULL, "
        "candidates TEXT NOT NULL, reviewed REAL, resolution TEXT);"
        "INSERT INTO unanswered (created, text, sender_hash, decision, candidates) "
        "VALUES (1, 'old question', 'h', 'fallback', '[]');")
    db.commit()
    db.close()
    with UnansweredLog(path) as log:
        log.record("new question", "s", "fallback", [], kb="/kb")
        assert [(q.text, q.kb) for q in log.questions()] == [
            ("old question", None), ("new question", "/kb")]
