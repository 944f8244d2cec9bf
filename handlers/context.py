"""What the listeners share: the campaign service, the answer pool, the access policy, the clock,
and the digest's poster and store."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from campaigns.service import CampaignService
from digest.poster import DigestPoster
from digest.store import DigestStore
from handlers.access import AccessPolicy


@dataclass(frozen=True)
class DigestDesk:
    poster: DigestPoster
    store: DigestStore
    default_schedule: str
    default_channel: str | None
    zone_for: Callable[[str], ZoneInfo] | None = None  # a channel's digest zone


MAX_PENDING_ANSWERS = 2000  # answers waiting for the pool; beyond, users are told to retry


@dataclass(frozen=True)
class BotContext:
    service: CampaignService
    pool: Executor
    access: AccessPolicy
    tz: ZoneInfo
    now: Callable[[], datetime]
    digest: DigestDesk | None = None
    pending: threading.Semaphore = field(
        default_factory=lambda: threading.Semaphore(MAX_PENDING_ANSWERS)
    )
