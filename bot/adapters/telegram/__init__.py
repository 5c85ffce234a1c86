"""Telegram adapter: the bot served through python-telegram-bot v22.

Modules: ``settings`` (environment, ``.env``, token checks), ``redact`` (secrets out of
logs), ``formatting`` (HTML escaping, splitting long replies), ``keyboard`` (inline
buttons, ``callback_data``), ``addressing`` (groups), ``content`` (greeting, topics),
``ratelimit`` (flood limits, 429), ``processor`` (per-chat ordering), ``handlers`` and
``app`` (wiring, polling or webhook, clean shutdown).
"""
