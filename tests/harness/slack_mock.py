"""A local HTTP server imitating Slack's Web API and ``response_url`` endpoints.

Usage::

    with SlackMock() as slack:
        env = {"SLACK_API_URL": slack.api_url, "SLACK_BOT_TOKEN": slack.bot_token}
        url = slack.response_url("cmd-1")          # put in a slash command payload
        ...
        [reply] = slack.wait_for_responses(1, key="cmd-1")

Web API methods are served under ``/api/<method>`` (``slack_sdk.WebClient(base_url=api_url)``
posts to ``base_url + method``); ``response_url`` posts go to ``/response/<key>``.
Everything binds to the loopback interface only.
"""

from __future__ import annotations

import ipaddress
import json
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

__all__ = ["ApiCall", "ResponsePost", "SlackMock"]

JsonDict = dict[str, Any]

DEFAULT_BOT_TOKEN = "xoxb-test-token"
DEFAULT_SCOPES = "commands,chat:write,usergroups:read"
_TS_BASE_MICROS = 1_700_000_000_000_000
_API_PREFIX = "/api/"
_RESPONSE_PREFIX = "/response/"


@dataclass(frozen=True)
class ApiCall:
    """One Web API request as received by the mock (recorded even when it failed)."""

    method: str
    """Web API method name, e.g. ``"chat.postMessage"``."""
    params: JsonDict
    """Query string, form fields and JSON body merged (JSON values kept as sent)."""
    headers: dict[str, str]
    """Request headers, keys lower-cased."""
    time: float
    """``time.monotonic()`` at receipt."""
    http_method: str = "POST"
    status: int = 200
    """HTTP status the mock answered with."""
    response: JsonDict = field(default_factory=dict)
    """JSON body the mock answered with."""

    @property
    def ok(self) -> bool:
        return self.status == 200 and bool(self.response.get("ok"))


@dataclass(frozen=True)
class ResponsePost:
    """One accepted (HTTP 200) post to a ``response_url``."""

    key: str
    body: JsonDict
    headers: dict[str, str]
    """Request headers, keys lower-cased."""
    time: float
    """``time.monotonic()`` at receipt."""
    status: int = 200


@dataclass
class _ScriptedFailure:
    status: int
    error: str | None
    retry_after: int | None
    times: int


@dataclass
class _ScriptedResponseFailure:
    status: int
    body: str
    times: int


def _truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return False


def _maybe_json(value: Any) -> Any:
    """Form-encoded requests carry structured fields (blocks, metadata) as JSON strings."""
    if isinstance(value, str) and value[:1] in ("{", "["):
        with suppress(ValueError):
            return json.loads(value)
    return value


def _ts_key(ts: str) -> tuple[int, int]:
    seconds, _, micros = ts.partition(".")
    try:
        return int(seconds), int((micros or "0").ljust(6, "0")[:6])
    except ValueError:
        return 0, 0


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # The stdlib's listen backlog of 5 drops bursts (a bot answering 40 users at once): the
    # kernel refuses the extra connections and clients retry seconds later.
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], mock: SlackMock) -> None:
        self.mock = mock
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "SlackMock/1.0"

    # -- plumbing ---------------------------------------------------------------------------

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str,
        extra_headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (extra_headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send_json(
        self, status: int, payload: JsonDict, extra_headers: dict[str, str] | None = None
    ) -> None:
        body = json.dumps(payload).encode("utf-8")
        self._send(status, body, "application/json; charset=utf-8", extra_headers)

    def _send_text(self, status: int, text: str) -> None:
        self._send(status, text.encode("utf-8"), "text/plain; charset=utf-8")

    # -- dispatch ---------------------------------------------------------------------------

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        received = time.monotonic()
        body = self._read_body()
        parts = urlsplit(self.path)
        headers = {k.lower(): v for k, v in self.headers.items()}
        if parts.path.startswith(_API_PREFIX):
            method = unquote(parts.path[len(_API_PREFIX) :]).strip("/")
            params = dict(parse_qsl(parts.query, keep_blank_values=True))
            params.update(self._parse_body(body, headers.get("content-type", "")))
            status, payload, extra = self.server.mock._handle_api(
                method, params, headers, self.command, received
            )
            self._send_json(status, payload, extra)
        elif parts.path.startswith(_RESPONSE_PREFIX) and self.command == "POST":
            key = unquote(parts.path[len(_RESPONSE_PREFIX) :])
            status, text = self.server.mock._handle_response(key, body, headers, received)
            self._send_text(status, text)
        else:
            self._send_text(404, "not_found")

    @staticmethod
    def _parse_body(body: bytes, content_type: str) -> JsonDict:
        if not body:
            return {}
        text = body.decode("utf-8", errors="replace")
        if "json" in content_type.lower() or text.lstrip()[:1] == "{":
            try:
                parsed = json.loads(text)
            except ValueError:
                return {}
            return parsed if isinstance(parsed, dict) else {}
        return dict(parse_qsl(text, keep_blank_values=True))


class SlackMock:
    """Local imitation of ``https://slack.com/api/`` and of ``response_url`` endpoints.

    Attributes tests may set: ``bot_token``, ``usergroups`` (subteam id -> user ids),
    ``scopes`` (the ``x-oauth-scopes`` header of ``auth.test``), ``max_response_uses``
    (``None`` = unlimited; Slack allows 5 posts per ``response_url``, set it to 5 to enforce).
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        bot_token: str = DEFAULT_BOT_TOKEN,
    ) -> None:
        if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
            raise ValueError(f"SlackMock binds to loopback only, not {host!r}")
        self.host = host
        self._requested_port = port
        self.bot_token = bot_token
        self.scopes = DEFAULT_SCOPES
        self.usergroups: dict[str, list[str]] = {}
        # Channels the bot is not a member of: it may post there (chat:write.public) but not
        # read their history, as in Slack.
        self.not_member: set[str] = set()
        self.max_response_uses: int | None = None
        self.team_id = "T0001"
        self.bot_user_id = "UBOT"
        self.bot_id = "BBOT"

        self._cond = threading.Condition()
        self._calls: list[ApiCall] = []
        self._responses: list[ResponsePost] = []
        self._rejected_responses: list[ResponsePost] = []
        self._messages: dict[str, list[JsonDict]] = {}
        self._failures: dict[str, list[_ScriptedFailure]] = {}
        self._response_failures: dict[str | None, list[_ScriptedResponseFailure]] = {}
        self._latency: dict[str | None, float] = {}
        self._ts_counter = 0
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> SlackMock:
        if self._server is not None:
            return self
        self._server = _Server((self.host, self._requested_port), self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"SlackMock:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> SlackMock:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("SlackMock is not started")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self) -> str:
        """Value for ``SLACK_API_URL`` / ``WebClient(base_url=...)`` (ends with ``/api/``)."""
        return f"{self.base_url}{_API_PREFIX}"

    def response_url(self, key: str) -> str:
        """A ``response_url`` for a command / interaction payload; posts land under ``key``."""
        return f"{self.base_url}{_RESPONSE_PREFIX}{quote(key, safe='')}"

    # -- scripting ----------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        error: str | None = None,
        status: int = 200,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail.

        ``status=429`` answers ``{"ok": false, "error": "ratelimited"}`` with a ``Retry-After``
        header (``retry_after``, default 1); ``status=200`` answers ``{"ok": false, "error":
        error}``; 5xx answers that status with an ``{"ok": false, ...}`` body.
        Failures queue up: each ``fail_next`` is consumed after the previous ones.
        """
        if times < 1:
            raise ValueError("times must be >= 1")
        with self._cond:
            self._failures.setdefault(method, []).append(
                _ScriptedFailure(status=status, error=error, retry_after=retry_after, times=times)
            )

    def fail_response_url(
        self,
        key: str | None,
        status: int = 404,
        times: int = 1,
        body: str | None = None,
    ) -> None:
        """Make the next ``times`` posts to ``response_url(key)`` (any key if ``None``) fail.

        404 answers ``expired_url`` in plain text, like an expired Slack response_url.
        Rejected posts are recorded in :attr:`rejected_responses`, not :attr:`responses`.
        """
        if times < 1:
            raise ValueError("times must be >= 1")
        if body is None:
            body = {404: "expired_url", 400: "invalid_payload"}.get(status, "internal_error")
        with self._cond:
            self._response_failures.setdefault(key, []).append(
                _ScriptedResponseFailure(status=status, body=body, times=times)
            )

    def set_latency(self, method: str | None, seconds: float) -> None:
        """Delay answers of a Web API ``method`` (``None``: every method) by ``seconds``."""
        with self._cond:
            if seconds <= 0:
                self._latency.pop(method, None)
            else:
                self._latency[method] = seconds

    def reset(self) -> None:
        """Clear recordings (calls, responses, stored messages), failures and latencies."""
        with self._cond:
            self._calls.clear()
            self._responses.clear()
            self._rejected_responses.clear()
            self._messages.clear()
            self._failures.clear()
            self._response_failures.clear()
            self._latency.clear()
            self._cond.notify_all()

    # -- recordings ---------------------------------------------------------------------------

    @property
    def calls(self) -> list[ApiCall]:
        """Snapshot of every Web API call received, in order of receipt."""
        with self._cond:
            return list(self._calls)

    @property
    def responses(self) -> list[ResponsePost]:
        """Snapshot of every accepted ``response_url`` post, in order of receipt."""
        with self._cond:
            return list(self._responses)

    @property
    def rejected_responses(self) -> list[ResponsePost]:
        """``response_url`` posts answered with a scripted failure (or an invalid body)."""
        with self._cond:
            return list(self._rejected_responses)

    def api_calls(self, method: str) -> list[ApiCall]:
        with self._cond:
            return [c for c in self._calls if c.method == method]

    def responses_for(self, key: str) -> list[ResponsePost]:
        with self._cond:
            return [r for r in self._responses if r.key == key]

    def messages(self, channel: str) -> list[JsonDict]:
        """Messages stored for ``channel`` by ``chat.postMessage``, oldest first."""
        with self._cond:
            return [dict(m) for m in self._messages.get(channel, [])]

    def wait_for_responses(
        self, count: int, timeout: float = 10, key: str | None = None
    ) -> list[ResponsePost]:
        """Block until at least ``count`` accepted response_url posts (for ``key``) arrived."""

        def current() -> list[ResponsePost]:
            return [r for r in self._responses if key is None or r.key == key]

        with self._cond:
            if self._cond.wait_for(lambda: len(current()) >= count, timeout=timeout):
                return current()
            got = current()
            what = "response_url posts" + (f" for key {key!r}" if key is not None else "")
            raise AssertionError(
                f"timed out after {timeout}s waiting for {count} {what}; got {len(got)}.\n"
                + self._describe_locked()
            )

    def wait_for_api_calls(self, method: str, count: int, timeout: float = 10) -> list[ApiCall]:
        """Block until at least ``count`` calls of ``method`` were received."""

        def current() -> list[ApiCall]:
            return [c for c in self._calls if c.method == method]

        with self._cond:
            if self._cond.wait_for(lambda: len(current()) >= count, timeout=timeout):
                return current()
            got = current()
            raise AssertionError(
                f"timed out after {timeout}s waiting for {count} {method} calls; "
                f"got {len(got)}.\n" + self._describe_locked()
            )

    def wait_until(
        self, predicate: Callable[[SlackMock], bool], timeout: float = 10, what: str = "condition"
    ) -> None:
        """Block until ``predicate(self)`` is true; it is re-checked on every recorded request.

        The predicate runs with the internal lock held; use the public accessors freely
        (the lock is re-entrant).
        """
        with self._cond:
            if not self._cond.wait_for(lambda: predicate(self), timeout=timeout):
                raise AssertionError(
                    f"timed out after {timeout}s waiting for {what}.\n" + self._describe_locked()
                )

    def describe(self) -> str:
        """Human-readable list of what arrived so far (for assertion messages)."""
        with self._cond:
            return self._describe_locked()

    def _describe_locked(self) -> str:
        lines = [f"Web API calls ({len(self._calls)}):"]
        lines += [
            f"  {c.method} -> {c.status} {c.response.get('error', 'ok') if c.response else ''}"
            f" {_short(c.params)}"
            for c in self._calls[-30:]
        ]
        lines.append(f"response_url posts ({len(self._responses)}):")
        lines += [f"  [{r.key}] {_short(r.body)}" for r in self._responses[-30:]]
        if self._rejected_responses:
            lines.append(f"rejected response_url posts ({len(self._rejected_responses)}):")
            lines += [
                f"  [{r.key}] -> {r.status} {_short(r.body)}"
                for r in self._rejected_responses[-30:]
            ]
        return "\n".join(lines)

    # -- request handling (called from server threads) -------------------------------------

    def _next_ts(self) -> str:
        self._ts_counter += 1
        micros = _TS_BASE_MICROS + 100 * self._ts_counter
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _take_failure(self, method: str) -> _ScriptedFailure | None:
        queue = self._failures.get(method)
        if not queue:
            return None
        failure = queue[0]
        failure.times -= 1
        if failure.times <= 0:
            queue.pop(0)
        return failure

    def _take_response_failure(self, key: str) -> _ScriptedResponseFailure | None:
        for queue_key in (key, None):
            queue = self._response_failures.get(queue_key)
            if queue:
                failure = queue[0]
                failure.times -= 1
                if failure.times <= 0:
                    queue.pop(0)
                return failure
        return None

    def _token(self, params: JsonDict, headers: dict[str, str]) -> str | None:
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            return auth[7:].strip()
        token = params.get("token")
        return str(token) if token else None

    def _handle_api(
        self,
        method: str,
        params: JsonDict,
        headers: dict[str, str],
        http_method: str,
        received: float,
    ) -> tuple[int, JsonDict, dict[str, str]]:
        with self._cond:
            delay = self._latency.get(method, self._latency.get(None, 0.0))
        if delay > 0:
            time.sleep(delay)
        with self._cond:
            status, payload, extra = self._api_result(method, params, headers)
            self._calls.append(
                ApiCall(
                    method=method,
                    params=params,
                    headers=headers,
                    time=received,
                    http_method=http_method,
                    status=status,
                    response=payload,
                )
            )
            self._cond.notify_all()
        return status, payload, extra

    def _api_result(
        self, method: str, params: JsonDict, headers: dict[str, str]
    ) -> tuple[int, JsonDict, dict[str, str]]:
        failure = self._take_failure(method)
        if failure is not None:
            extra: dict[str, str] = {}
            if failure.status == 429:
                extra["Retry-After"] = str(
                    failure.retry_after if failure.retry_after is not None else 1
                )
                error = failure.error or "ratelimited"
            else:
                if failure.retry_after is not None:
                    extra["Retry-After"] = str(failure.retry_after)
                error = failure.error or "internal_error"
            return failure.status, {"ok": False, "error": error}, extra

        handler = self._methods().get(method)
        if handler is None:
            return 200, {"ok": False, "error": "unknown_method"}, {}
        if self._token(params, headers) != self.bot_token:
            return 200, {"ok": False, "error": "invalid_auth"}, {}
        return handler(params)

    def _methods(self) -> dict[str, Callable[[JsonDict], tuple[int, JsonDict, dict[str, str]]]]:
        return {
            "auth.test": self._auth_test,
            "chat.postMessage": self._chat_post_message,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.update": self._chat_update,
            "conversations.history": self._conversations_history,
            "conversations.info": self._conversations_info,
            "usergroups.users.list": self._usergroups_users_list,
            "views.publish": self._views_publish,
        }

    # Each method handler runs with the lock held.

    def _auth_test(self, params: JsonDict) -> tuple[int, JsonDict, dict[str, str]]:
        return (
            200,
            {
                "ok": True,
                "url": "https://test-workspace.slack.com/",
                "team": "Test Workspace",
                "user": "campaigns-bot",
                "team_id": self.team_id,
                "user_id": self.bot_user_id,
                "bot_id": self.bot_id,
                "is_enterprise_install": False,
            },
            {"x-oauth-scopes": self.scopes},
        )

    @staticmethod
    def _has_content(params: JsonDict) -> bool:
        return any(params.get(k) for k in ("text", "blocks", "attachments"))

    def _chat_post_message(self, params: JsonDict) -> tuple[int, JsonDict, dict[str, str]]:
        channel = str(params.get("channel") or "")
        if not channel:
            return 200, {"ok": False, "error": "channel_not_found"}, {}
        if not self._has_content(params):
            return 200, {"ok": False, "error": "no_text"}, {}
        ts = self._next_ts()
        message: JsonDict = {
            "type": "message",
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "team": self.team_id,
            "text": str(params.get("text") or ""),
            "ts": ts,
        }
        for name in ("blocks", "attachments", "metadata"):
            value = _maybe_json(params.get(name))
            if value:
                message[name] = value
        if params.get("thread_ts"):
            message["thread_ts"] = str(params["thread_ts"])
        self._messages.setdefault(channel, []).append(message)
        shown = {k: v for k, v in message.items() if k != "metadata"}
        return 200, {"ok": True, "channel": channel, "ts": ts, "message": shown}, {}

    def _chat_post_ephemeral(self, params: JsonDict) -> tuple[int, JsonDict, dict[str, str]]:
        if not params.get("channel"):
            return 200, {"ok": False, "error": "channel_not_found"}, {}
        if not params.get("user"):
            return 200, {"ok": False, "error": "user_not_in_channel"}, {}
        if not self._has_content(params):
            return 200, {"ok": False, "error": "no_text"}, {}
        return 200, {"ok": True, "message_ts": self._next_ts()}, {}

    def _chat_update(self, params: JsonDict) -> tuple[int, JsonDict, dict[str, str]]:
        channel = str(params.get("channel") or "")
        ts = str(params.get("ts") or "")
        for message in self._messages.get(channel, []):
            if message["ts"] == ts:
                for name in ("text", "blocks", "attachments", "metadata"):
                    if name in params:
                        message[name] = _maybe_json(params[name])
                return 200, {"ok": True, "channel": channel, "ts": ts, "text": message["text"]}, {}
        return 200, {"ok": False, "error": "message_not_found"}, {}

    def _conversations_history(self, params: JsonDict) -> tuple[int, JsonDict, dict[str, str]]:
        channel = str(params.get("channel") or "")
        if not channel:
            return 200, {"ok": False, "error": "channel_not_found"}, {}
        if channel in self.not_member:
            return 200, {"ok": False, "error": "not_in_channel"}, {}
        include_metadata = _truthy(params.get("include_all_metadata"))
        inclusive = _truthy(params.get("inclusive"))
        oldest = str(params.get("oldest") or "")
        latest = str(params.get("latest") or "")
        try:
            limit = int(params.get("limit") or 100)
        except (TypeError, ValueError):
            limit = 100
        limit = max(1, min(limit, 999))

        selected: list[JsonDict] = []
        for message in reversed(self._messages.get(channel, [])):
            key = _ts_key(message["ts"])
            if oldest and (key < _ts_key(oldest) or (key == _ts_key(oldest) and not inclusive)):
                continue
            if latest and (key > _ts_key(latest) or (key == _ts_key(latest) and not inclusive)):
                continue
            item = dict(message)
            if not include_metadata:
                item.pop("metadata", None)
            selected.append(item)
        page, has_more = selected[:limit], len(selected) > limit
        return (
            200,
            {
                "ok": True,
                "messages": page,
                "has_more": has_more,
                "pin_count": 0,
                "response_metadata": {"next_cursor": ""},
            },
            {},
        )

    def _conversations_info(self, params: JsonDict) -> tuple[int, JsonDict, dict[str, str]]:
        channel = str(params.get("channel") or "")
        if not channel:
            return 200, {"ok": False, "error": "channel_not_found"}, {}
        return (
            200,
            {
                "ok": True,
                "channel": {
                    "id": channel,
                    "name": channel.lower(),
                    "is_channel": channel.startswith("C"),
                    "is_private": channel.startswith("G"),
                    "is_im": channel.startswith("D"),
                    "is_archived": False,
                    "is_member": True,
                },
            },
            {},
        )

    def _usergroups_users_list(self, params: JsonDict) -> tuple[int, JsonDict, dict[str, str]]:
        usergroup = str(params.get("usergroup") or "")
        users = self.usergroups.get(usergroup)
        if users is None:
            return 200, {"ok": False, "error": "no_such_subteam"}, {}
        return 200, {"ok": True, "users": list(users)}, {}

    def _views_publish(self, params: JsonDict) -> tuple[int, JsonDict, dict[str, str]]:
        view = _maybe_json(params.get("view"))
        if not params.get("user_id") or not isinstance(view, dict):
            return 200, {"ok": False, "error": "invalid_arguments"}, {}
        return 200, {"ok": True, "view": {"id": "V0001", **view}}, {}

    def _handle_response(
        self, key: str, body: bytes, headers: dict[str, str], received: float
    ) -> tuple[int, str]:
        try:
            parsed = json.loads(body.decode("utf-8")) if body else None
        except ValueError:
            parsed = None
        with self._cond:
            failure = self._take_response_failure(key)
            if failure is not None:
                status, text = failure.status, failure.body
            elif not isinstance(parsed, dict):
                status, text = 400, "invalid_payload"
            elif self.max_response_uses is not None and (
                sum(1 for r in self._responses if r.key == key) >= self.max_response_uses
            ):
                status, text = 404, "used_url"
            else:
                status, text = 200, "ok"
            post = ResponsePost(
                key=key,
                body=parsed
                if isinstance(parsed, dict)
                else {"_raw": body.decode("utf-8", "replace")},
                headers=headers,
                time=received,
                status=status,
            )
            (self._responses if status == 200 else self._rejected_responses).append(post)
            self._cond.notify_all()
        return status, text


def _short(value: Any, limit: int = 200) -> str:
    text = json.dumps(value, default=str, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 3] + "..."
