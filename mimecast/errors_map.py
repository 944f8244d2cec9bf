"""Map a Mimecast HTTP answer to a typed error: the `fail` list is the truth, not the status."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mimecast.errors import (
    AuthenticationError,
    KeysExpiredError,
    MimecastError,
    PermissionDeniedError,
    RateLimitedError,
    RequestRejectedError,
    UpstreamError,
)

AUTH_CODES = frozenset(
    {
        "err_xdk_invalid_signature",
        "err_developer_key",
        "err_xdk_invalid_access_key",
        "err_xdk_invalid_app_id",
        "err_xdk_invalid_date",
        "err_xdk_invalid_req_id",
        "err_xdk_binding_expired",
        "invalid_client",
        "invalid_token",
        "unauthorized",
    }
)


def fail_entries(body: Any) -> list[tuple[str, str]]:
    """(code, message) pairs from `fail`, in 1.0 (`fail[].errors[]`) or 2.0 (`fail[].code`) form."""
    if not isinstance(body, Mapping):
        return []
    fail = body.get("fail")
    if not isinstance(fail, list):
        return []
    found: list[tuple[str, str]] = []
    for entry in fail:
        if not isinstance(entry, Mapping):
            continue
        errors = entry.get("errors")
        items = errors if isinstance(errors, list) else [entry]
        for item in items:
            if isinstance(item, Mapping) and item.get("code"):
                found.append((str(item.get("code")), str(item.get("message") or "")))
    return found


def rate_limit_reset_seconds(headers: Mapping[str, str], default: float = 1.0) -> float:
    """`X-RateLimit-Reset` is milliseconds until capacity returns (Mimecast's convention)."""
    value = headers.get("X-RateLimit-Reset") or headers.get("x-ratelimit-reset")
    try:
        return max(0.0, float(value) / 1000.0) if value is not None else default
    except ValueError:
        return default


def error_for(
    status: int, body: Any, headers: Mapping[str, str], *, json_ok: bool
) -> MimecastError | None:
    """The error an answer stands for, or None when it is a usable success."""
    entries = fail_entries(body) if json_ok else []
    code, message = entries[0] if entries else ("", "")
    codes = {c for c, _ in entries}

    if status == 429:
        return RateLimitedError(rate_limit_reset_seconds(headers), message, code=code or None)
    if status == 418 or "err_xdk_binding_expired" in codes:
        return KeysExpiredError(message, code=code or "http_418", status=status)
    if status == 401 or codes & AUTH_CODES:
        return AuthenticationError(message, code=code or "http_401", status=status)
    if status == 403:
        return PermissionDeniedError(message, code=code or "http_403", status=status)
    if status >= 500:
        return UpstreamError(
            message or f"HTTP {status}", code=code or f"http_{status}", status=status
        )
    if not json_ok:
        return UpstreamError("answer is not JSON", code="malformed_response", status=status)
    if status >= 400:
        return RequestRejectedError(message, code=code or f"http_{status}", status=status)
    if entries:
        return RequestRejectedError(message, code=code, status=status)
    if not isinstance(body, Mapping):
        return UpstreamError(
            "answer is not a JSON object", code="malformed_response", status=status
        )
    return None
