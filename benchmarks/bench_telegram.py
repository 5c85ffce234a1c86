"""Telegram adapter benchmark: the whole python-telegram-bot path over loopback.

Runs the real application (polling, handlers, engine, rate limiter, HTTP to the Bot API)
against the fake Bot API server of the tests on 127.0.0.1, and prints a Markdown section:

- replies per second with flood limits off (what the adapter itself can do) and on
  (Telegram's limits: about 30 messages a second overall);
- latency from the update being available to ``getUpdates`` to the bot's ``sendMessage``
  arriving at the server, p50 and p99, one update at a time (flood limits off).

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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from telegram_kb import write_kb  # noqa: E402
from telegram_server import TEST_TOKEN, BotRunner, FakeBotApi, Updates  # noqa: E402

from bot.adapters.telegram.app import build_application  # noqa: E402
from bot.adapters.telegram.ratelimit import FloodLimits  # noqa: E402
from bot.adapters.telegram.settings import TelegramSettings  # noqa: E402
from bot.commands.common import SetupError, build_engine  # noqa: E402
from bot.dialog.engine import Engine  # noqa: E402

OFF = FloodLimits(per_chat=(0, 0), per_group=(0, 0), overall=(0, 0))


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


@contextlib.contextmanager
def running_bot(engine: Engine, limits: FloodLimits) -> Iterator[FakeBotApi]:
    """Run the bot against a fresh fake Bot API until the block ends; yield the API."""
    with FakeBotApi() as api:
        settings = TelegramSettings(token=TEST_TOKEN, base_url=api.base_url)
        runner = BotRunner(build_application(engine, settings, limits=limits),
                           poll_timeout=5).start()
        try:
            api.wait_for("getUpdates")
            yield api
        finally:
            runner.stop()


def throughput(engine: Engine, texts: list[str], count: int, limits: FloodLimits) -> float:
    """Push ``count`` updates from as many private chats; return replies per second."""
    with running_bot(engine, limits) as api:
        updates = Updates()
        warm = api.mark()
        api.push(updates.message(1, texts[0]))
        api.wait_for("sendMessage", since=warm)
        mark = api.mark()
        start = time.monotonic()
        for i in range(count):
            api.push(updates.message(1000 + i, texts[i % len(texts)]))
        deadline = time.monotonic() + 120
        while True:
            calls = api.wait_for("sendMessage", since=mark, timeout=120)
            chats = {c.params["chat_id"] for c in calls}
            if len(chats) >= count or time.monotonic() > deadline:
                break
            time.sleep(0.01)
        last = max(min(c.at for c in calls if c.params["chat_id"] == chat) for chat in chats)
        return count / (last - start)


def latencies(engine: Engine, texts: list[str], samples: int) -> list[float]:
    """Update pushed -> first ``sendMessage`` received, one update at a time (ms)."""
    result = []
    # Limits off: sequential updates at ~150/s would otherwise hit the 30/s window.
    with running_bot(engine, OFF) as api:
        updates = Updates()
        for i in range(samples + 5):
            chat_id = 5000 + i  # a fresh chat each time: no per-chat spacing
            mark = api.mark()
            api.push(updates.message(chat_id, texts[i % len(texts)]))
            (first, *_) = api.wait_for("sendMessage", since=mark, chat_id=chat_id)
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
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    engine, kb_name = load_engine(args.intents)
    texts = questions(engine)
    raw = throughput(engine, texts, args.updates, OFF)
    limited = throughput(engine, texts, args.limited_updates, FloodLimits())
    lat = latencies(engine, texts, args.samples)
    print("## Telegram adapter (python-telegram-bot over loopback)\n")
    print(f"Whole path: long polling, handlers, engine ({kb_name}, "
          f"{len(engine.brain.kb.intents)} intents), flood limiter and HTTP to a fake Bot "
          f"API on 127.0.0.1 (same process, so it shares the GIL). "
          f"Python {platform.python_version()}, {os.cpu_count()} CPUs.\n")
    print("| measure | value |")
    print("| --- | --- |")
    print(f"| replies/s, flood limits off ({args.updates} updates, one per chat) | "
          f"{raw:.0f} |")
    print(f"| replies/s, Telegram's flood limits on ({args.limited_updates} updates) | "
          f"{limited:.1f} |")
    print(f"| latency update -> sendMessage, p50 ({len(lat)} sequential updates, limits off) | "
          f"{statistics.median(lat):.1f} ms |")
    print(f"| latency update -> sendMessage, p99 | {percentile(lat, 0.99):.1f} ms |")
    print("\nReproduce: `.venv/bin/python benchmarks/bench_telegram.py`\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
