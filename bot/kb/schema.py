"""Check Rasa 3.x file structure key by key, with ``file:line:column`` for each problem.

This mirrors the keys Rasa's own schemas accept (``nlu.yml``, ``responses.yml`` and
``stories.yml`` in the Rasa package) but, unlike them, points at the exact key and
suggests the key that was probably meant (``exampels`` -> ``examples``). It also catches
what Rasa's catch-all top-level rule lets through: a misspelt ``respones:`` section.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Iterator

import yaml

from bot.kb.errors import Problem
from bot.kb.model import SourceRef

logger = logging.getLogger(__name__)

STR_TAG = "tag:yaml.org,2002:str"

DOMAIN_KEYS = frozenset(
    {"intents", "entities", "slots", "actions", "forms", "session_config", "config"}
)
TOP_KEYS = frozenset({"version", "nlu", "responses", "rules", "stories"}) | DOMAIN_KEYS
NLU_KINDS = {
    "intent": frozenset({"intent", "metadata", "examples"}),
    "synonym": frozenset({"synonym", "examples"}),
    "regex": frozenset({"regex", "examples"}),
    "lookup": frozenset({"lookup", "examples"}),
}
VARIANT_KEYS = frozenset({
    "id", "text", "image", "custom", "buttons", "button_type", "quick_replies",
    "attachment", "elements", "channel", "metadata", "condition",
})
BUTTON_KEYS = frozenset({"title", "payload"})
RULE_KEYS = frozenset(
    {"rule", "metadata", "steps", "condition", "conversation_start", "wait_for_user_input"}
)
STORY_KEYS = frozenset({"story", "metadata", "steps"})
STEP_KEYS = frozenset(
    {"intent", "user", "entities", "action", "active_loop", "slot_was_set", "or", "bot",
     "checkpoint"}
)


def _ref(path: str, node: yaml.Node) -> SourceRef:
    return SourceRef(path, node.start_mark.line + 1, node.start_mark.column + 1)


def _pairs(node: yaml.MappingNode) -> Iterator[tuple[str, yaml.Node, yaml.Node]]:
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else "<complex key>"
        yield str(key), key_node, value_node


def _suggest(key: str, allowed: frozenset[str] | set[str]) -> str:
    close = difflib.get_close_matches(key, sorted(allowed), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class SchemaChecker:
    """Walks one composed YAML document and collects structure problems."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def error(self, node: yaml.Node, message: str, severity: str = "error") -> None:
        """Record a problem at ``node``."""
        self.problems.append(Problem(_ref(self.path, node), message, severity))

    def keys(self, node: yaml.MappingNode, allowed: frozenset[str], where: str) -> None:
        """Report keys of ``node`` not in ``allowed``."""
        for key, key_node, _ in _pairs(node):
            if key not in allowed:
                self.error(key_node, f"unknown key '{key}' in {where}{_suggest(key, allowed)}; "
                                     f"allowed: {', '.join(sorted(allowed))}")

    def check_document(self, document: yaml.Node | None) -> list[Problem]:
        """Check a whole file and return the problems found."""
        if document is None or not isinstance(document, yaml.MappingNode):
            return self.problems  # the loader reports empty or non-mapping files
        for key, key_node, value in _pairs(document):
            if key == "version":
                self.check_version(value)
            elif key == "nlu":
                self.check_nlu(value)
            elif key == "responses":
                self.check_responses(value)
            elif key in ("rules", "stories"):
                self.check_flows(value, key)
            elif key not in TOP_KEYS:
                self.error(key_node, f"unknown top-level key '{key}'{_suggest(key, TOP_KEYS)}; "
                                     "Rasa ignores it, so its content is never used")
        return self.problems

    def check_version(self, node: yaml.Node) -> None:
        """``version`` must be a string such as ``"3.1"``."""
        if not isinstance(node, yaml.ScalarNode) or node.tag != STR_TAG:
            shown = node.value if isinstance(node, yaml.ScalarNode) else "a list or mapping"
            self.error(node, f"'version' must be a string: write version: \"{shown}\" "
                             "(unquoted it is read as a number)")

    def check_nlu(self, node: yaml.Node) -> None:
        """Check ``nlu`` items: intents, synonyms, regexes, lookups."""
        if not isinstance(node, yaml.SequenceNode):
            return  # reported by the loader
        for item in node.value:
            if not isinstance(item, yaml.MappingNode):
                continue
            names = [key for key, _, _ in _pairs(item)]
            kind = next((k for k in NLU_KINDS if k in names), None)
            if kind is None:
                guess = next((_suggest(n, set(NLU_KINDS)) for n in names
                              if _suggest(n, set(NLU_KINDS))), "")
                self.error(item, "an nlu item needs one of 'intent', 'synonym', 'regex' or "
                                 f"'lookup'{guess}")
                continue
            self.keys(item, NLU_KINDS[kind], f"an nlu {kind}")
            for key, _key_node, value in _pairs(item):
                if key == kind and (
                    not isinstance(value, yaml.ScalarNode) or not str(value.value).strip()
                ):
                    self.error(value, f"'{kind}' needs a name")
                if key == "examples" and isinstance(value, yaml.ScalarNode) and value.style \
                        not in ("|", ">") and str(value.value).strip():
                    self.error(value, "'examples' should be a literal block: write "
                                      "'examples: |' and one '- example' per line below it",
                               severity="warning")

    def check_responses(self, node: yaml.Node) -> None:
        """Check response variations and their buttons."""
        if not isinstance(node, yaml.MappingNode):
            return
        for _name, _key_node, variants in _pairs(node):
            if not isinstance(variants, yaml.SequenceNode):
                continue
            for variant in variants.value:
                if not isinstance(variant, yaml.MappingNode):
                    continue
                self.keys(variant, VARIANT_KEYS, "a response variation")
                for key, _, value in _pairs(variant):
                    if key == "buttons" and isinstance(value, yaml.SequenceNode):
                        for button in value.value:
                            if isinstance(button, yaml.MappingNode):
                                self.keys(button, BUTTON_KEYS, "a button")

    def check_flows(self, node: yaml.Node, section: str) -> None:
        """Check ``rules`` or ``stories`` and their steps."""
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, f"'{section}' must be a list")
            return
        allowed = RULE_KEYS if section == "rules" else STORY_KEYS
        what = "a rule" if section == "rules" else "a story"
        for item in node.value:
            if not isinstance(item, yaml.MappingNode):
                self.error(item, f"each item of '{section}' must be a mapping")
                continue
            self.keys(item, allowed, what)
            for key, _, value in _pairs(item):
                if key != "steps":
                    continue
                if not isinstance(value, yaml.SequenceNode):
                    self.error(value, "'steps' must be a list")
                    continue
                for step in value.value:
                    if isinstance(step, yaml.MappingNode):
                        self.keys(step, STEP_KEYS, f"a step of {what}")
                    else:
                        self.error(step, "a step must be a mapping such as '- intent: name' "
                                         "or '- action: utter_name'")


def check_schema(path: str, document: yaml.Node | None) -> list[Problem]:
    """Return the structure problems of one composed YAML document.

    Args:
        path: File path, for the problem locations.
        document: The file composed with ``yaml.compose`` (None when empty).

    Returns:
        Problems, each with file, line and column.
    """
    return SchemaChecker(path).check_document(document)
