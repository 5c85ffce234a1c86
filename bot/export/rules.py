"""The rules faqbot applies without being told, written out for Rasa.

faqbot answers an intent ``X`` with the response ``utter_X`` when no rule names ``X``, a
retrieval intent ``faq/k`` with ``utter_faq/k``, and a message it is not sure of with
``utter_default``. Rasa only does what a rule or story says, so each of these becomes a
rule: ``X -> utter_X``, ``faq -> utter_faq`` (Rasa's ResponseSelector then picks the key),
``nlu_fallback -> utter_default``.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.kb.model import FALLBACK_INTENT, KnowledgeBase

FALLBACK_RESPONSE = "utter_default"


@dataclass(frozen=True)
class ExportRule:
    """One Rasa rule: when ``intent`` is predicted, run ``actions`` in order."""

    name: str
    intent: str
    actions: tuple[str, ...]

    def to_yaml(self) -> dict[str, object]:
        """Return the rule as Rasa's ``rules:`` entry."""
        steps: list[dict[str, str]] = [{"intent": self.intent}]
        steps += [{"action": action} for action in self.actions]
        return {"rule": self.name, "steps": steps}


def implicit_rules(kb: KnowledgeBase) -> list[ExportRule]:
    """Return a rule for every answer faqbot gives without a rule in the knowledge base.

    Args:
        kb: The loaded knowledge base.

    Returns:
        Rules in the knowledge base's intent order, retrieval groups once each, the
        fallback rule last.
    """
    explicit = {rule.intent for rule in kb.rules}
    rules: list[ExportRule] = []
    groups_done: set[str] = set()
    for name, intent in kb.intents.items():
        if not intent.examples:
            continue
        group = intent.retrieval_group
        if group is not None:
            if group in groups_done or group in explicit:
                continue
            if any(r.startswith(f"utter_{group}/") for r in kb.responses):
                groups_done.add(group)
                rules.append(ExportRule(f"answer {group}", group, (f"utter_{group}",)))
            continue
        if name in explicit:
            continue
        actions = kb.actions_for(name)
        if actions:
            rules.append(ExportRule(f"answer {name}", name, actions))
    if FALLBACK_RESPONSE in kb.responses and FALLBACK_INTENT not in explicit:
        rules.append(ExportRule("not sure: say so", FALLBACK_INTENT, (FALLBACK_RESPONSE,)))
    return rules
