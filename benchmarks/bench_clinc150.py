"""CLINC150 with the paper's oos-threshold protocol, side by side with two peers.

Usage: ``python benchmarks/bench_clinc150.py [--data FILE] [--no-sklearn]``

The knowledge base is the train split written as Rasa YAML and read by the normal
loader (150 intents, 15,000 examples). For each matcher, a query is out-of-scope when
its top confidence is below a threshold t, and t is chosen to maximise 151-way accuracy
on val + oos_val (out-of-scope is its own class). Printed: in-scope accuracy and OOS
recall on validation at that t, p50/p99 latency per message, build time. Peers: the naive
rapidfuzz 1-NN (``process.extractOne`` with ``fuzz.ratio``) and word+char TF-IDF with
logistic regression (scikit-learn, the ``bench`` extra). Also printed: what our matcher
does with the default thresholds of ``bot/default_config.yml``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import NaivePeer, percentiles_ms, table, timed  # noqa: E402
from clinc_kb import DEFAULT_DATA, OOS, load_splits, write_kb  # noqa: E402

from bot.config import load_config  # noqa: E402
from bot.dialog.decision import ANSWER, SUGGEST, decide  # noqa: E402
from bot.kb.loader import load_knowledge_base  # noqa: E402
from bot.nlu.matcher import build_matcher  # noqa: E402

PUBLISHED = "Rasa 90.9/31.2, DialogFlow 90.8/26.7, MLP 93.4/49.1, BERT-large 96.2/52.3 (test)"


def oos_threshold(predicted: list[str], confidence: list[float], truth: list[str]) -> dict:
    """Tune t on the given queries (151-way accuracy) and return the figures at t."""
    pred = np.asarray(predicted, dtype=object)
    conf = np.asarray(confidence, dtype=float)
    gold = np.asarray(truth, dtype=object)
    inscope = gold != OOS
    candidates = np.unique(np.concatenate([conf, [0.0, conf.max() + 1e-9]]))
    best = None
    for t in candidates:
        final = np.where(conf >= t, pred, OOS)
        accuracy = float((final == gold).mean())
        if best is None or accuracy > best[0]:
            best = (accuracy, float(t), final)
    accuracy, t, final = best
    return {
        "threshold": t,
        "acc151": accuracy,
        "inscope": float((final[inscope] == gold[inscope]).mean()),
        "oos_recall": float((final[~inscope] == OOS).mean()),
        "raw_inscope": float((pred[inscope] == gold[inscope]).mean()),
    }


def run_ours(kb_dir: Path, queries: list[str]) -> dict:
    kb = load_knowledge_base(kb_dir)
    start = time.perf_counter()
    matcher = build_matcher(kb, use_cache=False)
    build = time.perf_counter() - start
    matcher.rank(queries[0])
    rankings, durations = timed(matcher.rank, queries)
    return {"build": build, "durations": durations, "rankings": rankings,
            "pred": [r[0].name if r else OOS for r in rankings],
            "conf": [r[0].confidence if r else 0.0 for r in rankings]}


def run_naive(train: list[tuple[str, str]], queries: list[str]) -> dict:
    start = time.perf_counter()
    peer = NaivePeer(train)
    build = time.perf_counter() - start
    results, durations = timed(peer.predict, queries)
    return {"build": build, "durations": durations, "pred": [r[0] for r in results],
            "conf": [r[1] for r in results]}


def run_sklearn(train: list[tuple[str, str]], queries: list[str]) -> dict | None:
    try:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline, make_union
    except ImportError:
        print("scikit-learn is not installed (pip install -e '.[bench]'): TF-IDF+LR skipped")
        return None
    start = time.perf_counter()
    model = make_pipeline(
        make_union(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
                   TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
        LogisticRegression(C=10, max_iter=300),
    )
    model.fit([t for t, _ in train], [i for _, i in train])
    build = time.perf_counter() - start
    classes = model.classes_

    def predict(text: str) -> tuple[str, float]:
        probabilities = model.predict_proba([text])[0]
        best = int(probabilities.argmax())
        return str(classes[best]), float(probabilities[best])

    results, durations = timed(predict, queries)
    return {"build": build, "durations": durations, "pred": [r[0] for r in results],
            "conf": [r[1] for r in results]}


def default_threshold_behaviour(rankings: list, truth: list[str]) -> list[list[object]]:
    """Return rows: what the default decision does with in-scope and OOS queries."""
    config = load_config().nlu
    counts = {"in": [0, 0, 0, 0], "oos": [0, 0, 0, 0]}
    for ranking, gold in zip(rankings, truth, strict=True):
        decision = decide(ranking, config)
        key = "oos" if gold == OOS else "in"
        if decision.kind == ANSWER:
            counts[key][0 if decision.intent.name == gold else 1] += 1
        elif decision.kind == SUGGEST:
            counts[key][2] += 1
        else:
            counts[key][3] += 1
    rows = []
    for key, label in (("in", "in-scope (val)"), ("oos", "out-of-scope (oos_val)")):
        total = sum(counts[key])
        rows.append([label, *(f"{100 * c / total:.1f}%" for c in counts[key]), total])
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="CLINC150 oos-threshold benchmark")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--no-sklearn", action="store_true", help="skip the TF-IDF+LR peer")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        print(f"CLINC150 data not found at {args.data}; skipped")
        return 0
    splits = load_splits(args.data)
    train = [p for p in splits["train"] if p[1] != OOS]
    evaluation = splits["val"] + splits["oos_val"]
    queries = [t for t, _ in evaluation]
    truth = [i for _, i in evaluation]
    with tempfile.TemporaryDirectory() as tmp:
        kb_dir = write_kb(Path(tmp) / "clinc150", train)
        results = {"faqbot matcher": run_ours(kb_dir, queries)}
    results["naive rapidfuzz 1-NN"] = run_naive(train, queries)
    if not args.no_sklearn:
        sk = run_sklearn(train, queries)
        if sk is not None:
            results["TF-IDF + LR (sklearn)"] = sk
    print(f"CLINC150 full: KB from train ({len(train)} examples, 150 intents); threshold "
          f"tuned on val + oos_val ({len(evaluation)} queries); validation figures.")
    rows = []
    figures = {}
    for name, result in results.items():
        metrics = oos_threshold(result["pred"], result["conf"], truth)
        p50, p99 = percentiles_ms(result["durations"])
        figures[name] = (metrics, p50)
        rows.append([name, f"{100 * metrics['inscope']:.1f}", f"{100 * metrics['oos_recall']:.1f}",
                     f"{100 * metrics['raw_inscope']:.1f}", f"{metrics['threshold']:.3f}",
                     f"{p50:.3f}", f"{p99:.3f}", f"{result['build']:.2f}"])
    print(table(["matcher", "in-scope acc %", "OOS recall %", "top-1 in-scope %",
                 "threshold", "p50 ms", "p99 ms", "build s"], rows))
    ours, our_p50 = figures["faqbot matcher"]
    for name, (metrics, p50) in figures.items():
        if name == "faqbot matcher":
            continue
        print(f"vs {name}: in-scope {100 * (ours['inscope'] - metrics['inscope']):+.1f} pts, "
              f"OOS recall {100 * (ours['oos_recall'] - metrics['oos_recall']):+.1f} pts, "
              f"p50 latency x{our_p50 / p50:.2f} ({p50 / our_p50:.1f} times faster)")
    print(f"published (test split, oos-threshold): {PUBLISHED}")
    print("\nfaqbot matcher with the default thresholds (bot/default_config.yml):")
    print(table(["queries", "answered right", "answered wrong", "did-you-mean", "fallback",
                 "n"], default_threshold_behaviour(results["faqbot matcher"]["rankings"],
                                                   truth)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
