"""Tell whether a document reads as English (the language the questions are generated in)."""

from __future__ import annotations

from bot.compiler import text as tx

_ENGLISH = tx.wordset(
    "the of and to in is was for on that with as by it its at from are an be has have "
    "which who this their or were will not but they")


def english_share(text: str) -> float:
    """Return the share of the words of ``text`` that are very common English words."""
    words = tx.words(text)
    if not words:
        return 0.0
    return sum(w in _ENGLISH for w in words) / len(words)
