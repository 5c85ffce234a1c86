"""Time custom actions through the whole engine: in-process, and over HTTP to rasa_sdk.

Usage: ``.venv/bin/python benchmarks/bench_actions.py [--turns N] [--no-http]``

Prints, per mode, the first action (in-process: includes importing rasa_sdk) and the
p50/p99 of ``engine.handle`` for "did nvdia invest in mistral" (matching, entity
extraction, the action and its reply). The HTTP mode starts
``python -m rasa_sdk --actions bot.actions`` on a free 127.0.0.1 port and stops it after.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Loopback servers are reached directly, whatever $http_proxy says.
LOOPBACK = urllib.request.build_opener(urllib.request.ProxyHandler({}))
sys.path.insert(0, str(REPO))

from bot.action_client import build_action_runner  # noqa: E402
from bot.config import load_config  # noqa: E402
from bot.dialog.engine import Engine, build_brain  # noqa: E402
from bot.kb.loader import load_knowledge_base  # noqa: E402

QUESTION = "did nvdia invest in mistral"


def measure(endpoints: Path | None, turns: int) -> dict[str, object]:
    """Return timings of ``turns`` action turns with the runner chosen by ``endpoints``."""
    engine = Engine(build_brain(load_knowledge_base(REPO / "intents")), load_config(),
                    actions=build_action_runner(endpoints))
    started = time.perf_counter()
    engine.handle("bench", "/ask_investors_list")
    first = time.perf_counter() - started
    times = []
    for i in range(turns):
        started = time.perf_counter()
        turn = engine.handle(f"bench{i}", QUESTION)
        times.append(time.perf_counter() - started)
        if not turn.responses[0].text.startswith("Yes"):
            raise SystemExit(f"unexpected answer: {turn.responses[0].text}")
    times.sort()
    return {
        "mode": "http" if endpoints else "in-process",
        "first_ms": round(first * 1000, 1),
        "p50_ms": round(times[len(times) // 2] * 1000, 2),
        "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))] * 1000, 2),
        "turns": turns,
    }


def start_server(workdir: Path) -> tuple[subprocess.Popen, int]:
    """Start a rasa_sdk action server on a free loopback port and wait for /health."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "rasa_sdk", "--actions", "bot.actions", "--port", str(port)],
        cwd=workdir, env={**os.environ, "SANIC_HOST": "127.0.0.1", "PYTHONPATH": str(REPO)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with LOOPBACK.open(f"http://127.0.0.1:{port}/health", timeout=1):
                return process, port
        except OSError:
            time.sleep(0.1)
    os.killpg(process.pid, signal.SIGKILL)
    raise SystemExit("the action server did not start")


def main() -> int:
    """Run the benchmark and print one JSON line per mode."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=200)
    parser.add_argument("--no-http", action="store_true", help="skip the HTTP mode")
    args = parser.parse_args()
    print(json.dumps(measure(None, args.turns)))
    if args.no_http:
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        process, port = start_server(Path(tmp))
        try:
            endpoints = Path(tmp) / "endpoints.yml"
            endpoints.write_text(
                f'action_endpoint:\n  url: "http://127.0.0.1:{port}/webhook"\n',
                encoding="utf-8")
            print(json.dumps(measure(endpoints, args.turns)))
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
