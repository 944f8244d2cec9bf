"""When digests go out: APScheduler 3 cron jobs per channel, catch-up and retries.

Each target channel gets one cron job (stable id `digest:<channel>`, coalescing, a misfire
grace time). A digest whose time came while no scheduler ran is posted at start-up while its
period lasts; a transient failure is retried with backoff within the period. The ledger, not
the scheduler, guarantees "once": several schedulers may fire for the same period.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from digest.cron import crontab_trigger
from digest.model import Period
from digest.poster import DEFAULT_LEASE, Outcome, Result
from digest.store import CLAIMED, POSTED, DigestStore

log = logging.getLogger(__name__)

RETRY_DELAYS = (
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(minutes=45),
    timedelta(hours=2),
    timedelta(hours=6),
)
MISFIRE_GRACE = timedelta(hours=1)
SYNC_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class Target:
    channel: str
    schedule: str
    tz: ZoneInfo
    active_since: datetime | None = None  # a subscription's creation; None for DIGEST_CHANNEL


def trigger_for(target: Target) -> CronTrigger:
    return crontab_trigger(target.schedule, target.tz)


def next_fire(target: Target, after: datetime) -> datetime | None:
    fire: datetime | None = trigger_for(target).get_next_fire_time(None, after)
    return fire


def due_in_period(target: Target, now: datetime) -> datetime | None:
    """The first time the schedule fired in the current period, if it has fired by `now`."""
    period = Period.containing(now, target.tz)
    first = next_fire(target, period.start(target.tz))
    if first is not None and first <= now:
        return first
    return None


class DigestScheduler:
    def __init__(
        self,
        scheduler: BaseScheduler,
        store: DigestStore,
        run_digest: Callable[[Target], Outcome],
        targets: Callable[[], Sequence[Target]],
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        retry_delays: Sequence[timedelta] = RETRY_DELAYS,
        lease_recheck: timedelta = DEFAULT_LEASE + timedelta(minutes=1),
    ) -> None:
        self.scheduler = scheduler
        self.store = store
        self.run_digest = run_digest
        self.targets = targets
        self.now = now
        self.retry_delays = tuple(retry_delays)
        self.lease_recheck = lease_recheck
        self._lock = threading.Lock()
        self._scheduled: dict[str, Target] = {}

    def start(self) -> None:
        """Schedule every target, post what was missed, then keep in step with subscriptions."""
        self.sync()
        self.scheduler.add_job(
            self.sync,
            IntervalTrigger(seconds=SYNC_EVERY.total_seconds()),
            id="digest-sync",
            replace_existing=True,
            coalesce=True,
            max_instances=1,
        )
        self.scheduler.add_job(
            self.catch_up, id="digest-catch-up", replace_existing=True, misfire_grace_time=None
        )
        self.scheduler.start()

    def shutdown(self, wait: bool = True) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=wait)

    def sync(self) -> None:
        """Make the cron jobs match the targets (DIGEST_CHANNEL and the subscriptions)."""
        try:
            wanted = {t.channel: t for t in self.targets()}
        except Exception:
            log.exception("digest: could not read the digest targets; keeping the current jobs")
            return
        with self._lock:
            for channel, target in wanted.items():
                if self._scheduled.get(channel) == target:
                    continue
                self.scheduler.add_job(
                    self.fire,
                    trigger_for(target),
                    args=[channel],
                    id=f"digest:{channel}",
                    replace_existing=True,
                    coalesce=True,
                    max_instances=1,
                    misfire_grace_time=int(MISFIRE_GRACE.total_seconds()),
                )
                log.info("digest: %s scheduled '%s' (%s)", channel, target.schedule, target.tz)
            for channel in set(self._scheduled) - set(wanted):
                for job_id in (f"digest:{channel}", f"digest-retry:{channel}"):
                    if self.scheduler.get_job(job_id):
                        self.scheduler.remove_job(job_id)
                log.info("digest: %s unscheduled", channel)
            self._scheduled = wanted

    def catch_up(self) -> list[Outcome]:
        """Post, once, each digest whose time came in this period while nothing posted it.

        Only where the schedule was live when that time came (the channel has digests from
        earlier periods, or its subscription is older): a first deploy on a Wednesday, or a
        subscription made after Monday's time, waits for the next scheduled time instead.
        """
        outcomes = []
        now = self.now()
        for target in list(self._scheduled.values()):
            due = due_in_period(target, now)
            if due is None:
                continue
            period = Period.containing(now, target.tz)
            entry = self.store.entry(target.channel, period)
            if entry is not None and entry.status == POSTED:
                continue
            live = (target.active_since is not None and target.active_since <= due) or (
                entry is not None or self.store.has_history(target.channel, period)
            )
            if not live:
                log.info("digest: %s was not scheduled yet at %s: no catch-up", target.channel, due)
                continue
            log.info("digest: %s was due %s and is not posted: catching up", target.channel, due)
            outcome = self.fire(target.channel)
            if outcome is not None:
                outcomes.append(outcome)
        log.info("digest: catch-up checked %d channel(s)", len(self._scheduled))
        return outcomes

    def fire(self, channel: str) -> Outcome | None:
        target = self._scheduled.get(channel)
        if target is None:
            return None
        try:
            outcome = self.run_digest(target)
        except Exception:  # e.g. the database is down: nothing was claimed, try again later
            log.exception("digest %s: the run failed before posting", channel)
            self._schedule_at(target, self.now() + self.retry_delays[0], "the run failed")
            return None
        if outcome.result is Result.FAILED and outcome.retry:
            self._schedule_retry(target, outcome)
        elif outcome.result is Result.SKIPPED and outcome.detail == CLAIMED:
            # Another owner holds a live claim; if it died, its lease runs out: look again then.
            self._schedule_at(target, self.now() + self.lease_recheck, "a live claim")
        return outcome

    def _schedule_retry(self, target: Target, outcome: Outcome) -> None:
        entry = self.store.entry(target.channel, outcome.period)
        attempts = entry.attempts if entry else 1
        if attempts > len(self.retry_delays):
            log.error(
                "digest %s %s: giving up after %d attempts; recorded as failed (%s)",
                target.channel,
                outcome.period.key,
                attempts,
                outcome.detail,
            )
            return
        when = self.now() + self.retry_delays[attempts - 1]
        self._schedule_at(target, when, f"attempt {attempts} failed ({outcome.detail})")

    def _schedule_at(self, target: Target, when: datetime, why: str) -> None:
        """One more run for this period at `when`, unless the period is over by then."""
        period = Period.containing(self.now(), target.tz)
        if when >= period.end(target.tz):
            log.error(
                "digest %s %s: %s and the period ends before another try; "
                "it stays recorded as not posted",
                target.channel,
                period.key,
                why,
            )
            return
        self.scheduler.add_job(
            self.fire,
            DateTrigger(run_date=when),
            args=[target.channel],
            id=f"digest-retry:{target.channel}",
            replace_existing=True,
            misfire_grace_time=None,  # a late retry is still a retry
        )
        log.warning(
            "digest %s %s: %s; trying again at %s",
            target.channel,
            period.key,
            why,
            when.isoformat(),
        )
