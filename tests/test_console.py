"""The console adapter through real processes: ``--json`` over pipes, the chat over a pty."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, SMALL_KB_YAML, TIE_YAML

# Strict answers and a low suggestion floor: "rocket prices" must ask "did you mean" and
# list both price intents, whatever confidence split the matcher gives the tie.
CONFIG_YAML = """\
nlu:
  answer_threshold: 0.9
  suggest_threshold: 0.01
"""
ANSI = re.compile(r"\x1b\[[0-9;]*m")
TIMEOUT = 20.0


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "kb"
    directory.mkdir()
    (directory / "kb.yml").write_text(SMALL_KB_YAML, encoding="utf-8")
    (directory / "tie.yml").write_text(TIE_YAML, encoding="utf-8")
    (directory.parent / "config.yml").write_text(CONFIG_YAML, encoding="utf-8")
    return directory


def child_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("NO_COLOR", "FORCE_COLOR", "FAQBOT_INTENTS")}
    env.update(HOME=str(tmp_path), FAQBOT_HISTORY=str(tmp_path / "history"), TERM="xterm",
               PYTHONPATH=str(REPO))
    env.update(extra)
    return env


def console_command(kb_dir: Path, *extra: str) -> list[str]:
    config = kb_dir.parent / "config.yml"
    options = ["--config", str(config)] if config.is_file() else []
    return [sys.executable, "-m", "bot", "console", "--intents", str(kb_dir), *options,
            *extra]


# -- JSON lines ----------------------------------------------------------------------------
def run_json(kb_dir: Path, tmp_path: Path, data: bytes) -> list[dict]:
    result = subprocess.run(console_command(kb_dir, "--json"), input=data,
                            capture_output=True, timeout=TIMEOUT, env=child_env(tmp_path))
    assert result.returncode == 0, result.stderr.decode()
    return [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]


def test_json_contract(kb_dir, tmp_path):
    lines = [{"sender": "ann", "text": "who is the boss"}, {"text": "rocket prices"}]
    out = run_json(kb_dir, tmp_path, "".join(json.dumps(x) + "\n" for x in lines).encode())
    assert len(out) == 2
    first, second = out
    assert set(first) == {"sender", "text", "intent", "intent_ranking", "entities",
                          "responses"}
    assert first["sender"] == "ann" and first["text"] == "who is the boss"
    assert first["intent"]["name"] == "fact_boss"
    assert 0.0 <= first["intent"]["confidence"] <= 1.0
    assert first["intent_ranking"][0]["name"] == "fact_boss"
    assert len(first["intent_ranking"]) <= 10
    assert first["entities"] == []
    assert first["responses"][0]["text"] == "Acme Rockets is run by Dana Orbit."
    assert first["responses"][0]["buttons"] == [
        {"title": "The chief's plan", "payload": "/fact_boss_plan"}]
    assert second["sender"] == "console"
    assert second["intent"]["name"] == "nlu_fallback"  # did you mean: not committed
    assert {r["name"] for r in second["intent_ranking"][:2]} == {"price_small", "price_big"}
    payloads = {b["payload"] for b in second["responses"][0]["buttons"]}
    assert payloads >= {"/price_small", "/price_big"}


def test_json_did_you_mean_buttons_keep_the_entities_and_a_number_picks_them(
        kb_dir, tmp_path):
    (kb_dir / "customers.yml").write_text(
        'version: "3.1"\nnlu:\n- lookup: customer\n  examples: |\n    - NASA\n    - ESA\n',
        encoding="utf-8")
    lines = [{"text": "rocket prices for nasa"}, {"text": "1"}]
    asked, picked = run_json(
        kb_dir, tmp_path, "".join(json.dumps(x) + "\n" for x in lines).encode())
    assert asked["intent"]["name"] == "nlu_fallback"
    buttons = asked["responses"][0]["buttons"]
    assert buttons and all(b["payload"].endswith('{"customer":"NASA"}') for b in buttons)
    assert picked["intent"]["name"] == buttons[0]["payload"].split("{")[0][1:]
    assert [(e["entity"], e["value"]) for e in picked["entities"]] == [("customer", "NASA")]
    again = run_json(kb_dir, tmp_path, (buttons[1]["payload"] + "\n").encode())
    assert again[0]["intent"] == {"name": buttons[1]["payload"].split("{")[0][1:],
                                  "confidence": 1.0}  # a payload sent back as plain text
    assert [e["extractor"] for e in again[0]["entities"]] == ["payload"]


def test_json_one_line_out_per_line_in_whatever_the_input(kb_dir, tmp_path):
    data = b"".join([
        b"who is the boss\n",                      # plain text
        b'["a", "list"]\n',                        # JSON, but not an object: the text
        b"\n",                                     # empty
        b'{"sender": "z", "text": null}\n',        # null text
        b'{"text": 42}\n',                         # not a string
        b'{"sender": "z", "text": "\\u0000\\u0001\\u0002"}\n',
        b"\xff\xfe\xfa not utf-8\n",               # undecodable bytes
        b'{"text": "' + b"a" * 100_000 + b'"}\n',  # huge
        b"/fact_rockets\n",                        # a payload
        b"{broken json\n",
        b"no newline at the end",
    ])
    out = run_json(kb_dir, tmp_path, data)
    assert len(out) == 11
    assert out[0]["intent"]["name"] == "fact_boss"
    assert out[1]["text"] == '["a", "list"]'
    assert out[2]["responses"][0]["text"] == "Please type a question."
    assert out[3]["sender"] == "z" and out[3]["text"] == ""
    assert out[4]["text"] == "42"
    assert "text" in out[5]["responses"][0]["text"]
    assert out[6]["responses"]
    assert "too long" in out[7]["responses"][0]["text"]
    assert out[8]["intent"] == {"name": "fact_rockets", "confidence": 1.0}
    assert out[9]["text"] == "{broken json"
    assert out[10]["text"] == "no newline at the end"
    assert all(o["responses"] for o in out)


def test_json_senders_keep_their_own_context(kb_dir, tmp_path):
    lines = [{"sender": "a", "text": "how much money did acme raise"},
             {"sender": "b", "text": "who is the boss"},
             {"sender": "a", "text": "from whom?"},
             {"sender": "b", "text": "tell me more"}]
    out = run_json(kb_dir, tmp_path, "".join(json.dumps(x) + "\n" for x in lines).encode())
    assert [o["intent"]["name"] for o in out] == [
        "fact_money", "fact_boss", "fact_backers", "fact_boss_plan"]


def test_json_replies_are_flushed_line_by_line(kb_dir, tmp_path):
    process = subprocess.Popen(console_command(kb_dir, "--json"), stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, env=child_env(tmp_path))
    try:
        for question, intent in [("who is the boss", "fact_boss"),
                                 ("what rockets do they build", "fact_rockets")]:
            process.stdin.write(question.encode() + b"\n")
            process.stdin.flush()
            ready, _, _ = select.select([process.stdout], [], [], TIMEOUT)
            assert ready, "no reply before the next line was sent"
            assert json.loads(process.stdout.readline())["intent"]["name"] == intent
        process.stdin.close()
        assert process.wait(TIMEOUT) == 0
    finally:
        process.kill()


def test_json_bad_knowledge_base_is_a_clear_error(tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "kb.yml").write_text("nlu:\n- intent: x\n  examples: [unclosed\n")
    result = subprocess.run(console_command(broken, "--json"), input=b"hi\n",
                            capture_output=True, timeout=TIMEOUT, env=child_env(tmp_path))
    assert result.returncode == 2
    assert "kb.yml:" in result.stderr.decode()
    assert "Traceback" not in result.stderr.decode()


# -- interactive, piped --------------------------------------------------------------------
def test_piped_chat_has_no_colour_and_exits_cleanly(kb_dir, tmp_path):
    result = subprocess.run(console_command(kb_dir), input=b"who is the boss\n/quit\n",
                            capture_output=True, timeout=TIMEOUT, env=child_env(tmp_path))
    out = result.stdout.decode()
    assert result.returncode == 0
    assert "Dana Orbit" in out
    assert "\x1b[" not in out


# -- interactive, on a terminal ------------------------------------------------------------
class Terminal:
    """A child process on a pseudo-terminal, read until an expected text appears."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # child
            os.execve(command[0], command, env)
        self.buffer = ""

    def expect(self, pattern: str) -> str:
        deadline = time.monotonic() + TIMEOUT
        while True:
            plain = ANSI.sub("", self.buffer)
            if pattern in plain:
                index = plain.index(pattern) + len(pattern)
                consumed = plain[:index]
                self.buffer = plain[index:]
                return consumed
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"{pattern!r} not seen in {plain!r}"
            ready, _, _ = select.select([self.fd], [], [], remaining)
            if ready:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:
                    chunk = b""
                assert chunk, f"child ended before {pattern!r}: {plain!r}"
                self.buffer += chunk.decode("utf-8", "replace")

    def raw_until(self, pattern: str) -> str:
        """Like expect, but return the raw text (escape codes kept) up to ``pattern``."""
        deadline = time.monotonic() + TIMEOUT
        while pattern not in self.buffer:
            assert time.monotonic() < deadline, f"{pattern!r} not seen in {self.buffer!r}"
            ready, _, _ = select.select([self.fd], [], [], 1.0)
            if ready:
                self.buffer += os.read(self.fd, 4096).decode("utf-8", "replace")
        index = self.buffer.index(pattern) + len(pattern)
        raw, self.buffer = self.buffer[:index], self.buffer[index:]
        return raw

    def send(self, text: str) -> None:
        os.write(self.fd, text.encode())

    def exit_code(self) -> int:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            try:  # drain, so the child never blocks on a full terminal
                if select.select([self.fd], [], [], 0.1)[0]:
                    os.read(self.fd, 4096)
            except OSError:
                pass
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                os.close(self.fd)
                return os.waitstatus_to_exitcode(status)
        os.kill(self.pid, 9)
        raise AssertionError("the console did not exit")


def test_terminal_chat(kb_dir, tmp_path):
    term = Terminal(console_command(kb_dir), child_env(tmp_path))
    term.expect("/help")
    term.expect("you> ")
    term.send("who is the boss\r")
    term.expect("bot> Acme Rockets is run by Dana Orbit.")
    term.expect("1. The chief's plan")
    term.expect("you> ")
    term.send("1\r")
    term.expect("Dana Orbit wants cheap rides")
    term.expect("you> ")
    term.send("rocket prices\r")
    term.expect("Did you mean")
    listed = term.expect("you> ")
    choices = dict(re.findall(r"(\d)\. (Small|Big) rocket price", listed))
    assert set(choices.values()) == {"Small", "Big"}, listed
    big = next(number for number, size in choices.items() if size == "Big")
    term.send(f"{big}\r")
    term.expect("The Boulder costs")
    term.expect("you> ")
    term.send("/help\r")
    term.expect("/quit")
    term.expect("you> ")
    term.send("/nonsense\r")
    term.expect("Unknown command /nonsense")
    term.expect("you> ")
    term.send("/quit\r")
    assert term.exit_code() == 0
    assert "who is the boss" in (tmp_path / "history").read_text()


def test_terminal_ctrl_d_exits_cleanly(kb_dir, tmp_path):
    term = Terminal(console_command(kb_dir), child_env(tmp_path))
    term.expect("you> ")
    term.send("\x04")
    assert term.exit_code() == 0


def test_terminal_has_colour_unless_no_color(kb_dir, tmp_path):
    term = Terminal(console_command(kb_dir), child_env(tmp_path))
    term.expect("you> ")
    term.send("who is the boss\r")
    assert "\x1b[" in term.raw_until("Dana Orbit")
    term.expect("you> ")  # wait for the prompt: a Ctrl-D typed ahead may be lost
    term.send("\x04")
    assert term.exit_code() == 0
    term = Terminal(console_command(kb_dir), child_env(tmp_path, NO_COLOR="1"))
    term.expect("you> ")
    term.send("who is the boss\r")
    assert "\x1b[" not in term.raw_until("Dana Orbit")
    term.expect("you> ")
    term.send("\x04")
    assert term.exit_code() == 0


def test_terminal_reload_notice_keeps_the_line_being_typed(kb_dir, tmp_path):
    (kb_dir / "tie.yml").unlink()  # a shared example is a validate error: reload refuses it
    term = Terminal(console_command(kb_dir, "--reload-interval", "0.1"), child_env(tmp_path))
    term.expect("you> ")
    term.send("who is the b")
    term.expect("who is the b")
    kb_file = kb_dir / "kb.yml"
    kb_file.write_text(kb_file.read_text(encoding="utf-8").replace(
        "Acme Rockets is run by Dana Orbit.", "Dana Orbit runs Acme Rockets."),
        encoding="utf-8")
    notice = term.expect("Reloaded the knowledge base")
    assert "who is the bfaqbot" not in notice, notice  # not glued to the typed text
    # The prompt and what was typed so far are drawn again below the notice.
    term.expect("you> who is the b")
    term.send("oss\r")
    term.expect("bot> Dana Orbit runs Acme Rockets.")
    term.expect("you> ")
    term.send("\x04")
    assert term.exit_code() == 0


def test_reload_command_loads_the_files_now(kb_dir, tmp_path):
    (kb_dir / "tie.yml").unlink()  # a shared example is a validate error: reload refuses it
    result = subprocess.run(console_command(kb_dir, "--no-reload"), input=b"/reload\n/quit\n",
                            capture_output=True, timeout=TIMEOUT, env=child_env(tmp_path))
    assert result.returncode == 0
    assert "Reloaded the knowledge base (/reload)" in result.stderr.decode()
    assert "Unknown command" not in result.stdout.decode()
