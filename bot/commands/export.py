"""``faqbot export rasa DIR``: write the knowledge base as a Rasa 3.x project."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.commands.common import SetupError, default_intents_dir, fail, load_config_for


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``export`` sub-command."""
    parser = sub.add_parser(
        "export", help="write the knowledge base as a Rasa 3.x project (rasa train, run)",
        description="Write a complete Rasa 3.x project into DIR: data/ (the knowledge base "
                    "as it is, plus rules.yml with the rules faqbot applies implicitly), "
                    "domain.yml, config.yml, endpoints.yml, credentials.yml and actions/.",
    )
    parser.add_argument("format", choices=["rasa"], help="the project format (rasa)")
    parser.add_argument("directory", type=Path, metavar="DIR",
                        help="project directory to write (created; must be empty)")
    parser.add_argument("--intents", type=Path, default=None, metavar="DIR",
                        help="knowledge base directory (default: ./intents or the shipped one)")
    parser.add_argument("--config", type=Path, default=None, metavar="FILE",
                        help="engine configuration YAML whose thresholds the Rasa fallback "
                             "uses (default: the packaged defaults)")
    parser.add_argument("--force", action="store_true",
                        help="write over a previous export in DIR")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Export, then print what was written and how to train it."""
    from bot.export.project import ExportError, export_rasa_project
    from bot.kb.errors import KnowledgeBaseError

    intents = args.intents or default_intents_dir()
    try:
        config = load_config_for(args)
        report = export_rasa_project(intents, args.directory, config.nlu, force=args.force)
    except SetupError as exc:
        return fail(str(exc))
    except KnowledgeBaseError as exc:
        return fail(f"cannot load knowledge base {intents}:\n{exc}")
    except (ExportError, OSError) as exc:
        return fail(f"cannot export: {exc}")
    lines = [f"wrote a Rasa 3.x project to {report.directory}: {len(report.data)} data "
             f"files, {len(report.rules)} rules added in data/rules.yml, domain.yml, "
             f"config.yml, endpoints.yml, credentials.yml, actions/"]
    engine_only = set(report.engine_only)
    for copied in report.data:
        overridden = [name for name in copied.dropped if name not in engine_only]
        if overridden:
            lines.append(f"  {copied.target}: left out {', '.join(overridden)} "
                         f"(a curated definition wins)")
    if report.unused_intents:
        lines.append(f"  warning: no rule answers {', '.join(report.unused_intents)}")
    if report.unused_responses:
        lines.append(f"  warning: no rule utters {', '.join(report.unused_responses)}")
    if report.engine_only:
        lines.append(f"  left out {', '.join(report.engine_only)}: faqbot's engine says "
                     f"them by name; Rasa has no such step and says utter_default instead")
    lines += ["next, with Rasa Open Source 3.6 (Python 3.10), in that directory:",
              "  rasa data validate && rasa train",
              "  rasa run actions &   then   rasa shell"]
    print("\n".join(lines))
    return 0
