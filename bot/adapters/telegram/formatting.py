"""Message text for Telegram: HTML escaping and splitting over the 4096-character limit.

Replies are plain text from the knowledge base, sent with parse mode HTML: every ``<``,
``>`` and ``&`` is escaped so a reply can never break the markup. Telegram counts the
limit on the text after entity parsing; we count UTF-16 code units (what Telegram uses
for entity offsets, never fewer than characters), so each part is safely under it.
"""

from __future__ import annotations

import html
import re

MAX_MESSAGE_LENGTH = 4096
# Candidate cut points, best first: after a paragraph, a line, a sentence, a word.
_BOUNDARIES = (
    re.compile(r"\n\s*\n"),
    re.compile(r"\n"),
    re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*\s+"),
    re.compile(r"[;:,]\s+"),
    re.compile(r"\s+"),
)


def escape(text: str) -> str:
    """Escape text for Telegram's HTML parse mode (``&``, ``<`` and ``>``)."""
    return html.escape(text, quote=False)


def utf16_length(text: str) -> int:
    """Return the length of ``text`` in UTF-16 code units, as Telegram counts."""
    return len(text.encode("utf-16-le")) // 2


def _fit(text: str, limit: int) -> int:
    """Return the largest prefix length (in characters) of ``text`` within ``limit``."""
    if utf16_length(text) <= limit:
        return len(text)
    # Characters outside the BMP take two units; walk only when the text has any.
    if text.isascii() or len(text) == utf16_length(text):
        return limit
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > limit:
            return index
    return len(text)


def _cut(window: str, size: int) -> int:
    """Return where to cut ``window`` (``size`` characters fit, plus one to look ahead).

    The cut is after the best boundary found (or before it when the boundary itself
    reaches past the limit); without one, at ``size``.
    """
    for min_share in (0.5, 0.0):
        floor = max(1, int(size * min_share))
        for pattern in _BOUNDARIES:
            cuts = [m.end() if m.end() <= size else m.start() for m in pattern.finditer(window)]
            cuts = [c for c in cuts if floor <= c <= size]
            if cuts:
                return cuts[-1]
    return size


def split_text(text: str, limit: int = MAX_MESSAGE_LENGTH) -> list[str]:
    """Split ``text`` into parts of at most ``limit`` UTF-16 units.

    Cuts after a paragraph if one ends in the second half of the allowed length, else
    after a line, a sentence, a clause or a word; only a single word longer than the limit
    is cut in the middle.

    Args:
        text: Plain text.
        limit: Maximum length of one part.

    Returns:
        Parts in order, stripped, none empty (an empty list for blank text).
    """
    if limit < 1:
        raise ValueError("limit must be positive")
    parts: list[str] = []
    rest = text.strip()
    while rest:
        size = _fit(rest, limit)
        if size >= len(rest):
            parts.append(rest)
            break
        # Look one character past the window, so a boundary right at the end counts.
        cut = _cut(rest[: size + 1], size)
        part, rest = rest[:cut].rstrip(), rest[cut:].lstrip()
        if part:
            parts.append(part)
    return parts


def to_html_parts(text: str, limit: int = MAX_MESSAGE_LENGTH) -> list[str]:
    """Split plain ``text`` within ``limit`` and escape each part for parse mode HTML."""
    return [escape(part) for part in split_text(text, limit)]
