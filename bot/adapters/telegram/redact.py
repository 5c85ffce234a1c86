"""Keep secrets out of logs: a formatter wrapper that masks them in every record.

python-telegram-bot puts the token in each request URL, and httpx logs request URLs at
INFO level. Masking at the formatter catches messages, arguments, tracebacks and stack
traces alike, whichever library logged them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

MASK = "<redacted>"


def redact(text: str, secrets: Iterable[str]) -> str:
    """Return ``text`` with every secret replaced by ``<redacted>``."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, MASK)
    return text


class RedactingFormatter(logging.Formatter):
    """Formats with an inner formatter, then masks the secrets in the result."""

    def __init__(self, inner: logging.Formatter | None, secrets: Iterable[str]) -> None:
        super().__init__()
        self._inner = inner or logging.Formatter()
        self._secrets = tuple(s for s in secrets if s)

    def format(self, record: logging.LogRecord) -> str:
        """Format the record and mask the secrets (also in its cached traceback)."""
        formatted = redact(self._inner.format(record), self._secrets)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self._secrets)
        return formatted


def install(
    secrets: Iterable[str], logger: logging.Logger | None = None, http_requests: bool = False
) -> None:
    """Mask ``secrets`` in everything the handlers of ``logger`` (default root) write.

    Also quietens ``httpx``/``httpcore`` logging to WARNING, as the python-telegram-bot
    examples do: one line per request is noise (and carries the token, masked here).

    Args:
        secrets: Values to mask.
        logger: Whose handlers to wrap; the root logger when None.
        http_requests: Keep httpx's one line per request (INFO), e.g. with ``--verbose``.
    """
    secrets = tuple(s for s in secrets if s)
    target = logger or logging.getLogger()
    if not target.handlers:
        logging.basicConfig()
    for handler in target.handlers:
        current = handler.formatter
        if isinstance(current, RedactingFormatter):
            current = current._inner
        handler.setFormatter(RedactingFormatter(current, secrets))
    logging.getLogger("httpx").setLevel(logging.INFO if http_requests else logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.captureWarnings(True)
