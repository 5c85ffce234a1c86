"""Problems found while reading a knowledge base, each pointing at file:line:column."""

from __future__ import annotations

from dataclasses import dataclass

from bot.kb.model import SourceRef


@dataclass(frozen=True)
class Problem:
    """One problem in a knowledge-base file.

    Attributes:
        source: Where it is.
        message: What is wrong, in plain words.
        severity: ``error`` or ``warning``.
    """

    source: SourceRef
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.source}: {self.severity}: {self.message}"


class KnowledgeBaseError(Exception):
    """The knowledge base could not be loaded; ``problems`` says why and where."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
