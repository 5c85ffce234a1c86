"""Console adapter: an interactive chat, and a JSON-lines mode for scripts.

The adapter turns terminal lines into ``engine.handle(sender, text)`` calls and turns
the replies into text: buttons become a numbered list, and typing a number sends the
button's payload (the engine remembers which buttons it showed).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import textwrap
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from bot.dialog.engine import Engine
from bot.dialog.turn import Turn

logger = logging.getLogger(__name__)

PROMPT = "you> "
BOT = "bot> "
BANNER = "Ask me a question. Type /help for help, /quit (or Ctrl-D) to leave."
PICK_HINT = "(type a number to pick one)"
ERROR_TEXT = "Sorry, something went wrong on my side. Please try again."
HISTORY_LENGTH = 1000
CONSOLE_HELP = """\
Type a question and press Enter. Commands:
  /help    this help, then what the bot can answer
  /reset   forget the conversation so far (start a new topic)
  /reload  load the knowledge base's files now (also confirms a held-back change)
  /quit    leave (also /exit, or Ctrl-D)
When the bot offers numbered choices, type the number to pick one.
Up/down arrows recall earlier questions."""
QUIT_COMMANDS = frozenset({"/quit", "/exit", "/q"})

# The prompt shown while the chat waits for a line (None otherwise), so that a notice
# printed from another thread (a reload) can redraw it with what was typed so far.
_waiting_prompt: str | None = None
_notice_lock = threading.Lock()


def notice(text: str, stream: TextIO | None = None) -> None:
    """Print ``text`` on its own line (stderr), without garbling a line being typed.

    While the interactive chat waits at its prompt on a terminal, the notice replaces the
    prompt line, then the prompt and the text typed so far are drawn again below it.
    """
    stream = stream or sys.stderr
    with _notice_lock:
        prompt = _waiting_prompt
        if prompt is None or not (stream.isatty() and sys.stdout.isatty()):
            stream.write(text + "\n")
            stream.flush()
            return
        try:
            import readline

            typed = readline.get_line_buffer()
        except ImportError:
            typed = ""
        stream.write("\r\x1b[K" + text + "\n")
        stream.flush()
        sys.stdout.write(prompt.replace("\x01", "").replace("\x02", "") + typed)
        sys.stdout.flush()


# -- JSON lines ------------------------------------------------------------------------
def parse_json_line(line: str, default_sender: str) -> tuple[str, str]:
    """Return ``(sender, text)`` from a JSON object line, or the line itself as text.

    Args:
        line: One input line (its line ending is dropped).
        default_sender: Sender used when the object has none.

    Returns:
        The sender and the text. A ``text`` that is not a string becomes its JSON text
        (``null`` becomes empty).
    """
    stripped = line.rstrip("\r\n")
    try:
        data = json.loads(stripped)
    except (ValueError, RecursionError):
        return default_sender, stripped
    if not isinstance(data, dict):
        return default_sender, stripped
    sender = data.get("sender")
    sender = default_sender if sender is None or sender == "" else str(sender)
    text = data.get("text")
    if text is None:
        return sender, ""
    return sender, text if isinstance(text, str) else json.dumps(text)


def error_turn_json(sender: str, text: str) -> dict[str, object]:
    """Return the JSON line written when the engine failed on a message."""
    return {
        "sender": sender,
        "text": text,
        "intent": {"name": "nlu_fallback", "confidence": 0.0},
        "intent_ranking": [],
        "entities": [],
        "responses": [{"text": ERROR_TEXT, "buttons": []}],
    }


def _safe_handle(engine: Engine, sender: str, text: str) -> Turn | None:
    try:
        return engine.handle(sender, text)
    except Exception:  # one bad message must not end the session
        logger.exception("engine failed on a message from %s", sender)
        return None


def run_json(engine: Engine, default_sender: str = "console",
             stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """Answer each stdin line with exactly one JSON line on stdout, flushed at once.

    Args:
        engine: The dialog engine.
        default_sender: Sender of lines that name none.
        stdin: Input stream (default: ``sys.stdin``, undecodable bytes replaced).
        stdout: Output stream (default: ``sys.stdout``, UTF-8).

    Returns:
        Exit code 0 at end of input.
    """
    if stdin is None:
        stdin = sys.stdin
        _reconfigure(stdin, errors="replace")
    if stdout is None:
        stdout = sys.stdout
        _reconfigure(stdout, encoding="utf-8", errors="replace")
    for line in iter(stdin.readline, ""):
        sender, text = parse_json_line(line, default_sender)
        turn = _safe_handle(engine, sender, text)
        data = turn.to_json() if turn is not None else error_turn_json(sender, text)
        stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
        stdout.flush()
    return 0


def _reconfigure(stream: TextIO, **options: str) -> None:
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        try:
            reconfigure(**options)
        except (ValueError, OSError):  # e.g. already read from, or not a text stream
            logger.debug("cannot reconfigure %r", stream)


# -- rendering -------------------------------------------------------------------------
class Style:
    """ANSI colours, or nothing at all when disabled."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def _wrap(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.enabled and text else text

    def bot(self, text: str) -> str:
        """Colour the bot's label."""
        return self._wrap("1;36", text)

    def user(self, text: str) -> str:
        """Colour the user's prompt."""
        return self._wrap("1;32", text)

    def choice(self, text: str) -> str:
        """Colour a numbered choice."""
        return self._wrap("33", text)

    def dim(self, text: str) -> str:
        """Colour hints and notices."""
        return self._wrap("2", text)

    def prompt(self, text: str) -> str:
        r"""Colour a prompt for ``input()`` on a terminal, escapes marked for readline.

        readline needs ``\x01``/``\x02`` around the escapes to know the prompt's width;
        only a prompt it draws may carry them (anywhere else they would be printed).
        """
        if not self.enabled:
            return text
        return f"\x01\x1b[1;32m\x02{text}\x01\x1b[0m\x02"


def colour_wanted(stream: TextIO, environ: dict[str, str] | None = None) -> bool:
    """Return True when ``stream`` is a terminal and ``NO_COLOR`` is not set.

    ``FORCE_COLOR`` turns colour on even when piped; ``TERM=dumb`` turns it off.
    """
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    if env.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def render(turn: Turn, style: Style | None = None, width: int | None = None) -> str:
    """Render a turn's replies as text, buttons as one numbered list across the turn.

    Args:
        turn: The turn to show.
        style: Colours (none by default).
        width: Wrap text to this many columns (no wrapping by default).

    Returns:
        Lines of text, without the ``bot>`` label.
    """
    style = style or Style(False)
    lines: list[str] = []
    number = 0
    for reply in turn.responses:
        for paragraph in reply.text.splitlines() or [""]:
            if width and len(paragraph) > width:
                lines.extend(textwrap.wrap(paragraph, width) or [""])
            else:
                lines.append(paragraph)
        for button in reply.buttons:
            number += 1
            lines.append(style.choice(f"  {number}. {button.title}"))
    if number:
        lines.append(style.dim(PICK_HINT))
    return "\n".join(lines)


# -- interactive -----------------------------------------------------------------------
HISTORY_FILE = "console_history"


def history_path() -> Path:
    """Return where the console keeps its history of questions.

    ``$FAQBOT_HISTORY``, else ``$FAQBOT_DATA_DIR/console_history``, else
    ``~/.faqbot_history``.
    """
    configured = os.environ.get("FAQBOT_HISTORY")
    if configured:
        return Path(configured).expanduser()
    data_dir = os.environ.get("FAQBOT_DATA_DIR")
    if data_dir:
        return Path(data_dir).expanduser() / HISTORY_FILE
    return Path.home() / ".faqbot_history"


class _History:
    """Line editing and a persistent history through readline, when there is one."""

    def __init__(self, path: Path | None) -> None:
        self._path = path
        self._readline = None
        try:
            import readline
        except ImportError:  # e.g. Windows without pyreadline
            return
        self._readline = readline
        readline.set_history_length(HISTORY_LENGTH)
        if path is not None and path.is_file():
            try:
                readline.read_history_file(str(path))
            except OSError as exc:
                logger.debug("cannot read history %s: %s", path, exc)

    def save(self) -> None:
        if self._readline is None or self._path is None:
            return
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            self._readline.write_history_file(str(self._path))
        except OSError as exc:
            logger.debug("cannot write history %s: %s", self._path, exc)


class ConsoleChat:
    """The interactive chat loop; its I/O functions can be replaced for tests."""

    def __init__(self, engine: Engine, sender: str = "console",
                 read: Callable[[str], str] = input, out: TextIO | None = None,
                 style: Style | None = None, echo: bool = False,
                 reload: Callable[[], str] | None = None) -> None:
        self.engine = engine
        self._reload = reload
        self.sender = sender
        self._read = read
        self._echo = echo
        self._out = out or sys.stdout
        self.style = style or Style(colour_wanted(self._out))
        self._interactive = bool(getattr(self._out, "isatty", None) and self._out.isatty())

    def say(self, text: str) -> None:
        """Write a line to the output and flush it."""
        self._out.write(text + "\n")
        self._out.flush()

    def show(self, turn: Turn) -> None:
        """Write the bot's replies."""
        width = None
        if self._interactive:
            columns = shutil.get_terminal_size((80, 24)).columns
            # a terminal of unknown size reports 0 columns on Python 3.10 (3.11 falls back)
            width = max(20, (columns if columns > 0 else 80) - len(BOT))
        body = render(turn, self.style, width).replace("\n", "\n" + " " * len(BOT))
        self.say(self.style.bot(BOT) + body)

    def command(self, text: str) -> bool | None:
        """Run a console command; return False to quit, None when ``text`` is not one."""
        word = text.split()[0].lower()
        if word in QUIT_COMMANDS:
            return False
        if word == "/help":
            self.say(self.style.dim(CONSOLE_HELP))
            if "help" in self.engine.brain.kb.intents:
                self.show(self.engine.handle(self.sender, "/help"))
            return True
        if word == "/reset":
            self.engine.reset(self.sender)
            self.say(self.style.dim("Conversation reset."))
            return True
        if word == "/reload":
            if self._reload is None:
                self.say(self.style.dim("Reloading is not available here."))
            else:
                self._reload()  # the reloader reports the outcome, as for any reload
            return True
        name = text[1:].split("{", 1)[0].split("@", 1)[0]
        if name in self.engine.brain.kb.intents:
            return None  # a button payload: the engine answers it
        self.say(f"Unknown command {word}. Type /help for the commands.")
        return True

    def _read_line(self) -> str:
        """Return the next line; from a pipe, write it after the prompt as a chat line.

        Input from a pipe gets no prompt of its own: the prompt is written with the line
        once the line is read, so the output is a clean transcript that never ends with a
        bare prompt, and never carries readline's prompt markers.
        """
        global _waiting_prompt
        if self._echo:
            line = self._read("")
            self.say(self.style.user(PROMPT) + line)
            return line
        # readline draws the prompt only when both ends are a terminal
        prompt = self.style.prompt(PROMPT) if self._interactive else self.style.user(PROMPT)
        _waiting_prompt = prompt if self._interactive else None
        try:
            return self._read(prompt)
        finally:
            with _notice_lock:
                _waiting_prompt = None

    def loop(self) -> int:
        """Chat until /quit or end of input; return the exit code."""
        self.say(self.style.dim(BANNER))
        while True:
            try:
                line = self._read_line()
            except EOFError:
                if not self._echo:
                    self.say("")  # end the prompt's line
                return 0
            except KeyboardInterrupt:
                self.say("")
                return 130
            text = line.strip()
            if text.startswith("/") and len(text) > 1:
                outcome = self.command(text)
                if outcome is False:
                    return 0
                if outcome is True:
                    continue
            turn = _safe_handle(self.engine, self.sender, line)
            if turn is None:
                self.say(self.style.bot(BOT) + ERROR_TEXT)
            else:
                self.show(turn)


def run_interactive(engine: Engine, sender: str = "console",
                    history: Path | None = None,
                    reload: Callable[[], str] | None = None) -> int:
    """Chat on the terminal until /quit, Ctrl-D or Ctrl-C.

    Args:
        engine: The dialog engine.
        sender: Conversation key.
        history: History file (default :func:`history_path`; only used on a terminal).
        reload: Reloads the knowledge base now (``/reload``); the reloader reports it.

    Returns:
        0 on /quit or end of input, 130 on Ctrl-C.
    """
    _reconfigure(sys.stdin, errors="replace")
    saved = _History(history or history_path()) if sys.stdin.isatty() else None
    try:
        return ConsoleChat(engine, sender, echo=not sys.stdin.isatty(), reload=reload).loop()
    finally:
        if saved is not None:
            saved.save()
