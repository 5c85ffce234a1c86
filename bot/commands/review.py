"""``faqbot review``: group unanswered questions, add phrasings to intents, dismiss."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from bot.commands.common import (
    SetupError,
    add_kb_arguments,
    default_intents_dir,
    fail,
    load_config_for,
)


def _common(parser: argparse.ArgumentParser, top: bool = False) -> None:
    """Add the shared options; on actions they default to what was given before them."""
    if top:
        add_kb_arguments(parser)
    else:
        parser.add_argument("--intents", type=Path, default=argparse.SUPPRESS, metavar="DIR",
                            help="knowledge base directory")
        parser.add_argument("--config", type=Path, default=argparse.SUPPRESS, metavar="FILE",
                            help="engine configuration YAML")
    parser.add_argument("--log", "--log-unanswered", dest="log", type=Path,
                        default=None if top else argparse.SUPPRESS, metavar="PATH",
                        help="the unanswered-question log (default: the one the bot writes)")
    parser.add_argument("--similarity", type=float, default=75.0 if top else argparse.SUPPRESS,
                        metavar="0-100",
                        help="how alike two questions must be to be grouped (default 75)")
    parser.add_argument("--all", dest="all_kbs", action="store_true",
                        default=False if top else argparse.SUPPRESS,
                        help="questions asked of every knowledge base, not only of --intents")


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``review`` sub-command and its actions."""
    parser = sub.add_parser(
        "review", help="review unanswered questions and teach the bot new phrasings",
        description="Without an action, list the unanswered questions grouped by "
                    "similarity, most asked first, with the closest intents.",
    )
    _common(parser, top=True)
    parser.add_argument("--json", action="store_true", help="list the groups as JSON")
    parser.add_argument("--limit", type=int, default=20, help="show at most N groups")
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    add = actions.add_parser("add", help="add a phrasing to an intent's examples")
    _common(add)
    add.add_argument("text", nargs="?", help="the phrasing to add")
    add.add_argument("--group", type=int, metavar="N",
                     help="use group N's phrasing (numbers as listed by 'faqbot review')")
    add.add_argument("--intent", required=True, help="the intent it means")
    dismiss = actions.add_parser("dismiss", help="mark a group reviewed without a change")
    _common(dismiss)
    dismiss.add_argument("text", nargs="?", help="a phrasing of the group")
    dismiss.add_argument("--group", type=int, metavar="N", help="group number")
    interactive = actions.add_parser("interactive", help="go through the groups one by one")
    _common(interactive)
    parser.set_defaults(run=run)
    for action in (add, dismiss, interactive):
        action.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the chosen review action."""
    from bot.review.session import Reviewer, render_group, run_interactive
    from bot.review.yaml_edit import ReviewError
    from bot.unanswered.store import UnansweredLog, default_log_path, kb_id

    try:
        config = load_config_for(args)
    except SetupError as exc:
        return fail(str(exc))
    log_path = args.log or default_log_path()
    if not log_path.exists() and args.action in (None, "dismiss", "interactive"):
        print(f"No unanswered questions yet ({log_path} does not exist).")
        return 0
    if not 0 <= args.similarity <= 100:
        return fail("--similarity must be between 0 and 100")
    try:
        log = UnansweredLog(log_path)
    except Exception as exc:  # sqlite3.Error, OSError: a clear message, not a traceback
        return fail(f"cannot open the unanswered log {log_path}: {exc}")
    with log:
        intents = args.intents or default_intents_dir()
        reviewer = Reviewer(log, intents, config.nlu, args.similarity,
                            kb=None if args.all_kbs else kb_id(intents))
        if args.action == "interactive":
            return run_interactive(reviewer)
        if args.action in ("add", "dismiss"):
            groups = reviewer.groups()
            group = None
            if args.group is not None:
                if not 1 <= args.group <= len(groups):
                    return fail(f"there is no group {args.group} (1-{len(groups)})")
                group = groups[args.group - 1]
            text = args.text or (group.representative if group else None)
            if not text:
                return fail("give the phrasing, or --group N")
            if args.action == "dismiss":
                from bot.review.grouping import find_group

                group = group or find_group(groups, text, args.similarity)
                if group is None:
                    return fail(f"no pending question like {text!r}")
                print(f"Dismissed {reviewer.dismiss(group)} question(s).")
                return 0
            try:
                result, marked = reviewer.add(text, args.intent, group)
            except ReviewError as exc:
                return fail(str(exc))
            verb = "Added" if result.added else "Already there:"
            print(f"{verb} {text!r} -> {args.intent} ({result.path}); "
                  f"{marked} question(s) marked reviewed.")
            return 0
        groups = reviewer.groups()
        if args.json:
            print(json.dumps([
                {"group": n, "text": g.representative, "count": g.count, "senders": g.senders,
                 "last_seen": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(g.last_seen)),
                 "phrasings": list(g.phrasings), "ids": list(g.ids),
                 "closest": [s.to_json() for s in reviewer.closest(g)],
                 "answered_now": reviewer.answered_now(g)}
                for n, g in enumerate(groups[: args.limit], 1)
            ], indent=2, ensure_ascii=False))
            return 0
        if not groups:
            others = len(log.questions()) if reviewer.kb is not None else 0
            print("No unanswered questions to review"
                  + (f" for {intents} ({others} asked of other knowledge bases: --all)."
                     if others else "."))
            return 0
        total = sum(g.count for g in groups)
        print(f"{total} unanswered question(s) in {len(groups)} group(s):\n")
        for number, group in enumerate(groups[: args.limit], 1):
            print(render_group(number, group, reviewer.closest(group),
                               reviewer.answered_now(group)) + "\n")
        print('Add a phrasing: faqbot review add "TEXT" --intent NAME (or --group N); '
              "faqbot review interactive", file=sys.stderr)
        return 0
