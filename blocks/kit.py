"""Thin wrappers over slack_sdk's Block Kit models that apply this layer's limits.

Every mrkdwn object is `verbatim`: Slack then does not turn bare `@channel`, `#channel` or
URLs in untrusted text into mentions or links; our own `<@U123>` mentions still work.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from blocks import limits
from blocks.message import Message
from blocks.text import ELLIPSIS, plain, slack_len, truncate_mrkdwn

Block = dict[str, Any]

_USER_ID = re.compile(r"[UW][A-Z0-9]{1,40}")


def mrkdwn(text: str, limit: int) -> MarkdownTextObject:
    return MarkdownTextObject(text=truncate_mrkdwn(text or ELLIPSIS, limit), verbatim=True)


def plain_text(text: str, limit: int) -> PlainTextObject:
    return PlainTextObject(text=plain(text, limit) or ELLIPSIS, emoji=True)


def header(text: str) -> Block:
    return HeaderBlock(text=plain_text(text, limits.MAX_HEADER_TEXT)).to_dict()


def section(text: str, *, accessory: ButtonElement | None = None) -> Block:
    return SectionBlock(text=mrkdwn(text, limits.MAX_SECTION_TEXT), accessory=accessory).to_dict()


def fields_section(fields: Sequence[str]) -> Block:
    items = [mrkdwn(field, limits.MAX_FIELD_TEXT) for field in fields[: limits.MAX_FIELDS]]
    return SectionBlock(fields=items).to_dict()


def context(*texts: str) -> Block:
    elements = [mrkdwn(text, limits.MAX_CONTEXT_TEXT) for text in texts if text]
    return ContextBlock(elements=elements[: limits.MAX_CONTEXT_ELEMENTS]).to_dict()


def divider() -> Block:
    return DividerBlock().to_dict()


def button(
    label: str, action_id: str, value: str, *, style: str | None = None
) -> ButtonElement | None:
    """A button, or None when its value cannot be carried (empty or too long)."""
    if not value or slack_len(value) > limits.MAX_BUTTON_VALUE:
        return None
    return ButtonElement(
        text=plain_text(label, limits.MAX_BUTTON_TEXT),
        action_id=action_id[: limits.MAX_ID],
        value=value,
        style=style,
    )


def actions(buttons: Sequence[ButtonElement | None]) -> Block | None:
    elements = [b for b in buttons if b is not None][: limits.MAX_ACTIONS_ELEMENTS]
    if not elements:
        return None
    return ActionsBlock(elements=elements).to_dict()


def mention(user_id: str | None) -> str | None:
    """`<@U123>` for a well-formed Slack user id, None for anything else."""
    if user_id is None or not _USER_ID.fullmatch(user_id):
        return None
    return f"<@{user_id}>"


def defuse(text: str) -> str:
    """Caller-written mrkdwn: keep user mentions, escape any other `<` or `>`.

    Entities already in the text (`&amp;`) are left alone, so escaped input is not doubled.
    """
    parts: list[str] = []
    last = 0
    for match in limits.USER_MENTION.finditer(text):
        parts.append(text[last : match.start()].replace("<", "&lt;").replace(">", "&gt;"))
        parts.append(match.group(0))
        last = match.end()
    parts.append(text[last:].replace("<", "&lt;").replace(">", "&gt;"))
    return "".join(parts)


def fallback(text: str) -> str:
    """The message's plain-text fallback: escaped, capped, never empty."""
    return truncate_mrkdwn(text, limits.MAX_FALLBACK_TEXT) if text.strip() else ELLIPSIS


def finish(text: str, blocks: Sequence[Block | None]) -> Message:
    """Assemble and validate; an invalid message never leaves this layer."""
    kept = [block for block in blocks if block is not None]
    message = Message(text=fallback(text), blocks=kept)
    limits.validate_message(message)
    return message
