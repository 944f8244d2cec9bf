"""From a parsed request to the message that answers it: service in, presentation out.

Kept apart from the listeners so the whole decision can be tested without Slack.
"""

from __future__ import annotations

import logging

from blocks.actions import (
    ACTION_BACK,
    ACTION_DETAILS,
    ACTION_OPEN_LIST,
    ACTION_PAGE,
    ACTION_SHARE,
    CampaignView,
    ListView,
    decode_view,
)
from blocks.campaigns import (
    campaign_detail_message,
    campaign_list_message,
    error_message,
    help_message,
    no_match_message,
    notice_message,
    pick_list_message,
)
from blocks.message import Message
from campaigns.commands import Kind, parse_command
from campaigns.matching import find_campaigns
from campaigns.service import Snapshot
from handlers.context import BotContext
from handlers.digest_replies import digest_reply
from handlers.reply import Reply
from mimecast.errors import MimecastError
from mimecast.models import Campaign, Status

log = logging.getLogger(__name__)


def _filtered(snapshot: Snapshot, view: ListView, ctx: BotContext) -> list[Campaign]:
    if view.filter == "all":
        return list(snapshot.campaigns)
    wanted = Status(view.filter)
    now = ctx.now()
    return [c for c in snapshot.campaigns if c.status(now) is wanted]


def list_reply(
    ctx: BotContext, view: ListView, *, shared_by: str | None = None, replace: bool = False
) -> Reply:
    try:
        snapshot = ctx.service.snapshot()
    except MimecastError as exc:
        return Reply(_error_with_stale(ctx, exc, view), replace_original=replace)
    message = campaign_list_message(
        _filtered(snapshot, view, ctx),
        now=ctx.now(),
        tz=ctx.tz,
        view=view,
        fetched_at=snapshot.fetched_at,
        shared_by=shared_by,
        notice=_skipped_notice(snapshot),
    )
    return Reply(
        message,
        response_type="in_channel" if shared_by else "ephemeral",
        replace_original=replace,
    )


def _skipped_notice(snapshot: Snapshot) -> str | None:
    if not snapshot.skipped:
        return None
    return f"{snapshot.skipped} entries in Mimecast's answer could not be read and are not shown."


def _error_with_stale(ctx: BotContext, exc: MimecastError, view: ListView) -> Message:
    last = ctx.service.last_good()
    if last is None:
        return error_message(exc)
    return error_message(
        exc,
        stale=_filtered(last, view, ctx),
        stale_fetched_at=last.fetched_at,
        now=ctx.now(),
        tz=ctx.tz,
    )


def campaign_reply(
    ctx: BotContext,
    campaign_id: str,
    *,
    shared_by: str | None = None,
    back: ListView | None = None,
    replace: bool = False,
) -> Reply:
    try:
        snapshot = ctx.service.snapshot()
    except MimecastError as exc:
        return Reply(error_message(exc), replace_original=replace)
    campaign = snapshot.by_id(campaign_id)
    if campaign is None:
        return Reply(
            notice_message(
                "That campaign is no longer in Mimecast's list. Type `/campaigns` to see them all."
            ),
            replace_original=replace,
        )
    message = campaign_detail_message(
        campaign,
        now=ctx.now(),
        tz=ctx.tz,
        back=None if shared_by else (back or ListView()),
        shared_by=shared_by,
    )
    return Reply(
        message,
        response_type="in_channel" if shared_by else "ephemeral",
        replace_original=replace,
    )


def search_reply(ctx: BotContext, query: str) -> Reply:
    try:
        snapshot = ctx.service.snapshot()
    except MimecastError as exc:
        return Reply(error_message(exc))
    result = find_campaigns(query, snapshot.campaigns)
    if result.single is not None:
        return campaign_reply(ctx, result.single.id)
    if result.matches:
        return Reply(pick_list_message(query, result.matches, now=ctx.now(), tz=ctx.tz))
    return Reply(no_match_message(query, result.suggestions))


def command_reply(ctx: BotContext, text: str, channel_id: str = "", user_id: str = "") -> Reply:
    command = parse_command(text)
    if command.kind is Kind.HELP:
        return Reply(help_message())
    if command.kind is Kind.DIGEST:
        return digest_reply(ctx, command.args, channel_id, user_id)
    if command.kind is Kind.SEARCH:
        return search_reply(ctx, command.query)
    view_filter = {Kind.PENDING: "pending", Kind.LAUNCHED: "launched"}.get(command.kind, "all")
    return list_reply(ctx, ListView(filter=view_filter))


STALE_BUTTON = "That button is out of date. Type `/campaigns` to start again."


def action_reply(
    ctx: BotContext, action_id: str, value: str, user_id: str, *, from_ephemeral: bool = True
) -> Reply:
    """Buttons carry what they need in `value`; it comes from the network, so decode safely.

    A click in the caller's own (ephemeral) answer updates it in place; a click in a message
    the channel sees (a shared list, the digest) answers the clicker alone, leaving it as is.
    """
    prefix = action_id.split(":", 1)[0]
    replace = from_ephemeral
    if prefix == ACTION_DETAILS:
        if not value or len(value) > 2000:
            return Reply(notice_message(STALE_BUTTON), replace_original=replace)
        return campaign_reply(ctx, value, replace=replace)
    try:
        view = decode_view(value)
    except ValueError:
        log.info("undecodable button value for %s (%d chars)", prefix, len(value or ""))
        return Reply(notice_message(STALE_BUTTON), replace_original=replace)
    if prefix == ACTION_OPEN_LIST and isinstance(view, ListView):
        return list_reply(ctx, view)
    if prefix in (ACTION_PAGE, ACTION_BACK) and isinstance(view, ListView):
        return list_reply(ctx, view, replace=replace)
    if prefix == ACTION_SHARE:
        if isinstance(view, ListView):
            return list_reply(ctx, view, shared_by=user_id)
        return campaign_reply(ctx, view.campaign_id, shared_by=user_id)
    if isinstance(view, CampaignView):
        return campaign_reply(ctx, view.campaign_id, back=view.back, replace=replace)
    return Reply(notice_message(STALE_BUTTON), replace_original=replace)
