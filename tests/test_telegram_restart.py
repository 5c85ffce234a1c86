"""``faqbot telegram`` killed or stopped mid-stream, then started again: exactly once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from telegram_delivery import delivered, expected_answers, script  # noqa: E402
from telegram_kb import write_kb  # noqa: E402
from telegram_server import TEST_TOKEN, FakeBotApi, Updates  # noqa: E402

CHATS = list(range(1, 21))


class Bot:
    """One ``faqbot telegram`` process (long polling) with its log in a file."""

    def __init__(self, tmp_path: Path, kb: Path, api: FakeBotApi, *extra: str) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
        env.update(PYTHONUNBUFFERED="1", FAQBOT_DATA_DIR=str(tmp_path / "data"),
                   TELEGRAM_BOT_TOKEN=TEST_TOKEN, TELEGRAM_API_BASE_URL=api.base_url)
        self.log = tmp_path / f"bot-{time.monotonic_ns()}.log"
        with self.log.open("w") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "bot", "telegram", "--intents", str(kb), "--no-log",
                 "--poll-timeout", "1", *extra],
                cwd=tmp_path, env=env, stdout=out, stderr=subprocess.STDOUT)

    def stop(self, sig: signal.Signals = signal.SIGTERM) -> int:
        self.proc.send_signal(sig)
        return self.proc.wait(30)

    def output(self) -> str:
        return self.log.read_text()


def ledger_counts(data_dir: Path) -> dict[str, int]:
    db = sqlite3.connect(data_dir / "state.sqlite3", timeout=5)
    try:
        return dict(db.execute("SELECT status, COUNT(*) FROM updates GROUP BY status"))
    finally:
        db.close()


def wait_until(condition, timeout: float = 15.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


@pytest.fixture
def kb(tmp_path):
    return write_kb(tmp_path)


def test_sigkill_mid_stream_then_restart_loses_and_doubles_nothing(tmp_path, kb):
    messages = script(CHATS, 3)
    expected = expected_answers(kb, messages)
    total = sum(map(len, expected.values()))
    updates = Updates()
    with FakeBotApi() as api:
        first = Bot(tmp_path, kb, api)
        try:
            api.wait_for("getUpdates", timeout=30)
            api.push_many([updates.message(chat, text) for chat, text in messages])
            # Telegram's flood limits hold most answers back; take the process down once
            # the batch is confirmed, while answers are still waiting and one is on its way.
            wait_until(lambda: api.pending_updates == 0, what="the batch to be confirmed")
            api.wait_for("sendMessage", count=5, timeout=30)
            api.hold("sendMessage")
            api.wait_held()
            # Every answer Telegram accepted is recorded as finished (none still in flight).
            wait_until(lambda: ledger_counts(tmp_path / "data").get("done", 0)
                       == sum(map(len, delivered(list(api.calls)).values())),
                       what="the ledger to record the answers sent")
            first.proc.kill()
            first.proc.wait(10)
        finally:
            if first.proc.poll() is None:
                first.proc.kill()
        api.release()
        counts = ledger_counts(tmp_path / "data")
        assert counts.get("pending", 0) > 0  # fetched, confirmed to Telegram, unanswered
        second = Bot(tmp_path, kb, api)
        try:
            api.wait_for("sendMessage", count=total, timeout=60)
            assert second.stop() == 0, second.output()[-2000:]
        finally:
            if second.proc.poll() is None:
                second.proc.kill()
        got = delivered(api.calls)
    assert got == expected
    assert "answering" in second.output() and "accepted before the last stop" in \
        second.output()


def test_sigterm_with_a_failing_confirmation_then_restart_answers_once(tmp_path, kb):
    messages = script(CHATS, 3)
    sentinel = (99, "who founded mistral")
    expected = expected_answers(kb, [*messages, sentinel])
    updates = Updates()
    with FakeBotApi() as api:
        first = Bot(tmp_path, kb, api)
        try:
            api.wait_for("getUpdates", timeout=30)
            api.break_polling_after_next_batch()  # the batch is never confirmed
            api.push_many([updates.message(chat, text) for chat, text in messages])
            api.wait_for("sendMessage", count=15, timeout=30)
            assert first.stop(signal.SIGTERM) == 0, first.output()[-2000:]
        finally:
            if first.proc.poll() is None:
                first.proc.kill()
        assert sum(map(len, delivered(api.calls).values())) >= 15
        assert api.pending_updates == len(messages)  # Telegram will send them all again
        api.break_polling_after_next_batch(False)
        second = Bot(tmp_path, kb, api)
        try:
            api.wait_for("getUpdates", timeout=30)
            mark = api.mark()
            api.push(updates.message(*sentinel))
            api.wait_for("sendMessage", since=mark, chat_id=sentinel[0], timeout=30)
            api.wait_for("sendMessage", count=len(messages) + 1, timeout=30)
            assert second.stop() == 0, second.output()[-2000:]
        finally:
            if second.proc.poll() is None:
                second.proc.kill()
        got = delivered(api.calls)
    assert got == expected
    assert ledger_counts(tmp_path / "data") == {"done": len(messages) + 1}
