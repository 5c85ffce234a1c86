"""Write a complete Rasa 3.x project from a knowledge base (``faqbot export rasa DIR``)."""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.config import NluConfig
from bot.export.data import CopiedFile, copy_data
from bot.export.domain import build_domain, domain_intents
from bot.export.pipeline import build_config
from bot.export.rules import ExportRule, implicit_rules
from bot.kb.loader import load_knowledge_base
from bot.kb.model import KnowledgeBase
from bot.kb.validate import ENGINE_RESPONSES

logger = logging.getLogger(__name__)

ACTIONS_PACKAGE = Path(__file__).resolve().parents[1] / "actions"
ACTION_SERVER_URL = "http://localhost:5055/webhook"
RULES_FILE = "rules.yml"
_HEADER = "# Written by `faqbot export rasa`; export again after changing the knowledge base.\n"
_RASA_README = """\
# A Rasa 3.x project exported by faqbot

Train and talk to it with Rasa Open Source 3.6 (Python 3.10):

    rasa data validate
    rasa train
    rasa run actions &          # the custom actions in actions/ (needs only rasa_sdk)
    rasa shell                  # or: rasa run, then POST to /webhooks/rest/webhook

`data/` holds the knowledge base's YAML as it is; `data/{rules}` the rules faqbot
applies without being told (`X -> utter_X`, `faq -> utter_faq`, `nlu_fallback ->
utter_default`). Change the knowledge base in faqbot and export again rather than editing
these files.
"""


class ExportError(Exception):
    """The project cannot be written; the message says why."""


@dataclass(frozen=True)
class ExportReport:
    """What was written, and what Rasa would never use.

    Attributes:
        directory: The project directory.
        files: Every file written, relative to ``directory``.
        data: The knowledge-base files copied into ``data/``.
        rules: The rules added to ``data/rules.yml``.
        unused_intents: Domain intents no rule answers.
        unused_responses: Responses no rule (or retrieval intent) utters.
        engine_only: Responses faqbot's engine says by name (a near-miss refusal, a
            request to rephrase) that no Rasa rule utters: left out of ``data/``; under
            Rasa those messages get the fallback instead.
    """

    directory: Path
    files: tuple[str, ...]
    data: tuple[CopiedFile, ...]
    rules: tuple[ExportRule, ...]
    unused_intents: tuple[str, ...]
    unused_responses: tuple[str, ...]
    engine_only: tuple[str, ...] = ()


def _dump(document: object) -> str:
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=99)


def _unused(kb: KnowledgeBase, rules: list[ExportRule]) -> tuple[list[str], list[str]]:
    """Return the domain intents no rule answers and the responses no rule utters."""
    answered = {r.intent for r in kb.rules} | {r.intent for r in rules}
    uttered = {a for r in kb.rules for a in r.actions} | {a for r in rules for a in r.actions}
    intents = [name for name in domain_intents(kb) if name not in answered]
    responses = [
        name for name in kb.responses
        if name not in uttered and name.split("/", 1)[0] not in uttered
    ]
    return intents, responses


def _prepare(directory: Path, force: bool) -> None:
    if directory.exists() and not directory.is_dir():
        raise ExportError(f"{directory} exists and is not a directory")
    if directory.is_dir() and any(directory.iterdir()):
        if not force:
            raise ExportError(f"{directory} is not empty; pass --force to write over the "
                              f"exported files in it")
        for generated in ("data", "actions"):
            shutil.rmtree(directory / generated, ignore_errors=True)
    directory.mkdir(parents=True, exist_ok=True)


def _copy_actions(target: Path) -> list[Path]:
    written = []
    target.mkdir(parents=True, exist_ok=True)
    for source in sorted(ACTIONS_PACKAGE.iterdir()):
        if source.suffix in (".py", ".yml"):
            shutil.copyfile(source, target / source.name)
            written.append(target / source.name)
    return written


def export_rasa_project(kb_root: str | Path, directory: str | Path, nlu: NluConfig,
                        force: bool = False) -> ExportReport:
    """Write the Rasa project for the knowledge base at ``kb_root`` into ``directory``.

    Args:
        kb_root: The knowledge base (directory or file).
        directory: The project directory (created; must be empty unless ``force``).
        nlu: faqbot's thresholds, carried into Rasa's FallbackClassifier.
        force: Write over a previous export (its ``data/`` and ``actions/`` are replaced).

    Returns:
        What was written.

    Raises:
        ExportError: When the knowledge base does not load or the directory is in use.
        KnowledgeBaseError: With every problem of a broken knowledge base.
    """
    root, out = Path(kb_root), Path(directory)
    kb = load_knowledge_base(root)
    rules = implicit_rules(kb)
    unused_intents, unused = _unused(kb, rules)
    unused_responses = [name for name in unused if name not in ENGINE_RESPONSES]
    engine_only = [name for name in unused if name in ENGINE_RESPONSES]
    _prepare(out, force)
    data = copy_data(kb, root, out / "data", leave_out=frozenset(engine_only))
    taken = {c.target.resolve() for c in data}
    rules_path = out / "data" / RULES_FILE
    if rules_path.resolve() in taken:
        raise ExportError(f"the knowledge base has its own {RULES_FILE}; rename it")
    groups = [g for g in dict.fromkeys(i.retrieval_group for i in kb.intents.values()) if g]
    documents = {
        rules_path: _HEADER + "# The rules faqbot applies without being told.\n"
        + _dump({"version": "3.1", "rules": [r.to_yaml() for r in rules]}),
        out / "domain.yml": _HEADER + "# Responses: in the data/ files they were written in "
        "(Rasa reads them from there).\n" + _dump(build_domain(kb)),
        out / "config.yml": _HEADER + _dump(build_config(nlu, groups)),
        out / "endpoints.yml": _HEADER + "# The custom actions run on `rasa run actions`.\n"
        + _dump({"action_endpoint": {"url": ACTION_SERVER_URL}}),
        out / "credentials.yml": _HEADER + "# The REST channel: POST /webhooks/rest/webhook\n"
        + _dump({"rest": None}),
        out / "README.md": _RASA_README.format(rules=RULES_FILE),
    }
    for path, text in documents.items():
        path.write_text(text, encoding="utf-8")
    actions = _copy_actions(out / "actions")
    written = [c.target for c in data] + list(documents) + actions
    logger.info("exported %d files to %s", len(written), out)
    return ExportReport(
        directory=out,
        files=tuple(str(p.relative_to(out)) for p in written),
        data=tuple(data),
        rules=tuple(rules),
        unused_intents=tuple(unused_intents),
        unused_responses=tuple(unused_responses),
        engine_only=tuple(engine_only),
    )
