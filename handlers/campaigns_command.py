"""The `/campaigns` slash command."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from handlers.context import BotContext
from handlers.deferred import BUSY, admit, answer_later
from handlers.replies import command_reply


def register(app: App, ctx: BotContext) -> None:
    @app.command("/campaigns")
    def campaigns_command(
        ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient
    ) -> None:
        if not admit(ctx):
            ack(text=BUSY)  # shown to the caller alone, at no cost
            return
        ack()
        text = str(command.get("text") or "")
        user_id = str(command.get("user_id") or "")
        channel_id = str(command.get("channel_id") or "")
        answer_later(
            ctx,
            respond=respond,
            client=client,
            user_id=user_id,
            compute=lambda: command_reply(ctx, text, channel_id, user_id),
            what="/campaigns",
        )
