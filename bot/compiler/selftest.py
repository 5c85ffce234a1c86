"""Compile-time self-test: route every generated question through the real engine.

The compiled files (with the curated ones) are loaded into a temporary knowledge base and
each generated example is asked as a user would. The report lists examples answered with
another intent (collisions), examples no intent answers confidently (unreached), built-in
intents (``help``, ``source``) that capture generated questions, and facts with a name or
figure that none of their questions reaches. :func:`drop_collisions` applies the clear
fix: an example answered with another intent is removed from its own.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.config import BotConfig
from bot.kb.errors import KnowledgeBaseError
from bot.kb.loader import find_yaml_files, load_knowledge_base

BUILT_IN = ("help", "source")


@dataclass(frozen=True)
class Collision:
    """A generated example that the engine answers with another intent."""

    example: str
    intent: str
    got: str


@dataclass
class SelfTestReport:
    """What the self-test found.

    Attributes:
        asked: Number of generated examples asked.
        collisions: Examples answered with another intent.
        unreached: Examples of an intent that no answer was committed to.
        captured: Collisions whose winner is a built-in intent.
        unreached_facts: Intents none of whose examples is answered with them.
        dropped: Colliding examples removed automatically.
    """

    asked: int = 0
    collisions: list[Collision] = field(default_factory=list)
    unreached: list[tuple[str, str]] = field(default_factory=list)
    captured: list[Collision] = field(default_factory=list)
    unreached_facts: list[str] = field(default_factory=list)
    dropped: list[Collision] = field(default_factory=list)

    def lines(self, limit: int = 8) -> list[str]:
        """Return the report as text lines for the terminal."""
        right = self.asked - len(self.collisions) - len(self.unreached)
        out = [f"self-test: {right}/{self.asked} generated questions answered by their own "
               f"intent; {len(self.collisions)} collisions, {len(self.unreached)} not answered"
               + (f"; dropped {len(self.dropped)} colliding examples" if self.dropped else "")]
        for c in self.collisions[:limit]:
            out.append(f"  collision: {c.example!r} ({c.intent}) -> {c.got}")
        for c in self.captured[:limit]:
            out.append(f"  built-in {c.got} captures {c.example!r} ({c.intent})")
        for name in self.unreached_facts[:limit]:
            out.append(f"  no generated question reaches {name}")
        return out


def run_self_test(files: Mapping[str, str], curated_dirs: Sequence[Path],
                  generated: Mapping[str, Sequence[str]]) -> SelfTestReport:
    """Load ``files`` with the curated folders and ask every generated example.

    Args:
        files: Rendered generated files (name -> YAML text).
        curated_dirs: Curated folders merged at run time.
        generated: Intent name -> the examples the compiler generated for it.

    Returns:
        The report (empty when the compiled knowledge base does not load).
    """
    from bot.dialog.engine import Engine, build_brain

    report = SelfTestReport()
    with tempfile.TemporaryDirectory(prefix="faqbot-selftest-") as tmp:
        root = Path(tmp)
        for name, text in files.items():
            (root / "generated").mkdir(exist_ok=True)
            (root / "generated" / name).write_text(text, encoding="utf-8")
        for index, directory in enumerate(curated_dirs):
            for path in find_yaml_files(directory):
                target = root / f"curated{index}" / path.relative_to(directory)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
        try:
            kb = load_knowledge_base(root)
        except KnowledgeBaseError:
            return report
        engine = Engine(build_brain(kb), BotConfig())
        quiet = logging.getLogger("bot.dialog")
        level = quiet.level
        quiet.setLevel(logging.ERROR)  # no action server here: routing is what is tested
        try:
            _ask_all(engine, generated, report)
        finally:
            quiet.setLevel(level)
    return report


def _ask_all(engine, generated: Mapping[str, Sequence[str]], report: SelfTestReport) -> None:
    """Ask every generated example and record where it lands."""
    sender = "self-test"
    for intent, examples in generated.items():
        own = 0
        for example in examples:
            report.asked += 1
            engine.reset(sender)
            turn = engine.handle(sender, example)
            got = turn.parse.intent.name
            if turn.decision == "answer" and got == intent:
                own += 1
            elif turn.decision == "answer":
                collision = Collision(example, intent, got)
                report.collisions.append(collision)
                if got in BUILT_IN:
                    report.captured.append(collision)
            else:
                report.unreached.append((example, intent))
        if examples and not own:
            report.unreached_facts.append(intent)


def drop_collisions(examples: dict[str, list[str]], report: SelfTestReport) -> int:
    """Remove each colliding example from its own intent; return how many were removed."""
    removed = 0
    for collision in report.collisions:
        own = examples.get(collision.intent, [])
        if collision.example in own and len(own) > 1:
            own.remove(collision.example)
            report.dropped.append(collision)
            removed += 1
    return removed
