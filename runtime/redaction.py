"""A logging filter that scrubs secrets from every record, whatever logged it."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

_PATTERNS = (
    re.compile(r"(Authorization['\"]?\s*[:=]\s*['\"]?)(MC\s+|Bearer\s+)?[^\s'\",}]+", re.I),
    re.compile(r"xox[abpre]-[A-Za-z0-9-]+"),
    re.compile(r"xapp-[A-Za-z0-9-]+"),
    re.compile(r"(client_secret=)[^&\s]+"),
    # response_url is a capability: whoever holds it may post into the channel for 30 minutes.
    re.compile(r"(https://hooks\.slack(?:-gov)?\.com/)[^\s'\",]+"),
)
MASK = "***"


class SecretRedactingFilter(logging.Filter):
    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        # Longest first, so a secret that contains another is masked whole; ignore trivial ones.
        self._secrets = sorted({s for s in secrets if s and len(s) >= 6}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        for pattern in _PATTERNS:
            text = pattern.sub(
                lambda m: (m.group(1) if m.groups() and m.group(1) else "") + MASK, text
            )
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = self.redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True
