"""Folding and edit distance for names, with nothing but the standard library.

The actions run next to Rasa, in a rasa_sdk action server that may have none of faqbot's
NLU installed; these two helpers are all the name matching needs.
"""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-case and strip accents: ``"Élysée"`` -> ``"elysee"``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def edit_distance(first: str, second: str, limit: int) -> int:
    """Return the edits (insert, delete, substitute, swap two neighbours) between two words.

    Optimal string alignment distance, as typists make typos: ``nvdia`` -> ``nvidia`` is one
    edit, ``cicso`` -> ``cisco`` is one (a swap).

    Args:
        first: One string.
        second: The other.
        limit: Stop counting above this; any result above it is returned as ``limit + 1``.

    Returns:
        The distance, or ``limit + 1`` when it is more than ``limit``.
    """
    if abs(len(first) - len(second)) > limit:
        return limit + 1
    before: list[int] | None = None
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, start=1):
        current = [i] + [0] * len(second)
        for j, b in enumerate(second, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b))
            if (before is not None and i > 1 and j > 1 and a == second[j - 2]
                    and first[i - 2] == b):
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return min(previous[-1], limit + 1)
