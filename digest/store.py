"""The digest ledger, campaign snapshots and channel subscriptions, on SQLAlchemy Core.

SQLite (a file under ./data/) by default; PostgreSQL through DATABASE_URL for several
processes. The unique (channel, period) key is what makes "once" hold across processes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    delete,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from digest.model import CampaignSnapshot, Period, PreviousDigest, aware

metadata = MetaData()

digests = Table(
    "digests",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("channel", String(32), nullable=False),
    Column("period", String(10), nullable=False),
    Column("status", String(16), nullable=False),  # claimed | posted | failed
    Column("owner", String(128)),
    Column("claimed_at", DateTime(timezone=True)),
    Column("posted_at", DateTime(timezone=True)),
    Column("slack_ts", String(32)),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text),
    # Set just before chat.postMessage and never cleared: a later attempt must then look in
    # the channel first, because that post may have landed without being recorded.
    Column("post_attempted", Boolean, nullable=False, default=False),
    UniqueConstraint("channel", "period", name="uq_digests_channel_period"),
)

snapshots = Table(
    "digest_snapshots",
    metadata,
    Column("digest_id", ForeignKey("digests.id", ondelete="CASCADE"), primary_key=True),
    Column("campaign_id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("launched", Boolean, nullable=False),
    Column("sent", BigInteger, nullable=False),
    Column("completed", BigInteger, nullable=False),
    Column("percent_complete", Integer, nullable=False),
    Column("percent_correct", Integer),
    Column("launch_date", DateTime(timezone=True)),
)

subscriptions = Table(
    "digest_subscriptions",
    metadata,
    Column("channel", String(32), primary_key=True),
    Column("schedule", String(100)),  # None: DIGEST_SCHEDULE
    Column("timezone", String(64)),  # None: DIGEST_TIMEZONE
    Column("created_by", String(32)),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

CLAIMED, POSTED, FAILED = "claimed", "posted", "failed"
_BIG = 2**62  # BIGINT holds 2**63 - 1; Mimecast never sends more, hostile data might


def _utc(moment: datetime | None) -> datetime | None:
    """Store UTC only: SQLite keeps no offset, so a local time would be read back wrong."""
    return moment.astimezone(UTC) if moment is not None else None


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes: everything is stored in UTC."""
    return aware(moment) if moment is not None else None


def _clamp(value: int) -> int:
    return max(-_BIG, min(_BIG, value))


@dataclass(frozen=True)
class Claim:
    """The right to post one (channel, period) digest; `attempt` > 1 means a takeover."""

    digest_id: int
    channel: str
    period: Period
    owner: str
    attempt: int
    previous_status: str | None
    may_have_posted: bool = False  # an earlier attempt reached chat.postMessage


@dataclass(frozen=True)
class LedgerEntry:
    channel: str
    period: str
    status: str
    slack_ts: str | None
    attempts: int
    last_error: str | None
    claimed_at: datetime | None
    posted_at: datetime | None


@dataclass(frozen=True)
class Subscription:
    channel: str
    schedule: str | None
    timezone: str | None
    created_by: str | None
    created_at: datetime | None = None


def create_store_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets its folder, a busy timeout and foreign keys."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


class DigestStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def from_url(cls, url: str) -> DigestStore:
        store = cls(create_store_engine(url))
        store.create_schema()
        return store

    def create_schema(self) -> None:
        metadata.create_all(self.engine, checkfirst=True)

    # -- the ledger ------------------------------------------------------------------------

    def claim(
        self,
        channel: str,
        period: Period,
        owner: str,
        now: datetime,
        lease: timedelta,
        *,
        force: bool = False,
    ) -> Claim | None:
        now = now.astimezone(UTC)
        """Take (channel, period) or return None when it is posted or held by a live claim.

        A new row wins by the unique key; an existing failed row, or a claim whose lease has
        run out (its owner crashed), is taken over by a compare-and-set on its state.
        """
        try:
            with self.engine.begin() as conn:
                result = conn.execute(
                    insert(digests).values(
                        channel=channel,
                        period=period.key,
                        status=CLAIMED,
                        owner=owner,
                        claimed_at=now,
                        attempts=1,
                        post_attempted=False,
                    )
                )
                digest_id = int(result.inserted_primary_key[0])  # type: ignore[index]
            return Claim(digest_id, channel, period, owner, 1, None)
        except IntegrityError:
            pass
        with self.engine.begin() as conn:
            row = conn.execute(
                select(digests).where(digests.c.channel == channel, digests.c.period == period.key)
            ).one()
            claimed_at = _aware(row.claimed_at)
            if not force:
                if row.status == POSTED:
                    return None
                if row.status == CLAIMED and claimed_at and now - claimed_at < lease:
                    return None
            taken = conn.execute(
                update(digests)
                .where(
                    digests.c.id == row.id,
                    digests.c.status == row.status,
                    digests.c.attempts == row.attempts,
                )
                .values(status=CLAIMED, owner=owner, claimed_at=now, attempts=row.attempts + 1)
            )
            if taken.rowcount != 1:
                return None
        return Claim(
            row.id,
            channel,
            period,
            owner,
            row.attempts + 1,
            row.status,
            may_have_posted=bool(row.post_attempted),
        )

    def mark_posting(self, claim: Claim, now: datetime) -> bool:
        """Renew the claim and note that a post is about to go out (a fencing check).

        False when another owner took the claim over meanwhile (this one stalled past its
        lease): the caller must not post.
        """
        with self.engine.begin() as conn:
            done = conn.execute(
                update(digests)
                .where(
                    digests.c.id == claim.digest_id,
                    digests.c.owner == claim.owner,
                    digests.c.status == CLAIMED,
                )
                .values(post_attempted=True, claimed_at=now.astimezone(UTC))
            )
        return done.rowcount == 1

    def record_posted(
        self, claim: Claim, slack_ts: str, now: datetime, taken: Iterable[CampaignSnapshot]
    ) -> bool:
        """Mark the digest posted with its Slack ts and store its snapshots, in one transaction."""
        now = now.astimezone(UTC)
        with self.engine.begin() as conn:
            done = conn.execute(
                update(digests)
                .where(digests.c.id == claim.digest_id, digests.c.owner == claim.owner)
                .values(status=POSTED, slack_ts=slack_ts, posted_at=now, last_error=None)
            )
            if done.rowcount != 1:
                return False
            conn.execute(delete(snapshots).where(snapshots.c.digest_id == claim.digest_id))
            rows = _unique_rows(claim.digest_id, taken)
            if rows:
                conn.execute(insert(snapshots), rows)
        return True

    def record_failed(self, claim: Claim, error: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(digests)
                .where(digests.c.id == claim.digest_id, digests.c.owner == claim.owner)
                .values(status=FAILED, last_error=error[:2000])
            )

    def entry(self, channel: str, period: Period) -> LedgerEntry | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(digests).where(digests.c.channel == channel, digests.c.period == period.key)
            ).one_or_none()
        return _entry(row) if row is not None else None

    def entries(self, channel: str | None = None) -> list[LedgerEntry]:
        query = select(digests).order_by(digests.c.period, digests.c.channel)
        if channel:
            query = query.where(digests.c.channel == channel)
        with self.engine.connect() as conn:
            return [_entry(row) for row in conn.execute(query)]

    def has_history(self, channel: str, before: Period) -> bool:
        """Whether a digest was attempted for `channel` before `before`: its schedule was live."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(digests.c.id)
                .where(digests.c.channel == channel, digests.c.period < before.key)
                .limit(1)
            ).first()
        return row is not None

    def previous(self, channel: str, before: Period) -> PreviousDigest | None:
        """The last digest posted to `channel` before `before`, with its snapshots."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(digests)
                .where(
                    digests.c.channel == channel,
                    digests.c.status == POSTED,
                    digests.c.period < before.key,
                )
                .order_by(digests.c.period.desc())
                .limit(1)
            ).one_or_none()
            if row is None:
                return None
            taken = {
                r.campaign_id: CampaignSnapshot(
                    campaign_id=r.campaign_id,
                    name=r.name,
                    launched=bool(r.launched),
                    sent=int(r.sent),
                    completed=int(r.completed),
                    percent_complete=int(r.percent_complete),
                    percent_correct=r.percent_correct,
                    launch_date=_aware(r.launch_date),
                )
                for r in conn.execute(select(snapshots).where(snapshots.c.digest_id == row.id))
            }
        posted_at = _aware(row.posted_at) or datetime.now(UTC)
        return PreviousDigest(Period.parse(row.period), posted_at, taken)

    # -- subscriptions ---------------------------------------------------------------------

    def subscribe(
        self,
        channel: str,
        schedule: str | None,
        timezone: str | None,
        created_by: str | None,
        now: datetime,
    ) -> None:
        row = {
            "channel": channel,
            "schedule": schedule,
            "timezone": timezone,
            "created_by": created_by,
            "created_at": _utc(now),
        }
        for attempt in range(2):  # a concurrent subscribe may insert between our two statements
            try:
                with self.engine.begin() as conn:
                    conn.execute(delete(subscriptions).where(subscriptions.c.channel == channel))
                    conn.execute(insert(subscriptions).values(**row))
                return
            except IntegrityError:
                if attempt:
                    raise

    def unsubscribe(self, channel: str) -> bool:
        with self.engine.begin() as conn:
            result = conn.execute(delete(subscriptions).where(subscriptions.c.channel == channel))
        return bool(result.rowcount)

    def subscriptions(self) -> list[Subscription]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(subscriptions).order_by(subscriptions.c.channel))
            return [
                Subscription(r.channel, r.schedule, r.timezone, r.created_by, _aware(r.created_at))
                for r in rows
            ]


def _entry(row: Any) -> LedgerEntry:
    return LedgerEntry(
        channel=row.channel,
        period=row.period,
        status=row.status,
        slack_ts=row.slack_ts,
        attempts=row.attempts,
        last_error=row.last_error,
        claimed_at=_aware(row.claimed_at),
        posted_at=_aware(row.posted_at),
    )


def _unique_rows(digest_id: int, taken: Iterable[CampaignSnapshot]) -> list[dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for snap in taken:
        rows.setdefault(
            snap.campaign_id,
            {
                "digest_id": digest_id,
                "campaign_id": snap.campaign_id,
                "name": snap.name,
                "launched": snap.launched,
                "sent": _clamp(snap.sent),
                "completed": _clamp(snap.completed),
                "percent_complete": max(0, min(100, snap.percent_complete)),
                "percent_correct": None
                if snap.percent_correct is None
                else max(0, min(100, snap.percent_correct)),
                "launch_date": _utc(snap.launch_date),
            },
        )
    return list(rows.values())
