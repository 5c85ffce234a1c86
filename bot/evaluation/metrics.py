"""Classification metrics in the shape of Rasa's ``intent_report.json``.

The report maps each label to ``{precision, recall, f1-score, support, confused_with}``
and adds ``accuracy``, ``macro avg`` and ``weighted avg``, as scikit-learn's
``classification_report(output_dict=True)`` does and ``rasa test nlu`` writes. Labels are
every true and predicted intent (``nlu_fallback`` included when the bot declined to
answer); a metric whose denominator is zero is 0.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

MAX_CONFUSIONS = 3


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def confusion_counts(y_true: Sequence[str], y_pred: Sequence[str]) -> Counter[tuple[str, str]]:
    """Count ``(true, predicted)`` pairs."""
    return Counter(zip(y_true, y_pred, strict=True))


def intent_report(y_true: Sequence[str], y_pred: Sequence[str]) -> dict[str, object]:
    """Return Rasa's intent report for true and predicted labels.

    Args:
        y_true: The intent of each example.
        y_pred: The intent predicted for it.

    Returns:
        ``{label: {precision, recall, f1-score, support, confused_with}, "accuracy": float,
        "macro avg": {...}, "weighted avg": {...}}``.
    """
    pairs = confusion_counts(y_true, y_pred)
    labels = sorted(set(y_true) | set(y_pred))
    support = Counter(y_true)
    predicted = Counter(y_pred)
    report: dict[str, object] = {}
    for label in labels:
        hits = pairs[(label, label)]
        precision = _ratio(hits, predicted[label])
        recall = _ratio(hits, support[label])
        confused = Counter({p: n for (t, p), n in pairs.items() if t == label and p != label})
        report[label] = {
            "precision": precision,
            "recall": recall,
            "f1-score": _ratio(2 * precision * recall, precision + recall),
            "support": support[label],
            "confused_with": dict(confused.most_common(MAX_CONFUSIONS)),
        }
    total = len(y_true)
    report["accuracy"] = _ratio(sum(pairs[(t, t)] for t in support), total)
    for name, weight in (("macro avg", None), ("weighted avg", support)):
        averages: dict[str, float | int] = {}
        for metric in ("precision", "recall", "f1-score"):
            values = [(report[label][metric], weight[label] if weight else 1)  # type: ignore[index]
                      for label in labels]
            denominator = sum(w for _, w in values)
            averages[metric] = _ratio(sum(v * w for v, w in values), denominator)
        averages["support"] = total
        report[name] = averages
    return report


def most_confused(y_true: Sequence[str], y_pred: Sequence[str],
                  limit: int = 10) -> list[tuple[str, str, int]]:
    """Return the most frequent ``(true, predicted, count)`` mistakes."""
    pairs = confusion_counts(y_true, y_pred)
    mistakes = [(t, p, n) for (t, p), n in pairs.items() if t != p]
    return sorted(mistakes, key=lambda m: (-m[2], m[0], m[1]))[:limit]
