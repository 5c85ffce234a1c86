"""``faqbot compile SEED... --out DIR``: turn seed documents into Rasa 3.x YAML."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from bot.commands.common import fail


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``compile`` sub-command."""
    parser = sub.add_parser(
        "compile", help="compile seed documents (Markdown or text articles) into intents YAML",
        description="Compile seed documents into Rasa 3.x YAML. Generated files go to --out "
                    "(each marked as generated); curated YAML (default: the 'curated' "
                    "folder next to --out) is never touched and wins over generated content.",
    )
    parser.add_argument("seeds", nargs="+", type=Path, metavar="SEED",
                        help="seed document(s): .md/.markdown or plain-text articles")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR",
                        help="output folder for generated YAML, e.g. intents/generated")
    parser.add_argument("--curated", type=Path, action="append", default=None, metavar="DIR",
                        help="curated YAML folder to merge with (repeatable; default: "
                             "<out>/../curated when it exists)")
    parser.add_argument("--no-curated", action="store_true",
                        help="ignore curated files")
    parser.add_argument("--force", action="store_true",
                        help="overwrite files in --out that compile did not write")
    parser.add_argument("--check", action="store_true",
                        help="compile and run the self-test only; write nothing")
    parser.add_argument("--no-self-test", action="store_true",
                        help="skip the self-test (routing every generated question through "
                             "the engine)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Compile the seeds and print a summary."""
    from bot.compiler.pipeline import CompileError, compile_seeds

    curated = [] if args.no_curated else args.curated
    try:
        result = compile_seeds(args.seeds, args.out, curated, force=args.force,
                               self_test=not args.no_self_test, write=not args.check)
    except CompileError as exc:
        return fail(str(exc))
    target = "(check only, nothing written)" if args.check else f"-> {args.out}"
    lines = [f"compiled {len(args.seeds)} seed(s): {result.intents} intents, "
             f"{result.examples} examples {target}"]
    lines += [f"  warning: {warning}" for warning in result.warnings]
    lines += [f"  wrote {path}" for path in result.written]
    lines += [f"  removed stale {path}" for path in result.removed]
    if result.skipped_responses:
        lines.append(f"  kept curated answers for: {', '.join(sorted(result.skipped_responses))}")
    if result.self_test is not None:
        lines += result.self_test.lines()
    try:
        print("\n".join(lines), flush=True)
    except BrokenPipeError:  # e.g. piped into `head`: the work is done, say nothing more
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the exit-time flush
    return 0
