"""Text normalisation shared by indexing and matching.

``normalize`` folds case and accents, expands contractions, drops punctuation and maps
Rasa synonyms to their canonical value; ``stem`` strips common English endings so that
"investors", "investing" and "invested" meet.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CONTRACTIONS = {
    "what's": "what is", "whats": "what is", "who's": "who is", "whos": "who is",
    "where's": "where is", "how's": "how is", "it's": "it is", "that's": "that is",
    "there's": "there is", "can't": "cannot", "won't": "will not", "don't": "do not",
    "doesn't": "does not", "didn't": "did not", "isn't": "is not", "aren't": "are not",
    "i'm": "i am", "you're": "you are", "they're": "they are", "we're": "we are",
    "i've": "i have", "you've": "you have", "i'd": "i would", "i'll": "i will",
    "let's": "let us", "wasn't": "was not", "hasn't": "has not", "haven't": "have not",
    "couldn't": "could not", "shouldn't": "should not", "wouldn't": "would not",
    "we've": "we have", "they've": "they have", "you'll": "you will", "we'll": "we will",
    "he's": "he is", "she's": "she is", "im": "i am", "dont": "do not",
    "doesnt": "does not", "cant": "cannot", "wont": "will not", "isnt": "is not",
    "didnt": "did not", "hows": "how is", "wheres": "where is", "thats": "that is",
    "theres": "there is", "youre": "you are", "theyre": "they are", "arent": "are not",
    "wasnt": "was not", "werent": "were not", "hasnt": "has not", "havent": "have not",
    "couldnt": "could not", "shouldnt": "should not", "wouldnt": "would not",
}
_TOKEN = re.compile(r"[a-z0-9$%€]+(?:[.,][0-9]+)*")
_SUFFIXES = ("ies", "ied", "ing", "ers", "es", "ed", "er", "ly", "s")


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
    folded = fold(text).replace("\u2019", "'").replace("`", "'")
    words = []
    for word in folded.split():
        stripped = word.strip("\"'()[]{}.,;:!?")
        words.append(_CONTRACTIONS.get(stripped, word))
    joined = _SHORTHAND_AMOUNT.sub(_spelled_out, " ".join(words))
    tokens = _TOKEN.findall(joined.replace("'s ", " ").replace("'s", ""))
    return apply_synonyms(" ".join(tokens), synonyms)


# Money shorthand: "20m", "1.5bn" and "$4b" are "20 million", "1.5 billion" and "$4
# billion" ("7b" alone is a model size, so a bare "b" needs a currency sign; "401k" is a
# pension plan, so thousands are left as written).
_SHORTHAND_AMOUNT = re.compile(r"(?<![\w.,])([$€£]?[0-9]+(?:[.,][0-9]+)?)(m|mn|bn|b)\b")
_MAGNITUDES = {"m": "million", "mn": "million", "bn": "billion",
               "b": "billion"}


def _spelled_out(match: re.Match[str]) -> str:
    """Return a shorthand amount written out ("400m" -> "400 million")."""
    amount, unit = match.group(1), match.group(2)
    if unit == "b" and amount[0] not in "$€£":
        return match.group(0)
    return f"{amount} {_MAGNITUDES[unit]}"


def apply_synonyms(normalized: str, synonyms: dict[str, str] | None) -> str:
    """Return normalised text with each synonym phrase replaced by its canonical value.

    Args:
        normalized: Text as :func:`normalize` returns it without synonyms.
        synonyms: Folded phrase -> canonical form (:func:`synonym_map`), longest first.

    Returns:
        The text with whole-word phrases replaced.
    """
    if not synonyms:
        return normalized
    padded = f" {normalized} "
    for phrase, canonical in synonyms.items():
        if f" {phrase} " in padded:
            padded = padded.replace(f" {phrase} ", f" {canonical} ")
    return padded.strip()


def tokenize(text: str, synonyms: dict[str, str] | None = None) -> list[str]:
    """Return the normalised tokens of ``text`` (see :func:`normalize`)."""
    return normalize(text, synonyms).split()


def _short_syllable(base: str) -> bool:
    """Return True for a consonant-vowel-consonant stem of three letters ("mak", "bak")."""
    vowels = "aeiou"
    return len(base) == 3 and base[0] not in vowels and base[1] in vowels and (
        base[2] not in vowels + "wxy")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Strip one common English ending, keeping at least three letters.

    Args:
        word: A normalised token.

    Returns:
        The stem: ``"investors"`` -> ``"invest"``, ``"companies"`` -> ``"company"``.
    """
    if not word.isalpha() or len(word) < 4:
        return word
    if len(word) == 4:
        return word[:-1] if word[-1] == "s" and word[-2] not in "suie" else word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            base = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                return base + "y"  # "companies" and "company", "applied" and "apply"
            if suffix in ("er", "ers") and _short_syllable(base):
                return word[:-1] if suffix == "ers" else word  # "maker" is not "making"
            if suffix in ("ing", "ed", "er", "ers") and base[-1] == base[-2] and (
                base[-1] not in "aeiouls"
            ):
                base = base[:-1]
            return base
    return word


def synonym_map(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Build the phrase -> canonical map used by :func:`normalize`.

    Args:
        pairs: ``(phrase, canonical)`` pairs as written in the knowledge base.

    Returns:
        Folded phrases mapped to normalised canonical values, longest phrase first so
        that multi-word synonyms win over their parts.
    """
    mapping = {}
    for phrase, canonical in pairs:
        key = normalize(phrase)
        value = normalize(canonical)
        if key and value and key != value:
            mapping[key] = value
    return dict(sorted(mapping.items(), key=lambda item: (-len(item[0]), item[0])))


# Derivational endings, longest first: a word and its family share what is left
# ("foundational" and "foundation", "sovereignty" and "sovereign").
_DERIVATIONAL = ("isation", "ization", "ically", "ising", "izing", "ation", "ality",
                 "ised", "ized", "ical", "ence", "ance", "ness", "ment", "ally", "ity",
                 "ent", "ant", "ism", "ist", "ise", "ize", "ive", "al", "an", "ic", "ty",
                 "ly", "y")
_ROOT_LETTERS = 6


def word_root(word: str) -> str | None:
    """Return the root a word shares with its family, or None for a short word.

    One derivational ending is stripped, if one leaves at least six letters:
    "foundational" and "foundation" -> "foundation", "independence" and "independent" ->
    "independ", "european" -> "europe". "general" and "generation" share no root: what
    is left of them is too short to tell a family from a coincidence.
    """
    if not word.isalpha() or len(word) < _ROOT_LETTERS:
        return None
    for ending in _DERIVATIONAL:
        if word.endswith(ending) and len(word) - len(ending) >= _ROOT_LETTERS:
            return word[: -len(ending)]
    return word
