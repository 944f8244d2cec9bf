"""API 1.0 request signing (HMAC-SHA1), as Mimecast's Authorization guide describes.

Written by hand because no maintained library signs Mimecast 1.0 requests; the scheme is small
and fixed, and the published test vector in tests/test_signing.py pins it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

# English names, whatever the process locale: strftime's %a/%b follow LC_TIME.
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, repr=False)
class SigningKeys:
    app_id: str
    app_key: str
    access_key: str
    secret_key: str

    def __repr__(self) -> str:  # never print secrets, even in a debugger or a traceback
        return f"SigningKeys(app_id={self.app_id!r}, access_key=***, app_key=***, secret_key=***)"


def mc_date(moment: datetime | None = None) -> str:
    """Format a time as Mimecast's `x-mc-date`: `Tue, 24 Nov 2015 12:50:11 UTC`."""
    t = (moment or datetime.now(UTC)).astimezone(UTC)
    return (
        f"{_DAYS[t.weekday()]}, {t.day:02d} {_MONTHS[t.month - 1]} {t.year} "
        f"{t.hour:02d}:{t.minute:02d}:{t.second:02d} UTC"
    )


def signature(secret_key: str, app_key: str, date: str, request_id: str, uri: str) -> str:
    """base64(HMAC-SHA1(base64decode(secret), "date:req_id:uri:app_key"))."""
    message = f"{date}:{request_id}:{uri}:{app_key}".encode()
    digest = hmac.new(base64.b64decode(secret_key), message, hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def signed_headers(
    keys: SigningKeys, uri: str, *, date: str | None = None, request_id: str | None = None
) -> dict[str, str]:
    """Headers that authenticate one request to `uri` (the path only, never the full URL)."""
    date = date or mc_date()
    request_id = request_id or str(uuid.uuid4())
    sig = signature(keys.secret_key, keys.app_key, date, request_id, uri)
    return {
        "Authorization": f"MC {keys.access_key}:{sig}",
        "x-mc-app-id": keys.app_id,
        "x-mc-date": date,
        "x-mc-req-id": request_id,
    }
