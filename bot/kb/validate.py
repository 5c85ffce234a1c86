"""Check a knowledge base and report every problem at once, each at ``file:line:column``.

Checks, in order: YAML syntax, resource limits and structure (the loader), Rasa keys and
types (:mod:`bot.kb.schema`), YAML 1.1 traps and duplicate keys (:mod:`bot.kb.yaml_traps`),
optionally Rasa's own schemas (:mod:`bot.kb.rasa_schema`), then the knowledge base as a
whole: intents nothing answers, responses nothing uses, rules and buttons naming unknown
intents or responses, the same example in two intents, and examples that the real matcher
cannot tell apart (:mod:`bot.kb.confusion`).

:func:`check_files` is everything but Rasa's schemas and the matcher: hot reload runs it
too (:func:`load_checked`), so what validate calls an error is never served. When a file
cannot be read (a syntax error), a name it may define is not reported missing elsewhere
("intent 'help' has no response" would be a knock-on effect of that first cause).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.config import NluConfig
from bot.kb.errors import KnowledgeBaseError, Problem
from bot.kb.limits import YamlLimits
from bot.kb.loader import Reading, read_files
from bot.kb.model import FALLBACK_INTENT, KnowledgeBase, SourceRef
from bot.kb.schema import check_schema
from bot.kb.yaml_traps import find_traps
from bot.nlu.normalize import normalize
from bot.nlu.parse import Matcher

logger = logging.getLogger(__name__)

# Responses the engine or adapters use by name, so no intent needs to name them.
ENGINE_RESPONSES = frozenset({
    "utter_default", "utter_fallback", "utter_ask_rephrase", "utter_help", "utter_start",
    "utter_welcome", "utter_did_you_mean", "utter_suggest", "utter_out_of_scope",
})
# Built-in Rasa actions a rule may name without a response behind them.
BUILTIN_ACTIONS = frozenset({
    "action_listen", "action_restart", "action_session_start", "action_default_fallback",
    "action_deactivate_loop", "action_two_stage_fallback", "action_back",
})


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of :func:`validate_knowledge_base`.

    Attributes:
        problems: Every problem found, sorted by file and position.
        files: The YAML files checked.
        kb: What could be loaded (possibly partial when there are errors).
        rasa_schemas: The Rasa version whose schemas were applied, or why they were not.
    """

    problems: tuple[Problem, ...]
    files: tuple[str, ...] = ()
    kb: KnowledgeBase | None = None
    rasa_schemas: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def errors(self) -> list[Problem]:
        """Problems of severity ``error``."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Problems of severity ``warning``."""
        return [p for p in self.problems if p.severity == "warning"]


def check_files(reading: Reading) -> tuple[list[Problem], list[str]]:
    """Run every check that needs neither Rasa's schemas nor the matcher.

    Args:
        reading: What the loader read (:func:`bot.kb.loader.read_files`).

    Returns:
        The problems, sorted by position, and notes on checks skipped.
    """
    problems = list(reading.problems)
    for path, document in reading.documents.items():
        problems.extend(check_schema(path, document))
        problems.extend(find_traps(path, document))
    notes: list[str] = []
    kb = reading.kb
    if kb.intents or kb.responses:
        problems.extend(check_references(kb, reading.may_define))
        problems.extend(check_duplicate_examples(kb))
    if reading.refused:
        notes.append("names that the files which cannot be read may define are not "
                     "reported missing: fix those files first")
    return _dedupe_sorted(problems), notes


def load_checked(root: str | Path, limits: YamlLimits | None = None) -> KnowledgeBase:
    """Load a knowledge base to serve it: refused on any error of :func:`check_files`.

    Args:
        root: Knowledge base directory (or a single file).
        limits: Resource limits (the defaults when None).

    Returns:
        The knowledge base (warnings are logged).

    Raises:
        KnowledgeBaseError: With every error, each at file:line:column.
    """
    reading = read_files(root, limits)
    problems, _notes = check_files(reading)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise KnowledgeBaseError(errors)
    for problem in problems:
        logger.debug("%s", problem)
    return reading.kb


def _payload_intent(payload: str) -> str | None:
    """Return ``faq/funding`` for ``/faq/funding`` or ``/faq/funding{"x": 1}``."""
    if not payload.startswith("/"):
        return None
    return payload[1:].split("{", 1)[0].strip()


def check_references(
    kb: KnowledgeBase, may_be_elsewhere: Callable[[str], bool] = lambda _name: False
) -> list[Problem]:
    """Return problems of the knowledge base as a whole (names pointing nowhere).

    Args:
        kb: A loaded knowledge base.
        may_be_elsewhere: Whether a missing name may be defined in a file that could not
            be read; such a name is not reported.

    Returns:
        Intents with no answer, responses with no intent, rules, buttons and ``related``
        metadata naming unknown intents or responses.
    """
    problems: list[Problem] = []
    unknown = SourceRef("?", 1, 1)
    used: set[str] = set(ENGINE_RESPONSES)
    missing = _Missing(may_be_elsewhere)
    for rule in kb.rules:
        source = rule.source or unknown
        if missing(rule.intent, kb.intents):
            problems.append(Problem(source, f"rule '{rule.name}' names intent "
                                            f"'{rule.intent}', which has no examples"))
        for action in rule.actions:
            used.add(action)
            if action.startswith("utter_") and missing(action, kb.responses):
                problems.append(Problem(source, f"rule '{rule.name}' runs response "
                                                f"'{action}', which is not defined"))
    for name, intent in kb.intents.items():
        source = intent.source or unknown
        if name == FALLBACK_INTENT:
            continue
        if not kb.actions_for(name) and not may_be_elsewhere(f"utter_{name}"):
            problems.append(Problem(
                source, f"intent '{name}' has no response 'utter_{name}' and no rule; "
                        "the bot could recognise it but would have nothing to say"))
        used.add(f"utter_{name}")
        related = intent.metadata.get("related") if intent.metadata else None
        if related is not None:
            if not isinstance(related, list | tuple):
                problems.append(Problem(source, f"intent '{name}': metadata 'related' must "
                                                "be a list of intent names"))
            else:
                for other in related:
                    if missing(str(other), kb.intents):
                        problems.append(Problem(source, f"intent '{name}': related intent "
                                                        f"'{other}' does not exist"))
    for name, response in kb.responses.items():
        source = response.source or unknown
        if name not in used and not may_be_elsewhere(name.removeprefix("utter_")):
            problems.append(Problem(
                source, f"response '{name}' answers no intent (there is no intent "
                        f"'{name.removeprefix('utter_')}') and no rule runs it"))
        for variant in response.variants:
            for button in variant.buttons:
                target = _payload_intent(button.payload)
                if target is not None and missing(target, kb.intents):
                    problems.append(Problem(
                        button.source or source,
                        f"response '{name}': button '{button.title}' payload "
                                f"'{button.payload}' names no intent"))
    return problems


class _Missing:
    """``missing(name, known)``: not in ``known`` and not possibly defined elsewhere."""

    def __init__(self, may_be_elsewhere: Callable[[str], bool]) -> None:
        self.may_be_elsewhere = may_be_elsewhere

    def __call__(self, name: str, known: object) -> bool:
        return name not in known and not self.may_be_elsewhere(name)  # type: ignore[operator]


def check_duplicate_examples(kb: KnowledgeBase) -> list[Problem]:
    """Return the examples that appear twice (after normalisation).

    The same phrasing in two intents is an error (the matcher cannot choose); twice in
    one intent is a warning (harmless, but it weighs the intent twice).
    """
    problems: list[Problem] = []
    seen: dict[str, tuple[str, object]] = {}
    for name, intent in kb.intents.items():
        for example in intent.examples:
            key = normalize(example.text) or example.text.strip().casefold()
            source = example.source or intent.source or SourceRef("?", 1, 1)
            if key not in seen:
                seen[key] = (name, example)
                continue
            first_intent, first = seen[key]
            where = first.source if getattr(first, "source", None) else "?"
            if first_intent == name:
                problems.append(Problem(source, f"example {example.text!r} is repeated in "
                                                f"intent '{name}' (first at {where})",
                                        "warning"))
            else:
                problems.append(Problem(
                    source, f"example {example.text!r} of intent '{name}' is also an example "
                            f"of intent '{first_intent}' (at {where}); keep it in one"))
    return problems


def validate_knowledge_base(
    root: str | Path,
    nlu: NluConfig | None = None,
    matcher_factory: Callable[[KnowledgeBase], Matcher] | None = None,
    rasa_schemas: str | Path | None | bool = None,
    check_confusion: bool = True,
    progress: Callable[[int, int], None] | None = None,
    limits: YamlLimits | None = None,
) -> ValidationReport:
    """Check everything under ``root`` and return every problem found.

    Args:
        root: Knowledge base directory (or a single file).
        nlu: Decision thresholds (the packaged defaults when None).
        matcher_factory: Builds the matcher for the confusion check
            (``bot.nlu.matcher.build_matcher`` when None).
        rasa_schemas: A directory of Rasa's schema files; None to use them when they were
            fetched; False to skip them.
        check_confusion: Run the (slower) matcher confusion check.
        progress: Called with ``(done, total)`` during the confusion check.
        limits: Resource limits (the defaults when None).

    Returns:
        The report.
    """
    reading = read_files(root, limits)
    kb = reading.kb
    problems, notes = check_files(reading)
    # Only files the loader read: a refused one (say 50 MB) is not read again here.
    schemas_note = _apply_rasa_schemas([Path(f) for f in reading.documents], rasa_schemas,
                                       problems)
    if check_confusion and kb.answerable_intents() and not any(
        p.severity == "error" for p in problems
    ):
        from bot.kb.confusion import find_confusions, find_heldout_confusions, merge_confusions

        factory = matcher_factory or _real_matcher_factory()
        nlu = nlu or NluConfig()
        try:
            if matcher_factory is None:  # the bot's own (cached) index for the whole KB
                from bot.nlu.matcher import build_matcher

                full = build_matcher(kb)
            else:
                full = matcher_factory(kb)
            confusions = merge_confusions(
                find_confusions(kb, full, nlu, progress),
                find_heldout_confusions(kb, factory, nlu, progress=progress),
            )
            problems.extend(c.to_problem() for c in confusions)
        except Exception as exc:  # a broken matcher must not hide the other problems
            logger.exception("confusion check failed")
            notes.append(f"matcher confusion check skipped: {exc}")
    elif check_confusion:
        notes.append("matcher confusion check skipped: fix the errors first")
    return ValidationReport(
        problems=tuple(_dedupe_sorted(problems)),
        files=reading.files,
        kb=kb,
        rasa_schemas=schemas_note,
        notes=tuple(notes),
    )


def _real_matcher_factory() -> Callable[[KnowledgeBase], Matcher]:
    """The real matcher, without its on-disk cache when it has one (folds are throwaway)."""
    import inspect

    from bot.nlu.matcher import build_matcher

    if "use_cache" in inspect.signature(build_matcher).parameters:
        return lambda kb: build_matcher(kb, use_cache=False)
    return build_matcher


def _apply_rasa_schemas(
    files: list[Path], rasa_schemas: str | Path | None | bool, problems: list[Problem]
) -> str:
    if rasa_schemas is False:
        return "Rasa schemas: skipped"
    from bot.kb.rasa_schema import (
        RasaSchemasUnavailableError,
        find_rasa_schemas,
        validate_with_rasa,
    )

    try:
        schemas = find_rasa_schemas(None if rasa_schemas in (None, True) else rasa_schemas)
    except RasaSchemasUnavailableError as exc:
        return f"Rasa schemas: not checked ({exc})"
    # Our own checks say the same things more precisely; Rasa's add what they missed.
    located = {(p.source.path, p.source.line) for p in problems if p.severity == "error"}
    for file in files:
        problems.extend(p for p in validate_with_rasa(file, schemas)
                        if (p.source.path, p.source.line) not in located)
    return f"Rasa schemas: checked against Rasa {schemas.version}'s own schemas"


def _position(problem: Problem) -> tuple[str, int, int]:
    return problem.source.path, problem.source.line, problem.source.column


def _dedupe_sorted(problems: list[Problem]) -> list[Problem]:
    """Sort by position; drop repeats (a duplicate key is found by two checks)."""
    kept: list[Problem] = []
    seen: set[tuple] = set()
    for problem in sorted(problems, key=lambda p: (*_position(p), p.severity, p.message)):
        kind = "duplicate key" if problem.message.startswith("duplicate key") else problem.message
        key = (*_position(problem), kind)
        if key in seen:
            continue
        seen.add(key)
        kept.append(problem)
    return kept
