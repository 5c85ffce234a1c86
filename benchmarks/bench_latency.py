"""Latency, build time, cold start and memory, on the shipped KB and on CLINC150.

Usage: ``python benchmarks/bench_latency.py [--data FILE]``

- per-message latency p50/p99 of the matcher (``rank``) and of the naive peer
  (``rapidfuzz.process.extractOne`` over all examples, ``fuzz.ratio``);
- knowledge-base build time: loading the YAML, fitting the matcher (cold, no cache) and
  loading it from the on-disk cache (what a restart on an unchanged KB costs);
- cold start to the first reply of a real ``python -m bot console --json`` subprocess,
  with an empty cache and with a warm one, and the subprocess's peak memory (max RSS).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import NaivePeer, percentiles_ms, table, timed  # noqa: E402
from clinc_kb import DEFAULT_DATA, OOS, load_splits, write_kb  # noqa: E402

from bot.kb.loader import load_knowledge_base  # noqa: E402
from bot.nlu.matcher import build_matcher  # noqa: E402

OFF_TOPIC = ["what's the weather in paris", "who won the world cup in 2018",
             "give me a recipe for crepes", "how do i reset my password"]


def kb_queries(kb) -> list[str]:
    """Every example of the KB, lower-cased with one letter dropped, plus off-topic ones."""
    queries = []
    for name in kb.answerable_intents():
        for example in kb.intents[name].examples:
            text = example.text.lower()
            middle = len(text) // 2
            queries.append(text[:middle] + text[middle + 1 :] if len(text) > 6 else text)
    return queries + OFF_TOPIC


def measure_kb(label: str, kb_dir: Path, queries: list[str] | None) -> list[list[object]]:
    """Return table rows for one knowledge base."""
    start = time.perf_counter()
    kb = load_knowledge_base(kb_dir)
    load = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as cache:
        start = time.perf_counter()
        matcher = build_matcher(kb, cache_dir=Path(cache))
        cold = time.perf_counter() - start
        start = time.perf_counter()
        matcher = build_matcher(kb, cache_dir=Path(cache))
        cached = time.perf_counter() - start
    queries = queries or kb_queries(kb)
    pairs = [(e.text, n) for n in kb.answerable_intents() for e in kb.intents[n].examples]
    peer = NaivePeer(pairs)
    matcher.rank(queries[0])
    _, ours = timed(matcher.rank, queries)
    _, naive = timed(peer.predict, queries)
    p50, p99 = percentiles_ms(ours)
    n50, n99 = percentiles_ms(naive)
    return [[f"{label}: faqbot matcher", len(pairs), len(queries), f"{p50:.3f}", f"{p99:.3f}",
             f"{load:.2f}", f"{cold:.2f}", f"{cached:.3f}"],
            [f"{label}: naive extractOne", len(pairs), len(queries), f"{n50:.3f}",
             f"{n99:.3f}", f"{load:.2f}", "-", "-"]]


def peak_rss_mb(pid: int) -> float:
    """Return a live process's peak resident memory (Linux ``VmHWM``), in MB; 0 if unknown."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except (OSError, ValueError, IndexError):
        pass
    return 0.0


def console_start(kb_dir: Path | None, cache: Path) -> tuple[float, float, str]:
    """Start the JSON console, send one question; return (seconds, max RSS MB, intent)."""
    command = [sys.executable, "-m", "bot", "console", "--json", "--no-reload", "--no-log"]
    if kb_dir is not None:
        command += ["--intents", str(kb_dir)]
    env = dict(os.environ, FAQBOT_CACHE_DIR=str(cache), NO_COLOR="1")
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO, env=env, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(json.dumps({"text": "who is the ceo"}) + "\n")
    process.stdin.flush()
    line = process.stdout.readline()
    elapsed = time.perf_counter() - start
    peak = peak_rss_mb(process.pid)
    process.stdin.close()
    process.wait(timeout=30)
    try:
        intent = json.loads(line)["intent"]["name"]
    except (ValueError, KeyError, TypeError):
        intent = f"no reply ({line[:60]!r})"
    return elapsed, peak, intent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="latency and build-time benchmark")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args(argv)
    rows = measure_kb("shipped KB", REPO / "intents", None)
    with tempfile.TemporaryDirectory() as tmp:
        clinc_dir = None
        if args.data.is_file():
            splits = load_splits(args.data)
            clinc_dir = write_kb(Path(tmp) / "clinc150", splits["train"])
            queries = [t for t, _ in splits["val"] + splits["oos_val"]]
            rows += measure_kb("CLINC150", clinc_dir, queries)
        else:
            print(f"CLINC150 data not found at {args.data}; CLINC rows skipped")
        print("Per-message latency (after one warm-up query) and KB build time.")
        print(table(["knowledge base / matcher", "examples", "queries", "p50 ms", "p99 ms",
                     "YAML load s", "fit s (cold)", "cached build s"], rows))
        start_rows = []
        for label, kb_dir in (("shipped KB", None), ("CLINC150", clinc_dir)):
            if label == "CLINC150" and kb_dir is None:
                continue
            with tempfile.TemporaryDirectory() as cache:
                for state in ("empty cache", "warm cache"):
                    seconds, rss, intent = console_start(kb_dir, Path(cache))
                    start_rows.append([label, state, f"{seconds:.2f}", f"{rss:.0f}", intent])
        print("\nCold start: `python -m bot console --json`, spawn to first reply.")
        print(table(["knowledge base", "matcher cache", "first reply s", "peak RSS MB",
                     "intent"], start_rows))
    print(f"\n(out-of-scope label in CLINC150 is {OOS!r}; its queries are included above)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
