"""A fake Telegram Bot API server and helpers to run the real bot against it."""

from .api import BOT_ID, BOT_USERNAME, TEST_TOKEN, Call, FakeBotApi, Faults, parse_html
from .harness import BotRunner, Updates, entities_for

__all__ = ["BOT_ID", "BOT_USERNAME", "TEST_TOKEN", "BotRunner", "Call", "FakeBotApi", "Faults",
           "Updates", "entities_for", "parse_html"]
