"""The semantic signal (``nlu.semantic``) against the lexical matcher alone, in one run.

Usage: ``python benchmarks/bench_semantic.py [--no-clinc] [--sweep]``

Needs the ``semantic`` extra and its model (``make semantic``); without them it says so
and exits 0. Printed, each with and without the semantic signal:

1. CLINC150 validation with the oos-threshold protocol of ``bench_clinc150.py`` (a query
   is out-of-scope when its top confidence is below t, t tuned for 151-way accuracy on
   val + oos_val): in-scope accuracy, OOS recall, p50/p99 latency of ``rank``.
2. ``../shared/data/mistral_questions/dev.yml`` through the engine on the shipped knowledge
   base with the default thresholds (:mod:`bot.evaluation.cases`): right / refused / wrong
   per category, and the in-scope questions answered right; p50/p99 of ``rank``.
3. Start-up on the shipped knowledge base, each in a fresh subprocess: time to build the
   brain with an empty and with a warm cache, and the process's peak memory.

``--sweep`` also prints the fused figures over a grid of the two fusion settings (lexical
weight and similarity floor) on both sets: the table the defaults were chosen from.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_clinc150 import oos_threshold  # noqa: E402
from benchlib import percentiles_ms, table  # noqa: E402
from clinc_kb import DEFAULT_DATA, OOS, load_splits, write_kb  # noqa: E402

from bot.commands.common import build_engine  # noqa: E402
from bot.dialog.engine import Engine  # noqa: E402
from bot.evaluation.cases import RIGHT, CaseReport, engine_asker, load_cases, run_cases  # noqa: E402
from bot.kb.loader import load_knowledge_base  # noqa: E402
from bot.nlu import semantic  # noqa: E402
from bot.nlu.matcher import build_matcher  # noqa: E402
from bot.nlu.semantic.fused import FusedMatcher, FusionSettings  # noqa: E402

DEV = ROOT.parent / "shared" / "data" / "mistral_questions" / "dev.yml"
INTENTS = ROOT / "intents"
WEIGHTS = (0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)
FLOORS = (0.0, 0.1, 0.2, 0.3)

# Runs in a fresh interpreter: build the shipped brain in one mode, report time and memory.
STARTUP_PROBE = r"""
import json, sys, time
start = time.perf_counter()
from bot.dialog.engine import build_brain
from bot.kb.loader import load_knowledge_base
from bot.nlu import semantic
semantic.configure(sys.argv[2])
brain = build_brain(load_knowledge_base(sys.argv[1]))
brain.matcher.rank("who runs the company")
seconds = time.perf_counter() - start
status = dict(line.split(":", 1) for line in open("/proc/self/status"))
print(json.dumps({"seconds": seconds, "peak_mb": int(status["VmHWM"].split()[0]) / 1024,
                  "fused": hasattr(brain.matcher, "index")}))
"""


def timed(function, texts: list[str]) -> tuple[list, list[float], list[float]]:
    """Call ``function`` on each text; return results, wall and CPU seconds of each call.

    CPU time (all threads of this process) is the figure that other processes on the
    machine disturb least.
    """
    results, wall, cpu = [], [], []
    for text in texts:
        start, start_cpu = time.perf_counter(), time.process_time()
        results.append(function(text))
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return results, wall, cpu


def fresh(matcher):
    """Return a copy of a fused matcher with an empty embedding cache (for timing)."""
    if isinstance(matcher, FusedMatcher):
        return FusedMatcher(matcher.lexical, matcher.index, matcher.encoder, matcher.settings)
    return matcher


def fused_vectors(matcher: FusedMatcher, text: str) -> tuple[np.ndarray, np.ndarray]:
    """Return the lexical confidences and rescaled similarities (floor 0) of every intent."""
    position = {name: i for i, name in enumerate(matcher.index.intents)}
    lexical = np.zeros(len(position))
    for score in matcher.lexical.rank(text, limit=len(position)):
        lexical[position[score.name]] = score.confidence
    cosine = matcher.index.similarity(matcher._embed(" ".join(text.split())))  # noqa: SLF001
    return lexical, cosine


def fuse(lexical: np.ndarray, cosine: np.ndarray, weight: float, floor: float) -> np.ndarray:
    """The fused confidence of :class:`FusedMatcher`, for many queries at once."""
    similarity = np.clip((cosine - floor) / (1.0 - floor), 0.0, 1.0)
    return weight * lexical + (1.0 - weight) * similarity


def clinc(sweep: bool) -> dict[str, dict] | None:
    """Return CLINC150 figures for the lexical and the fused matcher (and the sweep)."""
    if not DEFAULT_DATA.is_file():
        print(f"CLINC150 data not found at {DEFAULT_DATA}; skipped")
        return None
    splits = load_splits(DEFAULT_DATA)
    train = [p for p in splits["train"] if p[1] != OOS]
    evaluation = splits["val"] + splits["oos_val"]
    queries = [t for t, _ in evaluation]
    truth = [i for _, i in evaluation]
    with tempfile.TemporaryDirectory() as tmp:
        kb = load_knowledge_base(write_kb(Path(tmp) / "clinc150", train))
    lexical = build_matcher(kb)
    start = time.perf_counter()
    fused = semantic.with_semantic(lexical, kb, "on")
    embed_seconds = time.perf_counter() - start
    assert isinstance(fused, FusedMatcher)
    results = {}
    for name, matcher in (("lexical", lexical), ("lexical + semantic", fused)):
        matcher.rank("warm up")
        rankings, durations, cpu = timed(matcher.rank, queries)
        metrics = oos_threshold([r[0].name if r else OOS for r in rankings],
                                [r[0].confidence if r else 0.0 for r in rankings], truth)
        metrics["p50"], metrics["p99"] = percentiles_ms(durations)
        metrics["cpu50"] = percentiles_ms(cpu)[0]
        results[name] = metrics
    results["index seconds"] = embed_seconds
    if sweep:
        vectors = [fused_vectors(fused, q) for q in queries]
        lexical_matrix = np.array([v[0] for v in vectors])
        cosine_matrix = np.array([v[1] for v in vectors])
        names = np.array(fused.index.intents, dtype=object)
        grid = {}
        for weight in WEIGHTS:
            for floor in FLOORS:
                scores = fuse(lexical_matrix, cosine_matrix, weight, floor)
                best = scores.argmax(axis=1)
                grid[(weight, floor)] = oos_threshold(
                    list(names[best]), list(scores[np.arange(len(best)), best]), truth)
        results["sweep"] = grid
    return results


def dev_engines(folder: Path) -> dict[str, Engine]:
    """Return an engine on the shipped knowledge base per mode, as ``faqbot`` builds it."""
    engines = {}
    for name, mode in (("lexical", "off"), ("lexical + semantic", "on")):
        config = folder / f"semantic-{mode}.yml"
        config.write_text(f"nlu:\n  semantic: {mode}\n", encoding="utf-8")
        engines[name] = build_engine(argparse.Namespace(intents=INTENTS, config=config,
                                                        endpoints=None))
    return engines


def dev_report(engine: Engine) -> CaseReport:
    ask, reset = engine_asker(engine)
    return run_cases(load_cases(DEV), ask, reset)


def dev_sweep(engine: Engine) -> dict[tuple[float, float], CaseReport]:
    """Return the dev.yml report of the fused engine for each grid point."""
    brain = engine.brain
    fused = brain.matcher
    assert isinstance(fused, FusedMatcher)
    reports = {}
    try:
        for weight in WEIGHTS:
            for floor in FLOORS:
                matcher = FusedMatcher(fused.lexical, fused.index, fused.encoder,
                                       FusionSettings(weight, floor))
                engine.swap(dataclasses.replace(brain, matcher=matcher))
                reports[(weight, floor)] = dev_report(engine)
    finally:
        engine.swap(brain)
    return reports


def startup(mode: str, cache: Path) -> dict:
    """Build the shipped brain in a fresh interpreter; return its time and peak memory."""
    env = {"FAQBOT_CACHE_DIR": str(cache), "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", STARTUP_PROBE, str(INTENTS), mode],
                            cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-clinc", action="store_true", help="skip CLINC150")
    parser.add_argument("--sweep", action="store_true", help="print the tuning grid too")
    args = parser.parse_args(argv)
    print("## Semantic signal: lexical matcher alone vs fused with sentence embeddings\n")
    try:
        semantic.load_encoder()
    except semantic.ModelError as exc:
        print(f"Skipped: the semantic extra is not installed ({exc}).")
        return 0
    settings = FusionSettings()
    print(f"Model all-MiniLM-L6-v2 (int8 ONNX, onnxruntime); fused confidence = "
          f"{settings.lexical_weight} x lexical + {1 - settings.lexical_weight:.2f} x "
          f"similarity (floor {settings.similarity_floor}).\n")

    figures = None if args.no_clinc else clinc(args.sweep)
    if figures:
        print("### CLINC150 validation, oos-threshold protocol\n")
        rows = [[name, f"{100 * m['inscope']:.2f}", f"{100 * m['oos_recall']:.1f}",
                 f"{m['threshold']:.3f}", f"{m['p50']:.2f}", f"{m['p99']:.2f}",
                 f"{m['cpu50']:.2f}"]
                for name, m in figures.items() if isinstance(m, dict) and "inscope" in m]
        print(table(["matcher", "in-scope acc %", "OOS recall %", "threshold", "p50 ms",
                     "p99 ms", "CPU p50 ms"], rows))
        new, old = figures["lexical + semantic"], figures["lexical"]
        print(f"\nsemantic signal: in-scope {100 * (new['inscope'] - old['inscope']):+.2f} pts, "
              f"OOS recall {100 * (new['oos_recall'] - old['oos_recall']):+.1f} pts, "
              f"p50 x{new['p50'] / old['p50']:.2f}; the example embeddings took "
              f"{figures['index seconds']:.1f} s (computed, or read from the cache)\n")

    if DEV.is_file():
        engines = dev_engines(Path(tempfile.mkdtemp(prefix="bench-semantic-")))
        reports = {name: dev_report(engine) for name, engine in engines.items()}
        names = list(reports)
        print(f"### `{DEV.relative_to(ROOT.parent)}` through the engine, default thresholds\n")
        rows = []
        for category, score in reports[names[0]].by_category().items():
            rows.append([category, score.total, *(
                "{0.right} / {0.refused} / {0.wrong}".format(reports[n].by_category()[category])
                for n in names)])
        print(table(["category", "n", *(f"{n}: right / refused / wrong" for n in names)], rows))
        print()
        rows = []
        for group in ("in_scope", "must_refuse", "smalltalk", "context", "all"):
            scores = [reports[n].summary()[group] for n in names]
            rows.append([group, scores[0].total, *(
                f"{100 * s.share(RIGHT):.1f} % right, {s.wrong} wrong" for s in scores)])
        print(table(["group", "turns", *names], rows))
        texts = [t.turn.text for t in reports[names[0]].turns]
        rows = []
        for name, engine in engines.items():
            matcher = fresh(engine.brain.matcher)
            matcher.rank("warm up")
            _, durations, cpu = timed(matcher.rank, texts)
            p50, p99 = percentiles_ms(durations)
            rows.append([name, f"{p50:.2f}", f"{p99:.2f}", f"{percentiles_ms(cpu)[0]:.2f}"])
        print("\n`rank` latency per dev.yml message on the shipped knowledge base (each "
              "message embedded afresh):\n")
        print(table(["matcher", "p50 ms", "p99 ms", "CPU p50 ms"], rows))
        lost = [t.turn.text for t, u in zip(reports[names[0]].turns, reports[names[1]].turns,
                                             strict=True)
                if t.verdict == RIGHT and u.verdict != RIGHT]
        print(f"\nturns right without the semantic signal but not with it: {len(lost)}"
              + "".join(f"\n- {text!r}" for text in lost))
        if args.sweep:
            print("\n### Tuning grid (fused matcher)\n")
            grid = dev_sweep(engines["lexical + semantic"])
            rows = []
            for key, report in grid.items():
                summary = report.summary()
                row = [key[0], key[1], f"{100 * summary['in_scope'].share(RIGHT):.1f}",
                       f"{100 * summary['must_refuse'].share(RIGHT):.1f}",
                       report.wrong_confident]
                if figures and "sweep" in figures:
                    m = figures["sweep"][key]
                    row += [f"{100 * m['inscope']:.2f}", f"{100 * m['oos_recall']:.1f}"]
                rows.append(row)
            print(table(["weight", "floor", "dev in-scope right %", "dev must-refuse right %",
                         "dev wrong", "CLINC in-scope %", "CLINC OOS %"], rows))

    print("\n### Start-up on the shipped knowledge base (fresh interpreter each)\n")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for mode, name in (("off", "lexical"), ("on", "lexical + semantic")):
            cache = Path(tmp) / mode
            cold = startup(mode, cache)
            warm = startup(mode, cache)
            rows.append([name, f"{cold['seconds']:.2f}", f"{warm['seconds']:.2f}",
                         f"{warm['peak_mb']:.0f}"])
    print(table(["matcher", "empty cache s", "warm cache s", "peak RSS MB (warm)"], rows))
    load = os.getloadavg()
    print(f"\n(load average during the run: {load[0]:.1f} on {os.cpu_count()} cores; wall-clock "
          "latencies grow with it, CPU times much less)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
