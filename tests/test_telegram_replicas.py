"""Webhook replicas sharing conversation state and the update ledger through Redis."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from redis_server import redis_server  # noqa: E402
from telegram_kb import write_kb  # noqa: E402
from telegram_server import TEST_TOKEN, BotRunner, FakeBotApi, Updates  # noqa: E402

from bot.adapters.telegram.app import WebhookOptions, build_application  # noqa: E402
from bot.adapters.telegram.inbox import Inbox  # noqa: E402
from bot.adapters.telegram.ratelimit import FloodLimits  # noqa: E402
from bot.adapters.telegram.retry import RetryPolicy  # noqa: E402
from bot.adapters.telegram.settings import TelegramSettings  # noqa: E402
from bot.config import load_config  # noqa: E402
from bot.dialog.engine import Engine, build_brain  # noqa: E402
from bot.kb.loader import load_knowledge_base  # noqa: E402
from bot.state import open_backend  # noqa: E402
from bot.state.deferred import DeferredStateStore  # noqa: E402

SECRET = "replica-secret_1"
FAST = FloodLimits(per_chat=(1000, 1.0), per_group=(1000, 1.0), overall=(1000, 1.0),
                   retry=RetryPolicy(first_delay=0.02, max_delay=0.1, budget=5.0))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Replica:
    """One webhook process's worth of bot: its own engine, Redis connection and port."""

    def __init__(self, api: FakeBotApi, intents: Path, redis_url: str, name: str) -> None:
        self.backend = open_backend(redis_url)
        store = DeferredStateStore(self.backend.states)
        engine = Engine(build_brain(load_knowledge_base(intents)), load_config(None),
                        store=store)
        port = free_port()
        self.url = f"http://127.0.0.1:{port}/tg"
        hook = WebhookOptions(url=self.url, listen="127.0.0.1", port=port, secret=SECRET)
        app = build_application(engine, TelegramSettings(token=TEST_TOKEN,
                                                         base_url=api.base_url),
                                limits=FAST, inbox=Inbox(self.backend.updates, name),
                                commit_state=store.commit)
        self.runner = BotRunner(app, webhook=hook).start()

    def stop(self) -> None:
        self.runner.stop()
        self.backend.close()


@pytest.fixture
def intents(tmp_path):
    return write_kb(tmp_path)


def test_a_follow_up_on_replica_b_resolves_the_question_answered_by_replica_a(
        tmp_path, intents):
    updates = Updates()
    with redis_server(tmp_path) as url, FakeBotApi() as api:
        a = Replica(api, intents, url, "a")
        api.wait_for("setWebhook")
        b = Replica(api, intents, url, "b")
        api.wait_for("setWebhook", count=2)
        try:
            mark = api.mark()
            assert api.push(updates.message(7, "how much money has mistral raised"),
                            url=a.url) == 200
            (first,) = api.wait_for("sendMessage", since=mark)
            mark = api.mark()
            assert api.push(updates.message(7, "tell me more"), url=b.url) == 200
            (second,) = api.wait_for("sendMessage", since=mark)
            # Telegram retries an update on another replica: it is answered once.
            mark = api.mark()
            again = {"update_id": 10_000, **updates.message(7, "hello")}
            assert api.post_webhook(again, SECRET, url=a.url) == 200
            assert api.post_webhook(again, SECRET, url=b.url) == 200
            api.wait_for("sendMessage", since=mark)
            api.push(updates.message(7, "who founded mistral"), url=b.url)
            api.wait_for("sendMessage", count=2, since=mark)
            hellos = [c for c in api.calls[mark:] if c.method == "sendMessage"
                      and "Hello" in c.params["text"]]
        finally:
            a.stop()
            b.stop()
    assert "1.7 billion" in first.params["text"]
    assert "Revenue grew" in second.params["text"]
    assert len(hellos) == 1


def test_the_webhook_answers_500_when_the_update_cannot_be_stored(tmp_path, intents):
    updates = Updates()
    with FakeBotApi() as api:
        with redis_server(tmp_path) as url:
            replica = Replica(api, intents, url, "a")
            api.wait_for("setWebhook")
            mark = api.mark()
            assert api.push(updates.message(7, "hello"), url=replica.url) == 200
            api.wait_for("sendMessage", since=mark)
        try:  # Redis is gone: Telegram must be told to send the update again
            mark = api.mark()
            assert api.push(updates.message(7, "who founded mistral"),
                            url=replica.url) == 500
            assert not [c for c in api.calls[mark:] if c.method == "sendMessage"]
        finally:
            replica.runner.stop()


def test_a_state_store_failing_after_the_answer_sends_no_apology(tmp_path, intents):
    """The answer went out: a failure to store the conversation afterwards is only logged."""

    def broken_commit(sender: str) -> None:
        raise ConnectionError("the state store went away")

    updates = Updates()
    with FakeBotApi() as api, redis_server(tmp_path) as url:
        backend = open_backend(url)
        engine = Engine(build_brain(load_knowledge_base(intents)), load_config(None))
        port = free_port()
        hook = WebhookOptions(url=f"http://127.0.0.1:{port}/tg", listen="127.0.0.1",
                              port=port, secret=SECRET)
        app = build_application(engine, TelegramSettings(token=TEST_TOKEN,
                                                          base_url=api.base_url),
                                limits=FAST, inbox=Inbox(backend.updates, "a"),
                                commit_state=broken_commit)
        runner = BotRunner(app, webhook=hook).start()
        try:
            api.wait_for("setWebhook")
            mark = api.mark()
            assert api.push(updates.message(7, "hello"), url=hook.url) == 200
            api.wait_for("sendMessage", since=mark)
            runner.stop()  # waits for the update to finish, apology or not
            sent = [c.params["text"] for c in api.calls[mark:] if c.method == "sendMessage"]
            assert len(sent) == 1 and "something went wrong" not in sent[0]
        finally:
            runner.stop()
            backend.close()
