"""Thin Slack listeners: parse the request, hand the work to the service, reply."""

from __future__ import annotations

from slack_bolt import App

from handlers import campaign_buttons, campaigns_command
from handlers.context import BotContext


def register_listeners(app: App, ctx: BotContext) -> None:
    campaigns_command.register(app, ctx)
    campaign_buttons.register(app, ctx)
