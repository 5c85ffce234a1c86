"""The real python-telegram-bot application end to end against a fake Bot API on 127.0.0.1."""

from __future__ import annotations

import logging
import socket
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from telegram_kb import LONG_INTENT, LONG_PARAGRAPH, write_kb  # noqa: E402
from telegram_server import TEST_TOKEN, BotRunner, FakeBotApi, Updates  # noqa: E402

from bot.adapters.telegram.app import WebhookOptions, build_application  # noqa: E402
from bot.adapters.telegram.content import APOLOGY, NON_TEXT  # noqa: E402
from bot.adapters.telegram.handlers import RELOAD_NOT_CONFIGURED, RELOAD_REFUSED  # noqa: E402
from bot.adapters.telegram.ratelimit import FloodLimits  # noqa: E402
from bot.adapters.telegram.settings import TelegramSettings  # noqa: E402
from bot.config import load_config  # noqa: E402
from bot.dialog.engine import Engine, build_brain  # noqa: E402
from bot.dialog.turn import Turn  # noqa: E402
from bot.kb.loader import load_knowledge_base  # noqa: E402

# Generous limits so tests that are not about flood control are not slowed by it.
FAST = FloodLimits(per_chat=(1000, 1.0), per_group=(1000, 1.0), overall=(1000, 1.0))
ADMIN = 4242
GROUP = -100555


class Bot:
    """The running bot, the fake API and a few helpers for one test."""

    def __init__(self, api: FakeBotApi, engine: Engine, turns: list[Turn]) -> None:
        self.api = api
        self.engine = engine
        self.turns = turns
        self.updates = Updates()

    def ask(self, update: dict, count: int = 1, chat_id: int | None = None) -> list:
        """Push an update and return the next ``count`` messages the bot sends."""
        mark = self.api.mark()
        self.api.push(update)
        return self.api.wait_for("sendMessage", count=count, since=mark, chat_id=chat_id)

    def say(self, chat_id: int, text: str, **kwargs) -> list:
        """Send a text message and return the single reply's parameters list."""
        return self.ask(self.updates.message(chat_id, text, **kwargs))


def make_engine(tmp_path: Path, turns: list[Turn]) -> Engine:
    kb = load_knowledge_base(write_kb(tmp_path))
    return Engine(build_brain(kb), load_config(None), listeners=(turns.append,))


def start_bot(api, engine, reload=None, webhook=None, limits=FAST) -> BotRunner:
    settings = TelegramSettings(token=TEST_TOKEN, base_url=api.base_url,
                                admin_ids=frozenset({ADMIN}))
    app = build_application(engine, settings, reload=reload, limits=limits)
    return BotRunner(app, webhook=webhook, poll_timeout=1.0).start()


@pytest.fixture
def api():
    with FakeBotApi() as server:
        yield server


@pytest.fixture
def bot(api, tmp_path):
    turns: list[Turn] = []
    engine = make_engine(tmp_path, turns)
    runner = start_bot(api, engine)
    api.wait_for("getUpdates")
    yield Bot(api, engine, turns)
    runner.stop()


def texts(calls) -> list[str]:
    return [c.params["text"] for c in calls]


def keyboard(call) -> list[tuple[str, str]]:
    rows = call.params.get("reply_markup", {}).get("inline_keyboard", [])
    return [(b["text"], b["callback_data"]) for row in rows for b in row]


def test_start_registers_commands_and_offers_example_buttons(bot):
    commands = bot.api.wait_for("setMyCommands")[0].params["commands"]
    assert [c["command"] for c in commands] == ["start", "help", "topics"]
    assert bot.api.wait_for("deleteWebhook")  # polling removes any webhook first
    (reply,) = bot.say(7, "/start")
    assert "Mistral AI" in reply.params["text"]
    buttons = keyboard(reply)
    assert ("How much money has mistral raised", "/faq/funding") in buttons
    assert all(len(data.encode()) <= 64 for _, data in buttons)
    assert reply.params["parse_mode"] == "HTML"


def test_text_message_shows_typing_then_the_answer(bot):
    mark = bot.api.mark()
    (reply,) = bot.say(7, "who founded mistral")
    assert "Arthur Mensch" in reply.params["text"]
    methods = [c.method for c in bot.api.calls[mark:] if c.method != "getUpdates"]
    assert methods.index("sendChatAction") < methods.index("sendMessage")
    action = bot.api.wait_for("sendChatAction", since=mark)[0]
    assert action.params["action"] == "typing" and action.params["chat_id"] == 7
    assert bot.turns[-1].sender == "7:7"


def test_help_and_topics(bot):
    (help_reply,) = bot.say(7, "/help")
    assert "/topics" in help_reply.params["text"]
    (topics,) = bot.say(7, "/topics")
    assert keyboard(topics) == [("Money", "topic:money"), ("People", "topic:people")]
    mark = bot.api.mark()
    (picked,) = bot.ask(bot.updates.callback(7, "topic:money"))
    assert bot.api.wait_for("answerCallbackQuery", since=mark)
    assert keyboard(picked) == [("Funding", "/faq/funding"), ("Revenue", "/fact_revenue")]


def test_pressing_a_button_answers_the_callback_and_replies(bot):
    mark = bot.api.mark()
    (reply,) = bot.ask(bot.updates.callback(7, "/fact_revenue"))
    answered = bot.api.wait_for("answerCallbackQuery", since=mark)[0]
    assert answered.params["callback_query_id"]
    assert "Revenue grew" in reply.params["text"]
    assert bot.turns[-1].sender == "7:7"


def test_long_payload_goes_through_a_short_callback_key(bot):
    (funding,) = bot.say(7, "how much money has mistral raised")
    buttons = dict(keyboard(funding))
    key = buttons["Long key"]
    assert key.startswith("#") and len(key.encode()) <= 64
    assert len(f"/{LONG_INTENT}".encode()) > 64
    (reply,) = bot.ask(bot.updates.callback(7, key))
    assert reply.params["text"] == "The answer behind the long key."
    (expired,) = bot.ask(bot.updates.callback(7, "#00000000000000000000"))
    assert "expired" in expired.params["text"]


def test_replies_are_html_escaped(bot):
    (reply,) = bot.say(7, "show me the markup answer")
    sent = reply.params["text"]
    assert "&lt;b&gt;" in sent and "&amp;amp;" in sent
    # The fake server parsed the HTML as Telegram would and got our text back verbatim.
    assert reply.status == 200
    assert "<b>" not in sent


def test_long_reply_is_split_at_paragraphs_and_within_limits(bot):
    parts = bot.ask(bot.updates.message(7, "tell me the whole history of the company"), count=5)
    sent = texts(parts)
    assert all(len(t) <= 4096 for t in sent)
    assert all(t.endswith(".") for t in sent)
    assert " ".join(sent).split() == (LONG_PARAGRAPH * 5).split()


@pytest.mark.parametrize("content", [
    {"sticker": {"file_id": "s", "file_unique_id": "s1", "type": "regular", "width": 512,
                 "height": 512, "is_animated": False, "is_video": False}},
    {"photo": [{"file_id": "p", "file_unique_id": "p1", "width": 90, "height": 90}]},
    {"voice": {"file_id": "v", "file_unique_id": "v1", "duration": 2}},
    {"location": {"latitude": 48.85, "longitude": 2.35}},
])
def test_non_text_messages_get_a_polite_answer(bot, content):
    (reply,) = bot.ask(bot.updates.message(7, None, **content))
    assert reply.params["text"] == NON_TEXT


def test_edited_message_is_answered_again(bot):
    (reply,) = bot.ask(bot.updates.message(7, "who founded mistral", edited=True))
    assert "Arthur Mensch" in reply.params["text"]


def test_in_groups_the_bot_answers_only_when_addressed(bot):
    api, up = bot.api, bot.updates
    mark = api.mark()
    api.push(up.message(GROUP, "who founded mistral", user_id=11))
    api.push(up.message(GROUP, "/help@other_bot", user_id=11))
    api.push(up.message(GROUP, None, user_id=11, sticker={
        "file_id": "s", "file_unique_id": "s1", "type": "regular", "width": 1, "height": 1,
        "is_animated": False, "is_video": False}))
    mention = up.message(GROUP, "@faq_test_bot who founded mistral", user_id=11)
    api.push(mention)
    (reply,) = api.wait_for("sendMessage", since=mark)
    assert "Arthur Mensch" in reply.params["text"]
    assert reply.params["reply_parameters"]["message_id"] == mention["message"]["message_id"]
    assert bot.turns[-1].text == "who founded mistral"
    # A reply to one of the bot's messages, and a command for this bot, are addressed too.
    bot_message = up.bot_message(GROUP, api.bot)
    (again,) = bot.say(GROUP, "what is mistral revenue", user_id=12, reply_to=bot_message)
    assert "Revenue grew" in again.params["text"]
    (helped,) = bot.say(GROUP, "/help@faq_test_bot", user_id=12)
    assert "/topics" in helped.params["text"]
    # Only those three messages were answered.
    assert len(api.wait_for("sendMessage", since=mark)) == 3


def test_context_is_kept_per_chat_and_user(bot):
    bot.say(GROUP, "@faq_test_bot hello", user_id=21)
    bot.say(GROUP, "@faq_test_bot hello", user_id=22)
    bot.say(21, "hello")
    assert [t.sender for t in bot.turns] == [f"{GROUP}:21", f"{GROUP}:22", "21:21"]


def test_a_429_is_waited_out_and_the_message_still_delivered(bot):
    bot.api.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    mark = bot.api.mark()
    (reply,) = bot.say(7, "who founded mistral")
    refused = [c for c in bot.api.calls[mark:] if c.method == "sendMessage" and c.status == 429]
    assert len(refused) == 1
    assert reply.at - refused[0].at >= 1.0
    assert "Arthur Mensch" in reply.params["text"]


def test_reload_is_for_admins_only_and_says_when_not_configured(bot):
    (refused,) = bot.say(7, "/reload")
    assert refused.params["text"] == RELOAD_REFUSED
    (not_configured,) = bot.say(ADMIN, "/reload")
    assert not_configured.params["text"] == RELOAD_NOT_CONFIGURED


def test_reload_calls_the_reload_callable(api, tmp_path):
    calls = []

    def reload() -> str:
        calls.append(1)
        return "Reloaded 7 intents."

    runner = start_bot(api, make_engine(tmp_path, []), reload=reload)
    try:
        api.wait_for("getUpdates")
        mark = api.mark()
        api.push(Updates().message(ADMIN, "/reload"))
        (reply,) = api.wait_for("sendMessage", since=mark)
        assert reply.params["text"] == "Reloaded 7 intents." and calls == [1]
    finally:
        runner.stop()


class ExplodingEngine(Engine):
    """An engine that fails on one message, to exercise the error handler."""

    def handle(self, sender: str, text: str) -> Turn:
        if text == "boom":
            raise RuntimeError("engine exploded")
        return super().handle(sender, text)


def test_an_error_in_a_handler_is_logged_the_user_gets_an_apology_and_the_bot_goes_on(
        api, tmp_path, caplog):
    kb = load_knowledge_base(write_kb(tmp_path))
    engine = ExplodingEngine(build_brain(kb), load_config(None))
    runner = start_bot(api, engine)
    try:
        api.wait_for("getUpdates")
        mark = api.mark()
        with caplog.at_level(logging.ERROR):
            api.push(Updates().message(7, "boom"))
            (apology,) = api.wait_for("sendMessage", since=mark)
        assert apology.params["text"] == APOLOGY
        failed = [r for r in caplog.records if "error while handling update" in r.getMessage()]
        assert failed and "update 1:" in failed[0].getMessage()
        mark = api.mark()
        api.push(Updates().message(7, "who founded mistral"))
        (after,) = api.wait_for("sendMessage", since=mark)
        assert "Arthur Mensch" in after.params["text"]
    finally:
        runner.stop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_webhook_mode_sets_the_webhook_and_checks_the_secret(api, tmp_path):
    port = free_port()
    hook = WebhookOptions(url=f"http://127.0.0.1:{port}/tg/hook", listen="127.0.0.1",
                          port=port, secret="s3cret-Token_1")
    runner = start_bot(api, make_engine(tmp_path, []), webhook=hook)
    try:
        api.wait_for("setWebhook")
        assert api.webhook == {"url": hook.url, "secret_token": "s3cret-Token_1",
                               "allowed_updates": ["message", "edited_message",
                                                   "callback_query"]}
        mark = api.mark()
        update = Updates().message(7, "who founded mistral")
        assert api.push(update) == 200
        (reply,) = api.wait_for("sendMessage", since=mark)
        assert "Arthur Mensch" in reply.params["text"]
        assert api.post_webhook({"update_id": 99, **update}, "wrong") == 403
        assert api.post_webhook({"update_id": 100, **update}, None) == 403
        assert not [c for c in api.calls if c.method == "getUpdates"]
    finally:
        runner.stop()
    # Only the genuine update was answered.
    assert len(api.wait_for("sendMessage")) == 1


def test_fake_api_refuses_text_over_4096_characters(api):
    """The fake server answers as Telegram does, so the splitting tests mean something."""
    request = urllib.request.Request(
        f"{api.base_url}{TEST_TOKEN}/sendMessage",
        data=f"chat_id=7&text={'x' * 4097}".encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(request, timeout=5)
    assert error.value.code == 400
    assert b"message is too long" in error.value.read()
