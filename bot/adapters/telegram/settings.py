"""Telegram settings from the environment and an optional ``.env`` file.

The bot token is a secret: it is validated here, and no message raised by this module
ever contains it (nor any other value read from a ``.env`` file).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

logger = logging.getLogger(__name__)

TOKEN_VAR = "TELEGRAM_BOT_TOKEN"
BASE_URL_VAR = "TELEGRAM_API_BASE_URL"
SECRET_VAR = "TELEGRAM_WEBHOOK_SECRET"
ADMINS_VAR = "TELEGRAM_ADMIN_IDS"

# A token from @BotFather: the bot's numeric id, a colon, then a secret of 35 URL-safe
# characters (accept a little more or less, in case Telegram changes the length).
_TOKEN = re.compile(r"^[0-9]{1,20}:[A-Za-z0-9_-]{30,80}$")
# Telegram accepts 1-256 characters A-Z, a-z, 0-9, _ and - for setWebhook's secret_token.
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_ENV_LINE = re.compile(r"^(?:export\s+)?(?P<key>[A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?P<value>.*)$")
MAX_ENV_FILE_BYTES = 1024 * 1024


class SettingsError(ValueError):
    """A setting is missing or invalid; the message says which, never its value."""


@dataclass(frozen=True)
class TelegramSettings:
    """What the Telegram adapter needs to start.

    Attributes:
        token: The bot token (secret; ``repr`` hides it).
        base_url: Bot API base URL the token is appended to, or None for Telegram's.
        webhook_secret: Secret token checked on every webhook request, or None.
        admin_ids: Telegram user ids allowed to use ``/reload``.
    """

    token: str = field(repr=False)
    base_url: str | None = None
    webhook_secret: str | None = field(default=None, repr=False)
    admin_ids: frozenset[int] = frozenset()

    @property
    def secrets(self) -> tuple[str, ...]:
        """The values that must never be printed."""
        return tuple(s for s in (self.token, self.webhook_secret) if s)


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        inner = value[1:-1]
        return inner.replace('\\"', '"').replace("\\\\", "\\") if value[0] == '"' else inner
    # An unquoted value ends at a comment that follows whitespace.
    return re.split(r"\s+#", value, maxsplit=1)[0].strip()


def read_env_file(path: str | Path) -> dict[str, str]:
    """Parse a ``.env`` file: ``KEY=value`` lines, ``export`` prefix, quotes, comments.

    Args:
        path: The file.

    Returns:
        Variables in file order.

    Raises:
        SettingsError: If the file cannot be read or a line is not ``KEY=value``; the
            message gives the line number, never the line (it may hold a secret).
    """
    source = Path(path)
    try:
        if source.stat().st_size > MAX_ENV_FILE_BYTES:
            raise SettingsError(f"{source}: too large for an env file")
        raw = source.read_bytes()
    except OSError as exc:
        raise SettingsError(f"{source}: cannot read env file ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SettingsError(f"{source}: not a UTF-8 text file") from None
    values: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _ENV_LINE.match(stripped)
        if match is None:
            raise SettingsError(f"{source}:{number}: expected KEY=value")
        values[match["key"]] = _unquote(match["value"])
    return values


def _parse_admins(raw: str) -> frozenset[int]:
    ids = set()
    for part in raw.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not re.fullmatch(r"-?[0-9]{1,20}", part):
            raise SettingsError(
                f"{ADMINS_VAR}: {part[:40]!r} is not a Telegram user id "
                "(expected comma-separated numbers)"
            )
        ids.add(int(part))
    return frozenset(ids)


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: str | Path | None = None
) -> TelegramSettings:
    """Read the settings; variables already in the environment win over the file.

    Args:
        environ: The environment (``os.environ`` when None).
        env_file: A ``.env`` file to read, or None for none.

    Returns:
        The validated settings.

    Raises:
        SettingsError: If the token is missing or malformed, or another value is invalid.
    """
    env = dict(os.environ if environ is None else environ)
    if env_file is not None:
        for key, value in read_env_file(env_file).items():
            env.setdefault(key, value)
    token = env.get(TOKEN_VAR, "").strip()
    if not token:
        raise SettingsError(
            f"{TOKEN_VAR} is not set: create a bot with @BotFather and put its token in the "
            "environment or in a .env file (see .env.example)"
        )
    if not _TOKEN.match(token):
        raise SettingsError(
            f"{TOKEN_VAR} is malformed (value not shown): expected '<bot id>:<secret>' "
            "as given by @BotFather, e.g. 123456789:AA... with no spaces or quotes"
        )
    base_url = env.get(BASE_URL_VAR, "").strip() or None
    if base_url and not re.match(r"^https?://[^\s/]+", base_url):
        raise SettingsError(f"{BASE_URL_VAR}: expected an http(s) URL such as "
                            "http://127.0.0.1:8081/bot")
    if base_url and token in base_url:
        raise SettingsError(f"{BASE_URL_VAR} must not contain the token: it is appended")
    secret = env.get(SECRET_VAR, "").strip() or None
    if secret and not _SECRET.match(secret):
        raise SettingsError(
            f"{SECRET_VAR} is invalid (value not shown): use 1-256 characters from "
            "A-Z, a-z, 0-9, _ and -"
        )
    return TelegramSettings(
        token=token,
        base_url=base_url,
        webhook_secret=secret,
        admin_ids=_parse_admins(env.get(ADMINS_VAR, "")),
    )
