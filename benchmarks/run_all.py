"""Run every ``benchmarks/bench_*.py`` script and write their sections to RESULTS.md.

Each script runs as its own subprocess (a cold interpreter; one failing or hanging does
not stop the others) and prints a Markdown section on stdout: a ``##`` heading and tables.
``benchmarks/RESULTS.md`` gets, in order: the date, the machine (cores, CPU model,
Python), the command, then each script's section; a script that failed is reported there
with its exit status and the end of its error output. The docs link to that file rather
than copying figures.

A full run also rewrites the README's table of headline figures from the new RESULTS.md
(:mod:`headline`), so the README cannot drift from the last run.

Usage: ``python benchmarks/run_all.py [NAME...] [--out FILE]``. NAME filters scripts by
substring (e.g. ``clinc``); a filtered run prints its sections but leaves RESULTS.md alone
unless ``--out`` is given. Exit status 1 if any script failed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import headline  # noqa: E402  (a sibling module, not a package)

RESULTS = HERE / "RESULTS.md"
README = HERE.parent / "README.md"
TIMEOUT_S = 1800
ERROR_TAIL_LINES = 20


@dataclass(frozen=True)
class Outcome:
    """What one benchmark script printed, and how it ended."""

    script: str
    code: int | None  # None: timed out
    seconds: float
    section: str
    error_tail: str

    @property
    def ok(self) -> bool:
        """Whether the script exited with status 0."""
        return self.code == 0

    def status(self) -> str:
        """Return ``ok``, ``FAILED (exit N)`` or ``timed out after N s``."""
        if self.code is None:
            return f"timed out after {self.seconds:.0f} s"
        return "ok" if self.ok else f"FAILED (exit {self.code})"


def machine() -> dict[str, str]:
    """Return the facts about this machine that the figures depend on."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 0
    return {
        "CPU cores (nproc)": str(cores),
        "CPU model": model,
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "OS": platform.platform(terse=True),
    }


def _commit() -> str:
    try:
        done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=HERE.parent,
                              capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def run_script(script: Path, timeout: float = TIMEOUT_S) -> Outcome:
    """Run one script, echoing its output as it comes, and collect its section."""
    start = time.perf_counter()
    tail: deque[str] = deque(maxlen=ERROR_TAIL_LINES)
    process = subprocess.Popen([sys.executable, str(script)], cwd=HERE.parent,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               errors="replace")

    def pump_stderr() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            sys.stderr.write(line)
            tail.append(line.rstrip("\n"))

    reader = threading.Thread(target=pump_stderr, daemon=True)
    reader.start()
    timer = threading.Timer(timeout, process.kill)
    timer.start()
    lines = []
    assert process.stdout is not None
    for line in process.stdout:
        sys.stdout.write(line)
        sys.stdout.flush()
        lines.append(line)
    code = process.wait()
    timed_out = not timer.is_alive() and code != 0
    timer.cancel()
    reader.join(timeout=5)
    return Outcome(script.name, None if timed_out else code, time.perf_counter() - start,
                   "".join(lines).strip(), "\n".join(tail))


def json_lines_as_table(text: str) -> str:
    """Return lines of JSON objects as one Markdown table (keys as columns); else ``text``."""
    rows = []
    for line in text.splitlines():
        try:
            row = json.loads(line)
        except ValueError:
            return text
        if not isinstance(row, dict):
            return text
        rows.append(row)
    if not rows:
        return text
    columns = list(dict.fromkeys(key for row in rows for key in row))
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(str(row.get(c, "")) for c in columns) + " |" for row in rows]
    return "\n".join(lines)


def section_of(outcome: Outcome) -> str:
    """Return the Markdown a script contributes to RESULTS.md."""
    body = json_lines_as_table(outcome.section)
    if not body.startswith("## "):
        body = f"## {outcome.script}\n\n{body}" if body else f"## {outcome.script}"
    heading, _, rest = body.partition("\n")
    body = f"{heading}\n{headline.SCRIPT_MARK.format(script=outcome.script)}\n{rest}".rstrip()
    if outcome.ok:
        return body
    parts = [body, f"**{outcome.script} {outcome.status()}**; the figures above, if any, "
                   f"are incomplete."]
    if outcome.error_tail:
        parts.append("End of its error output:\n\n```text\n" + outcome.error_tail + "\n```")
    return "\n\n".join(parts)


def render(outcomes: list[Outcome], command: str, started: datetime) -> str:
    """Return RESULTS.md: when, where and how the figures were made, then the sections."""
    facts = {"Date": started.strftime("%Y-%m-%d %H:%M UTC"), **machine(),
             "Command": f"`{command}`"}
    commit = _commit()
    if commit:
        facts["Commit"] = commit
    lines = ["# Benchmark results", "",
             "Written by `make bench` (benchmarks/run_all.py). Every figure below comes "
             "from this one run; run it again to refresh them.", "",
             "| | |", "|---|---|"]
    lines += [f"| {key} | {value} |" for key, value in facts.items()]
    lines += ["", "| script | status | seconds |", "|---|---|---:|"]
    lines += [f"| {o.script} | {o.status()} | {o.seconds:.1f} |" for o in outcomes]
    sections = [section_of(o) for o in outcomes]
    return "\n".join(lines) + "\n\n" + "\n\n".join(sections) + "\n"


def update_readme(readme: Path, results: str) -> None:
    """Rewrite the headline figures in ``readme`` from ``results`` (when it has the block)."""
    document = readme.read_text(encoding="utf-8")
    try:
        updated = headline.replace_block(document, headline.render(results))
    except ValueError:
        print(f"{readme} has no headline block; not updated", file=sys.stderr)
        return
    if updated != document:
        readme.write_text(updated, encoding="utf-8")
        print(f"updated the headline figures in {readme}")


def main(argv: list[str], bench_dir: Path = HERE) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help="run only these scripts")
    parser.add_argument("--out", type=Path, default=None, help="write the results here")
    args = parser.parse_args(argv)
    scripts = sorted(bench_dir.glob("bench_*.py"))
    if args.names:
        scripts = [s for s in scripts if any(a in s.name for a in args.names)]
    out = args.out or (None if args.names else RESULTS)
    started = datetime.now(timezone.utc)
    outcomes = []
    for script in scripts:
        print(f"\n=== {script.name} ===", flush=True)
        outcome = run_script(script)
        print(f"--- {script.name}: {outcome.status()} in {outcome.seconds:.1f} s", flush=True)
        outcomes.append(outcome)
    failed = [o.script for o in outcomes if not o.ok]
    if out is not None:
        command = shlex.join(["python", "benchmarks/run_all.py", *argv])
        results = render(outcomes, command, started)
        out.write_text(results, encoding="utf-8")
        print(f"\nwrote {out}")
        if out == RESULTS and README.is_file():
            update_readme(README, results)
    print(f"{len(outcomes) - len(failed)}/{len(outcomes)} benchmark scripts succeeded"
          + (f"; failed: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
