"""How a campaign is doing, in one word and one emoji (shared by every message)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Final

from mimecast.models import Campaign, Status

ON_TRACK_PERCENT: Final = 50
FAR_BEHIND_PERCENT: Final = 25
FAR_BEHIND_AFTER_DAYS: Final = 14
# Mimecast reminds users once a week: a campaign gets its first week before it counts as behind.
GRACE_DAYS: Final = 7


class Health(StrEnum):
    PENDING = "pending"
    DONE = "done"
    ON_TRACK = "on track"
    BEHIND = "behind"
    FAR_BEHIND = "far behind"


EMOJI: Final = {
    Health.PENDING: "🕒",
    Health.DONE: "🟢",
    Health.ON_TRACK: "🟢",
    Health.BEHIND: "🟡",
    Health.FAR_BEHIND: "🔴",
}
LOCKED_EMOJI: Final = "🔒"


def days_since_launch(campaign: Campaign, now: datetime) -> float | None:
    if campaign.launch_date is None:
        return None
    return (now - campaign.launch_date).total_seconds() / 86400


def campaign_health(campaign: Campaign, now: datetime) -> Health:
    """🟢 done, >= 50% complete or in its first week; 🔴 under 25% after 14 days; 🟡 otherwise."""
    if campaign.status(now) is Status.PENDING:
        return Health.PENDING
    percent = campaign.percent_complete
    if percent >= 100:
        return Health.DONE
    if percent >= ON_TRACK_PERCENT:
        return Health.ON_TRACK
    age = days_since_launch(campaign, now)
    if age is not None and age < GRACE_DAYS:
        return Health.ON_TRACK
    if age is not None and age > FAR_BEHIND_AFTER_DAYS and percent < FAR_BEHIND_PERCENT:
        return Health.FAR_BEHIND
    return Health.BEHIND


def health_emoji(campaign: Campaign, now: datetime) -> str:
    return EMOJI[campaign_health(campaign, now)]
