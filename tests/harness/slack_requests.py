"""Requests built exactly as Slack builds them (slash commands, button clicks), signed.

Typical use against a running bot::

    body = slash_command_body("list", response_url=slack.response_url("c1"))
    status, text, elapsed = post(bot_url, body, sign(body, SIGNING_SECRET))
"""

from __future__ import annotations

import http.client
import itertools
import json
import time
import uuid
from typing import Any
from urllib.parse import urlencode, urlsplit

from slack_sdk.signature import SignatureVerifier

__all__ = [
    "API_APP_ID",
    "TEAM_DOMAIN",
    "VERIFICATION_TOKEN",
    "block_action_body",
    "block_action_payload",
    "new_trigger_id",
    "post",
    "send_block_action",
    "send_slash_command",
    "sign",
    "slash_command_body",
]

API_APP_ID = "A0APP"
TEAM_DOMAIN = "testworkspace"
VERIFICATION_TOKEN = "verification-token-unused"  # deprecated by Slack, still sent
_counter = itertools.count(1)


def new_trigger_id() -> str:
    """A fresh trigger id shaped like Slack's (``<digits>.<digits>.<hex>``)."""
    return f"{int(time.time())}.{next(_counter):09d}.{uuid.uuid4().hex}"


def _action_ts() -> str:
    return f"{time.time():.6f}"


def sign(body: str, secret: str, timestamp: int | None = None) -> dict[str, str]:
    """Headers Slack sends with a request body signed with the app's signing ``secret``."""
    ts = int(time.time()) if timestamp is None else int(timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=str(ts), body=body)
    if signature is None:  # only when ts or body is None
        raise ValueError("cannot sign")
    return {
        "X-Slack-Request-Timestamp": str(ts),
        "X-Slack-Signature": signature,
        "Content-Type": "application/x-www-form-urlencoded",
    }


def slash_command_body(
    text: str,
    *,
    response_url: str,
    user_id: str = "U0USER",
    channel_id: str = "C0CHAN",
    command: str = "/campaigns",
    team_id: str = "T0001",
    trigger_id: str | None = None,
    user_name: str | None = None,
    channel_name: str | None = None,
) -> str:
    """Form-encoded body of a slash command invocation, with every field Slack sends."""
    fields = {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "team_domain": TEAM_DOMAIN,
        "channel_id": channel_id,
        "channel_name": channel_name or _channel_name(channel_id),
        "user_id": user_id,
        "user_name": user_name or user_id.lower(),
        "command": command,
        "text": text,
        "api_app_id": API_APP_ID,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id or new_trigger_id(),
    }
    return urlencode(fields)


def block_action_payload(
    action_id: str,
    value: str,
    *,
    response_url: str,
    user_id: str = "U0USER",
    channel_id: str = "C0CHAN",
    block_id: str = "b1",
    message_ts: str | None = None,
    container_is_ephemeral: bool = True,
    team_id: str = "T0001",
    trigger_id: str | None = None,
    button_text: str = "Button",
    message: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The ``block_actions`` payload (as a dict) of a button click.

    With ``container_is_ephemeral=True`` (a button in an ephemeral reply to a slash command)
    Slack sends no ``message`` field; otherwise a minimal bot ``message`` is included (or the
    given ``message``).
    """
    ts = message_ts or _action_ts()
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {
            "id": user_id,
            "username": user_id.lower(),
            "name": user_id.lower(),
            "team_id": team_id,
        },
        "api_app_id": API_APP_ID,
        "token": VERIFICATION_TOKEN,
        "container": {
            "type": "message",
            "message_ts": ts,
            "channel_id": channel_id,
            "is_ephemeral": container_is_ephemeral,
        },
        "trigger_id": trigger_id or new_trigger_id(),
        "team": {"id": team_id, "domain": TEAM_DOMAIN},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel_id, "name": _channel_name(channel_id)},
        "state": {"values": {}},
        "response_url": response_url,
        "actions": [
            {
                "action_id": action_id,
                "block_id": block_id,
                "text": {"type": "plain_text", "text": button_text, "emoji": True},
                "value": value,
                "type": "button",
                "action_ts": _action_ts(),
            }
        ],
    }
    if not container_is_ephemeral:
        payload["message"] = message or {
            "type": "message",
            "subtype": "bot_message",
            "text": "",
            "ts": ts,
            "bot_id": "BBOT",
            "blocks": [],
        }
    return payload


def block_action_body(
    action_id: str,
    value: str,
    *,
    response_url: str,
    user_id: str = "U0USER",
    channel_id: str = "C0CHAN",
    block_id: str = "b1",
    message_ts: str | None = None,
    container_is_ephemeral: bool = True,
    **extra: Any,
) -> str:
    """Form-encoded ``payload=<json>`` body of a button click (see :func:`block_action_payload`)."""
    payload = block_action_payload(
        action_id,
        value,
        response_url=response_url,
        user_id=user_id,
        channel_id=channel_id,
        block_id=block_id,
        message_ts=message_ts,
        container_is_ephemeral=container_is_ephemeral,
        **extra,
    )
    return urlencode({"payload": json.dumps(payload, separators=(",", ":"))})


def post(
    url: str, body: str, headers: dict[str, str], timeout: float = 30.0
) -> tuple[int, str, float]:
    """POST ``body`` on a fresh connection; return (status, text body, elapsed seconds).

    Elapsed time is measured with ``time.perf_counter`` from before connecting to after the
    whole response body is read (the ack latency Slack would observe).
    """
    parts = urlsplit(url)
    if parts.hostname is None:
        raise ValueError(f"not an absolute URL: {url!r}")
    conn_cls = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    data = body.encode("utf-8")
    send_headers = {"Content-Length": str(len(data)), **headers}
    start = time.perf_counter()
    conn = conn_cls(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.request("POST", path, body=data, headers=send_headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", errors="replace")
        elapsed = time.perf_counter() - start
        return response.status, text, elapsed
    finally:
        conn.close()


def send_slash_command(
    url: str, secret: str, text: str, *, response_url: str, **fields: Any
) -> tuple[int, str, float]:
    """Build, sign and post a slash command to the bot at ``url``."""
    body = slash_command_body(text, response_url=response_url, **fields)
    return post(url, body, sign(body, secret))


def send_block_action(
    url: str, secret: str, action_id: str, value: str, *, response_url: str, **fields: Any
) -> tuple[int, str, float]:
    """Build, sign and post a button click to the bot at ``url``."""
    body = block_action_body(action_id, value, response_url=response_url, **fields)
    return post(url, body, sign(body, secret))


def _channel_name(channel_id: str) -> str:
    if channel_id.startswith("D"):
        return "directmessage"
    if channel_id.startswith("G"):
        return "privategroup"
    return channel_id.lower()
