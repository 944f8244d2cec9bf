"""The ledger's guarantees on SQLite and on the local PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from digest.model import CampaignSnapshot, Period
from digest.store import CLAIMED, FAILED, POSTED, DigestStore

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
LEASE = timedelta(minutes=10)
P49 = Period(2026, 49)
P50 = Period(2026, 50)


def snap(cid: str, percent: int, launched: bool = True) -> CampaignSnapshot:
    return CampaignSnapshot(cid, f"name {cid}", launched, 100, percent, percent, 90, NOW)


@pytest.fixture
def store(database_url):
    store = DigestStore.from_url(database_url)
    yield store
    store.engine.dispose()


def test_first_claim_wins_and_posted_is_never_claimed_again(store):
    claim = store.claim("C1", P49, "a", NOW, LEASE)
    assert claim is not None and claim.attempt == 1
    assert store.claim("C1", P49, "b", NOW, LEASE) is None  # live claim
    assert store.record_posted(claim, "1.0001", NOW, [snap("x", 40)])
    assert store.claim("C1", P49, "b", NOW + timedelta(days=1), LEASE) is None
    entry = store.entry("C1", P49)
    assert (entry.status, entry.slack_ts, entry.attempts) == (POSTED, "1.0001", 1)


def test_other_channel_and_period_are_independent(store):
    assert store.claim("C1", P49, "a", NOW, LEASE) is not None
    assert store.claim("C2", P49, "a", NOW, LEASE) is not None
    assert store.claim("C1", P50, "a", NOW, LEASE) is not None


def test_expired_claim_is_taken_over_once(store):
    first = store.claim("C1", P49, "dead", NOW, LEASE)
    later = NOW + LEASE + timedelta(seconds=1)
    assert store.claim("C1", P49, "b", NOW + LEASE - timedelta(seconds=1), LEASE) is None
    takeover = store.claim("C1", P49, "b", later, LEASE)
    assert takeover is not None and takeover.attempt == 2 and takeover.previous_status == CLAIMED
    assert store.claim("C1", P49, "c", later, LEASE) is None
    # The dead owner can no longer record anything.
    assert not store.record_posted(first, "9.9", later, [])
    assert store.entry("C1", P49).status == CLAIMED


def test_failed_is_retried_and_the_error_kept(store):
    claim = store.claim("C1", P49, "a", NOW, LEASE)
    store.record_failed(claim, "slack not_in_channel: invite the bot")
    entry = store.entry("C1", P49)
    assert entry.status == FAILED and "invite" in entry.last_error
    retry = store.claim("C1", P49, "a2", NOW + timedelta(minutes=1), LEASE)
    assert retry is not None and retry.attempt == 2 and retry.previous_status == FAILED
    store.record_posted(retry, "2.0", NOW, [])
    assert store.entry("C1", P49).last_error is None


def test_force_takes_even_a_posted_digest(store):
    claim = store.claim("C1", P49, "a", NOW, LEASE)
    store.record_posted(claim, "1.0", NOW, [])
    forced = store.claim("C1", P49, "b", NOW, LEASE, force=True)
    assert forced is not None and forced.previous_status == POSTED


def test_concurrent_claims_give_exactly_one_winner(store):
    with ThreadPoolExecutor(8) as pool:
        claims = list(pool.map(lambda i: store.claim("C9", P49, f"o{i}", NOW, LEASE), range(8)))
    assert sum(c is not None for c in claims) == 1


def test_previous_digest_and_snapshots_round_trip(store):
    old = store.claim("C1", P49, "a", NOW, LEASE)
    store.record_posted(old, "1.0", NOW, [snap("x", 40), snap("y", 100), snap("x", 1)])
    failed = store.claim("C1", P50, "a", NOW, LEASE)
    store.record_failed(failed, "boom")
    previous = store.previous("C1", Period(2026, 51))
    assert previous is not None and previous.period == P49
    assert set(previous.snapshots) == {"x", "y"}
    assert previous.snapshots["x"].completed == 40  # the first of duplicate ids kept
    assert previous.snapshots["x"].launch_date == NOW
    assert store.previous("C1", P49) is None
    assert store.previous("C2", P50) is None


def test_huge_numbers_are_stored(store):
    claim = store.claim("C1", P49, "a", NOW, LEASE)
    huge = CampaignSnapshot("z", "z", True, 10**30, 10**29, 10, None, None)
    assert store.record_posted(claim, "1.0", NOW, [huge])
    assert store.previous("C1", P50).snapshots["z"].sent == 2**62


def test_subscriptions(store):
    store.subscribe("C1", "0 8 * * fri", "Europe/Paris", "U1", NOW)
    store.subscribe("C2", None, None, "U2", NOW)
    store.subscribe("C1", "0 9 * * mon", None, "U3", NOW)  # replaces
    subs = store.subscriptions()
    assert [(s.channel, s.schedule, s.timezone) for s in subs] == [
        ("C1", "0 9 * * mon", None),
        ("C2", None, None),
    ]
    assert store.unsubscribe("C2") and not store.unsubscribe("C2")
    assert [s.channel for s in store.subscriptions()] == ["C1"]


def test_schema_creation_is_idempotent(database_url):
    DigestStore.from_url(database_url).engine.dispose()
    store = DigestStore.from_url(database_url)
    assert store.entries() == []
    store.engine.dispose()


def test_heroku_style_url_is_accepted():
    from runtime.settings import normalize_database_url

    assert normalize_database_url("postgres://u:p@h:5432/d") == "postgresql+psycopg://u:p@h:5432/d"
    assert normalize_database_url("postgresql://h/d") == "postgresql+psycopg://h/d"
    assert normalize_database_url("postgresql+psycopg2://h/d") == "postgresql+psycopg2://h/d"
    assert normalize_database_url("sqlite:///data/bot.db") == "sqlite:///data/bot.db"
