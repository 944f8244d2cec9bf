"""Answering after the ack: the slow part runs on the bot's own bounded pool.

Listeners ack at once and hand the rest here, so Bolt's request threads are never held by
a slow Mimecast (see reference: Bolt's 5-thread executor trap).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import Respond
from slack_sdk import WebClient

from blocks.campaigns import notice_message, refusal_message
from handlers.access import Access
from handlers.context import BotContext
from handlers.reply import Reply

log = logging.getLogger(__name__)

ACCESS_UNKNOWN = (
    "The bot could not check with Slack whether you may use it (user groups did not answer). "
    "Try again in a minute."
)
INTERNAL_ERROR = (
    "Something went wrong on the bot's side while answering. "
    "Try again; if it persists, an administrator can find the details in the bot's log."
)


BUSY = "The bot is answering many requests right now. Try again in a minute."


def admit(ctx: BotContext) -> bool:
    """Take a place in the answer queue, or False when it is full (memory stays bounded)."""
    return ctx.pending.acquire(blocking=False)


def answer_later(
    ctx: BotContext,
    *,
    respond: Respond,
    client: WebClient,
    user_id: str,
    compute: Callable[[], Reply],
    what: str,
) -> None:
    """Answer on the pool; the caller has taken a place with `admit` and it is released here."""
    ctx.pool.submit(_answer, ctx, respond, client, user_id, compute, what)


def _answer(
    ctx: BotContext,
    respond: Respond,
    client: WebClient,
    user_id: str,
    compute: Callable[[], Reply],
    what: str,
) -> None:
    try:
        access = ctx.access.check(user_id, client)
        if access is Access.REFUSED:
            log.info("refused %s for %s: not in ALLOWED_USERS", what, user_id)
            reply = Reply(refusal_message())
        elif access is Access.UNKNOWN:
            reply = Reply(notice_message(ACCESS_UNKNOWN))
        else:
            reply = compute()
    except Exception:
        log.exception("failed to answer %s", what)
        reply = Reply(notice_message(INTERNAL_ERROR))
    try:
        _send(respond, reply, what)
    finally:
        ctx.pending.release()


def answer_busy(respond: Respond, what: str) -> None:
    """The queue is full: say so at once, from the request thread, without queueing."""
    log.warning("answer queue full: %s answered with 'busy'", what)
    _send(respond, Reply(notice_message(BUSY)), what)


def _send(respond: Respond, reply: Reply, what: str) -> None:
    payload = reply.message.payload()
    try:
        response = respond(
            text=payload["text"],
            blocks=payload["blocks"],
            response_type=reply.response_type,
            replace_original=reply.replace_original,
        )
    except Exception as exc:
        log.error("could not deliver the answer to %s: %s", what, type(exc).__name__)
        return
    if response.status_code != 200:
        log.error(
            "Slack refused the answer to %s: HTTP %s %s",
            what,
            response.status_code,
            (response.body or "")[:200],
        )
