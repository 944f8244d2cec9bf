"""What a digest says, before any Block Kit: the numbers of one period and what changed.

Pure: campaigns, the previous digest and the clock in, a `DigestSummary` out. Tolerant of any
campaign data Mimecast sends (missing counts, no launch date, huge numbers, repeated ids) and
never divides by zero. `blocks.digest` turns a summary into a message.

Conventions:
  - a campaign's state is `Campaign.status(now)` and `Campaign.percent_complete`, the same as
    every other message shows;
  - repeated ids: the first occurrence counts, later ones are ignored (one row per id, as in
    the stored snapshots);
  - overall completion is sum(completed) / sum(sent) over launched campaigns, each campaign's
    completed capped at its sent, floored like Mimecast's own percentages;
  - "days since launch" are calendar days in the digest's zone, as `/campaigns` shows them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from digest.model import CampaignSnapshot, Period, PreviousDigest, Thresholds, aware
from mimecast.models import Campaign, Status, percent


@dataclass(frozen=True)
class ActiveCampaign:
    """A launched campaign under 100%; `change` in % complete points since the previous digest
    (None when the previous digest had no snapshot of it, or there was none)."""

    campaign: Campaign
    change: int | None


@dataclass(frozen=True)
class BehindCampaign:
    """A campaign falling behind: `days` (calendar days) since launch, `change` as above."""

    campaign: Campaign
    days: int
    change: int | None


@dataclass(frozen=True)
class DigestSummary:
    """Everything one digest shows, computed once.

    `first`: there is no previous digest (changes are then None and the "since" lists empty).
    `since`: the period of the previous digest (None when first).
    `completed` / `sent` / `percent`: overall over the `launched_count` launched campaigns;
    `change`: points against the previous digest's overall (None when first, or when the
    previous digest had no user sent anything).
    `pending_count`: campaigns not launched yet (all of them, not only the upcoming ones).
    """

    period: Period
    now: datetime
    first: bool
    since: Period | None
    launched_count: int
    pending_count: int
    completed: int
    sent: int
    percent: int
    change: int | None
    # launched and under 100%: most complete first, then by name
    active: tuple[ActiveCampaign, ...]
    # launched now, and pending in the previous digest, or absent from it with a launch date
    # after it was posted (or none): newest launch first
    launched_since: tuple[Campaign, ...]
    # 100% now (sent > 0), under 100% or absent before: by name
    finished_since: tuple[Campaign, ...]
    # launched more than behind_after_days ago, under behind_below_percent: least complete first
    behind: tuple[BehindCampaign, ...]
    # pending, launching within upcoming_days from now: soonest first
    upcoming: tuple[Campaign, ...]

    @property
    def total(self) -> int:
        return self.launched_count + self.pending_count


def unique(campaigns: Iterable[Campaign]) -> list[Campaign]:
    """One campaign per id, the first occurrence kept, order preserved."""
    seen: set[str] = set()
    kept: list[Campaign] = []
    for campaign in campaigns:
        if campaign.id in seen:
            continue
        seen.add(campaign.id)
        kept.append(campaign)
    return kept


def _counts(sent: int | None, completed: int | None) -> tuple[int, int]:
    """(completed, sent), negatives read as 0 and completed capped at sent."""
    whole = max(0, sent or 0)
    return min(max(0, completed or 0), whole), whole


def _snapshot_percent(snapshot: CampaignSnapshot) -> int:
    return min(100, max(0, snapshot.percent_complete))


def _change(campaign: Campaign, previous: PreviousDigest | None) -> int | None:
    if previous is None:
        return None
    snapshot = previous.snapshots.get(campaign.id)
    if snapshot is None:
        return None
    return campaign.percent_complete - _snapshot_percent(snapshot)


def _previous_overall(previous: PreviousDigest) -> int | None:
    completed = sent = 0
    for snapshot in previous.snapshots.values():
        if snapshot.launched:
            done, whole = _counts(snapshot.sent, snapshot.completed)
            completed += done
            sent += whole
    return percent(completed, sent) if sent > 0 else None


def _calendar_days(moment: datetime, now: datetime, tz: tzinfo) -> int:
    """Calendar days from `moment` to `now` in `tz` (positive when `moment` is in the past)."""
    return (now.astimezone(tz).date() - aware(moment).astimezone(tz).date()).days


def _name_key(campaign: Campaign) -> tuple[str, str]:
    return (campaign.display_name.casefold(), campaign.id)


def _launched_since(
    launched: Sequence[Campaign], previous: PreviousDigest | None
) -> list[Campaign]:
    if previous is None:
        return []
    fresh = []
    for campaign in launched:
        snapshot = previous.snapshots.get(campaign.id)
        if snapshot is not None:
            if not snapshot.launched:
                fresh.append(campaign)
            continue
        # Absent last time: new, unless its launch date shows it was already running then
        # (the previous answer missed it), which would make "launched this week" untrue.
        launch = campaign.launch_date
        if launch is None or aware(launch) > aware(previous.posted_at):
            fresh.append(campaign)

    def newest_first(campaign: Campaign) -> tuple[int, float, str, str]:
        launch = campaign.launch_date
        stamp = -aware(launch).timestamp() if launch is not None else 0.0
        return (launch is None, stamp, *_name_key(campaign))

    return sorted(fresh, key=newest_first)


def _finished_since(
    launched: Sequence[Campaign], previous: PreviousDigest | None
) -> list[Campaign]:
    if previous is None:
        return []
    done = []
    for campaign in launched:
        if campaign.percent_complete < 100 or (campaign.num_sent or 0) <= 0:
            continue
        snapshot = previous.snapshots.get(campaign.id)
        if snapshot is None or _snapshot_percent(snapshot) < 100:
            done.append(campaign)
    return sorted(done, key=_name_key)


def _behind(
    active: Sequence[ActiveCampaign], now: datetime, tz: tzinfo, thresholds: Thresholds
) -> list[BehindCampaign]:
    behind = []
    for row in active:
        launch = row.campaign.launch_date
        if launch is None or row.campaign.percent_complete >= thresholds.behind_below_percent:
            continue
        days = _calendar_days(launch, now, tz)
        if days > thresholds.behind_after_days:
            behind.append(BehindCampaign(row.campaign, days, row.change))
    behind.sort(key=lambda b: (b.campaign.percent_complete, -b.days, *_name_key(b.campaign)))
    return behind


def _upcoming(pending: Sequence[Campaign], now: datetime, days: int) -> list[Campaign]:
    """Pending campaigns launching after `now` and at most `days` days (elapsed time) later."""
    horizon = now + timedelta(days=max(0, days))
    soon = [
        c for c in pending if c.launch_date is not None and now < aware(c.launch_date) <= horizon
    ]
    return sorted(soon, key=lambda c: (aware(c.launch_date or now), *_name_key(c)))


def summarize(
    campaigns: Sequence[Campaign],
    previous: PreviousDigest | None,
    *,
    now: datetime,
    tz: tzinfo,
    thresholds: Thresholds = Thresholds(),  # noqa: B008 - frozen dataclass, safe as a default
) -> DigestSummary:
    """The digest of the period (ISO week in `tz`) containing `now`."""
    now = aware(now)
    rows = unique(campaigns)
    launched = [c for c in rows if c.status(now) is Status.LAUNCHED]
    pending = [c for c in rows if c.status(now) is Status.PENDING]

    completed = sent = 0
    for campaign in launched:
        done, whole = _counts(campaign.num_sent, campaign.num_completed)
        completed += done
        sent += whole
    overall = percent(completed, sent)
    change: int | None = None
    if previous is not None:
        before = _previous_overall(previous)
        change = None if before is None else overall - before

    active = [ActiveCampaign(c, _change(c, previous)) for c in launched if c.percent_complete < 100]
    active.sort(key=lambda a: (-a.campaign.percent_complete, *_name_key(a.campaign)))

    return DigestSummary(
        period=Period.containing(now, tz),
        now=now,
        first=previous is None,
        since=None if previous is None else previous.period,
        launched_count=len(launched),
        pending_count=len(pending),
        completed=completed,
        sent=sent,
        percent=overall,
        change=change,
        active=tuple(active),
        launched_since=tuple(_launched_since(launched, previous)),
        finished_since=tuple(_finished_since(launched, previous)),
        behind=tuple(_behind(active, now, tz, thresholds)),
        upcoming=tuple(_upcoming(pending, now, thresholds.upcoming_days)),
    )


def snapshots_of(campaigns: Sequence[Campaign], now: datetime) -> list[CampaignSnapshot]:
    """What to store with a posted digest: one snapshot per campaign id (first one wins)."""
    now = aware(now)
    return [CampaignSnapshot.of(campaign, now) for campaign in unique(campaigns)]
