"""How common an English word is, to tell a real word from a typo or a name.

This module reads the English word frequencies that the ``pyspellchecker`` package ships
(its ``resources/en.json.gz``; nothing is downloaded) and keeps the ``VOCABULARY_SIZE``
most frequent words. The spelling corrector (:mod:`bot.nlu.spelling`) never changes a
listed word ("founded" is not a typo of "funded") and corrects other words to listed
ones; :func:`rarity` tells a common unknown word ("located") from a name or rare term
("xai"). The list is read lazily, on first use.
"""

from __future__ import annotations

import gzip
import importlib.resources
import json
import logging
import math
from functools import lru_cache

logger = logging.getLogger(__name__)

VOCABULARY_SIZE = 40_000
WORD_LIST_PACKAGE = "spellchecker"
WORD_LIST_RESOURCE = ("resources", "en.json.gz")


@lru_cache(maxsize=1)
def frequencies() -> dict[str, int]:
    """Return word -> corpus count (empty, with a warning, when the list is missing)."""
    try:
        resource = importlib.resources.files(WORD_LIST_PACKAGE).joinpath(*WORD_LIST_RESOURCE)
        counts = json.loads(gzip.decompress(resource.read_bytes()))
    except (ImportError, OSError, ValueError) as exc:
        logger.warning("English word list unavailable (%s): typo correction trusts "
                       "every close known word", exc)
        return {}
    # Normalised text has no apostrophes ("don't" is "do not"): keep plain words only.
    words = ((word, int(count)) for word, count in counts.items() if word.isalpha())
    ranked = sorted(words, key=lambda item: -item[1])  # stable: ties keep the list's order
    return dict(ranked[:VOCABULARY_SIZE])


@lru_cache(maxsize=1)
def _ranks() -> dict[str, int]:
    return {word: rank for rank, word in enumerate(frequencies(), 1)}


def rarity(word: str, power: float = 1.0, floor: float = 0.05) -> float:
    """Return how much an unknown word says about what a question is after (0..1].

    A word the knowledge base never uses weighs by how rare it is in English: a name, an
    acronym or a term outside the list ("cfo", "xai", "anthropic") names something the
    source may not cover and weighs fully; a common word ("located", "sits", "these")
    is more often just the asker's wording and weighs little.

    Args:
        word: A normalised token.
        power: Sharpness: the share ``log(rank) / log(list size)`` raised to it (0: every
            word weighs 1.0).
        floor: The least a listed word weighs.

    Returns:
        1.0 for a word outside the frequency list (or not alphabetic), less for common ones.
        A verb form ("flowed", "shrinking", "competes") is as common as its base form.
    """
    if power <= 0 or not word.isalpha():
        return 1.0
    ranks = _ranks()
    listed = [r for form in (word, *_verb_bases(word)) if (r := ranks.get(form)) is not None]
    if not listed:
        return 1.0
    rank = min(listed)  # a verb form is as common as its base ("flowed": "flow")
    share = math.log(rank + 1) / math.log(len(ranks) + 1)
    return max(floor, min(1.0, share**power))


@lru_cache(maxsize=65536)
def _verb_bases(word: str) -> tuple[str, ...]:
    """Return the verb lemmas of an inflected verb form ("flowed" -> "flow"), by lemminflect.

    Only a word with a verb ending is looked up, so the library (part of the compiler's
    dependencies) is imported only when such a word needs it. A plural noun is left
    alone: "mods" or "gpus" may name a thing the source does not cover.
    """
    if not word.endswith(("ed", "ing", "s")):
        return ()
    import lemminflect

    return tuple(b for b in lemminflect.getAllLemmas(word).get("VERB", ()) if b != word)


@lru_cache(maxsize=65536)
def adverb_only(word: str) -> bool:
    """True when ``word`` is only ever an adverb ("before", "since", "never"), by lemminflect.

    Such a word says when or how, not what about: as evidence that an answer speaks of the
    question's subject it counts for nothing.
    """
    import lemminflect

    kinds = set(lemminflect.getAllLemmas(word))
    return bool(kinds) and kinds <= {"ADV"}
