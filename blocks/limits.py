"""Block Kit limits, checked in one place before any message leaves this layer.

slack_sdk's `to_dict()` checks most per-element limits; this also checks what it does not
(50 blocks per message, 2000 characters per field, unique ids) and that no text carries a raw
`<`: the only `<...>` this layer ever writes is a validated user mention `<@U123>`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Final

from blocks.message import Message
from blocks.text import slack_len

MAX_BLOCKS: Final = 50
MAX_SECTION_TEXT: Final = 3000
MAX_FIELDS: Final = 10
MAX_FIELD_TEXT: Final = 2000
MAX_HEADER_TEXT: Final = 150
MAX_BUTTON_TEXT: Final = 75
MAX_BUTTON_VALUE: Final = 2000
MAX_ID: Final = 255
MAX_CONTEXT_ELEMENTS: Final = 10
MAX_CONTEXT_TEXT: Final = 3000
MAX_ACTIONS_ELEMENTS: Final = 25
MAX_FALLBACK_TEXT: Final = 3000  # Slack allows far more; notifications show a line or two

USER_MENTION: Final = re.compile(r"<@[UW][A-Z0-9]+>")


class BlockKitLimitError(ValueError):
    """A message breaks Block Kit's rules; `violations` lists every problem found."""

    def __init__(self, violations: list[str]) -> None:
        self.violations = violations
        super().__init__("invalid Block Kit message: " + "; ".join(violations))


def _text_problems(where: str, obj: Any, limit: int, *, plain_only: bool = False) -> Iterator[str]:
    if not isinstance(obj, dict):
        yield f"{where}: not a text object"
        return
    kind = obj.get("type")
    text = obj.get("text")
    if kind not in ("plain_text", "mrkdwn"):
        yield f"{where}: unknown text type {kind!r}"
    if plain_only and kind != "plain_text":
        yield f"{where}: must be plain_text"
    if not isinstance(text, str) or not text:
        yield f"{where}: empty text"
        return
    if slack_len(text) > limit:
        yield f"{where}: {slack_len(text)} characters > {limit}"
    if kind == "plain_text":
        if "<" in text or ">" in text:
            yield f"{where}: plain_text holds < or >"
    elif "<" in USER_MENTION.sub("", text):
        yield f"{where}: raw '<' outside a user mention"


def _check_id(where: str, value: Any, seen: set[str]) -> Iterator[str]:
    if value is None:
        return
    if not isinstance(value, str) or not value:
        yield f"{where}: empty id"
        return
    if len(value) > MAX_ID:
        yield f"{where}: {len(value)} characters > {MAX_ID}"
    if value in seen:
        yield f"{where}: duplicate id {value[:40]!r}"
    seen.add(value)


def _button_problems(where: str, element: Any, action_ids: set[str]) -> Iterator[str]:
    if not isinstance(element, dict) or element.get("type") != "button":
        yield f"{where}: only buttons are used here"
        return
    yield from _text_problems(
        f"{where}.text", element.get("text"), MAX_BUTTON_TEXT, plain_only=True
    )
    if element.get("action_id") is None:
        yield f"{where}: missing action_id"
    yield from _check_id(f"{where}.action_id", element.get("action_id"), action_ids)
    value = element.get("value")
    if value is not None and (not isinstance(value, str) or slack_len(value) > MAX_BUTTON_VALUE):
        yield f"{where}.value: longer than {MAX_BUTTON_VALUE} characters or not a string"


def _block_problems(
    index: int, block: Any, block_ids: set[str], action_ids: set[str]
) -> Iterator[str]:
    where = f"blocks[{index}]"
    if not isinstance(block, dict):
        yield f"{where}: not an object"
        return
    kind = block.get("type")
    yield from _check_id(f"{where}.block_id", block.get("block_id"), block_ids)
    if kind == "header":
        yield from _text_problems(
            f"{where}.text", block.get("text"), MAX_HEADER_TEXT, plain_only=True
        )
    elif kind == "section":
        text, fields = block.get("text"), block.get("fields") or []
        if text is None and not fields:
            yield f"{where}: section without text or fields"
        if text is not None:
            yield from _text_problems(f"{where}.text", text, MAX_SECTION_TEXT)
        if len(fields) > MAX_FIELDS:
            yield f"{where}.fields: {len(fields)} > {MAX_FIELDS}"
        for n, field in enumerate(fields):
            yield from _text_problems(f"{where}.fields[{n}]", field, MAX_FIELD_TEXT)
        if block.get("accessory") is not None:
            yield from _button_problems(f"{where}.accessory", block["accessory"], action_ids)
    elif kind == "context":
        elements = block.get("elements") or []
        if not elements or len(elements) > MAX_CONTEXT_ELEMENTS:
            yield f"{where}.elements: {len(elements)} not in 1..{MAX_CONTEXT_ELEMENTS}"
        for n, element in enumerate(elements):
            yield from _text_problems(f"{where}.elements[{n}]", element, MAX_CONTEXT_TEXT)
    elif kind == "actions":
        elements = block.get("elements") or []
        if not elements or len(elements) > MAX_ACTIONS_ELEMENTS:
            yield f"{where}.elements: {len(elements)} not in 1..{MAX_ACTIONS_ELEMENTS}"
        for n, element in enumerate(elements):
            yield from _button_problems(f"{where}.elements[{n}]", element, action_ids)
    elif kind != "divider":
        yield f"{where}: unexpected block type {kind!r}"


def message_problems(message: Message) -> list[str]:
    """Every rule the message breaks (empty when it is valid)."""
    problems: list[str] = []
    text = message.text
    if not isinstance(text, str) or not text.strip():
        problems.append("text: the fallback text is empty")
    else:
        if slack_len(text) > MAX_FALLBACK_TEXT:
            problems.append(f"text: {slack_len(text)} characters > {MAX_FALLBACK_TEXT}")
        if "<" in USER_MENTION.sub("", text):
            problems.append("text: raw '<' outside a user mention")
    blocks = message.blocks
    if not isinstance(blocks, list):
        return [*problems, "blocks: not a list"]
    if len(blocks) > MAX_BLOCKS:
        problems.append(f"blocks: {len(blocks)} > {MAX_BLOCKS}")
    block_ids: set[str] = set()
    action_ids: set[str] = set()
    for index, block in enumerate(blocks):
        problems.extend(_block_problems(index, block, block_ids, action_ids))
    return problems


def validate_message(message: Message) -> None:
    """Raise BlockKitLimitError listing every violation; return None when the message is valid."""
    problems = message_problems(message)
    if problems:
        raise BlockKitLimitError(problems)
