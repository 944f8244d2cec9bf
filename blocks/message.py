"""The one shape every builder returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Message:
    """A Slack message: plain-text fallback (mrkdwn-escaped, never empty) and Block Kit blocks."""

    text: str
    blocks: list[dict[str, Any]]

    def payload(self) -> dict[str, Any]:
        """Keyword arguments for `respond(...)` / `chat_postMessage(...)`."""
        return {"text": self.text, "blocks": list(self.blocks)}
