"""Console adapter: an interactive chat, and a JSON-lines mode for scripts."""

from __future__ import annotations

import json
import sys
from typing import TextIO

from bot.dialog.engine import Engine
from bot.dialog.turn import Turn

PROMPT = "you> "


def parse_json_line(line: str, default_sender: str) -> tuple[str, str]:
    """Return ``(sender, text)`` from a JSON object line, or the line itself as text."""
    stripped = line.rstrip("\r\n")
    try:
        data = json.loads(stripped)
    except ValueError:
        return default_sender, stripped
    if not isinstance(data, dict):
        return default_sender, stripped
    sender = data.get("sender", default_sender)
    text = data.get("text", "")
    return str(sender), text if isinstance(text, str) else json.dumps(text)


def run_json(engine: Engine, default_sender: str = "console",
             stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """Answer each stdin line with exactly one JSON line on stdout, flushed at once."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    for line in stdin:
        sender, text = parse_json_line(line, default_sender)
        turn = engine.handle(sender, text)
        stdout.write(json.dumps(turn.to_json(), ensure_ascii=False) + "\n")
        stdout.flush()
    return 0


def render(turn: Turn) -> str:
    """Render a turn's replies as plain text, buttons as a numbered list."""
    lines: list[str] = []
    for reply in turn.responses:
        lines.append(reply.text)
        lines.extend(f"  {i}. {b.title}" for i, b in enumerate(reply.buttons, 1))
    return "\n".join(lines)


def run_interactive(engine: Engine, sender: str = "console") -> int:
    """Chat on the terminal until /quit or end of input."""
    print("Ask me about Mistral AI. /help for help, /quit to leave.")
    while True:
        try:
            text = input(PROMPT)
        except EOFError:
            print()
            return 0
        if text.strip() in ("/quit", "/exit"):
            return 0
        print("bot> " + render(engine.handle(sender, text)).replace("\n", "\n     "))
