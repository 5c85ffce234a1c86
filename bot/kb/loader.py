"""Read a directory of Rasa 3.x YAML files into a :class:`KnowledgeBase`.

Every ``.yml``/``.yaml`` file below the directory is read, as Rasa reads its data
folder. Files are parsed with PyYAML's safe composer and walked node by node, so each
intent, example and response keeps its ``file:line:column``; structural errors are
collected and raised together as :class:`KnowledgeBaseError`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from pathlib import Path
from types import MappingProxyType

import yaml

from bot.kb.errors import KnowledgeBaseError, Problem
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

logger = logging.getLogger(__name__)

YAML_SUFFIXES = (".yml", ".yaml")
MAX_FILE_BYTES = 10 * 1024 * 1024
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


def load_knowledge_base(root: str | Path) -> KnowledgeBase:
    """Load every YAML file under ``root`` into one knowledge base.

    Args:
        root: A directory (or a single file) of Rasa 3.x YAML.

    Returns:
        The merged knowledge base.

    Raises:
        KnowledgeBaseError: On unreadable files, YAML syntax errors or structural errors;
            every problem found is reported, each with file, line and column.
    """
    kb, problems = read_knowledge_base(root)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise KnowledgeBaseError(errors)
    for problem in problems:
        logger.warning("%s", problem)
    return kb


def read_knowledge_base(root: str | Path) -> tuple[KnowledgeBase, list[Problem]]:
    """Read what can be read under ``root`` and every problem found, without raising.

    ``faqbot validate`` uses this to check the rest of a knowledge base when one file is
    broken; :func:`load_knowledge_base` raises on the first list of errors instead.

    Args:
        root: A directory (or a single file) of Rasa 3.x YAML.

    Returns:
        The (possibly partial) knowledge base and the problems, errors and warnings.
    """
    root_path = Path(root)
    if not root_path.exists():
        problem = Problem(SourceRef(str(root_path), 1, 1), "no such file or directory")
        return KnowledgeBase(MappingProxyType({}), MappingProxyType({})), [problem]
    files = find_yaml_files(root_path)
    if not files:
        problem = Problem(SourceRef(str(root_path), 1, 1), "no .yml or .yaml files found")
        return KnowledgeBase(MappingProxyType({}), MappingProxyType({})), [problem]
    reader = _Reader()
    for file in files:
        reader.read_file(file)
    return reader.build(files), list(reader.problems)


def _ref(path: str, node: yaml.Node) -> SourceRef:
    return SourceRef(path, node.start_mark.line + 1, node.start_mark.column + 1)


class _Reader:
    """Accumulates the content of several files, and the problems found in them."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.intents: dict[str, Intent] = {}
        self.responses: dict[str, Response] = {}
        self.synonyms: list[Synonym] = []
        self.lookups: dict[str, LookupTable] = {}
        self.rules: list[Rule] = []
        self.path = ""
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
        try:
            if file.stat().st_size > MAX_FILE_BYTES:
                self.error(top, f"file is larger than {MAX_FILE_BYTES} bytes")
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
            self.lines = text.splitlines()
            document = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            ref = SourceRef(self.path, mark.line + 1, mark.column + 1) if mark else top
            self.error(ref, f"YAML syntax error: {exc.problem or exc}")
            return
        except yaml.YAMLError as exc:
            self.error(top, f"YAML error: {exc}")
            return
        if document is None:
            return
        if not isinstance(document, yaml.MappingNode):
            self.error(document, "top level must be a mapping (version, nlu, responses...)")
            return
        for key, _key_node, value in self.pairs(document):
            if key == "nlu":
                self.read_nlu(value)
            elif key == "responses":
                self.read_responses(value)
            elif key == "rules":
                self.read_rules(value)

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
        examples = self.example_block(examples_node, item)
        metadata: dict[str, object] = {}
        if "metadata" in fields:
            loaded = yaml.safe_load(yaml.serialize(fields["metadata"][1]))
            if isinstance(loaded, dict):
                metadata = loaded
        old = self.intents.get(name)
        if old is not None:
            examples = list(old.examples) + examples
            metadata = {**old.metadata, **metadata}
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

    def example_block(self, node: yaml.Node | None, owner: yaml.Node) -> list[Example]:
        if node is None:
            self.error(owner, "missing 'examples' block")
            return []
        if not isinstance(node, yaml.ScalarNode):
            self.error(node, "'examples' must be a block of '- ' lines (use 'examples: |')")
            return []
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
                self.error(key_node, f"response '{name}' is defined twice "
                                     f"(first at {self.responses[name].source})")
                continue
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
