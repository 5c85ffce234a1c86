"""Write CLINC150's train split as a Rasa 3.x knowledge base the normal loader reads.

Usage::

    python benchmarks/clinc_kb.py --out /tmp/clinc-kb
    faqbot console --intents /tmp/clinc-kb

Each of the 150 intents becomes an nlu intent with its 100 training examples and a
response ``utter_<intent>`` naming the intent, so the engine answers it. The validation
splits are returned by :func:`load_splits` for the benchmarks.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

import yaml

DEFAULT_DATA = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "clinc150"
    / "clinc150_full_trainval.json"
)
OOS = "oos"


def load_splits(path: Path = DEFAULT_DATA) -> dict[str, list[tuple[str, str]]]:
    """Return CLINC150's splits as lists of ``(text, intent)`` pairs."""
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    return {name: [(str(t), str(i)) for t, i in pairs] for name, pairs in raw.items()}


def write_kb(out: Path, train: list[tuple[str, str]]) -> Path:
    """Write ``train`` as ``out/nlu.yml`` and ``out/responses.yml``.

    Args:
        out: Directory to create (existing files there are overwritten).
        train: ``(text, intent)`` pairs; out-of-scope pairs are skipped.

    Returns:
        ``out``.
    """
    by_intent: dict[str, list[str]] = defaultdict(list)
    for text, intent in train:
        if intent != OOS:
            by_intent[intent].append(text)
    out.mkdir(parents=True, exist_ok=True)
    lines = ['version: "3.1"', "nlu:"]
    for name, texts in sorted(by_intent.items()):
        lines.append(f"- intent: {_scalar(name)}")
        lines.append("  examples: |")
        lines.extend(f"    - {_quote(t)}" for t in texts)
    (out / "nlu.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    responses = {
        "version": "3.1",
        "responses": {
            f"utter_{name}": [{"text": f"(CLINC150 intent: {name.replace('_', ' ')})"}]
            for name in sorted(by_intent)
        },
    }
    (out / "responses.yml").write_text(
        yaml.safe_dump(responses, sort_keys=False, allow_unicode=True, width=1000),
        encoding="utf-8",
    )
    return out


def _scalar(name: str) -> str:
    """Return ``name`` as a YAML scalar that reads back as that string.

    YAML 1.1 reads ``yes``, ``no``, ``on``, ``off`` as booleans and ``1_000`` as a
    number; such names (CLINC150 has intents ``yes`` and ``no``) are double-quoted.
    """
    plain = yaml.safe_load(f"key: {name}")
    if isinstance(plain, dict) and plain.get("key") == name:
        return name
    return json.dumps(name)


def _quote(text: str) -> str:
    """Return ``text`` on one line, safe as a Rasa example list item."""
    return " ".join(text.split())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=Path, help="directory to write")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="CLINC150 json")
    args = parser.parse_args(argv)
    try:
        splits = load_splits(args.data)
    except (OSError, ValueError) as exc:
        print(f"cannot read {args.data}: {exc}", file=sys.stderr)
        return 2
    write_kb(args.out, splits["train"])
    print(f"wrote {args.out} ({len(splits['train'])} examples)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
