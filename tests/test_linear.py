"""The multi-class hinge model of bot/nlu/linear.py, on small generated data."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from bot.nlu.linear import fit_hinge


def _blobs(n_per_class: int = 30, n_classes: int = 4, seed: int = 3, mislabelled: int = 0):
    """Return sparse rows where each class has its own two features, plus shared noise.

    Values are drawn at random so that no two scores tie; the last ``mislabelled`` rows get
    the next class's label, so no weights fit every row.
    """
    rng = np.random.default_rng(seed)
    n_features = 2 * n_classes + 12
    rows, labels = [], []
    for label in range(n_classes):
        for _ in range(n_per_class):
            row = np.zeros(n_features)
            row[2 * label + rng.integers(2)] = rng.uniform(0.8, 1.2)
            row[2 * n_classes + rng.choice(12, size=3, replace=False)] = rng.uniform(0.2, 0.8, 3)
            rows.append(row / np.linalg.norm(row))
            labels.append(label)
    labels = np.array(labels)
    if mislabelled:
        labels[-mislabelled:] = (labels[-mislabelled:] + 1) % n_classes
    return sparse.csr_matrix(np.array(rows, dtype=np.float32)), labels


def _reference(rows, labels, n_classes, *, epochs, learning_rate, batch_size, l2, seed):
    """The same fit with the decay applied to every weight at every step."""
    n, n_features = rows.shape
    weights = np.zeros((n_features, n_classes))
    average = np.zeros_like(weights)
    rng = np.random.default_rng(seed)
    dense = rows.toarray()
    for _ in range(epochs):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            batch = order[start : start + batch_size]
            scores = dense[batch] @ weights
            truth = labels[batch]
            index = np.arange(len(batch))
            own = scores[index, truth].copy()
            scores[index, truth] = -np.inf
            rival = scores.argmax(axis=1)
            weights *= 1.0 - learning_rate * l2 * len(batch) / n
            for i in np.flatnonzero(scores[index, rival] + 1.0 > own):
                weights[:, truth[i]] += learning_rate * dense[batch[i]]
                weights[:, rival[i]] -= learning_rate * dense[batch[i]]
        average += weights
    return average / epochs


def test_fit_ranks_each_training_row_first():
    rows, labels = _blobs()
    weights = fit_hinge(rows, labels, 4, epochs=10, learning_rate=0.2)
    assert ((rows @ weights).argmax(axis=1) == labels).all()


def test_same_seed_same_weights():
    rows, labels = _blobs()
    first = fit_hinge(rows, labels, 4, epochs=5, l2=0.5, seed=7)
    again = fit_hinge(rows, labels, 4, epochs=5, l2=0.5, seed=7)
    assert np.array_equal(first, again)


@pytest.mark.parametrize("l2", [0.0, 0.5, 40.0])  # 40: the stored scale is folded back in
def test_lazy_decay_matches_decaying_every_weight(l2):
    rows, labels = _blobs(n_per_class=12)
    settings = {"epochs": 6, "learning_rate": 0.1, "batch_size": 8, "l2": l2, "seed": 1}
    fitted = fit_hinge(rows, labels, 4, **settings)
    expected = _reference(rows, labels, 4, **settings)
    assert np.allclose(fitted, expected, atol=1e-4)


def test_l2_keeps_weights_small_and_the_ranking_right():
    # the mislabelled rows keep pushing the weights of the noise features they hold
    rows, labels = _blobs(mislabelled=6)
    free = fit_hinge(rows, labels, 4, epochs=40, learning_rate=0.2)
    decayed = fit_hinge(rows, labels, 4, epochs=40, learning_rate=0.2, l2=2.0)
    assert np.linalg.norm(decayed) < 0.6 * np.linalg.norm(free)
    clean = slice(0, len(labels) - 6)
    assert ((rows[clean] @ decayed).argmax(axis=1) == labels[clean]).all()


def test_degenerate_inputs_give_zero_weights():
    rows, labels = _blobs(n_per_class=3)
    assert not fit_hinge(rows, labels, 1).any()
    empty = sparse.csr_matrix((0, rows.shape[1]), dtype=np.float32)
    assert fit_hinge(empty, np.zeros(0, dtype=np.int64), 4).shape == (rows.shape[1], 4)


@pytest.mark.parametrize("l2", [-0.1, 40.0])  # 40: a step of 8 rows in 12 would decay 5.3 times
def test_an_l2_that_cannot_decay_is_refused(l2):
    rows, labels = _blobs(n_per_class=3)
    with pytest.raises(ValueError, match="l2 must"):
        fit_hinge(rows, labels, 4, learning_rate=0.2, l2=l2)
