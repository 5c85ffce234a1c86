"""Hot reload: notice changed YAML, rebuild the index off the hot path, swap atomically.

A :class:`KnowledgeReloader` watches the knowledge base directory by polling file mtimes in
a background thread (no extra dependency), and also reloads on SIGHUP or when asked (the
Telegram and console ``/reload`` commands). Loading and building the matcher happen in that
thread; the engine keeps answering with the old brain until :meth:`Engine.swap` replaces
it in one reference assignment, so no message is dropped, blocked or answered twice.

What is served is guarded three ways:

- a change is read only once the files have been quiet for ``reload.quiet_seconds``, so a
  file an editor, ``git checkout`` or ``cp`` is still writing is not read half-way;
- the knowledge base must pass the checks ``faqbot validate`` makes (same function,
  :func:`bot.kb.validate.load_checked`, same limits); a broken edit is reported with
  ``file:line:column`` and the last good knowledge base stays in service;
- a change noticed in the files that would drop more than ``reload.max_drop_share`` of the
  examples or of the intents at once (a file cut short still parses) is held back and
  reported with the counts, until the files change again or the maintainer confirms it
  (SIGHUP, or ``/reload``: :meth:`KnowledgeReloader.reload_message`).
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

from bot.config import ReloadConfig
from bot.dialog.engine import Brain, Engine, build_brain
from bot.kb.errors import KnowledgeBaseError, Problem
from bot.kb.limits import YamlLimits
from bot.kb.loader import find_yaml_files
from bot.kb.model import KnowledgeBase, SourceRef
from bot.kb.validate import load_checked

logger = logging.getLogger(__name__)

Snapshot = dict[str, tuple[int, int]]
MAX_PROBLEMS_SHOWN = 10
MAX_ATTEMPTS = 5
FILE_CHANGE = "file change"


@dataclass(frozen=True)
class Size:
    """How much a knowledge base holds, to compare two of them."""

    intents: int
    examples: int

    @classmethod
    def of(cls, kb: KnowledgeBase) -> Size:
        """Count ``kb``'s intents and examples."""
        return cls(len(kb.intents), sum(len(i.examples) for i in kb.intents.values()))

    def drop_share(self, new: Size) -> float:
        """The larger share of intents or examples that ``new`` has lost."""
        return max(_lost(self.intents, new.intents), _lost(self.examples, new.examples))


def _lost(old: int, new: int) -> float:
    return (old - new) / old if old > new else 0.0


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
        held: The change was valid but held back: it drops too much at once.
        before: The size of the knowledge base in service, when held.
        after: The size of the one held back, when held.
        max_drop_share: The share past which a change is held.
    """

    ok: bool
    reason: str
    problems: tuple[Problem, ...] = ()
    intents: int = 0
    files: int = 0
    seconds: float = 0.0
    generation: int = 0
    held: bool = False
    before: Size | None = None
    after: Size | None = None
    max_drop_share: float = 0.0

    def message(self) -> str:
        """A short human report (shown in the console and sent to Telegram admins)."""
        if self.ok:
            return (f"Reloaded the knowledge base ({self.reason}): {self.intents} intents from "
                    f"{self.files} files in {self.seconds:.2f} s.")
        if self.held and self.before and self.after:
            b, a = self.before, self.after
            return (f"Reload held back ({self.reason}): it would drop {b.examples - a.examples}"
                    f" of {b.examples} examples and {max(0, b.intents - a.intents)} of "
                    f"{b.intents} intents at once (more than "
                    f"{self.max_drop_share:.0%}, reload.max_drop_share); still serving the "
                    "previous knowledge base. A file may be cut short: if the change is "
                    "meant, confirm it with /reload or SIGHUP.")
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
        load: Loads and checks a knowledge base (``load_checked`` within the engine's
            configured limits).
        build: Builds a brain from it (``build_brain``).
        settings: Quiet period and drop share (the engine's configuration when None).
    """

    def __init__(
        self,
        engine: Engine,
        root: str | Path,
        interval: float = 1.0,
        on_result: Callable[[ReloadResult], None] | None = None,
        load: Callable[[Path], KnowledgeBase] | None = None,
        build: Callable[[KnowledgeBase], Brain] = build_brain,
        settings: ReloadConfig | None = None,
    ) -> None:
        self.engine = engine
        self.root = Path(root)
        self.interval = interval
        self.on_result = on_result
        config = getattr(engine, "config", None)
        limits: YamlLimits = getattr(config, "limits", None) or YamlLimits()
        self.settings = settings or getattr(config, "reload", None) or ReloadConfig()
        self._load = load or (lambda root: load_checked(root, limits))
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
    def reload(self, reason: str = "manual", confirmed: bool = True) -> ReloadResult:
        """Load, check and build now (in the calling thread), then swap if all went well.

        Reloads are serialised; each one reads the files afresh.

        Args:
            reason: What asked for it, shown in the report.
            confirmed: False for a change noticed in the files: one that drops more than
                ``max_drop_share`` at once is then held back. Requests by the maintainer
                (SIGHUP, ``/reload``) confirm it.

        Returns:
            What happened.
        """
        with self._reload_lock:
            started = time.monotonic()
            for _attempt in range(MAX_ATTEMPTS):
                before = snapshot(self.root)
                try:
                    kb = self._load(self.root)
                    held = None if confirmed else self._held(reason, kb)
                    if held is not None:
                        break
                    brain = self._build(kb)
                except KnowledgeBaseError as exc:
                    held = None
                    outcome: Brain | tuple[Problem, ...] = tuple(exc.problems)
                except Exception as exc:  # a bug in building must not kill the bot
                    held = None
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
            if held is not None:
                result = held
            elif isinstance(outcome, tuple):
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
        level = logging.INFO if result.ok else logging.WARNING if result.held else logging.ERROR
        logger.log(level if self.on_result is None else logging.DEBUG, "%s", result.message())
        if self.on_result is not None:
            try:
                self.on_result(result)
            except Exception:
                logger.exception("reload callback failed")
        return result

    def _held(self, reason: str, kb: KnowledgeBase) -> ReloadResult | None:
        """Return the held-back result when ``kb`` drops too much of the one in service."""
        before, after = Size.of(self.engine.brain.kb), Size.of(kb)
        limit = self.settings.max_drop_share
        if before.drop_share(after) <= limit:
            return None
        return ReloadResult(False, reason, generation=self.generation, held=True,
                            before=before, after=after, max_drop_share=limit)

    def reload_message(self) -> str:
        """Reload now, confirmed, and return the human report: the ``/reload`` hook.

        The Telegram adapter's admin ``/reload`` calls it, and the console's ``/reload``
        can: it also confirms a change that was held back.
        """
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
            elif self.poll and self.changed() and self._settle():
                reason = FILE_CHANGE
            if reason is not None:
                try:
                    self.reload(reason, confirmed=reason != FILE_CHANGE)
                except Exception:  # never let the watcher die
                    logger.exception("reload failed")

    def _settle(self) -> bool:
        """Wait until the files have not changed for the quiet period.

        Returns:
            True when they are quiet; False when stopped or when a request (SIGHUP,
            ``/reload``) came first, which the loop then serves.
        """
        quiet = self.settings.quiet_seconds
        step = min(max(quiet / 5, 0.01), 0.1)
        last = snapshot(self.root)
        quiet_since = time.monotonic()
        while time.monotonic() - quiet_since < quiet:
            if self._stop.wait(step) or self._wake.is_set():
                return False
            now = snapshot(self.root)
            if now != last:
                last, quiet_since = now, time.monotonic()
        return True

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
    # Quiet period and drop share come from the engine's configuration (reload:).
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
