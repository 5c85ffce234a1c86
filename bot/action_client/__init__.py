"""Running custom actions for the engine: in-process or on a rasa_sdk action server.

An endpoints file, as in Rasa, chooses the mode (:mod:`bot.action_client.endpoints`);
:func:`build_action_runner` returns the matching runner. Both runners speak the same
action-server protocol (:mod:`bot.action_client.protocol`) and never raise: when an action
cannot run, the user gets a short apology and the conversation goes on.
"""

from __future__ import annotations

from pathlib import Path

from bot.action_client.endpoints import ActionEndpoint, EndpointsError, load_endpoints
from bot.action_client.runner import FailSafeRunner

__all__ = [
    "ActionEndpoint",
    "EndpointsError",
    "FailSafeRunner",
    "build_action_runner",
    "load_endpoints",
]


def build_action_runner(endpoints: str | Path | None = None) -> FailSafeRunner:
    """Return the runner chosen by an endpoints file (in-process when None).

    Nothing heavy is imported here: rasa_sdk is imported when an action first runs
    in-process.

    Args:
        endpoints: Path of an endpoints YAML file, or None for the default.

    Raises:
        EndpointsError: When the file is missing or invalid.
    """
    endpoint = load_endpoints(endpoints) if endpoints else ActionEndpoint()
    if endpoint.url:
        from bot.action_client.http import HttpActionRunner

        return HttpActionRunner(endpoint)
    from bot.action_client.inprocess import InProcessActionRunner

    return InProcessActionRunner(endpoint)
