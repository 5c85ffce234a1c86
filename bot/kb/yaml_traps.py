"""Find YAML 1.1 traps: words read as booleans or null, sexagesimal numbers, duplicate keys.

Rasa reads its files as YAML 1.2, where ``yes`` is the string "yes"; PyYAML and many
other tools read YAML 1.1, where it is ``True``. A file that means the same to every
reader quotes such words. Duplicate keys are silently merged by most readers (the last
one wins), so a whole intent or response can vanish without a word.
"""

from __future__ import annotations

import re

import yaml

from bot.kb.errors import Problem
from bot.kb.model import SourceRef

YAML11_BOOLEANS = frozenset({
    "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
    "y", "Y", "n", "N",
})
NULLS = frozenset({"null", "Null", "NULL", "~"})
_SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
# Keys whose value is shown to users or names something: a null there is a bug.
TEXT_KEYS = frozenset({"text", "title", "payload", "intent", "action", "synonym", "lookup"})


def _ref(path: str, node: yaml.Node) -> SourceRef:
    return SourceRef(path, node.start_mark.line + 1, node.start_mark.column + 1)


def find_traps(path: str, document: yaml.Node | None) -> list[Problem]:
    """Return YAML 1.1 traps and duplicate keys found anywhere in ``document``.

    Each node is visited once, however many aliases repeat it.

    Args:
        path: File path, for the problem locations.
        document: The file composed with ``yaml.compose`` (None when empty).

    Returns:
        Problems: duplicate keys and nulls in text fields are errors, ambiguous words
        are warnings.
    """
    problems: list[Problem] = []
    if document is None:
        return problems
    stack: list[tuple[yaml.Node, str | None]] = [(document, None)]
    visited: set[int] = set()  # an aliased node is one node, checked once
    while stack:
        node, key = stack.pop()
        if id(node) in visited:
            continue
        visited.add(id(node))
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key_node, value_node in node.value:
                name = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                if name is not None:
                    if name in seen:
                        problems.append(Problem(
                            _ref(path, key_node),
                            f"duplicate key '{name}' (first at line {seen[name]}); "
                            "YAML readers keep only one of them",
                        ))
                    else:
                        seen[name] = key_node.start_mark.line + 1
                    _check_scalar(path, key_node, None, problems, is_key=True)
                stack.append((value_node, name))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, key) for item in node.value)
        elif isinstance(node, yaml.ScalarNode):
            _check_scalar(path, node, key, problems)
    return problems


def _check_scalar(path: str, node: yaml.ScalarNode, key: str | None,
                  problems: list[Problem], is_key: bool = False) -> None:
    if node.style is not None:  # quoted or block scalars are always strings
        return
    value = node.value
    where = "as a key" if is_key else f"in '{key}'" if key else ""
    if value in YAML11_BOOLEANS:
        problems.append(Problem(
            _ref(path, node),
            f"'{value}' {where} is a boolean in YAML 1.1 (PyYAML) but a string in YAML 1.2 "
            f"(Rasa); quote it: \"{value}\"",
            "warning",
        ))
    elif key in TEXT_KEYS and (value in NULLS or value == ""):
        problems.append(Problem(
            _ref(path, node), f"'{key}' is empty (read as null); write the text or quote it",
        ))
    elif _SEXAGESIMAL.match(value):
        problems.append(Problem(
            _ref(path, node),
            f"'{value}' {where} is a base-60 number in YAML 1.1 (12:30 reads as 750); "
            f"quote it: \"{value}\"",
            "warning",
        ))
