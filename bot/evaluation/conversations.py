"""Conversation tests: YAML files of user turns with the expected intent and reply text.

Format (``tests/conversations*.yml``)::

    conversations:
    - name: revenue then earlier revenue
      sender: optional-sender-id
      turns:
      - user: how much revenue does mistral make
        intent: fact_revenue      # expected intent (nlu_fallback for refusals)
        contains: ["400"]         # fragments expected in the reply, any case

Each conversation starts with a fresh context for its sender.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.dialog.engine import Engine

logger = logging.getLogger(__name__)

CONVERSATION_KEYS = frozenset({"name", "sender", "turns"})
TURN_KEYS = frozenset({"user", "intent", "contains"})


class ConversationFileError(ValueError):
    """A conversation file is unreadable or malformed; the message names the place."""


@dataclass(frozen=True)
class ExpectedTurn:
    """One user line and what the bot should do with it."""

    user: str
    intent: str | None = None
    contains: tuple[str, ...] = ()


@dataclass(frozen=True)
class Conversation:
    """A named list of turns, from ``path``."""

    name: str
    path: str
    turns: tuple[ExpectedTurn, ...]
    sender: str | None = None


@dataclass(frozen=True)
class TurnResult:
    """What happened on one turn, and what was wrong with it."""

    expected: ExpectedTurn
    intent: str
    decision: str
    reply: str
    failures: tuple[str, ...] = ()


@dataclass(frozen=True)
class ConversationResult:
    """The turns of one conversation as played (stops at the first failing turn)."""

    conversation: Conversation
    turns: tuple[TurnResult, ...]

    @property
    def passed(self) -> bool:
        """True when every turn met its expectations."""
        return all(not t.failures for t in self.turns)


def _fail(path: Path, where: str, message: str) -> ConversationFileError:
    return ConversationFileError(f"{path}: {where}: {message}")


def read_yaml(path: Path, error: type[ValueError]) -> object:
    """Return the parsed YAML of a test file.

    Raises:
        ValueError: ``error``, naming the file (and the line and column of a syntax error).
    """
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: cannot read: {exc}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise error(f"{where}: YAML syntax error: {getattr(exc, 'problem', exc)}") from exc


def load_conversations(path: str | Path) -> list[Conversation]:
    """Read and check one conversation file.

    Raises:
        ConversationFileError: With the file and the conversation or turn at fault.
    """
    path = Path(path)
    data = read_yaml(path, ConversationFileError)
    if not isinstance(data, dict) or not isinstance(data.get("conversations"), list):
        raise ConversationFileError(f"{path}: expected a top-level 'conversations:' list")
    result = []
    for index, raw in enumerate(data["conversations"], 1):
        where = f"conversation {index}"
        if not isinstance(raw, dict):
            raise _fail(path, where, "must be a mapping with 'name' and 'turns'")
        unknown = set(raw) - CONVERSATION_KEYS
        if unknown:
            raise _fail(path, where, f"unknown keys {sorted(unknown)} (allowed: "
                                     f"{', '.join(sorted(CONVERSATION_KEYS))})")
        name = str(raw.get("name") or where)
        turns_raw = raw.get("turns")
        if not isinstance(turns_raw, list) or not turns_raw:
            raise _fail(path, f"{where} ({name})", "needs a non-empty 'turns' list")
        turns = []
        for number, turn in enumerate(turns_raw, 1):
            at = f"{where} ({name}), turn {number}"
            if not isinstance(turn, dict) or "user" not in turn:
                raise _fail(path, at, "must be a mapping with 'user'")
            unknown = set(turn) - TURN_KEYS
            if unknown:
                raise _fail(path, at, f"unknown keys {sorted(unknown)} (allowed: "
                                      f"{', '.join(sorted(TURN_KEYS))})")
            contains = turn.get("contains") or []
            if isinstance(contains, str):
                contains = [contains]
            if not isinstance(contains, list):
                raise _fail(path, at, "'contains' must be a list of text fragments")
            intent = turn.get("intent")
            turns.append(ExpectedTurn(str(turn["user"]), str(intent) if intent else None,
                                      tuple(str(c) for c in contains)))
        sender = raw.get("sender")
        result.append(Conversation(name, str(path), tuple(turns),
                                   str(sender) if sender else None))
    return result


def run_conversation(engine: Engine, conversation: Conversation) -> ConversationResult:
    """Play one conversation against ``engine``, from a fresh context."""
    sender = conversation.sender or f"conversation-test:{conversation.path}:{conversation.name}"
    engine.reset(sender)
    results = []
    for expected in conversation.turns:
        turn = engine.handle(sender, expected.user)
        reply = " ".join(r.text for r in turn.responses)
        failures = []
        if expected.intent is not None and turn.parse.intent.name != expected.intent:
            ranking = ", ".join(f"{s.name} {s.confidence:.2f}"
                                for s in turn.parse.intent_ranking[:3])
            failures.append(f"expected intent {expected.intent}, got "
                            f"{turn.parse.intent.name} ({turn.decision}; {ranking})")
        for fragment in expected.contains:
            if fragment.lower() not in reply.lower():
                failures.append(f"reply lacks {fragment!r}")
        results.append(TurnResult(expected, turn.parse.intent.name, turn.decision, reply,
                                  tuple(failures)))
        if failures:
            break
    return ConversationResult(conversation, tuple(results))
