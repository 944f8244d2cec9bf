"""A full answer queue: users are told to retry at once; memory stays bounded."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from slack_bolt import App, BoltRequest
from slack_sdk import WebClient

from campaigns.service import CampaignService
from handlers import register_listeners
from handlers.access import AccessPolicy
from handlers.context import BotContext
from handlers.deferred import BUSY
from mimecast.models import CampaignBatch
from tests.harness.slack_mock import SlackMock
from tests.harness.slack_requests import sign, slash_command_body

SECRET = "admission-secret"


class Empty:
    def get_campaigns(self) -> CampaignBatch:
        return CampaignBatch(())


def test_commands_beyond_the_queue_are_told_to_retry():
    with SlackMock() as slack:
        ctx = BotContext(
            service=CampaignService(Empty()),
            pool=ThreadPoolExecutor(2),
            access=AccessPolicy(frozenset()),
            tz=ZoneInfo("UTC"),
            now=lambda: datetime.now(UTC),
            pending=threading.Semaphore(1),
        )
        app = App(
            client=WebClient(token="xoxb-test-token", base_url=slack.api_url),
            signing_secret=SECRET,
            token_verification_enabled=False,
            process_before_response=True,
        )
        register_listeners(app, ctx)

        def command(key: str):
            body = slash_command_body("help", response_url=slack.response_url(key))
            return app.dispatch(BoltRequest(body=body, headers=sign(body, SECRET)))

        assert ctx.pending.acquire()  # the queue is full
        busy = command("busy")
        assert busy.status == 200 and BUSY in busy.body
        ctx.pending.release()
        ok = command("ok")
        assert ok.status == 200 and ok.body == ""
        answer = slack.wait_for_responses(1, key="ok")[0].body
        assert "/campaigns pending" in str(answer)
        assert slack.responses_for("busy") == []
        ctx.pool.shutdown(wait=True)  # the answer task has finished...
        assert ctx.pending.acquire(blocking=False)  # ...and given its place back
