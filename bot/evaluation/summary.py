"""What ``faqbot test`` found, said as what is healthy and what needs a look.

Two measures, kept apart because they mean different things:

- the conversation tests are the specification: each one passes or fails;
- the cross-validation hides each example from the matcher, then asks it. A hidden
  phrasing the bot *asks back* about (did-you-mean, or "I'm not sure") is safe: the user
  gets a choice or rephrases. A hidden phrasing answered with *another intent's* answer is
  a wrong answer, which is what needs fixing first.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from bot.kb.model import FALLBACK_INTENT

MOSTLY_ANSWERED = 0.8  # an intent answering this share of its hidden phrasings is healthy
MOSTLY_ASKED_BACK = 0.5  # an intent answering less than this share needs more phrasings
LISTED = 5  # at most this many items per finding


@dataclass(frozen=True)
class Heldout:
    """The hidden phrasings of the cross-validation, counted by outcome."""

    total: int
    right: int
    asked_back: int
    wrong: int

    def share(self, count: int) -> str:
        """Return ``count`` as a percentage of the total, e.g. ``52.6 %``."""
        return f"{100 * count / self.total:.1f} %" if self.total else "0 %"


@dataclass(frozen=True)
class Summary:
    """The findings, each a sentence."""

    healthy: tuple[str, ...]
    needs_look: tuple[str, ...]
    heldout: Heldout | None = None

    def lines(self) -> list[str]:
        """Return the summary as printed: what is healthy, then what needs a look."""
        lines = []
        if self.heldout is not None:
            h = self.heldout
            lines += [
                f"Hidden phrasings (each example hidden from the matcher, then asked; "
                f"{h.total} in all):",
                f"  answered right   {h.right:5d}  {h.share(h.right):>7}",
                f"  asked back       {h.asked_back:5d}  {h.share(h.asked_back):>7}  "
                f"(did-you-mean or \"not sure\": safe, the user picks or rephrases)",
                f"  answered wrong   {h.wrong:5d}  {h.share(h.wrong):>7}  "
                f"(another intent's answer)",
            ]
        lines.append("Healthy:")
        lines += [f"  + {item}" for item in self.healthy] or ["  (nothing yet)"]
        if self.needs_look:
            lines.append("Needs a look:")
            lines += [f"  - {item}" for item in self.needs_look]
        else:
            lines.append("Needs a look: nothing.")
        return lines


def _names(items: list[str]) -> str:
    shown = ", ".join(items[:LISTED])
    return shown + (f" and {len(items) - LISTED} more" if len(items) > LISTED else "")


def summarize(conversations: list, predictions: list | None) -> Summary:
    """Sort the results into what is healthy and what needs a look.

    Args:
        conversations: Conversation results (``.passed``, ``.conversation.name``).
        predictions: Cross-validation predictions (``.intent``, ``.predicted``,
            ``.text``), or None when the cross-validation was not run.

    Returns:
        The findings.
    """
    healthy: list[str] = []
    needs_look: list[str] = []
    failed = [r for r in conversations if not r.passed]
    if conversations and not failed:
        healthy.append(f"all {len(conversations)} conversation tests pass"
                       if len(conversations) > 1 else "the conversation test passes")
    elif failed:
        needs_look.append(
            f"{len(failed)} of {len(conversations)} conversation tests fail: "
            f"{_names([r.conversation.name for r in failed])} (details above)")
    heldout = None
    if predictions:
        heldout = _heldout(predictions, healthy, needs_look)
    return Summary(tuple(healthy), tuple(needs_look), heldout)


def _heldout(predictions: list, healthy: list[str], needs_look: list[str]) -> Heldout:
    right = [p for p in predictions if p.predicted == p.intent]
    asked = [p for p in predictions if p.predicted == FALLBACK_INTENT != p.intent]
    wrong = [p for p in predictions if p.predicted not in (p.intent, FALLBACK_INTENT)]
    if not wrong:
        healthy.append("no hidden phrasing got another intent's answer")
    else:
        pairs = Counter((p.intent, p.predicted) for p in wrong)
        example = {(p.intent, p.predicted): p.text for p in reversed(wrong)}
        described = [f"{a} -> {b} ({n}, e.g. {example[(a, b)]!r})"
                     for (a, b), n in pairs.most_common()]
        needs_look.append(
            f"{len(wrong)} hidden phrasings got another intent's answer: "
            f"{_names(described)}. Make the two intents' phrasings distinct, or move an "
            f"example that belongs to the other intent (all in intent_errors.json)")
    per_intent = Counter(p.intent for p in predictions)
    answered = Counter(p.intent for p in right)
    shares = {name: answered[name] / count for name, count in per_intent.items()}
    good = sorted(name for name, share in shares.items() if share >= MOSTLY_ANSWERED)
    weak = sorted((share, name) for name, share in shares.items()
                  if share < MOSTLY_ASKED_BACK)
    involved = {p.intent for p in wrong} | {p.predicted for p in wrong}
    clean = [name for name in shares if name not in involved]
    if wrong and clean:
        healthy.append(f"{len(clean)} of {len(shares)} intents are never confused with "
                       f"another: none of their hidden phrasings got another answer, and "
                       f"no other phrasing got theirs")
    if len(good) * 2 >= len(shares):
        healthy.append(f"{len(good)} of {len(shares)} intents answer at least "
                       f"{MOSTLY_ANSWERED:.0%} of their hidden phrasings")
    if weak:
        described = [f"{name} ({answered[name]} of {per_intent[name]})" for _, name in weak]
        needs_look.append(
            f"{len(weak)} intents answer fewer than half of their hidden phrasings (the "
            f"bot asks back instead): {_names(described)}. Add phrasings worded the way "
            f"users ask; the ones asked back are in intent_errors.json")
    return Heldout(len(predictions), len(right), len(asked), len(wrong))
