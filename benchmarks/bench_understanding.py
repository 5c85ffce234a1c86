"""How well the bot understands people: the development questions and CLINC150, two releases.

Usage: ``python benchmarks/bench_understanding.py [--baseline REV] [--no-clinc]``

For this tree and for the previous release (``--baseline``, a git revision checked out into
a temporary directory with ``git archive``), in the same run:

1. ``../shared/data/mistral_questions/dev.yml`` through a real ``faqbot console --json``
   subprocess on that release's shipped knowledge base: per category answered right,
   refused and wrong, and the wrong confident answers (:mod:`bot.evaluation.cases`).
2. CLINC150 validation with the oos-threshold protocol (as ``bench_clinc150.py``), the
   release's matcher on the train split, with p50 latency per message.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from benchlib import PREVIOUS_RELEASE, releases, table  # noqa: E402

from bot.evaluation.cases import (  # noqa: E402
    REFUSED,
    RIGHT,
    WRONG,
    CaseReport,
    ConsoleAsker,
    load_cases,
    run_cases,
)

DEV = ROOT.parent / "shared" / "data" / "mistral_questions" / "dev.yml"

# Runs inside a release's directory, with that release's ``bot`` first on sys.path.
CLINC_PROBE = r"""
import json, sys, time, tempfile
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from clinc_kb import OOS, load_splits, write_kb
from bot.kb.loader import load_knowledge_base
from bot.nlu.matcher import build_matcher
splits = load_splits(Path(sys.argv[2]))
train = [p for p in splits["train"] if p[1] != OOS]
evaluation = splits["val"] + splits["oos_val"]
with tempfile.TemporaryDirectory() as tmp:
    kb = load_knowledge_base(write_kb(Path(tmp) / "kb", train))
matcher = build_matcher(kb, use_cache=False)
pred, conf, durations = [], [], []
for text, _ in evaluation:
    start = time.perf_counter()
    ranking = matcher.rank(text)
    durations.append(time.perf_counter() - start)
    pred.append(ranking[0].name if ranking else OOS)
    conf.append(ranking[0].confidence if ranking else 0.0)
json.dump({"pred": pred, "conf": conf, "truth": [i for _, i in evaluation],
           "durations": durations}, sys.stdout)
"""


def dev_report(release: Path) -> CaseReport:
    """Run dev.yml through the release's console on its shipped knowledge base."""
    with ConsoleAsker(python=sys.executable, cwd=release) as asker:
        return run_cases(load_cases(DEV), asker)


def clinc_figures(release: Path) -> dict[str, float] | None:
    """Return the release's CLINC150 val figures (oos-threshold protocol), or None."""
    from bench_clinc150 import oos_threshold
    from clinc_kb import DEFAULT_DATA

    if not DEFAULT_DATA.is_file():
        return None
    result = subprocess.run(
        [sys.executable, "-c", CLINC_PROBE, str(ROOT / "benchmarks"), str(DEFAULT_DATA)],
        cwd=release, capture_output=True, text=True, check=True,
    )
    data = json.loads(result.stdout)
    metrics = oos_threshold(data["pred"], data["conf"], data["truth"])
    durations = sorted(data["durations"])
    metrics["p50_ms"] = 1000 * durations[len(durations) // 2]
    return metrics


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}" if whole else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", default=PREVIOUS_RELEASE,
                        help="previous release (git revision)")
    parser.add_argument("--no-clinc", action="store_true", help="skip CLINC150")
    args = parser.parse_args(argv)
    if not DEV.is_file():
        print(f"{DEV} not found; skipped")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        compared = releases(args.baseline, Path(tmp))
        reports: dict[str, CaseReport] = {}
        clinc: dict[str, dict | None] = {}
        for name, path in compared.items():
            start = time.perf_counter()
            reports[name] = dev_report(path)
            seconds = time.perf_counter() - start
            print(f"{name}: dev.yml through the console in {seconds:.1f} s", file=sys.stderr)
            if not args.no_clinc:
                clinc[name] = clinc_figures(path)
    names = list(reports)
    print("## Understanding: development questions and CLINC150\n")
    print(f"`{DEV.relative_to(ROOT.parent)}` through `faqbot console --json` on each release's "
          f"shipped knowledge base (right / refused / wrong per category):\n")
    categories = list(reports[names[0]].by_category())
    rows = []
    for category in categories:
        row = [category, reports[names[0]].by_category()[category].total]
        for name in names:
            score = reports[name].by_category().get(category)
            row.append(f"{score.right} / {score.refused} / {score.wrong}" if score else "-")
        rows.append(row)
    print(table(["category", "n", *names], rows))
    print()
    rows = []
    for group in ("in_scope", "must_refuse", "smalltalk", "context", "all"):
        row = [group, reports[names[0]].summary()[group].total]
        for name in names:
            score = reports[name].summary()[group]
            row.append(f"{percent(score.right, score.total)} % right, "
                       f"{percent(score.wrong, score.total)} % wrong")
        rows.append(row)
    rows.append(["wrong confident answers", len(reports[names[0]].turns),
                 *(f"{reports[n].wrong_confident} ({percent(reports[n].wrong_confident, len(reports[n].turns))} %)"  # noqa: E501
                   for n in names)])
    print(table(["group", "turns", *names], rows))
    if clinc:
        print("\nCLINC150 validation, oos-threshold protocol "
              "(threshold tuned on val + oos_val):\n")
        rows = []
        for name in names:
            metrics = clinc.get(name)
            if metrics is None:
                continue
            rows.append([name, f"{100 * metrics['inscope']:.2f}",
                         f"{100 * metrics['oos_recall']:.1f}", f"{metrics['p50_ms']:.3f}"])
        print(table(["release", "in-scope acc %", "OOS recall %", "p50 ms"], rows))
    if len(names) == 2:
        new, old = (reports[n].summary()["in_scope"] for n in names)
        print(f"\nin-scope answered right: {new.right} vs {old.right} "
              f"({percent(new.right, new.total)} % vs {percent(old.right, old.total)} %)")
    print(f"\n(verdicts: {RIGHT}, {REFUSED}, {WRONG}; see bot/evaluation/cases.py)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
