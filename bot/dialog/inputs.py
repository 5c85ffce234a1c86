"""Clean what arrives at the engine's edge, then screen it: empty, too long, or not text.

:func:`clean_text` and :func:`clean_sender` run once, when a message enters the engine, so
every consumer of the turn (matching, replies, the JSON line, the unanswered-question log)
sees the same text, which can always be encoded as UTF-8.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

EMPTY = "empty"
TOO_LONG = "too_long"
NOT_TEXT = "not_text"

EMPTY_MESSAGE_TEXT = "Please type a question."
TOO_LONG_TEXT = (
    "That message is too long ({length} characters). "
    "Please ask a shorter question (at most {limit} characters)."
)
NOT_TEXT_TEXT = "That doesn't look like text. Please type your question in words."

_ALLOWED_CONTROLS = {"\t", "\n", "\r"}
_MAX_NOISE_RATIO = 0.1
# C0 and C1 control characters except tab, line feed and carriage return.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_SENDER_CHARS = 128
_SENDER_DIGEST_CHARS = 16


def clean_text(text: object) -> str:
    """Return ``text`` as a string safe for every consumer.

    Lone surrogates (which cannot be encoded as UTF-8) become U+FFFD, a pair of surrogates
    becomes the character it stands for, and control characters other than tab, line feed
    and carriage return are dropped. When they make up more than a tenth of the text it is
    binary rather than text: they become U+FFFD instead, so :func:`screen` refuses it as
    "not text" and the turn still shows where they were. ``None`` becomes the empty
    string; other non-strings their ``str()``.

    Args:
        text: A message or sender as received.

    Returns:
        The cleaned text (the same object when there was nothing to clean).
    """
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    if _SURROGATE.search(text):
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    cleaned = _CONTROLS.sub("", text)
    if len(text) - len(cleaned) > _MAX_NOISE_RATIO * len(text):
        return _CONTROLS.sub("\ufffd", text)
    return cleaned


def clean_sender(sender: object) -> str:
    """Return a sender id that is clean text of bounded length.

    Ids longer than :data:`MAX_SENDER_CHARS` keep their start and end with a digest of
    the whole id, so two long ids stay two conversations.
    """
    cleaned = clean_text(sender)
    if len(cleaned) <= MAX_SENDER_CHARS:
        return cleaned
    digest = hashlib.sha256(cleaned.encode("utf-8")).hexdigest()[:_SENDER_DIGEST_CHARS]
    keep = (MAX_SENDER_CHARS - _SENDER_DIGEST_CHARS - 2) // 2
    return f"{cleaned[:keep]}~{digest}~{cleaned[-keep:]}"


@dataclass(frozen=True)
class Screened:
    """The outcome of :func:`screen`.

    Attributes:
        message: The cleaned message (stripped, control characters removed) when usable.
        problem: ``empty``, ``too_long`` or ``not_text`` when the message is not usable.
        reply: What to tell the user about the problem.
    """

    message: str = ""
    problem: str | None = None
    reply: str = ""


def _is_noise(char: str) -> bool:
    if char == "\ufffd":  # what undecodable bytes become
        return True
    return unicodedata.category(char) in ("Cc", "Cs", "Co", "Cn") and (
        char not in _ALLOWED_CONTROLS
    )


def screen(text: object, max_chars: int) -> Screened:
    """Check a raw message and clean it for matching.

    Args:
        text: The message as received (anything; only non-empty ``str`` is usable).
        max_chars: Longest message accepted.

    Returns:
        The cleaned message, or the problem and a reply explaining it.
    """
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    stripped = text.strip()
    if len(stripped) > max_chars:
        return Screened(problem=TOO_LONG,
                        reply=TOO_LONG_TEXT.format(length=len(stripped), limit=max_chars))
    if stripped.isprintable() and "\ufffd" not in stripped:
        cleaned = " ".join(stripped.split())  # the common case, checked at C speed
    else:
        noise = sum(1 for c in stripped if _is_noise(c))
        if "\x00" in stripped or (stripped and noise / len(stripped) > _MAX_NOISE_RATIO):
            return Screened(problem=NOT_TEXT, reply=NOT_TEXT_TEXT)
        cleaned = "".join(" " if _is_noise(c) or c in _ALLOWED_CONTROLS else c
                          for c in stripped)
        cleaned = " ".join(cleaned.split())
    if not any(c.isalnum() for c in cleaned) and not _is_symbolic(cleaned):
        return Screened(problem=EMPTY, reply=EMPTY_MESSAGE_TEXT)
    return Screened(message=cleaned)


def _is_symbolic(text: str) -> bool:
    """Return True for messages made of symbols with a meaning, such as emoji."""
    return any(unicodedata.category(c) == "So" for c in text)
