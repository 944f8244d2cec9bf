"""Posting one channel's digest for one period, exactly once.

The protocol: claim (channel, period) in the ledger; on a takeover look in the channel for a
message already tagged with this period (a crash after the post, before its record); post with
that tag in `metadata`; record the Slack ts and the snapshots. A claim whose owner died is
taken over after its lease.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Any, Protocol

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from blocks.digest import digest_message
from blocks.message import Message
from digest.compose import snapshots_of, summarize
from digest.model import Period, Thresholds
from digest.store import Claim, DigestStore
from mimecast.errors import MimecastError
from mimecast.models import Campaign
from slackkit.errors import answered, error_code, fix_for

log = logging.getLogger(__name__)

EVENT_TYPE = "mimecast_campaign_digest"
DEFAULT_LEASE = timedelta(minutes=10)


class CampaignFetcher(Protocol):
    def __call__(self) -> Sequence[Campaign]: ...


class Result(StrEnum):
    POSTED = "posted"
    RECOVERED = "recovered"  # found already posted in the channel, now recorded
    SKIPPED = "skipped"  # posted already, or another process holds the claim
    FAILED = "failed"
    PREVIEW = "preview"


@dataclass(frozen=True)
class Outcome:
    result: Result
    channel: str
    period: Period
    detail: str = ""
    retry: bool = False  # worth retrying within the period (transient failure)
    slack_ts: str | None = None
    message: Message | None = None


def default_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class DigestPoster:
    def __init__(
        self,
        store: DigestStore,
        fetch: CampaignFetcher,
        slack: WebClient,
        *,
        tz: tzinfo,
        thresholds: Thresholds | None = None,
        owner: str | None = None,
        lease: timedelta = DEFAULT_LEASE,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        next_run: Callable[[str, datetime], datetime | None] = lambda channel, now: None,
    ) -> None:
        self.store = store
        self.fetch = fetch
        self.slack = slack
        self.tz = tz
        self.thresholds = thresholds or Thresholds()
        self.owner = owner or default_owner()
        self.lease = lease
        self.now = now
        self.next_run = next_run

    def compose(
        self,
        channel: str,
        campaigns: Sequence[Campaign],
        now: datetime,
        tz: tzinfo,
        *,
        preview: bool,
    ) -> Message:
        period = Period.containing(now, tz)
        previous = self.store.previous(channel, period)
        summary = summarize(campaigns, previous, now=now, tz=tz, thresholds=self.thresholds)
        return digest_message(summary, tz=tz, next_run=self.next_run(channel, now), preview=preview)

    def preview(self, channel: str, tz: tzinfo | None = None) -> Outcome:
        """This period's digest as it would be posted now; nothing is claimed or posted."""
        now, zone = self.now(), tz or self.tz
        message = self.compose(channel, self.fetch(), now, zone, preview=True)
        return Outcome(Result.PREVIEW, channel, Period.containing(now, zone), message=message)

    def run(self, channel: str, *, tz: tzinfo | None = None, force: bool = False) -> Outcome:
        """Post this period's digest to `channel` unless it is posted or being posted."""
        now, zone = self.now(), tz or self.tz
        period = Period.containing(now, zone)
        claim = self.store.claim(channel, period, self.owner, now, self.lease, force=force)
        if claim is None:
            entry = self.store.entry(channel, period)
            state = entry.status if entry else "unknown"
            log.info("digest %s %s: skipped (%s)", channel, period.key, state)
            return Outcome(Result.SKIPPED, channel, period, detail=state)
        try:
            return self._post(claim, now, zone, force=force)
        except Exception as exc:  # never leave a claim behind without a record
            log.exception("digest %s %s failed unexpectedly", channel, period.key)
            self.store.record_failed(claim, f"unexpected: {type(exc).__name__}")
            return Outcome(Result.FAILED, channel, period, detail=type(exc).__name__, retry=True)

    def _post(self, claim: Claim, now: datetime, tz: tzinfo, *, force: bool) -> Outcome:
        channel, period = claim.channel, claim.period
        try:
            campaigns = list(self.fetch())
        except MimecastError as exc:
            log.warning("digest %s %s: Mimecast failed: code=%s", channel, period.key, exc.code)
            self.store.record_failed(claim, f"mimecast {exc.code}: {exc.user_message}")
            return Outcome(Result.FAILED, channel, period, detail=exc.code, retry=True)

        if claim.may_have_posted and not force:
            try:
                found = self._find_posted(channel, period)
            except SlackApiError as exc:
                # An earlier attempt may have posted and we cannot look: posting again could
                # make two. Stop here and say how to let the bot look.
                code = error_code(exc)
                detail = (
                    f"cannot tell whether the digest was already posted ({code}): "
                    f"{fix_for(code) or 'see the Slack error'}"
                )
                log.error("digest %s %s not posted: %s", channel, period.key, detail)
                self.store.record_failed(claim, detail)
                return Outcome(Result.FAILED, channel, period, detail=code, retry=False)
            if found is not None:
                self.store.record_posted(claim, found, now, snapshots_of(campaigns, now))
                log.info("digest %s %s: already in the channel (ts %s)", channel, period.key, found)
                return Outcome(Result.RECOVERED, channel, period, slack_ts=found)

        message = self.compose(channel, campaigns, now, tz, preview=False)
        if not self.store.mark_posting(claim, self.now()):
            log.warning("digest %s %s: claim taken over by another process", channel, period.key)
            return Outcome(Result.SKIPPED, channel, period, detail="taken over")
        try:
            response = self.slack.chat_postMessage(
                channel=channel,
                text=message.text,
                blocks=message.blocks,
                metadata={
                    "event_type": EVENT_TYPE,
                    "event_payload": {"period": period.key, "channel": channel},
                },
                unfurl_links=False,
                unfurl_media=False,
            )
        except SlackApiError as exc:
            return self._slack_failed(claim, exc)
        except Exception as exc:  # timeouts, resets: the post may or may not have landed
            log.warning("digest %s %s: Slack unreachable (%s)", channel, period.key, exc)
            self.store.record_failed(claim, f"slack unreachable: {type(exc).__name__}")
            return Outcome(Result.FAILED, channel, period, detail="slack_unreachable", retry=True)
        ts = str(response.get("ts") or "")
        if not self.store.record_posted(claim, ts, now, snapshots_of(campaigns, now)):
            log.error(
                "digest %s %s: posted (ts %s) after losing the claim; the new owner will find "
                "it in the channel",
                channel,
                period.key,
                ts,
            )
        else:
            log.info("digest %s %s: posted (ts %s)", channel, period.key, ts)
        return Outcome(Result.POSTED, channel, period, slack_ts=ts, message=message)

    def _slack_failed(self, claim: Claim, exc: SlackApiError) -> Outcome:
        code = error_code(exc)
        fix = fix_for(code)
        detail = f"slack {code}: {fix}" if fix else f"slack {code}"
        if not answered(exc):
            detail += " (the post may have landed; the next attempt looks in the channel first)"
        log.error("digest %s %s not posted: %s", claim.channel, claim.period.key, detail)
        self.store.record_failed(claim, detail)
        return Outcome(Result.FAILED, claim.channel, claim.period, detail=code, retry=fix is None)

    def _find_posted(self, channel: str, period: Period) -> str | None:
        """The ts of a message this bot already posted for `period`, if the channel has one.

        Newest first, matched on the metadata tag alone (no `oldest` bound: the tag is exact,
        and a bound computed from our clock could hide a message stamped by Slack's). Raises
        SlackApiError when the history cannot be read (the bot is not in the channel).
        """
        cursor: str | None = None
        for _ in range(10):  # 10 pages of 200 newest messages: a busy channel's week
            page: Any = self.slack.conversations_history(
                channel=channel,
                limit=200,
                include_all_metadata=True,
                cursor=cursor,
            )
            for message in page.get("messages") or []:
                meta = message.get("metadata") or {}
                payload = meta.get("event_payload") or {}
                if meta.get("event_type") == EVENT_TYPE and payload.get("period") == period.key:
                    return str(message.get("ts"))
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor:
                return None
        return None
