"""Hostile input and broken files, this tree against the previous release, in one run.

Usage: ``python benchmarks/bench_hostile.py [--baseline REV] [--storm-seconds 30]
[--skip-baseline]``

For this tree and for the previous release (``--baseline``, checked out with
``git archive``), each through its own real ``faqbot`` subprocesses:

1. **Corpus**: every input of ``tests/data/hostile_inputs.yml`` through
   ``faqbot console --json``: reply time per input (goal: each within 1 s), and the inputs
   that got no reply, a traceback on stderr or the adapter's generic error.
2. **Bombs**: a "billion laughs" file, one 20,000-line examples block reused by 300
   intents (6 million examples), a 50 MB file and 10,000-deep nesting, each the only file
   of a knowledge base: wall time and peak memory of ``faqbot validate``, of console
   start-up, and of a hot reload into a running bot (goal: refused within 2 s under
   200 MB). The previous release runs under a 1.5 GiB address-space cap and a time limit.
3. **Reload storm**: for ``--storm-seconds``, valid edits, half-written files, invalid
   YAML and deleted-then-recreated files in a copy of the shipped knowledge base while
   questions keep coming: crashes, unanswered lines, replies from a half-written state,
   and how long the final valid edit takes to be served (goal: 0, 0, 0, within 2 s).
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

from benchlib import PREVIOUS_RELEASE, export_release, table  # noqa: E402
from hostile_corpus import load_corpus  # noqa: E402
from hostile_files import billion_laughs, deep_nesting, example_bomb, huge_file  # noqa: E402

GENERIC_ERROR = "Sorry, something went wrong on my side. Please try again."
REPLY_GOAL_S = 1.0
BOMB_LIMIT_S = 20.0
MEMORY_CAP = 1536 * 1024 * 1024
CEO_TEXT = "Arthur Mensch is the CEO of Mistral AI and the driving force behind its ambitions."
RELOAD_PROBE = r"""
import json, resource, shutil, sys, time
from pathlib import Path
sys.path.insert(0, ".")
from bot.config import load_config
from bot.dialog.engine import Engine, build_brain
from bot.kb.loader import load_knowledge_base
from bot.reload import KnowledgeReloader
kb_dir, bomb = Path(sys.argv[1]), Path(sys.argv[2])
engine = Engine(build_brain(load_knowledge_base(kb_dir)), load_config())
reloader = KnowledgeReloader(engine, kb_dir, on_result=lambda r: None)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
shutil.copy(bomb, kb_dir / "bomb.yml")
start = time.perf_counter()
result = reloader.reload("bench")
seconds = time.perf_counter() - start
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "ok": result.ok, "before_kb": before,
                  "after_kb": after, "message": result.message()[:300]}))
"""


def env_for(release: Path, data_dir: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(release), "FAQBOT_DATA_DIR": str(data_dir),
            "FAQBOT_CACHE_DIR": str(data_dir / "cache"), "PYTHONUNBUFFERED": "1"}


# -- 1. corpus ---------------------------------------------------------------------------
class JsonConsole:
    """A console subprocess of one release; stdout lines arrive through a queue."""

    def __init__(self, release: Path, data_dir: Path, *extra: str) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.stderr_path = data_dir / f"stderr-{time.monotonic_ns()}.log"
        self._stderr = self.stderr_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "console", "--json", *extra],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr,
            cwd=release, env=env_for(release, data_dir))
        self.lines: queue.Queue[bytes] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def ask(self, line: bytes, timeout: float) -> tuple[bytes | None, float]:
        """Send one line; return the reply line (None after ``timeout``) and the time."""
        assert self.process.stdin is not None
        start = time.perf_counter()
        try:
            self.process.stdin.write(line + b"\n")
            self.process.stdin.flush()
            reply = self.lines.get(timeout=timeout)
        except (queue.Empty, BrokenPipeError, OSError):
            reply = None
        return reply, time.perf_counter() - start

    def stderr(self) -> str:
        """What the console wrote on stderr so far."""
        self._stderr.flush()
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def close(self) -> int:
        """End the console (close stdin, wait); return its exit code."""
        try:
            assert self.process.stdin is not None
            self.process.stdin.close()
            return self.process.wait(timeout=30)
        except (subprocess.TimeoutExpired, OSError):
            self.process.kill()
            return self.process.wait()
        finally:
            self._stderr.close()


WARM_UP = b'{"sender": "warm-up", "text": "hello"}'


def corpus_console(release: Path, work: Path) -> JsonConsole:
    """Start a console and wait for its first reply (start-up is not a reply time)."""
    console = JsonConsole(release, work / "corpus", "--no-reload")
    console.ask(WARM_UP, timeout=60.0)
    return console


def run_corpus(release: Path, work: Path) -> dict:
    items = load_corpus()
    console = corpus_console(release, work)
    durations, lost, errors, tracebacks, bad_json = [], [], [], [], []
    seen_traceback = 0
    for item in items:
        reply, seconds = console.ask(item.line, timeout=10.0)
        if reply is None:
            lost.append(item.id)
            console.close()
            console = corpus_console(release, work)
            seen_traceback = 0
            continue
        durations.append((seconds, item.id))
        try:
            texts = [r["text"] for r in json.loads(reply.decode("utf-8"))["responses"]]
        except (ValueError, KeyError, UnicodeDecodeError):
            bad_json.append(item.id)
            texts = []
        if GENERIC_ERROR in texts:
            errors.append(item.id)
        count = console.stderr().count("Traceback")
        if count > seen_traceback:
            tracebacks.append(item.id)
            seen_traceback = count
    console.close()
    ordered = sorted(durations)
    return {
        "inputs": len(items),
        "lost": lost, "errors": errors, "tracebacks": tracebacks, "bad_json": bad_json,
        "p50_ms": 1000 * ordered[len(ordered) // 2][0] if ordered else float("nan"),
        "max_ms": 1000 * ordered[-1][0] if ordered else float("nan"),
        "slowest": ordered[-1][1] if ordered else "",
        "over_goal": sum(1 for s, _ in durations if s > REPLY_GOAL_S),
    }


# -- 2. bombs ----------------------------------------------------------------------------
def measured(command: list[str], cwd: Path, env: dict[str, str], limit: float,
             stdin: int | None = subprocess.DEVNULL) -> dict:
    """Run ``command`` capped at :data:`MEMORY_CAP`; return seconds, peak MB and outcome."""
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))

    out_path = Path(tempfile.mkstemp(prefix="bench-hostile-")[1])
    with out_path.open("wb") as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdin=stdin, stdout=out,
                                   stderr=subprocess.STDOUT, preexec_fn=cap)
        status, usage, timed_out = None, None, False
        while status is None:
            pid, code, rusage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                status, usage = code, rusage
            elif time.perf_counter() - start > limit:
                os.kill(process.pid, signal.SIGKILL)
                _, status, usage = os.wait4(process.pid, 0)
                timed_out = True
            else:
                time.sleep(0.01)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
    output = out_path.read_text(encoding="utf-8", errors="replace")
    out_path.unlink()
    return {"seconds": seconds, "peak_mb": usage.ru_maxrss / 1024, "timed_out": timed_out,
            "code": process.returncode, "output": output}


def make_bombs(into: Path) -> dict[str, Path]:
    makers = {
        "billion laughs (9 levels x 9)": billion_laughs,
        "6 million examples (one block, 300 intents)": example_bomb,
        "50 MB file": huge_file,
        "10,000-deep nesting": deep_nesting,
    }
    bombs = {}
    for number, (name, make) in enumerate(makers.items()):
        folder = into / f"bomb{number}"
        folder.mkdir(parents=True)
        bombs[name] = make(folder / "bomb.yml")
    return bombs


def outcome(result: dict, refused_when: str) -> str:
    if result["timed_out"]:
        return f"still running after {BOMB_LIMIT_S:.0f} s (killed)"
    if "MemoryError" in result["output"] or result["code"] == -signal.SIGKILL:
        return "out of memory at the 1.5 GiB cap"
    if "Traceback" in result["output"]:
        return "crashed (traceback)"
    return "refused" if refused_when in result["output"] else f"exit {result['code']}"


def run_bombs(release: Path, work: Path, bombs: dict[str, Path]) -> list[dict]:
    env = env_for(release, work / "bombs-data")
    rows = []
    for name, bomb in bombs.items():
        folder = str(bomb.parent)
        validate = measured([sys.executable, "-m", "bot", "validate", "--intents", folder,
                             "--no-rasa-schemas", "--no-confusion"], release, env,
                            BOMB_LIMIT_S)
        start = measured([sys.executable, "-m", "bot", "console", "--json", "--no-reload",
                          "--intents", folder], release, env, BOMB_LIMIT_S)
        kb_copy = work / f"reload-kb-{bomb.parent.name}"
        shutil.rmtree(kb_copy, ignore_errors=True)
        shutil.copytree(release / "intents", kb_copy)
        reload = measured([sys.executable, "-c", RELOAD_PROBE, str(kb_copy), str(bomb)],
                          release, env, BOMB_LIMIT_S)
        try:
            probe = json.loads(reload["output"].strip().splitlines()[-1])
        except (ValueError, IndexError):
            probe = None
        rows.append({"name": name, "validate": validate, "start": start,
                     "reload": reload, "probe": probe})
    return rows


# -- 3. reload storm ---------------------------------------------------------------------
class Storm:
    """Edits a knowledge base copy while a console answers; records what it served."""

    def __init__(self, release: Path, work: Path, seconds: float, seed: int = 7) -> None:
        self.kb = work / "storm-kb"
        shutil.rmtree(self.kb, ignore_errors=True)
        shutil.copytree(release / "intents", self.kb)
        self.responses = self.kb / "generated" / "mistral_ai.responses.yml"
        self.nlu = self.kb / "generated" / "mistral_ai.nlu.yml"
        self.smalltalk = self.kb / "curated" / "smalltalk.yml"
        self.original = {p: p.read_text(encoding="utf-8")
                         for p in (self.responses, self.nlu, self.smalltalk)}
        self.seconds = seconds
        self.random = random.Random(seed)
        self.versions = {CEO_TEXT}
        self.version = 0
        self.console = JsonConsole(release, work / "storm-data", "--intents", str(self.kb),
                                   "--reload-interval", "0.1")
        self.done = threading.Event()
        self.lock = threading.Lock()

    def write_version(self) -> str:
        """Write a new, whole CEO answer; return its text."""
        self.version += 1
        text = f"Arthur Mensch leads Mistral AI as its CEO (edit {self.version})."
        with self.lock:
            self.versions.add(text)
        content = self.original[self.responses].replace(CEO_TEXT, text)
        self.responses.write_text(content, encoding="utf-8")
        self.original_responses_now = content
        return text

    def edit(self) -> None:
        """Edit the files until :attr:`done` is set (the editor thread)."""
        self.original_responses_now = self.original[self.responses]
        while not self.done.is_set():
            kind = self.random.choice(["valid", "half", "invalid", "delete"])
            hold = self.random.choice([0.05, 0.2, 0.4, 0.8, 1.2])
            if kind == "valid":
                self.write_version()
                time.sleep(hold)
                continue
            path = self.random.choice([self.responses, self.nlu, self.smalltalk])
            whole = (self.original_responses_now if path == self.responses
                     else self.original[path])
            if kind == "half":
                path.write_text(whole[:len(whole) // 2], encoding="utf-8")
            elif kind == "invalid":
                path.write_text(whole + "\n  broken: [\n", encoding="utf-8")
            else:
                path.unlink()
            time.sleep(hold)
            path.write_text(whole, encoding="utf-8")
            time.sleep(0.05)

    def run(self) -> dict:
        """Ask questions during the storm, then time the final edit; return the figures."""
        asked = answered = half_served = 0
        bad: list[str] = []
        editor = threading.Thread(target=self.edit, daemon=True)
        self.console.ask(b'{"text": "/fact_ceo"}', timeout=30)
        funding, _ = self.console.ask(b'{"text": "/faq/funding"}', timeout=30)
        funding_text = json.loads(funding)["responses"][0]["text"] if funding else ""
        editor.start()
        deadline = time.monotonic() + self.seconds
        probes = [b'{"text": "/fact_ceo"}', b'{"text": "who is the ceo of mistral"}',
                  b'{"text": "/faq/funding"}']
        while time.monotonic() < deadline:
            line = probes[asked % len(probes)]
            asked += 1
            reply, _ = self.console.ask(line, timeout=10)
            if reply is None:
                bad.append("no reply")
                break
            answered += 1
            data = json.loads(reply)
            text = data["responses"][0]["text"] if data["responses"] else ""
            with self.lock:
                whole = text in self.versions if b"ceo" in line else text == funding_text
            if not whole:
                half_served += 1
                bad.append(text[:80])
        self.done.set()
        editor.join()
        final = self.write_version()
        start = time.monotonic()
        served_after = None
        while time.monotonic() - start < 10:
            reply, _ = self.console.ask(b'{"text": "/fact_ceo"}', timeout=10)
            if reply and json.loads(reply)["responses"][0]["text"] == final:
                served_after = time.monotonic() - start
                break
            time.sleep(0.05)
        stderr = self.console.stderr()
        code = self.console.close()
        return {"asked": asked, "answered": answered, "half_served": half_served,
                "examples_bad": bad[:3], "final_s": served_after, "exit": code,
                "tracebacks": stderr.count("Traceback"), "edits": self.version,
                "reloads": stderr.count("Reloaded the knowledge base"),
                "refused": stderr.count("Reload failed"),
                "held": stderr.count("Reload held back")}


# -- report ------------------------------------------------------------------------------
def fmt(result: dict) -> str:
    return f"{result['seconds']:.2f} s, {result['peak_mb']:.0f} MB"


def ids(names: list[str]) -> str:
    return f"{len(names)}" + (f" ({', '.join(names[:4])}{'...' if len(names) > 4 else ''})"
                              if names else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=PREVIOUS_RELEASE,
                        help="previous release (git revision)")
    parser.add_argument("--storm-seconds", type=float, default=30.0)
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as tmp:
        work = Path(tmp)
        releases = {"this tree": ROOT}
        if not args.skip_baseline:
            releases[f"previous ({args.baseline})"] = export_release(
                args.baseline, work / "baseline")
        bombs = make_bombs(work / "bombs")
        results = {}
        for name, path in releases.items():
            release_work = work / name.split()[0]
            results[name] = {
                "corpus": run_corpus(path, release_work),
                "bombs": run_bombs(path, release_work, bombs),
                "storm": Storm(path, release_work, args.storm_seconds).run(),
            }
    report(results, args)
    return 0


def report(results: dict, args: argparse.Namespace) -> None:
    command = "python benchmarks/bench_hostile.py" + (
        f" --storm-seconds {args.storm_seconds:g}" if args.storm_seconds != 30 else "")
    print("## Hostile input and broken files\n")
    print(f"`{command}`, this tree and the previous release side by side, each through its "
          "own `faqbot` subprocesses.\n")
    corpus_count = next(iter(results.values()))["corpus"]["inputs"]
    print(f"### Corpus: {corpus_count} hostile inputs through `faqbot console --json`\n")
    rows = []
    for name, result in results.items():
        c = result["corpus"]
        rows.append([name, ids(c["lost"]), ids(c["tracebacks"]), ids(c["errors"]),
                     ids(c["bad_json"]), f"{c['p50_ms']:.1f}", f"{c['max_ms']:.0f} "
                     f"({c['slowest']})", c["over_goal"]])
    print(table(["release", "no reply", "traceback", "generic error", "bad JSON", "p50 ms",
                 "max ms", f"> {REPLY_GOAL_S:g} s"], rows))
    names = list(results)
    if len(names) == 2:
        a, b = (results[n]["corpus"]["p50_ms"] for n in names)
        print(f"\np50 reply time ratio (this tree / previous): {a / b:.2f}")
    print("\n### Bombs: refusal time and peak memory (goal: within 2 s, under 200 MB)\n")
    rows = []
    for name, result in results.items():
        for bomb in result["bombs"]:
            probe = bomb["probe"]
            if probe is not None:
                reload = (f"{probe['seconds']:.2f} s, +"
                          f"{(probe['after_kb'] - probe['before_kb']) / 1024:.0f} MB "
                          f"({'refused' if not probe['ok'] else 'loaded'})")
            else:
                reload = f"{fmt(bomb['reload'])}: {outcome(bomb['reload'], 'Reload failed')}"
            rows.append([name, bomb["name"],
                         f"{fmt(bomb['validate'])}: {outcome(bomb['validate'], 'error')}",
                         f"{fmt(bomb['start'])}: "
                         f"{outcome(bomb['start'], 'cannot load knowledge base')}",
                         reload])
    print(table(["release", "file", "faqbot validate", "console start-up",
                 "hot reload into a running bot (time, peak growth)"], rows))
    print(f"\nThe previous release runs under a {MEMORY_CAP // 2**20} MiB address-space cap "
          f"and is killed after {BOMB_LIMIT_S:.0f} s.")
    print(f"\n### Reload storm ({args.storm_seconds:g} s of edits while questions keep "
          "coming)\n")
    rows = []
    for name, result in results.items():
        s = result["storm"]
        final = f"{s['final_s']:.2f}" if s["final_s"] is not None else "not served in 10 s"
        rows.append([name, s["edits"], s["asked"], s["asked"] - s["answered"],
                     s["half_served"], s["tracebacks"], s["reloads"], s["refused"],
                     s["held"], final])
    print(table(["release", "valid edits", "questions", "unanswered", "half-written state "
                 "served", "tracebacks", "reloads", "refused", "held back",
                 "final edit served after s"], rows))
    print("\nEdits: a new answer text (valid), the first half of a file, a file with a "
          "broken line appended, a deleted file, each held 0.05-1.2 s before the whole file "
          "is back. A reply to a CEO question that is not one of the answer texts written "
          "whole counts as half-written state served.")


if __name__ == "__main__":
    sys.exit(main())
