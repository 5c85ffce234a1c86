"""A multi-class linear model fitted at build time.

The model is trained with mini-batch sub-gradient steps on the multi-class hinge loss
(Crammer and Singer): an example only moves the weights of its own intent and of the
intent that beats it, so a step costs little even with many intents. An L2 term
(weight decay) keeps weights that a few examples pushed far from growing without bound,
which is what the margin alone allows: the objective is
``l2 / 2 * |W|^2 + sum of hinge losses``. The returned weights are the average over
epochs, which generalises better than the last iterate.
"""

from __future__ import annotations

import logging

import numpy as np
from scipy import sparse

logger = logging.getLogger(__name__)


def fit_hinge(
    rows: sparse.csr_matrix,
    labels: np.ndarray,
    n_classes: int,
    *,
    epochs: int = 8,
    learning_rate: float = 0.2,
    batch_size: int = 512,
    margin: float = 1.0,
    l2: float = 0.0,
    seed: int = 0,
) -> np.ndarray:
    """Fit weights ``W`` so that ``rows @ W`` scores each row's label highest.

    Args:
        rows: Training rows (feature vectors of unit length per block), CSR.
        labels: Class index of each row.
        n_classes: Number of classes.
        epochs: Passes over the data.
        learning_rate: Step size.
        batch_size: Rows per step (fewer for small data sets).
        margin: Required lead of the right class over the best wrong one.
        l2: Weight of the L2 term, against the sum of the examples' hinge losses: each
            step decays the weights by ``learning_rate * l2`` times its share of the
            examples.
        seed: Seed of the shuffling, so builds are reproducible.

    Returns:
        The averaged weights, ``(n_features, n_classes)`` float32.

    Raises:
        ValueError: If ``l2`` is negative or so large that one step would decay the
            weights by their whole size or more.
    """
    if l2 < 0:
        raise ValueError(f"l2 must not be negative, not {l2}")
    n, n_features = rows.shape
    weights = np.zeros((n_features, n_classes), dtype=np.float32)
    average = np.zeros_like(weights)
    if n_classes < 2 or n == 0:
        return weights
    rng = np.random.default_rng(seed)
    batch_size = max(1, min(batch_size, max(8, n // 8)))
    if learning_rate * l2 * min(batch_size, n) / n >= 1:
        raise ValueError(f"l2 must be below n / (learning_rate * batch size), not {l2}")
    # The weights are ``scale * stored``: a decay step is one multiplication.
    scale = 1.0
    flat = weights.reshape(-1)
    for _ in range(epochs):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            batch = order[start : start + batch_size]
            sub = rows[batch]
            scores = (sub @ weights) * scale
            truth = labels[batch]
            index = np.arange(len(batch))
            own = scores[index, truth].copy()
            scores[index, truth] = -np.inf
            rival = scores.argmax(axis=1)
            scale *= 1.0 - learning_rate * l2 * len(batch) / n
            if scale < 1e-3:
                weights *= np.float32(scale)
                scale = 1.0
            violated = np.flatnonzero(scores[index, rival] + margin > own)
            if len(violated) == 0:
                continue
            hit = sub[violated].tocoo()
            step = hit.data * (learning_rate / scale)
            np.add.at(flat, hit.col * n_classes + truth[violated][hit.row], step)
            np.add.at(flat, hit.col * n_classes + rival[violated][hit.row], -step)
        average += weights * np.float32(scale)
    return average / epochs
