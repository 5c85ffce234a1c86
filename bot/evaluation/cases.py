"""Question sets in the "cases" format: people's questions with what a fair answer contains.

The format is the one of ``../shared/data/mistral_questions/dev.yml`` and the articles'
``*_cases.yml`` files::

    conversations:
      - {category: revenue, turns: [{text: "turnover?", expect: [["400"]]}]}
      - {category: oos, turns: [{text: "how far away is the moon", fallback: true}]}
      - {category: smalltalk, turns: [{text: "yo", intent: greet}]}

A turn with ``expect`` (groups of alternatives; every group needs one alternative in the
reply, case-insensitively) is *right* when the bot answers and every group is met, *refused*
when the bot does not commit (fallback or did-you-mean), and *wrong* otherwise. A turn with
``fallback: true`` is right when the bot does not commit and wrong when it answers. A turn
with ``intent`` is right when that intent is parsed. ``reject`` regexes must not match the
reply. The turns of a conversation are played in order by one sender, each conversation
from a fresh context, and every turn is scored (a failed turn does not stop the rest).

Run it with ``python -m bot.evaluation.cases FILE [--intents DIR] [--console]``.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot.evaluation.conversations import read_yaml
from bot.kb.model import FALLBACK_INTENT

RIGHT, REFUSED, WRONG = "right", "refused", "wrong"


class CasesFileError(ValueError):
    """A cases file is unreadable or malformed; the message names the place."""


@dataclass(frozen=True)
class CaseTurn:
    """One user line and what a fair reply does."""

    text: str
    expect: tuple[tuple[str, ...], ...] = ()
    fallback: bool = False
    intent: str | None = None
    reject: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        """``expect``, ``fallback`` or ``intent``."""
        if self.fallback:
            return "fallback"
        return "intent" if self.intent else "expect"


@dataclass(frozen=True)
class CaseConversation:
    """Turns played in order by one sender."""

    category: str
    turns: tuple[CaseTurn, ...]
    number: int


@dataclass(frozen=True)
class Reply:
    """What the bot did with one line: the intent committed to, and the joined reply text."""

    intent: str
    text: str


@dataclass(frozen=True)
class ScoredTurn:
    """A turn, the bot's reply and the verdict."""

    category: str
    turn: CaseTurn
    reply: Reply
    verdict: str
    in_conversation: bool  # part of a conversation of several turns


@dataclass
class CategoryScore:
    """Counts of one category."""

    right: int = 0
    refused: int = 0
    wrong: int = 0

    @property
    def total(self) -> int:
        """Number of turns."""
        return self.right + self.refused + self.wrong

    def share(self, verdict: str) -> float:
        """Return the share (0..1) of turns with ``verdict``."""
        return getattr(self, verdict) / self.total if self.total else 0.0


@dataclass
class CaseReport:
    """Every scored turn, with summaries by category and by kind of turn."""

    turns: list[ScoredTurn] = field(default_factory=list)

    def by_category(self) -> dict[str, CategoryScore]:
        """Return the counts per category, in order of first appearance."""
        scores: dict[str, CategoryScore] = {}
        for scored in self.turns:
            score = scores.setdefault(scored.category, CategoryScore())
            setattr(score, scored.verdict, getattr(score, scored.verdict) + 1)
        return scores

    def summary(self) -> dict[str, CategoryScore]:
        """Return counts for in-scope questions, refusals, small talk and conversations.

        Returns:
            ``in_scope`` (single-turn ``expect`` turns), ``must_refuse`` (single-turn
            ``fallback`` turns), ``smalltalk`` (single-turn ``intent`` turns), ``context``
            (every turn of a conversation of several turns) and ``all``.
        """
        groups = {name: CategoryScore() for name in
                  ("in_scope", "context", "must_refuse", "smalltalk", "all")}
        for scored in self.turns:
            kind = scored.turn.kind
            if scored.in_conversation:
                name = "context"
            elif kind == "fallback":
                name = "must_refuse"
            elif kind == "intent":
                name = "smalltalk"
            else:
                name = "in_scope"
            for key in (name, "all"):
                score = groups[key]
                setattr(score, scored.verdict, getattr(score, scored.verdict) + 1)
        return groups

    @property
    def wrong_confident(self) -> int:
        """Turns where the bot committed to an answer that is not a fair one."""
        return sum(1 for t in self.turns if t.verdict == WRONG)


def _alternatives(raw: object, where: str) -> tuple[tuple[str, ...], ...]:
    if not isinstance(raw, list) or not all(isinstance(g, list) and g for g in raw):
        raise CasesFileError(f"{where}: 'expect' must be a list of non-empty lists")
    return tuple(tuple(str(a) for a in group) for group in raw)


def load_cases(path: str | Path) -> list[CaseConversation]:
    """Read a cases file.

    Raises:
        CasesFileError: With the file and the conversation or turn at fault.
    """
    path = Path(path)
    data = read_yaml(path, CasesFileError)
    if not isinstance(data, dict) or not isinstance(data.get("conversations"), list):
        raise CasesFileError(f"{path}: expected a top-level 'conversations:' list")
    result = []
    for number, raw in enumerate(data["conversations"], 1):
        where = f"{path}: conversation {number}"
        if not isinstance(raw, dict) or not isinstance(raw.get("turns"), list) or not raw["turns"]:
            raise CasesFileError(f"{where}: needs a non-empty 'turns' list")
        turns = []
        for index, turn in enumerate(raw["turns"], 1):
            at = f"{where}, turn {index}"
            if not isinstance(turn, dict) or not isinstance(turn.get("text"), str):
                raise CasesFileError(f"{at}: must be a mapping with a 'text' string")
            reject = turn.get("reject") or []
            if not isinstance(reject, list):
                raise CasesFileError(f"{at}: 'reject' must be a list of regexes")
            expect = _alternatives(turn["expect"], at) if "expect" in turn else ()
            fallback = bool(turn.get("fallback", False))
            intent = turn.get("intent")
            if sum(bool(x) for x in (expect, fallback, intent)) != 1:
                raise CasesFileError(f"{at}: needs exactly one of expect, fallback, intent")
            turns.append(CaseTurn(turn["text"], expect, fallback,
                                  str(intent) if intent else None,
                                  tuple(str(r) for r in reject)))
        result.append(CaseConversation(str(raw.get("category", "uncategorised")),
                                       tuple(turns), number))
    return result


def judge(turn: CaseTurn, reply: Reply) -> str:
    """Return ``right``, ``refused`` or ``wrong`` for one reply."""
    committed = reply.intent != FALLBACK_INTENT
    text = reply.text.casefold()
    rejected = any(re.search(p, reply.text, re.IGNORECASE) for p in turn.reject)
    if turn.fallback:
        return WRONG if committed else RIGHT
    if turn.intent:
        if reply.intent == turn.intent and not rejected:
            return RIGHT
        return WRONG if committed else REFUSED
    if not committed:
        return REFUSED
    met = all(any(a.casefold() in text for a in group) for group in turn.expect)
    return RIGHT if met and not rejected else WRONG


Ask = Callable[[str, str], Reply]
"""``ask(sender, text) -> Reply``: one line to the bot."""


def run_cases(conversations: Iterable[CaseConversation], ask: Ask,
              reset: Callable[[str], None] | None = None) -> CaseReport:
    """Play every conversation and score every turn.

    Args:
        conversations: From :func:`load_cases`.
        ask: Sends one line and returns the reply.
        reset: Forgets a sender's context (each conversation also uses its own sender).

    Returns:
        The report.
    """
    report = CaseReport()
    for conversation in conversations:
        sender = f"cases-{conversation.number}"
        if reset is not None:
            reset(sender)
        for turn in conversation.turns:
            reply = ask(sender, turn.text)
            report.turns.append(ScoredTurn(conversation.category, turn, reply,
                                           judge(turn, reply), len(conversation.turns) > 1))
    return report


def engine_asker(engine) -> tuple[Ask, Callable[[str], None]]:
    """Return ``ask`` and ``reset`` for an in-process :class:`bot.dialog.engine.Engine`."""

    def ask(sender: str, text: str) -> Reply:
        turn = engine.handle(sender, text)
        return Reply(turn.parse.intent.name, " ".join(r.text for r in turn.responses))

    return ask, engine.reset


class ConsoleAsker:
    """Asks a real ``faqbot console --json`` subprocess, one JSON line per question.

    Args:
        intents: Knowledge-base directory (the shipped one when None).
        python: Interpreter to run ``-m bot`` with.
        cwd: Working directory of the subprocess (the repository whose ``bot`` runs).
        extra: More command-line arguments.
    """

    def __init__(self, intents: Path | None = None, python: str = sys.executable,
                 cwd: Path | None = None, extra: tuple[str, ...] = ()) -> None:
        command = [python, "-m", "bot", "console", "--json", "--no-reload", "--no-log"]
        if intents is not None:
            command += ["--intents", str(intents)]
        self._process = subprocess.Popen(
            [*command, *extra], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, text=True, encoding="utf-8", cwd=cwd,
        )

    def __call__(self, sender: str, text: str) -> Reply:
        """Send one line and read the reply line."""
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.write(json.dumps({"sender": sender, "text": text}) + "\n")
        self._process.stdin.flush()
        line = self._process.stdout.readline()
        if not line:
            raise RuntimeError("the console subprocess stopped answering")
        data = json.loads(line)
        return Reply(data["intent"]["name"], " ".join(r["text"] for r in data["responses"]))

    def close(self) -> None:
        """End the subprocess."""
        if self._process.stdin:
            self._process.stdin.close()
        self._process.wait(timeout=30)

    def __enter__(self) -> ConsoleAsker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def format_report(report: CaseReport, title: str = "") -> str:
    """Return the per-category and summary tables as Markdown."""
    lines = [f"### {title}", ""] if title else []
    lines += ["| category | n | right | refused | wrong |", "|---|---:|---:|---:|---:|"]
    for name, score in report.by_category().items():
        lines.append(f"| {name} | {score.total} | {score.right} | {score.refused} | "
                     f"{score.wrong} |")
    lines += ["", "| group | n | right % | refused % | wrong % |", "|---|---:|---:|---:|---:|"]
    for name, score in report.summary().items():
        lines.append(f"| {name} | {score.total} | {100 * score.share(RIGHT):.1f} | "
                     f"{100 * score.share(REFUSED):.1f} | {100 * score.share(WRONG):.1f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run a cases file against a knowledge base and print the tables."""
    parser = argparse.ArgumentParser(prog="python -m bot.evaluation.cases",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", type=Path, help="cases YAML file")
    parser.add_argument("--intents", type=Path, default=None, metavar="DIR",
                        help="knowledge base (default: the shipped one)")
    parser.add_argument("--console", action="store_true",
                        help="ask a real 'faqbot console --json' subprocess")
    parser.add_argument("--failures", action="store_true", help="list every failed turn")
    args = parser.parse_args(argv)
    try:
        conversations = load_cases(args.cases)
    except CasesFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.console:
        with ConsoleAsker(args.intents) as asker:
            report = run_cases(conversations, asker)
    else:
        from bot.commands.common import SetupError, build_engine

        try:
            engine = build_engine(argparse.Namespace(intents=args.intents, config=None,
                                                     endpoints=None))
        except SetupError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        ask, reset = engine_asker(engine)
        report = run_cases(conversations, ask, reset)
    print(format_report(report, str(args.cases)))
    print(f"\nwrong confident answers: {report.wrong_confident} of {len(report.turns)} turns")
    if args.failures:
        for scored in report.turns:
            if scored.verdict != RIGHT:
                print(f"- [{scored.category}/{scored.verdict}] {scored.turn.text!r} -> "
                      f"{scored.reply.intent}: {scored.reply.text[:120]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
