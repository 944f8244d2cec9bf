"""Cached, coalesced access to the campaign list.

Many Slack users asking at once must cost one Mimecast call: the first caller fetches, the
others wait for its result (single flight). A fresh result is reused for `ttl` seconds; the
last good list is kept to show beside an error when Mimecast is down.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from mimecast.models import Campaign, CampaignBatch


class CampaignSource(Protocol):
    def get_campaigns(self) -> CampaignBatch: ...


@dataclass(frozen=True)
class Snapshot:
    campaigns: tuple[Campaign, ...]
    fetched_at: datetime
    skipped: int = 0

    def by_id(self, campaign_id: str) -> Campaign | None:
        return next((c for c in self.campaigns if c.id == campaign_id), None)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class CampaignService:
    def __init__(
        self,
        source: CampaignSource,
        ttl: float = 60.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self._source = source
        self._ttl = ttl
        self._clock = clock
        self._wall_clock = wall_clock
        self._lock = threading.Lock()
        self._cached: Snapshot | None = None
        self._cached_at = 0.0
        self._in_flight: Future[Snapshot] | None = None

    def snapshot(self) -> Snapshot:
        """The current list: cached when fresh, else fetched once for all concurrent callers."""
        with self._lock:
            if self._cached is not None and self._clock() - self._cached_at < self._ttl:
                return self._cached
            flight = self._in_flight
            leader = flight is None
            if flight is None:
                flight = self._in_flight = Future()
        if not leader:
            return flight.result()
        try:
            batch = self._source.get_campaigns()
            snapshot = Snapshot(batch.campaigns, self._wall_clock(), batch.skipped)
        except BaseException as exc:
            with self._lock:
                self._in_flight = None
            flight.set_exception(exc)
            raise
        with self._lock:
            self._cached, self._cached_at = snapshot, self._clock()
            self._in_flight = None
        flight.set_result(snapshot)
        return snapshot

    def last_good(self) -> Snapshot | None:
        """The last list Mimecast gave, however old (for showing beside an error)."""
        with self._lock:
            return self._cached
