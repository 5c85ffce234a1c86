"""Run actions on a rasa_sdk action server over HTTP (Rasa's ``/webhook`` protocol)."""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import urlencode, urlsplit, urlunsplit

from bot.action_client.endpoints import ActionEndpoint
from bot.action_client.runner import ActionError, FailSafeRunner

logger = logging.getLogger(__name__)

MAX_RESPONSE_BYTES = 5 * 1024 * 1024


class HttpActionRunner(FailSafeRunner):
    """POSTs action calls to ``endpoint.url`` with a timeout.

    After a timeout the server is left alone for ``endpoint.cooldown`` seconds: users get
    the apology at once instead of each waiting for the timeout again. A refused
    connection (server down) is cheap and is retried on every call.
    """

    def __init__(self, endpoint: ActionEndpoint) -> None:
        if not endpoint.url:
            raise ValueError("HttpActionRunner needs an endpoint url")
        self._endpoint = endpoint
        self._url = self._with_token(endpoint.url, endpoint.token)
        self._paused_until = 0.0
        self._lock = threading.Lock()
        # The action server is internal: never route it through $http_proxy.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    @property
    def url(self) -> str:
        """The webhook URL (without the token)."""
        return str(self._endpoint.url)

    @staticmethod
    def _with_token(url: str, token: str | None) -> str:
        if not token:
            return url
        parts = urlsplit(url)
        query = f"{parts.query}&" if parts.query else ""
        return urlunsplit(parts._replace(query=query + urlencode({"token": token})))

    def call(self, action_call: dict[str, object]) -> object:
        """POST the call and return the decoded JSON response body."""
        with self._lock:
            wait = self._paused_until - time.monotonic()
        if wait > 0:
            raise ActionError(f"action server timed out recently; retrying in {wait:.0f} s")
        body = json.dumps(action_call).encode("utf-8")
        request = urllib.request.Request(
            self._url, data=body, method="POST",
            headers={"Content-Type": "application/json", **dict(self._endpoint.headers)},
        )
        try:
            with self._opener.open(request, timeout=self._endpoint.timeout) as response:
                raw = response.read(MAX_RESPONSE_BYTES + 1)
        except urllib.error.HTTPError as exc:
            detail = exc.read(500).decode("utf-8", "replace")
            raise ActionError(f"{self.url} answered HTTP {exc.code}: {detail}") from exc
        except TimeoutError as exc:
            self._pause()
            raise ActionError(f"{self.url}: no answer within {self._endpoint.timeout:g} s"
                               ) from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                self._pause()
            raise ActionError(f"{self.url} unreachable: {exc.reason}") from exc
        except (OSError, ValueError) as exc:
            raise ActionError(f"{self.url}: {exc}") from exc
        if len(raw) > MAX_RESPONSE_BYTES:
            raise ActionError(f"{self.url}: response larger than {MAX_RESPONSE_BYTES} bytes")
        try:
            return json.loads(raw)
        except ValueError as exc:
            raise ActionError(f"{self.url}: response is not JSON") from exc

    def _pause(self) -> None:
        if self._endpoint.cooldown > 0:
            with self._lock:
                self._paused_until = time.monotonic() + self._endpoint.cooldown
