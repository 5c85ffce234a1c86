"""Run every ``benchmarks/bench_*.py`` script in turn and print their sections.

Each script runs as its own subprocess (so one failing does not hide the others, and
each starts with a cold interpreter). Usage: ``python benchmarks/run_all.py [NAME...]``
where NAME filters scripts by substring, e.g. ``clinc``. Exit status 1 if any failed.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if argv:
        scripts = [s for s in scripts if any(a in s.name for a in argv)]
    failed: list[str] = []
    for script in scripts:
        print(f"\n=== {script.name} ===", flush=True)
        start = time.perf_counter()
        try:
            result = subprocess.run([sys.executable, str(script)], cwd=HERE.parent,
                                    timeout=1800, check=False)
            code = result.returncode
        except subprocess.TimeoutExpired:
            code = -1
            print(f"{script.name}: timed out", flush=True)
        elapsed = time.perf_counter() - start
        status = "ok" if code == 0 else f"FAILED (exit {code})"
        print(f"--- {script.name}: {status} in {elapsed:.1f} s", flush=True)
        if code != 0:
            failed.append(script.name)
    print(f"\n{len(scripts) - len(failed)}/{len(scripts)} benchmark scripts succeeded"
          + (f"; failed: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
