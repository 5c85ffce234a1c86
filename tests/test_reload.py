import json
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time

import pytest
from maintenance_helpers import ROOT, write_sample_kb

from bot.config import BotConfig
from bot.dialog.engine import Engine, build_brain
from bot.kb.loader import load_knowledge_base
from bot.reload import KnowledgeReloader, snapshot

OLD = "Hello! Ask me about Mistral AI."
NEW = "Bonjour! Ask me anything about Mistral AI."


def answer(engine, text="/greet", sender="t"):
    return " ".join(r.text for r in engine.handle(sender, text).responses)


def set_greeting(kb_dir, text):
    path = kb_dir / "responses.yml"
    content = path.read_text(encoding="utf-8")
    for old in (OLD, NEW):
        content = content.replace(old, text)
    path.write_text(content, encoding="utf-8")


def wait_for(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


@pytest.fixture
def engine_and_kb(tmp_path):
    kb_dir = write_sample_kb(tmp_path / "kb")
    engine = Engine(build_brain(load_knowledge_base(kb_dir)), BotConfig())
    return engine, kb_dir


def test_reload_swaps_in_the_new_answer(engine_and_kb):
    engine, kb_dir = engine_and_kb
    reloader = KnowledgeReloader(engine, kb_dir)
    assert OLD in answer(engine)
    set_greeting(kb_dir, NEW)
    result = reloader.reload("test")
    assert result.ok and result.intents == 3 and result.generation == 1
    assert NEW in answer(engine)
    assert "Reloaded the knowledge base (test): 3 intents from 2 files" in result.message()


def test_broken_edit_keeps_the_last_good_kb_and_names_the_line(engine_and_kb):
    engine, kb_dir = engine_and_kb
    reloader = KnowledgeReloader(engine, kb_dir)
    brain = engine.brain
    path = kb_dir / "responses.yml"
    path.write_text(path.read_text(encoding="utf-8") + "  utter_x: [\n", encoding="utf-8")
    result = reloader.reload("test")
    assert not result.ok
    assert engine.brain is brain and OLD in answer(engine)
    message = result.message()
    assert message.startswith("Reload failed, still serving the previous knowledge base")
    assert f"{path}:" in message and "YAML syntax error" in message
    assert not reloader.changed()  # the broken files are not retried until edited again


def test_watcher_thread_picks_up_changed_and_added_files(engine_and_kb):
    engine, kb_dir = engine_and_kb
    results = []
    reloader = KnowledgeReloader(engine, kb_dir, interval=0.05, on_result=results.append)
    reloader.start()
    try:
        set_greeting(kb_dir, NEW)
        assert wait_for(lambda: NEW in answer(engine))
        (kb_dir / "more.yaml").write_text(
            'version: "3.1"\nnlu:\n- intent: goodbye\n  examples: |\n    - bye bye\n'
            "responses:\n  utter_goodbye:\n  - text: See you soon.\n",
            encoding="utf-8",
        )
        assert wait_for(lambda: "goodbye" in engine.brain.kb.intents)
        assert "See you soon." in answer(engine, "/goodbye")
        assert all(r.ok for r in results) and results[-1].reason == "file change"
    finally:
        reloader.stop()


def test_snapshot_sees_changes_deletions_and_additions(tmp_path):
    kb_dir = write_sample_kb(tmp_path / "kb")
    first = snapshot(kb_dir)
    assert set(first) == {str(kb_dir / "nlu.yml"), str(kb_dir / "responses.yml")}
    (kb_dir / "notes.txt").write_text("not yaml", encoding="utf-8")
    assert snapshot(kb_dir) == first
    (kb_dir / "nlu.yml").unlink()
    assert set(snapshot(kb_dir)) == {str(kb_dir / "responses.yml")}
    assert snapshot(tmp_path / "missing") == {}


class LineReader:
    """Collects a stream's lines in a background thread."""

    def __init__(self, stream):
        self.lines = queue.Queue()
        self.seen = []
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream):
        for line in stream:
            self.lines.put(line)

    def next(self, timeout=10.0):
        line = self.lines.get(timeout=timeout)
        self.seen.append(line)
        return line

    def wait_for(self, fragment, timeout=10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.next(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if fragment in line:
                return line
        raise AssertionError(f"{fragment!r} not seen; got {self.seen!r}")


def start_console(kb_dir, tmp_path, *extra):
    env = {**os.environ, "FAQBOT_DATA_DIR": str(tmp_path / "data"), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "console", "--json", "--intents", str(kb_dir),
         "--reload-interval", "0.05", *extra],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, cwd=ROOT, env=env,
    )


def ask(process, out, text="/greet", sender="console"):
    process.stdin.write(json.dumps({"sender": sender, "text": text}) + "\n")
    process.stdin.flush()
    return json.loads(out.next())


def test_console_subprocess_reloads_without_restart(tmp_path):
    kb_dir = write_sample_kb(tmp_path / "kb")
    process = start_console(kb_dir, tmp_path)
    out, err = LineReader(process.stdout), LineReader(process.stderr)
    try:
        assert ask(process, out)["responses"][0]["text"] == OLD
        set_greeting(kb_dir, NEW)
        err.wait_for("Reloaded the knowledge base (file change)")
        assert ask(process, out)["responses"][0]["text"] == NEW

        path = kb_dir / "nlu.yml"
        path.write_text(path.read_text(encoding="utf-8").replace(
            "  examples: |\n    - hello", "  examples: |\n  - hello\n bad: [", 1),
            encoding="utf-8")
        failure = err.wait_for("Reload failed, still serving the previous knowledge base")
        assert failure
        located = err.wait_for(f"{path}:")
        assert "error" in located
        assert ask(process, out)["responses"][0]["text"] == NEW
    finally:
        process.stdin.close()
        process.wait(timeout=10)
    assert process.returncode == 0


def test_sighup_reloads_when_file_watching_is_off(tmp_path):
    if not hasattr(signal, "SIGHUP"):
        pytest.skip("no SIGHUP on this platform")
    kb_dir = write_sample_kb(tmp_path / "kb")
    process = start_console(kb_dir, tmp_path, "--no-reload")
    out, err = LineReader(process.stdout), LineReader(process.stderr)
    try:
        assert ask(process, out)["responses"][0]["text"] == OLD
        set_greeting(kb_dir, NEW)
        time.sleep(0.3)  # several polling intervals: nothing must happen
        assert ask(process, out)["responses"][0]["text"] == OLD
        process.send_signal(signal.SIGHUP)
        err.wait_for("Reloaded the knowledge base (SIGHUP)")
        assert ask(process, out)["responses"][0]["text"] == NEW
    finally:
        process.stdin.close()
        process.wait(timeout=10)


def short_quiet_config(tmp_path, quiet=0.03):
    path = tmp_path / "config.yml"
    path.write_text(f"reload:\n  quiet_seconds: {quiet}\n", encoding="utf-8")
    return str(path)


def test_no_message_dropped_or_answered_twice_during_reloads(tmp_path):
    kb_dir = write_sample_kb(tmp_path / "kb")
    # Edits 0.1 s apart: a quiet period shorter than that lets reloads happen in between.
    process = start_console(kb_dir, tmp_path, "--config", short_quiet_config(tmp_path))
    out, err = LineReader(process.stdout), LineReader(process.stderr)
    count = 150
    stop = threading.Event()

    def churn():
        texts = (NEW, OLD)
        i = 0
        while not stop.is_set():
            set_greeting(kb_dir, texts[i % 2])
            i += 1
            time.sleep(0.1)

    # Start editing once the bot is up: its first load is not what is tested here.
    assert ask(process, out)["responses"][0]["text"] == OLD
    editor = threading.Thread(target=churn, daemon=True)
    editor.start()
    try:
        lines = []
        for i in range(count):
            process.stdin.write(json.dumps({"sender": f"user{i}", "text": "/greet"}) + "\n")
            process.stdin.flush()
            if i == count // 2:  # make sure reloads happen while messages are in flight
                err.wait_for("Reloaded the knowledge base (file change)")
            time.sleep(0.005)
        process.stdin.close()
        for _ in range(count):
            lines.append(json.loads(out.next()))
    finally:
        stop.set()
        editor.join()
        process.wait(timeout=20)
    assert [line["sender"] for line in lines] == [f"user{i}" for i in range(count)]
    assert all(line["responses"][0]["text"] in (OLD, NEW) for line in lines)
    with pytest.raises(queue.Empty):
        out.next(timeout=0.2)  # nothing answered twice
    assert process.returncode == 0


def test_reload_message_is_the_telegram_hook(engine_and_kb):
    engine, kb_dir = engine_and_kb
    reloader = KnowledgeReloader(engine, kb_dir)
    assert reloader.reload_message().startswith("Reloaded the knowledge base (/reload): 3 ")
    (kb_dir / "nlu.yml").write_text("nlu: [\n", encoding="utf-8")
    failed = reloader.reload_message()
    assert failed.startswith("Reload failed, still serving the previous knowledge base")
    assert str(kb_dir / "nlu.yml") in failed
    assert reloader.last_result is not None and not reloader.last_result.ok


def test_console_and_telegram_accept_the_maintenance_options():
    from bot.cli import build_parser

    parser = build_parser()
    for command in ("console", "telegram"):
        args = parser.parse_args([command, "--no-reload", "--reload-interval", "0.5",
                                  "--log-unanswered", "x.sqlite3"])
        assert args.no_reload and args.reload_interval == 0.5
        assert str(args.log_unanswered) == "x.sqlite3"
        assert parser.parse_args([command, "--no-log"]).no_log


def test_telegram_reloads_on_edit_sighup_and_admin_command(tmp_path):
    """``faqbot telegram`` as a subprocess against the fake Bot API on 127.0.0.1."""
    sys.path.insert(0, str(ROOT / "tests"))
    from telegram_kb import write_kb
    from telegram_server import TEST_TOKEN, FakeBotApi, Updates

    admin, user = 4242, 7
    kb_file = write_kb(tmp_path) / "kb.yml"
    old = "Arthur Mensch, Guillaume Lample and Timothee Lacroix founded it in 2023."
    new = "Three researchers founded it in 2023: Arthur Mensch, Guillaume Lample, Timothee L."
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    updates = Updates()
    with FakeBotApi() as api:
        env.update(TELEGRAM_BOT_TOKEN=TEST_TOKEN, TELEGRAM_API_BASE_URL=api.base_url,
                   TELEGRAM_ADMIN_IDS=str(admin), FAQBOT_DATA_DIR=str(tmp_path / "data"),
                   PYTHONUNBUFFERED="1")
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "telegram", "--intents", str(kb_file.parent),
             "--poll-timeout", "1", "--reload-interval", "0.1"],
            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

        def say(chat, text):
            mark = api.mark()
            api.push(updates.message(chat, text))
            (reply,) = api.wait_for("sendMessage", since=mark, chat_id=chat, timeout=15)
            return reply.params["text"]

        try:
            api.wait_for("getUpdates", timeout=30)
            assert "Arthur Mensch, Guillaume Lample" in say(user, "who founded mistral")
            kb_file.write_text(kb_file.read_text(encoding="utf-8").replace(old, new),
                               encoding="utf-8")
            assert wait_for(lambda: "Three researchers" in say(user, "who founded mistral"))

            assert "only the bot's administrators" in say(user, "/reload")
            kb_file.write_text(kb_file.read_text(encoding="utf-8") + "responses: [\n",
                               encoding="utf-8")
            failed = say(admin, "/reload")
            assert "Reload failed, still serving the previous knowledge base" in failed
            assert "kb.yml:" in failed
            assert "Three researchers" in say(user, "who founded mistral")

            kb_file.write_text(kb_file.read_text(encoding="utf-8").replace(
                "responses: [\n", "").replace(new, old), encoding="utf-8")
            assert "Reloaded the knowledge base (/reload)" in say(admin, "/reload")
            assert "Arthur Mensch, Guillaume Lample" in say(user, "who founded mistral")
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.communicate()
    assert process.returncode == 0


def test_a_reload_that_would_leave_an_intent_unanswered_keeps_the_old_kb(engine_and_kb):
    engine, kb_dir = engine_and_kb
    reloader = KnowledgeReloader(engine, kb_dir)
    before = engine.brain
    responses = kb_dir / "responses.yml"
    responses.write_text("", encoding="utf-8")  # as an editor's truncate-then-write shows it
    result = reloader.reload("file change")
    assert not result.ok
    assert "has no response" in result.message()
    assert engine.brain is before


def test_reload_storm_serves_no_half_written_state(tmp_path):
    """A few seconds of valid edits, half-written, broken and deleted files while asking."""
    kb_dir = write_sample_kb(tmp_path / "kb")
    responses = kb_dir / "responses.yml"
    nlu = kb_dir / "nlu.yml"
    whole = {responses: responses.read_text(encoding="utf-8"), nlu: nlu.read_text("utf-8")}
    template = whole[responses]
    written = {OLD}
    process = start_console(kb_dir, tmp_path, "--config", short_quiet_config(tmp_path, 0.2))
    out, err = LineReader(process.stdout), LineReader(process.stderr)
    stop = threading.Event()
    rng = random.Random(12)

    def storm():
        version = 0
        while not stop.is_set():
            kind = rng.choice(["valid", "half", "broken", "deleted"])
            if kind == "valid":
                version += 1
                text = f"Hello number {version}! Ask me about Mistral AI."
                written.add(text)
                whole[responses] = template.replace(OLD, text)
                responses.write_text(whole[responses], encoding="utf-8")
            else:
                path = rng.choice([responses, nlu])
                if kind == "half":
                    path.write_text(whole[path][:len(whole[path]) // 2], encoding="utf-8")
                elif kind == "broken":
                    path.write_text(whole[path] + "\n  broken: [\n", encoding="utf-8")
                else:
                    path.unlink()
                time.sleep(rng.choice([0.02, 0.1, 0.3]))
                path.write_text(whole[path], encoding="utf-8")
            time.sleep(0.05)

    try:
        assert ask(process, out)["responses"][0]["text"] == OLD
        editor = threading.Thread(target=storm, daemon=True)
        editor.start()
        deadline, asked = time.monotonic() + 3.0, 0
        while time.monotonic() < deadline:
            reply = ask(process, out, "/greet", sender=f"u{asked % 7}")
            asked += 1
            assert reply["responses"][0]["text"] in written, reply["responses"]
        stop.set()
        editor.join()
        final = "The storm is over. Ask me about Mistral AI."
        responses.write_text(template.replace(OLD, final), encoding="utf-8")
        assert wait_for(lambda: ask(process, out)["responses"][0]["text"] == final, 20)
    finally:
        stop.set()
        process.stdin.close()
        process.wait(timeout=20)
    assert process.returncode == 0 and asked > 10
    with pytest.raises(queue.Empty):
        while True:  # every line the console wrote on stderr
            err.next(timeout=1.0)
    assert not any("Traceback" in line for line in err.seen)
