"""The Telegram adapter's pieces on their own: settings, redaction, text, buttons, groups,
topics and the flood limiter."""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from pathlib import Path

import pytest
from telegram import Chat, Message, MessageEntity, User
from telegram.error import RetryAfter

sys.path.insert(0, str(Path(__file__).parent))

from telegram_kb import LONG_INTENT, write_kb  # noqa: E402
from telegram_server import TEST_TOKEN, parse_html  # noqa: E402

from bot.adapters.telegram import content  # noqa: E402
from bot.adapters.telegram.addressing import is_addressed, sender_key, strip_address  # noqa: E402
from bot.adapters.telegram.formatting import (  # noqa: E402
    escape,
    split_text,
    to_html_parts,
    utf16_length,
)
from bot.adapters.telegram.keyboard import CallbackCodec, inline_keyboard  # noqa: E402
from bot.adapters.telegram.ratelimit import FloodLimiter, FloodLimits, SlidingWindow  # noqa: E402
from bot.adapters.telegram.redact import MASK, RedactingFormatter, install  # noqa: E402
from bot.adapters.telegram.settings import (  # noqa: E402
    SettingsError,
    load_settings,
    read_env_file,
)
from bot.kb.loader import load_knowledge_base  # noqa: E402
from bot.kb.model import Button  # noqa: E402

# python-telegram-bot itself warns about RetryAfter.retry_after when one is constructed.
pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*")

# -- settings ----------------------------------------------------------------------------


def test_settings_from_environment():
    settings = load_settings({"TELEGRAM_BOT_TOKEN": f" {TEST_TOKEN} ",
                              "TELEGRAM_API_BASE_URL": "http://127.0.0.1:8081/bot",
                              "TELEGRAM_WEBHOOK_SECRET": "abc_DEF-123",
                              "TELEGRAM_ADMIN_IDS": "1, 22,333"})
    assert settings.token == TEST_TOKEN
    assert settings.base_url == "http://127.0.0.1:8081/bot"
    assert settings.webhook_secret == "abc_DEF-123"
    assert settings.admin_ids == frozenset({1, 22, 333})
    assert TEST_TOKEN not in repr(settings) and "abc_DEF" not in repr(settings)


@pytest.mark.parametrize("env, message", [
    ({}, "TELEGRAM_BOT_TOKEN is not set"),
    ({"TELEGRAM_BOT_TOKEN": "   "}, "TELEGRAM_BOT_TOKEN is not set"),
    ({"TELEGRAM_BOT_TOKEN": "abc:def"}, "malformed"),
    ({"TELEGRAM_BOT_TOKEN": TEST_TOKEN + " extra"}, "malformed"),
    ({"TELEGRAM_BOT_TOKEN": TEST_TOKEN, "TELEGRAM_ADMIN_IDS": "12,bob"}, "not a Telegram"),
    ({"TELEGRAM_BOT_TOKEN": TEST_TOKEN, "TELEGRAM_WEBHOOK_SECRET": "has space"}, "invalid"),
    ({"TELEGRAM_BOT_TOKEN": TEST_TOKEN, "TELEGRAM_API_BASE_URL": "ftp://x"}, "http"),
    ({"TELEGRAM_BOT_TOKEN": TEST_TOKEN,
      "TELEGRAM_API_BASE_URL": f"http://h/bot{TEST_TOKEN}"}, "must not contain the token"),
])
def test_bad_settings_say_what_is_wrong_but_not_the_value(env, message):
    with pytest.raises(SettingsError) as error:
        load_settings(env)
    assert message in str(error.value)
    assert TEST_TOKEN not in str(error.value) and "has space" not in str(error.value)


def test_env_file_syntax_and_precedence(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(
        "\ufeff# comment\n\n"
        f"export TELEGRAM_BOT_TOKEN='{TEST_TOKEN}'\n"
        'TELEGRAM_WEBHOOK_SECRET="from_file"  \n'
        "TELEGRAM_ADMIN_IDS=5 # trailing comment\n",
        encoding="utf-8",
    )
    assert read_env_file(env_file) == {"TELEGRAM_BOT_TOKEN": TEST_TOKEN,
                                       "TELEGRAM_WEBHOOK_SECRET": "from_file",
                                       "TELEGRAM_ADMIN_IDS": "5"}
    settings = load_settings({"TELEGRAM_WEBHOOK_SECRET": "from_env"}, env_file)
    assert settings.token == TEST_TOKEN
    assert settings.webhook_secret == "from_env"  # the environment wins
    assert settings.admin_ids == frozenset({5})


@pytest.mark.parametrize("data, message", [
    (b"TOKEN\n", ":1: expected KEY=value"),
    (b"\xff\xfe\x00bad", "not a UTF-8 text file"),
])
def test_bad_env_files(tmp_path, data, message):
    env_file = tmp_path / ".env"
    env_file.write_bytes(data)
    with pytest.raises(SettingsError, match=message):
        read_env_file(env_file)
    with pytest.raises(SettingsError, match="cannot read env file"):
        read_env_file(tmp_path / "missing.env")


# -- redaction ---------------------------------------------------------------------------


def test_redacting_formatter_masks_messages_arguments_and_tracebacks():
    formatter = RedactingFormatter(logging.Formatter("%(message)s"), [TEST_TOKEN])
    try:
        raise ValueError(f"bad url https://api.telegram.org/bot{TEST_TOKEN}/getMe")
    except ValueError:
        record = logging.LogRecord("httpx", logging.ERROR, __file__, 1,
                                   "HTTP Request: POST %s", (f"/bot{TEST_TOKEN}/x",),
                                   sys.exc_info())
    text = formatter.format(record)
    assert TEST_TOKEN not in text
    assert text.count(MASK) == 2 and "ValueError" in text


def test_install_wraps_handlers_and_quietens_httpx():
    logger = logging.getLogger("faqbot-test-redact")
    handler = logging.StreamHandler()
    logger.addHandler(handler)
    try:
        install([TEST_TOKEN], logger)
        install([TEST_TOKEN], logger)  # idempotent: no double wrapping
        assert isinstance(handler.formatter, RedactingFormatter)
        assert not isinstance(handler.formatter._inner, RedactingFormatter)
        assert logging.getLogger("httpx").level == logging.WARNING
    finally:
        logger.removeHandler(handler)


# -- text --------------------------------------------------------------------------------


def test_escape_is_what_telegram_html_needs():
    assert escape('R&D <b> "x" > y') == 'R&amp;D &lt;b&gt; "x" &gt; y'
    error, plain = parse_html(escape("1 < 2 & <i>x</i>"))
    assert error is None and plain == "1 < 2 & <i>x</i>"


def test_short_text_is_one_part_and_blank_is_none():
    assert split_text("  hello  ") == ["hello"]
    assert split_text(" \n ") == []


def test_split_prefers_paragraphs_then_sentences_then_words():
    paragraph = "A sentence here. " * 20  # 340 characters
    parts = split_text((paragraph.strip() + "\n\n") * 3, limit=700)
    assert parts == [paragraph.strip() + "\n\n" + paragraph.strip(), paragraph.strip()]
    sentences = split_text("First one is here. Second one is here. Third.", limit=30)
    assert sentences == ["First one is here.", "Second one is here. Third."]
    words = split_text("alpha beta gamma delta", limit=12)
    assert words == ["alpha beta", "gamma delta"]
    assert split_text("x" * 25, limit=10) == ["x" * 10, "x" * 10, "x" * 5]


def test_split_counts_utf16_units_and_never_cuts_a_character():
    text = "\U0001F600" * 5000  # two UTF-16 units each
    parts = split_text(text)
    assert all(utf16_length(p) <= 4096 for p in parts)
    assert "".join(parts) == text


def test_html_parts_stay_within_the_limit_after_parsing():
    text = ("Tom & Jerry <3 each other. " * 400).strip()
    parts = to_html_parts(text)
    assert len(parts) > 1
    for part in parts:
        error, plain = parse_html(part)
        assert error is None and utf16_length(plain) <= 4096


# -- buttons -----------------------------------------------------------------------------


def test_callback_codec_keeps_short_payloads_and_maps_long_ones():
    codec = CallbackCodec()
    assert codec.encode("/faq/funding") == "/faq/funding"
    long_payload = f"/{LONG_INTENT}"
    key = codec.encode(long_payload)
    assert key.startswith("#") and len(key.encode()) <= 64
    assert codec.decode(key) == long_payload
    assert codec.decode("/faq/funding") == "/faq/funding"
    # After a restart the table is empty: the knowledge base's intents resolve the key.
    fresh = CallbackCodec()
    assert fresh.decode(key) is None
    assert fresh.decode(key, ["/greet", long_payload]) == long_payload
    # Multi-byte payloads are measured in bytes.
    assert codec.encode("/" + "é" * 40).startswith("#")


def test_inline_keyboard_one_button_per_row():
    markup = inline_keyboard([Button("A" * 100, "/a"), Button("B", "/b")], CallbackCodec())
    rows = markup.inline_keyboard
    assert len(rows) == 2 and len(rows[0][0].text) <= 64
    assert rows[1][0].callback_data == "/b"
    assert inline_keyboard([], CallbackCodec()) is None


# -- groups ------------------------------------------------------------------------------

BOT = User(1, "FAQ", is_bot=True, username="faq_test_bot")
HUMAN = User(7, "Ann", is_bot=False)


def make_message(text, chat_type="supergroup", entities=(), reply_to=None):
    chat = Chat(-100 if chat_type != "private" else 7, chat_type)
    return Message(1, None, chat, from_user=HUMAN, text=text, entities=list(entities),
                   reply_to_message=reply_to)


def entity(kind, offset, length, user=None):
    return MessageEntity(kind, offset, length, user=user)


@pytest.mark.parametrize("text, entities, expected", [
    ("who founded it", [], False),
    ("@faq_test_bot who founded it", [entity("mention", 0, 13)], True),
    ("hey @FAQ_test_bot?", [entity("mention", 4, 13)], True),
    ("@someone_else hi", [entity("mention", 0, 13)], False),
    ("/help", [entity("bot_command", 0, 5)], True),
    ("/help@faq_test_bot", [entity("bot_command", 0, 18)], True),
    ("/help@other_bot", [entity("bot_command", 0, 15)], False),
    ("FAQ bot, hi", [entity("text_mention", 0, 7, user=BOT)], True),
])
def test_group_messages_are_for_the_bot_only_when_addressed(text, entities, expected):
    assert is_addressed(make_message(text, entities=entities), "faq_test_bot", 1) is expected


def test_private_messages_and_replies_to_the_bot_are_addressed():
    assert is_addressed(make_message("hi", chat_type="private"), "faq_test_bot", 1)
    bot_message = Message(5, None, Chat(-100, "supergroup"), from_user=BOT, text="answer")
    assert is_addressed(make_message("and?", reply_to=bot_message), "faq_test_bot", 1)
    human_message = Message(6, None, Chat(-100, "supergroup"), from_user=HUMAN, text="x")
    assert not is_addressed(make_message("and?", reply_to=human_message), "faq_test_bot", 1)


def test_strip_address_and_sender_key():
    assert strip_address("@faq_test_bot, who founded it?", "faq_test_bot") == "who founded it?"
    assert strip_address("who @FAQ_TEST_BOT founded", "faq_test_bot") == "who founded"
    assert strip_address(" plain ", None) == "plain"
    assert sender_key(-100, 7) == "-100:7"
    assert sender_key(5, None) == "5:5"


# -- topics and examples -----------------------------------------------------------------


def test_topics_and_examples_come_from_intent_metadata(tmp_path):
    kb = load_knowledge_base(write_kb(tmp_path))
    assert [(t.key, t.title, t.intents) for t in content.topics(kb)] == [
        ("money", "Money", ("faq/funding", "fact_revenue")),
        ("people", "People", ("faq/founders", "faq/history")),
    ]
    assert content.topic_buttons(kb) == [Button("Money", "topic:money"),
                                         Button("People", "topic:people")]
    heading, buttons = content.topic_questions(kb, "people")
    assert heading.startswith("People") and buttons[0] == Button("Founders", "/faq/founders")
    assert content.topic_questions(kb, "nope") == ("", [])
    examples = content.example_questions(kb)
    # One per topic first, so the greeting shows the breadth of the knowledge base.
    assert [b.payload for b in examples[:2]] == ["/faq/funding", "/faq/founders"]
    assert "/greet" not in [b.payload for b in examples]


# -- flood limits ------------------------------------------------------------------------


def test_sliding_window():
    window = SlidingWindow(2, 1.0)
    assert window.delay(0.0) == 0
    window.record(0.0)
    window.record(0.1)
    assert window.delay(0.5) == pytest.approx(0.5)
    assert window.delay(1.0) == 0


def send_times(limiter, chat_ids, endpoint="sendMessage"):
    stamps = []

    async def callback():
        stamps.append(time.monotonic())
        return True

    async def main():
        for chat_id in chat_ids:
            await limiter.process_request(callback, (), {}, endpoint,
                                          {"chat_id": chat_id}, None)
    start = time.monotonic()
    asyncio.run(main())
    return [s - start for s in stamps]


def test_limiter_spaces_messages_per_chat_and_per_group():
    limits = FloodLimits(per_chat=(2, 0.3), per_group=(3, 0.6), overall=(100, 1.0))
    private = send_times(FloodLimiter(limits), [5, 5, 5])
    assert private[1] < 0.1 and private[2] >= 0.29
    group = send_times(FloodLimiter(FloodLimits(per_chat=(100, 1.0), per_group=(3, 0.6))),
                       [-9, -9, -9, -9])
    assert group[2] < 0.1 and group[3] >= 0.59
    # Chat actions are not counted against a chat's messages.
    actions = send_times(FloodLimiter(limits), [5] * 5, endpoint="sendChatAction")
    assert actions[-1] < 0.1


def test_limiter_overall_rate():
    limiter = FloodLimiter(FloodLimits(per_chat=(100, 1.0), overall=(4, 0.4)))
    stamps = send_times(limiter, [1, 2, 3, 4, 5])
    assert stamps[3] < 0.1 and stamps[4] >= 0.39


def test_limiter_waits_out_a_429_then_retries():
    attempts = []

    async def callback():
        attempts.append(time.monotonic())
        if len(attempts) == 1:
            raise RetryAfter(1)
        return {"ok": True}

    async def main():
        return await FloodLimiter().process_request(callback, (), {}, "sendMessage",
                                                    {"chat_id": 5}, None)
    assert asyncio.run(main()) == {"ok": True}
    assert attempts[1] - attempts[0] >= 1.0


def test_limiter_gives_up_after_max_retries_and_never_retries_chat_actions():
    calls = []

    async def always_429():
        calls.append(1)
        raise RetryAfter(0)

    async def main(endpoint, retries):
        await FloodLimiter(FloodLimits(max_retries=retries)).process_request(
            always_429, (), {}, endpoint, {"chat_id": 5}, None)
    with pytest.raises(RetryAfter):
        asyncio.run(main("sendMessage", 2))
    assert len(calls) == 3
    calls.clear()
    with pytest.raises(RetryAfter):
        asyncio.run(main("sendChatAction", 2))
    assert len(calls) == 1
