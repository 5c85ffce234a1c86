"""Delivery under Bot API faults: the real python-telegram-bot against a faulty fake API."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import httpx
import pytest
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

sys.path.insert(0, str(Path(__file__).parent))

from telegram_delivery import delivered, expected_answers, script  # noqa: E402
from telegram_kb import write_kb  # noqa: E402
from telegram_server import TEST_TOKEN, BotRunner, FakeBotApi, Faults, Updates  # noqa: E402
from telegram_server.api import DROP, SLOW  # noqa: E402

from bot.adapters.telegram.app import PollingConflictError, build_application  # noqa: E402
from bot.adapters.telegram.content import APOLOGY  # noqa: E402
from bot.adapters.telegram.inbox import Inbox  # noqa: E402
from bot.adapters.telegram.ratelimit import FloodLimiter, FloodLimits  # noqa: E402
from bot.adapters.telegram.retry import RetryPolicy  # noqa: E402
from bot.adapters.telegram.settings import TelegramSettings  # noqa: E402
from bot.config import load_config  # noqa: E402
from bot.dialog.engine import Engine, build_brain  # noqa: E402
from bot.kb.loader import load_knowledge_base  # noqa: E402
from bot.state import open_backend  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*")

QUICK = RetryPolicy(first_delay=0.02, max_delay=0.2, budget=20.0)
FAST = FloodLimits(per_chat=(1000, 1.0), per_group=(1000, 1.0), overall=(1000, 1.0),
                   retry=QUICK)
READ_TIMEOUT = 1.0


def start(api, intents, backend, read_timeout=READ_TIMEOUT, limits=FAST) -> BotRunner:
    engine = Engine(build_brain(load_knowledge_base(intents)), load_config(None),
                    store=backend.states)
    app = build_application(engine, TelegramSettings(token=TEST_TOKEN, base_url=api.base_url),
                            limits=limits, inbox=Inbox(backend.updates, "poller"),
                            read_timeout=read_timeout)
    return BotRunner(app, poll_timeout=1.0).start()


@pytest.fixture
def intents(tmp_path):
    return write_kb(tmp_path)


def test_200_updates_from_20_chats_under_faults_lose_and_double_nothing(tmp_path, intents):
    messages = script(list(range(1, 21)), 10)
    faults = Faults(seed=11, slow_seconds=READ_TIMEOUT + 0.4, shares={
        "sendMessage": {"500": 0.04, "502": 0.04, DROP: 0.04, SLOW: 0.03, "429": 0.01},
        "sendChatAction": {"500": 0.1, DROP: 0.05},
        "getUpdates": {"502": 0.1, DROP: 0.05},
    })
    expected = expected_answers(intents, messages)
    backend = open_backend(f"sqlite:{tmp_path / 'state.sqlite3'}")
    with FakeBotApi() as api:
        api.faults = faults
        runner = start(api, intents, backend)
        updates = Updates()
        for chat, text in messages:
            api.push(updates.message(chat, text))
        api.wait_for("sendMessage", count=sum(map(len, expected.values())), timeout=90)
        runner.stop()
        got = delivered(api.calls)
    assert got == expected  # nothing lost, nothing doubled, each chat in order
    assert not any(APOLOGY in text for texts in got.values() for text in texts)
    drawn = {kind for (method, kind) in faults.drawn if method == "sendMessage"}
    assert {"500", "502", DROP, SLOW} <= drawn, faults.drawn


def test_an_answer_that_times_out_is_counted_as_delivered_never_sent_twice(tmp_path,
                                                                              intents):
    backend = open_backend("memory")
    with FakeBotApi() as api:
        runner = start(api, intents, backend, read_timeout=0.3)
        api.wait_for("getUpdates")
        api.faults = Faults(slow_seconds=0.6, shares={"sendMessage": {SLOW: 1.0}})
        updates = Updates()
        mark = api.mark()
        api.push(updates.message(5, "who founded mistral"))
        api.wait_for("sendMessage", since=mark)
        api.faults = Faults()
        api.push(updates.message(5, "hello"))
        api.wait_for("sendMessage", count=2, since=mark)
        runner.stop()
        texts = [c.params["text"] for c in api.calls[mark:]
                 if c.method == "sendMessage"]
    assert len(texts) == 2 and "Arthur Mensch" in texts[0] and "Hello" in texts[1]


def test_start_up_survives_a_failing_get_me_and_set_my_commands(intents):
    with FakeBotApi() as api:
        api.fail_next("getMe", 502, "Bad Gateway")
        api.fail_next("getMe", 500, "Internal Server Error")
        api.fail_next("setMyCommands", 502, "Bad Gateway")
        runner = start(api, intents, open_backend("memory"))
        api.wait_for("getUpdates")
        mark = api.mark()
        api.push(Updates().message(3, "hello"))
        (reply,) = api.wait_for("sendMessage", since=mark)
        runner.stop()
    assert [c.status for c in api.calls if c.method == "getMe"][:3] == [502, 500, 200]
    assert "Hello" in reply.params["text"]


def test_a_second_poller_is_detected_and_stops_with_a_clear_error(intents):
    with FakeBotApi() as api:
        runner = start(api, intents, open_backend("memory"))
        api.wait_for("getUpdates")
        api.fail_next("getUpdates", 409, "Conflict: terminated by other getUpdates "
                      "request; make sure that only one bot instance is running")
        runner._thread.join(15)
        with pytest.raises(PollingConflictError, match="409 Conflict.*webhook"):
            runner.stop()


def test_a_redelivered_update_is_answered_once(intents):
    backend = open_backend("memory")
    with FakeBotApi() as api:
        runner = start(api, intents, backend)
        api.wait_for("getUpdates")
        update = {"update_id": 77, **Updates().message(8, "who founded mistral")}
        mark = api.mark()
        api.enqueue_raw(update, update, update)  # sent again: it was not confirmed
        api.wait_for("sendMessage", since=mark)
        api.push(Updates().message(8, "hello"))  # a later update proves the first is done
        api.wait_for("sendMessage", count=2, since=mark)
        runner.stop()
        sent = [c for c in api.calls[mark:] if c.method == "sendMessage"]
    assert len(sent) == 2


# -- the retry rules on their own ------------------------------------------------------


def run_limited(failures: list[BaseException], endpoint: str = "sendMessage",
                policy: RetryPolicy = QUICK) -> tuple[object, int]:
    """Call a callback that raises ``failures`` one by one, then succeeds."""
    calls = []

    async def callback():
        calls.append(1)
        if len(calls) <= len(failures):
            raise failures[len(calls) - 1]
        return {"ok": True}

    async def main():
        limiter = FloodLimiter(FloodLimits(retry=policy))
        return await limiter.process_request(callback, (), {}, endpoint, {"chat_id": 5}, None)

    try:
        return asyncio.run(main()), len(calls)
    except Exception as exc:
        return exc, len(calls)


def read_timeout() -> TimedOut:
    try:
        raise TimedOut from httpx.ReadTimeout("read")
    except TimedOut as exc:
        return exc


def connect_timeout() -> TimedOut:
    try:
        raise TimedOut from httpx.ConnectTimeout("connect")
    except TimedOut as exc:
        return exc


def test_5xx_and_closed_connections_are_retried_4xx_are_not():
    result, calls = run_limited([NetworkError("Bad Gateway"), NetworkError("Internal (500)"),
                                 NetworkError("httpx.RemoteProtocolError: disconnected")])
    assert result == {"ok": True} and calls == 4
    result, calls = run_limited([BadRequest("Bad Request: message text is empty")])
    assert isinstance(result, BadRequest) and calls == 1
    result, calls = run_limited([RetryAfter(0), NetworkError("Bad Gateway")])
    assert result == {"ok": True} and calls == 3


def test_a_read_timeout_is_final_for_a_message_but_retried_for_idempotent_calls():
    result, calls = run_limited([read_timeout()], "sendMessage")
    assert isinstance(result, TimedOut) and calls == 1
    result, calls = run_limited([connect_timeout()], "sendMessage")  # never sent
    assert result == {"ok": True} and calls == 2
    result, calls = run_limited([read_timeout(), read_timeout()], "getMe")
    assert result == {"ok": True} and calls == 3


def test_retries_stop_when_the_budget_is_spent():
    policy = RetryPolicy(first_delay=0.05, max_delay=0.05, budget=0.3)
    result, calls = run_limited([NetworkError("Bad Gateway")] * 100, "setWebhook", policy)
    assert isinstance(result, NetworkError) and 3 <= calls <= 12
