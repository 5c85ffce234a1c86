"""Actions about investors: "did X invest in Mistral?" and "who invested?"."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from .facts import load_facts
from .investor_answers import (
    INVESTOR_SLOT,
    LIST_BUTTON_TITLE,
    LIST_PAYLOAD,
    ask_which_text,
    investors_grouped_text,
    other_company,
    other_company_text,
    resolve,
    verdict_text,
)

logger = logging.getLogger(__name__)


class ActionCheckInvestor(Action):
    """Answer "did X invest in Mistral?" for the names in the message."""

    def name(self) -> str:
        """Return the action name used in rules."""
        return "action_check_investor"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Say yes for listed investors, "not listed" for others, or ask which one."""
        facts = load_facts()
        message = tracker.latest_message or {}
        other = other_company(str(message.get("text") or ""))
        if other is not None:
            dispatcher.utter_message(text=other_company_text(other, facts), buttons=[
                {"title": LIST_BUTTON_TITLE, "payload": LIST_PAYLOAD}])
            return []
        verdicts = resolve(
            str(message.get("text") or ""), message.get("entities") or [],
            tracker.current_slot_values() or {}, facts,
        )
        if verdicts is None:
            dispatcher.utter_message(
                text=ask_which_text(facts),
                buttons=[{"title": LIST_BUTTON_TITLE, "payload": LIST_PAYLOAD}],
            )
            return []
        for verdict in verdicts:
            dispatcher.utter_message(text=verdict_text(verdict, facts))
        listed = [v.investor.name for v in verdicts if v.investor is not None]
        return [SlotSet(INVESTOR_SLOT, listed[-1])] if listed else []


class ActionListInvestors(Action):
    """Answer "who invested in Mistral?" with the investors grouped by kind."""

    def name(self) -> str:
        """Return the action name used in rules."""
        return "action_list_investors"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Utter the grouped list (or say the source covers Mistral's investors only)."""
        facts = load_facts()
        other = other_company(str((tracker.latest_message or {}).get("text") or ""))
        if other is not None:
            dispatcher.utter_message(text=other_company_text(other, facts), buttons=[
                {"title": LIST_BUTTON_TITLE, "payload": LIST_PAYLOAD}])
            return []
        dispatcher.utter_message(text=investors_grouped_text(facts))
        return []
