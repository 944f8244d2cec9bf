"""Digest vocabulary shared by composition, storage and scheduling."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from mimecast.models import Campaign, Status


def aware(moment: datetime) -> datetime:
    """A naive time (SQLite hands them back; hand-built models) is taken as UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@dataclass(frozen=True, order=True)
class Period:
    """An ISO week in the digest's time zone: the unit of "once"."""

    year: int
    week: int

    @classmethod
    def containing(cls, moment: datetime, tz: tzinfo) -> Period:
        iso = moment.astimezone(tz).isocalendar()
        return cls(iso.year, iso.week)

    @classmethod
    def parse(cls, key: str) -> Period:
        year, week = key.split("-W")
        return cls(int(year), int(week))

    @property
    def key(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @property
    def first_day(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def last_day(self) -> date:
        return date.fromisocalendar(self.year, self.week, 7)

    def start(self, tz: tzinfo) -> datetime:
        return datetime.combine(self.first_day, time(0), tzinfo=tz)

    def end(self, tz: tzinfo) -> datetime:
        """The first instant after the period (Monday 00:00 of the next week)."""
        return datetime.combine(self.last_day + timedelta(days=1), time(0), tzinfo=tz)


@dataclass(frozen=True)
class CampaignSnapshot:
    """What the digest remembers of a campaign, to tell next week what changed."""

    campaign_id: str
    name: str
    launched: bool
    sent: int
    completed: int
    percent_complete: int
    percent_correct: int | None
    launch_date: datetime | None

    @classmethod
    def of(cls, campaign: Campaign, now: datetime) -> CampaignSnapshot:
        return cls(
            campaign_id=campaign.id,
            name=campaign.display_name,
            launched=campaign.status(now) is Status.LAUNCHED,
            sent=max(0, campaign.num_sent or 0),
            completed=max(0, campaign.num_completed or 0),
            percent_complete=campaign.percent_complete,
            percent_correct=campaign.clamped_percent_correct,
            launch_date=campaign.launch_date,
        )


@dataclass(frozen=True)
class PreviousDigest:
    """The last digest posted to the same channel, and the snapshots taken with it."""

    period: Period
    posted_at: datetime
    snapshots: dict[str, CampaignSnapshot]


@dataclass(frozen=True)
class Thresholds:
    """When a campaign counts as falling behind, and how far ahead launches are announced."""

    behind_after_days: int = 14
    behind_below_percent: int = 50
    upcoming_days: int = 7
