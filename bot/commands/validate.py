"""``faqbot validate``: report every problem of a knowledge base, each at file:line:column."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.commands.common import (
    SetupError,
    add_kb_arguments,
    default_intents_dir,
    fail,
    load_config_for,
)


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``validate`` sub-command."""
    parser = sub.add_parser(
        "validate", help="check the knowledge base YAML and report every problem",
        description="Check the knowledge base and print every problem as "
                    "file:line:column: severity: message. Exits 1 when there are errors.",
    )
    add_kb_arguments(parser)
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--json", action="store_true", help="print the problems as JSON")
    parser.add_argument("--no-confusion", action="store_true",
                        help="skip the (slower) check of examples the matcher confuses")
    parser.add_argument("--rasa-schemas", type=Path, default=None, metavar="DIR",
                        help="directory of Rasa's schema files (default: the ones fetched "
                             "by scripts/fetch_rasa_schemas.sh, when present)")
    parser.add_argument("--no-rasa-schemas", action="store_true",
                        help="do not check against Rasa's own schemas")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Validate and print the report; exit 1 on errors (or warnings with --strict)."""
    from bot.evaluation.progress import ProgressBar
    from bot.kb.validate import validate_knowledge_base

    try:
        config = load_config_for(args)
    except SetupError as exc:
        return fail(str(exc))
    root = args.intents or default_intents_dir()
    schemas = False if args.no_rasa_schemas else args.rasa_schemas
    with ProgressBar("checking examples", stream=sys.stderr) as bar:
        report = validate_knowledge_base(
            root, nlu=config.nlu, rasa_schemas=schemas,
            check_confusion=not args.no_confusion, progress=bar.update,
            limits=config.limits,
        )
    failed = bool(report.errors) or (args.strict and bool(report.warnings))
    if args.json:
        print(json.dumps({
            "ok": not failed,
            "files": list(report.files),
            "problems": [
                {"file": p.source.path, "line": p.source.line, "column": p.source.column,
                 "severity": p.severity, "message": p.message}
                for p in report.problems
            ],
        }, indent=2, ensure_ascii=False))
        return 1 if failed else 0
    for problem in report.problems:
        print(problem)
    for note in (report.rasa_schemas, *report.notes):
        if note:
            print(note, file=sys.stderr)
    intents = len(report.kb.intents) if report.kb else 0
    responses = len(report.kb.responses) if report.kb else 0
    summary = (f"{len(report.files)} files, {intents} intents, {responses} responses: "
               f"{len(report.errors)} errors, {len(report.warnings)} warnings")
    print(summary if report.problems else f"{summary}. The knowledge base is valid.")
    return 1 if failed else 0
