"""A fake Telegram Bot API server on 127.0.0.1 (stdlib ``http.server`` in a thread).

It speaks enough of the real API for python-telegram-bot to run against it unmodified,
with Telegram's response shapes and status codes: ``getMe``, ``getUpdates`` (long
polling, offsets, 409 while a webhook is set), ``sendMessage`` (HTML parsed and checked,
400 for text over 4096 characters or bad ``callback_data``), ``sendChatAction``,
``answerCallbackQuery``, ``setMyCommands``, ``setWebhook`` (then updates are POSTed to the
webhook with the secret token header), ``deleteWebhook``, ``getWebhookInfo``.
Failures such as a 429 with ``retry_after`` can be queued per method, and
:class:`Faults` injects them at random (seeded) with a share per method and kind:
error statuses, a connection closed before the request is processed (``drop``), and an
answer held back past the client's timeout after the request *was* processed (``slow``).
"""

from __future__ import annotations

import html
import http.client
import itertools
import json
import random
import re
import socket
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

TEST_TOKEN = "123456789:AAH-test-token_abcdefghijklmnopqrstu"
BOT_ID = 123456789
BOT_USERNAME = "faq_test_bot"
MAX_TEXT = 4096
_ALLOWED_TAGS = ("b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span",
                 "tg-spoiler", "a", "code", "pre", "blockquote", "tg-emoji")
_TAG = re.compile(r"</?([a-z][a-z0-9-]*)(\s[^<>]*)?>", re.IGNORECASE)
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
_JSON_FIELDS = {"reply_markup", "commands", "allowed_updates", "chat_id", "offset", "timeout",
                "limit", "reply_parameters", "link_preview_options", "message_thread_id",
                "reply_to_message_id", "scope", "drop_pending_updates", "max_connections"}


@dataclass
class Call:
    """One request the bot made: method, decoded parameters, when, and our status."""

    method: str
    params: dict[str, Any]
    at: float
    status: int = 200


@dataclass
class Failure:
    """A queued error answer for the next call of a method."""

    status: int
    description: str
    retry_after: int | None = None


DROP = "drop"
SLOW = "slow"


@dataclass
class Faults:
    """Random failures: ``shares[method][kind]`` is the share of calls that fail that way.

    A kind is an HTTP status (``"500"``, ``"502"``, ``"429"``), ``drop`` (the connection
    is closed without an answer and the request is not processed) or ``slow`` (the request
    is processed, then the answer is held back ``slow_seconds``).

    Attributes:
        shares: Per method, per kind.
        seed: Seed of the random draws (runs are repeatable).
        slow_seconds: How long a ``slow`` answer is held back.
        retry_after: What a random 429 asks to wait.
    """

    shares: dict[str, dict[str, float]] = field(default_factory=dict)
    seed: int = 0
    slow_seconds: float = 1.0
    retry_after: int = 1

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._lock = threading.Lock()
        self.drawn: Counter[tuple[str, str]] = Counter()

    def draw(self, method: str) -> str | None:
        """Return the fault for one call of ``method``, or None."""
        kinds = self.shares.get(method)
        if not kinds:
            return None
        with self._lock:
            roll = self._rng.random()
        for kind, share in kinds.items():
            if roll < share:
                with self._lock:
                    self.drawn[method, kind] += 1
                return kind
            roll -= share
        return None


_DESCRIPTIONS = {500: "Internal Server Error", 502: "Bad Gateway",
                 503: "Service Unavailable", 429: "Too Many Requests: retry later"}


@dataclass
class _State:
    updates: deque = field(default_factory=deque)
    webhook: dict[str, Any] | None = None
    failures: dict[str, deque] = field(default_factory=dict)
    chats: dict[int, dict[str, Any]] = field(default_factory=dict)
    pushed_at: dict[int, float] = field(default_factory=dict)
    offset: int = 0


def parse_html(text: str) -> tuple[str | None, str]:
    """Return ``(error, plain_text)`` for Telegram's HTML parse mode."""
    for match in re.finditer(r"<", text):
        tag = _TAG.match(text, match.start())
        if tag is None:
            byte = len(text[: match.start()].encode("utf-8"))
            return f"Can't parse entities: unexpected character at byte offset {byte}", ""
        if tag.group(1).lower() not in _ALLOWED_TAGS:
            byte = len(text[: match.start()].encode("utf-8"))
            return (f'Can\'t parse entities: Unsupported start tag "{tag.group(1)}" at byte '
                    f"offset {byte}"), ""
    return None, html.unescape(_TAG.sub("", text))


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class FakeBotApi:
    """The server; use as a context manager or call :meth:`start` and :meth:`stop`.

    Args:
        token: The only token accepted (others get 401 Unauthorized).
        username: The bot's username, as ``getMe`` returns it.
    """

    def __init__(self, token: str = TEST_TOKEN, username: str = BOT_USERNAME) -> None:
        self.token = token
        self.bot = {"id": int(token.split(":")[0]), "is_bot": True, "first_name": "FAQ Test",
                    "username": username}
        self.calls: list[Call] = []
        self._state = _State()
        self._cond = threading.Condition()
        self._ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._closing = False
        self.last_update_id = 0
        self.faults = Faults()
        self._held: set[str] = set()
        self._break_polling = False
        self._polling_broken = False
        self.holding = 0
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------------

    def start(self) -> FakeBotApi:
        """Listen on a free port of 127.0.0.1 in a background thread."""
        api = self

        class Handler(_Handler):
            server_api = api

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Wake long polls, stop serving and close the socket."""
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> FakeBotApi:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The port listened on."""
        assert self._server is not None
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        """What to pass as ``TELEGRAM_API_BASE_URL`` (the token is appended)."""
        return f"http://127.0.0.1:{self.port}/bot"

    # -- driving the bot -----------------------------------------------------------------

    def fail_next(self, method: str, status: int, description: str,
                  retry_after: int | None = None) -> None:
        """Answer the next call of ``method`` with an error."""
        with self._cond:
            self._state.failures.setdefault(method, deque()).append(
                Failure(status, description, retry_after))

    def push_many(self, updates: list[dict[str, Any]]) -> None:
        """Make ``updates`` available to ``getUpdates`` at once (one batch)."""
        with self._cond:
            for update in updates:
                update = {"update_id": next(self._ids), **update}
                self.last_update_id = update["update_id"]
                self._state.pushed_at[update["update_id"]] = time.monotonic()
                self._state.updates.append(update)
            self._cond.notify_all()

    def enqueue_raw(self, *updates: dict[str, Any]) -> None:
        """Make ``updates`` available to ``getUpdates`` at once, with the ``update_id``
        each carries (as Telegram does when it sends an unconfirmed update again)."""
        with self._cond:
            for update in updates:
                self._state.updates.append(dict(update))
                self.last_update_id = max(self.last_update_id, update["update_id"])
            self._ids = itertools.count(self.last_update_id + 1)
            self._cond.notify_all()

    def break_polling_after_next_batch(self, broken: bool = True) -> None:
        """After the next non-empty ``getUpdates``, answer every ``getUpdates`` with 502
        (so the batch is never confirmed); ``broken=False`` repairs it."""
        with self._cond:
            self._break_polling = broken
            self._polling_broken = False

    @property
    def pending_updates(self) -> int:
        """Updates not yet confirmed by a ``getUpdates`` offset."""
        with self._cond:
            return sum(1 for u in self._state.updates if u["update_id"] >= self._state.offset)

    def hold(self, method: str) -> None:
        """Keep calls of ``method`` waiting, unprocessed, until :meth:`release`."""
        with self._cond:
            self._held.add(method)

    def release(self) -> None:
        """Let held calls go: each is dropped unprocessed (its client is presumed gone)."""
        with self._cond:
            self._held.clear()
            self._cond.notify_all()

    def wait_held(self, count: int = 1, timeout: float = 10.0) -> None:
        """Block until ``count`` calls are being held."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self.holding < count:
                left = deadline - time.monotonic()
                assert left > 0, f"only {self.holding} calls held"
                self._cond.wait(left)

    def _wait_if_held(self, method: str) -> bool:
        """Return True if the call of ``method`` was held (and so must be dropped)."""
        with self._cond:
            if method not in self._held:
                return False
            self.holding += 1
            self._cond.notify_all()
            while method in self._held and not self._closing:
                self._cond.wait(0.5)
            self.holding -= 1
            return True

    def push(self, update: dict[str, Any], url: str | None = None) -> int:
        """Deliver an update (``update_id`` is assigned): to the webhook if one is set,
        else to the next ``getUpdates``. Returns the webhook's HTTP status, or 200.

        ``url`` posts it to that address instead of the webhook's (one of several
        replicas behind a load balancer), with the webhook's secret."""
        with self._cond:
            update = {"update_id": next(self._ids), **update}
            self.last_update_id = update["update_id"]
            self._state.pushed_at[update["update_id"]] = time.monotonic()
            for key in ("message", "edited_message"):
                if key in update:
                    chat = update[key]["chat"]
                    self._state.chats[chat["id"]] = chat
            webhook = self._state.webhook
            if webhook is None:
                self._state.updates.append(update)
                self._cond.notify_all()
                return 200
        return self.post_webhook(update, webhook.get("secret_token"), url=url)

    def post_webhook(self, update: dict[str, Any], secret: str | None,
                     retry_for: float = 5.0, url: str | None = None) -> int:
        """POST ``update`` to the webhook URL with ``secret``; return the status code.

        Like Telegram, keep retrying for a while when the webhook is not listening yet
        (python-telegram-bot calls ``setWebhook`` before its server is up).
        """
        deadline = time.monotonic() + retry_for
        while True:
            try:
                return self._post_webhook(update, secret, url)
            except ConnectionRefusedError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def _post_webhook(self, update: dict[str, Any], secret: str | None,
                      address: str | None = None) -> int:
        with self._cond:
            assert self._state.webhook is not None, "no webhook set"
            url = urlsplit(address or self._state.webhook["url"])
        body = json.dumps(update).encode()
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=10)
        try:
            conn.request("POST", url.path or "/", body=body, headers=headers)
            return conn.getresponse().status
        finally:
            conn.close()

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0,
                 chat_id: int | None = None, since: int = 0) -> list[Call]:
        """Block until ``count`` successful calls of ``method`` (after call index ``since``,
        optionally to ``chat_id``) were made; return them.

        Raises:
            AssertionError: On timeout, listing the calls seen.
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = self._matching(method, chat_id, since)
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [(c.method, c.status, c.params.get("text", "")[:60])
                            for c in self.calls[since:]]
                    raise AssertionError(f"timed out waiting for {count} {method}: {seen}")
                self._cond.wait(left)

    def _matching(self, method: str, chat_id: int | None, since: int) -> list[Call]:
        return [c for c in self.calls[since:] if c.method == method and c.status == 200
                and (chat_id is None or c.params.get("chat_id") == chat_id)]

    def mark(self) -> int:
        """Return the current call index (pass it as ``since`` to :meth:`wait_for`)."""
        with self._cond:
            return len(self.calls)

    def pushed_at(self, update_id: int) -> float:
        """When the update was pushed (monotonic clock)."""
        return self._state.pushed_at[update_id]

    @property
    def webhook(self) -> dict[str, Any] | None:
        """The webhook set by the bot, or None."""
        with self._cond:
            return dict(self._state.webhook) if self._state.webhook else None

    # -- the API -------------------------------------------------------------------------

    def handle(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Answer one API call: ``(status, body)``."""
        with self._cond:
            queue = self._state.failures.get(method)
            if queue:
                failure = queue.popleft()
                self._record(method, params, failure.status)
                body = {"ok": False, "error_code": failure.status,
                        "description": failure.description}
                if failure.retry_after is not None:
                    body["parameters"] = {"retry_after": failure.retry_after}
                return failure.status, body
        if method.lower() == "getupdates":
            return self._get_updates(params)
        handler = getattr(self, f"_api_{method.lower()}", None)
        if handler is None:
            status, body = 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        else:
            status, body = handler(params)
        with self._cond:
            self._record(method, params, status)
        return status, body

    def record_fault(self, method: str, params: dict[str, Any], status: int) -> None:
        """Record a call answered by an injected fault (status 0: connection dropped)."""
        with self._cond:
            self._record(method, params, status)

    def fault_answer(self, method: str, params: dict[str, Any],
                     status: int) -> tuple[int, dict[str, Any]]:
        """Record and return an injected error answer."""
        body: dict[str, Any] = {"ok": False, "error_code": status,
                                "description": _DESCRIPTIONS.get(status, "Error")}
        if status == 429:
            body["parameters"] = {"retry_after": self.faults.retry_after}
        self.record_fault(method, params, status)
        return status, body

    def _record(self, method: str, params: dict[str, Any], status: int) -> None:
        self.calls.append(Call(method, params, time.monotonic(), status))
        self._cond.notify_all()

    @staticmethod
    def _ok(result: Any, description: str | None = None) -> tuple[int, dict[str, Any]]:
        body: dict[str, Any] = {"ok": True, "result": result}
        if description:
            body["description"] = description
        return 200, body

    @staticmethod
    def _bad(description: str, status: int = 400) -> tuple[int, dict[str, Any]]:
        return status, {"ok": False, "error_code": status, "description": description}

    def _get_updates(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + timeout
        with self._cond:
            if self._state.webhook is not None:
                self._record("getUpdates", params, 409)
                return self._bad("Conflict: can't use getUpdates method while webhook is "
                                 "active; use deleteWebhook to delete the webhook first", 409)
            if self._polling_broken:
                self._record("getUpdates", params, 502)
                return self._bad("Bad Gateway", 502)
            self._state.offset = max(self._state.offset, offset)
            while self._state.updates and self._state.updates[0]["update_id"] < offset:
                self._state.updates.popleft()
            # Recorded on arrival, so a test can wait for the bot to be polling.
            self._record("getUpdates", params, 200)
            while not self._state.updates and not self._closing:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            result = list(itertools.islice(self._state.updates, limit))
            if result and self._break_polling:
                self._polling_broken = True
        return self._ok(result)

    def _api_getme(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return self._ok({**self.bot, "can_join_groups": True,
                         "can_read_all_group_messages": False,
                         "supports_inline_queries": False})

    def _api_sendmessage(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        chat_id = params.get("chat_id")
        if chat_id in (None, ""):
            return self._bad("Bad Request: chat_id is empty")
        text = params.get("text", "")
        plain = text
        if str(params.get("parse_mode", "")).upper() == "HTML":
            error, plain = parse_html(text)
            if error:
                return self._bad(f"Bad Request: {error}")
        if not plain.strip():
            return self._bad("Bad Request: message text is empty")
        if _utf16(plain) > MAX_TEXT:
            return self._bad("Bad Request: message is too long")
        markup = params.get("reply_markup")
        if isinstance(markup, dict):
            for row in markup.get("inline_keyboard", []):
                for button in row:
                    data = button.get("callback_data")
                    if data is not None and not 1 <= len(data.encode()) <= 64:
                        return self._bad("Bad Request: BUTTON_DATA_INVALID")
                    if not button.get("text"):
                        return self._bad("Bad Request: text buttons are unallowed")
        chat = self._state.chats.get(chat_id) or {
            "id": chat_id, "type": "private" if int(chat_id) > 0 else "supergroup"}
        message = {"message_id": next(self._message_ids), "from": self.bot, "chat": chat,
                   "date": int(time.time()), "text": plain}
        if isinstance(markup, dict):
            message["reply_markup"] = markup
        return self._ok(message)

    def _api_sendchataction(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if params.get("action") not in ("typing", "upload_photo", "record_voice",
                                        "upload_document", "choose_sticker"):
            return self._bad("Bad Request: wrong parameter action in request")
        return self._ok(True)

    def _api_answercallbackquery(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if not params.get("callback_query_id"):
            return self._bad("Bad Request: query is too old and response timeout expired "
                             "or query ID is invalid")
        return self._ok(True)

    def _api_setmycommands(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        commands = params.get("commands")
        if not isinstance(commands, list):
            return self._bad("Bad Request: can't parse commands JSON object")
        for command in commands:
            if not _COMMAND.match(command.get("command", "")) or not (
                    1 <= len(command.get("description", "")) <= 256):
                return self._bad("Bad Request: BOT_COMMAND_INVALID")
        return self._ok(True)

    def _api_setwebhook(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        url = params.get("url", "")
        if not url:
            return self._api_deletewebhook(params)
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            return self._bad("Bad Request: secret token contains unallowed characters")
        with self._cond:
            self._state.webhook = {"url": url, "secret_token": secret,
                                   "allowed_updates": params.get("allowed_updates")}
            pending = list(self._state.updates)
            self._state.updates.clear()
        for update in pending:  # delivered to the new webhook, as Telegram does
            threading.Thread(target=self.post_webhook, args=(update, secret),
                             daemon=True).start()
        return self._ok(True, "Webhook was set")

    def _api_deletewebhook(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self._cond:
            had = self._state.webhook is not None
            self._state.webhook = None
            if params.get("drop_pending_updates"):
                self._state.updates.clear()
        return self._ok(True, "Webhook was deleted" if had else "Webhook is already deleted")

    def _api_getwebhookinfo(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self._cond:
            hook = self._state.webhook
            pending = len(self._state.updates)
        return self._ok({"url": hook["url"] if hook else "", "has_custom_certificate": False,
                         "pending_update_count": pending})


def _decode(params: dict[str, str]) -> dict[str, Any]:
    decoded: dict[str, Any] = {}
    for key, value in params.items():
        if key in _JSON_FIELDS and isinstance(value, str):
            try:
                decoded[key] = json.loads(value)
                continue
            except ValueError:
                pass
        decoded[key] = value
    return decoded


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_api: FakeBotApi

    def setup(self) -> None:
        """Send each response at once (no Nagle delay), as a real server would."""
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Stay quiet."""

    def do_GET(self) -> None:  # noqa: N802
        self._serve()

    def do_POST(self) -> None:  # noqa: N802
        self._serve()

    def _params(self) -> dict[str, Any]:
        url = urlsplit(self.path)
        params: dict[str, Any] = dict(parse_qsl(url.query))
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        kind = self.headers.get_content_type()
        if kind == "application/json" and body:
            params.update({k: v if isinstance(v, str) else json.dumps(v)
                           for k, v in json.loads(body).items()})
        elif kind == "application/x-www-form-urlencoded":
            params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        elif kind == "multipart/form-data":
            head = f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode()
            message = BytesParser(policy=HTTP).parsebytes(head + body)
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                if name:
                    params[name] = part.get_content()
        return _decode(params)

    def _serve(self) -> None:
        api = self.server_api
        match = re.fullmatch(r"/bot([^/]+)/([A-Za-z]+)", urlsplit(self.path).path)
        params = self._params()
        fault = None
        if match is None:
            status, body = 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        elif match.group(1) != api.token:
            status, body = 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        else:
            fault = api.faults.draw(match.group(2))
            if api._wait_if_held(match.group(2)):
                fault = DROP
            if fault == DROP:
                api.record_fault(match.group(2), params, 0)
                self.close_connection = True
                return
            if fault is not None and fault != SLOW:
                status, body = api.fault_answer(match.group(2), params, int(fault))
            else:
                status, body = api.handle(match.group(2), params)
        data = json.dumps(body).encode()
        if fault == SLOW:
            time.sleep(api.faults.slow_seconds)
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (e.g. shutdown)
            self.close_connection = True
