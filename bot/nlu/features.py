"""Sparse TF-IDF features of normalised token lists, in plain numpy.

A text becomes three blocks of features, each weighted by sub-linear TF times IDF and
scaled to unit length: word stems, pairs of adjacent stems, and character n-grams of
each word (which carry spelling variants and word parts). Rows are stored as CSR arrays.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from bot.nlu.normalize import stem

WORD, BIGRAM, CHAR = 0, 1, 2
BLOCK_PREFIXES = ("w:", "b:", "c:")


@lru_cache(maxsize=65536)
def char_ngrams(word: str, low: int = 2, high: int = 5) -> tuple[str, ...]:
    """Return the character n-grams of `` word `` (padded with spaces)."""
    padded = f" {word} "
    return tuple(
        padded[i : i + n] for n in range(low, high + 1) for i in range(len(padded) - n + 1)
    )


def terms(tokens: Sequence[str]) -> list[str]:
    """Return the feature strings of a token list, block prefix included."""
    stems = [stem(t) for t in tokens]
    out = [f"w:{s}" for s in stems]
    out.extend(f"b:{a} {b}" for a, b in zip(stems, stems[1:], strict=False))
    for token in tokens:
        out.extend(f"c:{g}" for g in char_ngrams(token))
    return out


@dataclass(frozen=True)
class SparseRows:
    """Rows of a sparse matrix in CSR form.

    Attributes:
        indptr: Row ``i`` spans ``indices[indptr[i]:indptr[i + 1]]``.
        indices: Feature ids.
        data: Values, float32.
    """

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray

    @property
    def n_rows(self) -> int:
        """Number of rows."""
        return len(self.indptr) - 1

    def row_ids(self) -> np.ndarray:
        """Return the row number of every stored value."""
        return np.repeat(np.arange(self.n_rows), np.diff(self.indptr))

    def take(self, rows: np.ndarray) -> SparseRows:
        """Return the given rows, in order."""
        starts, ends = self.indptr[rows], self.indptr[rows + 1]
        lengths = ends - starts
        indptr = np.concatenate(([0], np.cumsum(lengths)))
        offsets = np.repeat(starts - indptr[:-1], lengths) + np.arange(indptr[-1])
        return SparseRows(indptr, self.indices[offsets], self.data[offsets])

    def dot(self, weights: np.ndarray) -> np.ndarray:
        """Return ``rows @ weights`` for a dense ``(n_features, k)`` matrix."""
        if len(self.indices) == 0:
            return np.zeros((self.n_rows, weights.shape[1]), dtype=weights.dtype)
        gathered = weights[self.indices] * self.data[:, None]
        sums = np.add.reduceat(gathered, self.indptr[:-1].clip(max=len(self.indices) - 1))
        sums[np.diff(self.indptr) == 0] = 0
        return sums


class FeatureSpace:
    """The vocabulary and IDF weights of a set of documents.

    Args:
        vocab: Feature string -> column.
        idf: IDF weight of each column.
        block_weights: Relative weight of the word, bigram and character blocks.
    """

    def __init__(
        self, vocab: dict[str, int], idf: np.ndarray, block_weights: Sequence[float]
    ) -> None:
        self.vocab = vocab
        self.idf = idf.astype(np.float32)
        self.block_weights = tuple(float(w) for w in block_weights)
        self.n_features = len(vocab)
        self.max_idf = float(self.idf.max()) if len(self.idf) else 1.0

    @classmethod
    def fit(
        cls, docs: Iterable[Sequence[str]], block_weights: Sequence[float] = (1.0, 0.6, 1.0)
    ) -> FeatureSpace:
        """Learn the vocabulary and IDF of tokenised documents."""
        df: Counter[str] = Counter()
        n_docs = 0
        for tokens in docs:
            df.update(set(terms(tokens)))
            n_docs += 1
        vocab = {term: i for i, term in enumerate(sorted(df))}
        idf = np.array(
            [math.log((1 + n_docs) / (1 + df[t])) + 1.0 for t in sorted(df)], dtype=np.float32
        )
        return cls(vocab, idf, block_weights)

    def vector(self, tokens: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Return the feature ids and values of one token list.

        Features the vocabulary lacks are dropped, but they still count in each block's
        length with the largest IDF, so a message made mostly of unknown words gets a
        short known part (and low scores from any linear model).
        """
        counts = Counter(terms(tokens))
        per_block: list[list[tuple[int, float]]] = [[], [], []]
        unknown = [0.0, 0.0, 0.0]
        for term, count in counts.items():
            block = BLOCK_PREFIXES.index(term[:2])
            column = self.vocab.get(term)
            tf = 1.0 + math.log(count)
            if column is None:
                unknown[block] += (tf * self.max_idf) ** 2
                continue
            per_block[block].append((column, tf * float(self.idf[column])))
        ids: list[int] = []
        values: list[float] = []
        for block, items in enumerate(per_block):
            if not items:
                continue
            norm = math.sqrt(sum(w * w for _, w in items) + unknown[block])
            scale = self.block_weights[block] / norm
            for column, weight in items:
                ids.append(column)
                values.append(weight * scale)
        order = np.argsort(ids, kind="stable")
        return (np.asarray(ids, dtype=np.int64)[order],
                np.asarray(values, dtype=np.float32)[order])

    def transform(self, docs: Iterable[Sequence[str]]) -> SparseRows:
        """Return the CSR rows of tokenised documents."""
        indptr = [0]
        all_ids: list[np.ndarray] = []
        all_values: list[np.ndarray] = []
        for tokens in docs:
            ids, values = self.vector(tokens)
            all_ids.append(ids)
            all_values.append(values)
            indptr.append(indptr[-1] + len(ids))
        return SparseRows(
            np.asarray(indptr, dtype=np.int64),
            np.concatenate(all_ids) if all_ids else np.zeros(0, dtype=np.int64),
            np.concatenate(all_values) if all_values else np.zeros(0, dtype=np.float32),
        )
