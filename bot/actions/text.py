"""Wording helpers shared by the actions: amounts, factors and lists."""

from __future__ import annotations

_NUMBER_WORDS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve",
)
_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def format_usd(amount: float) -> str:
    """Return ``$20 million``, ``$1.5 billion``, ``$950,000``.

    Args:
        amount: An amount in US dollars.

    Returns:
        The amount in words, at most one decimal.
    """
    for scale, word in _SCALES:
        if abs(amount) >= scale:
            return f"${format_number(amount / scale)} {word}"
    return f"${amount:,.0f}"


def format_number(value: float) -> str:
    """Return ``20`` for 20.0, ``2.5`` for 2.5, ``1,900`` for 1900.0 (one decimal at most)."""
    rounded = round(value, 1)
    if rounded.is_integer():
        return f"{int(rounded):,}"
    return f"{rounded:,.1f}"


def join_names(names: list[str]) -> str:
    """Return ``A``, ``A and B``, ``A, B and C``."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def number_word(count: int) -> str:
    """Return ``nine`` for 9 (words up to twelve, digits beyond)."""
    words = _NUMBER_WORDS
    return words[count] if 0 <= count < len(words) else str(count)
