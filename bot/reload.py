"""Hot reload: notice changed YAML, rebuild the index off the hot path, swap atomically.

A :class:`KnowledgeReloader` watches the knowledge base directory by polling file mtimes in
a background thread (no extra dependency), and also reloads on SIGHUP or when asked (the
Telegram ``/reload`` command). Loading and building the matcher happen in that thread; the
engine keeps answering with the old brain until :meth:`Engine.swap` replaces it in one
reference assignment, so no message is dropped, blocked or answered twice. A broken edit
is reported with ``file:line:column`` and the last good knowledge base stays in service.
"""

from __future__ import annotations

import argparse
import logging
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.dialog.engine import Brain, Engine, build_brain
from bot.kb.errors import KnowledgeBaseError, Problem
from bot.kb.loader import find_yaml_files, load_knowledge_base
from bot.kb.model import KnowledgeBase, SourceRef

logger = logging.getLogger(__name__)

Snapshot = dict[str, tuple[int, int]]
MAX_PROBLEMS_SHOWN = 10
MAX_ATTEMPTS = 5


def check_answers(kb: KnowledgeBase) -> None:
    """Refuse a knowledge base in which an intent lost its answer.

    Such a base is what a reader sees while an editor is half-way through rewriting a
    responses file; serving it would answer questions with an apology. ``faqbot validate``
    reports the same problem as an error.

    Raises:
        KnowledgeBaseError: Naming each intent that has examples but nothing answering it.
    """
    problems = [
        Problem(intent.source or SourceRef(kb.files[0] if kb.files else "?", 1, 1),
                f"intent '{intent.name}' has no response (utter_{intent.name}) or rule")
        for intent in kb.intents.values()
        if intent.examples and not kb.actions_for(intent.name)
    ]
    if problems:
        raise KnowledgeBaseError(problems)


@dataclass(frozen=True)
class ReloadResult:
    """The outcome of one reload.

    Attributes:
        ok: True when the new knowledge base is now in service.
        reason: What triggered it (``file change``, ``SIGHUP``, ``/reload``...).
        problems: Why it failed, each at file:line:column (errors only).
        intents: Intents in the new knowledge base (0 on failure).
        files: Files read.
        seconds: Time taken to load and build.
        generation: How many successful reloads happened so far.
    """

    ok: bool
    reason: str
    problems: tuple[Problem, ...] = ()
    intents: int = 0
    files: int = 0
    seconds: float = 0.0
    generation: int = 0

    def message(self) -> str:
        """A short human report (shown in the console and sent to Telegram admins)."""
        if self.ok:
            return (f"Reloaded the knowledge base ({self.reason}): {self.intents} intents from "
                    f"{self.files} files in {self.seconds:.2f} s.")
        shown = [str(p) for p in self.problems[:MAX_PROBLEMS_SHOWN]]
        more = len(self.problems) - len(shown)
        if more > 0:
            shown.append(f"... and {more} more (run 'faqbot validate')")
        return ("Reload failed, still serving the previous knowledge base "
                f"({self.reason}):\n" + "\n".join(shown))


def snapshot(root: str | Path) -> Snapshot:
    """Return ``{path: (mtime_ns, size)}`` of every YAML file under ``root``."""
    state: Snapshot = {}
    try:
        files = find_yaml_files(root) if Path(root).exists() else []
    except OSError:
        return state
    for file in files:
        try:
            info = file.stat()
        except OSError:  # deleted between listing and stat
            continue
        state[str(file)] = (info.st_mtime_ns, info.st_size)
    return state


class KnowledgeReloader:
    """Keeps an engine's knowledge base in step with the YAML files.

    Args:
        engine: The engine whose brain is swapped.
        root: Knowledge base directory.
        interval: Seconds between two looks at the files.
        on_result: Called after every reload (success or failure), e.g. to print it.
        load: Loads a knowledge base (``load_knowledge_base``).
        build: Builds a brain from it (``build_brain``).
    """

    def __init__(
        self,
        engine: Engine,
        root: str | Path,
        interval: float = 1.0,
        on_result: Callable[[ReloadResult], None] | None = None,
        load: Callable[[Path], KnowledgeBase] = load_knowledge_base,
        build: Callable[[KnowledgeBase], Brain] = build_brain,
    ) -> None:
        self.engine = engine
        self.root = Path(root)
        self.interval = interval
        self.on_result = on_result
        self._load = load
        self._build = build
        self._reload_lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._pending_reason: str | None = None
        self._thread: threading.Thread | None = None
        self._seen = snapshot(self.root)
        self.poll = True
        self.generation = 0
        self.last_result: ReloadResult | None = None

    # -- reloading -----------------------------------------------------------------------
    def reload(self, reason: str = "manual") -> ReloadResult:
        """Load and build now (in the calling thread), then swap if all went well.

        Reloads are serialised; each one reads the files afresh.
        """
        with self._reload_lock:
            started = time.monotonic()
            for _attempt in range(MAX_ATTEMPTS):
                before = snapshot(self.root)
                try:
                    kb = self._load(self.root)
                    check_answers(kb)
                    brain = self._build(kb)
                except KnowledgeBaseError as exc:
                    outcome: Brain | tuple[Problem, ...] = tuple(exc.problems)
                except Exception as exc:  # a bug in building must not kill the bot
                    logger.exception("building the knowledge base failed")
                    outcome = (Problem(SourceRef(str(self.root), 1, 1),
                                       f"{type(exc).__name__}: {exc}"),)
                else:
                    outcome = brain
                if snapshot(self.root) == before:
                    break
                # A file changed while it was read (an editor still writing): what was
                # read may be half a file, so read again rather than swap it in.
                logger.debug("files changed during the reload; reading them again")
                time.sleep(min(0.2, self.interval))
            seconds = time.monotonic() - started
            if isinstance(outcome, tuple):
                result = ReloadResult(False, reason, outcome, seconds=seconds,
                                      generation=self.generation)
            else:
                self.engine.swap(outcome)
                self.generation += 1
                result = ReloadResult(True, reason, (), len(outcome.kb.intents),
                                      len(outcome.kb.files), seconds, self.generation)
            # Whatever happened, these files were looked at: only a further change
            # (or an explicit request) triggers the next reload.
            self._seen = before
            self.last_result = result
        # Logged unless a callback reports it (the console prints it: once is enough).
        level = logging.INFO if result.ok else logging.ERROR
        logger.log(level if self.on_result is None else logging.DEBUG, "%s", result.message())
        if self.on_result is not None:
            try:
                self.on_result(result)
            except Exception:
                logger.exception("reload callback failed")
        return result

    def reload_message(self) -> str:
        """Reload now and return the human report: the Telegram ``/reload`` hook."""
        return self.reload("/reload").message()

    def request(self, reason: str = "request") -> None:
        """Ask the background thread to reload soon (safe from a signal handler)."""
        self._pending_reason = reason
        self._wake.set()

    def changed(self) -> bool:
        """Whether the files differ from the ones last loaded (or looked at)."""
        return snapshot(self.root) != self._seen

    # -- background thread ---------------------------------------------------------------
    def start(self) -> KnowledgeReloader:
        """Start watching in a daemon thread; returns self."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="kb-reloader", daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the watcher thread."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.interval)
            if self._stop.is_set():
                return
            reason = None
            if self._wake.is_set():
                self._wake.clear()
                reason, self._pending_reason = self._pending_reason or "request", None
            elif self.poll and self.changed():
                reason = "file change"
                self._settle()
            if reason is not None:
                try:
                    self.reload(reason)
                except Exception:  # never let the watcher die
                    logger.exception("reload failed")

    def _settle(self) -> None:
        """Wait until the files stop changing (an editor may write in several steps)."""
        last = snapshot(self.root)
        for _ in range(10):
            if self._stop.wait(min(0.2, self.interval)):
                return
            now = snapshot(self.root)
            # An empty file is most often one being rewritten: give it a moment.
            if now == last and all(size for _, size in now.values()):
                return
            last = now

    # -- signals -------------------------------------------------------------------------
    def install_sighup(self) -> bool:
        """Reload on SIGHUP; False where there is no SIGHUP or not in the main thread."""
        if not hasattr(signal, "SIGHUP"):
            return False
        try:
            signal.signal(signal.SIGHUP, lambda _signum, _frame: self.request("SIGHUP"))
        except ValueError:  # not the main thread
            return False
        return True


def start_reloader(
    engine: Engine,
    root: str | Path,
    interval: float = 1.0,
    on_result: Callable[[ReloadResult], None] | None = None,
    watch: bool = True,
    sighup: bool = True,
) -> KnowledgeReloader:
    """Create a reloader for ``engine``; watch files and SIGHUP as asked.

    Args:
        engine: The running engine.
        root: Knowledge base directory.
        interval: Polling interval in seconds.
        on_result: Called after every reload.
        watch: Start the file-watching thread.
        sighup: Reload on SIGHUP.

    Returns:
        The reloader (its :meth:`KnowledgeReloader.reload_message` is the ``/reload`` hook).
    """
    reloader = KnowledgeReloader(engine, root, interval=interval, on_result=on_result)
    reloader.poll = watch
    if sighup:
        reloader.install_sighup()
    if watch or sighup:
        reloader.start()  # the thread also serves SIGHUP and other requests
    return reloader


def add_reload_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--no-reload`` and ``--reload-interval``."""
    parser.add_argument("--no-reload", action="store_true",
                        help="do not watch the knowledge base files for changes (SIGHUP "
                             "still reloads)")
    parser.add_argument("--reload-interval", type=float, default=1.0, metavar="SECONDS",
                        help="how often to look for changed YAML files (default: 1)")
