"""``faqbot test``: conversation tests, and an NLU cross-validation like ``rasa test nlu``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.commands.common import (
    SHIPPED_INTENTS,
    SetupError,
    add_kb_arguments,
    build_engine,
    default_intents_dir,
    fail,
)

DEFAULT_CONVERSATIONS = "tests/conversations*.yml"


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``test`` sub-command."""
    parser = sub.add_parser(
        "test", help="run conversation tests and a cross-validated NLU evaluation",
        description="Run the conversation tests (tests/conversations*.yml, or FILES) and a "
                    "k-fold cross-validation of the matcher over the examples; write "
                    "intent_report.json, intent_errors.json and intent_report.html. Exits "
                    "1 when a conversation test fails.",
    )
    add_kb_arguments(parser)
    parser.add_argument("files", nargs="*", type=Path, metavar="FILES",
                        help=f"conversation test files (default: {DEFAULT_CONVERSATIONS})")
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds (5)")
    parser.add_argument("--seed", type=int, default=0, help="shuffling seed (0)")
    parser.add_argument("--out", type=Path, default=Path("."), metavar="DIR",
                        help="where to write the reports (default: current directory)")
    parser.add_argument("--no-nlu", action="store_true", help="skip the cross-validation")
    parser.add_argument("--no-conversations", action="store_true",
                        help="skip the conversation tests")
    parser.set_defaults(run=run)


def _matcher_factory():
    """The real matcher, without the on-disk cache (fold matchers are throwaway)."""
    import inspect

    from bot.nlu.matcher import build_matcher

    if "use_cache" in inspect.signature(build_matcher).parameters:
        return lambda kb: build_matcher(kb, use_cache=False)
    return build_matcher


def _conversation_files(args: argparse.Namespace) -> list[Path]:
    """FILES, else ./tests/conversations*.yml, else the shipped ones for the shipped KB."""
    if args.files:
        return list(args.files)
    found = sorted(Path.cwd().glob(DEFAULT_CONVERSATIONS))
    intents = (args.intents or default_intents_dir()).resolve()
    if not found and intents == SHIPPED_INTENTS.resolve():
        found = sorted(SHIPPED_INTENTS.parent.glob(DEFAULT_CONVERSATIONS))
    return found


def run(args: argparse.Namespace) -> int:
    """Run the tests, print a summary, write the reports."""
    if args.folds < 2:
        return fail("--folds must be at least 2")
    from bot.evaluation.conversations import (
        ConversationFileError,
        load_conversations,
        run_conversation,
    )
    from bot.evaluation.progress import ProgressBar

    try:
        engine = build_engine(args)
    except SetupError as exc:
        return fail(str(exc))
    conversations = []
    if not args.no_conversations:
        for path in _conversation_files(args):
            try:
                conversations.extend(load_conversations(path))
            except ConversationFileError as exc:
                return fail(str(exc))
    results = []
    with ProgressBar("conversations") as bar:
        for done, conversation in enumerate(conversations, 1):
            results.append(run_conversation(engine, conversation))
            bar.update(done, len(conversations))
    failed = [r for r in results if not r.passed]
    if conversations:
        print(f"Conversations: {len(results) - len(failed)} of {len(results)} pass")
        for result in failed:
            turn = result.turns[-1]
            print(f"  FAIL {result.conversation.path}: {result.conversation.name}: turn "
                  f"{len(result.turns)} {turn.expected.user!r}: {'; '.join(turn.failures)}")
            print(f"       bot [{turn.intent} / {turn.decision}]: {turn.reply[:200]!r}")
    elif not args.no_conversations:
        print("Conversations: no conversation test files found")
    cv = report = None
    if not args.no_nlu:
        cv, report = _evaluate(engine, args)
    from bot.evaluation.summary import summarize

    summary = summarize(results, list(cv.predictions) if cv is not None else None)
    print("\n".join(summary.lines()))
    written = _write_reports(args.out, cv, report, results)
    print(f"Reports: {', '.join(str(p) for p in written)}")
    return 1 if failed else 0


def _evaluate(engine, args: argparse.Namespace):
    from bot.evaluation.crossval import cross_validate
    from bot.evaluation.metrics import intent_report
    from bot.evaluation.progress import ProgressBar

    kb = engine.brain.kb
    with ProgressBar(f"cross-validation ({args.folds} folds)") as bar:
        cv = cross_validate(kb, _matcher_factory(), engine.config.nlu, folds=args.folds,
                            seed=args.seed, progress=bar.update)
    report = intent_report(cv.y_true, cv.y_pred)
    macro, weighted = report["macro avg"], report["weighted avg"]
    print(f"Cross-validation: {cv.folds} folds over {len(cv.predictions)} examples in "
          f"{cv.seconds:.1f} s (as `rasa test nlu`: accuracy {report['accuracy']:.3f} "
          f"counting asked-back as misses, ranked first {cv.top1_accuracy:.3f}, macro F1 "
          f"{macro['f1-score']:.3f}, weighted F1 {weighted['f1-score']:.3f})")
    if cv.skipped_intents:
        print(f"  not evaluated (fewer than 2 examples): {', '.join(cv.skipped_intents)}",
              file=sys.stderr)
    return cv, report


def _write_reports(out: Path, cv, report, results) -> list[Path]:
    import json

    from bot.evaluation.html_report import render_html

    out.mkdir(parents=True, exist_ok=True)
    written = []
    if cv is not None and report is not None:
        path = out / "intent_report.json"
        path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n",
                        encoding="utf-8")
        errors = out / "intent_errors.json"
        errors.write_text(json.dumps([p.to_error_json() for p in cv.errors], indent=2,
                                     ensure_ascii=False) + "\n", encoding="utf-8")
        written += [path, errors]
    page = out / "intent_report.html"
    page.write_text(render_html(cv, report, results), encoding="utf-8")
    written.append(page)
    return written
