"""Read the ``action_endpoint`` of an endpoints file, in Rasa's own format.

```yaml
action_endpoint:
  url: "http://localhost:5055/webhook"   # a rasa_sdk action server; ${VAR} is expanded
  timeout: 5                             # seconds (faqbot's addition; default 5)
```

Without a file, or without an ``action_endpoint`` section, the actions run inside the bot's
own process (package ``bot.actions``); that default needs no file at all. The key
``actions_module`` (a Python package, run in-process) is also read, and wins over ``url``
when both are given; Rasa Open Source 3.x does not know it, so the shipped files never use
it.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

logger = logging.getLogger(__name__)

DEFAULT_ACTIONS_MODULE = "bot.actions"
DEFAULT_TIMEOUT = 5.0
DEFAULT_COOLDOWN = 10.0
_KNOWN_KEYS = {"url", "actions_module", "timeout", "cooldown", "headers", "token"}
_ENV = re.compile(r"\$\{([^}]+)\}")
_MODULE = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$")


class EndpointsError(ValueError):
    """The endpoints file is unusable; the message names the file and the key."""


@dataclass(frozen=True)
class ActionEndpoint:
    """Where custom actions run.

    Attributes:
        url: The action server's webhook URL; None runs the actions in-process.
        actions_module: Python package of the actions for the in-process mode.
        timeout: Seconds to wait for an action (HTTP: per socket operation).
        cooldown: After a timeout, seconds during which the server is not called again
            (the apology is given at once instead of making every user wait).
        headers: Extra HTTP headers sent to the server.
        token: Sent as the ``token`` query parameter, as Rasa does.
    """

    url: str | None = None
    actions_module: str = DEFAULT_ACTIONS_MODULE
    timeout: float = DEFAULT_TIMEOUT
    cooldown: float = DEFAULT_COOLDOWN
    headers: tuple[tuple[str, str], ...] = ()
    token: str | None = None


def _expand(value: str, where: str) -> str:
    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in os.environ:
            raise EndpointsError(f"{where}: environment variable {name} is not set")
        return os.environ[name]

    return _ENV.sub(substitute, value)


def _seconds(section: dict, key: str, default: float, where: str) -> float:
    value = section.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise EndpointsError(f"{where}.{key}: expected a number of seconds >= 0, got {value!r}")
    if key == "timeout" and value == 0:
        raise EndpointsError(f"{where}.{key}: must be more than 0")
    return float(value)


def parse_endpoints(raw: object, origin: str) -> ActionEndpoint:
    """Build an :class:`ActionEndpoint` from a loaded endpoints document.

    Raises:
        EndpointsError: Naming ``origin`` and the bad key.
    """
    if raw is None:
        return ActionEndpoint()
    if not isinstance(raw, dict):
        raise EndpointsError(f"{origin}: top level must be a mapping with 'action_endpoint'")
    section = raw.get("action_endpoint")
    where = f"{origin}: action_endpoint"
    if section is None:
        logger.info("%s has no action_endpoint: actions run in-process", origin)
        return ActionEndpoint()
    if not isinstance(section, dict):
        raise EndpointsError(f"{where}: must be a mapping with 'url' or 'actions_module'")
    for key in sorted(set(section) - _KNOWN_KEYS):
        logger.warning("%s.%s: ignored (known keys: %s)", where, key, ", ".join(sorted(
            _KNOWN_KEYS)))
    module = section.get("actions_module")
    url = section.get("url")
    if module is not None and (not isinstance(module, str) or not _MODULE.match(module)):
        raise EndpointsError(f"{where}.actions_module: expected a Python module name, "
                             f"got {module!r}")
    if module and url:
        logger.warning("%s: both url and actions_module given; actions_module wins", where)
        url = None
    if url is not None:
        if not isinstance(url, str):
            raise EndpointsError(f"{where}.url: expected a URL, got {url!r}")
        url = _expand(url, f"{where}.url")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise EndpointsError(f"{where}.url: expected http(s)://host[:port]/webhook, "
                                 f"got {url!r}")
    headers = section.get("headers") or {}
    if not isinstance(headers, dict):
        raise EndpointsError(f"{where}.headers: must be a mapping")
    token = section.get("token")
    if token is not None and not isinstance(token, str):
        raise EndpointsError(f"{where}.token: must be a string")
    return ActionEndpoint(
        url=url or None,
        actions_module=module or DEFAULT_ACTIONS_MODULE,
        timeout=_seconds(section, "timeout", DEFAULT_TIMEOUT, where),
        cooldown=_seconds(section, "cooldown", DEFAULT_COOLDOWN, where),
        headers=tuple((str(k), _expand(str(v), f"{where}.headers.{k}"))
                      for k, v in headers.items()),
        token=_expand(token, f"{where}.token") if token else None,
    )


def load_endpoints(path: str | Path) -> ActionEndpoint:
    """Read the action endpoint of the endpoints file at ``path``.

    Raises:
        EndpointsError: When the file is missing, not YAML, or has a bad value.
    """
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise EndpointsError(f"{file}: no such endpoints file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise EndpointsError(f"{file}: cannot read endpoints file: {exc}") from exc
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise EndpointsError(f"{file}{at}: invalid YAML: "
                             f"{getattr(exc, 'problem', None) or exc}") from exc
    return parse_endpoints(raw, str(file))
