"""Sparse TF-IDF features of normalised token lists.

A text becomes three blocks of features, each weighted by sub-linear TF times IDF and
scaled to unit length: word stems, ordered pairs of nearby stems (up to three words
apart, so "say hello in japanese" yields "say japanese"), and character n-grams of
each word (which carry spelling variants and word parts). The features of unknown words
still count in a block's length, so a message made mostly of unknown words gets a short
known part and low scores from a linear model.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np
from scipy import sparse

from bot.nlu.normalize import stem

BLOCK_PREFIXES = ("w:", "b:", "c:")
WORD, PAIR, CHAR = range(3)
# Stem pairs are formed with each of the next PAIR_WINDOW words ("say ... japanese").
PAIR_WINDOW = 3


@lru_cache(maxsize=65536)
def char_ngrams(word: str, low: int = 2, high: int = 5) -> tuple[str, ...]:
    """Return the character n-grams of `` word `` (padded with spaces)."""
    padded = f" {word} "
    return tuple(
        padded[i : i + n] for n in range(low, high + 1) for i in range(len(padded) - n + 1)
    )


@lru_cache(maxsize=65536)
def token_terms(token: str) -> tuple[str, ...]:
    """Return the word and character features of one token."""
    return (f"w:{stem(token)}", *(f"c:{g}" for g in char_ngrams(token)))


def terms(tokens: Sequence[str]) -> list[str]:
    """Return the feature strings of a token list, block prefix included."""
    out: list[str] = []
    for token in tokens:
        out.extend(token_terms(token))
    stems = [stem(t) for t in tokens]
    out.extend(
        f"b:{a} {b}"
        for i, a in enumerate(stems)
        for b in stems[i + 1 : i + 1 + PAIR_WINDOW]
    )
    return out


class FeatureSpace:
    """The vocabulary and IDF weights of a set of documents.

    Args:
        vocab: Feature string -> column.
        idf: IDF weight of each column.
        block_weights: Relative weight of the word, stem-pair and character blocks.
    """

    def __init__(
        self, vocab: dict[str, int], idf: np.ndarray, block_weights: Sequence[float]
    ) -> None:
        self.vocab = vocab
        self.idf = np.asarray(idf, dtype=np.float32)
        self.block_weights = tuple(float(w) for w in block_weights)
        self.n_features = len(vocab)
        self.max_idf = float(self.idf.max()) if len(self.idf) else 1.0
        self.block_of = np.zeros(self.n_features, dtype=np.int8)
        for term, column in vocab.items():
            self.block_of[column] = BLOCK_PREFIXES.index(term[:2])

    @classmethod
    def fit(
        cls, docs: Sequence[Sequence[str]], block_weights: Sequence[float] = (1.0, 0.6, 1.0)
    ) -> FeatureSpace:
        """Learn the vocabulary and IDF of tokenised documents."""
        df: Counter[str] = Counter()
        for tokens in docs:
            df.update(set(terms(tokens)))
        ordered = sorted(df)
        n_docs = len(docs)
        idf = np.array(
            [math.log((1 + n_docs) / (1 + df[t])) + 1.0 for t in ordered], dtype=np.float32
        )
        return cls({t: i for i, t in enumerate(ordered)}, idf, block_weights)

    def vector(
        self, tokens: Sequence[str], trust: Sequence[float] | None = None,
        dilution: Mapping[str, float] | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Return the feature ids and values of one token list.

        ``trust`` (one factor per token, default 1.0) scales the features of a word, e.g.
        one that was corrected as a typo; the rest counts as unknown.

        Features the vocabulary lacks are dropped. Those of a word whose stem is unknown
        still count in their block's length (with the largest IDF), so a message made
        mostly of unknown words gets a short known part; an unseen pair of known words,
        or an unseen form of a known stem ("running" for "runs"), does not. ``dilution``
        scales that effect per unknown word (default 1.0: a common English word the
        examples never use says less than a name).
        """
        counts = Counter(terms(tokens))
        factor: dict[str, float] = {}
        if trust is not None:
            for token, belief in zip(tokens, trust, strict=True):
                if belief < 1.0:
                    for term in token_terms(token):
                        factor[term] = min(belief, factor.get(term, 1.0))
        vocab = self.vocab
        diluting = {
            term: (dilution or {}).get(token, 1.0)
            for token in tokens
            if f"w:{stem(token)}" not in vocab
            for term in token_terms(token)
        }
        ids: list[int] = []
        tfs: list[float] = []
        unknown = [0.0, 0.0, 0.0]
        for term, count in counts.items():
            column = vocab.get(term)
            tf = 1.0 + math.log(count)
            belief = factor.get(term, 1.0)
            if belief < 1.0:
                unknown[BLOCK_PREFIXES.index(term[:2])] += ((1 - belief) * tf * self.max_idf) ** 2
                tf *= belief
            if column is not None:
                ids.append(column)
                tfs.append(tf)
            elif term in diluting:
                unknown[BLOCK_PREFIXES.index(term[:2])] += (
                    tf * self.max_idf * diluting[term]) ** 2
        columns = np.asarray(ids, dtype=np.int64)
        values = np.asarray(tfs, dtype=np.float32) * self.idf[columns]
        blocks = self.block_of[columns]
        squares = np.bincount(blocks, weights=values * values, minlength=3) + unknown
        scale = np.divide(np.asarray(self.block_weights), np.sqrt(squares),
                          out=np.zeros(3), where=squares > 0)
        values = values * scale[blocks].astype(np.float32)
        order = np.argsort(columns, kind="stable")
        return columns[order], values[order]

    def transform(self, docs: Sequence[Sequence[str]]) -> sparse.csr_matrix:
        """Return the rows of tokenised documents as a CSR matrix (float32)."""
        vocab = self.vocab
        doc_index: list[int] = []
        columns: list[int] = []
        for row, tokens in enumerate(docs):
            found = [c for c in map(vocab.get, terms(tokens)) if c is not None]
            columns.extend(found)
            doc_index.extend([row] * len(found))
        n_docs = len(docs)
        keys = np.asarray(doc_index, dtype=np.int64) * self.n_features + np.asarray(
            columns, dtype=np.int64
        )
        unique, counts = np.unique(keys, return_counts=True)
        rows = unique // self.n_features
        cols = unique % self.n_features
        values = (1.0 + np.log(counts)) * self.idf[cols]
        blocks = self.block_of[cols].astype(np.int64)
        squares = np.bincount(rows * 3 + blocks, weights=values * values, minlength=n_docs * 3)
        weights = np.tile(np.asarray(self.block_weights), n_docs)
        scale = np.divide(weights, np.sqrt(squares), out=np.zeros(len(weights)),
                          where=squares > 0)
        values = (values * scale[rows * 3 + blocks]).astype(np.float32)
        return sparse.csr_matrix((values, (rows, cols)), shape=(n_docs, self.n_features))
