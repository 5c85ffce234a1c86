"""Embeddings of a knowledge base's examples, grouped by intent and cached on disk.

The cache is the lexical matcher's (:mod:`bot.nlu.cache`): one ``.npz`` entry whose key
is the hash of the model's recorded file hashes and of every text embedded, so a changed
knowledge base or model misses and is embedded again, and an unchanged one loads in
milliseconds.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from bot.kb.model import KnowledgeBase
from bot.nlu import cache
from bot.nlu.semantic.model import fingerprint

logger = logging.getLogger(__name__)

INDEX_VERSION = "semantic-index-1"


class TextEncoder(Protocol):
    """Turns texts into unit-length embeddings (:class:`bot.nlu.semantic.encoder.Encoder`)."""

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return one unit-length embedding per text."""
        ...


@dataclass(frozen=True)
class SemanticIndex:
    """The embedded texts of each intent, stored intent after intent.

    Attributes:
        intents: Intent names, in the order of ``starts``.
        embeddings: One unit-length row per text.
        starts: Row where each intent's texts begin (each intent has at least one).
    """

    intents: tuple[str, ...]
    embeddings: np.ndarray
    starts: np.ndarray

    def similarity(self, query: np.ndarray) -> np.ndarray:
        """Return, per intent, the highest cosine between ``query`` and its texts."""
        if not self.intents:
            return np.zeros(0, dtype=np.float32)
        return np.maximum.reduceat(self.embeddings @ query, self.starts)


def intent_texts(kb: KnowledgeBase, names: Sequence[str]) -> list[list[str]]:
    """Return the texts embedded for each intent: its examples, duplicates dropped."""
    texts = []
    for name in names:
        seen: dict[str, None] = {}
        for example in kb.intents[name].examples:
            seen.setdefault(" ".join(example.text.split()), None)
        texts.append([t for t in seen if t])
    return texts


def build_index(
    kb: KnowledgeBase,
    encoder: TextEncoder,
    *,
    use_cache: bool = True,
    cache_dir: Path | None = None,
) -> SemanticIndex:
    """Embed the examples of ``kb``'s answerable intents (or load them from the cache).

    Args:
        kb: The knowledge base.
        encoder: The sentence encoder.
        use_cache: Read and write the on-disk cache.
        cache_dir: Cache directory; :func:`bot.nlu.cache.cache_dir` when None.

    Returns:
        The index, over the intents of :meth:`KnowledgeBase.answerable_intents` that have
        at least one non-empty example.
    """
    answerable = kb.answerable_intents()
    pairs = [(n, g) for n, g in zip(answerable, intent_texts(kb, answerable), strict=True) if g]
    names = [n for n, _ in pairs]
    groups = [g for _, g in pairs]
    flat = [text for group in groups for text in group]
    starts = np.cumsum([0] + [len(g) for g in groups[:-1]]).astype(np.int64)
    key = cache.content_key({"version": INDEX_VERSION, "model": fingerprint(),
                             "intents": [list(p) for p in pairs]})
    arrays = cache.load(key, cache_dir) if use_cache else None
    if arrays is not None and arrays.get("embeddings", np.zeros(0)).shape[:1] == (len(flat),):
        embeddings = arrays["embeddings"]
    else:
        embeddings = encoder.encode(flat)
        if use_cache:
            cache.save(key, {"embeddings": embeddings}, cache_dir)
    return SemanticIndex(tuple(names), np.ascontiguousarray(embeddings, dtype=np.float32),
                         starts)
