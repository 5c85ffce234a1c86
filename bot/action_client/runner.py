"""The runner base: call an action, and turn any failure into a short apology."""

from __future__ import annotations

import logging

from bot.action_client.protocol import build_action_call, parse_action_result
from bot.dialog.engine import ACTION_UNAVAILABLE_TEXT
from bot.dialog.state import ConversationState
from bot.dialog.turn import Reply
from bot.nlu.parse import Parse

logger = logging.getLogger(__name__)


class ActionError(Exception):
    """An action could not run; the message is for the log, not for the user."""


class FailSafeRunner:
    """Implements the engine's ``ActionRunner``; subclasses implement :meth:`call`.

    Attributes:
        apology: The reply given when an action cannot run.
    """

    apology = ACTION_UNAVAILABLE_TEXT

    def call(self, action_call: dict[str, object]) -> object:
        """Run the action call and return the action-server response body.

        Raises:
            ActionError: When the action cannot run.
        """
        raise NotImplementedError

    def run(
        self, action: str, sender: str, parse: Parse, state: ConversationState
    ) -> tuple[list[Reply], list[dict]]:
        """Run ``action`` and return its replies and events; an apology on any failure."""
        try:
            body = self.call(build_action_call(action, sender, parse, state))
            return parse_action_result(body, action)
        except ActionError as exc:
            logger.warning("action %s failed: %s", action, exc)
        except Exception:  # an action must never end a conversation
            logger.exception("action %s failed", action)
        return [Reply(self.apology)], []
