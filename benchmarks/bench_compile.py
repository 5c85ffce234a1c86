"""How well compiled knowledge bases answer: each development article and the shipped seed.

Usage: ``python benchmarks/bench_compile.py [--baseline REV]``

For this tree's compiler and the previous one (``--baseline``, a git revision checked out
into a temporary directory with ``git archive`` and run from there), in the same run, each
document is compiled alone with no curated files into a temporary folder:

* every article of ``../shared/data/articles`` (``NAME.txt`` / ``NAME.md``), then its
  ``NAME_cases.yml``;
* the shipped seed ``seeds/mistral_ai.md``, then ``../shared/data/mistral_questions/dev.yml``.

The cases go through a real ``faqbot console --json`` subprocess of this tree on the
compiled folder (:mod:`bot.evaluation.cases`), so both compilers are judged by the same
engine. Printed per document and compiler: answered right (in-scope questions), near
misses refused, off-topic refused, intents and examples generated, self-test collisions
and generated questions the engine does not answer (this compiler only) and the compile
time (the whole ``faqbot compile`` command, self-test included).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from benchlib import PREVIOUS_RELEASE, releases, table  # noqa: E402

from bot.evaluation.cases import RIGHT, CaseReport, ConsoleAsker, load_cases, run_cases  # noqa: E402

ARTICLES = ROOT.parent / "shared" / "data" / "articles"
DEV = ROOT.parent / "shared" / "data" / "mistral_questions" / "dev.yml"
SEED = ROOT / "seeds" / "mistral_ai.md"
_SUMMARY = re.compile(r"(\d+) intents, (\d+) examples")
_SELF_TEST = re.compile(r"self-test: .*?; (\d+) collisions, (\d+) not answered")


@dataclass(frozen=True)
class Compiled:
    """What one compile run produced."""

    intents: int
    examples: int
    collisions: int | None
    unanswered: int | None
    seconds: float


def documents() -> list[tuple[str, Path, Path]]:
    """Return (name, document, cases file) for every article and the seed."""
    found = []
    for cases in sorted(ARTICLES.glob("*_cases.yml")):
        name = cases.name.removesuffix("_cases.yml")
        sources = [p for p in ARTICLES.glob(f"{name}.*") if p != cases]
        if sources:
            found.append((name, sources[0], cases))
    if DEV.is_file():
        found.append(("mistral_ai (seed, no curated)", SEED, DEV))
    return found


def compile_with(release: Path, document: Path, out: Path) -> Compiled:
    """Run ``faqbot compile`` of ``release`` on ``document`` alone, with no curated files."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "bot", "compile", str(document), "--out", str(out),
         "--no-curated"], cwd=release, capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - start
    summary = _SUMMARY.search(result.stdout)
    collisions = _SELF_TEST.search(result.stdout)
    return Compiled(int(summary.group(1)) if summary else 0,
                    int(summary.group(2)) if summary else 0,
                    int(collisions.group(1)) if collisions else None,
                    int(collisions.group(2)) if collisions else None, seconds)


def measure(cases: Path, kb: Path) -> CaseReport:
    """Run ``cases`` through this tree's console on the knowledge base ``kb``."""
    with ConsoleAsker(intents=kb, python=sys.executable, cwd=ROOT) as asker:
        return run_cases(load_cases(cases), asker)


def shares(report: CaseReport) -> tuple[str, str, str]:
    """Return (answered right %, near misses refused %, off-topic refused %)."""
    summary = report.summary()["in_scope"]
    near = [t for t in report.turns if t.category.endswith("near") or t.category == "near_oos"]
    off = [t for t in report.turns if t.category.endswith("oos") and t not in near]

    def pct(turns: list, right: int) -> str:
        return f"{100 * right / len(turns):.1f}" if turns else "-"

    right = f"{100 * summary.share(RIGHT):.1f}" if summary.total else "-"
    return (right, pct(near, sum(t.verdict == RIGHT for t in near)),
            pct(off, sum(t.verdict == RIGHT for t in off)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", default=PREVIOUS_RELEASE,
                        help="previous compiler (git revision)")
    args = parser.parse_args(argv)
    docs = documents()
    if not docs:
        print(f"no articles in {ARTICLES}; skipped")
        return 0
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        compared = releases(args.baseline, Path(tmp))
        for name, document, cases in docs:
            for label, release in compared.items():
                out = Path(tmp) / f"{label.split()[0]}-{document.stem}"
                compiled = compile_with(release, document, out)
                right, near, off = shares(measure(cases, out))
                collisions = "-" if compiled.collisions is None else str(compiled.collisions)
                unanswered = "-" if compiled.unanswered is None else str(compiled.unanswered)
                rows.append([name, label, right, near, off, compiled.intents,
                             compiled.examples, collisions, unanswered,
                             f"{compiled.seconds:.1f}"])
                print(f"{name} / {label}: {right} % right", file=sys.stderr)
    print("## Compiler: knowledge bases compiled from unseen articles\n")
    print("Each document compiled alone with no curated files, then its cases through "
          "`faqbot console --json` of this tree (the same engine for both compilers). "
          "Targets on the development articles: answered right >= 85 %, near misses "
          "refused >= 90 %, off-topic refused 100 %; the seed: >= 50 % of dev.yml's "
          "in-scope questions.\n")
    print(table(["document", "compiler", "answered right %", "near misses refused %",
                 "off-topic refused %", "intents", "examples", "self-test collisions",
                 "self-test not answered", "compile s"], rows))
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
