"""Read a directory of Rasa 3.x YAML files into a :class:`KnowledgeBase`.

Every ``.yml``/``.yaml`` file below the directory is read, as Rasa reads its data
folder. Files are composed with PyYAML's safe composer within the resource limits of
:mod:`bot.kb.limits` and walked node by node, so each intent, example and response keeps
its ``file:line:column``; structural errors are collected and raised together as
:class:`KnowledgeBaseError`.

A response defined in a file under ``curated/`` overrides one of the same name under
``generated/`` (the compiler's output), so a maintainer changes a generated answer without
recompiling; two definitions within one of them is an error naming both places.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import yaml

from bot.kb.compose import LimitExceededError, compose_limited
from bot.kb.errors import KnowledgeBaseError, Problem
from bot.kb.limits import YamlLimits
from bot.kb.model import (
    Button,
    Example,
    Intent,
    KnowledgeBase,
    LookupTable,
    Response,
    ResponseVariant,
    Rule,
    SourceRef,
    Synonym,
)
from bot.kb.yaml_hints import syntax_hint

logger = logging.getLogger(__name__)

YAML_SUFFIXES = (".yml", ".yaml")
MAX_FILE_BYTES = YamlLimits().max_file_bytes
# Precedence of a definition by the folder its file is in: curated/ overrides generated/.
CURATED, OTHER, GENERATED = 2, 1, 0
_ANNOTATION = re.compile(r"\[(?P<text>[^\]]+)\](?:\((?P<entity>[^)]+)\)|\{[^}]*\})")


def strip_entity_annotations(text: str) -> str:
    """Turn Rasa's ``[a16z](investor)`` markup into the plain text ``a16z``."""
    return _ANNOTATION.sub(lambda m: m.group("text"), text)


def find_yaml_files(root: str | Path) -> list[Path]:
    """Return every YAML file under ``root`` (or ``root`` itself), sorted by path."""
    path = Path(root)
    if path.is_file():
        return [path]
    return sorted(
        p for p in path.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file()
    )


def load_knowledge_base(root: str | Path, limits: YamlLimits | None = None) -> KnowledgeBase:
    """Load every YAML file under ``root`` into one knowledge base.

    Args:
        root: A directory (or a single file) of Rasa 3.x YAML.
        limits: Resource limits (the defaults when None).

    Returns:
        The merged knowledge base.

    Raises:
        KnowledgeBaseError: On unreadable files, YAML syntax errors or structural errors;
            every problem found is reported, each with file, line and column.
    """
    kb, problems = read_knowledge_base(root, limits)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise KnowledgeBaseError(errors)
    for problem in problems:
        logger.warning("%s", problem)
    return kb


def read_knowledge_base(
    root: str | Path, limits: YamlLimits | None = None
) -> tuple[KnowledgeBase, list[Problem]]:
    """Read what can be read under ``root`` and every problem found, without raising.

    :func:`load_knowledge_base` raises on the errors instead.

    Args:
        root: A directory (or a single file) of Rasa 3.x YAML.
        limits: Resource limits (the defaults when None).

    Returns:
        The (possibly partial) knowledge base and the problems, errors and warnings.
    """
    reading = read_files(root, limits)
    return reading.kb, list(reading.problems)


@dataclass(frozen=True)
class Reading:
    """What :func:`read_files` read.

    Attributes:
        kb: The (possibly partial) knowledge base.
        problems: Errors and warnings found while reading.
        files: Every YAML file found.
        documents: The composed document of each file that could be read, by path; a file
            refused (unreadable, a syntax error, past a limit) is not in it.
        refused_texts: The text of each refused file, by path (None when it was not read:
            too large, not UTF-8, unreadable).
    """

    kb: KnowledgeBase
    problems: tuple[Problem, ...]
    files: tuple[str, ...]
    documents: Mapping[str, yaml.Node | None]
    refused_texts: Mapping[str, str | None]

    @property
    def refused(self) -> tuple[str, ...]:
        """Files that could not be read at all."""
        return tuple(self.refused_texts)

    def may_define(self, name: str) -> bool:
        """Whether a refused file may define ``name`` (it names it, or was not read)."""
        return any(text is None or name in text for text in self.refused_texts.values())


def read_files(root: str | Path, limits: YamlLimits | None = None) -> Reading:
    """Read every YAML file under ``root`` within ``limits``; the loader and validate's core.

    ``faqbot validate`` checks the documents read here further, so each file is read and
    composed once, and a file the loader refuses is refused by validate just as fast.

    Args:
        root: A directory (or a single file) of Rasa 3.x YAML.
        limits: Resource limits (the defaults when None).

    Returns:
        The knowledge base, the problems and the composed documents.
    """
    root_path = Path(root)
    empty = KnowledgeBase(MappingProxyType({}), MappingProxyType({}))
    if not root_path.exists():
        problem = Problem(SourceRef(str(root_path), 1, 1), "no such file or directory")
        return Reading(empty, (problem,), (), MappingProxyType({}), MappingProxyType({}))
    files = find_yaml_files(root_path)
    if not files:
        problem = Problem(SourceRef(str(root_path), 1, 1), "no .yml or .yaml files found")
        return Reading(empty, (problem,), (), MappingProxyType({}), MappingProxyType({}))
    reader = _Reader(limits or YamlLimits(), root_path)
    for file in files:
        reader.read_file(file)
    refused = {str(f): reader.texts.get(str(f)) for f in files
               if str(f) not in reader.documents}
    return Reading(reader.build(files), tuple(reader.problems), tuple(str(f) for f in files),
                   MappingProxyType(dict(reader.documents)), MappingProxyType(refused))


def precedence(path: str | Path, root: str | Path) -> int:
    """Return :data:`CURATED`, :data:`GENERATED` or :data:`OTHER` for a file under ``root``."""
    try:
        parts = Path(path).relative_to(root).parts[:-1]
    except ValueError:
        parts = Path(path).parts[:-1]
    if "curated" in parts:
        return CURATED
    return GENERATED if "generated" in parts else OTHER


def _overrides(new: int, old: int) -> bool | None:
    """Say whether a definition of precedence ``new`` replaces one of ``old``.

    Returns:
        True when it replaces it, False when it yields to it, None when the two clash.
    """
    if {new, old} == {CURATED, GENERATED}:
        return new == CURATED
    return None


def _ref(path: str, node: yaml.Node) -> SourceRef:
    return SourceRef(path, node.start_mark.line + 1, node.start_mark.column + 1)


class _FileRefusedError(Exception):
    """A file goes past a limit while it is read; it is refused whole."""

    def __init__(self, node: yaml.Node, message: str) -> None:
        super().__init__(message)
        self.node = node
        self.message = message


class _Reader:
    """Accumulates the content of several files, and the problems found in them."""

    def __init__(self, limits: YamlLimits, root: Path) -> None:
        self.limits = limits
        self.root = root
        self.total_bytes = 0
        self.total_examples = 0
        self.documents: dict[str, yaml.Node | None] = {}
        self.texts: dict[str, str] = {}
        self.tiers: dict[str, int] = {}
        self.problems: list[Problem] = []
        self.intents: dict[str, Intent] = {}
        self.responses: dict[str, Response] = {}
        self.synonyms: list[Synonym] = []
        self.lookups: dict[str, LookupTable] = {}
        self.rules: list[Rule] = []
        self.path = ""
        self.tier = OTHER
        self.lines: list[str] = []

    # -- helpers -----------------------------------------------------------------------
    def error(self, node: yaml.Node | SourceRef, message: str) -> None:
        ref = node if isinstance(node, SourceRef) else _ref(self.path, node)
        self.problems.append(Problem(ref, message))

    def scalar(self, node: yaml.Node, what: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode):
            self.error(node, f"{what} must be a single value")
            return None
        return str(node.value)

    def pairs(self, node: yaml.MappingNode) -> Iterable[tuple[str, yaml.Node, yaml.Node]]:
        seen: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            if key in seen:
                self.error(key_node, f"duplicate key '{key}' (first at line "
                                     f"{seen[key].start_mark.line + 1})")
                continue
            seen[key] = key_node
            yield key, key_node, value_node

    # -- files -------------------------------------------------------------------------
    def read_file(self, file: Path) -> None:
        self.path = str(file)
        top = SourceRef(self.path, 1, 1)
        limits = self.limits
        try:
            size = file.stat().st_size
            if size > limits.max_file_bytes:
                self.error(top, limits.exceeded("max_file_bytes", f"file is {size:,} bytes"))
                return
            self.total_bytes += size
            if self.total_bytes > limits.max_total_bytes:
                self.error(top, limits.exceeded(
                    "max_total_bytes", f"the YAML files up to this one add up to "
                                       f"{self.total_bytes:,} bytes") + "; not read")
                return
            raw = file.read_bytes()
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            self.error(top, f"not UTF-8 text ({exc.reason} at byte {exc.start})")
            return
        except OSError as exc:
            self.error(top, f"cannot read file: {exc.strerror}")
            return
        if "\x00" in text:
            self.error(top, "binary content (NUL byte) in a YAML file")
            return
        try:
            self.texts[self.path] = text
            self.lines = text.splitlines()
            document = compose_limited(text, limits)
        except LimitExceededError as exc:
            mark = exc.mark
            self.error(SourceRef(self.path, mark.line + 1, mark.column + 1) if mark else top,
                       exc.message)
            return
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            ref = SourceRef(self.path, mark.line + 1, mark.column + 1) if mark else top
            problem = exc.problem or str(exc)
            hint = syntax_hint(problem)
            self.error(ref, f"YAML syntax error: {problem}" + (f"; {hint}" if hint else ""))
            return
        except yaml.YAMLError as exc:
            self.error(top, f"YAML error: {exc}")
            return
        self.documents[self.path] = document
        del self.texts[self.path]
        if document is None:
            return
        if not isinstance(document, yaml.MappingNode):
            self.error(document, "top level must be a mapping (version, nlu, responses...)")
            return
        self.tier = precedence(file, self.root)
        before = self.save()
        try:
            for key, _key_node, value in self.pairs(document):
                if key == "nlu":
                    self.read_nlu(value)
                elif key == "responses":
                    self.read_responses(value)
                elif key == "rules":
                    self.read_rules(value)
        except _FileRefusedError as exc:
            # Past a limit: the file is refused whole, as if it could not be parsed, so
            # nothing else is reported about what it would have defined.
            self.restore(before)
            self.error(exc.node, exc.message)
            del self.documents[self.path]
            self.texts[self.path] = text

    def save(self) -> tuple:
        """Return what the files read so far defined (to undo a refused file)."""
        return (dict(self.intents), dict(self.responses), list(self.synonyms),
                dict(self.lookups), list(self.rules), dict(self.tiers), len(self.problems),
                self.total_examples)

    def restore(self, saved: tuple) -> None:
        """Undo what a refused file defined; keep only problems found before it."""
        (self.intents, self.responses, self.synonyms, self.lookups, self.rules, self.tiers,
         count, self.total_examples) = saved
        del self.problems[count:]

    # -- nlu ---------------------------------------------------------------------------
    def read_nlu(self, node: yaml.Node) -> None:
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, "'nlu' must be a list of '- intent:' / '- synonym:' items")
            return
        for item in node.value:
            if not isinstance(item, yaml.MappingNode):
                self.error(item, "each nlu item must be a mapping such as '- intent: name'")
                continue
            fields = {k: (kn, v) for k, kn, v in self.pairs(item)}
            examples_node = fields.get("examples", (None, None))[1]
            if "intent" in fields:
                self.read_intent(item, fields, examples_node)
            elif "synonym" in fields:
                value = self.scalar(fields["synonym"][1], "synonym")
                texts = self.example_block(examples_node, item)
                if value is not None:
                    self.synonyms.append(
                        Synonym(value, tuple(e.text for e in texts), _ref(self.path, item))
                    )
            elif "lookup" in fields:
                name = self.scalar(fields["lookup"][1], "lookup")
                texts = self.example_block(examples_node, item)
                if name is not None:
                    old = self.lookups.get(name)
                    elements = (old.elements if old else ()) + tuple(e.text for e in texts)
                    self.lookups[name] = LookupTable(name, elements, _ref(self.path, item))
            elif "regex" in fields:
                self.example_block(examples_node, item)

    def read_intent(self, item: yaml.Node, fields: dict, examples_node: yaml.Node | None) -> None:
        name = self.scalar(fields["intent"][1], "intent name")
        if not name:
            return
        old = self.intents.get(name)
        examples = self.example_block(examples_node, item,
                                      intent=name, already=len(old.examples) if old else 0)
        metadata: dict[str, object] = {}
        if "metadata" in fields:
            loaded = yaml.safe_load(yaml.serialize(fields["metadata"][1]))
            if isinstance(loaded, dict):
                metadata = loaded
        if old is not None:
            examples = list(old.examples) + examples
            if _overrides(self.tier, self.tiers.get(f"intent:{name}", self.tier)) is False:
                metadata = {**metadata, **old.metadata}  # curated metadata wins
            else:
                metadata = {**old.metadata, **metadata}
        if old is None or _overrides(self.tier, self.tiers[f"intent:{name}"]):
            self.tiers[f"intent:{name}"] = self.tier
        self.intents[name] = Intent(
            name=name,
            examples=tuple(examples),
            metadata=MappingProxyType(metadata),
            source=old.source if old else _ref(self.path, item),
        )

    def indent_of(self, line: int, node: yaml.Node) -> int:
        """Return the 1-based column where the text of ``line`` starts (for examples)."""
        if 1 <= line <= len(self.lines) and self.lines[line - 1].strip():
            raw = self.lines[line - 1]
            return len(raw) - len(raw.lstrip()) + 1
        return node.start_mark.column + 1

    def example_block(self, node: yaml.Node | None, owner: yaml.Node, intent: str = "",
                      already: int = 0) -> list[Example]:
        if node is None:
            self.error(owner, "missing 'examples' block")
            return []
        if not isinstance(node, yaml.ScalarNode):
            self.error(node, "'examples' must be a block of '- ' lines (use 'examples: |')")
            return []
        self.within_example_limits(node, intent, already)
        # Lines of a literal block start on the line after the '|' indicator.
        first_line = node.start_mark.line + (2 if node.style in ("|", ">") else 1)
        examples: list[Example] = []
        for offset, line in enumerate(str(node.value).splitlines()):
            stripped = line.strip()
            if not stripped:
                continue
            ref = SourceRef(self.path, first_line + offset, self.indent_of(first_line + offset,
                                                                    node))
            if not stripped.startswith("- "):
                self.error(ref, f"example line must start with '- ': {stripped[:60]!r}")
                continue
            raw = stripped[2:].strip()
            text = strip_entity_annotations(raw)
            if text:
                entities = tuple((m.group("text"), m.group("entity"))
                                 for m in _ANNOTATION.finditer(raw) if m.group("entity"))
                examples.append(Example(text, ref, entities))
        return examples

    def within_example_limits(self, node: yaml.ScalarNode, intent: str, already: int) -> None:
        """Count a block's lines against the example limits before reading it.

        Raises:
            _FileRefusedError: When the block would go past a limit.
        """
        limits = self.limits
        lines = str(node.value).count("\n") + 1
        if intent and already + lines > limits.max_examples_per_intent:
            raise _FileRefusedError(node, limits.exceeded(
                "max_examples_per_intent",
                f"intent '{intent}' would have {already + lines:,} example lines"))
        self.total_examples += lines
        if self.total_examples > limits.max_examples:
            raise _FileRefusedError(node, limits.exceeded(
                "max_examples", f"the example lines of the files up to this block add up "
                                f"to {self.total_examples:,}"))

    # -- responses ---------------------------------------------------------------------
    def read_responses(self, node: yaml.Node) -> None:
        if not isinstance(node, yaml.MappingNode):
            self.error(node, "'responses' must map response names to lists of variations")
            return
        for name, key_node, value in self.pairs(node):
            if not isinstance(value, yaml.SequenceNode):
                self.error(value, f"response '{name}' must be a list of '- text:' items")
                continue
            variants = [v for v in (self.read_variant(n) for n in value.value) if v]
            if not variants:
                self.error(key_node, f"response '{name}' has no text")
                continue
            if name in self.responses:
                wins = _overrides(self.tier, self.tiers[f"response:{name}"])
                if wins is None:
                    self.error(key_node, f"response '{name}' is defined twice "
                                         f"(first at {self.responses[name].source})")
                    continue
                logger.debug("response %s: the curated definition overrides the generated "
                             "one", name)
                if not wins:
                    continue
            self.tiers[f"response:{name}"] = self.tier
            self.responses[name] = Response(name, tuple(variants), _ref(self.path, key_node))

    def read_variant(self, node: yaml.Node) -> ResponseVariant | None:
        if not isinstance(node, yaml.MappingNode):
            self.error(node, "a response variation must be a mapping with 'text'")
            return None
        fields = {k: v for k, _, v in self.pairs(node)}
        text = self.scalar(fields["text"], "text") if "text" in fields else None
        buttons: list[Button] = []
        if "buttons" in fields:
            if not isinstance(fields["buttons"], yaml.SequenceNode):
                self.error(fields["buttons"], "'buttons' must be a list")
            else:
                for b in fields["buttons"].value:
                    bf = {k: v for k, _, v in self.pairs(b)} if isinstance(
                        b, yaml.MappingNode) else {}
                    if "title" not in bf or "payload" not in bf:
                        self.error(b, "a button needs 'title' and 'payload'")
                        continue
                    title = self.scalar(bf["title"], "title")
                    payload = self.scalar(bf["payload"], "payload")
                    if title is not None and payload is not None:
                        buttons.append(Button(title, payload,
                                              _ref(self.path, bf["payload"])))
        if not text and not buttons:
            self.error(node, "a response variation needs 'text'")
            return None
        return ResponseVariant(text or "", tuple(buttons))

    # -- rules -------------------------------------------------------------------------
    def read_rules(self, node: yaml.Node) -> None:
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, "'rules' must be a list of '- rule:' items")
            return
        for item in node.value:
            if not isinstance(item, yaml.MappingNode):
                self.error(item, "each rule must be a mapping with 'rule' and 'steps'")
                continue
            fields = {k: v for k, _, v in self.pairs(item)}
            name = self.scalar(fields["rule"], "rule") if "rule" in fields else "rule"
            steps = fields.get("steps")
            if not isinstance(steps, yaml.SequenceNode):
                self.error(item, "a rule needs a list of 'steps'")
                continue
            intent, actions = None, []
            for step in steps.value:
                sf = {k: v for k, _, v in self.pairs(step)} if isinstance(
                    step, yaml.MappingNode) else {}
                if "intent" in sf and intent is None:
                    intent = self.scalar(sf["intent"], "intent")
                elif "action" in sf:
                    action = self.scalar(sf["action"], "action")
                    if action:
                        actions.append(action)
            if intent and actions:
                self.rules.append(Rule(name or "rule", intent, tuple(actions),
                                       _ref(self.path, item)))

    def build(self, files: list[Path]) -> KnowledgeBase:
        return KnowledgeBase(
            intents=MappingProxyType(dict(self.intents)),
            responses=MappingProxyType(dict(self.responses)),
            synonyms=tuple(self.synonyms),
            lookups=tuple(self.lookups.values()),
            rules=tuple(self.rules),
            files=tuple(str(f) for f in files),
        )
