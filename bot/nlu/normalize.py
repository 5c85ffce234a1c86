"""Text normalisation shared by indexing and matching."""

from __future__ import annotations

import re
import unicodedata

_CONTRACTIONS = {
    "what's": "what is", "whats": "what is", "who's": "who is", "whos": "who is",
    "where's": "where is", "how's": "how is", "it's": "it is", "that's": "that is",
    "there's": "there is", "can't": "cannot", "won't": "will not", "don't": "do not",
    "doesn't": "does not", "didn't": "did not", "isn't": "is not", "aren't": "are not",
    "i'm": "i am", "you're": "you are", "they're": "they are", "we're": "we are",
    "i've": "i have", "you've": "you have", "i'd": "i would", "i'll": "i will",
    "let's": "let us", "wasn't": "was not", "hasn't": "has not", "haven't": "have not",
}
_TOKEN = re.compile(r"[a-z0-9$%€]+(?:[.,][0-9]+)*")


def fold(text: str) -> str:
    """Lower-case and strip accents: ``"Élysée"`` -> ``"elysee"``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalize(text: str, synonyms: dict[str, str] | None = None) -> str:
    """Return ``text`` folded, with contractions expanded, punctuation dropped.

    Args:
        text: Raw message.
        synonyms: Optional map from a folded phrase to its canonical form.

    Returns:
        Space-separated tokens.
    """
    folded = fold(text).replace("\u2019", "'")
    words = []
    for word in folded.split():
        stripped = word.strip("\"'()[]{}.,;:!?")
        words.append(_CONTRACTIONS.get(stripped, word))
    tokens = _TOKEN.findall(" ".join(words).replace("'s ", " "))
    result = " ".join(tokens)
    if synonyms:
        padded = f" {result} "
        for phrase, canonical in synonyms.items():
            if f" {phrase} " in padded:
                padded = padded.replace(f" {phrase} ", f" {canonical} ")
        result = padded.strip()
    return result
