"""Hostile knowledge-base files, written on demand (tests and benchmarks/bench_hostile.py)."""

from __future__ import annotations

from pathlib import Path

VALID_HEADER = 'version: "3.1"\n'


def billion_laughs(path: Path, levels: int = 9, fan: int = 9) -> Path:
    """Write a file whose anchors alias the level above ``fan`` times, ``levels`` deep."""
    lines = [VALID_HEADER + "nlu:\n- intent: laughs\n  examples: |\n    - ha\n",
             "  metadata:\n", '    l0: &l0 ["lol"]\n']
    for level in range(1, levels + 1):
        aliases = ", ".join(f"*l{level - 1}" for _ in range(fan))
        lines.append(f"    l{level}: &l{level} [{aliases}]\n")
    path.write_text("".join(lines), encoding="utf-8")
    return path


def example_bomb(path: Path, block_lines: int = 20_000, intents: int = 300) -> Path:
    """Write one examples block of ``block_lines`` lines reused by ``intents`` intents."""
    block = "".join(f"    - question number {n}\n" for n in range(block_lines))
    parts = [VALID_HEADER, "nlu:\n- intent: bomb0\n  examples: &block |\n", block]
    parts.extend(f"- intent: bomb{n}\n  examples: *block\n" for n in range(1, intents))
    path.write_text("".join(parts), encoding="utf-8")
    return path


def huge_file(path: Path, megabytes: int = 50) -> Path:
    """Write a valid-looking NLU file of about ``megabytes`` MB."""
    line = "    - a question that goes on and on to fill the file up quickly\n"
    count = megabytes * 1024 * 1024 // len(line) + 1
    with path.open("w", encoding="utf-8") as out:
        out.write(VALID_HEADER + "nlu:\n- intent: huge\n  examples: |\n")
        for _ in range(count // 1000):
            out.write(line * 1000)
    return path


def deep_nesting(path: Path, depth: int = 10_000) -> Path:
    """Write a flow list nested ``depth`` deep."""
    path.write_text(VALID_HEADER + "nlu: " + "[" * depth + "]" * depth + "\n",
                    encoding="utf-8")
    return path
