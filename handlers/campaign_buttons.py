"""Button clicks: Details, Next/Previous, Back, Share to channel."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from blocks.actions import (
    ACTION_BACK,
    ACTION_DETAILS,
    ACTION_OPEN_LIST,
    ACTION_PAGE,
    ACTION_SHARE,
)
from handlers.context import BotContext
from handlers.deferred import admit, answer_busy, answer_later
from handlers.replies import action_reply

_PREFIXES = (ACTION_DETAILS, ACTION_PAGE, ACTION_BACK, ACTION_SHARE, ACTION_OPEN_LIST)
ACTIONS = re.compile(rf"^({'|'.join(map(re.escape, _PREFIXES))})(:.*)?$")


def register(app: App, ctx: BotContext) -> None:
    @app.action(ACTIONS)
    def campaign_button(
        ack: Ack, action: dict[str, Any], body: dict[str, Any], respond: Respond, client: WebClient
    ) -> None:
        ack()
        if not admit(ctx):
            answer_busy(respond, "button")
            return
        action_id = str(action.get("action_id") or "")
        value = str(action.get("value") or "")
        user_id = str((body.get("user") or {}).get("id") or "")
        from_ephemeral = bool((body.get("container") or {}).get("is_ephemeral", True))
        answer_later(
            ctx,
            respond=respond,
            client=client,
            user_id=user_id,
            compute=lambda: action_reply(
                ctx, action_id, value, user_id, from_ephemeral=from_ephemeral
            ),
            what=action_id.split(":", 1)[0],
        )
