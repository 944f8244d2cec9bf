"""Building the running bot from Settings: Mimecast client, service, Slack app, listeners."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from campaigns.service import CampaignService
from handlers import register_listeners
from handlers.access import AccessPolicy
from handlers.context import BotContext
from mimecast.client import MimecastClient
from runtime.settings import Settings

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


def build_web_client(settings: Settings) -> WebClient:
    """slack_sdk's own retry handlers: 429 waits out Retry-After, 5xx and resets retried once."""
    return WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=10,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=1),
            RateLimitErrorRetryHandler(max_retry_count=2),
            ServerErrorRetryHandler(max_retry_count=1),
        ],
    )


def build_context(settings: Settings, client: MimecastClient | None = None) -> BotContext:
    return BotContext(
        service=CampaignService(
            client or build_mimecast_client(settings), ttl=settings.cache_ttl_seconds
        ),
        pool=ThreadPoolExecutor(max_workers=ANSWER_THREADS, thread_name_prefix="answer"),
        access=AccessPolicy(settings.allowed_users),
        tz=settings.digest_timezone,
        now=lambda: datetime.now(UTC),
    )


class _DropTokenSkippedWarning(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment even when given a client, then warns that
    the token is unused; the client carries that same token, so the warning is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "token` will be unused" not in record.getMessage()


def build_slack_app(settings: Settings, ctx: BotContext) -> App:
    """Listeners ack inside the request (process_before_response) and answer from ctx.pool."""
    logging.getLogger("slack_bolt.App").addFilter(_DropTokenSkippedWarning())
    app = App(
        client=build_web_client(settings),
        signing_secret=settings.slack_signing_secret or "",
        request_verification_enabled=not settings.socket_mode,
        process_before_response=True,
    )
    register_listeners(app, ctx)
    return app
