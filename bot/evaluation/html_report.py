"""A self-contained HTML report: summary, per-intent table, confusion heatmap, failures.

No JavaScript and no external files: the confusion chart is a table whose cells are
shaded by count, so the report opens anywhere, including from a CI artefact.
"""

from __future__ import annotations

import html
import time
from collections import Counter
from collections.abc import Sequence

from bot.evaluation.conversations import ConversationResult
from bot.evaluation.crossval import CrossValidation

MAX_MATRIX_LABELS = 30
MAX_FAILURES_SHOWN = 300

STYLE = """
body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1200px}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em}
table{border-collapse:collapse;font-size:.85em}
td,th{border:1px solid #ddd;padding:3px 6px;text-align:left}
th{background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums}
.bar{display:inline-block;height:.7em;background:#4a7bd0;vertical-align:middle}
.ok{color:#176f2c}.bad{color:#b00020}
.matrix td{width:1.6em;height:1.6em;text-align:center;padding:0;font-size:.75em}
.matrix th.col{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap}
.summary td{font-size:1.05em}\nsummary{cursor:pointer;margin:.5em 0}
"""


def _e(value: object) -> str:
    return html.escape(str(value))


def _cell_colour(count: int, peak: int, diagonal: bool) -> str:
    if count == 0:
        return "#fff"
    share = count / peak if peak else 0
    if diagonal:
        return f"rgba(23,111,44,{0.15 + 0.6 * share:.2f})"
    return f"rgba(176,0,32,{0.2 + 0.7 * share:.2f})"


def _matrix(cv: CrossValidation, report: dict[str, object]) -> str:
    """The confusion heatmap, restricted to the intents involved in mistakes."""
    pairs = Counter(zip(cv.y_true, cv.y_pred, strict=True))
    weight: Counter[str] = Counter()
    for (true, pred), n in pairs.items():
        if true != pred:
            weight[true] += n
            weight[pred] += n
    labels = sorted(label for label, _ in weight.most_common(MAX_MATRIX_LABELS))
    if not labels:
        return "<p class='ok'>No confusions: every held-out example was answered correctly.</p>"
    peak = max(pairs.values())
    head = "".join(f"<th class='col' title='{_e(label)}'>{_e(label)}</th>" for label in labels)
    rows = []
    for true in labels:
        cells = []
        for pred in labels:
            n = pairs.get((true, pred), 0)
            tip = f"{true} predicted as {pred}: {n}"
            cells.append(f"<td style='background:{_cell_colour(n, peak, true == pred)}' "
                         f"title='{_e(tip)}'>{n or ''}</td>")
        rows.append(f"<tr><th>{_e(true)}</th>{''.join(cells)}</tr>")
    note = ("" if len(weight) <= MAX_MATRIX_LABELS else
            f"<p>Showing the {MAX_MATRIX_LABELS} intents most involved in mistakes.</p>")
    return (f"{note}<p>Rows: true intent; columns: prediction. Green: right; red: "
            f"wrong.</p><table class='matrix'><tr><th></th>{head}</tr>{''.join(rows)}</table>")


def _intent_table(report: dict[str, object]) -> str:
    rows = []
    labels = [k for k, v in report.items() if isinstance(v, dict) and "confused_with" in v]
    # Worst first; labels only ever predicted (nlu_fallback) go last.
    labels.sort(key=lambda k: (report[k]["support"] == 0, report[k]["f1-score"], k))  # type: ignore[index]
    for label in labels:
        row = report[label]
        assert isinstance(row, dict)
        confused = ", ".join(f"{_e(k)} ({v})" for k, v in row["confused_with"].items())
        f1 = row["f1-score"]
        rows.append(
            f"<tr><td>{_e(label)}</td><td class='n'>{row['precision']:.2f}</td>"
            f"<td class='n'>{row['recall']:.2f}</td><td class='n'>{f1:.2f} "
            f"<span class='bar' style='width:{int(60 * f1)}px'></span></td>"
            f"<td class='n'>{row['support']}</td><td>{confused}</td></tr>")
    return ("<table><tr><th>intent</th><th>precision</th><th>recall</th><th>F1</th>"
            f"<th>support</th><th>confused with</th></tr>{''.join(rows)}</table>")


def _conversation_rows(results: Sequence[ConversationResult]) -> str:
    rows = []
    for result in results:
        status = "<span class='ok'>pass</span>" if result.passed else \
            "<span class='bad'>FAIL</span>"
        detail = "; ".join(f for t in result.turns for f in t.failures)
        if not result.passed:
            turn = result.turns[-1]
            detail = (f"turn {len(result.turns)} {turn.expected.user!r}: {detail}. "
                      f"Bot [{turn.intent} / {turn.decision}]: {turn.reply[:160]!r}")
        rows.append(f"<tr><td>{status}</td><td>{_e(result.conversation.name)}</td>"
                    f"<td>{_e(result.conversation.path)}</td><td>{_e(detail)}</td></tr>")
    return ("<table><tr><th></th><th>conversation</th><th>file</th><th>problem</th></tr>"
            f"{''.join(rows)}</table>")


def _conversations(results: Sequence[ConversationResult]) -> str:
    if not results:
        return "<p>No conversation tests were run.</p>"
    failed = [r for r in results if not r.passed]
    passed = [r for r in results if r.passed]
    parts = [f"<p class='{'bad' if failed else 'ok'}'>{len(passed)} of {len(results)} "
             "conversations passed.</p>"]
    if failed:
        parts.append(_conversation_rows(failed))
    if passed:
        parts.append(f"<details><summary>{len(passed)} passing conversations</summary>"
                     f"{_conversation_rows(passed)}</details>")
    return "".join(parts)


def render_html(
    cv: CrossValidation | None,
    report: dict[str, object] | None,
    conversations: Sequence[ConversationResult] = (),
    title: str = "faqbot test report",
) -> str:
    """Return the whole report as one HTML page."""
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{_e(title)}"
             f"</title><style>{STYLE}</style></head><body><h1>{_e(title)}</h1>",
             f"<p>Generated {_e(time.strftime('%Y-%m-%d %H:%M:%S'))}.</p>"]
    conversation_part = "<h2>Conversation tests</h2>" + _conversations(conversations)
    if cv is None or report is None:
        parts.append(conversation_part)
    else:
        macro, weighted = report["macro avg"], report["weighted avg"]
        assert isinstance(macro, dict) and isinstance(weighted, dict)
        parts.append(
            f"<h2>NLU cross-validation ({cv.folds} folds)</h2><table class='summary'>"
            f"<tr><td>held-out examples</td><td class='n'>{len(cv.predictions)}</td></tr>"
            f"<tr><td>accuracy (answered with the right intent)</td>"
            f"<td class='n'>{report['accuracy']:.3f}</td></tr>"
            f"<tr><td>top-1 accuracy (ignoring thresholds)</td>"
            f"<td class='n'>{cv.top1_accuracy:.3f}</td></tr>"
            f"<tr><td>macro avg F1</td><td class='n'>{macro['f1-score']:.3f}</td></tr>"
            f"<tr><td>weighted avg F1</td><td class='n'>{weighted['f1-score']:.3f}</td></tr>"
            f"<tr><td>time</td><td class='n'>{cv.seconds:.1f} s</td></tr></table>")
        parts.append(conversation_part)
        if cv.skipped_intents:
            parts.append("<p>Not evaluated (fewer than 2 examples): "
                         f"{_e(', '.join(cv.skipped_intents))}</p>")
        parts.append("<h2>Confusion chart</h2>" + _matrix(cv, report))
        parts.append("<h2>Per intent (worst first)</h2>" + _intent_table(report))
        errors = cv.errors
        rows = "".join(
            f"<tr><td>{_e(p.text)}</td><td>{_e(p.intent)}</td><td>{_e(p.predicted)}</td>"
            f"<td class='n'>{p.confidence:.2f}</td><td>{_e(p.top)}</td></tr>"
            for p in errors[:MAX_FAILURES_SHOWN])
        more = (f"<p>... and {len(errors) - MAX_FAILURES_SHOWN} more.</p>"
                if len(errors) > MAX_FAILURES_SHOWN else "")
        parts.append(f"<h2>Failing examples ({len(errors)})</h2><table><tr><th>example</th>"
                     "<th>intent</th><th>predicted</th><th>top confidence</th>"
                     f"<th>top-ranked</th></tr>{rows}</table>{more}")
    parts.append("</body></html>")
    return "\n".join(parts)
