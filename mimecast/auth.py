"""Credentials: API 1.0 HMAC keys, or API 2.0 OAuth client credentials with a cached token."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import requests

from mimecast.errors import AuthenticationError, UpstreamError
from mimecast.signing import SigningKeys, signed_headers

__all__ = ["ClientCredentials", "HmacAuth", "OAuthTokenAuth", "SigningKeys"]


@dataclass(frozen=True, repr=False)
class ClientCredentials:
    client_id: str
    client_secret: str

    def __repr__(self) -> str:
        return f"ClientCredentials(client_id={self.client_id!r}, client_secret=***)"


class HmacAuth:
    """Signs each attempt afresh: a new date and request id every time (never replayed)."""

    kind = "api1"

    def __init__(self, keys: SigningKeys) -> None:
        self.keys = keys

    def headers(self, path: str) -> dict[str, str]:
        return signed_headers(self.keys, path)

    def invalidate(self) -> bool:
        """Nothing to refresh: a 401 on HMAC is final."""
        return False


class OAuthTokenAuth:
    """Bearer token from `{base}/oauth/token`, cached until shortly before it expires."""

    kind = "api2"
    MARGIN_SECONDS = 60.0

    def __init__(
        self,
        credentials: ClientCredentials,
        token_url: str,
        session: requests.Session,
        *,
        timeout: tuple[float, float] = (3.05, 10.0),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.credentials = credentials
        self.token_url = token_url
        self._session = session
        self._timeout = timeout
        self._clock = clock
        self._lock = threading.Lock()
        self._token: str | None = None
        self._expires_at = 0.0

    def headers(self, path: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._current_token()}"}

    def invalidate(self) -> bool:
        """Drop the cached token so the next request mints a new one."""
        with self._lock:
            self._token = None
            self._expires_at = 0.0
        return True

    def _current_token(self) -> str:
        with self._lock:  # one mint at a time; other threads reuse its result
            if self._token is None or self._clock() >= self._expires_at:
                self._token, lifetime = self._mint()
                margin = min(self.MARGIN_SECONDS, lifetime / 10)
                self._expires_at = self._clock() + max(0.0, lifetime - margin)
            return self._token

    def _mint(self) -> tuple[str, float]:
        try:
            response = self._session.post(
                self.token_url,
                data={
                    "client_id": self.credentials.client_id,
                    "client_secret": self.credentials.client_secret,
                    "grant_type": "client_credentials",
                },
                headers={"Accept": "application/json"},
                timeout=self._timeout,
            )
        except requests.RequestException as exc:
            raise UpstreamError(type(exc).__name__, code="oauth_unreachable") from None
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code in (400, 401, 403):
            code = body.get("error") if isinstance(body, dict) else None
            raise AuthenticationError(
                "token request refused",
                code=str(code or "invalid_client"),
                status=response.status_code,
            )
        token = body.get("access_token") if isinstance(body, dict) else None
        if response.status_code != 200 or not isinstance(token, str) or not token:
            raise UpstreamError(
                f"token endpoint answered HTTP {response.status_code}",
                code="oauth_bad_answer",
                status=response.status_code,
            )
        try:
            lifetime = float(body.get("expires_in", 1800))
        except (TypeError, ValueError):
            lifetime = 1800.0
        return token, max(0.0, lifetime)
