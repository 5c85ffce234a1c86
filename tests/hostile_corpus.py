"""The hostile-input corpus (tests/data/hostile_inputs.yml) and a console to send it to.

Used by tests/test_hostile_corpus.py and benchmarks/bench_hostile.py.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).with_name("data") / "hostile_inputs.yml"
PROBE = {"sender": "probe", "text": "who is the ceo of mistral"}
PROBE_INTENT = "fact_ceo"


@dataclass(frozen=True)
class HostileInput:
    """One corpus item: its id and the bytes of the line sent (without the newline)."""

    id: str
    line: bytes


def _build(item: dict) -> bytes:
    if "hex" in item:
        return bytes.fromhex(item["hex"])
    if "json" in item:
        return json.dumps(item["json"]).encode("utf-8")
    if "nest" in item:
        depth = int(item["nest"])
        return ('{"text": ' + "[" * depth + "]" * depth + "}").encode("utf-8")
    text = str(item.get("text", "")) * int(item.get("times", 1))
    if "sender_times" in item:
        return json.dumps({"sender": text * int(item["sender_times"]),
                           "text": "who is the ceo"}).encode("utf-8")
    # A lone surrogate in the YAML is sent as the JSON escape it stands for.
    return text.encode("utf-8", "surrogatepass") if not _has_surrogate(text) else (
        json.dumps({"text": text}).encode("utf-8"))


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= c <= "\udfff" for c in text)


def load_corpus(path: Path = CORPUS) -> list[HostileInput]:
    """Return the corpus items in order."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = [HostileInput(item["id"], _build(item)) for item in data["inputs"]]
    for item in items:
        if b"\n" in item.line:
            raise ValueError(f"{path}: input {item.id} contains a newline")
    return items


class Console:
    """A real ``faqbot console --json`` subprocess; stderr goes to a file.

    Args:
        data_dir: FAQBOT_DATA_DIR of the child (the unanswered log lives there).
        extra: More command-line arguments.
    """

    def __init__(self, data_dir: Path, *extra: str) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.stderr_path = data_dir / "stderr.log"
        self._stderr = self.stderr_path.open("wb")
        env = {**os.environ, "FAQBOT_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1",
               "PYTHONPATH": str(REPO)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "console", "--json", "--no-reload", *extra],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr,
            cwd=REPO, env=env,
        )
        self._lines: queue.Queue[bytes] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line)

    def send(self, line: bytes) -> None:
        """Write one input line."""
        assert self.process.stdin is not None
        self.process.stdin.write(line + b"\n")
        self.process.stdin.flush()

    def receive(self, timeout: float = 60.0) -> bytes:
        """Return the next output line (raises ``queue.Empty`` after ``timeout``)."""
        return self._lines.get(timeout=timeout)

    def pending(self) -> int:
        """Output lines received but not read yet."""
        return self._lines.qsize()

    def ask(self, message: dict, timeout: float = 60.0) -> dict:
        """Send a JSON message and return the reply line, parsed."""
        self.send(json.dumps(message).encode("utf-8"))
        return json.loads(self.receive(timeout))

    def stderr(self) -> str:
        """What the child wrote on stderr so far."""
        if not self._stderr.closed:
            self._stderr.flush()
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def close(self, timeout: float = 30.0) -> int:
        """Close stdin and wait for the child; return its exit code."""
        assert self.process.stdin is not None
        self.process.stdin.close()
        code = self.process.wait(timeout=timeout)
        self._stderr.close()
        return code
