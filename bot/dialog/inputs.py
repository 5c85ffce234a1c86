"""Screen a raw message before matching: empty, too long, or not text at all."""

from __future__ import annotations

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
