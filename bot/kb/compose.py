"""Compose one YAML text into nodes within :class:`~bot.kb.limits.YamlLimits`.

PyYAML's composer hands back the anchored node itself for each alias, so a small file
can stand for an enormous document ("billion laughs"): whoever walks it then visits the
same nodes again and again. This composer counts, at each alias, the nodes it repeats,
and stops with :class:`LimitExceededError` at the alias that goes past the limit, before
anyone walks the document. It also bounds the nesting depth, which PyYAML's recursive
composer would otherwise turn into a ``RecursionError``.

The events come from libyaml's parser when PyYAML has it (the pure-Python scanner is about
fifteen times slower on large files); a file with a syntax error is read again by the
pure-Python parser, whose messages and positions are the ones people know.
"""

from __future__ import annotations

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from bot.kb.limits import YamlLimits

try:
    from yaml.cyaml import CParser as _CParser
except ImportError:  # PyYAML built without libyaml
    _CParser = None


class LimitExceededError(Exception):
    """A file goes past a limit; ``mark`` is where (PyYAML's 0-based mark)."""

    def __init__(self, message: str, mark: yaml.Mark | None) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


class _Limits:
    """Composer behaviour shared by both loaders below: counting aliases and depth."""

    anchors: dict[str, yaml.Node]

    def setup(self, limits: YamlLimits) -> None:
        """Start counting for a new document."""
        self.limits = limits
        self.alias_nodes = 0
        self.depth = 0
        self.open_anchors: set[str] = set()
        self.sizes: dict[int, int] = {}

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        """Compose one node, counting what aliases repeat and how deep the nesting goes."""
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            if event.anchor in self.open_anchors:
                raise LimitExceededError(
                    f"alias *{event.anchor} repeats a node that contains it (a recursive "
                    "alias); a knowledge base cannot use one", event.start_mark)
            node = self.anchors.get(event.anchor)
            if node is not None:
                self.alias_nodes += self.size(node)
                if self.alias_nodes > self.limits.max_alias_nodes:
                    raise LimitExceededError(self.limits.exceeded(
                        "max_alias_nodes",
                        f"alias *{event.anchor} brings the nodes repeated by aliases in this "
                        f"file to {self.alias_nodes:,}"), event.start_mark)
            return super().compose_node(parent, index)
        anchor = getattr(event, "anchor", None)
        self.depth += 1
        if self.depth > self.limits.max_depth:
            raise LimitExceededError(self.limits.exceeded(
                "max_depth", f"this list or mapping is nested {self.depth} deep"),
                event.start_mark)
        if anchor:
            self.open_anchors.add(anchor)
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1
            if anchor:
                self.open_anchors.discard(anchor)

    def size(self, node: yaml.Node) -> int:
        """Return how many nodes ``node`` stands for, itself included (memoised)."""
        known = self.sizes.get(id(node))
        if known is not None:
            return known
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(self.size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(self.size(k) + self.size(v) for k, v in node.value)
        self.sizes[id(node)] = total
        return total


class _PythonLoader(_Limits, yaml.SafeLoader):
    """PyYAML's pure-Python safe loader, composing within limits."""

    def __init__(self, text: str, limits: YamlLimits) -> None:
        yaml.SafeLoader.__init__(self, text)
        self.setup(limits)


_LOADERS: list[type] = [_PythonLoader]
if _CParser is not None:
    class _CLoader(_Limits, Composer, _CParser, SafeConstructor, Resolver):
        """libyaml's parser for the events; PyYAML's composer (with limits) for the nodes."""

        def __init__(self, text: str, limits: YamlLimits) -> None:
            _CParser.__init__(self, text)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
            Composer.__init__(self)
            self.setup(limits)

        def compose_scalar_node(self, anchor: str | None) -> yaml.ScalarNode:
            """Compose a scalar; a plain one has style None, as PyYAML's own parser says."""
            node = super().compose_scalar_node(anchor)
            if node.style == "":
                node.style = None
            return node

    _LOADERS.insert(0, _CLoader)


def compose_limited(text: str, limits: YamlLimits) -> yaml.Node | None:
    """Compose ``text`` like ``yaml.compose(text, Loader=yaml.SafeLoader)``, within limits.

    Args:
        text: The YAML text.
        limits: Alias expansion and nesting limits.

    Returns:
        The document's root node, or None for an empty document.

    Raises:
        LimitExceededError: At the alias or node that goes past a limit.
        yaml.YAMLError: On a syntax error.
    """
    for number, loader_class in enumerate(_LOADERS):
        loader = loader_class(text, limits)
        try:
            return loader.get_single_node()
        except yaml.YAMLError:
            if number == len(_LOADERS) - 1:
                raise  # the pure-Python parser's message and position
        finally:
            dispose = getattr(loader, "dispose", None)
            if dispose is not None:
                dispose()
    raise AssertionError("unreachable")  # pragma: no cover
