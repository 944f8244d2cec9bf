"""Scheduling with controlled time: no waiting a week."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from slack_sdk import WebClient

from digest.model import Period
from digest.poster import DigestPoster, Result
from digest.schedule import DigestScheduler, Target, due_in_period, next_fire, trigger_for
from digest.store import DigestStore
from mimecast.errors import UpstreamError
from tests.harness.slack_mock import SlackMock
from tests.test_digest_poster import Clock, campaigns

PARIS = ZoneInfo("Europe/Paris")
WEEKLY = Target("C0DIGEST", "0 9 * * mon", PARIS)
LIVE_WEEKLY = Target("C0DIGEST", "0 9 * * mon", PARIS, datetime(2026, 1, 1, tzinfo=PARIS))


def test_trigger_fires_at_local_nine_across_the_spring_dst_change():
    first = next_fire(WEEKLY, datetime(2027, 3, 20, tzinfo=PARIS))
    second = next_fire(WEEKLY, first + timedelta(minutes=1))
    assert first == datetime(2027, 3, 22, 9, 0, tzinfo=PARIS)
    assert first.utcoffset() == timedelta(hours=1)
    assert second == datetime(2027, 3, 29, 9, 0, tzinfo=PARIS)
    assert second.utcoffset() == timedelta(hours=2)
    utc = ZoneInfo("UTC")
    # One hour shorter in real time (Python subtracts same-zone datetimes as wall clocks).
    assert second.astimezone(utc) - first.astimezone(utc) == timedelta(days=7, hours=-1)


def test_trigger_fires_at_local_nine_across_the_autumn_dst_change():
    fire = next_fire(WEEKLY, datetime(2027, 10, 30, tzinfo=PARIS))
    assert (fire.day, fire.hour, fire.utcoffset()) == (1, 9, timedelta(hours=1))


def test_schedule_in_new_york_is_new_york_time():
    target = Target("C1", "30 8 * * fri", ZoneInfo("America/New_York"))
    fire = next_fire(target, datetime(2026, 12, 4, 0, 0, tzinfo=ZoneInfo("UTC")))
    assert fire.astimezone(ZoneInfo("UTC")).hour == 13  # 08:30 EST


def test_trigger_is_built_from_the_cron_expression():
    trigger = trigger_for(WEEKLY)
    assert str(trigger.timezone) == "Europe/Paris"
    with pytest.raises(ValueError):
        trigger_for(Target("C", "61 9 * * mon", PARIS))


@pytest.mark.parametrize(
    ("now", "due"),
    [
        (datetime(2026, 12, 7, 8, 59, tzinfo=PARIS), False),  # Monday before nine
        (datetime(2026, 12, 7, 9, 0, tzinfo=PARIS), True),
        (datetime(2026, 12, 9, 15, 0, tzinfo=PARIS), True),  # Wednesday: missed, still week 50
        (datetime(2026, 12, 13, 23, 59, tzinfo=PARIS), True),  # Sunday night: last chance
    ],
)
def test_due_in_period(now, due):
    assert (due_in_period(WEEKLY, now) is not None) is due


@pytest.fixture
def rig(tmp_path):
    """A store, the Slack mock, a poster and a scheduler factory sharing one fake clock."""
    with SlackMock() as slack:
        store = DigestStore.from_url(f"sqlite:///{tmp_path}/d.db")
        clock = Clock(datetime(2026, 12, 9, 15, 0, tzinfo=PARIS))  # Wednesday, week 50
        schedulers = []

        def make(fetch=campaigns, owner=None, target=LIVE_WEEKLY):
            poster = DigestPoster(
                store,
                fetch,
                WebClient(token="xoxb-test-token", base_url=slack.api_url),
                tz=PARIS,
                now=clock,
                owner=owner,
            )
            scheduler = DigestScheduler(
                BackgroundScheduler(timezone=PARIS),
                store,
                lambda t: poster.run(t.channel, tz=t.tz),
                lambda: [target],
                now=clock,
            )
            scheduler.scheduler.start(paused=True)  # jobs are stored and replaced, never run
            scheduler.sync()
            schedulers.append(scheduler)
            return scheduler

        yield make, slack, store, clock
        for scheduler in schedulers:
            scheduler.shutdown(wait=False)
        store.engine.dispose()


def ok_posts(slack):
    return [c for c in slack.api_calls("chat.postMessage") if c.ok]


def test_missed_run_is_caught_up_once(rig):
    make, slack, _store, clock = rig
    first = make().catch_up()
    assert [o.result for o in first] == [Result.POSTED]
    assert make().catch_up() == []  # already posted: nothing to catch up
    clock.moment += timedelta(hours=1)
    assert make().catch_up() == []
    assert len(ok_posts(slack)) == 1


def test_no_catch_up_for_a_schedule_that_was_not_live_yet(rig):
    make, slack, store, _ = rig
    # First deploy on a Wednesday, no history: Monday's time was never missed.
    assert make(target=WEEKLY).catch_up() == []
    # A subscription made on Tuesday: Monday's time came before it existed.
    tuesday = Target("C0DIGEST", "0 9 * * mon", PARIS, datetime(2026, 12, 8, tzinfo=PARIS))
    assert make(target=tuesday).catch_up() == []
    assert ok_posts(slack) == []
    # With last week's digest in the ledger the schedule was live: this week's is caught up.
    claim = store.claim(
        "C0DIGEST",
        Period(2026, 49),
        "old",
        datetime(2026, 11, 30, tzinfo=PARIS),
        timedelta(minutes=10),
    )
    store.record_posted(claim, "1.0", datetime(2026, 11, 30, 9, tzinfo=PARIS), [])
    assert [o.result for o in make(target=WEEKLY).catch_up()] == [Result.POSTED]


def test_a_second_scheduler_for_the_same_period_posts_nothing(rig):
    make, slack, _, _ = rig
    one, two = make(owner="web"), make(owner="clock")
    assert one.fire(WEEKLY.channel).result is Result.POSTED
    assert two.fire(WEEKLY.channel).result is Result.SKIPPED
    assert len(ok_posts(slack)) == 1


def test_nothing_to_catch_up_before_the_first_fire_of_the_week(rig):
    make, slack, _, clock = rig
    clock.moment = datetime(2026, 12, 7, 8, 0, tzinfo=PARIS)
    assert make().catch_up() == []
    assert ok_posts(slack) == []


def test_mimecast_down_is_retried_with_backoff_then_posted(rig):
    make, slack, store, clock = rig
    state = {"down": True}

    def fetch():
        if state["down"]:
            raise UpstreamError("down", code="http_503")
        return campaigns()

    scheduler = make(fetch=fetch)
    outcome = scheduler.fire(WEEKLY.channel)
    assert outcome.result is Result.FAILED
    job = scheduler.scheduler.get_job(f"digest-retry:{WEEKLY.channel}")
    assert job is not None
    assert job.trigger.run_date == clock.moment + timedelta(minutes=5)

    clock.moment += timedelta(minutes=5)
    assert scheduler.fire(WEEKLY.channel).result is Result.FAILED
    job = scheduler.scheduler.get_job(f"digest-retry:{WEEKLY.channel}")
    assert job.trigger.run_date == clock.moment + timedelta(minutes=15)

    state["down"] = False
    clock.moment += timedelta(minutes=15)
    assert scheduler.fire(WEEKLY.channel).result is Result.POSTED
    entry = store.entry(WEEKLY.channel, Period(2026, 50))
    assert entry.status == "posted" and entry.attempts == 3
    assert len(ok_posts(slack)) == 1


def test_no_retry_past_the_end_of_the_period(rig):
    make, _slack, store, clock = rig
    clock.moment = datetime(2026, 12, 13, 23, 58, tzinfo=PARIS)

    def down():
        raise UpstreamError("down", code="timeout")

    scheduler = make(fetch=down)
    assert scheduler.fire(WEEKLY.channel).result is Result.FAILED
    assert scheduler.scheduler.get_job(f"digest-retry:{WEEKLY.channel}") is None
    assert store.entry(WEEKLY.channel, Period(2026, 50)).status == "failed"


def test_sync_follows_subscriptions(rig):
    make, _, _, _ = rig
    scheduler = make()
    targets = [WEEKLY, Target("C0OTHER", "0 8 * * fri", ZoneInfo("Asia/Tokyo"))]
    scheduler.targets = lambda: targets
    scheduler.sync()
    job = scheduler.scheduler.get_job("digest:C0OTHER")
    assert job is not None and str(job.trigger.timezone) == "Asia/Tokyo"
    assert job.coalesce is True and job.misfire_grace_time == 3600
    targets.pop()
    scheduler.sync()
    assert scheduler.scheduler.get_job("digest:C0OTHER") is None
    assert scheduler.scheduler.get_job("digest:C0DIGEST") is not None


def test_a_live_claim_from_a_dead_process_is_looked_at_again_after_its_lease(rig):
    make, slack, store, clock = rig
    store.claim(
        WEEKLY.channel, Period(2026, 50), "died-mid-post", clock.moment, timedelta(minutes=10)
    )
    scheduler = make()
    assert scheduler.fire(WEEKLY.channel).result is Result.SKIPPED
    job = scheduler.scheduler.get_job(f"digest-retry:{WEEKLY.channel}")
    assert job is not None and job.trigger.run_date == clock.moment + timedelta(minutes=11)
    clock.moment += timedelta(minutes=11)
    assert scheduler.fire(WEEKLY.channel).result is Result.POSTED
    assert len(ok_posts(slack)) == 1


def test_a_run_that_raises_is_retried(rig):
    make, _slack, _store, clock = rig
    scheduler = make()

    def broken(target):
        raise RuntimeError("database is down")

    scheduler.run_digest = broken
    assert scheduler.fire(WEEKLY.channel) is None
    job = scheduler.scheduler.get_job(f"digest-retry:{WEEKLY.channel}")
    assert job is not None and job.trigger.run_date == clock.moment + timedelta(minutes=5)
    assert job.misfire_grace_time is None
