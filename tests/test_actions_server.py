"""Custom actions over HTTP: a real rasa_sdk action server, a slow one, one that goes away.

Every server here listens on 127.0.0.1 and is started (and stopped) by the tests.
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.action_client import build_action_runner
from bot.action_client.endpoints import ActionEndpoint
from bot.action_client.http import HttpActionRunner
from bot.action_client.inprocess import InProcessActionRunner
from bot.config import load_config
from bot.dialog.engine import ACTION_UNAVAILABLE_TEXT, Engine, build_brain
from bot.dialog.state import ConversationState
from bot.kb.loader import load_knowledge_base
from bot.nlu.parse import IntentScore, Parse

REPO = Path(__file__).resolve().parents[1]
# Loopback servers are reached directly, whatever $http_proxy says.
LOOPBACK = urllib.request.build_opener(urllib.request.ProxyHandler({}))
ACTIONS_YML = REPO / "intents" / "curated" / "actions.yml"
GREET_YML = """\
version: "3.1"
nlu:
- intent: greet
  examples: |
    - hello
    - hi there
    - good morning
responses:
  utter_greet:
  - text: Hello! Ask me about Mistral AI's investors.
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class ActionServer:
    """A ``python -m rasa_sdk --actions bot.actions`` subprocess on 127.0.0.1."""

    port: int
    process: subprocess.Popen

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/webhook"

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)


def start_action_server(workdir: Path, port: int | None = None) -> ActionServer:
    port = port or free_port()
    log = (workdir / f"action_server_{port}.log").open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "rasa_sdk", "--actions", "bot.actions", "--port", str(port)],
        cwd=workdir, env={**os.environ, "SANIC_HOST": "127.0.0.1"},
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    server = ActionServer(port, process)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with LOOPBACK.open(f"http://127.0.0.1:{port}/health", timeout=1) as r:
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.1)
    server.stop()
    raise RuntimeError("action server did not start:\n"
                       + (workdir / f"action_server_{port}.log").read_text())


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("actions")


@pytest.fixture(scope="module")
def server(workdir: Path) -> Iterator[ActionServer]:
    started = start_action_server(workdir)
    yield started
    started.stop()


@pytest.fixture(scope="module")
def kb_dir(workdir: Path) -> Path:
    directory = workdir / "intents"
    directory.mkdir()
    shutil.copy(ACTIONS_YML, directory / "actions.yml")
    (directory / "greet.yml").write_text(GREET_YML, encoding="utf-8")
    return directory


@pytest.fixture(scope="module")
def brain(kb_dir: Path):
    return build_brain(load_knowledge_base(kb_dir))


def parse_of(brain, text: str, intent: str) -> Parse:
    return Parse(text, IntentScore(intent, 1.0), (IntentScore(intent, 1.0),),
                 tuple(brain.entities.extract(text)))


def texts(replies) -> list[str]:
    return [r.text for r in replies]


# -- a real rasa_sdk action server ------------------------------------------------------
@pytest.mark.parametrize(("action", "intent", "text"), [
    ("action_check_investor", "ask_invested", "did nvdia invest in mistral"),
    ("action_check_investor", "ask_invested", "did google invest in mistral"),
    ("action_check_investor", "ask_invested", "/ask_invested"),
    ("action_list_investors", "ask_investors_list", "who invested"),
    ("action_revenue_growth", "ask_revenue_growth", "how much did revenue grow"),
])
def test_server_answers_as_in_process(server, brain, action, intent, text) -> None:
    parse = parse_of(brain, text, intent)
    over_http = HttpActionRunner(ActionEndpoint(url=server.url)).run(
        action, "s1", parse, ConversationState())
    in_process = InProcessActionRunner().run(action, "s1", parse, ConversationState())
    assert over_http == in_process
    assert texts(over_http[0]) != [ACTION_UNAVAILABLE_TEXT]


def test_server_lists_our_actions(server) -> None:
    with LOOPBACK.open(f"http://127.0.0.1:{server.port}/actions", timeout=5) as r:
        listed = {a["name"] for a in json.load(r)}
    assert {"action_check_investor", "action_list_investors",
            "action_revenue_growth"} <= listed


def test_unknown_action_on_server_gets_an_apology(server, brain) -> None:
    replies, events = HttpActionRunner(ActionEndpoint(url=server.url)).run(
        "action_does_not_exist", "s1", parse_of(brain, "x", "x"), ConversationState())
    assert texts(replies) == [ACTION_UNAVAILABLE_TEXT] and events == []


def test_slot_round_trip_through_the_server(server, brain, tmp_path) -> None:
    runner = build_action_runner(write_endpoints(server.url, tmp_path))
    engine = Engine(brain, load_config(), actions=runner)
    first = engine.handle("carol", "did nvidia invest in mistral")
    assert first.responses[0].text.startswith("Yes.")
    assert ("slot", "investor", "Nvidia") in [
        (e["event"], e.get("name"), e.get("value")) for e in first.events]


def write_endpoints(url: str, directory: Path, timeout: float = 5) -> Path:
    path = directory / "endpoints.yml"
    path.write_text(f'action_endpoint:\n  url: "{url}"\n  timeout: {timeout}\n',
                    encoding="utf-8")
    return path


def test_server_going_away_and_coming_back(workdir, brain) -> None:
    port = free_port()
    server = start_action_server(workdir, port)
    try:
        engine = Engine(brain, load_config(),
                        actions=HttpActionRunner(ActionEndpoint(url=server.url, timeout=3)))
        assert engine.handle("dave", "/ask_investors_list").responses[0].text.startswith(
            "TechCrunch names")
        server.stop()
        started = time.monotonic()
        down = engine.handle("dave", "/ask_investors_list")
        assert time.monotonic() - started < 3
        assert down.parse.intent.name == "ask_investors_list"
        assert down.responses[0].text == ACTION_UNAVAILABLE_TEXT
        assert "Hello!" in engine.handle("dave", "hello").responses[0].text
        server = start_action_server(workdir, port)
        assert engine.handle("dave", "/ask_investors_list").responses[0].text.startswith(
            "TechCrunch names")
    finally:
        server.stop()


# -- misbehaving servers (stdlib, in a thread) -------------------------------------------
class FakeServer:
    """An action server that answers whatever ``reply`` says, after ``delay`` seconds."""

    def __init__(self, delay: float = 0.0, status: int = 200, body: bytes = b"{}") -> None:
        self.delay, self.status, self.body = delay, status, body
        self.requests: list[tuple[str, dict, dict]] = []
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length", 0))
                fake.requests.append((self.path, dict(self.headers),
                                      json.loads(self.rfile.read(length))))
                time.sleep(fake.delay)
                try:
                    self.send_response(fake.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(fake.body)))
                    self.end_headers()
                    self.wfile.write(fake.body)
                except OSError:
                    pass  # the client gave up

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/webhook"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FakeServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def test_slow_server_times_out_then_cools_down(brain) -> None:
    with FakeServer(delay=3.0) as slow:
        runner = HttpActionRunner(ActionEndpoint(url=slow.url, timeout=0.5, cooldown=30))
        engine = Engine(brain, load_config(), actions=runner)
        started = time.monotonic()
        turn = engine.handle("erin", "/ask_revenue_growth")
        waited = time.monotonic() - started
        assert turn.responses[0].text == ACTION_UNAVAILABLE_TEXT
        assert 0.4 < waited < 2.5
        started = time.monotonic()
        again = engine.handle("erin", "/ask_revenue_growth")
        assert again.responses[0].text == ACTION_UNAVAILABLE_TEXT
        assert time.monotonic() - started < 0.4  # no second wait during the cool-down
        assert len(slow.requests) == 1
        assert "Hello!" in engine.handle("erin", "hello").responses[0].text


def test_request_speaks_rasa_protocol_with_token_and_headers(brain) -> None:
    body = json.dumps({"events": [], "responses": [{"text": "from the fake"}]}).encode()
    with FakeServer(body=body) as fake:
        runner = HttpActionRunner(ActionEndpoint(url=fake.url, token="s3cret",
                                                 headers=(("X-Test", "yes"),)))
        replies, _ = runner.run("action_list_investors", "frank",
                                parse_of(brain, "who invested", "ask_investors_list"),
                                ConversationState(slots={"investor": "IBM"}))
    assert texts(replies) == ["from the fake"]
    [(path, headers, call)] = fake.requests
    assert path == "/webhook?token=s3cret" and headers["X-Test"] == "yes"
    assert call["next_action"] == "action_list_investors" and call["sender_id"] == "frank"
    assert call["tracker"]["slots"] == {"investor": "IBM"}
    assert call["tracker"]["latest_message"]["text"] == "who invested"
    assert isinstance(call["domain"], dict) and call["version"]


@pytest.mark.parametrize(("status", "body"), [
    (500, b'{"error": "boom"}'),
    (200, b"this is not json"),
    (200, b'["not", "an", "object"]'),
    (200, b'{"events": "nope", "responses": []}'),
])
def test_bad_server_answers_get_an_apology(brain, status: int, body: bytes) -> None:
    with FakeServer(status=status, body=body) as fake:
        replies, events = HttpActionRunner(ActionEndpoint(url=fake.url)).run(
            "action_list_investors", "g", parse_of(brain, "who", "ask_investors_list"),
            ConversationState())
    assert texts(replies) == [ACTION_UNAVAILABLE_TEXT] and events == []


# -- the console, end to end -------------------------------------------------------------
def console(args: list[str], lines: list[str], cwd: Path,
            python_flags: tuple[str, ...] = ()) -> tuple[list[dict], str]:
    done = subprocess.run(
        [sys.executable, *python_flags, "-m", "bot", "console", "--json", *args],
        input="".join(line + "\n" for line in lines), capture_output=True, text=True,
        timeout=60, cwd=cwd,
    )
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()], done.stderr


def test_console_with_endpoints_uses_the_server(server, kb_dir, workdir, tmp_path) -> None:
    endpoints = write_endpoints(server.url, tmp_path)
    turns, _ = console(["--intents", str(kb_dir), "--endpoints", str(endpoints)], [
        "did nvidia invest in mistral", "did apple invest in mistral ai",
        "revenue growth", "hello",
    ], workdir)
    answers = [t["responses"][0]["text"] for t in turns]
    assert turns[0]["entities"][0]["value"] == "Nvidia"
    assert answers[0].startswith("Yes.")
    assert "does not list Apple" in answers[1]
    assert "20 times" in answers[2]
    assert answers[3].startswith("Hello!")


def test_console_with_server_down_apologises_and_goes_on(kb_dir, workdir, tmp_path) -> None:
    endpoints = write_endpoints(f"http://127.0.0.1:{free_port()}/webhook", tmp_path)
    turns, stderr = console(["--intents", str(kb_dir), "--endpoints", str(endpoints)],
                            ["/ask_investors_list", "hello"], workdir)
    assert turns[0]["responses"][0]["text"] == ACTION_UNAVAILABLE_TEXT
    assert turns[1]["responses"][0]["text"].startswith("Hello!")
    assert "Traceback" not in stderr


@pytest.mark.parametrize(("content", "message"), [
    (None, "no such endpoints file"),
    ("action_endpoint: [1, 2", "invalid YAML"),
    ("action_endpoint:\n  url: ftp://x/webhook\n", "expected http(s)://"),
    ("action_endpoint:\n  url: http://x/webhook\n  timeout: -1\n", "timeout"),
])
def test_console_with_bad_endpoints_file_says_why(kb_dir, tmp_path, content, message) -> None:
    path = tmp_path / "endpoints.yml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--json", "--intents", str(kb_dir),
         "--endpoints", str(path)], input="hello\n", capture_output=True, text=True,
        timeout=60, cwd=tmp_path,
    )
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr


def test_rasa_sdk_is_imported_only_when_an_action_runs(kb_dir, workdir) -> None:
    _, before = console(["--intents", str(kb_dir)], ["hello"], workdir, ("-X", "importtime"))
    assert "rasa_sdk" not in before
    turns, after = console(["--intents", str(kb_dir)], ["hello", "/ask_investors_list"], workdir,
                           ("-X", "importtime"))
    assert "rasa_sdk.executor" in after
    assert turns[1]["responses"][0]["text"].startswith("TechCrunch names")


def test_proxy_settings_are_not_used_for_the_action_server(brain, monkeypatch) -> None:
    body = json.dumps({"events": [], "responses": [{"text": "direct"}]}).encode()
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    with FakeServer(body=body) as fake:
        replies, _ = HttpActionRunner(ActionEndpoint(url=fake.url)).run(
            "action_list_investors", "h", parse_of(brain, "who", "ask_investors_list"),
            ConversationState())
    assert texts(replies) == ["direct"]


def test_compose_healthcheck_command_probes_the_action_server(server) -> None:
    """The ``actions`` service's healthcheck in docker-compose.yml, run for real."""
    import yaml

    root = Path(__file__).resolve().parents[1]
    compose = yaml.safe_load((root / "docker-compose.yml").read_text(encoding="utf-8"))
    test = compose["services"]["actions"]["healthcheck"]["test"]
    assert test[:2] == ["CMD", "python"]
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}

    def probe(port: int) -> int:
        command = [sys.executable, *(part.replace(":5055/", f":{port}/") for part in test[2:])]
        return subprocess.run(command, env=env, capture_output=True, timeout=30).returncode

    assert probe(server.port) == 0
    assert probe(free_port()) != 0  # nothing listening: unhealthy
