"""What the listeners share: the campaign service, the answer pool, the access policy, the clock,
and the digest's poster and store."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
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


@dataclass(frozen=True)
class BotContext:
    service: CampaignService
    pool: Executor
    access: AccessPolicy
    tz: ZoneInfo
    now: Callable[[], datetime]
    digest: DigestDesk | None = None
