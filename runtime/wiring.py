"""Building the running bot from Settings: Mimecast client, service, store, Slack app, digest."""

from __future__ import annotations

import logging
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from campaigns.service import CampaignService
from digest.model import Period
from digest.poster import DigestPoster
from digest.schedule import DigestScheduler, Target, next_fire
from digest.store import DigestStore
from handlers import register_listeners
from handlers.access import AccessPolicy
from handlers.context import BotContext, DigestDesk
from mimecast.client import MimecastClient
from runtime.settings import Settings
from runtime.startup import StartupError, load_or_exit, open_store
from slackkit.errors import error_code

ANSWER_THREADS = 32


def build_mimecast_client(settings: Settings) -> MimecastClient:
    if not settings.mimecast_base_url:
        raise ValueError("MIMECAST_BASE_URL is not set")
    return MimecastClient(
        settings.mimecast_base_url,
        keys=settings.mimecast_keys,
        credentials=settings.mimecast_client,
        timeout=(min(3.05, settings.mimecast_timeout_seconds), settings.mimecast_timeout_seconds),
    )


def build_web_client(settings: Settings, *, idempotent_only: bool = False) -> WebClient:
    """slack_sdk's own retry handlers: 429 waits out Retry-After; 5xx and resets retried once.

    `idempotent_only` keeps just the 429 handler (Slack did nothing then): for posting the
    digest, where a retried 5xx or reset could post twice; its own ledger retries instead.
    """
    handlers: list[RetryHandler] = [RateLimitErrorRetryHandler(max_retry_count=2)]
    if not idempotent_only:
        handlers += [
            ConnectionErrorRetryHandler(max_retry_count=1),
            ServerErrorRetryHandler(max_retry_count=1),
        ]
    return WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=10,
        retry_handlers=handlers,
    )


@dataclass(frozen=True)
class Runtime:
    """Everything a process of the bot shares, built once from Settings."""

    settings: Settings
    service: CampaignService
    store: DigestStore
    slack: WebClient
    poster: DigestPoster
    ctx: BotContext


def boot(*, need_slack: bool = True, need_mimecast: bool = True) -> Runtime:
    """Settings from the environment (exit 2 on problems), the store, then the runtime."""
    settings = load_or_exit(os.environ, need_slack=need_slack, need_mimecast=need_mimecast)
    return build_runtime(settings, store=open_store(settings))


def build_runtime(
    settings: Settings, *, store: DigestStore, client: MimecastClient | None = None
) -> Runtime:
    service = CampaignService(
        client or build_mimecast_client(settings), ttl=settings.cache_ttl_seconds
    )
    slack = build_web_client(settings)
    poster = build_digest_poster(
        settings, store, service, build_web_client(settings, idempotent_only=True)
    )
    ctx = BotContext(
        service=service,
        pool=ThreadPoolExecutor(max_workers=ANSWER_THREADS, thread_name_prefix="answer"),
        access=AccessPolicy(settings.allowed_users),
        tz=settings.digest_timezone,
        now=lambda: datetime.now(UTC),
        digest=DigestDesk(
            poster,
            store,
            settings.digest_schedule,
            settings.digest_channel,
            zone_for=lambda channel: getattr(
                target_for(settings, store, channel), "tz", settings.digest_timezone
            ),
        ),
    )
    return Runtime(settings, service, store, slack, poster, ctx)


class _DropTokenSkippedWarning(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment even when given a client, then warns that
    the token is unused; the client carries that same token, so the warning is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "token` will be unused" not in record.getMessage()


def build_slack_app(runtime: Runtime) -> App:
    """Listeners ack inside the request (process_before_response) and answer from ctx.pool."""
    logging.getLogger("slack_bolt.App").addFilter(_DropTokenSkippedWarning())
    try:  # the check Bolt would make, with an answer a person can act on
        runtime.slack.auth_test()
    except SlackApiError as exc:
        raise StartupError(
            f"Slack refused SLACK_BOT_TOKEN ({error_code(exc)}): copy the Bot User "
            "OAuth Token again, or reinstall the app"
        ) from None
    except Exception as exc:
        raise StartupError(
            f"Slack is unreachable at {runtime.settings.slack_api_url} ({type(exc).__name__}): "
            "check the network and SLACK_API_URL"
        ) from None
    app = App(
        client=runtime.slack,
        signing_secret=runtime.settings.slack_signing_secret or "",
        request_verification_enabled=not runtime.settings.socket_mode,
        token_verification_enabled=False,
        process_before_response=True,
    )
    register_listeners(app, runtime.ctx)
    return app


# -- the weekly digest -----------------------------------------------------------------------


def digest_targets(settings: Settings, store: DigestStore) -> list[Target]:
    """DIGEST_CHANNEL on the default schedule, then every subscription (which wins on a tie)."""
    targets: dict[str, Target] = {}
    if settings.digest_channel:
        targets[settings.digest_channel] = Target(
            settings.digest_channel, settings.digest_schedule, settings.digest_timezone
        )
    for sub in store.subscriptions():
        try:
            zone = ZoneInfo(sub.timezone) if sub.timezone else settings.digest_timezone
        except (ZoneInfoNotFoundError, ValueError):
            zone = settings.digest_timezone
        schedule = sub.schedule or settings.digest_schedule
        targets[sub.channel] = Target(sub.channel, schedule, zone, sub.created_at)
    return list(targets.values())


def target_for(settings: Settings, store: DigestStore, channel: str) -> Target | None:
    return next((t for t in digest_targets(settings, store) if t.channel == channel), None)


def build_digest_poster(
    settings: Settings, store: DigestStore, service: CampaignService, slack: WebClient
) -> DigestPoster:
    def next_run(channel: str, now: datetime) -> datetime | None:
        """The digest after this one: the schedule's first time in the next period."""
        target = target_for(settings, store, channel)
        if target is None:
            return None
        return next_fire(target, Period.containing(now, target.tz).end(target.tz))

    return DigestPoster(
        store,
        lambda: service.snapshot().campaigns,
        slack,
        tz=settings.digest_timezone,
        thresholds=settings.digest_thresholds,
        next_run=next_run,
    )


def build_digest_scheduler(
    runtime: Runtime, scheduler: BaseScheduler | None = None
) -> DigestScheduler:
    return DigestScheduler(
        scheduler or BackgroundScheduler(timezone=runtime.settings.digest_timezone),
        runtime.store,
        lambda target: runtime.poster.run(target.channel, tz=target.tz),
        lambda: digest_targets(runtime.settings, runtime.store),
    )
