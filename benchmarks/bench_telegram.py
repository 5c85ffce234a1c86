"""Telegram adapter benchmark: the whole python-telegram-bot path over loopback.

Runs the real application (polling, handlers, engine, rate limiter, update ledger, HTTP
to the Bot API) against the fake Bot API server of the tests on 127.0.0.1, and prints a
Markdown section comparing, in one run:

- faults off against 5 % of ``sendMessage`` calls answered 500/502 (retried with
  backoff): replies per second, and latency from the update being available to
  ``getUpdates`` to the accepted ``sendMessage``, p50 and p99;
- the SQLite state store and update ledger (the Telegram default) against memory;
- the hand-written flood limiter against python-telegram-bot's ``AIORateLimiter`` under
  Telegram's flood limits with 2 % 429 answers (when the ``rate-limiter`` extra is
  installed).

The fake server runs in the same process (threads), so it shares the GIL with the bot:
the figures are a lower bound for the adapter alone.

Usage: python benchmarks/bench_telegram.py [--intents DIR] [--updates N] [--samples N]
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from telegram_kb import write_kb  # noqa: E402
from telegram_server import TEST_TOKEN, BotRunner, FakeBotApi, Faults, Updates  # noqa: E402

from bot.adapters.telegram.app import build_application  # noqa: E402
from bot.adapters.telegram.inbox import Inbox  # noqa: E402
from bot.adapters.telegram.ratelimit import FloodLimits  # noqa: E402
from bot.adapters.telegram.settings import TelegramSettings  # noqa: E402
from bot.commands.common import SetupError, build_engine  # noqa: E402
from bot.dialog.engine import Engine  # noqa: E402
from bot.state import open_backend  # noqa: E402
from bot.state.deferred import DeferredStateStore  # noqa: E402

OFF = FloodLimits(per_chat=(0, 0), per_group=(0, 0), overall=(0, 0))
FIVE_PERCENT_5XX = {"sendMessage": {"500": 0.025, "502": 0.025}}


@dataclass(frozen=True)
class Setup:
    """One configuration of the bot and the fake API."""

    name: str
    state: str = "memory"  # or "sqlite"
    faults: dict = field(default_factory=dict)
    limits: FloodLimits = OFF
    limiter: str = "faqbot"  # or "ptb" (AIORateLimiter)


def load_engine(intents: Path | None) -> tuple[Engine, str]:
    """Return an engine on the shipped knowledge base, else on the tests' small one."""
    candidates = [intents] if intents else [ROOT / "intents"]
    for directory in candidates:
        try:
            args = argparse.Namespace(intents=directory, config=None, endpoints=None)
            return build_engine(args), str(directory.relative_to(ROOT)
                                           if directory.is_relative_to(ROOT) else directory)
        except SetupError as exc:
            print(f"<!-- cannot load {directory}: {str(exc)[:200]} -->", file=sys.stderr)
    small = write_kb(Path(tempfile.mkdtemp()))
    args = argparse.Namespace(intents=small, config=None, endpoints=None)
    return build_engine(args), "tests' small knowledge base"


def questions(engine: Engine) -> list[str]:
    """One example phrasing of every answerable intent."""
    kb = engine.brain.kb
    found = [kb.intents[n].examples[0].text for n in kb.answerable_intents()]
    return found or ["hello"]


def ptb_limiter() -> object | None:
    """python-telegram-bot's AIORateLimiter (Telegram's limits, 429 retried), if installed."""
    try:
        from telegram.ext import AIORateLimiter

        return AIORateLimiter(max_retries=3)
    except (ImportError, RuntimeError):
        return None


@contextlib.contextmanager
def running_bot(engine: Engine, setup: Setup, seed: int) -> Iterator[FakeBotApi]:
    """Run the bot against a fresh fake Bot API until the block ends; yield the API."""
    with tempfile.TemporaryDirectory() as tmp, FakeBotApi() as api:
        spec = f"sqlite:{Path(tmp) / 'state.sqlite3'}" if setup.state == "sqlite" else "memory"
        backend = open_backend(spec)
        store = DeferredStateStore(backend.states)
        bot_engine = Engine(engine.brain, engine.config, store=store)
        settings = TelegramSettings(token=TEST_TOKEN, base_url=api.base_url)
        limiter = ptb_limiter() if setup.limiter == "ptb" else None
        app = build_application(bot_engine, settings, limits=setup.limits,
                                inbox=Inbox(backend.updates, "bench"),
                                commit_state=store.commit, rate_limiter=limiter)
        runner = BotRunner(app, poll_timeout=5).start()
        try:
            api.wait_for("getUpdates")
            api.faults = Faults(shares=setup.faults, seed=seed, retry_after=1)
            yield api
        finally:
            api.faults = Faults()
            runner.stop()
            backend.close()


def throughput(engine: Engine, texts: list[str], count: int, setup: Setup) -> tuple[float, int]:
    """Push ``count`` updates from as many private chats; return (replies/s, answered)."""
    with running_bot(engine, setup, seed=1) as api:
        updates = Updates()
        warm = api.mark()
        api.push(updates.message(1, texts[0]))
        api.wait_for("sendMessage", since=warm, timeout=60)
        mark = api.mark()
        start = time.monotonic()
        for i in range(count):
            api.push(updates.message(1000 + i, texts[i % len(texts)]))
        calls = api.wait_for("sendMessage", count=count, since=mark, timeout=300)
        firsts: dict[int, float] = {}
        for call in calls:
            firsts.setdefault(call.params["chat_id"], call.at)
        return len(firsts) / (max(firsts.values()) - start), len(firsts)


def latencies(engine: Engine, texts: list[str], samples: int, setup: Setup) -> list[float]:
    """Update pushed -> first accepted ``sendMessage``, one update at a time (ms)."""
    result = []
    with running_bot(engine, setup, seed=2) as api:
        updates = Updates()
        for i in range(samples + 5):
            chat_id = 5000 + i  # a fresh chat each time: no per-chat spacing
            mark = api.mark()
            api.push(updates.message(chat_id, texts[i % len(texts)]))
            (first, *_) = api.wait_for("sendMessage", since=mark, chat_id=chat_id, timeout=120)
            pushed = api.pushed_at(api.last_update_id)
            if i >= 5:  # warm-up excluded
                result.append((first.at - pushed) * 1000)
    return result


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--intents", type=Path, default=None)
    parser.add_argument("--updates", type=int, default=300)
    parser.add_argument("--limited-updates", type=int, default=120)
    parser.add_argument("--samples", type=int, default=150)
    parser.add_argument("--rounds", type=int, default=3,
                        help="throughput runs per setup, interleaved; the median is shown")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.CRITICAL)
    engine, kb_name = load_engine(args.intents)
    texts = questions(engine)
    setups = [
        Setup("memory store, faults off"),
        Setup("memory store, 5 % 5xx", faults=FIVE_PERCENT_5XX),
        Setup("SQLite store, faults off", state="sqlite"),
        Setup("SQLite store, 5 % 5xx", state="sqlite", faults=FIVE_PERCENT_5XX),
    ]
    rates: dict[str, list[float]] = {s.name: [] for s in setups}
    answered: dict[str, int] = {}
    for _ in range(args.rounds):  # interleaved, so a busy moment of the machine hits all
        for setup in setups:
            rate, answered[setup.name] = throughput(engine, texts, args.updates, setup)
            rates[setup.name].append(rate)
    rows = []
    for setup in setups:
        lat = latencies(engine, texts, args.samples, setup)
        rows.append((setup, statistics.median(rates[setup.name]), answered[setup.name],
                     statistics.median(lat), percentile(lat, 0.99)))
    print("## Telegram adapter (python-telegram-bot over loopback)\n")
    print(f"Whole path: long polling, handlers, engine ({kb_name}, "
          f"{len(engine.brain.kb.intents)} intents), update ledger, flood limiter (limits "
          f"off here) and HTTP to a fake Bot API on 127.0.0.1 (same process, so it shares "
          f"the GIL). Throughput: {args.updates} updates, one per chat, median of "
          f"{args.rounds} interleaved runs; latency: "
          f"{args.samples} sequential updates. 5xx: 2.5 % 500 and 2.5 % 502 on sendMessage, "
          f"retried after 0.25-0.5 s, then doubling. Python {platform.python_version()}, "
          f"{os.cpu_count()} CPUs.\n")
    base = rows[0]
    print("| measure | value |")
    print("| --- | --- |")
    print(f"| replies/s, flood limits off (memory store, faults off) | {base[1]:.0f} |")
    print(f"| replies/s, flood limits off, 5 % 5xx (memory store) | {rows[1][1]:.0f} |\n")
    print("| setup | replies/s | answered | vs first row | p50 latency | p99 latency |")
    print("| --- | --- | --- | --- | --- | --- |")
    for setup, rate, done, p50, p99 in rows:
        print(f"| {setup.name} | {rate:.0f} | {done}/{args.updates} | "
              f"{rate / base[1]:.2f}x | {p50:.1f} ms | {p99:.1f} ms |")

    print("\n### Flood limiter: hand-written against python-telegram-bot's AIORateLimiter\n")
    limited = [Setup("faqbot FloodLimiter", limits=FloodLimits(),
                     faults={"sendMessage": {"429": 0.02}})]
    if ptb_limiter() is not None:
        limited.append(Setup("python-telegram-bot AIORateLimiter", limiter="ptb",
                             faults={"sendMessage": {"429": 0.02}}))
    print(f"Telegram's flood limits, {args.limited_updates} updates from as many chats, "
          "2 % of sendMessage answered 429 with retry_after 1 s.\n")
    print("| limiter | replies/s | answered |")
    print("| --- | --- | --- |")
    for setup in limited:
        rate, done = throughput(engine, texts, args.limited_updates, setup)
        print(f"| {setup.name} | {rate:.1f} | {done}/{args.limited_updates} |")
    if len(limited) == 1:
        print("\nAIORateLimiter not measured: install python-telegram-bot[rate-limiter].")
    print("\nReproduce: `.venv/bin/python benchmarks/bench_telegram.py`\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
