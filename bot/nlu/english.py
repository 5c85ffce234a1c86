"""How common an English word is, to tell a real word from a typo.

The typo corrector only sees the knowledge base's own words, so on its own it would
"correct" a real English word the examples happen not to use ("founded") into a known
one ("funded"). This module ships the frequencies of the 40,000 most frequent English
words (``data/english_freq.txt.gz``, from pyspellchecker's MIT-licensed list) and weighs
the two explanations of an unknown word, as a noisy-channel spell checker does: the user
meant the known word and made ``d`` typing errors (each about ``edit_prior`` likely), or
the user meant the word as typed. The list is read lazily, on the first correction.
"""

from __future__ import annotations

import gzip
import logging
from functools import lru_cache
from pathlib import Path

logger = logging.getLogger(__name__)

DATA_FILE = Path(__file__).with_name("data") / "english_freq.txt.gz"


@lru_cache(maxsize=1)
def frequencies() -> dict[str, int]:
    """Return word -> corpus count (empty, with a warning, when the list is missing)."""
    try:
        with gzip.open(DATA_FILE, "rt", encoding="utf-8") as stream:
            pairs = (line.split() for line in stream if not line.startswith("#"))
            return {word: int(count) for word, count in pairs}
    except (OSError, ValueError) as exc:
        logger.warning("English word list unavailable (%s): typo correction trusts "
                       "every close known word", exc)
        return {}


@lru_cache(maxsize=1)
def _rarest() -> int:
    return min(frequencies().values(), default=1)


def typo_odds(word: str, candidate: str, distance: int, edit_prior: float = 0.01) -> float:
    """Return the probability that ``word`` is a misspelling of ``candidate``.

    Args:
        word: The word as typed (normalised), unknown to the knowledge base.
        candidate: The closest known word.
        distance: Edits between them.
        edit_prior: Likelihood of one typing error.

    Returns:
        1.0 when ``word`` is not a listed English word; otherwise
        ``p(candidate) * edit_prior ** distance`` against ``p(word)``, where a candidate
        missing from the list (a name, a domain term) counts as the rarest listed word.
    """
    counts = frequencies()
    real = counts.get(word)
    if not real:
        return 1.0
    floor = _rarest()
    typo = max(counts.get(candidate, 0), floor) * edit_prior ** max(1, distance)
    return typo / (typo + real)
