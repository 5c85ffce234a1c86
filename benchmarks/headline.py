"""The headline figures: a few cells picked from benchmarks/RESULTS.md, for the README.

The README's table of headline figures is written from RESULTS.md by ``run_all.py``
(between two marker comments), never by hand, so it cannot drift from the last
``make bench``; ``tests/test_readme.py`` checks that it is what this module renders from
the RESULTS.md in the tree. Each figure names the bench script, a table row (its first
cells) and the columns to show; a figure whose table changed shape or whose script failed
reads "see RESULTS.md" rather than a stale number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BEGIN = "<!-- headline figures: written by benchmarks/run_all.py from benchmarks/RESULTS.md -->"
END = "<!-- end of headline figures -->"
SCRIPT_MARK = "<!-- from {script} -->"
MISSING = "see RESULTS.md"
_SCRIPT = re.compile(r"<!-- from (?P<script>bench_\w+\.py) -->")


@dataclass(frozen=True)
class Cells:
    """Cells of one row of a table in one script's section, joined by `` / ``."""

    script: str
    row: tuple[str, ...]  # the row's first cells start with these, in order
    columns: tuple[str, ...]  # column headers start with these

    def read(self, tables: dict[str, list[list[list[str]]]]) -> str | None:
        """Return the cells' text, or None when the table or the row is not there."""
        for table in tables.get(self.script, []):
            header, rows = table[0], table[1:]
            indexes = [next((i for i, h in enumerate(header) if h.startswith(c)), None)
                       for c in self.columns]
            if None in indexes:
                continue
            for row in rows:
                if len(row) >= len(self.row) and all(
                        cell.startswith(want) for cell, want in zip(row, self.row, strict=False)):
                    return " / ".join(row[i] for i in indexes if i < len(row))
        return None


@dataclass(frozen=True)
class Several:
    """The same cells of several rows (one per article, say), joined by `` / ``."""

    parts: tuple[Cells, ...]

    def read(self, tables: dict[str, list[list[list[str]]]]) -> str | None:
        """Return every part's text joined, or None when one of them is not there."""
        found = [part.read(tables) for part in self.parts]
        return None if None in found else " / ".join(str(f) for f in found)


@dataclass(frozen=True)
class Figure:
    """One line of the headline table: what, this tree's figure, and what it is compared with."""

    what: str
    figure: Cells | Several
    versus: Cells | Several | None = None
    versus_name: str = ""


def _per_article(compiler: str, column: str) -> Several:
    return Several(tuple(Cells("bench_compile.py", (article, compiler), (column,))
                         for article in DEVELOPMENT_ARTICLES))


DEVELOPMENT_ARTICLES = ("glenmora_wind", "lanternfish_games", "ridgeline_coffee")


FIGURES = (
    Figure("Development questions in scope: answered right, wrong",
           Cells("bench_understanding.py", ("in_scope",), ("this tree",)),
           Cells("bench_understanding.py", ("in_scope",), ("previous",)), "previous release"),
    Figure("Development questions to refuse: refused (right), answered (wrong)",
           Cells("bench_understanding.py", ("must_refuse",), ("this tree",)),
           Cells("bench_understanding.py", ("must_refuse",), ("previous",)), "previous release"),
    Figure("Development articles (" + ", ".join(DEVELOPMENT_ARTICLES)
           + "), compiled with no hand edits: in-scope answered right %",
           _per_article("this tree", "answered right %"),
           _per_article("previous", "answered right %"), "previous compiler"),
    Figure("The same articles: near misses refused %",
           _per_article("this tree", "near misses refused %"),
           _per_article("previous", "near misses refused %"), "previous compiler"),
    Figure("Articles nobody tuned on (benchmarks/articles/measure_only, 4 articles), no hand "
           "edits: in-scope answered right % / wrong answers of all turns",
           Cells("bench_compile.py", ("all of benchmarks/articles/measure_only", "this tree"),
                 ("answered right %", "wrong answers")),
           Cells("bench_compile.py", ("all of benchmarks/articles/measure_only", "previous"),
                 ("answered right %", "wrong answers")), "previous compiler"),
    Figure("CLINC150 validation: in-scope accuracy % / out-of-scope recall %",
           Cells("bench_clinc150.py", ("faqbot matcher",), ("in-scope acc %", "OOS recall %")),
           Cells("bench_clinc150.py", ("TF-IDF + LR",), ("in-scope acc %", "OOS recall %")),
           "TF-IDF + logistic regression"),
    Figure("Per message, shipped knowledge base: p50 / p99 ms",
           Cells("bench_latency.py", ("shipped KB: faqbot matcher",), ("p50 ms", "p99 ms")),
           Cells("bench_latency.py", ("shipped KB: naive",), ("p50 ms", "p99 ms")),
           "naive nearest example"),
    Figure("Start to first reply, `faqbot console --json`, warm cache: s",
           Cells("bench_latency.py", ("shipped KB", "warm cache"), ("first reply s",))),
    Figure("Custom action turn (rasa_sdk), in-process: p50 / p99 ms",
           Cells("bench_actions.py", ("in-process",), ("p50_ms", "p99_ms")),
           Cells("bench_actions.py", ("http",), ("p50_ms", "p99_ms")),
           "over HTTP to an action server"),
    Figure("Telegram, through python-telegram-bot over loopback: replies/s",
           Cells("bench_telegram.py", ("replies/s, flood limits off",), ("value",))),
)


def tables_by_script(results: str) -> dict[str, list[list[list[str]]]]:
    """Return the Markdown tables of RESULTS.md, by the script whose section holds them."""
    tables: dict[str, list[list[list[str]]]] = {}
    script = None
    current: list[list[str]] | None = None
    for line in results.splitlines():
        mark = _SCRIPT.search(line)
        if mark:
            script, current = mark.group("script"), None
            continue
        stripped = line.strip()
        if script is None or not stripped.startswith("|"):
            current = None
            continue
        cells = [c.strip() for c in stripped.strip("|").split("|")]
        if all(set(c) <= set("-: ") for c in cells):
            continue  # the header's rule
        if current is None:
            current = []
            tables.setdefault(script, []).append(current)
        current.append(cells)
    return tables


def render(results: str | None) -> str:
    """Return the headline table (with its marker comments) for a RESULTS.md text."""
    if results is None:
        body = ("No benchmark results yet: `make bench` measures them and writes this table "
                "from [benchmarks/RESULTS.md](benchmarks/RESULTS.md).")
        return f"{BEGIN}\n{body}\n{END}"
    tables = tables_by_script(results)
    date = re.search(r"^\| Date \| (?P<date>[^|]+) \|", results, re.MULTILINE)
    lines = ["| What | This tree | Compared with |", "|---|---|---|"]
    for figure in FIGURES:
        value = figure.figure.read(tables) or MISSING
        versus = ""
        if figure.versus is not None:
            other = figure.versus.read(tables)
            versus = f"{figure.versus_name}: {other}" if other else ""
        lines.append(f"| {figure.what} | {value} | {versus} |")
    when = f" of {date.group('date').strip()}" if date else ""
    lines += ["", f"From [benchmarks/RESULTS.md](benchmarks/RESULTS.md){when} (machine, "
                  f"command and every table there)."]
    return "\n".join([BEGIN, *lines, END])


def replace_block(document: str, block: str) -> str:
    """Return ``document`` with its headline block replaced by ``block``.

    Raises:
        ValueError: When the document has no block between the two markers.
    """
    start, end = document.find(BEGIN), document.find(END)
    if start < 0 or end < start:
        raise ValueError("no headline block (the two marker comments) in the document")
    return document[:start] + block + document[end + len(END):]


def current_block(document: str) -> str | None:
    """Return the headline block of ``document`` (markers included), or None."""
    start, end = document.find(BEGIN), document.find(END)
    return document[start:end + len(END)] if 0 <= start < end else None
