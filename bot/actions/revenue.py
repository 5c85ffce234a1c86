"""Action computing Mistral AI's revenue growth from the figures in ``facts.yml``."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from .facts import load_facts
from .revenue_answers import growth_answer

logger = logging.getLogger(__name__)


class ActionRevenueGrowth(Action):
    """Answer "how much did revenue grow?" with the factor computed from the figures."""

    def name(self) -> str:
        """Return the action name used in rules."""
        return "action_revenue_growth"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Utter the growth."""
        dispatcher.utter_message(text=growth_answer(load_facts()))
        return []
