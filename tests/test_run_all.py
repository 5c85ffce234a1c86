"""benchmarks/run_all.py: every script's section in RESULTS.md, failures reported, not fatal."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def load_run_all():
    spec = importlib.util.spec_from_file_location("run_all", REPO / "benchmarks" / "run_all.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["run_all"] = module
    spec.loader.exec_module(module)
    return module


def test_results_have_machine_command_and_every_section_in_order(tmp_path: Path) -> None:
    (tmp_path / "bench_a_first.py").write_text(
        'print("## First bench\\n\\n| x | ratio |\\n|---|---|\\n| a | 1.5 |")\n')
    (tmp_path / "bench_b_broken.py").write_text(
        'import sys\nprint("## Broken bench\\n\\npartial")\n'
        'print("something went wrong", file=sys.stderr)\nsys.exit(3)\n')
    (tmp_path / "bench_c_plain.py").write_text('print("no heading, just text")\n')
    (tmp_path / "bench_d_json.py").write_text(
        'print(\'{"mode": "in-process", "p50_ms": 2.0}\')\n'
        'print(\'{"mode": "http", "p50_ms": 5.1}\')\n')
    (tmp_path / "benchlib.py").write_text("raise SystemExit('not a bench script')\n")
    out = tmp_path / "RESULTS.md"
    run_all = load_run_all()
    code = run_all.main(["--out", str(out)], bench_dir=tmp_path)
    assert code == 1  # one script failed, the others still ran
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Benchmark results")
    for fact in ("| Date |", "| CPU cores (nproc) |", "| CPU model |", "| Python |",
                 "| Command | `python benchmarks/run_all.py --out"):
        assert fact in text, fact
    first, broken, plain = (text.index("## First bench"), text.index("## Broken bench"),
                            text.index("## bench_c_plain.py"))
    assert first < broken < plain
    assert "| a | 1.5 |" in text and "no heading, just text" in text
    assert "bench_b_broken.py FAILED (exit 3)" in text and "something went wrong" in text
    assert "| bench_a_first.py | ok |" in text and "benchlib" not in text
    assert "| mode | p50_ms |\n|---|---|\n| in-process | 2.0 |\n| http | 5.1 |" in text


def test_a_filtered_run_leaves_results_alone(tmp_path: Path, capsys) -> None:
    (tmp_path / "bench_one.py").write_text('print("## One")\n')
    run_all = load_run_all()
    before = run_all.RESULTS.stat().st_mtime_ns if run_all.RESULTS.exists() else None
    assert run_all.main(["one"], bench_dir=tmp_path) == 0
    assert "## One" in capsys.readouterr().out
    after = run_all.RESULTS.stat().st_mtime_ns if run_all.RESULTS.exists() else None
    assert after == before


def test_headline_figures_are_read_from_the_results(tmp_path: Path) -> None:
    run_all = load_run_all()
    headline = sys.modules["headline"]
    (tmp_path / "bench_telegram.py").write_text(
        'print("## Telegram\\n\\n| measure | value |\\n| --- | --- |\\n'
        '| replies/s, flood limits off (300 updates) | 97 |")\n')
    (tmp_path / "bench_clinc150.py").write_text(
        'print("| matcher | in-scope acc % | OOS recall % |\\n|---|---|---|\\n'
        '| faqbot matcher | 93.0 | 66.0 |\\n| TF-IDF + LR (sklearn) | 91.8 | 55.0 |")\n')
    out = tmp_path / "RESULTS.md"
    assert run_all.main(["--out", str(out)], bench_dir=tmp_path) == 0
    block = headline.render(out.read_text(encoding="utf-8"))
    assert block.startswith(headline.BEGIN) and block.endswith(headline.END)
    assert "| Telegram, through python-telegram-bot over loopback: replies/s | 97 |" in block
    assert "| 93.0 / 66.0 | TF-IDF + logistic regression: 91.8 / 55.0 |" in block
    assert f"Development questions in scope: answered right, wrong | {headline.MISSING}" in block
    readme = "intro\n" + headline.render(None) + "\noutro\n"
    assert headline.replace_block(readme, block) == f"intro\n{block}\noutro\n"
    assert headline.current_block(headline.replace_block(readme, block)) == block
