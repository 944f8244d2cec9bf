"""One view of Mimecast's rate-limit headers, shared by every thread of the process.

Mimecast counts requests per API user across all its keys; when one thread learns the budget is
spent, the others must hold back too, or the bot causes a storm of 429s on its own.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Mapping

from mimecast.errors_map import rate_limit_reset_seconds


class RateLimitGate:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._blocked_until = 0.0
        self.remaining: int | None = None

    def wait_needed(self) -> float:
        """Seconds to wait before the next request may go out (0 when free)."""
        with self._lock:
            return max(0.0, self._blocked_until - self._clock())

    def block_for(self, seconds: float) -> None:
        with self._lock:
            self._blocked_until = max(self._blocked_until, self._clock() + seconds)

    def observe(self, status: int, headers: Mapping[str, str]) -> None:
        """Learn from an answer's headers: a 429, or a budget that reached zero, closes the gate."""
        remaining = headers.get("X-RateLimit-Remaining")
        with contextlib.suppress(ValueError):
            self.remaining = int(remaining) if remaining is not None else self.remaining
        if status == 429 or self.remaining == 0:
            self.block_for(rate_limit_reset_seconds(headers))
