"""Build Rasa's ``domain.yml`` from the knowledge base.

The domain lists what Rasa must know beyond the training data: the intents (a retrieval
intent ``faq/k`` is listed once, as ``faq``), the entities the examples annotate, a slot
for each entity (faqbot keeps the last value of an entity, and custom actions read and set
it), the custom actions the rules run, and the session settings. The responses stay in the
``data/`` files they were written in, which Rasa reads as part of the domain.
"""

from __future__ import annotations

from bot.kb.model import KnowledgeBase

DOMAIN_VERSION = "3.1"
SESSION_CONFIG = {"session_expiration_time": 60, "carry_over_slots_to_new_session": True}


def domain_intents(kb: KnowledgeBase) -> list[str]:
    """Return the intents as the domain lists them: plain ones, then each retrieval group."""
    names: list[str] = []
    for name, intent in kb.intents.items():
        listed = intent.retrieval_group or name
        if listed not in names:
            names.append(listed)
    return names


def domain_entities(kb: KnowledgeBase) -> list[str]:
    """Return every entity an example annotates, in order of first use."""
    entities: list[str] = []
    for intent in kb.intents.values():
        for example in intent.examples:
            for _, entity in example.entities:
                if entity not in entities:
                    entities.append(entity)
    return entities


def custom_actions(kb: KnowledgeBase) -> list[str]:
    """Return the actions the rules run that are not responses (``action_...``)."""
    actions: list[str] = []
    for rule in kb.rules:
        for action in rule.actions:
            if not action.startswith("utter_") and action not in actions:
                actions.append(action)
    return actions


def build_domain(kb: KnowledgeBase) -> dict[str, object]:
    """Return the domain as a mapping ready to be written as YAML.

    Args:
        kb: The loaded knowledge base.

    Returns:
        ``version``, ``intents``, ``entities``, ``slots``, ``actions``, ``session_config``.
    """
    entities = domain_entities(kb)
    domain: dict[str, object] = {"version": DOMAIN_VERSION, "intents": domain_intents(kb)}
    if entities:
        domain["entities"] = entities
        domain["slots"] = {
            entity: {
                "type": "text",
                "influence_conversation": False,
                "mappings": [{"type": "from_entity", "entity": entity}],
            }
            for entity in entities
        }
    actions = custom_actions(kb)
    if actions:
        domain["actions"] = actions
    domain["session_config"] = dict(SESSION_CONFIG)
    return domain
