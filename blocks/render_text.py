"""A readable terminal rendering of a Message, and a Block Kit Builder link (for `bot.py demo`)."""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

from blocks.message import Message
from blocks.text import unescape_mrkdwn

BUILDER_URL = "https://app.slack.com/block-kit-builder#"


def _text_of(obj: Any) -> str:
    if isinstance(obj, dict) and isinstance(obj.get("text"), str):
        text: str = obj["text"]
        return unescape_mrkdwn(text) if obj.get("type") == "mrkdwn" else text
    return ""


def _label(element: Any) -> str:
    return f"[{_text_of(element.get('text')) if isinstance(element, dict) else '?'}]"


def _indent(text: str, prefix: str = "  ") -> list[str]:
    return [prefix + line for line in text.splitlines()] or [prefix]


def message_to_text(message: Message) -> str:
    """Headers underlined, sections indented, fields as `Label: value`, buttons in [brackets]."""
    lines: list[str] = []
    for block in message.blocks:
        kind = block.get("type")
        if kind == "header":
            title = _text_of(block.get("text"))
            lines += [title, "=" * min(len(title), 72)]
        elif kind == "section":
            if block.get("text"):
                body = _text_of(block["text"])
                accessory = block.get("accessory")
                if accessory:
                    body_lines = body.splitlines() or [""]
                    body_lines[0] = f"{body_lines[0]}   {_label(accessory)}"
                    body = "\n".join(body_lines)
                lines += _indent(body)
            for field in block.get("fields") or []:
                label, _, value = _text_of(field).partition("\n")
                lines.append(f"  {label.strip('*')}: {value}" if value else f"  {label}")
        elif kind == "context":
            parts = [_text_of(element) for element in block.get("elements") or []]
            lines += _indent(" · ".join(part for part in parts if part), "  · ")
        elif kind == "actions":
            lines.append("  " + " ".join(_label(e) for e in block.get("elements") or []))
        elif kind == "divider":
            lines.append("  " + "─" * 40)
    return "\n".join(lines)


def builder_url(message: Message) -> str:
    """Open the message in Slack's Block Kit Builder."""
    payload = json.dumps({"blocks": message.blocks}, separators=(",", ":"), ensure_ascii=False)
    return BUILDER_URL + urllib.parse.quote(payload, safe="")
