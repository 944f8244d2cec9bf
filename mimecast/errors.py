"""Typed Mimecast failures, each with a message a Slack user can act on.

`code` is Mimecast's error code (or an HTTP-derived one) for log lines; `user_message` is
plain text meant for people and never contains a secret.
"""

from __future__ import annotations


class MimecastError(Exception):
    """Base class: something kept the bot from getting an answer from Mimecast."""

    code: str = "mimecast_error"
    user_message: str = "Mimecast did not answer as expected. Try again in a minute."
    retryable: bool = False

    def __init__(
        self,
        detail: str = "",
        *,
        code: str | None = None,
        status: int | None = None,
    ) -> None:
        self.detail = detail
        if code:
            self.code = code
        self.status = status
        super().__init__(f"{self.code}: {detail}" if detail else self.code)


class AuthenticationError(MimecastError):
    """401, err_xdk_invalid_signature, err_developer_key, or a rejected OAuth client."""

    code = "err_xdk_invalid_signature"
    user_message = (
        "Mimecast rejected the bot's keys. An administrator should check MIMECAST_APP_ID, "
        "MIMECAST_APP_KEY, MIMECAST_ACCESS_KEY and MIMECAST_SECRET_KEY (or MIMECAST_CLIENT_ID / "
        "MIMECAST_CLIENT_SECRET), then run `python bot.py check`."
    )


class PermissionDeniedError(MimecastError):
    """403: the API user lacks Awareness Training | Dashboard | Read."""

    code = "http_403"
    user_message = (
        "Mimecast refused access: the API user needs the Awareness Training | Dashboard | Read "
        "permission. An administrator can grant it in Administration > Account > Roles."
    )


class KeysExpiredError(MimecastError):
    """418 binding expired: the access/secret key pair's lifetime lapsed."""

    code = "http_418"
    user_message = (
        "The Mimecast keys have expired: an administrator should create new ones in "
        "Administration > Services > API and update MIMECAST_ACCESS_KEY / MIMECAST_SECRET_KEY."
    )


class RateLimitedError(MimecastError):
    """429 quota exceeded; `retry_after` is how long Mimecast asked us to wait, in seconds."""

    code = "http_429"
    retryable = True

    def __init__(self, retry_after: float, detail: str = "", *, code: str | None = None) -> None:
        self.retry_after = max(0.0, retry_after)
        super().__init__(detail or f"rate limited for {self.retry_after:.1f}s", code=code)

    @property
    def user_message(self) -> str:  # type: ignore[override]
        seconds = max(1, round(self.retry_after + 0.4999))
        return f"Mimecast's rate limit was reached. Try again in {seconds} seconds."


class UpstreamError(MimecastError):
    """5xx, timeouts, connection failures, or an answer that is not the JSON we expect."""

    code = "upstream_error"
    retryable = True
    user_message = "Mimecast is unreachable or too slow right now. Try again in a few minutes."


class RequestRejectedError(MimecastError):
    """Any other error Mimecast reports (4xx, or a `fail` entry we do not know)."""

    code = "request_rejected"
    user_message = (
        "Mimecast rejected the request. If this persists, run `python bot.py check` "
        "and look at the bot's log for the error code."
    )
