"""How well compiled knowledge bases answer: each development article and the shipped seed.

Usage: ``python benchmarks/bench_compile.py [--baseline REV]``

For this tree's compiler and the previous one (``--baseline``, a git revision checked out
into a temporary directory with ``git archive`` and run from there), in the same run, each
document is compiled alone with no curated files into a temporary folder:

* every article of ``../shared/data/articles`` (``NAME.txt`` / ``NAME.md``), then its
  ``NAME_cases.yml``;
* the shipped seed ``seeds/mistral_ai.md``, then ``../shared/data/mistral_questions/dev.yml``;
* every article of ``benchmarks/articles/development`` and ``benchmarks/articles/measure_only``
  (see its README), then its ``NAME_cases.yml`` and ``NAME_indep.yml`` together, with a
  total per folder.

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
BENCHMARK_ARTICLES = ROOT / "benchmarks" / "articles"
GROUPS = ("development", "measure_only")
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


def documents() -> list[tuple[str, Path, tuple[Path, ...], str]]:
    """Return (name, document, case files, group) for every article and the seed.

    The group is "" for the development articles of ``../shared`` and the seed, else the
    folder of ``benchmarks/articles`` the article is in.
    """
    found = []
    for folder, group in [(ARTICLES, "")] + [(BENCHMARK_ARTICLES / g, g) for g in GROUPS]:
        for cases in sorted(folder.glob("*_cases.yml")):
            name = cases.name.removesuffix("_cases.yml")
            sources = [p for p in folder.glob(f"{name}.*") if p.suffix in (".txt", ".md")]
            more = folder / f"{name}_indep.yml"
            if sources:
                found.append((name, sources[0], (cases, *([more] if more.is_file() else [])),
                              group))
        if not group and DEV.is_file():
            found.append(("mistral_ai (seed, no curated)", SEED, (DEV,), ""))
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


def measure(cases: tuple[Path, ...], kb: Path) -> list[CaseReport]:
    """Run each of ``cases`` through this tree's console on the knowledge base ``kb``."""
    with ConsoleAsker(intents=kb, python=sys.executable, cwd=ROOT) as asker:
        return [run_cases(load_cases(path), asker) for path in cases]


@dataclass
class Tally:
    """Turns counted over one or more reports."""

    in_scope: int = 0
    in_scope_right: int = 0
    near: int = 0
    near_refused: int = 0
    off: int = 0
    off_refused: int = 0
    turns: int = 0
    wrong: int = 0

    def add(self, reports: list[CaseReport]) -> Tally:
        """Add the turns of ``reports``; return self."""
        for report in reports:
            summary = report.summary()["in_scope"]
            self.in_scope += summary.total
            self.in_scope_right += summary.right
            near = [t for t in report.turns
                    if t.category.endswith("near") or t.category == "near_oos"]
            off = [t for t in report.turns if t.category.endswith("oos") and t not in near]
            self.near += len(near)
            self.near_refused += sum(t.verdict == RIGHT for t in near)
            self.off += len(off)
            self.off_refused += sum(t.verdict == RIGHT for t in off)
            self.turns += len(report.turns)
            self.wrong += report.wrong_confident
        return self

    def cells(self) -> list[str]:
        """Return answered right %, near misses refused %, off-topic refused %, wrong."""
        def pct(part: int, whole: int) -> str:
            return f"{100 * part / whole:.1f}" if whole else "-"

        return [pct(self.in_scope_right, self.in_scope), pct(self.near_refused, self.near),
                pct(self.off_refused, self.off), f"{self.wrong}/{self.turns}"]


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
    totals: dict[tuple[str, str], Tally] = {}
    with tempfile.TemporaryDirectory() as tmp:
        compared = releases(args.baseline, Path(tmp))
        for name, document, cases, group in docs:
            for label, release in compared.items():
                out = Path(tmp) / f"{label.split()[0]}-{document.stem}"
                compiled = compile_with(release, document, out)
                reports = measure(cases, out)
                cells = Tally().add(reports).cells()
                if group:
                    totals.setdefault((group, label), Tally()).add(reports)
                collisions = "-" if compiled.collisions is None else str(compiled.collisions)
                unanswered = "-" if compiled.unanswered is None else str(compiled.unanswered)
                rows.append([name, label, *cells, compiled.intents,
                             compiled.examples, collisions, unanswered,
                             f"{compiled.seconds:.1f}"])
                print(f"{name} / {label}: {cells[0]} % right", file=sys.stderr)
    rows += [[f"all of benchmarks/articles/{group}", label, *tally.cells(), "", "", "", "", ""]
             for (group, label), tally in totals.items()]
    print("## Compiler: knowledge bases compiled from unseen articles\n")
    print("Each document compiled alone with no curated files, then its cases through "
          "`faqbot console --json` of this tree (the same engine for both compilers). "
          "Targets on the development articles: answered right >= 85 %, near misses "
          "refused >= 90 %, off-topic refused 100 %; the seed: >= 50 % of dev.yml's "
          "in-scope questions. The articles of `benchmarks/articles` (see its README) "
          "run both their question files; `measure_only` is the fairest estimate for an "
          "article nobody has seen.\n")
    print(table(["document", "compiler", "answered right %", "near misses refused %",
                 "off-topic refused %", "wrong answers / turns", "intents", "examples",
                 "self-test collisions", "self-test not answered", "compile s"], rows))
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
