"""`/campaigns digest ...`: preview, subscribe, unsubscribe, list."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from blocks.campaigns import error_message, notice_message
from blocks.text import format_date
from digest.schedule import Target, next_fire
from digest.subscriptions import SubscriptionError, parse_subscription
from handlers.context import BotContext, DigestDesk
from handlers.reply import Reply
from mimecast.errors import MimecastError

USAGE = (
    "Usage: `/campaigns digest` (preview), `/campaigns digest subscribe [cron] [zone]`, "
    "`/campaigns digest unsubscribe`, `/campaigns digest list`."
)


def digest_reply(ctx: BotContext, args: tuple[str, ...], channel_id: str, user_id: str) -> Reply:
    desk = ctx.digest
    if desk is None:
        return Reply(notice_message("The weekly digest is not set up on this bot."))
    verb = args[0].casefold() if args else "preview"
    if verb == "preview":
        return _preview(ctx, desk, channel_id)
    if verb == "subscribe":
        return _subscribe(ctx, desk, list(args[1:]), channel_id, user_id)
    if verb == "unsubscribe":
        removed = desk.store.unsubscribe(channel_id)
        text = (
            "This channel will no longer get the weekly digest."
            if removed
            else "This channel had no digest subscription."
        )
        if desk.default_channel == channel_id:
            text += " It is still DIGEST_CHANNEL, set by the bot's configuration."
        return Reply(notice_message(text))
    if verb == "list":
        return _list(ctx, desk)
    return Reply(notice_message(USAGE))


def _preview(ctx: BotContext, desk: DigestDesk, channel_id: str) -> Reply:
    try:
        zone = desk.zone_for(channel_id) if desk.zone_for else ctx.tz
        outcome = desk.poster.preview(channel_id, tz=zone)
    except MimecastError as exc:
        return Reply(error_message(exc))
    assert outcome.message is not None
    return Reply(outcome.message)


def _subscribe(
    ctx: BotContext, desk: DigestDesk, args: list[str], channel_id: str, user_id: str
) -> Reply:
    if not channel_id.startswith(("C", "G")):
        return Reply(notice_message("Digests go to channels: run this in the channel."))
    try:
        request = parse_subscription(args)
    except SubscriptionError as exc:
        return Reply(notice_message(f"Not subscribed: {exc}."))
    desk.store.subscribe(channel_id, request.schedule, request.timezone, user_id, ctx.now())
    zone = ZoneInfo(request.timezone) if request.timezone else ctx.tz
    schedule = request.schedule or desk.default_schedule
    upcoming = next_fire(Target(channel_id, schedule, zone), ctx.now())
    when = format_date(upcoming, zone) if upcoming else "never (the schedule never fires)"
    return Reply(
        notice_message(
            f"This channel will get the weekly digest on the schedule `{schedule}` ({zone}). "
            f"Next: {when}. For a private channel, /invite the bot first."
        )
    )


def _list(ctx: BotContext, desk: DigestDesk) -> Reply:
    lines = []
    if desk.default_channel:
        lines.append(
            f"#{desk.default_channel}: `{desk.default_schedule}` ({ctx.tz}), DIGEST_CHANNEL"
        )
    for sub in desk.store.subscriptions():
        schedule = sub.schedule or desk.default_schedule
        zone = sub.timezone or str(ctx.tz)
        lines.append(f"#{sub.channel}: `{schedule}` ({zone}), by {sub.created_by or 'unknown'}")
    if not lines:
        return Reply(notice_message("No channel gets the weekly digest yet. " + USAGE))
    return Reply(notice_message("Weekly digests:\n" + "\n".join(lines[:40])))
