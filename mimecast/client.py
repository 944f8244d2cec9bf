"""The Mimecast API client: one session, timeouts, bounded retries, shared rate-limit view."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import Any, Protocol

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from mimecast.auth import ClientCredentials, HmacAuth, OAuthTokenAuth
from mimecast.errors import (
    AuthenticationError,
    MimecastError,
    RateLimitedError,
    UpstreamError,
)
from mimecast.errors_map import error_for
from mimecast.models import CampaignBatch, parse_campaigns
from mimecast.ratelimit import RateLimitGate
from mimecast.signing import SigningKeys

log = logging.getLogger(__name__)

GET_CAMPAIGNS = "/api/awareness-training/campaign/get-campaigns"


class Auth(Protocol):
    kind: str

    def headers(self, path: str) -> dict[str, str]: ...

    def invalidate(self) -> bool: ...


def build_session(connect_retries: int = 2, pool_size: int = 16) -> requests.Session:
    """A pooled session; urllib3 retries only failures to connect (nothing was sent yet).

    Retries after the request reached Mimecast (5xx, 429) are done by `MimecastClient` itself,
    because each attempt must be re-signed with a fresh date and request id.
    """
    retry = Retry(
        total=None,
        connect=connect_retries,
        read=0,
        status=0,
        other=0,
        redirect=0,
        backoff_factor=0.2,
        raise_on_status=False,
    )
    adapter = HTTPAdapter(max_retries=retry, pool_connections=4, pool_maxsize=pool_size)
    session = requests.Session()
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


def _log_failure(path: str, exc: MimecastError) -> None:
    """The one log line per failed call: the code an administrator can look up, no secrets."""
    log.warning(
        "mimecast %s failed: code=%s status=%s type=%s",
        path,
        exc.code,
        exc.status,
        type(exc).__name__,
    )


def _final(error: UpstreamError) -> UpstreamError:
    error.retryable = False
    return error


class MimecastClient:
    def __init__(
        self,
        base_url: str,
        *,
        keys: SigningKeys | None = None,
        credentials: ClientCredentials | None = None,
        session: requests.Session | None = None,
        timeout: tuple[float, float] = (3.05, 10.0),
        server_error_retries: int = 2,
        backoff: float = 0.5,
        max_rate_limit_wait: float = 2.0,
        gate: RateLimitGate | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if credentials is None and keys is None:
            raise ValueError("Mimecast credentials missing: API 1.0 keys or API 2.0 client")
        self.base_url = base_url.rstrip("/")
        self.session = session or build_session()
        self.timeout = timeout
        self.server_error_retries = server_error_retries
        self.backoff = backoff
        self.max_rate_limit_wait = max_rate_limit_wait
        self.gate = gate or RateLimitGate()
        self._sleep = sleep
        self.auth: Auth
        if credentials is not None:  # API 2.0 wins when both are configured (spec)
            self.auth = OAuthTokenAuth(
                credentials, f"{self.base_url}/oauth/token", self.session, timeout=timeout
            )
        else:
            assert keys is not None
            self.auth = HmacAuth(keys)

    # -- public API ------------------------------------------------------------------------

    def get_campaigns(self) -> CampaignBatch:
        """Every campaign, pending and launched (one call: the endpoint has no paging)."""
        envelope = self.post(GET_CAMPAIGNS, {"data": []})
        try:
            batch = parse_campaigns(envelope)
        except MimecastError as exc:
            _log_failure(GET_CAMPAIGNS, exc)
            raise
        if batch.skipped:
            log.warning("mimecast get-campaigns: skipped %d unreadable entries", batch.skipped)
        return batch

    def post(self, path: str, body: dict[str, Any]) -> Any:
        """POST a JSON body; return the parsed envelope or raise a typed MimecastError."""
        try:
            return self._post_with_retries(path, body)
        except MimecastError as exc:
            _log_failure(path, exc)
            raise

    # -- internals -------------------------------------------------------------------------

    def _post_with_retries(self, path: str, body: dict[str, Any]) -> Any:
        payload = json.dumps(body, separators=(",", ":"))
        server_errors = 0
        rate_limited = False
        reauthenticated = False
        developer_key_retried = False
        while True:
            self._respect_gate()
            try:
                return self._attempt(path, payload)
            except RateLimitedError as exc:
                if rate_limited or exc.retry_after > self.max_rate_limit_wait:
                    raise
                rate_limited = True  # a short wait, then one more try (the gate holds others)
            except AuthenticationError as exc:
                if exc.code == "err_developer_key" and not developer_key_retried:
                    developer_key_retried = True  # public clients see it as occasionally transient
                    continue
                if exc.status == 401 and not reauthenticated and self.auth.invalidate():
                    reauthenticated = True  # API 2.0: the token may have been revoked; mint once
                    continue
                raise
            except UpstreamError as exc:
                if not exc.retryable or server_errors >= self.server_error_retries:
                    raise
                self._sleep(self.backoff * (2**server_errors))
                server_errors += 1

    def _respect_gate(self) -> None:
        wait = self.gate.wait_needed()
        if wait <= 0:
            return
        if wait > self.max_rate_limit_wait:
            raise RateLimitedError(wait, "waiting out Mimecast's rate limit")
        self._sleep(wait)

    def _attempt(self, path: str, payload: str) -> Any:
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            **self.auth.headers(path),
        }
        try:
            response = self.session.post(
                self.base_url + path, data=payload.encode(), headers=headers, timeout=self.timeout
            )
        except requests.Timeout:
            # Not retried: the user already waited a full timeout; another would double it.
            raise _final(UpstreamError("Mimecast did not answer in time", code="timeout")) from None
        except requests.ConnectionError:
            # Not retried here: urllib3 already retried the connect (see build_session).
            raise _final(
                UpstreamError("could not connect to Mimecast", code="connection_error")
            ) from None
        except requests.RequestException as exc:
            raise UpstreamError(type(exc).__name__, code="transport_error") from None

        self.gate.observe(response.status_code, response.headers)
        try:
            body = response.json()
            json_ok = True
        except ValueError:
            body, json_ok = None, False
        error = error_for(response.status_code, body, response.headers, json_ok=json_ok)
        if error is not None:
            raise error
        return body
