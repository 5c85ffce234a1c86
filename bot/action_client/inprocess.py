"""Run actions inside the bot's process through rasa_sdk's own ``ActionExecutor``.

rasa_sdk (and the actions package) is imported when the first action runs, not before, so
start-up stays fast.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections.abc import Coroutine
from typing import Any

from bot.action_client.endpoints import ActionEndpoint
from bot.action_client.runner import ActionError, FailSafeRunner

logger = logging.getLogger(__name__)


def run_coroutine(coroutine: Coroutine[Any, Any, Any], timeout: float) -> Any:
    """Run ``coroutine`` to completion from synchronous code, within ``timeout`` seconds.

    When the calling thread already runs an event loop (an async adapter calling the
    engine directly), the coroutine runs on its own loop in a worker thread.

    Raises:
        TimeoutError: When it takes longer than ``timeout``.
    """
    bounded = asyncio.wait_for(coroutine, timeout)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(bounded)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, bounded).result()


class InProcessActionRunner(FailSafeRunner):
    """Runs the actions of ``endpoint.actions_module`` with rasa_sdk's executor."""

    def __init__(self, endpoint: ActionEndpoint | None = None) -> None:
        self._endpoint = endpoint or ActionEndpoint()
        self._executor: Any = None
        self._lock = threading.Lock()

    @property
    def module(self) -> str:
        """The actions package."""
        return self._endpoint.actions_module

    def _get_executor(self) -> Any:
        with self._lock:
            if self._executor is None:
                from rasa_sdk.executor import ActionExecutor

                executor = ActionExecutor()
                try:
                    executor.register_package(self.module)
                except SystemExit as exc:  # rasa_sdk exits when the package fails to import
                    raise ActionError(f"cannot import actions package {self.module}") from exc
                logger.info("in-process actions from %s: %s", self.module,
                            ", ".join(sorted(executor.actions)))
                self._executor = executor
        return self._executor

    def call(self, action_call: dict[str, object]) -> object:
        """Run the call with rasa_sdk's executor and return the response body."""
        from rasa_sdk.interfaces import ActionExecutionRejection, ActionNotFoundException

        executor = self._get_executor()
        try:
            result = run_coroutine(executor.run(action_call), self._endpoint.timeout)
        except TimeoutError as exc:
            raise ActionError(f"no answer within {self._endpoint.timeout:g} s") from exc
        except (ActionNotFoundException, ActionExecutionRejection) as exc:
            raise ActionError(str(exc)) from exc
        if result is None:
            raise ActionError("the executor returned nothing")
        # rasa_sdk 3.6 returns the body as a dict, 3.8 and later as a pydantic model.
        return result if isinstance(result, dict) else result.model_dump()
