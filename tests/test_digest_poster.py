"""Posting exactly once, against the Slack mock over HTTP, with controlled time."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from digest.model import Period
from digest.poster import EVENT_TYPE, DigestPoster, Result
from digest.store import FAILED, POSTED, DigestStore
from mimecast.errors import UpstreamError
from mimecast.models import parse_campaign
from tests.harness.slack_mock import SlackMock

TZ = ZoneInfo("Europe/Paris")
MONDAY_9 = datetime(2026, 12, 7, 9, 0, tzinfo=TZ)  # ISO week 50
CHANNEL = "C0DIGEST"


def campaigns(percent_a: int = 40):
    launched = (MONDAY_9 - timedelta(days=20)).strftime("%Y-%m-%dT%H:%M:%S%z")
    return [
        parse_campaign(
            {
                "id": "a",
                "name": "Phishing <!channel>",
                "numSent": 100,
                "numCompleted": percent_a,
                "percentComplete": percent_a,
                "percentCorrect": 80,
                "launchDate": launched,
            }
        ),
        parse_campaign(
            {
                "id": "b",
                "name": "HIPAA",
                "numSent": 10,
                "numCompleted": 10,
                "percentComplete": 100,
                "launchDate": launched,
            }
        ),
    ]


class Clock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def slack():
    with SlackMock() as mock:
        yield mock


@pytest.fixture
def store(database_url):
    store = DigestStore.from_url(database_url)
    yield store
    store.engine.dispose()


def web(slack: SlackMock, retries: int = 0) -> WebClient:
    handlers = [RateLimitErrorRetryHandler(max_retry_count=retries)] if retries else []
    return WebClient(token="xoxb-test-token", base_url=slack.api_url, retry_handlers=handlers)


def poster(store, slack, clock, fetch=None, owner=None, retries=0):
    return DigestPoster(
        store, fetch or campaigns, web(slack, retries), tz=TZ, now=clock, owner=owner
    )


def posts(slack):
    return [c for c in slack.api_calls("chat.postMessage") if c.ok]


def test_posts_once_with_metadata_and_records_the_ts(store, slack):
    clock = Clock(MONDAY_9)
    outcome = poster(store, slack, clock).run(CHANNEL)
    assert outcome.result is Result.POSTED
    assert poster(store, slack, clock).run(CHANNEL).result is Result.SKIPPED
    assert len(posts(slack)) == 1
    message = slack.messages(CHANNEL)[0]
    assert message["metadata"]["event_type"] == EVENT_TYPE
    assert message["metadata"]["event_payload"]["period"] == "2026-W50"
    assert "<!channel>" not in str(message)
    entry = store.entry(CHANNEL, Period(2026, 50))
    assert entry.status == POSTED and entry.slack_ts == outcome.slack_ts


def test_two_schedulers_racing_post_once(store, slack):
    clock = Clock(MONDAY_9)
    barrier = threading.Barrier(4)
    results = []

    def race(i):
        p = poster(store, slack, clock, owner=f"proc{i}")
        barrier.wait()
        results.append(p.run(CHANNEL).result)

    threads = [threading.Thread(target=race, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == sorted([Result.POSTED] + [Result.SKIPPED] * 3)
    assert len(posts(slack)) == 1


def test_crash_after_post_before_record_does_not_post_again(store, slack, monkeypatch):
    clock = Clock(MONDAY_9)
    crashing = poster(store, slack, clock, owner="crashing")

    def crash(*args, **kwargs):
        raise SystemExit("killed between the post and its record")

    monkeypatch.setattr(store, "record_posted", crash)
    with pytest.raises(SystemExit):
        crashing.run(CHANNEL)
    monkeypatch.undo()
    assert len(posts(slack)) == 1
    assert store.entry(CHANNEL, Period(2026, 50)).status == "claimed"

    # Within the lease nobody touches it; after the lease the next run finds the message.
    clock.moment = MONDAY_9 + timedelta(minutes=5)
    assert poster(store, slack, clock).run(CHANNEL).result is Result.SKIPPED
    clock.moment = MONDAY_9 + timedelta(minutes=11)
    outcome = poster(store, slack, clock, owner="restarted").run(CHANNEL)
    assert outcome.result is Result.RECOVERED
    assert len(posts(slack)) == 1
    entry = store.entry(CHANNEL, Period(2026, 50))
    assert entry.status == POSTED and entry.slack_ts == slack.messages(CHANNEL)[0]["ts"]
    assert store.previous(CHANNEL, Period(2026, 51)) is not None  # snapshots were stored


def test_slack_5xx_is_not_blindly_reposted_the_retry_looks_first(store, slack):
    clock = Clock(MONDAY_9)
    slack.fail_next("chat.postMessage", status=503)
    failed = poster(store, slack, clock).run(CHANNEL)
    assert failed.result is Result.FAILED and failed.retry is True
    assert "may have landed" in store.entry(CHANNEL, Period(2026, 50)).last_error
    clock.moment += timedelta(minutes=5)
    assert poster(store, slack, clock).run(CHANNEL).result is Result.POSTED
    assert len(slack.api_calls("conversations.history")) == 1  # it looked before posting again
    assert len(posts(slack)) == 1


def test_crash_in_a_channel_whose_history_cannot_be_read_does_not_post_again(
    store, slack, monkeypatch
):
    slack.not_member.add(CHANNEL)  # public channel, posted through chat:write.public
    clock = Clock(MONDAY_9)
    monkeypatch.setattr(store, "record_posted", _crash)
    with pytest.raises(SystemExit):
        poster(store, slack, clock, owner="crashing").run(CHANNEL)
    monkeypatch.undo()
    clock.moment += timedelta(minutes=11)
    outcome = poster(store, slack, clock, owner="restarted").run(CHANNEL)
    assert outcome.result is Result.FAILED and outcome.retry is False
    entry = store.entry(CHANNEL, Period(2026, 50))
    assert "cannot tell whether" in entry.last_error and "invite" in entry.last_error
    assert len(posts(slack)) == 1


def test_a_stalled_owner_that_lost_its_claim_does_not_post(store, slack):
    clock = Clock(MONDAY_9)
    stalled = poster(store, slack, clock, owner="stalled")
    original_fetch = stalled.fetch

    def fetch_then_lose_the_claim():
        # While "stalled" fetches past its lease, another process takes the claim over.
        later = Clock(MONDAY_9 + timedelta(minutes=11))
        assert poster(store, slack, later, owner="other").run(CHANNEL).result is Result.POSTED
        return original_fetch()

    stalled.fetch = fetch_then_lose_the_claim
    assert stalled.run(CHANNEL).result is Result.SKIPPED
    assert len(posts(slack)) == 1


def _crash(*args, **kwargs):
    raise SystemExit("killed between the post and its record")


@pytest.mark.parametrize(
    ("error", "retry", "fix"),
    [("invalid_auth", False, "SLACK_BOT_TOKEN"), ("msg_too_long", True, "msg_too_long")],
)
def test_other_slack_errors_are_recorded(store, slack, error, retry, fix):
    slack.fail_next("chat.postMessage", error=error)
    outcome = poster(store, slack, Clock(MONDAY_9)).run(CHANNEL)
    assert outcome.result is Result.FAILED and outcome.retry is retry
    assert fix in store.entry(CHANNEL, Period(2026, 50)).last_error


def test_slack_429_then_success_posts_once(store, slack):
    slack.fail_next("chat.postMessage", status=429, retry_after=1)
    outcome = poster(store, slack, Clock(MONDAY_9), retries=2).run(CHANNEL)
    assert outcome.result is Result.POSTED
    assert len(posts(slack)) == 1
    assert len(slack.api_calls("chat.postMessage")) == 2


@pytest.mark.parametrize("error", ["channel_not_found", "not_in_channel", "is_archived"])
def test_channel_errors_are_recorded_with_the_fix_and_retried_later(store, slack, error):
    clock = Clock(MONDAY_9)
    slack.fail_next("chat.postMessage", error=error)
    outcome = poster(store, slack, clock).run(CHANNEL)
    assert outcome.result is Result.FAILED and outcome.retry is False
    entry = store.entry(CHANNEL, Period(2026, 50))
    assert entry.status == FAILED and error in entry.last_error
    assert (
        "invite" in entry.last_error
        or "unarchive" in entry.last_error
        or "DIGEST_CHANNEL" in entry.last_error
    )
    clock.moment += timedelta(hours=1)
    assert poster(store, slack, clock).run(CHANNEL).result is Result.POSTED
    assert len(posts(slack)) == 1


def test_mimecast_down_is_recorded_failed_and_retryable(store, slack):
    def down():
        raise UpstreamError("down", code="http_503")

    outcome = poster(store, slack, Clock(MONDAY_9), fetch=down).run(CHANNEL)
    assert outcome.result is Result.FAILED and outcome.retry is True
    assert "http_503" in store.entry(CHANNEL, Period(2026, 50)).last_error
    assert posts(slack) == []


def test_changes_come_from_stored_snapshots(store, slack):
    clock = Clock(MONDAY_9)
    first = poster(store, slack, clock, fetch=lambda: campaigns(40)).run(CHANNEL)
    assert (
        "first digest" in first.message.text.lower()
        or "first digest" in str(first.message.blocks).lower()
    )
    clock.moment = MONDAY_9 + timedelta(days=7)
    second = poster(store, slack, clock, fetch=lambda: campaigns(70)).run(CHANNEL)
    assert second.result is Result.POSTED
    text = str(second.message.blocks)
    assert "+30" in text  # Phishing went from 40% to 70%
    assert "first digest" not in text.lower()


def test_force_posts_again(store, slack):
    clock = Clock(MONDAY_9)
    poster(store, slack, clock).run(CHANNEL)
    assert poster(store, slack, clock).run(CHANNEL, force=True).result is Result.POSTED
    assert len(posts(slack)) == 2


def test_preview_claims_and_posts_nothing(store, slack):
    outcome = poster(store, slack, Clock(MONDAY_9)).preview(CHANNEL)
    assert outcome.result is Result.PREVIEW and "Preview" in outcome.message.text
    assert posts(slack) == [] and store.entries() == []


def test_period_is_the_iso_week_in_the_digest_zone():
    # Sunday 23:30 in Paris is already Monday in week 50 for Tokyo, still week 49 here.
    moment = datetime(2026, 12, 6, 22, 30, tzinfo=UTC)
    assert Period.containing(moment, TZ) == Period(2026, 49)
    assert Period.containing(moment, ZoneInfo("Asia/Tokyo")) == Period(2026, 50)
