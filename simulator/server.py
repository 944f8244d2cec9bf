"""A local HTTP imitation of Mimecast's get-campaigns endpoint, for tests and demos.

It checks what the real service checks (POST, a JSON body, API 1.0 signatures over the path
only, the request date, OAuth 2.0 bearer tokens) and answers in the real envelope, so a client
that works here has met the same rules it meets in production. Queued `Fault`s make it misbehave
the ways Mimecast and the gateways in front of it do, over real sockets rather than mocks.

Error codes that the recorded real traffic confirms: `err_developer_key` (HTTP 200) and
`err_xdk_invalid_signature` "0004 Invalid Signature" (HTTP 401). Every other code below is the
simulator's choice, marked where it is defined.
"""

from __future__ import annotations

import base64
import contextlib
import hmac
import json
import logging
import re
import secrets
import select
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, NamedTuple
from urllib.parse import parse_qs, urlsplit

from mimecast.signing import SigningKeys, signature
from simulator.tenant import sample_tenant

log = logging.getLogger(__name__)

CAMPAIGNS_PATH = "/api/awareness-training/campaign/get-campaigns"
TOKEN_PATH = "/oauth/token"  # noqa: S105 - a path, not a secret

# Public demo credentials: they only open this simulator, so printing them is fine.
DEMO_KEYS = SigningKeys(
    app_id="sim-demo-app-0001",
    app_key="sim-demo-app-key-0001",
    access_key="sim-demo-access-key-0001",
    secret_key="c2ltLWRlbW8tc2VjcmV0LWtleS0wMDAx",  # noqa: S106 - public demo key (base64)
)
DEMO_CLIENT_ID = "sim-demo-client-0001"
DEMO_CLIENT_SECRET = "sim-demo-client-secret-0001"  # noqa: S105 - public demo value

REPLAY_WINDOW = 15 * 60.0  # seconds a request id stays "used" (simulator's strictness)
MAX_BODY = 1 << 20

FAULT_KINDS = frozenset(
    {
        "http_401",
        "developer_key",
        "http_403",
        "http_418",
        "http_429",
        "http_500",
        "http_502",
        "http_503",
        "html",
        "html_200",
        "malformed_json",
        "wrong_types",
        "fail_in_200",
        "hang",
        "close",
    }
)

# kind -> (HTTP status, fail code, message). Only the first two codes were seen for real; the
# rest are the simulator's choice (a client must key on the HTTP status for those anyway).
_FAULT_ERRORS: dict[str, tuple[int, str, str]] = {
    "http_401": (401, "err_xdk_invalid_signature", "0004 Invalid Signature"),
    "developer_key": (200, "err_developer_key", "App ID is invalid"),
    "http_403": (403, "err_forbidden", "Forbidden: missing Awareness Training permission"),
    "http_418": (418, "err_xdk_binding_expired", "Binding expired"),
    "http_429": (429, "err_rate_limit_exceeded", "Quota exceeded"),
    "http_500": (500, "err_internal_server_error", "Internal server error"),
    "http_502": (502, "err_bad_gateway", "Bad gateway"),
    "http_503": (503, "err_service_unavailable", "Service temporarily unavailable"),
    "fail_in_200": (200, "err_simulated_failure", "Simulated failure"),
}

_GATEWAY_PAGE = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n"
)
_MAINTENANCE_PAGE = (
    b"<!DOCTYPE html><html><head><title>Mimecast - Scheduled Maintenance</title></head>"
    b"<body><h1>We'll be back soon</h1><p>The service is undergoing maintenance.</p>"
    b"</body></html>"
)

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MC_DATE = re.compile(
    rf"({'|'.join(_DAYS)}), (\d{{1,2}}) ({'|'.join(_MONTHS)}) (\d{{4}}) "
    r"(\d{2}):(\d{2}):(\d{2}) (UTC|GMT)"
)


def parse_mc_date(text: str) -> datetime | None:
    """Parse `Tue, 24 Nov 2015 12:50:11 UTC` with fixed English names (never the locale).

    A weekday that does not match the date is rejected too: it betrays a hand-rolled formatter.
    """
    match = _MC_DATE.fullmatch(text.strip())
    if not match:
        return None
    day_name, day, month, year, hour, minute, second, _zone = match.groups()
    try:
        moment = datetime(
            int(year),
            _MONTHS.index(month) + 1,
            int(day),
            int(hour),
            int(minute),
            int(second),
            tzinfo=UTC,
        )
    except ValueError:
        return None
    return moment if _DAYS[moment.weekday()] == day_name else None


@dataclass
class Fault:
    """What the next get-campaigns request(s) get instead of the normal answer."""

    kind: str
    times: int = 1  # requests it applies to; -1 = until clear_faults()
    reset_ms: int = 1500  # X-RateLimit-Reset for http_429
    code: str | None = None  # overrides the fail code (fail_in_200 and the other error kinds)

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; one of {sorted(FAULT_KINDS)}")
        if self.times == 0 or self.times < -1:
            raise ValueError("times must be positive, or -1 for 'until cleared'")


class RequestRecord(NamedTuple):
    """One request as received; header names are lower-cased for easy lookup."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class _Reply(Exception):
    """Raised inside a handler to answer with an error envelope and stop processing."""

    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def fail_envelope(status: int, code: str, message: str) -> dict[str, Any]:
    """Mimecast's error body: an empty `data` and one `fail` entry."""
    return {
        "meta": {"status": status},
        "data": [],
        "fail": [{"errors": [{"code": code, "message": message, "retryable": False}]}],
    }


class MimecastSimulator:
    """Serves get-campaigns (API 1.0 signatures or 2.0 bearer tokens) and /oauth/token."""

    def __init__(
        self,
        campaigns: list[dict[str, Any]] | None = None,
        *,
        keys: SigningKeys = DEMO_KEYS,
        client_id: str = DEMO_CLIENT_ID,
        client_secret: str = DEMO_CLIENT_SECRET,
        host: str = "127.0.0.1",
        port: int = 0,
        delay: float = 0.0,
        token_ttl: int = 1800,
        max_clock_skew: int = 900,
        rate_limit: int = 800,
        rate_window: float = 60.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.keys = keys
        self.client_id = client_id
        self.client_secret = client_secret
        self.host = host
        self.port = port
        self.token_ttl = token_ttl
        self.max_clock_skew = max_clock_skew
        self.rate_limit = rate_limit
        self.rate_window = rate_window
        self._clock = clock
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._stopping = threading.Event()
        self._campaigns = (
            list(campaigns) if campaigns is not None else sample_tenant(datetime.now(UTC))
        )
        self._delay = delay
        self._faults: deque[list[Any]] = deque()  # [Fault, remaining uses]
        self._tokens: dict[str, float] = {}  # token -> expiry (clock seconds)
        self._seen_req_ids: dict[str, float] = {}
        self._rate_started = 0.0
        self._rate_used = 0
        self._calls = 0
        self._token_calls = 0
        self._requests: list[RequestRecord] = []
        self._connections: set[socket.socket] = set()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> MimecastSimulator:
        """Bind and serve in a daemon thread; returns self so calls can be chained."""
        if self._server is not None:
            raise RuntimeError("simulator already started")
        self._stopping.clear()
        server = _Server((self.host, self.port), self)
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="mimecast-simulator",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; releases hanging and delayed requests and idle keep-alive connections."""
        server, self._server = self._server, None
        self._stopping.set()
        if server is None:
            return
        server.shutdown()
        server.server_close()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):  # already closed by the client
                conn.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> MimecastSimulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("simulator not started")
        address = self._server.server_address
        host = address[0].decode() if isinstance(address[0], bytes) else str(address[0])
        port = address[1]
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}"

    # -- control ---------------------------------------------------------------------------

    def set_campaigns(self, campaigns: list[dict[str, Any]]) -> None:
        with self._lock:
            self._campaigns = list(campaigns)

    def set_delay(self, seconds: float) -> None:
        """Every get-campaigns answer waits this long first (released early by stop())."""
        with self._lock:
            self._delay = max(0.0, seconds)

    def push_fault(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append([fault, fault.times])

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def revoke_tokens(self) -> None:
        """Invalidate every issued OAuth token, as an admin revoking the API client would."""
        with self._lock:
            self._tokens.clear()

    def reset_counters(self) -> None:
        with self._lock:
            self._calls = 0
            self._token_calls = 0
            self._requests.clear()

    def wait_for_calls(self, count: int, timeout: float = 5.0) -> bool:
        """Block until `calls` reaches `count` (tests await this instead of sleeping)."""
        with self._changed:
            return self._changed.wait_for(lambda: self._calls >= count, timeout)

    @property
    def calls(self) -> int:
        """get-campaigns requests received, rejected ones included."""
        with self._lock:
            return self._calls

    @property
    def token_calls(self) -> int:
        with self._lock:
            return self._token_calls

    @property
    def requests(self) -> list[RequestRecord]:
        """A snapshot of every request received, in order."""
        with self._lock:
            return list(self._requests)

    # -- state used by the handler ---------------------------------------------------------

    def _record(self, record: RequestRecord) -> None:
        with self._changed:
            self._requests.append(record)
            if record.path == CAMPAIGNS_PATH:
                self._calls += 1
            elif record.path == TOKEN_PATH:
                self._token_calls += 1
            self._changed.notify_all()

    def _next_fault(self) -> Fault | None:
        with self._lock:
            if not self._faults:
                return None
            entry = self._faults[0]
            fault: Fault = entry[0]
            if entry[1] > 0:
                entry[1] -= 1
                if entry[1] == 0:
                    self._faults.popleft()
            return fault

    def _current_delay(self) -> float:
        with self._lock:
            return self._delay

    def _snapshot(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._campaigns)

    def _consume_rate(self) -> tuple[int, int]:
        """Take one unit of the fixed-window budget: (remaining, ms until the window resets)."""
        with self._lock:
            now = self._clock()
            if now - self._rate_started >= self.rate_window:
                self._rate_started, self._rate_used = now, 0
            self._rate_used += 1
            remaining = self.rate_limit - self._rate_used
            reset_ms = int((self._rate_started + self.rate_window - now) * 1000)
            return remaining, max(0, reset_ms)

    def _issue_token(self) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens[token] = self._clock() + self.token_ttl
        return token

    def _token_valid(self, token: str) -> bool:
        with self._lock:
            expiry = self._tokens.get(token)
            return expiry is not None and self._clock() < expiry

    def _claim_request_id(self, request_id: str) -> bool:
        """False when the id was already used within the replay window."""
        with self._lock:
            now = self._clock()
            for old, seen in list(self._seen_req_ids.items()):
                if now - seen > REPLAY_WINDOW:
                    del self._seen_req_ids[old]
            if request_id in self._seen_req_ids:
                return False
            self._seen_req_ids[request_id] = now
            return True

    def _track(self, conn: socket.socket, *, add: bool) -> None:
        with self._lock:
            if add:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # bursts of concurrent bots must not be refused by the kernel

    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], simulator: MimecastSimulator) -> None:
        self.simulator = simulator
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)


def _secret_equal(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like the pooled sessions clients use
    server_version = "MimecastSimulator/1.0"

    def version_string(self) -> str:
        return self.server_version

    @property
    def sim(self) -> MimecastSimulator:
        assert isinstance(self.server, _Server)
        return self.server.simulator

    def setup(self) -> None:
        super().setup()
        self.sim._track(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.sim._track(self.connection, add=False)

    def log_message(self, format: str, *args: Any) -> None:
        # Request lines only (method, path, status): never headers, so never a key or token.
        log.debug("simulator %s: %s", self.address_string(), format % args)

    # -- dispatch --------------------------------------------------------------------------

    def do_POST(self) -> None:
        self._dispatch()

    do_GET = do_PUT = do_DELETE = do_PATCH = do_POST

    def _dispatch(self) -> None:
        path = urlsplit(self.path).path
        headers = {name.lower(): value for name, value in self.headers.items()}
        try:
            body = self._read_body()
        except _Reply as reply:
            self.sim._record(RequestRecord(self.command, path, headers, b""))
            self.close_connection = True  # the unread body would corrupt the next request
            self._reply_fail(reply)
            return
        self.sim._record(RequestRecord(self.command, path, headers, body))
        if path == CAMPAIGNS_PATH:
            self._campaigns(path, body)
        elif path == TOKEN_PATH:
            self._token(body)
        else:
            self._reply_fail(_Reply(404, "err_resource_not_found", f"No such endpoint: {path}"))

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            raise _Reply(411, "err_length_required", "Content-Length is required")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise _Reply(400, "err_bad_request", "Invalid Content-Length") from None
        if length < 0 or length > MAX_BODY:
            raise _Reply(413, "err_request_too_large", "Request body too large")
        return self.rfile.read(length) if length else b""

    # -- get-campaigns ---------------------------------------------------------------------

    def _campaigns(self, path: str, body: bytes) -> None:
        fault = self.sim._next_fault()
        delay = self.sim._current_delay()
        if delay > 0 and self.sim._stopping.wait(delay):
            self.close_connection = True  # stopping: drop it rather than answer late
            return
        remaining, reset_ms = self.sim._consume_rate()
        rate = {
            "X-RateLimit-Limit": str(self.sim.rate_limit),
            "X-RateLimit-Remaining": str(max(0, remaining)),
            "X-RateLimit-Reset": str(reset_ms),
        }
        if fault is not None:
            self._fault(fault, rate)
            return
        try:
            if self.command != "POST":
                raise _Reply(405, "err_method_not_allowed", "Use POST", {"Allow": "POST"})
            self._authenticate(path)
            if remaining < 0:
                # The code is the simulator's choice; the 429 and the header are Mimecast's.
                raise _Reply(429, "err_rate_limit_exceeded", "Quota exceeded")
            self._parse_json_object(body)
        except _Reply as reply:
            reply.headers = {**rate, **reply.headers}
            self._reply_fail(reply)
            return
        envelope = {
            "meta": {"status": 200},
            "data": [{"campaigns": self.sim._snapshot()}],
            "fail": [],
        }
        self._reply_json(200, envelope, rate)

    def _authenticate(self, path: str) -> None:
        """API 2.0 bearer token, or API 1.0 signature over the path only; raises _Reply."""
        authorization = self.headers.get("Authorization", "")
        if authorization[:7].lower() == "bearer ":
            if not self.sim._token_valid(authorization[7:].strip()):
                # Code is the simulator's choice (RFC 6750 names the error `invalid_token`).
                raise _Reply(
                    401,
                    "invalid_token",
                    "The access token is invalid, expired or revoked",
                    {"WWW-Authenticate": 'Bearer error="invalid_token"'},
                )
            return

        required = ("Authorization", "x-mc-app-id", "x-mc-date", "x-mc-req-id")
        missing = [name for name in required if not self.headers.get(name)]
        if missing:  # code is the simulator's choice
            raise _Reply(401, "err_xdk_missing_header", f"Missing header(s): {', '.join(missing)}")
        app_id = self.headers.get("x-mc-app-id", "")
        date = self.headers.get("x-mc-date", "")
        request_id = self.headers.get("x-mc-req-id", "")

        if not _secret_equal(app_id, self.sim.keys.app_id):
            # Seen for real: an unknown app id is reported under HTTP 200.
            raise _Reply(200, "err_developer_key", f"App ID is invalid: {app_id}")

        moment = parse_mc_date(date)
        skew = abs(self.sim._clock() - moment.timestamp()) if moment else None
        if skew is None or skew > self.sim.max_clock_skew:
            # Code is the simulator's choice: Mimecast rejects stale or unreadable dates.
            raise _Reply(401, "err_xdk_invalid_date", "Invalid or expired x-mc-date")

        scheme, _, credentials = authorization.partition(" ")
        access_key, _, given = credentials.strip().partition(":")
        expected = signature(
            self.sim.keys.secret_key, self.sim.keys.app_key, date, request_id, path
        )
        if (
            scheme != "MC"
            or not _secret_equal(access_key, self.sim.keys.access_key)
            or not _secret_equal(given, expected)
        ):
            raise _Reply(401, "err_xdk_invalid_signature", "0004 Invalid Signature")

        if not self.sim._claim_request_id(request_id):
            # Simulator's strictness: a request id reused within 15 minutes is a replay.
            raise _Reply(401, "err_xdk_invalid_req_id", "Request id already used")

    @staticmethod
    def _parse_json_object(body: bytes) -> dict[str, Any]:
        try:
            parsed = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            # Code is the simulator's choice; e.g. the doc's `str(payload)` Python repr ends here.
            raise _Reply(400, "err_json_parse", "Request body is not valid JSON") from None
        if not isinstance(parsed, dict):
            raise _Reply(400, "err_json_parse", "Request body must be a JSON object")
        return parsed

    def _fault(self, fault: Fault, rate: dict[str, str]) -> None:
        kind = fault.kind
        if kind == "hang":
            self._wait_until_stopped_or_abandoned()
            self.close_connection = True
        elif kind == "close":
            self.close_connection = True  # no status line at all
        elif kind == "html":
            self._send(502, _GATEWAY_PAGE, "text/html")
        elif kind == "html_200":
            self._send(200, _MAINTENANCE_PAGE, "text/html; charset=utf-8")
        elif kind == "malformed_json":
            envelope = {"meta": {"status": 200}, "data": [{"campaigns": self.sim._snapshot()}]}
            whole = json.dumps(envelope, ensure_ascii=False).encode()
            self._send(200, whole[: max(1, len(whole) // 2)], "application/json", rate)
        elif kind == "wrong_types":
            wrong = {"meta": {"status": 200}, "data": [{"campaigns": "unavailable"}], "fail": []}
            self._reply_json(200, wrong, rate)
        else:
            status, code, message = _FAULT_ERRORS[kind]
            headers = dict(rate)
            if kind == "developer_key":
                message = f"{message}: {self.headers.get('x-mc-app-id', '')}"
            if kind == "http_429":
                headers.update(
                    {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(fault.reset_ms)}
                )
            self._reply_fail(_Reply(status, fault.code or code, message, headers))

    def _wait_until_stopped_or_abandoned(self) -> None:
        """Hold the request until stop(), or until the client gives up and closes its end."""
        while not self.sim._stopping.wait(0.05):
            try:
                readable, _, _ = select.select([self.connection], [], [], 0)
                if readable and not self.connection.recv(1, socket.MSG_PEEK):
                    return
            except OSError:
                return

    # -- /oauth/token ----------------------------------------------------------------------

    def _token(self, body: bytes) -> None:
        """OAuth 2.0 client credentials; errors use RFC 6749's shape, as token endpoints do."""
        if self.command != "POST":
            self._oauth_error(405, "invalid_request", {"Allow": "POST"})
            return
        content_type = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type != "application/x-www-form-urlencoded":
            self._oauth_error(400, "invalid_request")
            return
        form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)

        def one(name: str) -> str | None:
            values = form.get(name)
            return values[0] if values and len(values) == 1 else None

        client_id, client_secret = one("client_id"), one("client_secret")
        basic = self.headers.get("Authorization", "")
        if basic[:6].lower() == "basic ":  # RFC 6749 2.3.1 also allows HTTP Basic
            try:
                decoded = base64.b64decode(basic[6:].strip(), validate=True).decode()
            except ValueError:
                decoded = ""
            client_id, _, client_secret = decoded.partition(":")
        grant_type = one("grant_type")
        if grant_type is None:
            self._oauth_error(400, "invalid_request")
        elif grant_type != "client_credentials":
            self._oauth_error(400, "unsupported_grant_type")
        elif not (
            client_id is not None
            and client_secret is not None
            and _secret_equal(client_id, self.sim.client_id)
            and _secret_equal(client_secret, self.sim.client_secret)
        ):
            self._oauth_error(401, "invalid_client")
        else:
            answer = {
                "access_token": self.sim._issue_token(),
                "token_type": "Bearer",
                "expires_in": self.sim.token_ttl,
            }
            self._reply_json(200, answer, {"Cache-Control": "no-store", "Pragma": "no-cache"})

    def _oauth_error(self, status: int, error: str, headers: dict[str, str] | None = None) -> None:
        self._reply_json(status, {"error": error}, {"Cache-Control": "no-store", **(headers or {})})

    # -- writing ---------------------------------------------------------------------------

    def _reply_fail(self, reply: _Reply) -> None:
        envelope = fail_envelope(reply.status, reply.code, reply.message)
        self._reply_json(reply.status, envelope, reply.headers)

    def _reply_json(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self._send(status, data, "application/json", headers)

    def _send(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
        except OSError:
            self.close_connection = True  # the client went away; nothing left to tell it
