"""Helpers shared by the benchmark scripts: timing, percentiles, tables, the naive peer."""

from __future__ import annotations

import subprocess
import sys
import tarfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

from bot.nlu.normalize import fold

ROOT = Path(__file__).resolve().parents[1]
# The last commit of main before this release's work: benchmarks compare with it.
PREVIOUS_RELEASE = "6e9e7e9"


def percentiles_ms(seconds: Sequence[float]) -> tuple[float, float]:
    """Return (p50, p99) of durations in milliseconds."""
    values = np.asarray(seconds) * 1000.0
    return float(np.percentile(values, 50)), float(np.percentile(values, 99))


def timed(function: Callable[[str], object], texts: Sequence[str]) -> tuple[list, list]:
    """Call ``function`` on each text; return the results and the durations (s)."""
    results, durations = [], []
    for text in texts:
        start = time.perf_counter()
        results.append(function(text))
        durations.append(time.perf_counter() - start)
    return results, durations


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Return a Markdown table."""
    cells = [[str(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |"
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |"
            for r in cells]
    return "\n".join([line, rule, *body])


class NaivePeer:
    """The naive rapidfuzz matcher: the intent of the single closest example."""

    def __init__(self, pairs: Sequence[tuple[str, str]]) -> None:
        self.texts = [fold(t) for t, _ in pairs]
        self.labels = [label for _, label in pairs]

    def predict(self, text: str) -> tuple[str, float]:
        """Return (intent, score in [0, 1]) of the closest example by ``fuzz.ratio``."""
        found = process.extractOne(fold(text), self.texts, scorer=fuzz.ratio)
        return (self.labels[found[2]], found[1] / 100.0) if found else ("", 0.0)


def export_release(revision: str, into: Path) -> Path:
    """Write the tree of ``revision`` into ``into`` (``git archive``) and return it."""
    archive = subprocess.run(["git", "archive", "--format=tar", revision], cwd=ROOT,
                             capture_output=True, check=True).stdout
    into.mkdir(parents=True, exist_ok=True)
    tar_path = into.with_suffix(".tar")
    tar_path.write_bytes(archive)
    with tarfile.open(tar_path) as tar:
        tar.extractall(into, filter="data")
    return into


def releases(revision: str, work: Path) -> dict[str, Path]:
    """Return this tree and, when ``revision`` can be exported into ``work``, that release.

    Keys are the labels the tables print: ``this tree`` and ``previous (<revision>)``.
    """
    found = {"this tree": ROOT}
    try:
        found[f"previous ({revision})"] = export_release(revision, work / "baseline")
    except subprocess.CalledProcessError as exc:
        print(f"baseline {revision} unavailable ({exc}); this tree only", file=sys.stderr)
    return found
